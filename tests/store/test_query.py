"""The query layer under the CLI and the API: pages, cursors, counts and filters."""

import pytest

from rasd.store import open_store, query
from rasd.store.ingest import ingest
from rasd.store.search import MAX_QUERY_CHARS, QueryError, parse_query

from .bulk import documents, fill


@pytest.fixture
def store(db_url):
    s = open_store(fill(db_url, 24))
    yield s
    s.close()


LISTINGS = {
    "documents": (lambda s, **kw: query.documents(s, **kw), lambda r: r["id"]),
    "claims": (lambda s, **kw: query.claims(s, **kw), lambda r: r["claim_id"]),
    "events": (lambda s, **kw: query.events(s, **kw), lambda r: r["event_id"]),
    "incidents": (lambda s, **kw: query.incidents(s, **kw), lambda r: r["incident"]),
    "stories": (lambda s, **kw: query.stories(s, **kw), lambda r: r["story"]),
    "entities": (lambda s, **kw: query.entities(s, sort="id", **kw), lambda r: r["id"]),
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_cursor_walk_returns_every_row_exactly_once_while_documents_arrive(store, name):
    listing, key = LISTINGS[name]
    before = {key(r) for r in listing(store, limit=1000).items}
    assert len(before) >= 3
    seen, cursor, added = [], None, 24
    while True:
        page = listing(store, limit=2, cursor=cursor)
        seen += [key(r) for r in page.items]
        ingest(store, documents(added, added + 1))  # a writer adds a document between pages
        added += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)), "a row came twice"
    assert before <= set(seen), "a row that was there all along was skipped"


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_total_is_the_number_matched_not_the_page(store, name):
    listing, _ = LISTINGS[name]
    everything = listing(store, limit=1000).items
    page = listing(store, limit=2, count=True)
    assert len(page.items) == 2 and page.total == len(everything) and page.next_cursor


def test_offset_and_limit(store):
    every = [c["claim_id"] for c in query.claims(store, limit=1000).items]
    assert [c["claim_id"] for c in query.claims(store, limit=4, offset=3).items] == every[3:7]


def test_claims_filters(store):
    troops = query.claims(store, unit="troops", subject="North Korea", limit=1000, count=True)
    assert troops.items and all(c["unit"] == "troops" and c["subject"] == "north-korea" for c in troops.items)
    assert troops.total == len(troops.items)
    nov = query.claims(store, since="2024-11-10", until="2024-11-12", limit=1000).items
    assert nov and all("2024-11-10" <= (c["date"] or {}).get("value") or c["source_document"]["published"] for c in nov)
    assert all(((c["date"] or {}).get("value") or c["source_document"]["published"])[:10] <= "2024-11-12" for c in nov)


def test_incidents_honour_type_dates_and_limit(store):
    every = query.incidents(store, limit=1000).items
    types = {i["type"] for i in every}
    assert len(types) >= 2
    one = sorted(types)[0]
    only = query.incidents(store, type=one, limit=1000, count=True)
    assert only.items and {i["type"] for i in only.items} == {one} and only.total == len(only.items)
    dated = [i for i in every if i["date"]]
    if dated:
        d = dated[0]["date"][:10]
        assert all(i["date"] and i["date"][:10] >= d for i in query.incidents(store, since=d, limit=1000).items)
    assert len(query.incidents(store, limit=1).items) == 1
    multi = query.incidents(store, min_reports=2, limit=1000).items
    assert all(i["reports"] >= 2 for i in multi)


def test_events_filters(store):
    every = query.events(store, limit=1000).items
    actor = next(a for e in every for a in e["actors"])
    assert all(actor in e["actors"] for e in query.events(store, actor=actor, limit=1000).items)
    t = every[0]["type"]
    assert {e["type"] for e in query.events(store, type=t.lower(), limit=1000).items} == {t}


def test_search_counts_all_matches_and_pages_through_them(store):
    page = query.search(store, "كوريا", limit=5)
    assert page.total > 5 and len(page.items) == 5
    ids = [h["id"] for h in page.items]
    while page.next_cursor:
        page = query.search(store, "كوريا", limit=5, cursor=page.next_cursor)
        ids += [h["id"] for h in page.items]
    assert len(ids) == len(set(ids)) == query.search(store, "كوريا", limit=1).total


def test_search_excluded_terms(store):
    every = query.search(store, "كوريا", limit=1000).total
    without = query.search(store, "كوريا", exclude=("الصين",), limit=1000)
    inline = query.search(store, "كوريا -الصين", limit=1000)
    china = query.search(store, "كوريا الصين", limit=1000).total
    assert china and without.total == inline.total == every - china


def test_query_length_is_capped():
    with pytest.raises(QueryError, match="too long"):
        parse_query("كلمة " * (MAX_QUERY_CHARS // 4))
    with pytest.raises(QueryError, match="too long"):
        parse_query(" ".join(f"w{i}" for i in range(60)))


@pytest.mark.parametrize("kw", [{"cursor": "garbage!"}, {"cursor": "eyJrIjoiY2xhaW1zIn0"}, {"limit": 0}, {"limit": 1001},
                                {"since": "yesterday"}, {"offset": -1}, {"subject": "Nobody Atall"}])
def test_bad_requests(store, kw):
    with pytest.raises(query.BadRequest):
        query.claims(store, **kw)


def test_a_cursor_belongs_to_its_listing_and_filters(store):
    cursor = query.claims(store, limit=1).next_cursor
    with pytest.raises(query.BadRequest, match="another listing or other filters"):
        query.events(store, cursor=cursor)
    with pytest.raises(query.BadRequest, match="another listing or other filters"):
        query.claims(store, unit="troops", cursor=cursor)


@pytest.mark.parametrize("q", ['"', "*", "OR", "كوريا OR", 'كوريا "', "-كوريا"])
def test_search_syntax_errors_are_bad_requests(store, q):
    with pytest.raises(query.BadRequest):
        query.search(store, q)


def test_unknown_ids_are_not_found(store):
    with pytest.raises(query.NotFound):
        query.document(store, "0" * 20)
    with pytest.raises(query.NotFound):
        query.entity(store, "Nobody Atall")


def test_document_has_everything_with_offsets(store):
    doc_id = query.documents(store, limit=1).items[0]["id"]
    d = query.document(store, doc_id)
    assert d["text"] and d["entities"] and d["claims"]
    for e in d["entities"]:
        for m in e["mentions"]:
            assert d["text"][m["start"]:m["end"]] == m["text"]
    for c in d["claims"]:
        assert c["id"] == doc_id and c["sentence"] in d["text"]


def test_documents_filters(store):
    every = query.documents(store, limit=1000).items
    assert [d["published"] for d in every] == sorted((d["published"] for d in every), reverse=True)
    china = query.documents(store, q="الصين", limit=1000, count=True)
    assert 0 < china.total < len(every)
    russia = query.documents(store, entity="Russia", since="2024-11-05", until="2024-11-06", limit=1000).items
    assert russia and all("2024-11-05" <= d["published"][:10] <= "2024-11-06" for d in russia)


def test_co_occurring_entities_count_documents_not_mention_pairs(db_url):
    """Two mentions of each name in one article are one shared document, as the entity page says."""
    from rasd.pipeline import extract_text
    from rasd.store.analysis import entity_profile

    s = open_store(db_url)
    texts = ["التقى بوتين في موسكو مع كيم جونغ أون، وقال بوتين إن موسكو ترحب بكيم جونغ أون.",
             "وصل كيم جونغ أون إلى موسكو يوم الثلاثاء.",
             "أعلنت بكين يوم الأحد أن الصين تدعم الحوار."]
    ingest(s, [extract_text(x, published="2024-06-1" + str(i), path=f"co{i}.txt") for i, x in enumerate(texts)])
    co = {c["id"]: c["documents"] for c in entity_profile(s, "city-moscow")["co_occurring"]}
    s.close()
    assert co.get("kim-jong-un") == 2 and "city-beijing" not in co and "city-moscow" not in co
