from hypothesis import given
from hypothesis import strategies as st

from rasd.arabic.normalise import key, normalise, normalise_pattern

ARABISH = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآىةئؤءـًٌٍَُِّْ٠١٢٣ ،٬\u200f\u200cکیABCxyz-.\n")),
    max_size=200,
)


def test_spelling_variants_meet():
    assert key("أحمد") == key("احمد") == key("إحمد")
    assert key("مُحَمَّد") == key("محمد")
    assert key("كوريا الشمالیة") == key("كوريا الشمالية")  # Persian ya
    assert key("القاهرة") == key("القاهره")
    assert key("مستشفى") == key("مستشفي")
    assert key("کوریا") == key("كوريا")  # Persian kaf and ya
    assert key("الشـــمالية") == key("الشمالية")  # tatweel
    assert key("١٣٬٠٠٠") == key("13,000")
    assert key("۱۲") == "12"
    assert key("KCNA") == "kcna"


def test_decimal_separator_kept_apart_from_thousands():
    assert key("٣٫٥") == "3.5"
    assert key("١٠٬٠٠٠") == "10,000"


def test_patterns_keep_regex_syntax():
    assert normalise_pattern(r"(?P<author>\S+)\W أحمد") == r"(?P<author>\S+)\W احمد"


def test_offsets_map_back_over_deletions():
    text = "قال مُحَمَّد: الشـــمالية"
    n = normalise(text)
    i = n.text.index("الشماليه")
    s, e = n.span_to_original(i, i + len("الشماليه"))
    assert text[s:e] == "الشـــمالية"


@given(ARABISH, st.data())
def test_offsets_round_trip(text, data):
    n = normalise(text)
    assert len(n.text) <= len(text)
    if not n.text:
        return
    start = data.draw(st.integers(0, len(n.text) - 1))
    end = data.draw(st.integers(start + 1, len(n.text)))
    s, e = n.span_to_original(start, end)
    assert 0 <= s < e <= len(text)
    # the original span normalises to exactly the normalised span
    assert normalise(text[s:e]).text == n.text[start:end]


@given(ARABISH)
def test_every_kept_character_maps_to_itself(text):
    n = normalise(text)
    for i, ch in enumerate(n.text):
        assert normalise(text[n.to_original(i)]).text == ch


@given(ARABISH, st.data())
def test_to_normalised_inverts_to_original(text, data):
    n = normalise(text)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    assert n.to_normalised(n.to_original(i)) == i
    o = data.draw(st.integers(0, len(text) - 1))
    j = n.to_normalised(o)
    assert 0 <= j <= len(n.text)
    assert j == len(n.text) or n.to_original(j) >= o
