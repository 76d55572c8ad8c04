"""Options are checked against what exists (units, PLOVER types, entity types, positive sizes): one
clear line and exit code 2, before any store is opened or created."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from rasd.cli import main

ROOT = Path(__file__).resolve().parent.parent


def rasd(*args):
    """In-process (the checks run before any work, so no subprocess is needed)."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        r = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)
    return SimpleNamespace(returncode=r.exit_code, stderr=r.stderr.encode())


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
    from rasd.store.db import StoreError

    r = CliRunner().invoke(main, ["events", "--type", "assault", "--db", str(tmp_path / "none.db")])
    assert isinstance(r.exception, StoreError) and "no database" in str(r.exception)  # got past the option check
