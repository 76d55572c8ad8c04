"""rasd bench: the ceiling of the same run and the ratios; the Dask scaling table."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CEILING = """import json, sys
assert sys.argv[2] == "2"
print(json.dumps({"articles": 2, "normalise+split": 1000, "aho_corasick_20k": 500}))
"""


def rasd(*args):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT, timeout=300)


def test_bench_reports_ratios_to_the_ceiling_of_the_same_run(tmp_path):
    script = tmp_path / "ceiling.py"
    script.write_text(CEILING)
    r = rasd("bench", "samples", "--limit", "2", "--ceiling", str(script))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ceiling"]["aho_corasick_20k"] == 500
    assert out["ratios"]["pipeline_docs_per_s / aho_corasick_20k"] == round(out["pipeline_docs_per_s"] / 500, 3)
    assert out["ratios"]["clean_docs_per_s / normalise+split"] == round(out["clean_docs_per_s"] / 1000, 3)
    script.write_text("import sys; sys.exit('no corpus')")
    out = json.loads(rasd("bench", "samples", "--limit", "2", "--ceiling", str(script)).stdout)
    assert out["ceiling"]["error"].endswith("failed: no corpus") and "ratios" not in out


def test_bench_dask_scaling_table():
    r = rasd("bench", "samples", "--limit", "2", "--engine", "dask", "--workers", "1", "--json")
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)["scaling"]
    assert row["workers"] == 1 and row["articles"] == 2 and row["efficiency"] == 1.0 and row["articles_per_s"] > 0
    r = rasd("bench", "samples", "--engine", "dask", "--workers", "1,x")
    assert r.returncode == 2 and r.stderr.decode().startswith("rasd: --workers: not a list of worker counts")
