"""Disagreements: two statements about the same thing that cannot both be true.

* **Figures**: two claims of the same quantity — the same subject, unit and kind of count (killed,
  wounded, sent, deployed, a total, aid, a loan ...: resources/disagreement_cues.tsv), periods that
  overlap (the claim's own date, else its article's publication; "since August" is a running total
  current at publication), compatible places (the states and places named in their sentences, when
  both name some, share one) — whose values, read with their qualifiers, are disjoint intervals.
  Prices, rates, changes and increments ("per barrel", "a year", "additional") are never compared.
* **Denials**: a denial and an assertion of the same event — an event of a type reported negated
  against the same type asserted with the same actor and target; or a denial (a REJECT event whose
  trigger denies: "نفت") by a party to an asserted event whose actor and target both appear in the
  denial; or a denied figure against the same figure asserted — at overlapping dates.

Every flag carries ``why`` (what the two sides share) and both sides with their sentences, sources
and documents. The result is a function of the store's content: sides are taken in a canonical order
(document id, offset), so the order documents arrived in does not change it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from sqlalchemy import bindparam
from sqlalchemy import text as sql

from rasd import resources
from rasd.arabic.clitics import split_proclitics
from rasd.arabic.normalise import key
from rasd.kb.knowledge_base import knowledge_base
from rasd.store.search_text import stem

# How far a qualified figure reaches: "about 3,000" is taken as 3,000 ± 15%.
ABOUT_TOLERANCE = 0.15
# A figure current at a day (its own date or its article's) holds for this many days either side; a
# figure of an incident (killed, wounded: the "event" kinds) for EVENT_WINDOW days.
DAY_WINDOW = 15
EVENT_WINDOW = 3
# Figures further apart than this factor are taken to count different things (a contingent and an army,
# a part and the whole, a misread number), not to disagree.
MAX_RATIO = 4.0
# Money figures (deals, budgets, aid) are too varied for a kind word to pin down: two are compared only
# when their sentences say nearly the same thing (this share of their content words in common).
MONEY_OVERLAP = 0.4  # Jaccard
DENIAL_WORDS = 8  # words after a denying word that say what it denies
TRIGGER_WORDS = 8  # words either side of an asserted event's trigger that say what it is
NAME_WORDS = 3  # words after an organisation's head noun ("منظمة") that are its name
KIND_WINDOW = 6  # words either side of a figure searched for its kind
SUBSET_WINDOW = 10  # words either side of a figure searched for the part it counts ("صواريخ أرض جو ... بـ 40")
TIMELINE_HEAD = 30  # characters: a date and a colon opening a sentence make it an entry of a timeline
PART_AFTER, PART_BEFORE = 3, 2  # words after/before a figure searched for a price/rate/part word
BREAKDOWN_WINDOW = 12  # words before a figure, in its sentence, searched for the start of a breakdown
COMPARED_MODALITIES = ("asserted", "reported")
_CLAUSE = re.compile(r"[،,؛;:.!?؟()\[\]«»\"]")
_NEW_CLAUSE = re.compile(r"[،,]\s*و|[؛;.!?؟]")
# a figure followed, or preceded, in its sentence by another joined by "و" ("65 شخصا في X و35 في Y")
_NEXT_ROW = re.compile(r"\sو\s?\d")
_ROW_BEFORE = re.compile(r"\d[^.!?؟\d]{0,60}\sو\s?$")
_WORD = re.compile(r"[^\s،,؛;:.!?؟()\[\]«»\"]+|%")


@dataclass(frozen=True)
class Cues:
    unit_rules: dict[str, str]  # unit -> fixed kind, "-" (never compared) or "?" (generic)
    kinds: dict[str, list[tuple[tuple[str, ...], str]]]  # scope -> [(form words, kind)]
    part: Forms
    deny: Forms
    since: Forms
    deniable: frozenset[str]
    event_kinds: frozenset[str]
    rising: frozenset[str]  # kinds of running counts, which grow from day to day
    many: Forms
    topics: dict[str, str]  # content word -> topic
    topic_types: dict[str, frozenset[str]]  # topic -> event types it ties a denial to ("any": all)
    at_least: Forms
    breakdown: Forms  # "بينهم": what follows is a part of a whole
    denies: dict[str, Forms]  # event type ("any": every type) -> what its denial speaks of
    blame: Forms
    dispute: Forms
    market: Forms
    separate: Forms  # "وفي هجوم منفصل": the figure is of another incident than the sentence's story
    span: Forms  # "يومي الخميس والجمعة", "خلال الأيام الماضية": a toll of several days, not of one incident
    relative: Forms  # "التي", "الذي": a relative clause describing the denier, not what it denies
    named: Forms  # "منظمة", "هيئة": the head of an organisation's name, whose next words are its name
    timeline: Forms  # month names: "يناير/ كانون ثاني : ارتطام طائرة ..." is an entry of a timeline
    subsets: list[tuple[tuple[str, ...], str, str]]  # (form, part, the unit that is that part)


def _forms(cell: str) -> list[tuple[str, ...]]:
    return [tuple(key(w) if not w.endswith("*") else key(w[:-1]) + "*" for w in f.split()) for f in cell.split("|") if f.strip()]


# Classes of disagreement_cues.tsv whose last column is only a list of word forms (or a set of words).
_FORM_CLASSES = ("part", "deny", "since", "atleast", "many", "of", "blame", "dispute", "market", "separate", "span",
                 "relative", "named")
_WORD_CLASSES = ("deniable", "event", "rising")


@lru_cache(maxsize=1)
def cues() -> Cues:
    unit_rules: dict[str, str] = {}
    kinds: dict[str, list] = defaultdict(list)
    forms_of: dict[str, list] = {c: [] for c in _FORM_CLASSES}
    words_of: dict[str, set] = {c: set() for c in _WORD_CLASSES}
    topics, topic_types, denies, subsets = {}, {}, defaultdict(list), []
    for cls, value, scope, forms in resources.read_tsv("disagreement_cues.tsv", 4):
        if cls in forms_of:
            forms_of[cls] += _forms(forms)
        elif cls in words_of:
            words_of[cls] |= set(forms.split("|"))
        elif cls == "unit":
            unit_rules[value] = forms
        elif cls == "kind":
            kinds[scope or "any"] += [(f, value) for f in _forms(forms)]
        elif cls == "topic":
            topics.update({_content_form(key(w)): value for w in forms.split("|") if " " not in w})
            topic_types[value] = frozenset((scope or "any").split("|"))
        elif cls == "denies":
            denies[value] += _forms(forms)
        elif cls == "subset":
            subsets += [(f, value, scope) for f in _forms(forms)]
        else:
            raise ValueError(f"disagreement_cues.tsv: unknown class {cls!r}")
    for scope in ("money", "count"):
        kinds[scope] = sorted(kinds[scope] + kinds["any"], key=lambda fk: -len(fk[0]))
    f = {c: Forms(v) for c, v in forms_of.items()}
    w = words_of
    return Cues(unit_rules, dict(kinds), f["part"], f["deny"], f["since"], frozenset(w["deniable"]), frozenset(w["event"]),
                frozenset(w["rising"]), f["many"], topics, topic_types, f["atleast"], f["of"],
                {t: Forms(v) for t, v in denies.items()}, f["blame"], f["dispute"], f["market"],
                f["separate"], f["span"], f["relative"], f["named"], _month_forms(), sorted(subsets, key=lambda fs: -len(fs[0])))


def _month_forms() -> Forms:
    """The month names of resources/months.tsv (each fact in one place)."""
    names = [n.lstrip("~") for _, cell in resources.read_tsv("months.tsv", 2) for n in cell.split("|")]
    return Forms(tuple(key(w) for w in n.split()) for n in names if n and " " not in n)


@lru_cache(maxsize=4)
def _kind_forms(scope: str) -> tuple[Forms, dict[tuple[str, ...], str]]:
    """The kind words of a scope, indexed, and the kind each form names (the first listed)."""
    kinds = cues().kinds[scope]
    named: dict[tuple[str, ...], str] = {}
    for f, k in kinds:
        named.setdefault(f, k)
    return Forms(f for f, _ in kinds), named


@lru_cache(maxsize=256)
def _subset_forms(unit: str | None) -> tuple[Forms, dict[tuple[str, ...], str]]:
    """The subset words that name a part of a unit's figures (not the unit itself), indexed."""
    forms = [(f, part) for f, part, own in cues().subsets if own != unit]
    named: dict[tuple[str, ...], str] = {}
    for f, part in forms:
        named.setdefault(f, part)
    return Forms(f for f, _ in forms), named


_ENCLITIC = re.compile(r"(?:هما|هم|ها|كم|نا|ه)$")


@lru_cache(maxsize=100_000)
def _stems(word: str) -> frozenset[str]:
    stems = {s for _, s in split_proclitics(word)}
    stems |= {s[2:] for s in stems if s.startswith("ال") and len(s) > 3}
    stems |= {_ENCLITIC.sub("", s) for s in stems if len(s) > 4}  # تزويدها -> تزويد
    stems |= {s[:-1] for s in stems if s.endswith("ا") and len(s) > 3}  # قرضا -> قرض
    return frozenset(stems)


def _word_matches(word: str, form: str) -> bool:
    stems = _stems(word)
    if form.endswith("*"):
        return any(s.startswith(form[:-1]) for s in stems)
    return form in stems


class Forms:
    """A list of word forms indexed by their first word: a match is the first form of the list that
    matches, as a scan of the whole list finds it, without trying every form at every word."""

    def __init__(self, forms: Iterable[tuple[str, ...]]):
        self.forms = list(forms)
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._prefix: dict[str, list[int]] = defaultdict(list)
        for n, f in enumerate(self.forms):
            if f[0].endswith("*"):
                self._prefix[f[0][:-1]].append(n)
            else:
                self._exact[f[0]].append(n)
        self._longest = max((len(p) for p in self._prefix), default=0)
        self._heads: dict[str, list[int]] = {}

    def __iter__(self):
        return iter(self.forms)

    def heads(self, word: str) -> list[int]:
        """The positions of the forms whose first word this word can be, in list order."""
        got = self._heads.get(word)
        if got is None:
            found: set[int] = set()
            for st in _stems(word):
                found.update(self._exact.get(st, ()))
                for k in range(min(len(st), self._longest) + 1):
                    found.update(self._prefix.get(st[:k], ()))
            got = self._heads[word] = sorted(found)
        return got


def _match_at(words: list[str], i: int, forms: Forms | Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    if not isinstance(forms, Forms):
        forms = Forms(forms)
    for n in forms.heads(words[i]) if i < len(words) else ():
        f = forms.forms[n]
        if i + len(f) <= len(words) and all(_word_matches(words[i + k], f[k]) for k in range(1, len(f))):
            return f
    return None


def _has(words: list[str], forms: Forms | list[tuple[str, ...]]) -> bool:
    if not isinstance(forms, Forms):
        forms = Forms(forms)
    return any(_match_at(words, i, forms) for i in range(len(words)))


_NO_FORMS = Forms(())


def _is_money(unit: str) -> bool:
    return unit.startswith("money")


# --- figures -----------------------------------------------------------------------------------------

@dataclass
class Figure:
    claim: dict
    count: str | None  # kind of count; None: not comparable
    period: tuple[dt.date, dt.date] | None  # None: undated
    period_label: str
    places: frozenset[str]
    lo: float
    hi: float
    words: frozenset[str]
    day: str | None = None  # its own date, when that is a day ("يوم السبت"), not its article's
    clause_places: frozenset[str] = frozenset()  # the places of its own clause ("65 في أوتار براديش")
    row: bool = False  # one of figures listed in a row ("65 في أوتار براديش و35 في راجستان")
    running: bool = False  # a running total since a date ("منذ العام 2012")


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(key(w) for w, *_ in resources.read_tsv("function_words.tsv", 1))


def content_words(sent: str, sent_start: int, mentions: list[tuple[int, int, str, str]]) -> frozenset[str]:
    """The sentence's words that say what it is about: not names (entity mentions), numbers or
    function words; article and clitics stripped."""
    spans = [(s - sent_start, e - sent_start) for s, e, _, _ in mentions if sent_start <= s < sent_start + len(sent)]
    fw = _function_words()
    topics = cues().topics
    out = set()
    for m in re.finditer(r"\w+", sent):
        if any(a <= m.start() < b for a, b in spans):
            continue
        raw = key(m.group())
        w = _content_form(raw)
        if len(w) >= 3 and not w.isdigit() and w not in fw:
            out.add(w)
            out |= {"#" + topics[x] for x in {_content_form(r) for r in _stems(raw)} if x in topics}
    return frozenset(out)


# A word this common in news (rank in resources/common_words.tsv) says too little to tie a denial to an
# assertion ("هجوم" may; "رئيس", "حكومة" do not).
COMMON_RANK = 1500


@lru_cache(maxsize=1)
def _common_forms() -> frozenset[str]:
    return frozenset(_content_form(w) for w, _, rank in resources.read_tsv("common_words.tsv", 3)
                     if rank and int(rank) <= COMMON_RANK)


def specific(words: Iterable[str]) -> list[str]:
    """The words that can tie two statements to one thing: not among the commonest words of news."""
    common = _common_forms()
    return sorted(w for w in words if w.startswith("#") or w not in common)


def _content_form(word: str) -> str:
    w = _ENCLITIC.sub("", stem(word))
    return w[:-1] if len(w) > 4 and w.endswith("ا") else w  # accusative: هجوما = هجوم



def interval(c: dict) -> tuple[float, float]:
    """The values a figure allows, from its value or range and its qualifier."""
    q = c["qualifier"]
    if c["value"] is None:
        lo, hi = c["low"], c["high"]
        if q == "about":
            lo, hi = lo * (1 - ABOUT_TOLERANCE), hi * (1 + ABOUT_TOLERANCE)
        elif q == "more_than":
            hi = math.inf
        elif q in ("less_than", "up_to"):
            lo = 0.0
        return lo, hi
    v = c["value"]
    return {
        "exact": (v, v), "about": (v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)),
        "more_than": (v, math.inf), "less_than": (0.0, v), "up_to": (0.0, v),
    }.get(q, (v, v))


def _date_interval(value: str | None, window: int = DAY_WINDOW) -> tuple[dt.date, dt.date] | None:
    if not value:
        return None
    try:
        if len(value) >= 10:
            d = dt.date.fromisoformat(value[:10])
            return d - dt.timedelta(days=window), d + dt.timedelta(days=window)
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(y, m, 1), end
        if len(value) == 4:
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def period(own_date: dict | None, published: str | None, window: int = DAY_WINDOW) -> tuple[tuple[dt.date, dt.date] | None, str]:
    """When a statement holds: its own resolved date (unless that is the start of a running total,
    "منذ أغسطس"), else its article's publication date; None when neither is known."""
    c = cues()
    if own_date and own_date.get("value"):
        words = [key(w) for w in _WORD.findall(own_date.get("text") or "")]
        if not (words and _match_at(words, 0, c.since)):
            span = _date_interval(own_date["value"], window)
            if span:
                return span, own_date["value"]
    span = _date_interval(published, window)
    return (span, f"published {published[:10]}") if span else (None, "undated")


def _overlap(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None  # undated statements are compared only with undated ones
    return a[0] <= b[1] and b[0] <= a[1]


def _locate(doc_text: str | None, c: dict) -> tuple[str, int, int]:
    """The claim's sentence and the claim's span inside it."""
    sent = c.get("sentence") or ""
    if doc_text:
        at = doc_text.find(sent, max(0, c["start"] - len(sent)), c["end"] + len(sent)) if sent else -1
        if at < 0:  # no sentence stored: a window around the claim
            at = max(0, c["start"] - 200)
            sent = doc_text[at:c["end"] + 200]
        return sent, c["start"] - at, c["end"] - at
    i = sent.find(c.get("unit_text") or "\0")
    return sent, max(0, i), max(0, i) + len(c.get("unit_text") or "")


def _clause_words(sent: str, start: int, end: int) -> tuple[list[str], int, int]:
    """The normalised words of the claim's clause, and the index range of the claim in them."""
    left = max((m.end() for m in _CLAUSE.finditer(sent, 0, start)), default=0)
    m = _CLAUSE.search(sent, end)
    right = m.start() if m else len(sent)
    before = [key(w) for w in _WORD.findall(sent[left:start])]
    inside = [key(w) for w in _WORD.findall(sent[start:end])]
    after = [key(w) for w in _WORD.findall(sent[end:right])]
    return before + inside + after, len(before), len(before) + len(inside)


def count_kind(c: dict, sent: str, start: int, end: int) -> str | None:
    """What a figure counts (killed, sent, a total, aid ...), or None when it is not comparable: a price,
    a rate, a change or an increment, or a generic unit (money, people) without a word saying what."""
    cue = cues()
    unit = c["unit"]
    rule = cue.unit_rules.get(unit, "?")
    if rule == "-":
        return None
    words, i0, i1 = _clause_words(sent, start, end)
    near = words[max(0, i0 - PART_BEFORE):i0] + words[i1:i1 + PART_AFTER]
    if _has(near, cue.part):
        return None
    if _has([key(w) for w in _WORD.findall(sent[:start])][-BREAKDOWN_WINDOW:], cue.breakdown):
        return None  # "70 قتلوا، بينهم 43 ..., و20 ...": a part of the whole counted before it
    if _is_money(unit) and _has([key(w) for w in _WORD.findall(sent)], cue.market):
        return None  # "هبطت العقود الآجلة للخام 1.83 دولار ... إلى 66.05 دولار للبرميل": a market move
    head = sent.split(":", 1)[0] if ":" in sent[:TIMELINE_HEAD] else ""
    if head and start > len(head) and (_has([key(w) for w in _WORD.findall(head)], cue.timeline) or re.search(r"\d", head)):
        return None  # "يناير/ كانون ثاني : ارتطام طائرة ...": an entry of a timeline of past events
    if _has([key(w) for w in _WORD.findall(sent[:start])], cue.separate):
        return None  # "وفي هجوم منفصل، قتل ثلاثة": another incident than the one the story is about
    if rule not in ("?", "+"):
        # "لقي 19 شخصا مصرعهم وما زال نحو 30 آخرين مفقودين": a figure stored under a unit whose own words
        # say another kind of toll is of that kind, not of its unit's
        said = _kind_forms("count")
        for j in range(i0, min(len(words), i1 + 2)):
            f = _match_at(words, j, said[0])
            other = said[1][f] if f else None
            if other and other != rule and other in cue.event_kinds:
                return None
        return rule
    forms, named = _kind_forms("money" if _is_money(unit) else "count")
    # the word that governs the figure first ("عودة مليون لاجئ": returned, not refugees), then the unit's
    # own noun ("نازحين"), then the nearest word either side
    order = [i0 - 1, *range(i0, i1)] + [j for d in range(1, KIND_WINDOW + 1) for j in (i0 - d, i1 - 1 + d)]
    for j in order:
        if 0 <= j < len(words):
            f = _match_at(words, j, forms)
            if f:
                return named[f]
    return "total" if rule == "+" else None


def places(mentions: list[tuple[int, int, str, str]], sent_start: int, sent_end: int, exclude: set[str],
           fold: bool = True) -> frozenset[str]:
    """States and places named in a sentence (with ``fold``, a capital standing for its state), but the
    subject."""
    kb = knowledge_base()
    out = set()
    for s, e, eid, etype in mentions:
        if sent_start <= s and e <= sent_end and etype in ("GPE", "LOC"):
            out.add(kb.stands_for(eid) if fold else eid)
    if not fold:  # "العاصمة الإماراتية أبوظبي": the city, not its state, is the place counted
        out -= {kb.stands_for(x) for x in out if kb.stands_for(x) != x}
    return frozenset(out - exclude)


class _Docs:
    """Document texts and mentions, read once per document and only for claims that need them."""

    def __init__(self, store):
        self.store = store
        self.texts: dict[str, str] = {}
        self.mentions: dict[str, list] = {}

    def load(self, ids: Iterable[str]) -> None:
        need = sorted(set(ids) - set(self.texts))
        q_text = sql("SELECT id, text FROM documents WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        q_ment = sql(
            'SELECT m.doc_id, m.start, m."end", m.entity_id, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id '
            "WHERE m.doc_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        with self.store.engine.connect() as conn:
            for i in range(0, len(need), 500):
                chunk = need[i:i + 500]
                self.texts.update(dict(conn.execute(q_text, {"ids": chunk}).all()))
                for d in chunk:
                    self.mentions.setdefault(d, [])
                for d, s, e, eid, etype in conn.execute(q_ment, {"ids": chunk}):
                    self.mentions[d].append((s, e, eid, etype))


def subset(sent: str, start: int, end: int, unit: str | None = None) -> str | None:
    """The part of its kind a figure counts (registered, civilians, surface-to-air ...), from the words of
    its clause; None when it counts the whole (of its unit: soldiers are the whole of troops)."""
    words, i0, i1 = _clause_words(sent, start, end)
    # near the figure only: "بإعدام عشماوي إثر إدانته بالهجوم ... والذي أسفر عن قتل نحو 30 جنديا" counts
    # the killed, not death sentences
    words = words[max(0, i0 - SUBSET_WINDOW):i1 + SUBSET_WINDOW]
    forms, named = _subset_forms(unit)
    for j in range(len(words)):
        f = _match_at(words, j, forms)
        if f:
            return named[f]
    return None


def figure(c: dict, docs: _Docs) -> Figure:
    text = docs.texts.get(c["id"])
    sent, s, e = _locate(text, c)
    kind = count_kind(c, sent, s, e)
    if kind and (part := subset(sent, s, e, c["unit"])):
        kind = f"{kind}/{part}"
    incident = (kind or "").split("/")[0] in cues().event_kinds
    window = EVENT_WINDOW if incident else DAY_WINDOW
    own = c["date"]
    if own and own.get("text") and re.search(r"منذ(?:\s+\S+){0,4}?\s*" + re.escape(own["text"]), sent):
        own = None  # "منذ بداية العمليات الشهر الماضي": a running total current at publication, not at that day
    span, label = period(own, c["source_document"]["published"], window)
    if incident and span and (span[1] - span[0]).days > 2 * EVENT_WINDOW:
        kind = None  # a toll of "February" or "2018" cannot be tied to one incident
    elif incident and span:
        # a toll is told on its day or after it; an article tells of incidents before it was published
        mid = span[0] + dt.timedelta(days=EVENT_WINDOW)
        span = (mid, span[1]) if not label.startswith("published") else (span[0], mid)
    if incident and _has([key(w) for w in _WORD.findall(sent)], cues().span):
        kind = None  # "مقتل 18 عنصرا يومي الخميس والجمعة": the toll of several days, not of one incident
    sent_start = c["start"] - s
    exclude = {c["subject"]} - {None}  # a source's state may be the place ("الحكومة اللبنانية ... تستضيف")
    ments = docs.mentions.get(c["id"], [])
    # the places of the figure's clause when it names some ("46 في أوتار براديش، و31 في راجستان"), else its sentence's
    left = max((m.end() for m in _CLAUSE.finditer(sent, 0, s)), default=0)
    m = _CLAUSE.search(sent, e)
    nxt = _NEXT_ROW.search(sent, e, m.start() if m else len(sent))
    if nxt:
        m = nxt  # "65 شخصا في أوتار براديش و35 في راجستان": the next row's place is not this one's
    row = bool(_NEXT_ROW.search(sent, e) or _ROW_BEFORE.search(sent[:s]))
    # a city is its state where an incident is told ("هجوم في باريس" is in France), not where a count is
    # ("374 ألف سائح زاروا أبوظبي" are not the visitors of the Emirates)
    own_pl = pl = places(ments, sent_start + left, sent_start + (m.start() if m else len(sent)), exclude,
                         fold=incident) if text else frozenset()
    if text and not pl:
        pl = places(ments, sent_start, sent_start + len(sent), exclude, fold=incident)
    lo, hi = interval(c)
    first = [key(w) for w in _WORD.findall(sent[s:e])[:1]]
    if first and _match_at(first, 0, cues().many):
        kind = None  # "مئات الجرحى": hundreds, too vague to contradict anything
    words, _, i1 = _clause_words(sent, s, e)
    if any(_match_at(words, j, cues().at_least) for j in range(i1, min(len(words), i1 + 3))):
        hi = math.inf  # "66 شخصا على الأقل": at least 66
    day = own["value"] if own and len(own.get("value") or "") == 10 else None
    # its own date was the start of a running total ("منذ العام 2012"): it holds at publication
    running = bool(c["date"] and c["date"].get("value")) and label.startswith("published")
    return Figure(c, kind, span, label, pl, lo, hi, content_words(sent, sent_start, ments), day, own_pl, row, running)


def _canonical(c: dict) -> tuple:
    return (c["id"], c["start"], c["end"], c["unit"], c["value"] or 0, c["low"] or 0, c["high"] or 0)


def _fmt(c: dict) -> str:
    v = f"{c['value']:,.0f}" if c["value"] is not None else f"{c['low']:,.0f}–{c['high']:,.0f}"
    q = {"exact": "", "about": "about ", "more_than": "more than ", "less_than": "less than ", "up_to": "up to "}.get(c["qualifier"], "")
    return q + v


def _same_statement(a: dict, b: dict) -> bool:
    """One document saying one thing (two sides from one document need two different sources)."""
    if a["id"] != b["id"]:
        return False
    sa, sb = (a["source"] or {}).get("text"), (b["source"] or {}).get("text")
    return not (sa and sb and sa != sb)


def _says_also(same_sentence: list[tuple[float, float]], other: Figure) -> bool:
    """Whether a sentence gives, beside one figure, another that the other side's figure fits."""
    return any(lo <= other.hi and other.lo <= hi for lo, hi in same_sentence)


def _grew(a: Figure, b: Figure) -> bool:
    """A running count (the displaced, the dead) told on two different days, the later one higher: the
    count grew, both can be true."""
    if a.count.split("/")[0] not in cues().rising or a.period is None or b.period is None:
        return False
    pa, pb = (a.claim["source_document"]["published"] or "")[:10], (b.claim["source_document"]["published"] or "")[:10]
    if not pa or not pb or pa == pb:
        return False
    # the later report is the later publication, whatever day it counts ("131 dead" on 8 August, "more
    # than 460" on 30 September, both of the quake of 5 August)
    early, late = (a, b) if pa < pb else (b, a)
    return late.lo >= early.lo


def candidate_pairs(figs: list[Figure]) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) of figures of one subject and unit that count the same kind over
    overlapping periods: blocked by kind, then swept by period start, so a subject with thousands of
    figures meets only the figures of its own days rather than all of them."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for n, f in enumerate(figs):
        by_kind[f.count].append(n)
    out: list[tuple[int, int]] = []
    for members in by_kind.values():
        undated = [n for n in members if figs[n].period is None]
        out += list(combinations(undated, 2))  # undated figures meet only undated ones
        dated = sorted((n for n in members if figs[n].period is not None), key=lambda n: figs[n].period[0])
        for k, n in enumerate(dated):
            end = figs[n].period[1]
            for m in dated[k + 1:]:
                if figs[m].period[0] > end:
                    break
                out.append((min(n, m), max(n, m)))
    return sorted(out)


def listings(claims: list[dict], docs: _Docs) -> dict[tuple, int]:
    """How many figures of each unit each sentence gives, but the parts after a breakdown word ("بينهم"):
    a sentence with several ("65 شخصا في أوتار براديش و35 في راجستان"، "جرح 12 فلسطينيا ... وجرح سبعة
    إسرائيليين") lists rows by place or by side, and none of its rows is the whole."""
    n: dict[tuple, int] = defaultdict(int)
    for c in claims:
        if c["modality"] not in COMPARED_MODALITIES or cues().unit_rules.get(c["unit"]) == "-":
            continue
        sent, s, _ = _locate(docs.texts.get(c["id"]), c)
        if not _has([key(w) for w in _WORD.findall(sent[:s])][-BREAKDOWN_WINDOW:], cues().breakdown):
            n[(c["id"], c["sentence"], c["unit"])] += 1
    return n


def figure_disagreements(claims: list[dict], docs: _Docs) -> list[dict]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        if c["subject"] and c["modality"] in COMPARED_MODALITIES:
            groups[(c["subject"], c["unit"])].append(c)
    groups = {k: v for k, v in groups.items() if len({c["id"] for c in v}) > 1 or len(v) > 1}
    docs.load(c["id"] for cs in groups.values() for c in cs)
    # every figure each sentence gives (any unit but shares: "النازحين 200 ألف ... تجاوز 270 ألف شخص")
    said: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    for c in claims:
        if cues().unit_rules.get(c["unit"]) != "-":
            said[(c["id"], c["sentence"])].append(interval(c))
    listed = listings(claims, docs)
    out: dict[tuple, dict] = {}
    for (subject, unit), cs in sorted(groups.items()):
        figs = [f for f in (figure(c, docs) for c in sorted(cs, key=_canonical)) if f.count]
        for i, j in candidate_pairs(figs):
            a, b = figs[i], figs[j]
            if _same_statement(a.claim, b.claim):
                continue
            if a.places and b.places and not a.places & b.places:
                continue
            if any((x.row or listed.get((x.claim["id"], x.claim["sentence"], unit), 0) > 1) and not x.clause_places & y.places
                   for x, y in ((a, b), (b, a))):
                continue  # "65 في أوتار براديش و35 في راجستان": one row of a list is compared by its own place
            incident = a.count.split("/")[0] in cues().event_kinds
            if bool(a.places) != bool(b.places) and not incident:
                continue  # Syrian refugees in Lebanon vs Syrian refugees in all: a place on one side only is
                # another scope (a toll of an incident may still be tied by its words, below)
            if _says_also(said[(a.claim["id"], a.claim["sentence"])], b) or _says_also(said[(b.claim["id"], b.claim["sentence"])], a):
                continue  # "650 ألف مسجلين ... والإجمالي 1.3 مليون": the sentence itself gives the other figure
            if any(x.running and not y.running and not y.period_label.startswith(("published", "undated"))
                   for x, y in ((a, b), (b, a))):
                continue  # "400 ألف طالب لجوء منذ 2012" and "163 ألف هذا العام": a total since, and a year's count
            if _grew(a, b):
                continue
            if _is_money(unit) and len(a.words & b.words) < MONEY_OVERLAP * len(a.words | b.words):
                continue
            if incident and a.day and b.day and a.day != b.day:
                continue  # "قتل 11 مدنيا السبت" and "قتل 16 مدنيا الجمعة": two days, two incidents
            if incident and any(x.day and x.day > (y.claim["source_document"]["published"] or "9")[:10] for x, y in ((a, b), (b, a))):
                continue  # an article cannot count the dead of a day after it was published
            if incident and not (a.places & b.places or specific(a.words & b.words)):
                continue  # two tolls are of one incident only if they name its place or its words
            small, big = (a, b) if a.hi < b.lo else (b, a) if b.hi < a.lo else (None, None)
            if small is None or small.hi <= 0 or big.lo / small.hi > MAX_RATIO:
                continue
            sig = (subject, unit, a.count, tuple(sorted([_fmt(a.claim), _fmt(b.claim)])))
            if sig in out:
                out[sig]["pairs"] += 1
                continue
            shared = sorted(a.places & b.places)
            out[sig] = {
                "kind": "figures", "subject": subject, "unit": unit, "count": a.count,
                "period": a.period_label if a.period_label == b.period_label else f"{a.period_label} / {b.period_label}",
                "why": {
                    "text": f"same subject ({subject}), unit ({unit}) and count ({a.count}); "
                            + (f"periods {a.period_label} and {b.period_label} overlap" if a.period else "both undated")
                            + (f"; both name {', '.join(shared)}" if shared else "")
                            + f"; {_fmt(a.claim)} and {_fmt(b.claim)} cannot both be true",
                    "subject": subject, "unit": unit, "count": a.count, "periods": [a.period_label, b.period_label],
                    "places": shared,
                },
                "pairs": 1, "sides": [a.claim, b.claim],
            }
    return list(out.values())


def _denies_figure(c: dict, docs: _Docs) -> bool:
    """A denying word within a few words before the figure ("نفت وجود 10 آلاف جندي")."""
    sent, s, _ = _locate(docs.texts.get(c["id"]), c)
    return _deny_at([key(w) for w in _WORD.findall(sent[:s])][-KIND_WINDOW:]) is not None


def denied_figures(claims: list[dict], docs: _Docs) -> list[dict]:
    """A figure one source denies and another asserts."""
    denied = [c for c in claims if c["modality"] == "denied" and c["subject"]]
    docs.load(c["id"] for c in denied)
    denied = [c for c in denied if _denies_figure(c, docs)]
    if not denied:
        return []
    asserted = defaultdict(list)
    for c in claims:
        if c["modality"] in COMPARED_MODALITIES and c["subject"]:
            asserted[(c["subject"], c["unit"])].append(c)
    docs.load([c["id"] for c in denied] + [c["id"] for d in denied for c in asserted[(d["subject"], d["unit"])]])
    out = []
    for d in sorted(denied, key=_canonical):
        fd = figure(d, docs)
        for c in sorted(asserted[(d["subject"], d["unit"])], key=_canonical):
            fc = figure(c, docs)
            if fd.count is None or fc.count != fd.count or c["id"] == d["id"] or not _overlap(fd.period, fc.period):
                continue
            if fd.hi < fc.lo or fc.hi < fd.lo or not specific(fd.words & fc.words):
                continue
            out.append({
                "kind": "denial", "type": "claim", "denied_by": sorted({(d["source"] or {}).get("entity") or (d["source"] or {}).get("text") or "?"}),
                "why": {"text": f"the same figure ({d['subject']}, {d['unit']}, {fd.count}) asserted and denied",
                        "subject": d["subject"], "unit": d["unit"], "count": fd.count, "periods": [fc.period_label, fd.period_label]},
                "sides": [c, d],
            })
    return out


# --- denials of events ---------------------------------------------------------------------------------

def _deny_at(words: list[str]) -> int | None:
    deny = cues().deny
    return next((i for i in range(len(words)) if _match_at(words, i, deny)), None)


def _denial_content(ev: dict, docs: _Docs) -> tuple[frozenset[str], list[str]] | None:
    """What a denial denies — the content words, and the normalised words, of the few words after its
    denying word — or None when the event is no denial: a REJECT whose trigger denies ("نفت", not
    "رفضت"), or an event reported negated in a sentence that denies it."""
    text = docs.texts.get(ev["id"])
    sent, s, _ = _locate(text, ev)
    sent_start = ev["start"] - s
    if ev["type"] == "REJECT" and not ev["negated"]:
        trig = [key(w) for w in _WORD.findall(ev.get("trigger") or "")]
        if not (trig and _match_at(trig, 0, cues().deny)):
            return None
        at = max(0, s)
    elif ev["negated"]:
        words = [m for m in _WORD.finditer(sent)]
        i = _deny_at([key(m.group()) for m in words])
        if i is None:
            return None
        at = words[i].start()
    else:
        return None
    # "نفت الصين أن قوانينها تشترط نقل التكنولوجيا وهددت بالرد على أي تعريفات جمركية": what is denied is
    # what follows the denying word, not the rest of the sentence
    m = _NEW_CLAUSE.search(sent, at)  # "وتنفي إيران السعي إلى تطوير أسلحة نووية، وقد وافقت ...": not denied
    every = list(_WORD.finditer(sent, at, m.start() if m else len(sent)))
    window = _without_relative(sent, every)[:DENIAL_WORDS + 1]
    end = window[-1].end() if window else at
    kept = {w.start() for w in window}
    chars = list(sent[at:end])  # the relative clause blanked, offsets kept for the mentions
    for w in every:
        if w.start() < end and w.start() not in kept:
            chars[w.start() - at:w.end() - at] = " " * (w.end() - w.start())
    content = content_words("".join(chars), sent_start + at, docs.mentions.get(ev["id"], []))
    return content, [key(m.group()) for m in window[1:]]


def _without_relative(sent: str, words: list[re.Match]) -> list[re.Match]:
    """The words but those of a relative clause set off by commas ("نفت حكومة الأسد، التي تتلقى دعما
    عسكريا من روسيا، مسؤوليتها": the support describes the denier, it is not what is denied)."""
    rel = cues().relative
    out, inside = [], False
    for k, w in enumerate(words):
        comma = k > 0 and bool(re.search(r"[،,]", sent[words[k - 1].end():w.start()]))
        if comma and _match_at([key(w.group())], 0, rel):
            inside = True
        elif comma:
            inside = False
        if not inside:
            out.append(w)
    return out


def _denies_type(words: list[str], etype: str) -> str | None:
    """What a denial's words deny of an event of this type: "event" (a deal, an attack), "blame" (an
    involvement in an attack, "تورطها") or None."""
    d = cues().denies
    if etype == "ASSAULT" and _has(words, d.get("blame", _NO_FORMS)):
        return "blame"  # "تنفي تورطها في الهجوم": the involvement is denied, whatever words follow
    return "event" if _has(words, d.get(etype, _NO_FORMS)) else None


def blamed(a: dict, deniers: set[str], by_words: bool = False) -> bool:
    """Whether an assertion lays its event on one who denies: that one is its actor, or is named in a
    sentence that blames ("ألقيت مسؤوليته على روسيا"). A denial of involvement needs the blame itself:
    "an investigation into the attack on the spy" is no accusation of the spy's country."""
    words = [key(w) for w in _WORD.findall(a["sentence"] or "")]
    if _has(words, cues().blame):
        return bool((set(a["actors"]) | set(a["targets"])) & deniers)
    return not by_words and bool(set(a["actors"]) & deniers)


def _event_words(ev: dict, docs: _Docs) -> frozenset[str]:
    """The content words around an event's trigger: "شنت ... عملية عسكرية على سوريا ردا على الهجوم
    الكيميائي" is a strike, and the chemical attack it answers, far from its trigger, is another event."""
    sent, s, e = _locate(docs.texts.get(ev["id"]), ev)
    before = [m.start() for m in _WORD.finditer(sent, 0, s)][-TRIGGER_WORDS:]
    after = [m.end() for m in _WORD.finditer(sent, e)][:TRIGGER_WORDS]
    left, right = (before[0] if before else s), (after[-1] if after else e)
    # "منظمة حظر الأسلحة الكيميائية": the words of an organisation's name say nothing of the event
    chars = list(sent[left:right])
    words = list(_WORD.finditer(sent, left, right))
    for k, w in enumerate(words):
        if _match_at([key(w.group())], 0, cues().named):
            for x in words[k + 1:k + 1 + NAME_WORDS]:
                chars[x.start() - left:x.end() - left] = " " * (x.end() - x.start())
    return content_words("".join(chars), ev["start"] - s + left, docs.mentions.get(ev["id"], []))


def event_denials(events: list[dict], docs: _Docs) -> list[dict]:
    """An event asserted, and denied by a party to it, in words that share what it is about."""
    cue = cues()
    events = sorted(events, key=lambda e: (e["id"], e["start"], e["end"], e["type"]))
    candidates = [e for e in events if e["type"] == "REJECT" or e["negated"]]
    docs.load(e["id"] for e in candidates)
    denials = [(d, *w) for d in candidates if (w := _denial_content(d, docs)) is not None]
    by_type = defaultdict(list)
    for e in events:  # assertions: not negated, and not in a sentence that denies or doubts what it reports
        words = [key(w) for w in _WORD.findall(e["sentence"] or "")]
        if not e["negated"] and e["type"] != "REJECT" and not _has(words, cue.deny) and not _has(words, cue.dispute):
            by_type[e["type"]].append(e)
    out: dict[tuple, dict] = {}
    # an assertion can be denied only by a party among its actors: index them by actor, so a denial
    # meets only the assertions of its parties (in their listed order, as a scan of all would)
    by_actor: dict[tuple[str, str], list[int]] = defaultdict(list)
    for etype, evs in by_type.items():
        for n, e in enumerate(evs):
            for x in set(e["actors"]):
                by_actor[(etype, x)].append(n)
    for d, denied_words, denial_text in denials:
        party = set(d["actors"]) | set(d["targets"])
        types = [d["type"]] if d["negated"] else sorted(cue.deniable)
        for etype in types:
            denies = _denies_type(denial_text, etype)
            if not denies:
                continue  # "تنفي طهران السعي لامتلاك أسلحة نووية" denies no supply of weapons
            near = sorted({n for x in party for n in by_actor.get((etype, x), ())})
            for a in (by_type[etype][n] for n in near):
                if a["id"] == d["id"] and a["sentence"] == d["sentence"]:
                    continue
                sa, st = set(a["actors"]) & party, set(a["targets"]) & party
                if d["negated"]:
                    sa, st = set(a["actors"]) & set(d["actors"]), set(a["targets"]) & set(d["targets"])
                if not any(x != y for x in sa for y in st):
                    continue  # the denial names the event's actor and its target
                if not set(d["actors"]) & (set(a["actors"]) | set(a["targets"])):
                    continue  # and the one denying is a party to it
                if not blamed(a, set(d["actors"]), by_words=denies == "blame"):
                    continue  # one denies having done a thing: the assertion must say they did it
                pa, la = period(a["date"], a["source_document"]["published"])
                pd, ld = period(d["date"], d["source_document"]["published"])
                if not _overlap(pa, pd):
                    continue
                sig = (a["type"], key(a["sentence"] or ""), key(d["sentence"] or ""))
                if sig in out:
                    continue
                docs.load([a["id"]])
                shared = [w for w in specific(denied_words & _event_words(a, docs))
                          if not w.startswith("#") or cue.topic_types.get(w[1:], frozenset()) & {"any", a["type"]}]
                if not shared:
                    continue  # the denial speaks of something else
                out[sig] = {
                    "kind": "denial", "type": a["type"], "denied_by": sorted(set(d["actors"])),
                    "why": {"text": f"{a['type']} by {', '.join(sorted(sa))} on {', '.join(sorted(st))} asserted, denied by "
                                    f"{', '.join(sorted(set(d['actors'])))} (a party to it); both speak of "
                                    f"{', '.join(shared[:5])}" + (f"; dates {la} and {ld} overlap" if pa else "; both undated"),
                            "event": a["type"], "actors": sorted(sa), "targets": sorted(st), "shared_words": shared,
                            "periods": [la, ld]},
                    "sides": [a, d],
                }
    return list(out.values())


def disagreements(store, claims: list[dict], events: list[dict]) -> list[dict]:
    docs = _Docs(store)
    return figure_disagreements(claims, docs) + denied_figures(claims, docs) + event_denials(events, docs)
