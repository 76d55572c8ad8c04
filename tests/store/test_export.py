"""Exports read back as the tools that open them would: csv (with its BOM), xlsx (openpyxl), GeoJSON."""

import csv
import io
import json

import pytest

from rasd.store import export, open_store, query

from .bulk import fill


@pytest.fixture
def store(db_url):
    s = open_store(fill(db_url, 8))
    yield s
    s.close()


def text(chunks) -> str:
    return "".join(chunks)


@pytest.mark.parametrize("what", export.KINDS)
def test_jsonl_has_every_row_of_the_listing(store, what, monkeypatch):
    monkeypatch.setattr(query, "MAX_LIMIT", 3)  # several pages of export
    rows = [json.loads(x) for x in text(export.stream(store, what, "jsonl")).splitlines()]
    monkeypatch.undo()
    listing = {"documents": query.documents, "claims": query.claims, "events": query.events,
               "entities": lambda s, **kw: query.entities(s, sort="id", **kw)}[what]
    assert len(rows) == listing(store, limit=1000, count=True).total > 3


@pytest.mark.parametrize("what", export.KINDS)
def test_csv_has_a_bom_and_rfc4180_quoting(store, what):
    out = text(export.stream(store, what, "csv"))
    assert out.startswith("\ufeff")
    assert "\r\n" in out
    rows = list(csv.reader(io.StringIO(out[1:], newline="")))
    header = rows[0]
    assert header == [n for n, _ in export.COLUMNS[what]]
    assert all(len(r) == len(header) for r in rows[1:]) and len(rows) > 1
    if what == "documents":  # texts hold line breaks and commas: quoted, read back whole
        texts = {r[header.index("id")]: r[header.index("text")] for r in rows[1:]}
        for d in query.iter_documents(store):
            assert texts[d["id"]] == d["text"]


def test_csv_filters_are_the_listings(store):
    out = text(export.stream(store, "claims", "csv", unit="troops"))
    rows = list(csv.DictReader(io.StringIO(out[1:], newline="")))
    assert rows and {r["unit"] for r in rows} == {"troops"}
    assert len(rows) == query.claims(store, unit="troops", count=True).total


def test_xlsx_right_to_left_header_and_typed_cells(store, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "claims.xlsx"
    export.xlsx("claims", export.rows(store, "claims"), str(path))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == [n for n, _ in export.COLUMNS["claims"]]
    assert len(rows) - 1 == query.claims(store, count=True).total
    first = dict(zip(header, rows[1], strict=True))
    assert isinstance(first["claim_id"], int) and isinstance(first["start"], int)
    assert all(isinstance(dict(zip(header, r, strict=True))["value"], (float, int, type(None))) for r in rows[1:])
    assert any(isinstance(dict(zip(header, r, strict=True))["published"], __import__("datetime").datetime) for r in rows[1:])
    assert any("كوريا" in (dict(zip(header, r, strict=True))["sentence"] or "") for r in rows[1:])


@pytest.mark.parametrize("what", ["events", "claims", "entities"])
def test_geojson_is_a_feature_collection_with_precision(store, what):
    fc = json.loads(text(export.stream(store, what, "geojson")))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert f["properties"]["precision"] in ("exact", "city", "region", "country")
    if what == "events":
        assert all(f["properties"]["place"] for f in fc["features"])


def test_geojson_places_a_claim_by_its_sentence_not_its_subject(store):
    fc = json.loads(text(export.stream(store, "claims", "geojson", unit="troops")))
    places = {f["properties"]["place"] for f in fc["features"]}
    assert places and "north-korea" not in places  # «كوريا الشمالية أرسلت ... إلى روسيا»: the place is not the subject


@pytest.mark.parametrize("what,fmt,kw", [("documents", "geojson", {}), ("votes", "csv", {}), ("claims", "pdf", {}),
                                         ("claims", "csv", {"actor": "Russia"}), ("claims", "csv", {"since": "soon"})])
def test_bad_exports_fail_before_the_first_byte(store, what, fmt, kw):
    with pytest.raises(query.BadRequest):
        export.stream(store, what, fmt, **kw)
