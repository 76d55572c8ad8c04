"""The knowledge-base automaton runs once per document, also with the NER model on (issue 12 item 6),
and the model's KB features from that one pass are the ones it was trained with."""

import numpy as np
import pytest

from rasd.annotate import entities as stage
from rasd.kb.knowledge_base import knowledge_base
from rasd.ner.features import kb_features, kb_features_at, keys_of
from rasd.ner.tokens import tokenize
from rasd.pipeline import annotate_stream, clean, extract_text
from rasd.sources.files import RawArticle

TEXT = ("قال وزير الخارجية الروسي سيرغي لافروف إن موسكو وبيونغ يانغ ستعززان التعاون، وذلك بعد لقائه "
        "بالزعيم الكوري الشمالي كيم جونغ أون في العاصمة الكورية الشمالية. وأضاف أن الولايات المتحدة "
        "وكوريا الجنوبية تراقبان الوضع عن كثب.")


class _Counting:
    """The automaton, counting its passes over text."""

    def __init__(self, automaton):
        self.automaton, self.passes = automaton, 0

    def iter(self, text):
        self.passes += 1
        return self.automaton.iter(text)


@pytest.fixture
def counting(monkeypatch):
    kb = knowledge_base()
    wrapper = _Counting(kb.automaton)
    monkeypatch.setattr(kb, "automaton", wrapper)
    monkeypatch.setattr(stage, "_NER_MODEL", [])
    yield wrapper
    monkeypatch.setattr(stage, "_NER_MODEL", [])


@pytest.mark.parametrize("mode", ["off", "fast"])
def test_one_pass_per_document(counting, monkeypatch, mode):
    monkeypatch.setenv("RASD_NER", mode)
    extract_text(TEXT)
    assert counting.passes == 1


def test_one_pass_per_document_in_a_batch(counting, monkeypatch):
    monkeypatch.setenv("RASD_NER", "fast")
    docs = [clean(RawArticle(f"{i}.txt", f"{TEXT} {i}", False, "utf-8")) for i in range(3)]
    assert len(list(annotate_stream(docs))) == 3
    assert counting.passes == 3


def test_features_from_the_document_pass_equal_the_sentence_pass():
    kb = knowledge_base()
    doc = clean(RawArticle("x.txt", TEXT, False, "utf-8"))
    text = doc.norm.text.replace("-", " ")
    hits = stage._feature_hits(doc, stage.kb_scan(text, kb))
    for sent in doc.sentence_spans:
        spans = [(sent.start + a, sent.start + b) for a, b in tokenize(doc.text[sent.start:sent.end])]
        keys = keys_of([doc.text[a:b] for a, b in spans])
        expected = kb_features(keys)
        assert expected.any()
        np.testing.assert_array_equal(kb_features_at(spans, hits), expected)
