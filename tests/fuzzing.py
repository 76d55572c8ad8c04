"""Hypothesis strategies for hostile Arabic text: arbitrary Unicode, bidi and zero-width controls,
diacritics and tatweel, every kind of digit, punctuation, the lexicons' own words (so the patterns are
reached), and big repetitions of short pieces."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

from rasd import resources

BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\ufeff"
MARKS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0640\u0670"
DIGITS = "0123456789" + "".join(chr(0x0660 + i) for i in range(10)) + "".join(chr(0x06F0 + i) for i in range(10)) + "٫٬,."
PUNCT = ".,،؛؟!:;\"'«»()-–—…/%٪\n\t "
LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B)) + "پچژکگیەۀ" + "abcXYZ"


@lru_cache(maxsize=1)
def lexicon_words() -> tuple[str, ...]:
    """Words Rasd's resources know: numbers, units, qualifiers, speech verbs, months, weekdays, relative dates."""
    out: set[str] = set()
    for name in ("number_words.tsv", "units.tsv", "qualifiers.tsv", "speech_verbs.tsv", "months.tsv", "weekdays.tsv",
                 "relative_dates.tsv", "seasons.tsv", "event_triggers.tsv"):
        for row in resources.read_tsv(name):
            for field in row[:3]:
                out.update(w for w in field.replace("|", " ").split() if w and not w.isascii())
    return tuple(sorted(out))


def _pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=LETTERS + MARKS + DIGITS + PUNCT + BIDI, max_size=40),
        st.sampled_from(lexicon_words()),
        st.sampled_from(["كوريا الشمالية", "روسيا", "بوتين", "وزارة الدفاع", "قال", "إن", "نحو", "آلاف", "جندي",
                         "أمس", "الجمعة", "13 سبتمبر 2023", "2024-11-05", "10،000", "١٣٬٠٠٠", "بين 1000 و3000"]),
        st.text(max_size=12),  # anything Unicode has
        st.integers(0, 10**12).map(str),
    )


# Text made of pieces joined by spaces or nothing, sometimes a piece repeated many times.
texts = st.one_of(
    st.lists(_pieces(), max_size=30).flatmap(lambda ps: st.sampled_from([" ", "", "\n", "، "]).map(lambda sep: sep.join(ps))),
    st.tuples(_pieces(), st.integers(1, 3000)).map(lambda t: (t[0] + " ") * t[1]),
    st.text(max_size=200),
)
