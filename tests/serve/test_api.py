"""The HTTP API through FastAPI's TestClient, on SQLite and PostgreSQL."""

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from store.bulk import article, fill

from rasd.serve import create_app
from rasd.store import open_store, query

TOKEN = "s3cret-token"


@pytest.fixture
def db(db_url):
    return fill(db_url, 12)


@pytest.fixture
def client(db):
    with TestClient(create_app(db, TOKEN)) as c:
        yield c


def is_problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


LISTS = ["documents", "entities", "claims", "events", "incidents", "stories", "disagreements"]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_is_a_cursor_page(client, name):
    r = client.get(f"/api/v1/{name}", params={"limit": 2, "count": "true"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"items", "next_cursor", "total"} and len(body["items"]) <= 2
    if body["total"] > 2:
        nxt = client.get(f"/api/v1/{name}", params={"limit": 2, "cursor": body["next_cursor"], "count": "true"}).json()
        assert nxt["items"] and nxt["items"] != body["items"]


def test_cli_and_api_give_the_same_claims(client, db):
    api = client.get("/api/v1/claims", params={"subject": "North Korea", "unit": "troops", "limit": 1000}).json()["items"]
    store = open_store(db)
    lib = query.claims(store, subject="North Korea", unit="troops", limit=1000).items
    store.close()
    assert api and api == json.loads(json.dumps(lib))


def test_pages_follow_to_every_row_once_while_documents_are_posted(client):
    before = {c["claim_id"] for c in client.get("/api/v1/claims", params={"limit": 1000}).json()["items"]}
    seen, cursor, i = [], None, 100
    while True:
        body = client.get("/api/v1/claims", params={"limit": 5, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["claim_id"] for c in body["items"]]
        name, text = article(i)
        i += 1
        assert client.post("/api/v1/documents", json={"text": text, "published": "2024-11-20"},
                           headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and before <= set(seen)


def test_filters(client):
    ev = client.get("/api/v1/events", params={"limit": 1000}).json()["items"]
    t = ev[0]["type"]
    assert {e["type"] for e in client.get("/api/v1/events", params={"type": t, "limit": 1000}).json()["items"]} == {t}
    actor = next(a for e in ev for a in e["actors"])
    assert all(actor in e["actors"] for e in client.get("/api/v1/events", params={"actor": actor}).json()["items"])
    inc = client.get("/api/v1/incidents", params={"type": t, "limit": 1000}).json()["items"]
    assert inc and {i["type"] for i in inc} == {t} and all(i["reports"] == len(i["documents"]) for i in inc)
    docs = client.get("/api/v1/documents", params={"entity": "China", "limit": 1000}).json()["items"]
    assert docs and len(docs) < len(client.get("/api/v1/documents", params={"limit": 1000}).json()["items"])
    q = client.get("/api/v1/documents", params={"q": "الصين", "since": "2024-11-01", "count": "true"}).json()
    assert q["total"] == len(docs)
    cl = client.get("/api/v1/claims", params={"unit": "troops", "since": "2024-11-05", "until": "2024-11-09"}).json()["items"]
    assert cl and all(c["unit"] == "troops" for c in cl)
    st = client.get("/api/v1/stories", params={"min_documents": 2}).json()["items"]
    assert st and all(len(s["documents"]) >= 2 for s in st)


def test_search_is_ranked_with_snippets_and_counts(client):
    body = client.get("/api/v1/search", params={"q": "جندي", "limit": 3}).json()
    assert body["total"] > 3 and len(body["items"]) == 3 and body["next_cursor"]
    assert all("[" in h["snippet"] for h in body["items"])
    scores = [h["score"] for h in body["items"]]
    assert scores == sorted(scores, reverse=True)
    without = client.get("/api/v1/search", params={"q": "كوريا", "not": "الصين"}).json()["total"]
    inline = client.get("/api/v1/search", params={"q": "كوريا -الصين"}).json()["total"]
    assert without == inline < client.get("/api/v1/search", params={"q": "كوريا"}).json()["total"]


def test_document_and_entity_pages(client):
    doc_id = client.get("/api/v1/documents", params={"limit": 1}).json()["items"][0]["id"]
    d = client.get(f"/api/v1/documents/{doc_id}").json()
    assert d["id"] == doc_id and d["text"] and d["entities"] and d["claims"] and d["events"]
    assert all(d["text"][m["start"]:m["end"]] == m["text"] for e in d["entities"] for m in e["mentions"])
    e = client.get("/api/v1/entities/north-korea").json()
    assert e["id"] == "north-korea" and e["aliases"] and e["spellings_seen"] and e["mentions_by_day"]
    assert client.get("/api/v1/entities/كوريا الشمالية").json()["id"] == "north-korea"
    stats = client.get("/api/v1/stats").json()
    assert stats["documents"] == 12


@pytest.mark.parametrize("url,status", [
    ("/api/v1/claims?since=last%20week", 400), ("/api/v1/events?until=2024-13-45", 400),
    ("/api/v1/claims?cursor=not-a-cursor", 400), ("/api/v1/claims?limit=0", 400), ("/api/v1/claims?limit=1001", 400),
    ("/api/v1/search?q=%22", 400), ("/api/v1/search?q=*", 400), ("/api/v1/search?q=OR", 400),
    ("/api/v1/search?q=%D9%83%D9%88%D8%B1%D9%8A%D8%A7%20OR", 400), ("/api/v1/search", 400),
    ("/api/v1/search?q=" + "x%20" * 400, 400), ("/api/v1/claims?subject=Nobody%20Atall", 400),
    ("/api/v1/documents/0000000000", 404), ("/api/v1/entities/nobody-atall", 404), ("/api/v1/nothing-here", 404),
    ("/api/v1/export/documents.geojson", 400), ("/api/v1/export/claims.pdf", 400), ("/api/v1/export/votes.csv", 400),
    ("/api/v1/export/claims.csv?actor=Russia", 400), ("/api/v1/incidents?min_reports=0", 400),
])
def test_user_errors_are_problem_details(client, url, status):
    is_problem(client.get(url), status)


def test_a_cursor_from_another_listing_is_refused(client):
    cursor = client.get("/api/v1/claims", params={"limit": 1}).json()["next_cursor"]
    body = is_problem(client.get("/api/v1/events", params={"cursor": cursor}), 400)
    assert "cursor" in body["detail"]


def test_writes_need_the_token(client, db):
    _, text = article(200)
    is_problem(client.post("/api/v1/documents", json={"text": text}), 401)
    is_problem(client.post("/api/v1/documents", json={"text": text}, headers={"Authorization": "Bearer wrong"}), 401)
    is_problem(client.post("/api/v1/documents", json={"text": text}, headers={"Authorization": TOKEN}), 401)
    with TestClient(create_app(db, None)) as no_token:
        is_problem(no_token.post("/api/v1/documents", json={"text": text}, headers={"Authorization": "Bearer x"}), 403)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/v1/documents", json={"text": text, "published": "2024-11-30", "url": "https://example.org/a"}, headers=auth)
    assert r.status_code == 201 and r.json()["stored"]
    again = client.post("/api/v1/documents", json={"text": text}, headers=auth)
    assert again.status_code == 200 and again.json() == {**r.json(), "stored": False}
    doc = client.get(f"/api/v1/documents/{r.json()['id']}").json()
    assert doc["published"] == "2024-11-30" and doc["source"]["url"] == "https://example.org/a"
    for bad in ({}, {"text": "a", "html": "<p>a</p>"}, {"text": "   "}, {"text": text, "published": "soon"}, {"text": 3}):
        is_problem(client.post("/api/v1/documents", json=bad, headers=auth), 400)


def test_a_posted_document_is_stored_as_rasd_ingest_stores_it(client, tmp_path):
    from click.testing import CliRunner

    from rasd.cli import main

    _, text = article(300)
    html = f"<html><head><title>t</title></head><body><article><p>{text.replace(chr(10), '</p><p>')}</p></article></body></html>"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    other = str(tmp_path / "other.db")
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.html"), "--db", other, "--published", "2024-11-30"])
    assert res.exit_code == 0, res.output
    posted = client.post("/api/v1/documents", json={"html": html, "published": "2024-11-30"},
                         headers={"Authorization": f"Bearer {TOKEN}"}).json()
    s = open_store(other)
    ingested = query.document(s, posted["id"])  # same id: the same text was stored
    s.close()
    got = client.get(f"/api/v1/documents/{posted['id']}").json()
    for k in ("source", "ingested_at", "story"):
        got.pop(k), ingested.pop(k)
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("claim_id", "event_id", "incident", "source_document")} for r in rows]  # noqa: E731
    for k in ("claims", "events"):
        got[k], ingested[k] = strip(got[k]), strip(ingested[k])
    assert got == json.loads(json.dumps(ingested))


def test_exports_over_http(client):
    r = client.get("/api/v1/export/claims.csv", params={"unit": "troops"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows and {x["unit"] for x in rows} == {"troops"}
    lines = client.get("/api/v1/export/events.jsonl").text.splitlines()
    assert len(lines) == client.get("/api/v1/events", params={"count": "true"}).json()["total"]
    fc = client.get("/api/v1/export/events.geojson").json()
    assert fc["type"] == "FeatureCollection" and fc["features"]
    openpyxl = pytest.importorskip("openpyxl")
    x = client.get("/api/v1/export/documents.xlsx")
    assert x.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert ws.sheet_view.rightToLeft and ws.max_row == 13


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ["/api/v1/documents", "/api/v1/documents/{doc_id}", "/api/v1/search", "/api/v1/entities",
                 "/api/v1/entities/{entity_id}", "/api/v1/claims", "/api/v1/events", "/api/v1/stories",
                 "/api/v1/incidents", "/api/v1/disagreements", "/api/v1/stats", "/api/v1/export/{name}"]:
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/documents"]
    html = client.get("/docs").text
    assert "/openapi.json" in html and "//cdn" not in html and "https://" not in html.split("<body>")[1].split("SwaggerUIBundle(")[0]
    for asset in ("/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css"):
        assert client.get(asset).status_code == 200
    assert client.get("/").status_code == 404  # left free for the dashboard


def test_one_log_line_per_request(client, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="rasd.serve"):
        client.get("/api/v1/stats")
        client.get("/api/v1/claims", params={"since": "bad"})
    lines = [r.getMessage() for r in caplog.records if r.name == "rasd.serve"]
    assert len(lines) == 2 and '"GET /api/v1/stats" 200' in lines[0] and " 400 " in lines[1]
