"""Reading the labelled corpora into one tag scheme, and seqeval-style entity spans."""

import pytest

from rasd.ner.corpus import normalise_tag, read_conll, spans


@pytest.mark.parametrize(
    ("raw", "tag"),
    [("B-PERS", "B-PERS"), ("I-PER", "I-PERS"), ("B-MIS2", "B-MISC"), ("B-MIS-1", "B-MISC"),
     ("B-MISS1", "B-MISC"), ("I--ORG", "I-ORG"), ("OO", "O"), ("IO", "O"), ("B-SPANISH", "O"), ("O", "O")],
)
def test_tags_are_brought_to_one_scheme(raw, tag):
    assert normalise_tag(raw) == tag


def test_read_conll_splits_sentences_and_repairs_orphan_inside_tags(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("قال O\nبوتين I-PERS\n. O\n\nموسكو B-LOC\nعاصمة O\n", encoding="utf-8")
    sents = read_conll(f)
    assert [s.tokens for s in sents] == [("قال", "بوتين", "."), ("موسكو", "عاصمة")]
    assert sents[0].tags == ("O", "B-PERS", "O")


def test_wojood_keeps_the_first_layer_of_the_kept_types(tmp_path):
    f = tmp_path / "w.txt"
    f.write_text("وزير B-OCC\nخارجية I-OCC B-ORG\nمصر I-OCC I-ORG B-GPE\n", encoding="utf-8")
    (s,) = read_conll(f, wojood=True)
    assert s.tags == ("O", "B-ORG", "I-ORG")


def test_spans_are_exact_and_typed():
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "B-ORG", "I-ORG", "I-LOC"]
    assert spans(tags) == {(0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 7, "ORG"), (7, 8, "LOC")}
