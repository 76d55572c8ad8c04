"""The user's own sample articles against gold.json: cleaning, metadata, embedded article, entities."""

import json

import jsonschema
import pytest

from rasd import resources
from rasd.arabic.normalise import key
from rasd.evaluate.gold import evaluate, load_output
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


# Quality floors on the user's samples (rasd eval). Raise them as Rasd improves; lowering one needs a
# reason in the commit message.
FLOORS = {
    ("entities", "f1"): 0.90,
    ("claims", "f1"): 0.90,
    ("claims", "attribution_right"): 0.95,  # 1.00 (10 of 10) since the attrib branch of 2026-12-03
    ("events", "recall"): 0.85,
    ("events", "precision"): 0.48,  # 0.49 on the evprec branch, 2026-12-03 (restatements merged, possible acts dropped); goal 0.60 (issue 12)
    ("cleaning", "must_drop_dropped"): 1.0,
    ("cleaning", "must_keep_kept"): 1.0,
    ("cleaning", "metadata_right"): 1.0,
}


@pytest.fixture(scope="module")
def scores(extracted, gold, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "seeds.jsonl"
    out.write_text("\n".join(json.dumps(d.to_json(), ensure_ascii=False) for d in extracted.values()), encoding="utf-8")
    return evaluate({"documents": gold}, load_output(out))


@pytest.mark.parametrize("section,figure", list(FLOORS))
def test_quality_floor(scores, section, figure):
    assert scores[section][figure] >= FLOORS[(section, figure)], scores[section]


def test_mention_offsets_index_into_text(extracted):
    for doc in extracted.values():
        for d in (doc, *doc.embedded):
            for e in d.entities:
                for m in e.mentions:
                    assert d.text[m.start:m.end] == m.text
            ids = {e.id for e in d.entities}
            for c in d.claims:
                assert c.subject is None or c.subject in ids
                assert c.source is None or c.source.entity is None or c.source.entity in ids
                assert c.sentence in d.text and 0 <= c.start < c.end <= len(d.text)
            for ev in d.events:
                assert set(ev.actors) | set(ev.targets) <= ids
                assert d.text[ev.start:ev.end] == ev.trigger


def test_the_ner_model_does_not_lower_entity_f1(seeds, gold, scores, tmp_path, monkeypatch):
    """Issue 6: with the trained model on, entity F1 on the samples stays at least what the knowledge
    base alone reaches."""
    from rasd.annotate import entities as stage

    monkeypatch.setattr(stage, "_NER_MODEL", [])
    stage.use_ner("full")
    docs = [annotate(clean(read_input(str(seeds / name)))) for name in gold]
    out = tmp_path / "seeds-ner.jsonl"
    out.write_text("\n".join(json.dumps(d.to_json(), ensure_ascii=False) for d in docs), encoding="utf-8")
    with_model = evaluate({"documents": gold}, load_output(out))["entities"]["f1"]
    assert with_model >= scores["entities"]["f1"]
