"""Options are checked against what exists (units, PLOVER types, entity types, positive sizes): one
clear line and exit code 2, before any store is opened or created."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def rasd(*args):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT)


@pytest.mark.parametrize("args,expect", [
    (["claims", "--unit", "soldiers"], "--unit soldiers: no such unit"),
    (["claims", "--unit", "troop"], "did you mean troops?"),
    (["disagreements", "--unit", "soldiers"], "no such unit"),
    (["events", "--type", "FOO"], "--type FOO: no such event type"),
    (["search", "كوريا", "--type", "ASAULT"], "did you mean ASSAULT?"),
    (["entities", "--type", "persn"], "did you mean PERSON?"),
    (["ingest", "samples", "--batch", "0"], "--batch: must be a positive number, not 0"),
    (["search", "كوريا", "--limit", "0"], "--limit: must be a positive number"),
    (["claims", "--limit", "-3"], "--limit: must be a positive number, not -3"),
    (["stories", "--limit", "0"], "--limit"),
    (["extract", "samples", "--max-bytes", "0"], "--max-bytes"),
    (["bench", "samples", "--limit", "0"], "--limit"),
])
def test_nonsense_options_are_refused_in_one_line(tmp_path, args, expect):
    db = tmp_path / "never.db"
    r = rasd(*args, *(["--db", str(db)] if args[0] not in ("extract", "bench") else []))
    assert r.returncode == 2, r.stderr
    err = r.stderr.decode().strip()
    assert err.startswith("rasd: ") and "\n" not in err and expect in err, err
    assert not db.exists()


def test_known_values_in_any_case_are_taken(tmp_path):
    r = rasd("events", "--type", "assault", "--db", str(tmp_path / "none.db"))
    assert "no such" not in r.stderr.decode() and "no database" in r.stderr.decode()
