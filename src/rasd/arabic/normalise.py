"""Arabic normalisation for matching and search, with a map back to the original text.

The normalised string is never shown to users and never replaces ``Document.text``; it exists so
that every spelling of a word meets every other spelling, while every match still reports offsets
into the original text. Characters are either mapped one-to-one or deleted (diacritics, tatweel,
bidi and zero-width marks), so the map back is a short list of kept runs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Version of the normalisation rules; stored with anything built from normalised text (search
# indexes, gazetteer automata) so an index is never read with other rules than the ones that built it.
NORMALISER_VERSION = "ar-norm/1"

_ONE_TO_ONE = {
    # hamza carriers and madda on alef
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي",
    # alef maqsura, Persian/Urdu ya and kaf, heh forms, ta marbuta
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "ھ": "ه", "ۀ": "ه", "ە": "ه", "ة": "ه", "ۃ": "ه",
    # letters used for foreign sounds: v, p, ch
    "ڤ": "ف", "ڥ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز",
    # punctuation
    "،": ",", "٬": ",", "٫": ".", "؛": ";", "؟": "?", "٪": "%",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    # spaces
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
}
for _i in range(10):
    _ONE_TO_ONE[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _ONE_TO_ONE[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian/Urdu) digits
for _c in range(ord("A"), ord("Z") + 1):
    _ONE_TO_ONE[chr(_c)] = chr(_c + 32)

_DELETED = set("\u0640")  # tatweel
_DELETED.update(chr(c) for c in range(0x064B, 0x0660))  # harakat, shadda, sukun, madda/hamza marks
_DELETED.update(chr(c) for c in range(0x0610, 0x061B))  # Quranic annotation signs
_DELETED.update({"\u0670", "\u06e1", "\u06ed"})
_DELETED.update({"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u061c"})
_DELETED.update(chr(c) for c in range(0x202A, 0x202F))
_DELETED.update(chr(c) for c in range(0x2066, 0x206A))


def _lookup_table(mapping: dict[int, int | None]) -> tuple[int | None, ...]:
    """``mapping`` as a tuple indexed by code point (identity where it says nothing): str.translate
    indexes a tuple without hashing and without raising a LookupError for every unmapped character,
    about three times faster than a dict on Arabic text. Code points past its end stay as they are."""
    table: list[int | None] = list(range(max(mapping) + 1))
    for k, v in mapping.items():
        table[k] = v
    return tuple(table)


_TABLE = _lookup_table({ord(k): (ord(v) if v is not None else None)
                        for k, v in {**_ONE_TO_ONE, **{c: None for c in _DELETED}}.items()})
_DELETED_RUN = re.compile("[" + "".join(re.escape(c) for c in sorted(_DELETED)) + "]+")
# For regular expressions written in Arabic: the same rules, but ASCII (regex syntax such as \S, \W,
# (?P<name>...)) is left alone. Latin words in such patterns are written in lower case.
_PATTERN_TABLE = str.maketrans(
    {**{k: v for k, v in _ONE_TO_ONE.items() if not k.isascii()}, **{c: None for c in _DELETED}}
)


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised string and the way back to the original's offsets."""

    text: str
    original: str
    # Kept runs as parallel sorted lists: normalised start -> original start. Empty means identity.
    _norm_starts: tuple[int, ...] = ()
    _orig_starts: tuple[int, ...] = ()

    def to_original(self, index: int) -> int:
        """Offset in the original text of the character at normalised ``index``."""
        if not self._norm_starts:
            return index
        if index >= len(self.text):
            return len(self.original)
        k = bisect.bisect_right(self._norm_starts, index) - 1
        return self._orig_starts[k] + (index - self._norm_starts[k])

    def to_normalised(self, original: int) -> int:
        """Normalised index of an original offset; a deleted character maps to the next kept one."""
        if not self._norm_starts:
            return original
        k = bisect.bisect_right(self._orig_starts, original) - 1
        if k < 0:
            return 0
        run_end = self._norm_starts[k + 1] if k + 1 < len(self._norm_starts) else len(self.text)
        offset = original - self._orig_starts[k]
        return self._norm_starts[k] + offset if offset < run_end - self._norm_starts[k] else run_end

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised half-open span to the smallest original span covering it."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for matching; see module docstring."""
    norm = text.translate(_TABLE)
    if len(norm) == len(text):
        return Normalised(norm, text)
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    n = 0
    pos = 0
    for m in _DELETED_RUN.finditer(text):
        if m.start() > pos:
            norm_starts.append(n)
            orig_starts.append(pos)
            n += m.start() - pos
        pos = m.end()
    if pos < len(text):
        norm_starts.append(n)
        orig_starts.append(pos)
    return Normalised(norm, text, tuple(norm_starts), tuple(orig_starts))


def normalise_str(text: str) -> str:
    """Normalised form only, for keys and queries."""
    return text.translate(_TABLE)


def key(text: str) -> str:
    """Normalised, whitespace-collapsed form used as a dictionary key.

    Not cached: it is called on whole articles (document ids), and a cache would keep them alive."""
    return " ".join(text.translate(_TABLE).split())


def normalise_pattern(pattern: str) -> str:
    """Normalise the Arabic in a regular expression so it matches normalised text."""
    return pattern.translate(_PATTERN_TABLE)
