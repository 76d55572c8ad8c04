from fuzzing import texts
from hypothesis import given
from hypothesis import strategies as st

from rasd.arabic.normalise import normalise, normalise_str
from rasd.arabic.segment import MAX_SENTENCE_CHARS, sentences, tokens


@given(texts)
def test_fuzz_normalised_offsets_map_back_to_the_original(text):
    n = normalise(text)
    assert n.text == normalise_str(text)
    last = -1
    for i, ch in enumerate(n.text):
        o = n.to_original(i)
        assert 0 <= o < len(text) and o > last  # each kept character comes from its own original one, in order
        assert normalise_str(text[o]) == ch
        last = o
        assert n.to_normalised(o) == i
    s, e = n.span_to_original(0, len(n.text))
    assert 0 <= s <= e <= len(text)


@given(texts, st.integers(0, 400), st.integers(0, 400))
def test_fuzz_spans_map_into_the_original(text, a, b):
    n = normalise(text)
    lo, hi = sorted((min(a, len(n.text)), min(b, len(n.text))))
    s, e = n.span_to_original(lo, hi)
    assert 0 <= s <= e <= len(text)
    assert normalise_str(text[s:e]) == n.text[lo:hi] or lo == hi


@given(texts)
def test_fuzz_sentences_cover_every_character_and_are_bounded(text):
    spans = sentences(text)
    covered = "".join(text[s.start:s.end] for s in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(0 < s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    for t in tokens(text):
        assert 0 <= t.start < t.end <= len(text)
