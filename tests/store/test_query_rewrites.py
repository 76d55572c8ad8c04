"""The rewritten dashboard queries (migration 0006_dashperf's indexes) give what the plain queries they
replaced gave: each test runs the old, straightforward SQL beside the new query layer on a small store."""

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import text as sql

from rasd.store import analysis, open_store, query
from rasd.store import search as fts

from .bulk import fill


@pytest.fixture
def store(db_url):
    s = open_store(fill(db_url, 24))
    with s.engine.begin() as conn:  # two outlets, so the outlet facet keeps some and drops others
        conn.execute(sql("UPDATE documents SET outlet = CASE WHEN substr(path, 3, 1) IN ('0', '2', '4', '6', '8') "
                         "THEN 'even.example' ELSE 'odd.example' END"))
    yield s
    s.close()


def _rows(store, stmt, **params):
    with store.engine.connect() as conn:
        return conn.execute(sql(stmt), params).all()


def _old_search(store, q, where="", **params):
    """The search as one join of the index and the documents, every filter in its WHERE (SQLite)."""
    return [r.id for r in _rows(
        store, "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
        f"WHERE documents_fts MATCH :q{where} ORDER BY bm25(documents_fts), d.rowid", q=fts._fts5(fts.parse_query(q)), **params)]


FACETS = [
    ({}, ""),
    ({"entity": "north-korea"}, " AND d.id IN (SELECT doc_id FROM mentions WHERE entity_id = :entity)"),
    ({"entity": "russia"}, " AND d.id IN (SELECT doc_id FROM mentions WHERE entity_id = :entity)"),
    ({"outlet": "even.example"}, " AND d.outlet = :outlet"),
    ({"since": "2024-11-10"}, " AND d.published >= :since"),
    ({"type": "MOBILIZE"}, " AND d.id IN (SELECT doc_id FROM events WHERE type = :type)"),
]


@pytest.mark.parametrize(("facet", "where"), FACETS, ids=lambda x: str(x))
@pytest.mark.parametrize("q", ["كوريا", "روسيا", "جندي"])
def test_search_with_facets_finds_and_counts_what_the_plain_join_did(store, q, facet, where):
    if store.dialect != "sqlite":
        pytest.skip("the rewrite is of the SQLite query (PostgreSQL filters in one WHERE as before)")
    want = _old_search(store, q, where, **facet)
    got, cursor = [], None
    while True:  # the whole ranking, page by page, and every page's total
        page = query.search(store, q, limit=3, cursor=cursor, count=True, **facet)
        assert page.total == len(want)
        got += [h["id"] for h in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert got == want
    kw = {("event_type" if k == "type" else k): v for k, v in facet.items()}
    assert fts.count(store, q, **kw) == len(want)  # the count alone (the API's, PostgreSQL's path) agrees
    assert want or facet, "the store should match the query"


def test_a_facet_that_keeps_nothing_counts_zero(store):
    page = query.search(store, "كوريا", outlet="nowhere.example", count=True)
    assert page.items == [] and page.total == 0


def _old_profile(store, eid):
    """The entity page's figures as the plain queries over mentions and documents computed them."""
    surfaces = Counter(r[0] for r in _rows(store, "SELECT text FROM mentions WHERE entity_id = :e", e=eid))
    months = _rows(store, "SELECT substr(coalesce(d.published, d.ingested_at), 1, 7) AS month, count(DISTINCT d.id) FROM mentions m "
                   "JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = :e GROUP BY month ORDER BY month", e=eid)
    days = _rows(store, "SELECT substr(coalesce(d.published, d.ingested_at), 1, 10) AS day, count(*), count(DISTINCT d.id) "
                 "FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE m.entity_id = :e GROUP BY day ORDER BY day", e=eid)
    co = _rows(store, "SELECT e.id, count(DISTINCT m2.doc_id) AS n FROM mentions m1 JOIN mentions m2 ON m2.doc_id = m1.doc_id "
               "JOIN entities e ON e.id = m2.entity_id WHERE m1.entity_id = :e AND m2.entity_id <> :e "
               "GROUP BY e.id ORDER BY n DESC, e.id LIMIT 15", e=eid)
    return {"spellings_seen": dict(surfaces), "mentions_by_month": [{"month": m, "documents": n} for m, n in months],
            "mentions_by_day": [{"day": d, "mentions": m, "documents": n} for d, m, n in days],
            "co_occurring": [(i, n) for i, n in co]}


@pytest.mark.parametrize("eid", ["north-korea", "russia", "city-moscow"])
def test_entity_profile_matches_the_plain_queries(store, eid):
    old, new = _old_profile(store, eid), query.entity(store, eid)
    assert old["mentions_by_day"], "the entity should be in the store"
    assert len(old["spellings_seen"]) <= 20 and new["spellings_seen"] == old["spellings_seen"]
    assert list(new["spellings_seen"].values()) == sorted(new["spellings_seen"].values(), reverse=True)
    assert new["mentions_by_month"] == old["mentions_by_month"]
    assert new["mentions_by_day"] == old["mentions_by_day"]
    assert [(c["id"], c["documents"]) for c in new["co_occurring"]] == old["co_occurring"]
    n_docs = _rows(store, "SELECT count(DISTINCT doc_id) FROM mentions WHERE entity_id = :e", e=eid)[0][0]
    assert new["co_occurring_among"] == {"documents": n_docs, "of": n_docs}  # under the cap: every document


def test_co_occurring_over_a_capped_set_counts_its_sample_and_says_so(store, monkeypatch):
    docs = _rows(store, "SELECT DISTINCT doc_id FROM mentions WHERE entity_id = 'north-korea'")
    ids = sorted(d[0] for d in docs)[:3]  # the sample: the smallest ids
    want = Counter(r.entity_id for r in _rows(
        store, "SELECT DISTINCT doc_id, entity_id FROM mentions WHERE entity_id <> 'north-korea' AND doc_id IN ("
        + ", ".join(f"'{i}'" for i in ids) + ")"))
    co = analysis.co_occurring(store, "north-korea", cap=3)
    assert len(docs) > 3 and {c["id"]: c["documents"] for c in co} == dict(sorted(want.items(), key=lambda kv: (-kv[1], kv[0]))[:15])
    monkeypatch.setattr(analysis, "CO_OCCURRING_DOCUMENTS", 3)
    profile = analysis.entity_profile(store, "north-korea")
    assert profile["co_occurring_among"] == {"documents": 3, "of": len(docs)} and profile["co_occurring"] == co


@pytest.mark.parametrize("eid", ["north-korea", "russia"])
def test_an_entitys_events_are_the_rows_the_filter_keeps_in_listing_order(store, eid):
    every = query.events(store, limit=1000).items
    linked = {r[0] for r in _rows(store, "SELECT event_id FROM event_entities WHERE entity_id = :e", e=eid)}
    want = [e["event_id"] for e in every if e["event_id"] in linked]
    page = query.events(store, entity=eid, limit=2, count=True)
    assert want and page.total == len(want)
    assert [e["event_id"] for e in query.events(store, entity=eid, limit=1000).items] == want
    assert [e["event_id"] for e in analysis.entity_profile(store, eid)["events"]] == want[:50]


def test_counts_without_the_documents_join_match_the_listings(store):
    for outlet in (None, "odd.example"):
        claims = query.claims(store, outlet=outlet, limit=1000).items
        assert claims and analysis.count_claims(store, outlet=outlet) == len(claims)
        events = query.events(store, outlet=outlet, limit=1000).items
        assert events and analysis.count_events(store, outlet=outlet) == len(events)
    place = next(e["place"] for e in query.events(store, limit=1000).items if e["place"])
    at = query.events(store, place=place, limit=1000, count=True)
    assert at.items and at.total == len(at.items) and {e["place"] for e in at.items} == {place}


def test_recent_days_keep_the_window_ending_on_the_newest_day(store):
    every = query.event_days(store)
    days = sorted({r["day"] for r in every})
    assert len(days) >= 5
    recent = query.event_days(store, recent_days=3)
    first = query.recent_window(every, 3)
    assert first == (dt.date.fromisoformat(days[-1]) - dt.timedelta(days=2)).isoformat()  # the newest and two before
    assert recent == [r for r in every if r["day"] >= first] and len(recent) < len(every)
    assert query.event_days(store, recent_days=10_000) == every


def _latest_ranking(store, q, k, where="", **params):
    """The plain join's ranking of only the ``k`` matches stored last (largest rowid), and every match."""
    rows = _rows(store, "SELECT d.id, d.rowid AS r, bm25(documents_fts) AS s FROM documents_fts JOIN documents d "
                 f"ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH :q{where}", q=fts._fts5(fts.parse_query(q)), **params)
    newest = sorted(rows, key=lambda x: -x.r)[:k]
    return [x.id for x in sorted(newest, key=lambda x: (x.s, x.r))], len(rows)


@pytest.mark.parametrize(("facet", "where"), FACETS[:3], ids=lambda x: str(x))
def test_search_ranks_the_latest_matches_and_says_among_how_many(store, facet, where):
    if store.dialect != "sqlite":
        pytest.skip("the ranked window is SQLite's (PostgreSQL ranks every match)")
    k = 4
    want, every = _latest_ranking(store, "كوريا", k, where, **facet)
    assert every > k, "the query should match more than the window"
    got, cursor = [], None
    while True:  # the window's whole ranking, page by page; the pages end with the window
        page = query.search(store, "كوريا", limit=3, cursor=cursor, latest=k, **facet)
        assert page.total == every and page.extra["ranked_among"] == k
        got += [h["id"] for h in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert got == want
    wide = query.search(store, "كوريا", limit=1000, latest=every, **facet)  # a window holding every match
    assert wide.total == every and "ranked_among" not in wide.extra
    assert [h["id"] for h in wide.items] == [h["id"] for h in query.search(store, "كوريا", limit=1000, **facet).items]


@pytest.mark.parametrize("q", ["كوريا", "روسيا"])
def test_search_facet_counts_are_those_of_the_latest_matches(store, q):
    if store.dialect != "sqlite":
        pytest.skip("the facet sample is SQLite's newest matches (PostgreSQL counts every match)")
    k = 5
    rows = _rows(store, "SELECT d.id, d.outlet FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
                 "WHERE documents_fts MATCH :q ORDER BY d.rowid DESC", q=fts._fts5(fts.parse_query(q)))
    sample = rows[:k]
    ids = ", ".join(f"'{r.id}'" for r in sample)
    outlets = Counter(r.outlet for r in sample if r.outlet)
    types = Counter(r[0] for r in _rows(store, f"SELECT DISTINCT doc_id, type FROM events WHERE doc_id IN ({ids})") for r in [r[1:]])
    ents = Counter(r[0] for r in _rows(store, f"SELECT DISTINCT doc_id, entity_id FROM mentions WHERE doc_id IN ({ids})") for r in [r[1:]])
    got = query.search_facets(store, q, sample=k, top=50)
    assert len(rows) > k and got["among"] == k
    assert {x["value"]: x["n"] for x in got["outlet"]} == outlets
    assert {x["value"]: x["n"] for x in got["type"]} == types and types
    # an entity the query names (روسيا is the knowledge base's Russia) is in every match: left out
    named = {e for e in ents if f'"{fts.entity_token(e)}"' in fts._fts5(fts.parse_query(q))}
    assert bool(named) == (q == "روسيا")
    assert {x["value"]: x["n"] for x in got["entity"]} == {e: n for e, n in ents.items() if e not in named}
    assert [x["n"] for x in got["entity"]] == sorted((x["n"] for x in got["entity"]), reverse=True)
    russia = query.search_facets(store, q, sample=k, entity="russia", top=50)  # the filter's entity is left out too
    assert "russia" not in {x["value"] for x in russia["entity"]} and russia["among"] <= k


def test_one_types_days_are_the_filtered_query(store):
    typed = {r["type"] for r in query.event_days(store)}
    for etype in sorted(typed)[:3]:
        want = _rows(store, "SELECT substr(sort_key, 1, 10) AS day, count(*) FROM events WHERE type = :t AND sort_key < '9999' "
                     "GROUP BY day ORDER BY day", t=etype)
        assert [(r["day"], r["events"]) for r in query.event_days(store, type=etype.lower())] == [tuple(r) for r in want]
        assert {r["type"] for r in query.event_days(store, type=etype)} == {etype}
