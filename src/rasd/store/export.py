"""Exports of documents, claims, events and entities as JSON Lines, CSV, XLSX or GeoJSON, streamed.

Rows are read page by page through the query layer (the same filters as the listings), so a
million rows never sit in memory. CSV is UTF-8 with a byte-order mark and RFC 4180 quoting (CRLF
line ends, fields quoted when they hold a comma, quote or line break), which Excel opens with the
Arabic intact; XLSX is written by openpyxl in write-only mode with a right-to-left sheet, a header
row and typed cells (numbers, booleans, dates); GeoJSON is a FeatureCollection of the events (and
claims) that have a place with known coordinates, each with its ``precision``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator

from sqlalchemy import text as sql

from rasd.store import query
from rasd.store.db import Store
from rasd.store.places import locate

KINDS = ("documents", "claims", "events", "entities")
FORMATS = ("jsonl", "csv", "xlsx", "geojson")
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
_LISTING: dict[str, Callable] = {
    "documents": lambda store, **kw: query.documents(store, with_text=True, **kw),
    "claims": query.claims, "events": query.events, "entities": query.entities,
}
# The filters each kind takes (the listing's own, minus paging).
FILTERS = {
    "documents": ("q", "outlet", "since", "until", "entity"),
    "claims": ("subject", "entity", "unit", "since", "until", "outlet"),
    "events": ("entity", "actor", "type", "since", "until", "outlet", "incident"),
    "entities": ("type", "q"),
}


def check(what: str, fmt: str) -> None:
    if what not in KINDS:
        raise query.BadRequest(f"cannot export {what!r}: choose {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise query.BadRequest(f"unknown export format {fmt!r}: choose {', '.join(FORMATS)}")
    if fmt == "geojson" and what == "documents":
        raise query.BadRequest("GeoJSON exports events, claims or entities (the places), not documents")


def rows(store: Store, what: str, **filters) -> Iterator[dict]:
    """Every row of a listing the filters match, page by page. Raises BadRequest before yielding
    anything if a filter is wrong (so an HTTP export fails with a 400, not half a file)."""
    check(what, "jsonl")
    unknown = set(filters) - set(FILTERS[what])
    if unknown:
        raise query.BadRequest(f"{what} have no filter {', '.join(sorted(unknown))}")
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    if what == "entities":
        filters["sort"] = "id"
    first = _LISTING[what](store, limit=query.MAX_LIMIT, **filters)

    def walk():
        page = first
        while True:
            yield from page.items
            if not page.next_cursor:
                return
            page = _LISTING[what](store, limit=query.MAX_LIMIT, cursor=page.next_cursor, **filters)

    return walk()


# ---------------------------------------------------------------------------------------------- flat rows

def _src(x: dict | None, k: str):
    return (x or {}).get(k)


COLUMNS: dict[str, list[tuple[str, Callable[[dict], object]]]] = {
    "documents": [
        ("id", lambda r: r["id"]), ("parent", lambda r: r["parent"]), ("published", lambda r: r["published"]),
        ("outlet", lambda r: r["outlet"]), ("title", lambda r: r["title"]), ("author", lambda r: r["author"]),
        ("url", lambda r: r["source"]["url"]), ("path", lambda r: r["source"]["path"]), ("story", lambda r: r["story"]),
        ("keywords", lambda r: "|".join(r["keywords"])), ("ingested_at", lambda r: r["ingested_at"]), ("text", lambda r: r["text"]),
    ],
    "claims": [
        ("claim_id", lambda r: r["claim_id"]), ("document", lambda r: r["id"]),
        ("published", lambda r: r["source_document"]["published"]), ("outlet", lambda r: r["source_document"]["outlet"]),
        ("date", lambda r: _src(r["date"], "value")), ("date_text", lambda r: _src(r["date"], "text")),
        ("date_precision", lambda r: _src(r["date"], "precision")),
        ("value", lambda r: r["value"]), ("low", lambda r: r["low"]), ("high", lambda r: r["high"]),
        ("qualifier", lambda r: r["qualifier"]), ("unit", lambda r: r["unit"]), ("unit_text", lambda r: r["unit_text"]),
        ("subject", lambda r: r["subject"]), ("source", lambda r: _src(r["source"], "text")),
        ("source_entity", lambda r: _src(r["source"], "entity")), ("modality", lambda r: r["modality"]),
        ("start", lambda r: r["start"]), ("end", lambda r: r["end"]), ("sentence", lambda r: r["sentence"]),
        ("url", lambda r: r["source_document"]["source"]["url"]),
    ],
    "events": [
        ("event_id", lambda r: r["event_id"]), ("document", lambda r: r["id"]),
        ("published", lambda r: r["source_document"]["published"]), ("outlet", lambda r: r["source_document"]["outlet"]),
        ("date", lambda r: _src(r["date"], "value")), ("date_text", lambda r: _src(r["date"], "text")),
        ("date_precision", lambda r: _src(r["date"], "precision")),
        ("type", lambda r: r["type"]), ("mode", lambda r: r["mode"]), ("actors", lambda r: "|".join(r["actors"])),
        ("targets", lambda r: "|".join(r["targets"])), ("place", lambda r: r["place"]), ("negated", lambda r: r["negated"]),
        ("source", lambda r: _src(r["source"], "text")), ("source_entity", lambda r: _src(r["source"], "entity")),
        ("trigger", lambda r: r["trigger"]), ("incident", lambda r: r["incident"]),
        ("start", lambda r: r["start"]), ("end", lambda r: r["end"]), ("sentence", lambda r: r["sentence"]),
        ("url", lambda r: r["source_document"]["source"]["url"]),
    ],
    "entities": [
        ("id", lambda r: r["id"]), ("name", lambda r: r["name"]), ("name_ar", lambda r: r["name_ar"]),
        ("type", lambda r: r["type"]), ("wikidata", lambda r: r["wikidata"]), ("documents", lambda r: r["documents"]),
        ("mentions", lambda r: r["mentions"]),
    ],
}


def flat(what: str, r: dict) -> list:
    return [get(r) for _, get in COLUMNS[what]]


# ---------------------------------------------------------------------------------------------- writers

def jsonl(items: Iterator[dict]) -> Iterator[str]:
    for r in items:
        yield json.dumps(r, ensure_ascii=False, default=str) + "\n"


def csv_text(what: str, items: Iterator[dict]) -> Iterator[str]:
    """CSV with a byte-order mark and RFC 4180 quoting, a chunk of about 500 rows at a time."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buf.write("\ufeff")
    w.writerow([name for name, _ in COLUMNS[what]])
    for i, r in enumerate(items, 1):
        w.writerow(["" if v is None else v for v in flat(what, r)])
        if i % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _typed(v):
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return v
    if isinstance(v, str) and len(v) > 32_000:
        return v[:32_000] + "…"  # Excel's cell limit is 32,767 characters
    return v


def xlsx(what: str, items: Iterator[dict], fileobj) -> None:
    """An XLSX workbook (write-only: rows go to disk as they come) with a right-to-left sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(what)
    ws.sheet_view.rightToLeft = True
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name, _ in COLUMNS[what]:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    date_cols = {i for i, (name, _) in enumerate(COLUMNS[what]) if name in ("date", "published")}
    for r in items:
        vals = flat(what, r)
        ws.append([_typed(v) if i in date_cols or isinstance(v, str) else v for i, v in enumerate(vals)])
    wb.save(fileobj)


def geojson(store: Store, what: str, items: Iterator[dict]) -> Iterator[str]:
    """A FeatureCollection: events at their place, claims at the place named in their sentence
    nearest the figure (other than the claim's subject), entities that are places at their point."""
    names = _NameCache(store)
    yield '{"type":"FeatureCollection","features":['
    first = True
    texts = _TextCache(store) if what == "claims" else None
    for r in items:
        feat = None
        if what == "events" and r["place"]:
            feat = _feature(names, r["place"], {k: v for k, v in r.items() if k != "source_document"} | {
                "published": r["source_document"]["published"], "outlet": r["source_document"]["outlet"],
                "url": r["source_document"]["source"]["url"], "place_from": "event"})
        elif what == "claims":
            place = texts.place_of(r)
            if place:
                feat = _feature(names, place, {k: v for k, v in r.items() if k != "source_document"} | {
                    "published": r["source_document"]["published"], "outlet": r["source_document"]["outlet"],
                    "url": r["source_document"]["source"]["url"], "place": place, "place_from": "sentence"})
        elif what == "entities" and r["type"] in ("GPE", "LOC"):
            feat = _feature(names, r["id"], dict(r))
        if feat:
            yield ("" if first else ",") + json.dumps(feat, ensure_ascii=False, default=str)
            first = False
    yield "]}\n"


def _feature(names: _NameCache, place: str, props: dict) -> dict | None:
    p = locate(place, names.name_ar(place))
    if p is None:
        return None
    props.update(place_name=p.name, country=p.country, precision=p.precision, geonameid=p.geonameid)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]}, "properties": props}


class _NameCache:
    def __init__(self, store: Store):
        self.store, self.cache = store, {}

    def name_ar(self, eid: str) -> str | None:
        if eid not in self.cache:
            with self.store.engine.connect() as conn:
                self.cache[eid] = conn.execute(sql("SELECT name_ar FROM entities WHERE id = :e"), {"e": eid}).scalar()
        return self.cache[eid]


class _TextCache:
    """Place mentions of the last documents read, to place a claim by its sentence."""

    def __init__(self, store: Store, size: int = 256):
        self.store, self.size, self.docs = store, size, {}

    def _doc(self, doc_id: str):
        if doc_id not in self.docs:
            if len(self.docs) >= self.size:
                self.docs.pop(next(iter(self.docs)))
            with self.store.engine.connect() as conn:
                text = conn.execute(sql("SELECT text FROM documents WHERE id = :d"), {"d": doc_id}).scalar() or ""
                ms = conn.execute(sql(
                    "SELECT m.entity_id, m.start, m.\"end\" FROM mentions m JOIN entities e ON e.id = m.entity_id "
                    "WHERE m.doc_id = :d AND e.type IN ('GPE', 'LOC') ORDER BY m.start"), {"d": doc_id}).all()
            self.docs[doc_id] = (text, ms)
        return self.docs[doc_id]

    def place_of(self, claim: dict) -> str | None:
        text, ms = self._doc(claim["id"])
        sentence = claim["sentence"] or ""
        s0 = text.rfind(sentence, 0, claim["end"] + len(sentence)) if sentence else -1
        if s0 < 0 or not (s0 <= claim["start"] <= s0 + len(sentence)):
            return None
        s1 = s0 + len(sentence)
        near = [(min(abs(m.start - claim["start"]), abs(m.end - claim["end"])), m.entity_id) for m in ms
                if s0 <= m.start and m.end <= s1 and m.entity_id != claim["subject"]]
        return min(near)[1] if near else None


def stream(store: Store, what: str, fmt: str, **filters) -> Iterator[str]:
    """Text exports (jsonl, csv, geojson) as chunks of text; filters are checked before the first chunk."""
    check(what, fmt)
    items = rows(store, what, **filters)
    if fmt == "jsonl":
        return jsonl(items)
    if fmt == "csv":
        return csv_text(what, items)
    if fmt == "geojson":
        return geojson(store, what, items)
    raise query.BadRequest("xlsx is written to a file, not streamed as text")
