"""Attributed quantitative claims: a quantity, what it counts, whose it is, who says so, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rasd import resources
from rasd.annotate.entities import with_referenced
from rasd.arabic.dates import find_dates, nearest_date, to_date
from rasd.arabic.normalise import key
from rasd.clean.text import is_heading
from rasd.extract.attribution import (
    Attribution,
    SentenceModality,
    attribution,
    carries,
    entities_in,
    has_speech_verb,
    latest_speaker,
    opens_without_subject,
    reported_by_no_one,
    same_source,
    speaker_at,
)
from rasd.extract.numbers import Quantity, find_quantities
from rasd.kb.knowledge_base import NISBA, knowledge_base
from rasd.model import Claim, Document
from rasd.regex_words import trie_regex


@dataclass(frozen=True)
class UnitLexicon:
    nouns: dict[str, tuple[str, str]]  # normalised noun -> (unit key, class)
    after: re.Pattern[str]  # the unit noun right after a number
    counted: re.Pattern[str]  # "عدد الجنود ...": the noun a count word names before the number
    context_before: re.Pattern[str]  # what happened to the people counted, said before the number
    context_after: re.Pattern[str]  # ... or right after the counted noun
    context_kind: dict[str, str]  # normalised phrase -> unit (casualties_killed, prisoners, ...)
    not_claim: re.Pattern[str]  # a label before the number: article, resolution, age, hour ...
    nisba: re.Pattern[str]  # a nationality used as a noun ("8 فلسطينيين")
    duals: dict[str, tuple[str, str]]  # a counted noun's dual (جنديين، طائرتان) -> (unit key, class): a count of 2
    share: re.Pattern[str]  # "نصفهم", "ثلثها": a share of a count said before, in percent
    shares: dict[str, float]  # the fraction words of a share, with their value
    vote: re.Pattern[str]  # "صوت لصالح ...", "وعارضه": a count after it in its clause is of votes


def _alt(items) -> str:
    return trie_regex(set(items))  # the flat alternation longest first, as a trie (rasd.regex_words)


@lru_cache(maxsize=1)
def units() -> UnitLexicon:
    """Unit nouns from resources/units.tsv and the words around a count from resources/claim_context.tsv."""
    nouns = {key(n): (u, cls) for u, cls, ns in resources.read_tsv("units.tsv", 3) for n in ns.split("|")}
    fractions = {key(w): float(v) for w, v, kind in resources.read_tsv("number_words.tsv", 3) if kind == "fraction"}
    rows: dict[tuple[str, str], list[str]] = {}
    for kind, pos, phrases in resources.read_tsv("claim_context.tsv", 3):
        rows.setdefault((kind, pos), []).extend(key(p) for p in phrases.split("|"))
    of = _alt(rows[("of", "between")])
    alt = _alt(nouns)
    after = re.compile(rf"\s*(?:(?:{of})\s+)?(?:ال)?(?P<noun>{alt})(?!\w)")
    counted = re.compile(rf"(?:^|\s)(?:{_alt(rows[('counted', 'before')])})\s+(?:ال)?(?P<noun>{alt})(?!\w)")
    kinds = {k for k, _ in rows} - {"not_claim", "nisba", "counted", "of", "share", "dual_m", "dual_f", "dual_not", "vote"}
    kind_of = {p: k for k in kinds for pos in ("before", "after") for p in rows.get((k, pos), [])}
    before = [p for k in kinds for p in rows.get((k, "before"), [])]
    after_ctx = [p for k in kinds for p in rows.get((k, "after"), [])]
    clitic = "(?:و|ف|ب|ل)?"
    return UnitLexicon(
        nouns, after, counted,
        re.compile(rf"(?<!\w){clitic}(?P<phrase>{_alt(before)})(?!\w)"),
        re.compile(rf"(?<!\w){clitic}(?P<phrase>{_alt(after_ctx)})(?!\w)"),
        kind_of,
        re.compile(rf"(?<!\w){clitic}(?:{_alt(rows[('not_claim', 'before')])})\s*[-ـ]?\s*$"),
        re.compile(rf"(?:{_alt(rows[('nisba', 'ending')])})$"),
        _duals(nouns, rows[("dual_m", "ending")], rows[("dual_f", "ending")], set(rows[("dual_not", "nouns")])),
        re.compile(rf"(?<!\w)(?:و|ف)?(?P<share>{_alt(fractions)})(?:{_alt(rows[('share', 'suffix')])})(?!\w)"),
        fractions,
        re.compile(rf"(?<!\w){clitic}(?:{_alt(rows[('vote', 'before')])})(?!\w)"),
    )


def _duals(nouns: dict[str, tuple[str, str]], masculine: list[str], feminine: list[str],
           other_words: set[str]) -> dict[str, tuple[str, str]]:
    """The dual of every one-word counted noun of units.tsv ("جندي" → جنديين، جنديان; "طائرة" → طائرتين، طائرتان،
    طائرتا), except where the same letters are a form the list gives (مسلحين: a plural) and for measures (يومين)."""
    out: dict[str, tuple[str, str]] = {}
    for noun, (unit, cls) in nouns.items():
        if (" " in noun or cls in ("none", "percent") or not noun.isalpha() or noun.endswith(("ا", "ى"))
                or noun in other_words):
            continue
        if noun.endswith("ه"):
            forms = [noun[:-1] + e for e in feminine]
        elif noun + "ا" in nouns:  # a singular (its accusative is listed), not a plural (مدافع → مدافعين "defenders")
            forms = [noun + e for e in masculine]
        else:
            continue
        for form in forms:
            if form not in nouns:
                out.setdefault(form, (unit, cls))
    return out


# How far around a number the words that say what happened to the people it counts are looked for.
CONTEXT_WORDS_BEFORE = 8
CONTEXT_WORDS_AFTER = 3
_CLAUSE_BREAK = re.compile(r"[.,;:!?\"()]")


def extract_claims(doc: Document) -> Document:
    lex = units()
    norm = doc.norm
    ref = to_date(doc.published)
    claims: list[Claim] = []
    # Attributed sentences so far, newest last, resolved only when a later "وأضاف ..." needs one:
    # resolved Attribution objects and (normalised sentence, offset) pairs not yet resolved.
    previous: list[tuple[str, int] | Attribution] = []
    # The sentence that opened a quotation still open (its speaker says every sentence up to the close).
    # Whether a quotation is open is kept apart from who opened it: a quotation with no speaker must still
    # close at its closing mark, or the next unbalanced sentence opens one that never closes.
    quoted: list[tuple[str, int] | Attribution] = []
    open_quote = False
    last_end = 0
    last_had = False  # did the sentence before hold a figure (a share "نصفهم" is of a count said before)
    # the sentence just before, when it has a speaker: quoted words in the next sentence with no speaker of their
    # own are the same speaker's ("ونقلت فرانس برس عن مصادر أمنية قولها إن .... وأدى الهجوم إلى \"إصابة تسعة شرطيين\"")
    just_before: list[tuple[str, int] | Attribution] = []
    for sent in doc.sentence_spans:
        s_text = doc.text[sent.start:sent.end]
        if "\n" in doc.text[last_end:sent.start]:
            open_quote, quoted = False, []  # a quotation left open (a closing mark the writer forgot) ends with its paragraph
        last_end = sent.end
        before_this, just_before = just_before, []
        if is_heading(doc.text, sent.start, sent.end):
            previous = []
            quoted, open_quote = [], False
            continue  # headings repeat the body's claims without their attribution
        ns, ne = norm.to_normalised(sent.start), norm.to_normalised(sent.end)
        n_sent = norm.text[ns:ne]
        words = n_sent.split()
        quantities = find_quantities(n_sent)
        had_figures, last_had = last_had, bool(quantities)
        inside = open_quote
        toggles = _toggles_quote(s_text, inside)
        if toggles:
            open_quote = not inside
        if not quantities and not _has_dual(n_sent, lex) and not (had_figures and lex.share.search(n_sent)):
            # attribution still carries over a sentence without figures ("وقال X ... . وأضاف ...")
            if has_speech_verb(words):
                previous.append((n_sent, ns))
            just_before = [(n_sent, ns)]  # resolved only if the next sentence quotes with no speaker
            if toggles and not inside:
                # "وأضاف: \"...": the quotation's speaker may be carried from the sentence before
                opener = attribution(doc, n_sent, ns) or (latest_speaker(doc, previous) if carries(words) else None)
                quoted = [opener] if opener is not None else []
            elif toggles:
                quoted = []
            continue
        carried = latest_speaker(doc, previous) if carries(words) else None
        if carried is None and inside and quoted:
            carried = latest_speaker(doc, quoted)
        # "وأضاف أن ... لن يرى النور": a sentence that opens with its speech verb and no subject is the previous
        # speaker's, whatever verb the words said hold
        source = carried if carried is not None and opens_without_subject(words) else (attribution(doc, n_sent, ns) or carried)
        if source is not None and same_source(source):
            source = latest_speaker(doc, previous) or source  # "وفق المصدر نفسه": the one named before
        dates = find_dates(s_text, ref, n_sent)
        prev_end = 0
        modalities = SentenceModality(n_sent)  # once per sentence, not once per figure
        passive = source is None and reported_by_no_one(words)
        for q, fixed in _with_counted_words(n_sent, quantities, lex, had_figures):
            found = fixed or _unit(doc, n_sent, ns, q, prev_end, lex, dates, sent.start)
            if fixed is not None and fixed[0] in _PERSON_UNITS():
                found = (_what_happened(n_sent, max(prev_end, 0), q.start, q.end, lex) or fixed[0], *fixed[1:])
            prev_end = q.end
            if found is None:
                continue
            unit_key, u_start, u_end, nisba_subject = found
            qs, qe = norm.span_to_original(ns + q.start, ns + q.end)
            us, ue = norm.span_to_original(ns + u_start, ns + u_end)
            subject = nisba_subject or _subject(doc, ns + u_end, ns, ne, source)
            speaker = speaker_at(doc, n_sent, ns, source, q.start)
            if speaker is None and source is None and not passive and before_this and _quoted_at(n_sent, q.start):
                speaker = latest_speaker(doc, before_this)
            claims.append(Claim(
                value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=unit_key,
                unit_text=doc.text[us:ue],
                subject=subject, source=speaker.ref if speaker else None,
                date=nearest_date(dates, qs - sent.start),
                modality=modalities.at(q.start, speaker is not None or passive),
                start=min(qs, us), end=max(qe, ue), sentence=s_text,
            ))
        if source is not None:
            previous.append(source)
            just_before = [source]
        if toggles:
            quoted = [] if inside else ([source] if source is not None else [])
    claims = _one_per_figure(claims)
    return with_referenced(doc.replace(claims=tuple(claims)), {c.subject for c in claims if c.subject})


@lru_cache(maxsize=1)
def _PERSON_UNITS() -> frozenset[str]:  # noqa: N802
    return frozenset(u for u, cls in units().nouns.values() if cls == "person")


_WORD = re.compile(r"(?<![\w.,])\w+(?!\w)")
_DUAL_CLITICS = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")  # never the article (الطائرتين), nor ك (كبيرين)


def _dual_words(n_sent: str, lex: UnitLexicon):
    """(start, end, unit, class) of each counted noun in the dual ("جنديين", "وطائرتان", "مقاتلتا"): a count of 2;
    not after a figure or a number word ("11 قتيلين", "ثلاثة مدنيين" are no duals)."""
    for m in _WORD.finditer(n_sent):
        w = m.group()
        found = next(((len(c), lex.duals[w[len(c):]]) for c in _DUAL_CLITICS
                      if w.startswith(c) and w[len(c):] in lex.duals), None)
        if found is None:
            continue
        before = n_sent[:m.start()].split()[-1:]
        if before and (re.search(r"\d$", before[0]) or before[0] in number_words()):
            continue
        cut, (unit, cls) = found
        yield m.start() + cut, m.end(), unit, cls


def _has_dual(n_sent: str, lex: UnitLexicon) -> bool:
    return any(True for _ in _dual_words(n_sent, lex))


@lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """The number words (number_words.tsv): a noun after one is counted by it, not a dual."""
    return frozenset(key(w) for w, _v, _k in resources.read_tsv("number_words.tsv", 3))


def _with_counted_words(n_sent: str, quantities: list, lex: UnitLexicon, had_figures: bool):
    """The sentence's figures in order, each with None (its unit is read after it), and the counts told by a word:
    a dual noun (2 of it) and, after a figure, a share ("نصفهم": 50 percent), each with its unit."""
    items = [(q, None) for q in quantities]
    for start, end, unit, _cls in _dual_words(n_sent, lex):
        if any(q.start <= start < q.end for q in quantities):
            continue
        items.append((Quantity(start, end, 2.0, None, None, "exact"), (unit, start, end, None)))
    if had_figures or quantities:
        for m in lex.share.finditer(n_sent):
            if quantities and not had_figures and quantities[0].start > m.start():
                continue  # a share is of a count said before it
            value = round(lex.shares[m.group("share")] * 100, 2)
            items.append((Quantity(m.start(), m.end(), value, None, None, "exact"), ("percent", m.start(), m.end(), None)))
    return sorted(items, key=lambda x: x[0].start)


def _one_per_figure(claims: list[Claim]) -> list[Claim]:
    """The same figure (value, qualifier, unit; the same subject or one side without one) said twice in an
    article is one claim: the first, with the subject and the source any of its statements gives."""
    out: list[Claim] = []
    for c in claims:
        k = (c.value, c.low, c.high, c.qualifier, c.unit)
        same = next((i for i, o in enumerate(out) if (o.value, o.low, o.high, o.qualifier, o.unit) == k
                     and (o.subject is None or c.subject is None or o.subject == c.subject)), None)
        if same is None:
            out.append(c)
            continue
        first = out[same]
        if first.subject is None and c.subject is not None:
            first = replace(first, subject=c.subject)
        if first.source is None and c.source is not None:
            first = replace(first, source=c.source, modality=c.modality)
        out[same] = first
    return out


QUOTED_MIN_WORDS = 4  # a quotation, not a quoted name or term ("داعش")


def _quoted_at(n_sent: str, pos: int) -> bool:
    """Does ``pos`` fall inside words in quotation marks (a pair of them, four words or more)?"""
    for m in re.finditer(r'"([^"]*)"|«([^»]*)»|“([^”]*)”', n_sent):
        inner = next(g for g in m.groups() if g is not None)
        if m.start() < pos < m.end() and len(inner.split()) >= QUOTED_MIN_WORDS:
            return True
    return False


def _toggles_quote(s_text: str, inside: bool) -> bool:
    """Does a sentence open a quotation it leaves open (outside one), or close the open one (inside)?"""
    straight = s_text.count('"') % 2 == 1
    opens = s_text.count("«") + s_text.count("“")
    closes = s_text.count("»") + s_text.count("”")
    return straight or (closes > opens if inside else opens > closes)


def _unit(doc: Document, n_sent: str, ns: int, q, prev_end: int, lex: UnitLexicon, dates, sent_start: int):
    """(unit key, normalised start, end of the unit noun, subject or None) of a quantity that is a claim,
    or None: vague magnitudes, labels (article, resolution, age, hour numbers), numbers inside a date,
    durations and other measures are not claims."""
    if q.vague or lex.not_claim.search(n_sent, max(0, q.start - 30), q.start):
        return None
    qs, qe = doc.norm.span_to_original(ns + q.start, ns + q.end)
    if any(d.start <= qs - sent_start < d.end or d.start < qe - sent_start <= d.end for d in dates):
        return None
    subject = None
    m = lex.after.match(n_sent, q.end)
    if m:
        unit, cls = lex.nouns[m.group("noun")]
        u_start, u_end = m.start("noun"), m.end("noun")
    else:
        found = _nisba_after(doc, n_sent, ns, q.end, lex)
        if found is None:
            # "بينهم 25 بجروح خطرة": no noun, but what happened to them follows the number
            m = lex.context_after.match(n_sent, q.end + len(n_sent[q.end:]) - len(n_sent[q.end:].lstrip()))
            if m:
                return lex.context_kind[m.group("phrase")], m.start("phrase"), m.end("phrase"), None
            if _looks_like_year(n_sent, q):
                return None
            return _unit_counted_before(n_sent, q.start, lex)
        u_start, u_end, subject = found
        unit, cls = "people", "person"
    if cls == "none" or (cls == "person" and _a_vote(n_sent, q.start, lex)):
        return None
    if cls == "person" and unit not in _TOLD_BY_THE_NOUN:
        # (but "ثلاثة قتلى وأربعة جرحى": a noun that says what happened keeps it)
        unit = _what_happened(n_sent, max(prev_end, 0), q.start, u_end, lex) or unit
    return unit, u_start, u_end, subject


VOTE_WORDS_BEFORE = 4


def _a_vote(n_sent: str, start: int, lex: UnitLexicon) -> bool:
    """"صوت لصالح المشروع 57 عضوا وعارضه 11 آخرون": people counted right after a vote word in their clause voted."""
    words = list(re.finditer(r"\S+", n_sent[:start]))[-VOTE_WORDS_BEFORE:]
    lo = words[0].start() if words else start
    lo = max([lo, *(m.end() for m in _CLAUSE_BREAK.finditer(n_sent, lo, start))])
    return lex.vote.search(n_sent, lo, start) is not None


_TOLD_BY_THE_NOUN = frozenset({"casualties_killed", "casualties_wounded"})  # قتلى، جرحى: the noun says it


def _looks_like_year(n_sent: str, q) -> bool:
    """2018, و1917, or 1915-1917: years, not counts (when no noun follows them)."""
    ends = [q.value] if q.value is not None else [q.low, q.high]
    return all(v is not None and v.is_integer() and 1900 <= v <= 2100 for v in ends) and (
        q.value is None or re.fullmatch(r"\D?\d{4}", n_sent[q.start:q.end]) is not None)


def _what_happened(n_sent: str, prev_end: int, start: int, u_end: int, lex: UnitLexicon) -> str | None:
    """Killed, wounded, held or displaced: the nearest phrase before the number in its clause (not past an
    earlier number's own phrase), else one right after the counted noun."""
    before = n_sent[:start]
    words = list(re.finditer(r"\S+", before))[-CONTEXT_WORDS_BEFORE:]
    lo = words[0].start() if words else start
    cut = [m.end() for m in _CLAUSE_BREAK.finditer(before, lo)]
    lo = max([lo, *cut])
    found = list(lex.context_before.finditer(n_sent, lo, start))
    if found:
        return lex.context_kind[found[-1].group("phrase")]
    tail = n_sent[u_end:]
    stop = _CLAUSE_BREAK.search(tail)
    window = " ".join(tail[: stop.start() if stop else len(tail)].split()[:CONTEXT_WORDS_AFTER])
    m = lex.context_after.search(window)
    return lex.context_kind[m.group("phrase")] if m else None


def _nisba_after(doc: Document, n_sent: str, ns: int, pos: int, lex: UnitLexicon) -> tuple[int, int, str] | None:
    """"8 فلسطينيين": a nationality adjective used as the counted noun, with the state it names."""
    m = re.match(r"\s*(\S+?)[.,;:!?\"]*(?=\s|$)", n_sent[pos:])
    if not m or not lex.nisba.search(m.group(1)):
        return None
    w_start, w_end = pos + m.start(1), pos + m.end(1)
    s, e = doc.norm.span_to_original(ns + w_start, ns + w_end)
    for _start, eid, etype in entities_in(doc, s, e):
        if etype == "GPE":
            return w_start, w_end, knowledge_base().stands_for(eid)
    state = _accusative_nisba(m.group(1))
    return (w_start, w_end, state) if state else None


def _accusative_nisba(word: str) -> str | None:
    """"30 فلسطينيا", "14 إيرانيا": the singular a count from 11 to 99 takes (accusative, -يا) is not a
    form the entity stage links (it would be read as a state's name: سوريا); it is the nisba whose
    plural (-يين) the knowledge base knows."""
    if not word.endswith("يا") or len(word) < 5:
        return None
    kb = knowledge_base()
    for form in kb.forms.get(word[:-1] + "ين", ()):
        entity = kb.entities.get(form.entity)
        if form.kind == NISBA and entity is not None and entity.type == "GPE":
            return kb.stands_for(form.entity)
    return None


def _unit_counted_before(n_sent: str, pos: int, lex: UnitLexicon):
    """"عدد الجنود ... (في) حوالي 1000": the noun counted by عدد earlier in the clause."""
    found = list(lex.counted.finditer(n_sent, max(0, pos - 90), pos))
    if not found:
        return None
    m = found[-1]
    unit, cls = lex.nouns[m.group("noun")]
    if cls == "none":
        return None
    return unit, m.start("noun"), m.end("noun"), None


def _subject(doc: Document, n_unit_end: int, ns: int, ne: int, source: Attribution | None) -> str | None:
    """Whose troops/containers: a state right after the unit ("جندي من كوريا الشمالية", "جنود كوريين
    شماليين"), else the first state in the sentence that is neither the source nor a destination."""
    norm = doc.norm
    u_end = norm.to_original(n_unit_end - 1) + 1
    window_end = norm.to_original(min(n_unit_end + 40, ne) - 1) + 1
    for start, eid, etype in entities_in(doc, u_end, window_end):
        gap = doc.text[u_end:start]
        if etype == "GPE" and re.fullmatch(r"\s*(?:\S+\s+){0,2}?(?:من\s+)?(?:ال)?", gap) and not re.search(r"(?:إلى|الى)\s*$", gap):
            if re.search(r"من\s*(?:ال)?$", gap) or not gap.strip():
                return knowledge_base().stands_for(eid)
    s, e = norm.to_original(ns), norm.to_original(ne - 1) + 1
    for start, eid, etype in entities_in(doc, s, e):
        if etype != "GPE" or (source and (eid == source.ref.entity or source.start <= start < source.end)):
            continue
        if re.search(r"(?:إلى|الى|لـ)\s*$", doc.text[max(s, start - 5):start]) or doc.text[start - 1:start] == "ل":
            continue
        return knowledge_base().stands_for(eid)
    return None
