"""Titles and the other words around a name that say what it names: the one reader of
resources/name_context.tsv (titles before a person, place words before a place, words that end a
name, verb particles, place prepositions) and of the office titles in resources/kb/roles.tsv.

Every stage that looks for a title (unknown names after a title, an office title standing for its
holder, the context a short generated name needs, a speaker's title in attribution) takes its
pattern from here; code knows no title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import clitic_group
from rasd.arabic.normalise import key
from rasd.regex_words import trie_regex

_OPEN = r"(?:^|(?<=[\s\"'(]))"  # a word start: the text start, a space, a quote or a bracket


@lru_cache(maxsize=1)
def name_context() -> dict[str, tuple[str, ...]]:
    """kind -> normalised words of that kind (name_context.tsv), longest first."""
    rows = {}
    for kind, words in resources.read_tsv("name_context.tsv", 2):
        rows[kind] = tuple(sorted({key(w) for w in words.split("|") if w}, key=len, reverse=True))
    return rows


def words(kind: str) -> frozenset[str]:
    return frozenset(name_context().get(kind, ()))


@lru_cache(maxsize=1)
def office_titles() -> dict[str, str]:
    """Normalised office title -> role (roles.tsv): الرئيس -> head_of_state."""
    out = {}
    for role, titles, _fallback in resources.read_tsv(resources.path("kb/roles.tsv"), 3):
        for title in titles.split("|"):
            out[key(title)] = role
    return out


def _alternation(words_: tuple[str, ...]) -> str:
    return trie_regex(words_)  # the flat alternation longest first, as a trie (rasd.regex_words)


@lru_cache(maxsize=1)
def title_pattern() -> re.Pattern[str]:
    """A title (after an optional proclitic) followed by a space: where an unknown name may follow."""
    return re.compile(rf"{_OPEN}{clitic_group()}(?:{_alternation(name_context()['title'])})(?=\s)")


@lru_cache(maxsize=4)
def before_pattern(kind: str) -> re.Pattern[str]:
    """Words of ``kind`` ("title", "place") ending the text they are searched in (the words right
    before a name)."""
    return re.compile(rf"{_OPEN}{clitic_group()}(?:{_alternation(name_context()[kind])})\s+$")


@lru_cache(maxsize=1)
def office_before_pattern() -> re.Pattern[str]:
    """An office title ending the searched text, in group ``role`` ("وزير الدفاع" before a state)."""
    return re.compile(rf"{_OPEN}{clitic_group()}(?P<role>{_alternation(tuple(office_titles()))})\s+$")
