"""The shipped NER model: it loads, it tags, batching does not change its answers, and it scores on
ANERcorp test what README.md states (skipped when ../shared/data is absent)."""

import re
from pathlib import Path

import numpy as np
import pytest

from rasd.ner.corpus import load
from rasd.ner.model import Model, ModelError, shipped
from rasd.ner.scoring import score

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def model() -> Model:
    return shipped()


@pytest.fixture(scope="module")
def corpora():
    if not (DATA / "ner" / "anercorp").is_dir():
        pytest.skip(f"NER corpora not found at {DATA / 'ner'} (../shared/data is absent on this machine)")
    return load(DATA)


def _readme_figure() -> float:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"shipped NER model: micro F1 ([0-9.]+) on the ANERcorp test split", text)
    assert m, "README.md must state the shipped model's ANERcorp test F1"
    return float(m.group(1))


def test_shipped_model_scores_what_the_readme_says(model, corpora):
    result = score(model, corpora.test)
    assert result["micro"]["f1"] >= _readme_figure() - 0.0005


def test_model_is_small_and_says_what_it_was_trained_on(model):
    from rasd import resources

    assert resources.path("ner.npz").stat().st_size < 20_000_000
    assert model.meta["format"] == "rasd-ner/1"
    assert "extra" in model.meta["settings"]
    assert (model.lm is not None) == model.meta["settings"].get("language_model", False)


def test_batching_and_order_do_not_change_the_tags(model):
    sents = [
        "قال وزير الخارجية الكيني موسى ويتانغولا إن بلاده سترسل قوات إلى هايتي .".split(),
        "وصل الوفد إلى نيروبي .".split(),
        "أعلنت شركة أوكتافيا للطاقة في لاغوس عن اتفاق جديد مع الحكومة النيجيرية بقيمة مليار دولار .".split(),
    ]
    together = model.tag_tokens(sents, window=0)
    alone = [model.tag_tokens([s], window=0)[0] for s in sents]
    reversed_ = model.tag_tokens(sents[::-1], window=0)[::-1]
    assert together == alone == reversed_
    assert [len(t) for t in together] == [len(s) for s in sents]


def test_a_name_tagged_once_is_tagged_where_it_recurs(model):
    first = "قال وزير الخارجية الكيني موسى ويتانغولا إن بلاده سترسل قوات .".split()
    later = "وأضاف ويتانغولا أن القرار نهائي .".split()
    alone = model.tag_tokens([later], window=0)[0]
    together = model.tag_tokens([first, later])[1]
    if alone[1] == "O":
        assert together[1] == "B-PERS"
    assert model.tag_tokens([first, ["."] * 3, later], window=1)[2] == alone


def test_names_nobody_listed_are_found(model):
    text = "قال وزير الخارجية الكيني موسى ويتانغولا إن بلاده سترسل قوات إلى هايتي."
    found = {text[s:e]: kind for s, e, kind in model.entities(text, [(0, len(text))])}
    assert found.get("موسى ويتانغولا") == "PERS"
    assert found.get("هايتي") == "LOC"


def test_entities_offsets_point_into_the_text(model):
    text = "  وصل   الرئيس الفرنسي إيمانويل ماكرون إلى برلين.\nوالتقى المستشار أولاف شولتس."
    spans = [(0, 50), (51, len(text))]
    for s, e, _kind in model.entities(text, spans):
        assert text[s:e] == text[s:e].strip() and e > s


def test_empty_input_and_empty_sentences(model):
    assert model.tag_tokens([]) == []
    assert model.tag_tokens([[], ["بيروت"]])[0] == []


def test_a_broken_model_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "ner.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        Model.load(bad)
    np.savez(bad, meta=np.frombuffer(b'{"format": "other/9"}', dtype=np.uint8))
    with pytest.raises(ModelError):
        Model.load(bad)


def test_bounded_caches_give_the_same_tags(model, monkeypatch):
    import rasd.ner.model as model_module

    sents = ["وصل الرئيس الفرنسي إيمانويل ماكرون إلى برلين حيث التقى المستشار أولاف شولتس .".split(),
             "وقال موسى ويتانغولا إن بلاده سترسل قوات إلى هايتي .".split()]
    before = model.tag_tokens(sents)
    monkeypatch.setattr(model_module, "_CHAR_CACHE", 5)
    assert model.tag_tokens(sents) == before
    assert model.tag_tokens(sents[::-1])[::-1] == before
