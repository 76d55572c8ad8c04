"""Words to sub-words and labels back: the unigram Viterbi and the first-sub-word alignment."""

from rasd.ner.subwords import IGNORE, META, UnigramTokenizer, align, chunks, word_tags


def _tok():
    pieces = ["<s>", "<pad>", "</s>", "<unk>", META + "وا", "شنطن", META + "واشنطن", META, "ن", "ط", "ش", META + "و", "ا"]
    scores = [0, 0, 0, 0, -3.0, -4.0, -9.5, -2.0, -5, -5, -5, -4.0, -5]
    return UnigramTokenizer(pieces, scores, {"\u0622": "\u0627"}, unk=3, specials=(0, 1, 2))


def test_the_best_scoring_segmentation_wins():
    tok = _tok()
    assert tok.word("واشنطن") == (4, 5)  # -7 beats the whole word's -9.5
    assert tok.word("وشن") == (11, 10, 8)


def test_an_unknown_character_is_unk_and_the_map_normalises():
    tok = _tok()
    assert tok.word("وx") == (11, 3)
    assert tok.word("و\u0622") == tok.word("وا")
    assert tok.word("<s>")[0] != 0  # special pieces never come from text


def test_labels_go_on_the_first_sub_word_only():
    ids, labels, firsts = align([[4, 5], [7], [11, 10, 8]], [1, 0, 2])
    assert ids == [4, 5, 7, 11, 10, 8]
    assert labels == [1, IGNORE, 0, 2, IGNORE, IGNORE]
    assert firsts == [0, 2, 3]
    assert align([[4, 5]])[1] == [IGNORE, IGNORE]


def test_chunks_keep_words_whole_under_the_limit():
    wp = [[1, 2], [3], [4, 5, 6], [7], [8, 9, 10, 11, 12]]
    spans = chunks(wp, 4)
    assert spans == [(0, 2), (2, 4), (4, 5)]
    assert [w for a, b in spans for w in range(a, b)] == list(range(5))


def test_an_orphan_inside_tag_starts_an_entity():
    assert word_tags(["O", "I-PERS", "I-PERS", "B-LOC", "I-ORG"]) == ["O", "B-PERS", "I-PERS", "B-LOC", "B-ORG"]
