"""One regular expression for a list of words, as a trie: the same matches as the flat alternation
of the words longest first, at a fraction of the cost.

A flat alternation (``w1|w2|...``) makes the regex engine try every word at every position it
reaches; the trie factors the words by common prefixes (``ال(?:وزير|رئيس)``), so a position is
given up after one or two characters. The words that fit at one position are all prefixes of the
text there, hence of each other, and both forms try them longest first (a greedy optional group for
each longer word), so the matches, and what the rest of a pattern backtracks to, are the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_regex(words: Iterable[str]) -> str:
    """A regular expression (no groups that capture) matching exactly the given literal words,
    the longest where several fit."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)
