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
