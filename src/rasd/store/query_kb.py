"""The knowledge base as one search query needs it, read from the cache file instead of built.

A query only needs the forms that occur in its own few words, so a query's knowledge base holds only
the forms of the cache file (``rasd.kb.cache``) that are substrings of the text it scans, and
unmarshals only those: the automaton then finds exactly the matches the whole one finds
(tests/store/test_query_kb.py compares them). Where the cache file cannot be written (read-only
home), the whole knowledge base is built as before.
"""

from __future__ import annotations

from collections import defaultdict

from rasd.kb import cache
from rasd.kb.knowledge_base import Form, KnowledgeBase, knowledge_base


def query_kb(text: str) -> KnowledgeBase:
    """A knowledge base for scanning ``text`` (the scan text of a short query): the forms that occur
    in it, everything else whole. Without a cache file: the whole knowledge base."""
    data = cache.cached()
    if data is None:
        return knowledge_base()
    forms: defaultdict[str, list[Form]] = defaultdict(list)
    packed = cache.forms()
    for i, k in enumerate(packed.keys):
        if k in text:
            forms[k] = [Form(*f) for f in packed.value(i)]
    kb = KnowledgeBase(entities=cache.entities(), forms=forms, offices=cache.offices(data), **data["rest"])
    if forms:  # an automaton without words cannot scan: a query_kb without forms finds nothing
        kb.build()
    return kb
