import datetime as dt
import re

from fuzzing import lexicon_words, texts
from hypothesis import given
from hypothesis import strategies as st

from rasd.arabic.dates import find_dates, parse_date
from rasd.arabic.normalise import normalise, normalise_str
from rasd.errors import InputError
from rasd.extract.attribution import SentenceModality, lexicon, strip_conj
from rasd.extract.numbers import find_quantities, parse_number
from rasd.pipeline import annotate, clean
from rasd.sources.files import RawArticle

REF = dt.date(2024, 11, 5)


@given(texts)
def test_fuzz_numbers(text):
    n = normalise_str(text)
    for q in find_quantities(n):
        assert 0 <= q.start < q.end <= len(n)
        assert q.value is not None or (q.low is not None and q.high is not None) or q.qualifier
    parse_number(n)


@given(texts, st.sampled_from([None, REF]))
def test_fuzz_dates(text, ref):
    parse_date(text, ref)
    for d in find_dates(text, ref, normalise(text).text):
        assert d.value is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d.value)


def _modality_by_prefix(before: str, attributed: bool) -> str:
    """The per-prefix scan SentenceModality replaced (kept here as the reference)."""
    lex = lexicon()
    words = set(before.split())
    if any(strip_conj(w) in lex.deny for w in words) or re.search(r"(?:^|\s)(?:لم|لا|ليس)\s", before):
        return "denied"
    if any(p in before for p in lex.hypothetical if len(p) > 2) or re.search(r"(?:^|\s)(?:اذا|لو)\s", before):
        return "hypothetical"
    if any(re.search(rf"(?:^|\s)و?{re.escape(p)}(?:\s|$)", before) for p in lex.expected):
        return "expected"
    return "reported" if attributed else "asserted"


_MARKERS = st.sampled_from(sorted({*lexicon().deny, *lexicon().hypothetical, *lexicon().expected, "لم", "لا", "ليس", "اذا", "لو"}))


@given(st.lists(st.one_of(_MARKERS, _MARKERS.map(lambda w: "و" + w), _MARKERS.map(lambda w: w + "يذي"),
                          st.sampled_from(lexicon_words()).map(normalise_str),
                          st.sampled_from([" ", "  ", "\n", "،", "x"])), max_size=25).map(" ".join),
       st.data(), st.booleans())
def test_fuzz_sentence_modality_equals_the_prefix_scan(n_sent, data, attributed):
    mods = SentenceModality(n_sent)
    for pos in range(len(n_sent) + 1):
        assert mods.at(pos, attributed) == _modality_by_prefix(n_sent[:pos], attributed), pos


@given(texts, st.booleans())
def test_fuzz_claims_and_events_never_fail_and_point_into_the_text(text, html):
    raw = RawArticle("fuzz", f"<html><body><p>{text}</p></body></html>" if html else text, html, "utf-8")
    try:
        doc = annotate(clean(raw))
    except InputError:
        return
    ids = {e.id for e in doc.entities}
    for e in doc.entities:
        for m in e.mentions:
            assert 0 <= m.start < m.end <= len(doc.text)
    for c in doc.claims:
        assert 0 <= c.start < c.end <= len(doc.text) and c.sentence
        assert c.subject is None or c.subject in ids
        assert c.source is None or c.source.entity is None or c.source.entity in ids
    for ev in doc.events:
        assert 0 <= ev.start <= ev.end <= len(doc.text)
        assert set(ev.actors) <= ids and set(ev.targets) <= ids
    doc.to_json()
