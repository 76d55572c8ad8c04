"""Attributed quantitative claims: a quantity, what it counts, whose it is, who says so, and when."""

from __future__ import annotations

import re
from functools import lru_cache

from rasd import resources
from rasd.arabic.normalise import key
from rasd.clean.text import is_heading
from rasd.entities.kb import knowledge_base
from rasd.entities.stage import with_referenced
from rasd.extract.attribution import (
    Attribution,
    SentenceModality,
    attribution,
    carries,
    entities_in,
    has_speech_verb,
)
from rasd.extract.dates import find_dates, nearest_date, to_date
from rasd.extract.numbers import find_quantities
from rasd.model import Claim, Document


@lru_cache(maxsize=1)
def units() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """Unit nouns (normalised noun -> unit key) from resources/units.tsv, and two matchers: the noun right
    after a number (optionally "من" + article: "سبعة آلاف من الحاويات"), and the noun after عدد."""
    nouns = {key(n): u for u, ns in resources.read_tsv("units.tsv", 2) for n in ns.split("|")}
    alt = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    after = re.compile(rf"\s*(?:من\s+)?(?:ال)?(?P<noun>{alt})(?!\w)")
    counted = re.compile(rf"(?:^|\s)عدد\s+(?:ال)?(?P<noun>{alt})(?!\w)")
    return nouns, after, counted


def extract_claims(doc: Document) -> Document:
    lex = units()
    norm = doc.norm
    ref = to_date(doc.published)
    claims: list[Claim] = []
    # Attributed sentences so far, newest last, resolved only when a later "وأضاف ..." needs one:
    # resolved Attribution objects and (normalised sentence, offset) pairs not yet resolved.
    previous: list[tuple[str, int] | Attribution] = []
    for sent in doc.sentence_spans:
        s_text = doc.text[sent.start:sent.end]
        if is_heading(doc.text, sent.start, sent.end):
            previous = []
            continue  # headings repeat the body's claims without their attribution
        ns, ne = norm.to_normalised(sent.start), norm.to_normalised(sent.end)
        n_sent = norm.text[ns:ne]
        words = n_sent.split()
        quantities = find_quantities(n_sent)
        if not quantities:
            # attribution still carries over a sentence without figures ("وقال X ... . وأضاف ...")
            if has_speech_verb(words):
                previous.append((n_sent, ns))
            continue
        carried = _latest(doc, previous) if carries(words) else None
        source = attribution(doc, n_sent, ns) or carried
        dates = find_dates(s_text, ref, n_sent)
        modalities = SentenceModality(n_sent)  # once per sentence, not once per figure
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
                modality=modalities.at(q.start, source is not None),
                start=min(qs, us), end=max(qe, ue), sentence=s_text,
            ))
        if source is not None:
            previous.append(source)
    return with_referenced(doc.replace(claims=tuple(claims)), {c.subject for c in claims if c.subject})


def _latest(doc: Document, previous: list[tuple[str, int] | Attribution]) -> Attribution | None:
    """The newest earlier sentence whose source resolves (a speech verb without one does not reset it)."""
    while previous:
        last = previous[-1]
        if isinstance(last, Attribution):
            return last
        resolved = attribution(doc, *last)
        if resolved is not None:
            previous[-1] = resolved
            return resolved
        previous.pop()
    return None


def _unit_after(n_sent: str, pos: int, lex) -> tuple[str, int, int] | None:
    """The unit noun right after a number, allowing "من" + article ("سبعة آلاف من الحاويات")."""
    nouns, after, _ = lex
    m = after.match(n_sent, pos)
    return (nouns[m.group("noun")], m.start("noun"), m.end("noun")) if m else None


def _unit_counted_before(n_sent: str, pos: int, lex) -> tuple[str, int, int] | None:
    """"عدد الجنود ... (في) حوالي 1000": the noun counted by عدد earlier in the clause."""
    nouns, _, counted = lex
    found = list(counted.finditer(n_sent, max(0, pos - 90), pos))
    if not found:
        return None
    m = found[-1]
    return nouns[m.group("noun")], m.start("noun"), m.end("noun")


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
