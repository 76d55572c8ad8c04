"""Sentence splitting and clitic-aware tokenisation, with offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import normalise_str


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


# A number (with its separators) or a word; a clitic stuck to a number (و١٣٬٠٠٠) is split off.
WORD_OR_NUMBER = r"\d+(?:[.,،٫٬]\d+)*|[^\W\d_](?:[^\W\d_]|[\u0610-\u061A\u064B-\u065F\u0670\u0640])*"
_TOKEN = re.compile(WORD_OR_NUMBER)
# A sentence ends at . ! ? ؟ … (with any closing quotes) before whitespace, or at a line break.
# A dot between letters or digits (إس.بي.إس, 1.5) is not an end.
_SENT_END = re.compile(r"(?:[.!?؟…]+[\"'»”’)\]]*)(?=\s|$)|\n")


def sentences(text: str) -> list[Span]:
    """Sentence spans, stripped of surrounding whitespace, covering every non-space character."""
    spans: list[Span] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        _add(text, pos, m.end(), spans)
        pos = m.end()
    _add(text, pos, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def tokens(text: str) -> list[Span]:
    """Word and number tokens (numbers keep their separators: 10,000 / 1.5 / ١٣٬٠٠٠)."""
    return [Span(m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=1)
def proclitics() -> tuple[tuple[str, str], ...]:
    """(clitic, kind) pairs in normalised spelling, longest first."""
    rows = [(normalise_str(c), kind) for c, kind, *_ in resources.read_tsv("clitics.tsv", 3)]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def name_proclitics() -> frozenset[str]:
    """Proclitics that may stand before a name (verbs' future س aside), normalised."""
    return frozenset(c for c, kind in proclitics() if kind != "future")


def split_proclitics(word: str, min_stem: int = 2) -> list[tuple[str, str]]:
    """Every (prefix, stem) reading of a normalised word, the bare word first.

    ``لروسيا`` gives [("", "لروسيا"), ("ل", "روسيا")]; ``للولايات`` also gives ("لل", "الولايات")
    since ل + ال loses the alef.
    """
    out = [("", word)]
    for clitic, kind in proclitics():
        if kind == "future":
            continue
        if word.startswith(clitic) and len(word) - len(clitic) >= min_stem:
            stem = word[len(clitic):]
            out.append((clitic, stem))
            if kind.endswith("prep+article") and clitic.endswith("لل"):
                out.append((clitic, "ال" + stem))
    return out
