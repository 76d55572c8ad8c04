import pytest

from rasd.errors import RasdError
from rasd.pipeline import extract_text
from rasd.store import open_store
from rasd.store.analysis import disagreements, incidents, iter_claims, resolve_entity, stats, stories
from rasd.store.ingest import ingest
from rasd.store.search import QueryError, search

from .corpus import ARTICLES


def docs(published="2024-11-06"):
    return [extract_text(body, published=published, path=name) for name, body in ARTICLES.items()]


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    ingest(s, docs())
    yield s
    s.close()


def paths(hits):
    return sorted(h.source["path"] for h in hits)


def test_ingest_is_idempotent(db_url):
    s = open_store(db_url)
    first = ingest(s, docs())
    again = ingest(s, docs())
    assert first.stored == 4 and again.stored == 0 and again.skipped == 4
    assert stats(s)["documents"] == 4


def test_a_crash_mid_batch_loses_nothing_committed_and_a_rerun_completes(db_url):
    s = open_store(db_url)
    all_docs = docs()

    def crashing():
        yield from all_docs[:3]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(s, crashing(), batch_size=2)
    assert stats(s)["documents"] == 2  # the first batch committed, the second rolled back whole
    ingest(s, all_docs, batch_size=2)
    fresh = open_store(db_url.replace("rasd.db", "fresh.db")) if "rasd.db" in db_url else None
    assert stats(s)["documents"] == 4
    if fresh is not None:
        ingest(fresh, docs())
        assert {k: v for k, v in stats(s).items()} == {k: v for k, v in stats(fresh).items()}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("بيونجيانج", {"a.txt", "a_rewrite.txt"}),  # joined ج spelling finds بيونغ يانغ
        ("وبيونغ يانغ", {"a.txt", "a_rewrite.txt"}),  # a clitic does not hide the name
        ("كوريا الشمالیة", {"a.txt", "a_rewrite.txt", "b.txt", "c.txt"}),  # Persian ya
        ("الصواريخ", {"a.txt", "a_rewrite.txt"}),  # finds بصواريخ (not صاروخا: no root stemming)
        ("الطائرات المسيرة", {"b.txt"}),
        ('"ضبط النفس"', {"c.txt"}),
        ("كورسك OR بكين", {"a.txt", "a_rewrite.txt", "c.txt"}),
        ("جندي -الأمريكية", {"a.txt", "a_rewrite.txt"}),
    ],
)
def test_search_variants(store, query, expected):
    assert set(paths(search(store, query))) == expected


def test_search_results_carry_snippets_scores_and_filters(store):
    hits = search(store, "كورسك")
    assert hits and all("[" in h.snippet for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)
    china = resolve_entity(store, "China")
    assert paths(search(store, "كوريا الشمالية", entity=china)) == ["c.txt"]
    assert search(store, "كوريا", since="2030-01-01") == []
    assert paths(search(store, "كوريا", event_type="REJECT")) == ["a.txt", "a_rewrite.txt"]


@pytest.mark.parametrize("query", ['"غير مغلق', "OR كوريا", "-كوريا", "   "])
def test_bad_queries_raise_one_clear_error(store, query):
    with pytest.raises(QueryError, match="bad query"):
        search(store, query)


def test_rewritten_wire_story_is_one_story(store):
    groups = [sorted(d["source"]["path"] for d in s["documents"]) for s in stories(store)]
    assert ["a.txt", "a_rewrite.txt"] in groups
    assert ["b.txt"] in groups and ["c.txt"] in groups


def test_claim_series_and_figure_disagreements(store):
    nk = resolve_entity(store, "North Korea")
    series = list(iter_claims(store, subject=nk, unit="troops"))
    assert {(c["value"], c["qualifier"]) for c in series} >= {(3000, "about"), (10000, "more_than")}
    # "about 3,000 additional troops" is an increment, which a total of "more than 10,000" does not contradict
    assert [d for d in disagreements(store, subject=nk, unit="troops") if d["kind"] == "figures"] == []


def test_denied_events_are_flagged(store):
    denials = [d for d in disagreements(store) if d["kind"] == "denial"]
    assert denials
    assert all({"russia", "north-korea"} <= set(d["denied_by"]) for d in denials)
    assert all(side["sentence"] and side["source_document"]["source"]["path"] for d in denials for side in d["sides"])


def test_the_same_event_from_two_outlets_is_one_incident(store):
    merged = [i for i in incidents(store) if i["type"] == "REJECT"]
    assert len(merged) == 1
    assert sorted(d["source"]["path"] for d in merged[0]["documents"]) == ["a.txt", "a_rewrite.txt"]


def test_unknown_entity_is_a_clear_error(store):
    with pytest.raises(RasdError, match="unknown entity"):
        resolve_entity(store, "Nobody Atall")


def test_missing_sqlite_database_is_not_created_for_reading(tmp_path):
    with pytest.raises(RasdError, match="no database"):
        open_store(str(tmp_path / "nothing.db"), create=False)
