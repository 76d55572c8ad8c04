"""Attributed quantitative claims: a quantity, what it counts, whose it is, who says so, and when."""

from __future__ import annotations

import re
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import key
from rasd.clean.text import is_heading
from rasd.extract.attribution import Attribution, attribution, carries, entities_in, has_speech_verb, modality
from rasd.extract.dates import find_dates, nearest_date, to_date
from rasd.extract.numbers import find_quantities
from rasd.model import Claim, Document


@lru_cache(maxsize=1)
def units() -> list[tuple[str, str]]:
    """(normalised noun, unit key), longest noun first, from resources/units.tsv."""
    rows = [(key(n), u) for u, nouns in resources.read_tsv("units.tsv", 2) for n in nouns.split("|")]
    return sorted(rows, key=lambda x: -len(x[0]))


def extract_claims(doc: Document) -> Document:
    lex = units()
    norm = doc.norm
    ref = to_date(doc.published)
    claims: list[Claim] = []
    previous_source: Attribution | None = None
    for sent in doc.sentence_spans:
        s_text = doc.text[sent.start:sent.end]
        if is_heading(doc.text, sent.start, sent.end):
            previous_source = None
            continue  # headings repeat the body's claims without their attribution
        ns, ne = norm.to_normalised(sent.start), norm.to_normalised(sent.end)
        n_sent = norm.text[ns:ne]
        words = n_sent.split()
        carried = previous_source if carries(words) else None
        quantities = find_quantities(n_sent)
        if not quantities:
            # attribution still carries over a sentence without figures ("وقال X ... . وأضاف ...")
            if has_speech_verb(words):
                previous_source = attribution(doc, n_sent, ns) or previous_source
            continue
        source = attribution(doc, n_sent, ns) or carried
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
                date=nearest_date(dates, qs - sent.start),
                modality=modality(n_sent[: q.start], source is not None),
                start=min(qs, us), end=max(qe, ue), sentence=s_text,
            ))
        if source is not None:
            previous_source = source
    from rasd.entities.stage import with_referenced

    return with_referenced(doc.replace(claims=tuple(claims)), {c.subject for c in claims if c.subject})


def _unit_after(n_sent: str, pos: int, lex: list[tuple[str, str]]) -> tuple[str, int, int] | None:
    """The unit noun right after a number, allowing "من" + article ("سبعة آلاف من الحاويات")."""
    m = re.match(r"\s*(?:من\s+)?(?:ال)?", n_sent[pos:])
    at = pos + (m.end() if m else 0)
    rest = n_sent[at:]
    for noun, unit in lex:
        if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
            return unit, at, at + len(noun)
    # no "من": try the noun directly after the number without the article
    rest = n_sent[pos:].lstrip()
    offset = len(n_sent[pos:]) - len(rest)
    for noun, unit in lex:
        if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
            return unit, pos + offset, pos + offset + len(noun)
    return None


def _unit_counted_before(n_sent: str, pos: int, lex: list[tuple[str, str]]) -> tuple[str, int, int] | None:
    """"عدد الجنود ... (في) حوالي 1000": the noun counted by عدد earlier in the clause."""
    window_start = max(0, pos - 90)
    for m in reversed(list(re.finditer(r"(?:^|\s)عدد\s+(?:ال)?", n_sent[window_start:pos]))):
        at = window_start + m.end()
        rest = n_sent[at:pos]
        for noun, unit in lex:
            if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
                return unit, at, at + len(noun)
    return None


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
                return _state_of(eid)
    s, e = norm.to_original(ns), norm.to_original(ne - 1) + 1
    for start, eid, etype in entities_in(doc, s, e):
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


