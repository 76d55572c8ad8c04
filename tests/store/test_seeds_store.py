"""The store issue's acceptance on the user's sample articles (skipped when ../shared is absent)."""

import pytest

from rasd.pipeline import annotate, clean
from rasd.sources.files import read_input
from rasd.store import open_store
from rasd.store.analysis import disagreements, iter_claims, resolve_entity, stats
from rasd.store.ingest import ingest
from rasd.store.search import search


@pytest.fixture
def seeded(db_url, seeds, gold):
    store = open_store(db_url)
    docs = [annotate(clean(read_input(str(seeds / name)))) for name in sorted(gold)]
    ingest(store, docs)
    ingest(store, docs)
    return store


def test_seeds_twice_are_six_documents(seeded):
    assert stats(seeded)["documents"] == 6  # five articles and the embedded one


@pytest.mark.parametrize(
    "query,needle",
    [
        ("بيونجيانج", "بيونغ يانغ"),
        ("بيونغ يانغ", "بيونجيانج"),
        ("كوريا الشمالیة", "كوريا الشمالية"),
        ("وبيونغ يانغ", "بيونغ يانغ"),
        ("صواريخ", "الصواريخ"),
    ],
)
def test_each_spelling_finds_articles_written_with_the_other(seeded, query, needle):
    hits = search(seeded, query, limit=50)
    with seeded.engine.connect() as conn:
        from sqlalchemy import text

        texts = dict(conn.execute(text("SELECT id, text FROM documents")).all())
    holders = {i for i, t in texts.items() if needle in t}
    assert holders and holders <= {h.id for h in hits}


def test_troop_claims_and_their_disagreements(seeded):
    nk = resolve_entity(seeded, "North Korea")
    series = list(iter_claims(seeded, subject=nk, unit="troops"))
    assert len(series) >= 5
    assert all(c["source_document"]["source"]["path"] for c in series)
    assert any(c["source"] for c in series)
    figures = [d for d in disagreements(seeded, subject=nk, unit="troops") if d["kind"] == "figures"]
    assert any({(s["value"], s["low"], s["high"]) for s in d["sides"]} == {(3000, None, None), (None, 10000, 12000)}
               for d in figures)


def test_the_seeds_container_figures_disagree(seeded):
    nk = resolve_entity(seeded, "North Korea")
    figures = [d for d in disagreements(seeded, subject=nk, unit="containers") if d["kind"] == "figures"]
    assert any({(s["value"], s["qualifier"]) for s in d["sides"]} >= {(13000, "more_than")}
               and any(s["value"] == 7000 for s in d["sides"]) for d in figures)
