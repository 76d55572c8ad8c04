"""The user's own sample articles against gold.json: cleaning, metadata, embedded article, entities."""

import json

import jsonschema
import pytest

from rasd import resources
from rasd.arabic.normalise import key
from rasd.pipeline import annotate, clean
from rasd.sources.files import read_input


@pytest.fixture(scope="module")
def extracted(seeds, gold):
    return {name: annotate(clean(read_input(str(seeds / name)))) for name in gold}


def _lines(doc):
    return {key(line) for line in doc.text.split("\n")}


def test_output_validates_against_the_schema(extracted):
    schema = json.loads(resources.path("rasd.extract.schema.json").read_text(encoding="utf-8"))
    for doc in extracted.values():
        jsonschema.validate(doc.to_json(), schema)


def test_every_must_drop_line_is_dropped(extracted, gold):
    for name, g in gold.items():
        lines = _lines(extracted[name])
        text = key(extracted[name].text)
        for line in g["must_drop"]:
            assert key(line) not in lines, (name, line)
            if len(line) > 25:
                assert key(line) not in text, (name, line)


def test_every_must_keep_line_is_kept(extracted, gold):
    for name, g in gold.items():
        for line in g["must_keep"]:
            assert key(line) in key(extracted[name].text), (name, line)


@pytest.mark.parametrize("field", ["title", "author", "outlet", "published"])
def test_metadata(extracted, gold, field):
    for name, g in gold.items():
        if g.get(field) is not None:
            assert getattr(extracted[name], field) == g[field], (name, field)


def test_keywords(extracted, gold):
    for name, g in gold.items():
        if "keywords" in g:
            assert list(extracted[name].keywords) == g["keywords"]


def test_embedded_article_is_its_own_document(extracted, gold):
    for name, g in gold.items():
        doc = extracted[name]
        if "embedded_article_title" in g:
            assert [e.title for e in doc.embedded] == [g["embedded_article_title"]]
            assert key(g["embedded_article_title"]) not in key(doc.text)
        else:
            assert doc.embedded == ()


def test_entity_f1(extracted, gold):
    tp = fp = fn = 0
    for name, g in gold.items():
        pairs = [(extracted[name], g)]
        if "embedded_article" in g:
            pairs.append((extracted[name].embedded[0], g["embedded_article"]))
        for doc, gg in pairs:
            got = {e.name for e in doc.entities}
            want = set(gg["entities"])
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= 0.90, (p, r)


def test_mention_offsets_index_into_text(extracted):
    for doc in extracted.values():
        for d in (doc, *doc.embedded):
            for e in d.entities:
                for m in e.mentions:
                    assert d.text[m.start:m.end] == m.text
