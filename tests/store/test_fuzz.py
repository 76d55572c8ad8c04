import pytest
from fuzzing import texts
from hypothesis import given
from hypothesis import strategies as st

from rasd.pipeline import extract_text
from rasd.store import open_store
from rasd.store.ingest import ingest
from rasd.store.search import QueryError, parse_query, search

from .corpus import ARTICLES

OPERATORS = st.sampled_from(['"', "-", " OR ", "OR", "(", ")", "*", ":", "^", "NEAR", "AND", "NOT", "'", "\\", "%", "_", "{", "}"])
queries = st.lists(st.one_of(OPERATORS, texts), min_size=1, max_size=8).map(" ".join)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    s = open_store(str(tmp_path_factory.mktemp("fuzz") / "f.db"))
    ingest(s, [extract_text(body, published="2024-11-06", path=name) for name, body in ARTICLES.items()])
    yield s
    s.close()


@given(queries)
def test_fuzz_query_parser(q):
    try:
        parse_query(q)
    except QueryError as exc:
        assert str(exc).startswith(("bad query", "query too long"))


@given(q=queries)
def test_fuzz_search_runs_or_says_bad_query(small_store, q):
    try:
        hits = search(small_store, q, limit=5)
    except QueryError as exc:
        assert str(exc).startswith(("bad query", "query too long"))
        return
    assert all(h.snippet is not None for h in hits)
