"""The knowledge base read back from its cache file (rasd.kb.cache) is the one built from the files."""

import dataclasses
import random

from rasd.kb import cache
from rasd.kb.knowledge_base import build_knowledge_base


def _text(kb, n: int = 400) -> str:
    rng = random.Random(3)
    names = rng.sample(sorted(kb.forms), n)
    return " ".join(rng.choice(["", "و", "ب", "ل", "قال "]) + w + rng.choice([" في", "،", " مع", ""]) for w in names)


def test_read_back_is_the_built_knowledge_base(fresh_cache):
    built = build_knowledge_base()
    first = cache.load_knowledge_base()  # builds and writes the file
    assert list(fresh_cache.glob("kb-*.marshal"))
    cache.clear()
    read = cache.load_knowledge_base()  # from the file
    assert not cache._built
    for kb in (first, read):
        assert list(kb.entities.items()) == list(built.entities.items())
        assert list(kb.forms.items()) == list(built.forms.items())
        for f in dataclasses.fields(built):
            if f.name not in ("entities", "forms", "automaton"):
                assert getattr(kb, f.name) == getattr(built, f.name), f.name
        text = _text(built)
        assert list(kb.automaton.iter(text)) == list(built.automaton.iter(text))


def test_a_stale_or_broken_file_is_written_again(fresh_cache):
    cache.load_knowledge_base()
    (path,) = fresh_cache.glob("kb-*.marshal")
    path.write_bytes(b"not marshal")
    cache.clear()
    kb = cache.load_knowledge_base()
    assert cache._built and kb.forms  # built again ...
    cache.clear()
    assert cache.load_knowledge_base().forms == kb.forms and not cache._built  # ... and written again
