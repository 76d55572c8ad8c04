"""The listing commands over the query layer: --limit/--offset/--cursor, counts matched, filters in
every mode, excluded search terms, exports in every format (in-process with click's runner)."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from rasd.cli import main

from .bulk import fill


@pytest.fixture
def db(db_url):
    return fill(db_url, 12)


def run(*args):
    r = CliRunner().invoke(main, [*args])
    return r


def test_search_says_how_many_matched_and_how_many_are_shown(db):
    r = run("search", "كوريا", "--db", db, "--limit", "3")
    assert r.exit_code == 0, r.output
    assert "matched, first 3 shown" in r.output and "next page: --cursor" in r.output
    total = int(r.output.split(" matched")[0].split()[-1].replace(",", ""))
    assert total > 3


def test_search_excluded_terms_three_ways(db):
    def n(*args):
        r = run("search", *args, "--db", db, "--json", "--limit", "1000")
        assert r.exit_code == 0, r.output
        return len(json.loads(r.output[:r.output.rindex("]") + 1]))
    every, china = n("كوريا"), n("كوريا", "الصين")
    assert china and n("كوريا", "-الصين") == n("كوريا -الصين") == n("كوريا", "--not", "الصين") == every - china


def test_search_query_cap_is_one_line(db):
    r = run("search", "كلمة " * 200, "--db", db)
    assert r.exit_code != 0


def test_incidents_honour_every_filter_and_paging(db):
    every = json.loads(run("events", "--incidents", "--json", "--limit", "1000", "--db", db).stdout)
    t = every[0]["type"]
    typed = json.loads(run("events", "--incidents", "--type", t, "--json", "--limit", "1000", "--db", db).stdout)
    assert typed and {i["type"] for i in typed} == {t}
    two = run("events", "--incidents", "--limit", "2", "--offset", "1", "--json", "--db", db)
    assert json.loads(two.stdout) == every[1:3]
    assert f"{len(every):,} incidents matched, 2 shown" in two.stderr


def test_claims_paging_by_cursor_covers_everything_once(db):
    every = json.loads(run("claims", "--json", "--limit", "1000", "--db", db).stdout)
    seen, args = [], []
    while True:
        r = run("claims", "--json", "--limit", "4", "--db", db, *args)
        seen += json.loads(r.stdout)
        if "--cursor" not in r.stderr:
            break
        args = ["--cursor", r.stderr.split("--cursor ")[1].split()[0]]
    assert seen == every


@pytest.mark.parametrize("args", [["claims", "--since", "soon"], ["claims", "--limit", "5000"], ["claims", "--cursor", "xyz"],
                                  ["events", "--incidents", "--outlet", "x"], ["export", "--what", "documents", "--format", "geojson"],
                                  ["export", "--what", "claims", "--actor", "Russia"]])
def test_user_errors(db, args):
    r = run(*args, "--db", db)
    assert r.exit_code != 0


def test_export_formats(db, tmp_path):
    r = run("export", "--what", "claims", "--format", "csv", "--unit", "troops", "--db", db)
    assert r.exit_code == 0 and r.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert rows and {x["unit"] for x in rows} == {"troops"}
    fc = json.loads(run("export", "--what", "events", "--format", "geojson", "--db", db).stdout)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    out = tmp_path / "docs.xlsx"
    assert run("export", "--what", "documents", "--format", "xlsx", "-o", str(out), "--db", db).exit_code == 0
    openpyxl = pytest.importorskip("openpyxl")
    assert openpyxl.load_workbook(out).active.max_row == 13
