"""Saved searches (alerts) over HTTP: /api/v1/alerts and /alerts/{id}/hits, on SQLite and PostgreSQL."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from store.bulk import documents, fill

from rasd.monitor.alerts import alert_log, list_alerts, run_alerts
from rasd.pipeline import extract_text
from rasd.serve import create_app
from rasd.store import open_store
from rasd.store import schema as t
from rasd.store.ingest import ingest

from .test_api import TOKEN, is_problem

AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY = "جندي كورسك"  # in every bulk article's added sentence
NEW_STORY = "موسكو\nأعلنت وزارة الدفاع يوم الجمعة أن 450 جندي انتشروا قرب كورسك بعد قصف مدفعي استمر ليلتين.\n"


@pytest.fixture
def db(db_url):
    return fill(db_url, 6)


@pytest.fixture
def client(db):
    with TestClient(create_app(db, TOKEN)) as c:
        yield c


def _new_documents(db, docs) -> set[str]:
    """Ingest the documents (as rasd ingest does), then run the alerts as rasd alerts run does;
    the story ids of the new documents."""
    s = open_store(db)
    try:
        ingest(s, docs)
        run = run_alerts(s, None)
        assert not run.errors, run.errors
        with s.engine.connect() as conn:
            return set(conn.execute(select(t.documents.c.story_id).where(t.documents.c.id.in_([d.id for d in docs]))).scalars())
    finally:
        s.close()


def test_create_list_get_and_delete(client, db):
    assert client.get("/api/v1/alerts").json() == {"items": [], "next_cursor": None}
    r = client.post("/api/v1/alerts", json={"name": "troops", "query": QUERY, "event_type": "assault", "digest": "daily"},
                    headers=AUTH)
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["name"] == "troops" and a["query"] == QUERY and a["event_type"] == "ASSAULT" and a["digest"] == "daily"
    assert a["deliver"] == "log" and a["hits"] == 0 and r.headers["location"] == f"/api/v1/alerts/{a['id']}"
    assert client.get(r.headers["location"]).json() == a
    assert client.get("/api/v1/alerts/troops").json() == a  # by name too, as the CLI takes NAME|ID
    listed = client.get("/api/v1/alerts").json()
    s = open_store(db)
    assert listed["items"] == [a] == json.loads(json.dumps(list_alerts(s)))  # what rasd alerts list --json shows
    s.close()
    assert client.delete(f"/api/v1/alerts/{a['id']}", headers=AUTH).json() == a
    assert client.get("/api/v1/alerts").json()["items"] == []
    is_problem(client.get(f"/api/v1/alerts/{a['id']}"), 404)


def test_writes_need_the_token(client, db):
    body = {"name": "x", "query": QUERY}
    is_problem(client.post("/api/v1/alerts", json=body), 401)
    is_problem(client.post("/api/v1/alerts", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    with TestClient(create_app(db, None)) as no_token:
        is_problem(no_token.post("/api/v1/alerts", json=body, headers=AUTH), 403)
    aid = client.post("/api/v1/alerts", json=body, headers=AUTH).json()["id"]
    is_problem(client.delete(f"/api/v1/alerts/{aid}"), 401)
    with TestClient(create_app(db, None)) as no_token:
        is_problem(no_token.delete(f"/api/v1/alerts/{aid}", headers=AUTH), 403)
    assert [a["id"] for a in client.get("/api/v1/alerts").json()["items"]] == [aid]


@pytest.mark.parametrize("body,word", [
    ({"query": QUERY}, "name"), ({"name": "x"}, "query"), ({"name": "  ", "query": QUERY}, "name"),
    ({"name": "x", "query": '"'}, ""), ({"name": "x", "query": "OR"}, ""),
    ({"name": "x", "query": QUERY, "file": "/tmp/a.jsonl", "webhook": "https://hooks.example/a"}, "not both"),
    ({"name": "x", "query": QUERY, "digest": "weekly"}, "digest"),
    ({"name": "x", "query": QUERY, "event_type": "PICNIC"}, "event type"),
    ({"name": "x", "query": QUERY, "entity": "Nobody Atall"}, "entity"),
    ({"name": "x", "query": QUERY, "webhook": "http://127.0.0.1:9/hook"}, "webhook"),
    ({"name": "x", "query": QUERY, "webhook": "file:///etc/passwd"}, "webhook"),
    ({"name": "x", "query": QUERY, "event-type": "ASSAULT"}, "event-type"),  # misspelt: refused, not dropped
    ({"name": 3, "query": QUERY}, "name"),
])
def test_bad_bodies_are_400(client, body, word):
    detail = is_problem(client.post("/api/v1/alerts", json=body, headers=AUTH), 400)["detail"]
    assert word in detail
    assert client.get("/api/v1/alerts").json()["items"] == []


@pytest.mark.parametrize("name", ["/tmp/a.jsonl", "../a.jsonl", "sub/a.jsonl", ".bashrc", "..", "a\\b.jsonl"])
def test_a_file_over_http_is_a_plain_name_in_the_alerts_folder(db, tmp_path, name):
    """A token must not let a client append to any file on the server (~/.bashrc, /etc/...)."""
    with TestClient(create_app(db, TOKEN)) as no_folder:  # no --alerts-dir: file delivery is refused
        assert "alerts-dir" in is_problem(no_folder.post("/api/v1/alerts", json={"name": "x", "query": QUERY, "file": "a.jsonl"},
                                                         headers=AUTH), 400)["detail"]
    folder = tmp_path / "hits"
    folder.mkdir()
    with TestClient(create_app(db, TOKEN, alerts_dir=str(folder))) as c:
        is_problem(c.post("/api/v1/alerts", json={"name": "x", "query": QUERY, "file": name}, headers=AUTH), 400)
        assert c.get("/api/v1/alerts").json()["items"] == []
        a = c.post("/api/v1/alerts", json={"name": "y", "query": QUERY, "file": "hits.jsonl"}, headers=AUTH).json()
        assert a["deliver"] == "file" and a["file"] == str(folder.resolve() / "hits.jsonl")


def test_a_second_alert_of_the_same_name_is_refused(client):
    assert client.post("/api/v1/alerts", json={"name": "x", "query": QUERY}, headers=AUTH).status_code == 201
    assert "exists" in is_problem(client.post("/api/v1/alerts", json={"name": "x", "query": "كورسك"}, headers=AUTH), 400)["detail"]


def test_hits_after_an_ingest_once_per_story_and_paged(client, db):
    a = client.post("/api/v1/alerts", json={"name": "troops", "query": QUERY}, headers=AUTH).json()
    other = client.post("/api/v1/alerts", json={"name": "none", "query": "بطريق"}, headers=AUTH).json()
    assert client.get(f"/api/v1/alerts/{a['id']}/hits").json() == {"items": [], "next_cursor": None}
    stories = _new_documents(db, documents(6, 14))
    assert len(stories) >= 3
    body = client.get(f"/api/v1/alerts/{a['id']}/hits", params={"count": "true"}).json()
    hits = body["items"]
    # the archive (documents ingested before the alert) does not fire; each new story fires once
    assert body["total"] == len(hits) == len(stories) and {h["story"] for h in hits} == stories
    assert all(h["alert_id"] == a["id"] and h["document"] and h["snippet"] for h in hits)
    assert client.get(f"/api/v1/alerts/{other['id']}/hits").json()["items"] == []
    assert client.get(f"/api/v1/alerts/{a['id']}").json()["hits"] == len(stories)
    s = open_store(db)
    assert hits == json.loads(json.dumps(alert_log(s, a["id"], None)))  # what rasd alerts log --json shows
    s.close()

    # pages of one: every hit once, in the same order, also while new hits fire between pages
    seen, cursor = [], None
    while True:
        page = client.get(f"/api/v1/alerts/{a['id']}/hits", params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["items"]) <= 1
        seen += page["items"]
        if len(seen) == 1:  # a new story fires between pages: it is newer, so before the walk, not in it
            fresh = _new_documents(db, [extract_text(NEW_STORY, published="2024-11-30", path="new.txt")])
            assert fresh.isdisjoint(stories)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [h["id"] for h in seen] == [h["id"] for h in hits]
    assert [h["story"] for h in client.get(f"/api/v1/alerts/{a['id']}/hits").json()["items"]] == [*fresh, *(h["story"] for h in hits)]

    # the same documents again fire nothing new (no second hit per story)
    _new_documents(db, documents(6, 14))
    assert client.get(f"/api/v1/alerts/{a['id']}/hits", params={"count": "true"}).json()["total"] == len(stories) + 1


@pytest.mark.parametrize("url,status", [
    ("/api/v1/alerts/999", 404), ("/api/v1/alerts/999/hits", 404), ("/api/v1/alerts/nobody/hits", 404),
    ("/api/v1/alerts/1/hits?limit=0", 400), ("/api/v1/alerts/1/hits?limit=1001", 400),
    ("/api/v1/alerts/1/hits?cursor=not-a-cursor", 400),
])
def test_user_errors_are_problem_details(client, url, status):
    assert client.post("/api/v1/alerts", json={"name": "x", "query": QUERY}, headers=AUTH).json()["id"] == 1
    is_problem(client.get(url), status)


def test_unknown_alert_delete_is_404_and_a_cursor_of_another_alert_is_refused(client, db):
    is_problem(client.delete("/api/v1/alerts/999", headers=AUTH), 404)
    ids = [client.post("/api/v1/alerts", json={"name": n, "query": QUERY}, headers=AUTH).json()["id"] for n in ("a", "b")]
    _new_documents(db, documents(6, 14))
    cursor = client.get(f"/api/v1/alerts/{ids[0]}/hits", params={"limit": 1}).json()["next_cursor"]
    assert cursor
    assert "cursor" in is_problem(client.get(f"/api/v1/alerts/{ids[1]}/hits", params={"cursor": cursor}), 400)["detail"]
    cursor = client.get("/api/v1/claims", params={"limit": 1}).json()["next_cursor"]
    is_problem(client.get(f"/api/v1/alerts/{ids[0]}/hits", params={"cursor": cursor}), 400)
