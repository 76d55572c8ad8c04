"""The model's view of text: tokens with offsets and spelling-independent keys."""

from rasd.ner.tokens import stems, token_key, tokenize


def test_tokens_cover_words_numbers_and_punctuation_with_offsets():
    text = "قال بوتين، في ١٣ مارس: «نعم»."
    toks = [text[s:e] for s, e in tokenize(text)]
    assert toks == ["قال", "بوتين", "،", "في", "١٣", "مارس", ":", "«", "نعم", "»", "."]


def test_keys_merge_spelling_variants_and_digits():
    assert token_key("إيران") == token_key("ايران")
    assert token_key("كوريـــا") == token_key("كوريا")
    assert token_key("الشمالیة") == token_key("الشمالية")
    assert token_key("١٣") == token_key("47") == "00"


def test_stems_try_the_longest_proclitic_first():
    assert stems(token_key("وبروسيا"))[:2] == (token_key("روسيا"), token_key("بروسيا"))
    assert stems(token_key("موسكو")) == ()
