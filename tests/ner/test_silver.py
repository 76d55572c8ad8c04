"""Silver data for self-training: which ANT sentences the teacher tags."""

import gzip
import json

import pytest

from rasd.ner.silver import CORPUS, MAX_TOKENS, articles, tag


def _corpus(tmp_path, texts):
    with gzip.open(tmp_path / CORPUS, "wt", encoding="utf-8") as fh:
        for t in texts:
            fh.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    return tmp_path


def test_articles_are_distinct_cut_into_sentences_and_drawn_the_same_way_each_time(tmp_path):
    long_run = " ".join(["كلمة"] * (MAX_TOKENS + 10))
    texts = ["قال الرئيس إن الوفد وصل إلى موسكو . ثم غادر .", "قال الرئيس إن الوفد وصل إلى موسكو . ثم غادر .",
             "", long_run, "وأعلنت الوزارة أمس أن المفاوضات ستستأنف قريبا ."]
    ant = _corpus(tmp_path, texts)
    drawn = list(articles(ant, 10))
    assert drawn == list(articles(ant, 10))
    assert len(drawn) == 3  # the duplicate and the empty text are left out
    first = next(a for a in drawn if a[0][0] == "قال")
    # "ثم غادر ." has three tokens: a fragment too short to teach anything
    assert first == [["قال", "الرئيس", "إن", "الوفد", "وصل", "إلى", "موسكو", "."]]
    cut = next(a for a in drawn if a[0][0] == "كلمة")
    assert [len(s) for s in cut] == [MAX_TOKENS, 10]
    assert len(list(articles(ant, 1))) == 1


def test_a_missing_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(ValueError, match=CORPUS):
        list(articles(tmp_path, 5))


def test_silver_sentences_carry_the_teachers_tags(tmp_path):
    class Teacher:
        def __init__(self):
            self.calls = []

        def tag_tokens(self, sentences, window):
            self.calls.append(window)
            return [["B-LOC" if t == "موسكو" else "O" for t in s] for s in sentences]

    ant = _corpus(tmp_path, ["وصل الوفد إلى موسكو أمس . وغادر الوفد موسكو اليوم ."])
    teacher = Teacher()
    out = tag(teacher, ant, 5)
    assert [s.tags for s in out] == [("O", "O", "O", "B-LOC", "O", "O"), ("O", "O", "B-LOC", "O", "O")]
    assert teacher.calls == [2]  # one article: names propagate across all of its sentences
