"""A search query's knowledge base (rasd.store.query_kb: only the forms in its words, from a cache
file) finds the very names the whole knowledge base finds in the same words."""

import random

import pytest

from rasd.annotate.entities import gazetteer_candidates, scan_text
from rasd.kb import cache
from rasd.kb.knowledge_base import build_knowledge_base, knowledge_base
from rasd.model import Document
from rasd.store import query_kb as q


def _found(text: str, kb) -> list[tuple]:
    doc = Document(text=text)
    scanned = scan_text(doc)
    if kb is None:
        kb = q.query_kb(scanned)
        if kb.automaton is None:
            return []
    return [(c.start, c.end, c.entity, c.kind) for c in gazetteer_candidates(doc, scanned, kb)]


def _queries(n: int) -> list[str]:
    rng = random.Random(7)
    names = sorted(knowledge_base().forms)
    fillers = ["وزير", "الخارجية", "قال", "في", "و", "صواريخ", "الشمالية", "مع", "الرئيس"]
    out = ["بيونغ يانغ", "وبيونغ يانغ روسيا", "كوريا الشمالیة", "الرئيس الروسي فلاديمير بوتين", "صواريخ", "لا شيء هنا"]
    for _ in range(n):
        words = rng.sample(names, rng.randint(1, 3)) + rng.sample(fillers, rng.randint(0, 2))
        rng.shuffle(words)
        out.append(" ".join(rng.choice(["", "و", "ب", "ل"]) + w for w in words))
    return out


def test_the_same_names_as_the_whole_knowledge_base(fresh_cache):
    whole = build_knowledge_base()
    queries = _queries(300)
    found_any = 0
    for text in queries:
        want = _found(text, whole)
        assert _found(text, None) == want, text
        found_any += bool(want)
    assert found_any > 200
    assert list(fresh_cache.glob("kb-*.marshal"))  # written on first use
    cache.clear()
    for text in queries[:50]:  # and read back from the file
        assert _found(text, None) == _found(text, whole), text


def test_without_a_writable_cache_the_whole_knowledge_base(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RASD_CACHE", str(blocker / "cache"))
    cache.clear()
    try:
        assert q.query_kb("روسيا") is knowledge_base()
    finally:
        cache.clear()


def test_entities_made_on_look_up_behave_as_the_whole_dict(fresh_cache):
    whole = knowledge_base().entities
    lazy = cache.entities()
    some = sorted(whole)[::97]
    assert all(lazy[e] == whole[e] for e in some)
    assert lazy.get("no-such-entity") is None and "no-such-entity" not in lazy
    assert all(e in lazy for e in some) and len(lazy) == len(whole)
    with pytest.raises(KeyError):
        lazy["no-such-entity"]
    assert dict(lazy.items()) == whole and sorted(lazy) == sorted(whole)  # going over them makes them all
