"""Sentence splitting and tokenisation, with offsets into the original text (clitics: rasd.arabic.clitics)."""

from __future__ import annotations

import re
from dataclasses import dataclass


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
# Longer "sentences" (a list without full stops, a page with no punctuation) are cut into pieces of at
# most this many characters, at a clause mark (، , ; ؛ :) or else a space, so that the work done per
# sentence stays bounded and linear in the text (0.014% of ANT sentences are longer than this).
MAX_SENTENCE_CHARS = 1000
_CLAUSE_MARK = re.compile(r"[،,;؛:]\s")


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
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, start + MAX_SENTENCE_CHARS)
        _add(text, start, cut, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Span(start, end))


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:limit]: after its last clause mark in the second half, else at its last
    space there, else at ``limit``."""
    half = start + MAX_SENTENCE_CHARS // 2
    last = None
    for m in _CLAUSE_MARK.finditer(text, half, limit):
        last = m.start() + 1
    if last is not None:
        return last
    space = max(text.rfind(" ", half, limit), text.rfind("\t", half, limit))
    return space if space > start else limit


def tokens(text: str) -> list[Span]:
    """Word and number tokens (numbers keep their separators: 10,000 / 1.5 / ١٣٬٠٠٠)."""
    return [Span(m.start(), m.end()) for m in _TOKEN.finditer(text)]
