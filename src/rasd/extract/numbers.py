"""Arabic quantities: digits in any script and separator, number words, scales, ranges, qualifiers.

Works on normalised text (Arabic-Indic digits already ASCII, ، already a comma) and returns spans
in that text; callers map them back with the document's normaliser map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import key
from rasd.regex_words import trie_regex


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int  # span in the normalised text, qualifier included
    end: int
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    vague: bool = False  # "عشرات", "آلاف" alone: an order of magnitude, not a figure


@dataclass(frozen=True)
class _Lex:
    words: dict[str, tuple[float, str]]
    qualifiers: dict[str, str]
    after_qualifiers: dict[str, str]
    pattern: re.Pattern[str]
    # what every match of ``pattern`` holds: a number's start (a digit, a number word or a fraction,
    # after at most one of ب و ل) where a word starts; a text without one is given up after one light
    # scan instead of the pattern's try at every word
    any_number: re.Pattern[str]


def _alt(items) -> str:
    return trie_regex(set(items))  # the flat alternation longest first, as a trie (rasd.regex_words)


@lru_cache(maxsize=1)
def lexicon() -> _Lex:
    words = {key(w): (float(v), kind) for w, v, kind in resources.read_tsv("number_words.tsv", 3)}
    quals, after = {}, {}
    for phrase, q, pos in resources.read_tsv("qualifiers.tsv", 3):
        (after if pos == "after" else quals)[key(phrase)] = q
    # 13,000 / 2.5 / 2,5 (a decimal comma: one or two digits after it); "87، 5 في المئة" (a decimal comma
    # with a space: only before a percent word and after at most two digits, "2014، 74 بالمئة" is a list)
    percent = _alt(_percent_words())
    digits = (
        rf"\d{{1,2}}, \d{{1,2}}(?=\s*(?:{percent})(?!\w))|"
        r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?"
    )
    word = f"(?:{_alt(w for w, (_, k) in words.items() if k != 'fraction')})"
    # "الثماني عشرة", "الخمسة آلاف": the article on the first word of a compound (a ten-valued unit or a
    # scale after it); a word that with the article is a weekday ("الاثنين عشرة أشخاص": Monday) is not one
    teens = _alt(w for w, (v, k) in words.items() if (k == "unit" and v == 10) or k in ("scale", "vague", "dual"))
    weekdays = {key(n) for num, names in resources.read_tsv("weekdays.tsv", 2) if num != "0" for n in names.split("|")}
    defined = _alt(w for w, (_, k) in words.items() if k != "fraction" and key("ال" + w) not in weekdays)
    article = rf"(?:ال(?=(?:{defined})\s+(?:{teens})(?!\w)))?"
    scales = _alt(w for w, (_, k) in words.items() if k in ("scale", "vague", "dual"))
    fractions = _alt(w for w, (_, k) in words.items() if k == "fraction")
    fraction = rf"(?:\s+و(?:{fractions})(?:\s+(?:ال)?(?:{scales}))?)?"
    # one number: digits or words, optionally followed by scale words ("3 آلاف", "سبعة آلاف", "1.5 مليون")
    atom = rf"(?:(?:{digits})|{word}(?:\s+و?{word}){{0,3}}|(?:{fractions})\s+(?:{scales}))(?:\s+(?:{scales}))?{fraction}"
    qual = rf"(?:(?:ب|و)?(?P<qual>{_alt(quals)})\s+)?"
    rng = rf"(?:\s*(?P<sep>-|الي|حتي|و)\s*(?P<b>{atom}))?"
    pattern = re.compile(
        rf"(?<![\w.,]){qual}(?:(?P<between>بين)\s+|(?P<from>من)\s+)?(?:ب|و|ل)?{article}(?P<a>{atom}){rng}(?:(?<=\d)(?![\d.,]\d)|(?<!\d)(?!\w))"
    )
    return _Lex(words, quals, after, pattern, re.compile(rf"(?<![\w.,])(?:ب|و|ل)?(?:\d|{word}|(?:{fractions}))"))


def _percent_words() -> set[str]:
    """The percent unit's words (resources/units.tsv), normalised."""
    for unit, _, nouns in resources.read_tsv("units.tsv", 3):
        if unit == "percent":
            return {key(n) for n in nouns.split("|")} - {""}
    return {"%"}


def parse_number(text: str) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) of one number expression in normalised spelling; vague words give a range."""
    lex = lexicon()
    text = text.strip()
    half = re.fullmatch(r"(.+?)\s+و(\S+)(?:\s+(\S+))?", text)
    if half and lex.words.get(half.group(2), (0, ""))[1] == "fraction":
        value, _, _ = parse_number(half.group(1))
        # "مليونين ونصف مليون": the half is of the scale it names, else of the scale before it
        own = half.group(3) and (_trailing_scale(half.group(3)) or _trailing_scale(re.sub(r"^ال", "", half.group(3))))
        scale = own or _trailing_scale(half.group(1)) or 1.0
        return ((value + lex.words[half.group(2)][0] * scale) if value is not None else None), None, None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+, ?\d{1,2}|\d+(?:\.\d+)?)(?:\s+(.+))?", text)
    if m:
        digits = m.group(1).replace(", ", ",")
        if not m.group(2) and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
            return float(digits.replace(".", "")), None, None  # "2.600 مستخدم": a dot between thousands
        base = float(digits.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", digits) else digits.replace(",", ""))
        if not m.group(2):
            return base, None, None
        scale = _scale(m.group(2))
        # 66.9 مليار in decimal arithmetic: 66900000000, not 66900000000.00001
        return (float(Decimal(repr(base)) * Decimal(repr(scale))), None, None) if scale else (None, None, None)
    total = current = 0.0
    vague: float | None = None
    prev_kind, prev_value = "", 0.0
    for w in re.sub(r"(^|\s)و", r"\1", text).split():
        if w not in lex.words:
            return None, None, None
        v, kind = lex.words[w]
        if kind == "vague" and (vague is not None or current == 0):
            vague = (vague or 1.0) * v
        elif kind in ("scale", "vague", "dual"):
            if vague is not None:
                vague *= v
            else:
                total += (current or 1.0) * v
                current = 0.0
        elif kind == "hundred" and v == 100 and prev_kind == "unit" and 0 < prev_value < 10:
            current += prev_value * 99  # "خمس مئة" (two words): five hundreds, not 5 + 100
        else:
            current += v
        prev_kind, prev_value = kind, v
    if vague is not None:
        return None, 2 * vague, 10 * vague - 1
    total += current
    return (total or None), None, None


def _scale(words: str) -> float | None:
    lex = lexicon()
    scale = 1.0
    for w in words.split():
        if w not in lex.words or lex.words[w][1] not in ("scale", "vague", "dual"):
            return None
        scale *= lex.words[w][0]
    return scale


def find_quantities(norm_text: str) -> list[Quantity]:
    lex = lexicon()
    out = []
    if not lex.any_number.search(norm_text):
        return out
    pos = 0
    while (m := lex.pattern.search(norm_text, pos)) is not None:
        a_text, b_text, end = m.group("a"), m.group("b"), m.end()
        pos = m.end()
        compound = None
        if b_text and m.group("sep") == "و" and not m.group("between"):
            compound = _compound(a_text, b_text)  # "29 ألفا و319": one number, 29,319
            if compound is None:
                b_text, end = None, m.end("a")  # "10 و5": a list, not a range; the second is read on its own
                pos = end
        if compound is not None:
            tail = " " + " ".join(norm_text[end:end + 40].split()[:4]) + " "
            qualifier = lex.qualifiers.get(m.group("qual") or "", "exact")
            if qualifier == "exact":
                qualifier = next((q for p, q in lex.after_qualifiers.items() if f" {p} " in tail), qualifier)
            out.append(Quantity(m.start(), end, compound, None, None, qualifier))
            continue
        a_val, a_low, a_high = parse_number(a_text)
        if a_val is None and a_low is None:
            continue
        qualifier = lex.qualifiers.get(m.group("qual") or "", "exact")
        value = low = high = None
        if b_text:
            b_val, _, _ = parse_number(b_text)
            if b_val is None or a_val is None:
                continue
            b_scale = _trailing_scale(b_text)
            if b_scale and not _trailing_scale(a_text):
                a_val *= b_scale  # "3 إلى 5 آلاف": the second end's scale applies to the first
            if a_val > b_val:
                continue
            low, high = a_val, b_val
        elif a_val is None:
            low, high = a_low, a_high
            qualifier = "about" if qualifier == "exact" else qualifier
        else:
            value = a_val
        # "100 جندي تقريبا", "9 أشخاص على الأقل": after the number or its noun
        tail = " " + " ".join(norm_text[end:end + 40].split()[:4]) + " "
        if qualifier == "exact":
            qualifier = next((q for p, q in lex.after_qualifiers.items() if f" {p} " in tail), qualifier)
        out.append(Quantity(m.start(), end, value, low, high, qualifier, vague=a_val is None))
    return out


def _compound(a_text: str, b_text: str) -> float | None:
    """"29 ألفا و319", "3 ملايين و500 ألف": a figure with a scale, و, then a smaller one is one number, their sum."""
    scale = _trailing_scale(a_text)
    if not scale:
        return None
    a_val, _, _ = parse_number(a_text)
    b_val, _, _ = parse_number(b_text)
    if a_val is None or b_val is None or b_val >= scale or (_trailing_scale(b_text) or 1.0) >= scale:
        return None
    return a_val + b_val


def _trailing_scale(text: str) -> float | None:
    words = lexicon().words
    last = text.split()[-1]
    if last in words and words[last][1] in ("scale", "vague"):
        return words[last][0]
    if last in words and words[last][1] == "dual":
        return words[last][0] / 2  # the scale of one: مليونين -> a million
    return None
