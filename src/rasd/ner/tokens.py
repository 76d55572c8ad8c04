"""How the NER model sees text: tokens with offsets, and the spelling-independent key of a token.

Shared by training and tagging, so the model sees at run time exactly what it was trained on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rasd.arabic.clitics import split_proclitics
from rasd.arabic.normalise import normalise_str
from rasd.arabic.segment import WORD_OR_NUMBER

# The pipeline's words and numbers, or one other character: punctuation is a token of its own, as
# in the training corpora.
_TOKEN = re.compile(WORD_OR_NUMBER + r"|\S")
_DIGIT = re.compile(r"\d")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of ``text``."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def token_key(token: str) -> str:
    """Normalised spelling (hamza, ya, ta marbuta, Persian letters, tatweel, diacritics), digits as 0."""
    return _DIGIT.sub("0", normalise_str(token))


@lru_cache(maxsize=200_000)
def stems(key: str) -> tuple[str, ...]:
    """Readings of the key without a proclitic, longest proclitic first (وبروسيا -> بروسيا? روسيا)."""
    readings = split_proclitics(key, min_stem=3)[1:]
    readings.sort(key=lambda r: -len(r[0]))
    return tuple(stem for _, stem in readings)
