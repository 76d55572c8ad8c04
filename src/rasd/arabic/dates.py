"""Dates in Arabic news: absolute forms in any script and calendar naming, and relative phrases
resolved against the publication date.

A date that cannot be resolved (no publication date, or a phrase relative to another date) keeps its
text and gets ``value=None``: nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from rasd import resources
from rasd.arabic.normalise import Normalised, key, normalise
from rasd.regex_words import trie_regex


@dataclass(frozen=True, slots=True)
class DateRef:
    value: str | None  # ISO date (YYYY, YYYY-MM or YYYY-MM-DD), None when it cannot be resolved
    text: str
    precision: str | None = None  # day | month | year


_CONTEXT_BEFORE = "في|منذ|خلال|حتي|من|الي|شهر|منتصف|اواخر|اوائل|مطلع|بدايه|نهايه|اواسط|اخر|أواخر"


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # offsets into the original text
    end: int
    text: str
    value: str | None  # ISO: YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Www, or an interval A/B for seasons
    precision: str | None  # day | week | month | season | year


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]
    seasons: dict[str, tuple[int, int]]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    # What each pattern cannot match without (a digit, or a word of one of its lists), and one
    # Aho-Corasick pass that says which of those words a text holds: a pattern whose words are
    # absent is not run (ten regex scans of every sentence were most of the time spent on dates).
    needs: tuple[frozenset[str], ...]
    words: ahocorasick.Automaton


def _alt(words: list[str]) -> str:
    return trie_regex(set(words))  # the flat alternation longest first, as a trie (rasd.regex_words)


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    months: dict[str, int] = {}
    ambiguous: set[str] = set()
    for num, names in resources.read_tsv("months.tsv", 2):
        for name in names.split("|"):
            if name.startswith("~"):
                name = name[1:]
                ambiguous.add(key(name))
            months[key(name)] = int(num)
    weekdays = {key(n): int(num) for num, names in resources.read_tsv("weekdays.tsv", 2) for n in names.split("|")}
    not_weekday = [n for n, num in weekdays.items() if num == 0]
    weekdays = {n: num for n, num in weekdays.items() if num != 0}
    relative = {key(p): (unit, int(off)) for p, unit, off, *_ in resources.read_tsv("relative_dates.tsv", 4)}
    seasons = {key(n): (int(a), int(b)) for a, b, names in resources.read_tsv("seasons.tsv", 3) for n in names.split("|")}

    month = f"(?P<month>{_alt(list(months))})"
    # "13 مايو/ أيار 2018": the same month in a second naming, after a slash
    also = rf"(?:\s*/\s*(?:{_alt(list(months))}))?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    rel = r"(?P<rel>الماضي|المنصرم|السابق|المقبل|القادم|الجاري|الحالي)"
    wd = f"(?P<weekday>{_alt(list(weekdays))})"
    b = r"(?<![\w])"
    e = r"(?![\w])"
    patterns = (
        ("iso", re.compile(rf"{b}(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)")),
        ("dmy_num", re.compile(rf"{b}(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d){e}")),
        ("dmy", re.compile(rf"{b}{day}\s*,?\s*(?:من\s+)?(?:شهر\s+)?{month}{also}(?:\s*,?\s*(?:عام\s+|سنه\s+)?{year}|\s+{rel})?{e}")),
        ("mdy", re.compile(rf"{b}{month}\s+{day},?\s+{year}{e}")),
        ("my", re.compile(rf"{b}(?:[وف]?(?P<ctx>{_CONTEXT_BEFORE})\s+)?(?:شهر\s+)?{month}{also}(?:\s*,?\s*(?:من\s+)?(?:عام\s+|سنه\s+)?{year}|\s+{rel})?{e}")),
        ("season", re.compile(rf"{b}(?:في\s+)?(?P<season>{_alt(list(seasons))})(?:\s*(?:عام\s+)?{year}|\s+{rel}){e}")),
        ("year", re.compile(rf"{b}(?:(?:في|منذ|خلال|حتي|مطلع|بدايه|نهايه)\s+)?(?:عام|العام|سنه|السنه)\s+{year}{e}")),
        # "في 2013", "منذ2014": a bare year after a preposition of time
        ("year", re.compile(rf"{b}(?:في|منذ|خلال|حتي|بحلول|مطلع|بدايه|نهايه)\s*{year}{e}")),
        ("weekday", re.compile(rf"{b}(?:(?P<pre>اليوم|امس|يوم|صباح|مساء|ليله|صباح يوم|مساء يوم|ليل|ظهر|عصر|فجر|ظهر يوم|عصر يوم|فجر يوم|نهار)\s*/?\s*)?{wd}(?!\s+(?:{_alt(not_weekday)}){e})\s*/?(?:\s+{rel})?{e}")),
        ("relative", re.compile(rf"{b}(?P<phrase>{_alt(list(relative))}){e}")),
    )
    # the same order as ``patterns``; every name in a pattern's required alternation is a literal
    needs = tuple(frozenset(n) for n in (
        ("digit",), ("digit",), ("digit", "month"), ("digit", "month"), ("month",), ("season",),
        ("digit", "year_word"), ("digit",), ("weekday",), ("relative",),
    ))
    assert len(needs) == len(patterns)
    words = ahocorasick.Automaton()
    for cat, names in (("month", months), ("weekday", weekdays), ("relative", relative), ("season", seasons),
                       ("year_word", ("عام", "سنه"))):
        for name in names:
            words.add_word(name, (*words.get(name, ()), cat))
    words.make_automaton()
    return _Lexicon(months, frozenset(ambiguous), weekdays, relative, seasons, patterns, needs, words)


_DIGIT = re.compile(r"\d")


def _present(text: str, lex: _Lexicon) -> set[str]:
    """The kinds of date word in ``text`` (as substrings), and "digit" if it has one."""
    found = {cat for _, cats in lex.words.iter(text) for cat in cats}
    if _DIGIT.search(text):
        found.add("digit")
    return found


def parse_date(text: str, reference: dt.date | None = None) -> tuple[str | None, str | None]:
    """Parse one date string (e.g. a publication line) into (ISO value, precision)."""
    found = find_dates(text, reference)
    if not found:
        return None, None
    best = max(found, key=lambda d: (d.precision == "day", d.end - d.start))
    return best.value, best.precision


def find_dates(text: str | Normalised, reference: dt.date | None = None, normalised: str | None = None) -> list[DateMention]:
    """Every date expression in ``text`` with its resolved value where it can be resolved.

    ``normalised``: the caller's normalised form of ``text``, reused when it maps one-to-one."""
    if isinstance(text, Normalised):
        return _find_dates(text, reference)
    if normalised is not None and len(normalised) != len(text):
        normalised = None
    return list(_find_dates_cached(text, reference, normalised))


# Claims, events and attribution each look for the dates of the same sentence: the last few hundred
# answers are kept (a pure function of its arguments; DateMention is immutable).
@lru_cache(maxsize=512)
def _find_dates_cached(text: str, reference: dt.date | None, normalised: str | None) -> tuple[DateMention, ...]:
    norm = Normalised(normalised, text) if normalised is not None else normalise(text)
    return tuple(_find_dates(norm, reference))


def _find_dates(norm: Normalised, reference: dt.date | None) -> list[DateMention]:
    lex = lexicon()
    present = _present(norm.text, lex)
    if not present:
        return []
    candidates: list[tuple[int, int, str | None, str | None]] = []
    for (kind, pattern), needs in zip(lex.patterns, lex.needs, strict=True):
        if not needs <= present:
            continue
        for m in pattern.finditer(norm.text):
            resolved = _resolve(kind, m, lex, reference)
            if resolved is None:
                continue
            candidates.append((m.start(), m.end(), *resolved))
    # Longest non-overlapping matches win.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for s, e, value, precision in candidates:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        os_, oe = norm.span_to_original(s, e)
        out.append(DateMention(os_, oe, norm.original[os_:oe], value, precision))
    out.sort(key=lambda d: d.start)
    return out


def _resolve(kind: str, m: re.Match[str], lex: _Lexicon, ref: dt.date | None) -> tuple[str | None, str | None] | None:
    g = m.groupdict()
    if kind in ("iso", "dmy_num"):
        return _ymd(int(g["year"]), int(g["month"]), int(g["day"]))
    if kind == "year":
        return g["year"], "year"
    if kind in ("dmy", "mdy", "my"):
        month_name = g["month"]
        month = lex.months[month_name]
        year = int(g["year"]) if g.get("year") else None
        has_day = bool(g.get("day"))
        if month_name in lex.ambiguous_months and not (has_day or year):
            return None
        if kind == "my" and not (g.get("ctx") or year or g.get("rel")):
            return None
        if year is None:
            year = _year_for_month(month, ref, g.get("rel"))
        if has_day:
            if year is None:
                return None, "day"
            return _ymd(year, month, int(g["day"]))
        return (f"{year:04d}-{month:02d}" if year else None), "month"
    if kind == "season":
        first, last = lex.seasons[g["season"]]
        year = int(g["year"]) if g.get("year") else None
        if year is None:
            if ref is None:
                return None, "season"
            year = ref.year - (1 if g["rel"] in ("الماضي", "المنصرم", "السابق") and ref.month >= first else 0)
            if g["rel"] in ("الماضي", "المنصرم", "السابق") and ref.month < first:
                year = ref.year - 1
            if g["rel"] in ("المقبل", "القادم"):
                year = ref.year + (1 if ref.month >= first else 0)
        end_year = year + 1 if last < first else year
        return f"{year:04d}-{first:02d}/{end_year:04d}-{last:02d}", "season"
    if kind == "weekday":
        pre, rel = g.get("pre"), g.get("rel")
        if not pre and not rel and not g["weekday"].startswith("ال"):
            return None  # a bare weekday counts with its article ("أعلنت الحكومة، الخميس، أن")
        if ref is None:
            return None, "day"
        target = lex.weekdays[g["weekday"]]
        if pre == "اليوم":
            return ref.isoformat(), "day"
        if pre == "امس":
            return (ref - dt.timedelta(days=1)).isoformat(), "day"
        delta = (ref.isoweekday() - target) % 7
        if rel in ("المقبل", "القادم"):
            ahead = (target - ref.isoweekday()) % 7 or 7
            return (ref + dt.timedelta(days=ahead)).isoformat(), "day"
        if rel in ("الماضي", "المنصرم", "السابق") and delta == 0:
            delta = 7
        return (ref - dt.timedelta(days=delta)).isoformat(), "day"
    if kind == "relative":
        unit, offset = lex.relative[g["phrase"]]
        if unit == "anaphoric" or ref is None:
            return None, {"anaphoric": "day"}.get(unit, unit)
        if unit == "day":
            return (ref + dt.timedelta(days=offset)).isoformat(), "day"
        if unit == "week":
            d = ref + dt.timedelta(weeks=offset)
            iso = d.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}", "week"
        if unit == "month":
            y, mo = divmod(ref.year * 12 + ref.month - 1 + offset, 12)
            return f"{y:04d}-{mo + 1:02d}", "month"
        if unit == "year":
            return f"{ref.year + offset:04d}", "year"
    return None


def _ymd(year: int, month: int, day: int) -> tuple[str | None, str | None] | None:
    try:
        return dt.date(year, month, day).isoformat(), "day"
    except ValueError:
        return None


def _year_for_month(month: int, ref: dt.date | None, rel: str | None) -> int | None:
    """The year of a month named without one: the latest such month not after the reference
    (strictly before it with الماضي), the next one with المقبل."""
    if ref is None:
        return None
    if rel in ("المقبل", "القادم"):
        return ref.year if month > ref.month else ref.year + 1
    if rel in ("الماضي", "المنصرم", "السابق"):
        return ref.year if month < ref.month else ref.year - 1
    # A bare month a little ahead of publication is usually this year's (a scheduled event);
    # far ahead, it is last year's.
    return ref.year if month <= ref.month + 2 else ref.year - 1


def to_date(value: str | None) -> dt.date | None:
    """A publication date value (ISO date or datetime) as a date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def nearest_date(dates: list[DateMention], pos: int) -> DateRef | None:
    """The date mention closest to an offset of the same text, as a DateRef."""
    if not dates:
        return None
    d = min(dates, key=lambda d: abs(d.start - pos))
    return DateRef(d.value, d.text, d.precision)


def ahead_weekday(d: DateMention, reference: dt.date | None) -> DateMention | None:
    """A bare weekday ("الأربعاء", "يوم الأحد") read as the next such day, not the last: for a future or
    planned statement ("سيلتقي الوزيران الأربعاء"). None when ``d`` is not a bare weekday."""
    lex = lexicon()
    if reference is None:
        return None
    words = key(d.text).split()
    if not words or words[-1] not in lex.weekdays or (len(words) > 1 and words[0] in ("اليوم", "امس")):
        return None  # not a bare weekday, or one said with الماضي / المقبل / اليوم / أمس
    ahead = (lex.weekdays[words[-1]] - reference.isoweekday()) % 7
    value = (reference + dt.timedelta(days=ahead)).isoformat()
    return DateMention(d.start, d.end, d.text, value, d.precision)


@dataclass(frozen=True, slots=True)
class Dateline:
    value: str  # ISO date
    kind: str  # "published" or "updated"


@dataclass(frozen=True)
class _DatelineLexicon:
    published: re.Pattern[str]
    updated: re.Pattern[str]
    rest: re.Pattern[str]  # everything else a dateline may carry: weekdays, times, zones, the Hijri date


@lru_cache(maxsize=1)
def _dateline_lexicon() -> _DatelineLexicon:
    rows: dict[str, list[str]] = {}
    for kind, phrases in resources.read_tsv("datelines.tsv", 2):
        rows.setdefault(kind, []).extend(key(p) for p in phrases.split("|"))
    word = lambda items: re.compile(rf"(?<!\w)(?:{_alt(items)})(?!\w)")  # noqa: E731
    rest = [*rows.get("zone", []), *rows.get("hijri", []), *rows.get("filler", []), *lexicon().weekdays]
    return _DatelineLexicon(word(rows.get("published", [])), word(rows.get("updated", [])), word(rest))


_YEAR_DIGITS = re.compile(r"(?:19|20|[١٢][٩٠])[\d٠-٩]{2}")  # a dateline always gives the year in figures
_TIME = re.compile(r"(?<!\d)[0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?(?!\d)")
DATELINE_MAX_CHARS = 120


def dateline(line: str) -> Dateline | None:
    """The publication date a line gives when the whole line is a dateline, else None.

    A dateline holds one Gregorian date to the day and nothing but labels, weekday, time of day, time
    zone and a Hijri date beside it (resources/datelines.tsv); a sentence that mentions a date is not one."""
    if len(line) > DATELINE_MAX_CHARS or not _YEAR_DIGITS.search(line):
        return None
    norm = normalise(line)
    found = [d for d in find_dates(norm) if d.precision == "day" and d.value]
    if not found:
        return None
    rest = line
    for d in found:
        rest = rest[: d.start] + " " * (d.end - d.start) + rest[d.end:]
    lex = _dateline_lexicon()
    text = key(rest)
    kind = "updated" if lex.updated.search(text) and not lex.published.search(text) else "published"
    for pattern in (lex.updated, lex.published, lex.rest, _TIME):
        text = pattern.sub(" ", text)
    if re.search(r"[^\W\d_]", text):
        return None
    if re.search(r"\d", text) and not _dateline_lexicon().rest.search(key(rest)):
        return None  # stray figures with no Hijri date to explain them
    return Dateline(found[0].value, kind)
