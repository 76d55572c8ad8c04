"""Attributed quantitative claims: a quantity, what it counts, whose it is, who says so, and when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import key
from rasd.clean.text import is_headline
from rasd.extract.dates import find_dates, to_date
from rasd.extract.numbers import find_quantities
from rasd.model import Claim, DateRef, Document, SourceRef

_CLAUSE_END = re.compile(r"[.,;:!?\"]|\s(?:ان|إن|أن|بان|بأن)\s")


@dataclass(frozen=True)
class _Lex:
    units: list[tuple[str, str]]  # (normalised noun, unit key), longest first
    verbs: frozenset[str]
    accuse: frozenset[str]
    deny: frozenset[str]
    according: tuple[str, ...]
    carry: frozenset[str]
    after: tuple[str, ...]
    expected: tuple[str, ...]
    hypothetical: tuple[str, ...]
    according_re: re.Pattern[str]
    after_re: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> _Lex:
    units = [(key(n), u) for u, nouns in resources.read_tsv("units.tsv", 2) for n in nouns.split("|")]
    units.sort(key=lambda x: -len(x[0]))
    rows: dict[str, list[str]] = {}
    for kind, words in resources.read_tsv("speech_verbs.tsv", 2):
        rows.setdefault(kind, []).extend(key(w) for w in words.split("|"))
    according = tuple(sorted(rows["according"], key=len, reverse=True))
    after = tuple(sorted(rows["after"], key=len, reverse=True))
    return _Lex(
        units, frozenset(rows["verb"]), frozenset(rows["accuse"]), frozenset(rows["deny"]),
        according, frozenset(rows["carry"]), after,
        tuple(rows["modality_expected"]), tuple(rows["modality_hypothetical"]),
        re.compile(rf"(?<!\w)(?:و|ف)?(?:{'|'.join(map(re.escape, according))})\s*(?:ـ\s*)?"),
        re.compile("|".join(map(re.escape, after))),
    )


def extract_claims(doc: Document) -> Document:
    lex = lexicon()
    norm = doc.norm
    ref = to_date(doc.published)
    claims: list[Claim] = []
    previous_source: _Attribution | None = None
    for sent in doc.sentence_spans:
        s_text = doc.text[sent.start:sent.end]
        if is_headline(s_text) and "\n" not in s_text and _is_line(doc.text, sent.start, sent.end):
            previous_source = None
            continue  # headings repeat the body's claims without their attribution
        ns, ne = _norm_span(doc, sent.start, sent.end)
        n_sent = norm.text[ns:ne]
        words = n_sent.split()
        carried = previous_source if words and _strip_conj(words[0]) in lex.carry else None
        quantities = find_quantities(n_sent)
        if not quantities:
            # attribution still carries over a sentence without figures ("وقال X ... . وأضاف ...")
            if _has_speech_verb(words, lex):
                previous_source = _source(doc, n_sent, ns, lex) or previous_source
            continue
        source = _source(doc, n_sent, ns, lex) or carried
        dates = find_dates(s_text, ref, n_sent)
        for q in quantities:
            unit = _unit_after(n_sent, q.end, lex) or _unit_counted_before(n_sent, q.start, lex)
            if unit is None:
                continue
            unit_key, u_start, u_end = unit
            qs, qe = norm.span_to_original(ns + q.start, ns + q.end)
            us, ue = norm.span_to_original(ns + u_start, ns + u_end)
            subject = _subject(doc, ns + u_end, ns, ne, source)
            claims.append(Claim(
                value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=unit_key,
                unit_text=doc.text[us:ue],
                subject=subject, source=source.ref if source else None,
                date=_nearest_date(dates, qs - sent.start),
                modality=_modality(n_sent[: q.start], source is not None, lex),
                start=min(qs, us), end=max(qe, ue), sentence=s_text,
            ))
        if source is not None:
            previous_source = source
    from rasd.entities.stage import with_referenced

    return with_referenced(doc.replace(claims=tuple(claims)), {c.subject for c in claims if c.subject})


def _has_speech_verb(words: list[str], lex: _Lex) -> bool:
    return any(_strip_conj(w) in lex.verbs or w in lex.verbs for w in words)


def _is_line(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")


def _strip_conj(word: str) -> str:
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word


def _norm_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    from rasd.entities.stage import _norm_index

    return _norm_index(doc, start), _norm_index(doc, end)


def _unit_after(n_sent: str, pos: int, lex: _Lex) -> tuple[str, int, int] | None:
    """The unit noun right after a number, allowing "من" + article ("سبعة آلاف من الحاويات")."""
    m = re.match(r"\s*(?:من\s+)?(?:ال)?", n_sent[pos:])
    at = pos + (m.end() if m else 0)
    rest = n_sent[at:]
    for noun, unit in lex.units:
        if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
            return unit, at, at + len(noun)
    # no "من": try the noun directly after the number without the article
    rest = n_sent[pos:].lstrip()
    offset = len(n_sent[pos:]) - len(rest)
    for noun, unit in lex.units:
        if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
            return unit, pos + offset, pos + offset + len(noun)
    return None


def _unit_counted_before(n_sent: str, pos: int, lex: _Lex) -> tuple[str, int, int] | None:
    """"عدد الجنود ... (في) حوالي 1000": the noun counted by عدد earlier in the clause."""
    window_start = max(0, pos - 90)
    for m in reversed(list(re.finditer(r"(?:^|\s)عدد\s+(?:ال)?", n_sent[window_start:pos]))):
        at = window_start + m.end()
        rest = n_sent[at:pos]
        for noun, unit in lex.units:
            if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
                return unit, at, at + len(noun)
    return None


def _entities_in(doc: Document, start: int, end: int) -> list[tuple[int, str, str]]:
    """(start, entity id, type) of mentions inside an original span, in order."""
    out = []
    for e in doc.entities:
        for m in e.mentions:
            if start <= m.start and m.end <= end:
                out.append((m.start, e.id, e.type))
    return sorted(out)


@dataclass(frozen=True, slots=True)
class _Attribution:
    ref: SourceRef
    start: int  # original span of the source words, so they are not taken as the subject
    end: int


def _source(doc: Document, n_sent: str, ns: int, lex: _Lex) -> _Attribution | None:
    # "وفقا لـ X" / "بحسب X": X runs to the end of the clause
    for m in lex.according_re.finditer(n_sent):
        tail = n_sent[m.end():]
        cut = _CLAUSE_END.search(tail)
        ref = _ref(doc, ns + m.end(), ns + m.end() + (cut.start() if cut else len(tail)))
        if ref:
            return ref
    # "هذا ما أعلنه X"
    for m in lex.after_re.finditer(n_sent):
        tail = n_sent[m.end():]
        cut = _CLAUSE_END.search(tail)
        ref = _ref(doc, ns + m.end(), ns + m.end() + (cut.start() if cut else len(tail)))
        if ref:
            return ref
    # "قال X إن ..." / "اتهمت X Y بـ": the verb's subject
    for m in re.finditer(r"\S+", n_sent):
        w = _strip_conj(m.group())
        if w in lex.verbs or w in lex.accuse or w in lex.deny:
            tail = n_sent[m.end():]
            cut = re.search(r"\s(?:ان|إن|أن|انه|انها|بان|بانه|بأن|عن|علي|في|من|الي|مع|خلال|بعد|قبل)(?:\s|$)|[,.:\"]", tail)
            end = m.end() + (cut.start() if cut and cut.start() < 120 else min(len(tail), 80))
            ref = _ref(doc, ns + m.end(), ns + end, first_entity_only=w in lex.accuse)
            if ref:
                return ref
    return None


def _ref(doc: Document, n_start: int, n_end: int, first_entity_only: bool = False) -> _Attribution | None:
    s, e = doc.norm.span_to_original(n_start, n_end)
    text = doc.text[s:e].strip(" ،,")
    for d in find_dates(text):
        text = text.replace(d.text, " ")
    text = " ".join(text.split()).strip(" ،,")
    if not text or len(text.split()) > 14:
        return None
    ents = _entities_in(doc, s, e)
    if not first_entity_only:
        # who speaks: a person named in the span before an organisation, before a state
        rank = {"PERSON": 0, "ORG": 1, "GPE": 2}
        ents = sorted(ents, key=lambda x: (rank.get(x[2], 3), x[0]))
    if first_entity_only and ents:
        first = next(m for ent in doc.entities if ent.id == ents[0][1] for m in ent.mentions if m.start == ents[0][0])
        return _Attribution(SourceRef(ents[0][1], first.text), first.start, first.end)
    return _Attribution(SourceRef(ents[0][1] if ents else None, text), s, e)


def _subject(doc: Document, n_unit_end: int, ns: int, ne: int, source: _Attribution | None) -> str | None:
    """Whose troops/containers: a state right after the unit ("جندي من كوريا الشمالية", "جنود كوريين
    شماليين"), else the first state in the sentence that is neither the source nor a destination."""
    norm = doc.norm
    u_end = norm.to_original(n_unit_end - 1) + 1
    window_end = norm.to_original(min(n_unit_end + 40, ne) - 1) + 1
    for start, eid, etype in _entities_in(doc, u_end, window_end):
        gap = doc.text[u_end:start]
        if etype == "GPE" and re.fullmatch(r"\s*(?:\S+\s+){0,2}?(?:من\s+)?(?:ال)?", gap) and not re.search(r"(?:إلى|الى)\s*$", gap):
            if re.search(r"من\s*(?:ال)?$", gap) or not gap.strip():
                return _state_of(eid)
    s, e = norm.to_original(ns), norm.to_original(ne - 1) + 1
    for start, eid, etype in _entities_in(doc, s, e):
        if etype != "GPE" or (source and (eid == source.ref.entity or source.start <= start < source.end)):
            continue
        if re.search(r"(?:إلى|الى|لـ)\s*$", doc.text[max(s, start - 5):start]) or doc.text[start - 1:start] == "ل":
            continue
        return _state_of(eid)
    return None


def _state_of(eid: str) -> str:
    """A capital standing for its state (بيونغ يانغ أرسلت ...) is the state."""
    from rasd.entities.kb import knowledge_base

    e = knowledge_base().entities.get(eid)
    return e.capital_of if e is not None and e.capital_of else eid


def _nearest_date(dates, pos: int) -> DateRef | None:
    if not dates:
        return None
    d = min(dates, key=lambda d: abs(d.start - pos))
    return DateRef(d.value, d.text, d.precision)


def _modality(before: str, attributed: bool, lex: _Lex) -> str:
    words = set(before.split())
    if any(_strip_conj(w) in lex.deny for w in words) or re.search(r"(?:^|\s)(?:لم|لا|ليس)\s", before):
        return "denied"
    if any(p in before for p in lex.hypothetical if len(p) > 2) or re.search(r"(?:^|\s)(?:اذا|لو)\s", before):
        return "hypothetical"
    if any(re.search(rf"(?:^|\s)و?{re.escape(p)}(?:\s|$)", before) for p in lex.expected):
        return "expected"
    return "reported" if attributed else "asserted"
