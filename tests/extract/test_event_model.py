"""The learned event detector: features, training, the file it is shipped in."""

import numpy as np

from rasd.arabic.normalise import key
from rasd.evaluate.events import GRID
from rasd.extract.event_model import EventModel, features, shipped_model
from rasd.train.events import TYPES, Data, cross_validate, fit


def test_features_are_words_stems_pairs_and_lexicon_types():
    f = features(key("وقصفت الطائرات المدينة"), {"ASSAULT"})
    assert "wوقصفت" in f and "sقصفت" in f and "LASSAULT" in f
    assert any(x.startswith("b") for x in f)
    assert features(key("وقصفت الطائرات المدينة"), {"ASSAULT"}) == f  # no randomness (no hash seed)


def _toy() -> Data:
    d = Data()
    for i in range(12):
        d.add(key(f"قصفت الطائرات القرية رقم {i}"), {"ASSAULT"}, {"ASSAULT"}, 1.0, "toy")
        d.add(key(f"قصف الشاعر خصومه بالكلمات في الأمسية {i}"), set(), {"ASSAULT"}, 1.0, "toy")
        d.add(key(f"تظاهر آلاف الطلاب في الساحة {i}"), {"PROTEST"}, {"PROTEST", "ASSAULT"}, 1.0, "toy")
    return d


def test_a_model_learns_to_tell_a_literal_trigger_from_a_figurative_one(tmp_path):
    model = fit(_toy(), epochs=40)
    lit = model.predict(key("قصفت الطائرات القرية"))["ASSAULT"]
    fig = model.predict(key("قصف الشاعر خصومه بالكلمات"))["ASSAULT"]
    assert lit > 0.5 > fig
    assert model.predict(key("تظاهر آلاف الطلاب"))["PROTEST"] > 0.5
    path = tmp_path / "m.npz"
    model.save(path)
    again = EventModel.load(path)
    assert abs(again.predict(key("قصفت الطائرات القرية"))["ASSAULT"] - lit) < 1e-2
    assert again.cue(key("قصفت الطائرات القرية"), "ASSAULT").group() in key("قصفت الطائرات القرية").split()


def test_the_shipped_model_covers_every_plover_type_the_devset_uses():
    model = shipped_model()
    assert model is not None, "resources/events_model.npz is missing: run `rasd train events`"
    assert set(model.types) == set(TYPES) and len(TYPES) == 16
    assert model.weights.shape == (len(model.vocab), 16) and np.isfinite(model.weights).all()


def test_letter_grams_tie_the_forms_of_one_root_together():
    # "تظاهر" (verb) and "المتظاهرين" (participle) share no word or stem feature, but share letter grams
    verb, noun = set(features(key("تظاهر"))), set(features(key("المتظاهرين")))
    shared = {f for f in verb & noun if f.startswith("c")}
    assert "cظاه" in shared and "cتظا" in shared
    assert not {f for f in verb & noun if f[0] in "wspe"}


def _oeda_toy() -> Data:
    d = Data()
    rng = np.random.default_rng(1)
    for i in range(60):
        noise = " ".join(rng.choice(["اليوم", "امس", "في", "المدينة", "الشمال"], 3))
        if i % 3 == 0:
            d.add(key(f"قصفت الطائرات القرية {noise}"), {"ASSAULT"}, {"ASSAULT"}, 1.0, f"oeda:ASSAULT:{i}")
        else:
            d.add(key(f"قصف الشاعر خصومه بالكلمات {noise}"), set(), {"ASSAULT"}, 1.0, f"oeda:ASSAULT:{i}")
        d.add(key(f"تظاهر الطلاب {noise}"), {"PROTEST"} if i % 2 else set(), {"PROTEST"}, 1.0,
              f"oeda:PROTEST:{i}")
    return d


def test_cross_validation_chooses_each_folds_threshold_without_its_labels():
    out = cross_validate(_oeda_toy(), folds=3, epochs=30)
    a = out["ASSAULT"]
    assert len(a["fold_thresholds"]) == 3 and all(t in GRID for t in a["fold_thresholds"])
    # every labelled sentence is scored once, out of fold
    assert a["cv"]["tp"] + a["cv"]["fn"] == 20 and a["cv"]["fp"] + a["cv"]["tp"] <= 60
    assert a["cv"]["f1"] > 0.9  # literal and figurative are told apart on held-out sentences
    # PROTEST here is a coin toss (the same words, either label): held-out F1 cannot be high
    assert out["PROTEST"]["cv"]["f1"] < 0.8 or out["PROTEST"]["cv"]["precision"] < 0.8


def test_the_shipped_model_records_the_command_that_rebuilds_it_and_its_cv_figures():
    info = shipped_model().info["source"]
    assert "rasd train events" in info and "cv_f1" in info
    # its gates are thresholds chosen in cross-validation, from the grid, for the OEDA types only
    model = shipped_model()
    for etype in ("ASSAULT", "PROTEST"):
        assert float(model.thresholds[model.types.index(etype)]) in {float(np.float32(t)) for t in GRID}
    assert float(model.thresholds[model.types.index("CONSULT")]) == 0.0


def test_trigger_features_mark_a_negation_before_the_trigger_and_its_neighbours():
    from rasd.extract.event_model import trigger_features

    plain = trigger_features(key("قصفت الطائرات القرية"))
    denied = trigger_features(key("لم تقصف الطائرات القرية"))
    assert any(f.startswith("KASSAULT|") for f in plain) and "KNASSAULT" not in plain
    assert "KNASSAULT" in denied
    assert any(f.startswith("KAASSAULT|") for f in plain)  # the words after the trigger
    assert trigger_features(key("وصل الوزير إلى المدينة")) == []


def test_a_soft_label_of_one_trains_as_a_hard_positive():
    hard = _toy()
    soft = _toy()
    for i in range(len(soft)):
        soft.y[i] = soft.y[i] * np.float32(1.0)
    a, b = fit(hard, epochs=10), fit(soft, epochs=10)
    assert np.allclose(a.weights, b.weights)
    half = _toy()
    for i in range(len(half)):
        half.y[i] = half.y[i] * np.float32(0.5)  # every positive only half sure
    lit = key("قصفت الطائرات القرية")
    assert fit(half, epochs=40).predict(lit)["ASSAULT"] < fit(hard, epochs=40).predict(lit)["ASSAULT"]


def test_retraining_one_column_keeps_the_other_types_of_the_current_model():
    from rasd.train.events import merge_columns

    base = fit(_toy(), epochs=40)
    d = Data()
    for i in range(12):
        d.add(key(f"قصفت المدفعية البلدة {i}"), {"ASSAULT"}, {"ASSAULT"}, 1.0, "toy")
        d.add(key(f"قصف الناقد الرواية {i}"), set(), {"ASSAULT"}, 1.0, "toy")
    new = fit(d, epochs=40)
    new.thresholds[TYPES.index("ASSAULT")] = 0.35
    merged = merge_columns(base, new, ("ASSAULT",))
    for s in ("قصفت المدفعية البلدة", "قصف الناقد الرواية", "قصفت الطائرات القرية"):
        assert abs(merged.predict(key(s))["ASSAULT"] - new.predict(key(s))["ASSAULT"]) < 1e-5
    for s in ("تظاهر آلاف الطلاب", "قصف الشاعر خصومه بالكلمات"):
        assert abs(merged.predict(key(s))["PROTEST"] - base.predict(key(s))["PROTEST"]) < 1e-5
    assert float(merged.thresholds[TYPES.index("ASSAULT")]) == np.float32(0.35)
    assert merged.thresholds[TYPES.index("PROTEST")] == base.thresholds[TYPES.index("PROTEST")]


def test_the_model_file_keeps_the_vocabulary_hashed_and_loads_every_feature_to_its_id(tmp_path):
    from rasd.extract.event_model import Vocab

    model = fit(_toy(), epochs=5)
    path = tmp_path / "m.npz"
    model.save(path)
    with np.load(path) as z:
        assert "vocab" not in z.files and {"vocab_hashes", "vocab_hash_ids", "vocab_utf8"} <= set(z.files)
    again = EventModel.load(path)
    assert isinstance(again.vocab, Vocab) and len(again.vocab) == len(model.vocab)
    assert all(again.vocab.get(f) == i for f, i in model.vocab.items())
    assert again.vocab.get("w-not-a-feature") is None and "w-not-a-feature" not in again.vocab
    feats = features(key("قصفت الطائرات القرية"), {"ASSAULT"})
    assert np.array_equal(again.scores(feats), model.scores(feats))
    assert sorted(again.vocab.ids(feats)) == sorted({model.vocab[f] for f in feats if f in model.vocab})
    assert dict(again.vocab.items()) == dict(model.vocab)  # the whole dict, built on demand (training merges)


def test_a_vocab_builds_the_whole_dict_once_a_run_has_looked_up_many_features(tmp_path, monkeypatch):
    from rasd.extract.event_model import Vocab

    model = fit(_toy(), epochs=5)
    model.save(tmp_path / "m.npz")
    again = EventModel.load(tmp_path / "m.npz")
    monkeypatch.setattr(Vocab, "FULL_AFTER", 3)
    feats = features(key("قصفت الطائرات القرية"))
    assert again.vocab._full is None
    ids = again.vocab.ids(feats)
    assert again.vocab._full is not None and sorted(ids) == sorted(again.vocab.ids(feats))
    assert sorted(ids) == sorted({model.vocab[f] for f in feats if f in model.vocab})


def test_a_model_file_in_the_former_format_still_loads(tmp_path):
    model = fit(_toy(), epochs=5)
    names = sorted(model.vocab, key=model.vocab.get)
    np.savez_compressed(tmp_path / "old.npz", types=np.array(model.types), vocab=np.array("\n".join(names)),
                        weights=model.weights.astype(np.float16), bias=model.bias, thresholds=model.thresholds,
                        propose=model.propose, info=np.array("{}"))
    old = EventModel.load(tmp_path / "old.npz")
    assert dict(old.vocab) == dict(model.vocab)


def test_the_loaded_float16_weights_score_as_their_float32_upcast_would():
    import dataclasses

    model = shipped_model()
    assert model.weights.dtype == np.float16
    up = dataclasses.replace(model, weights=model.weights.astype(np.float32))
    for s in ("قصفت الطائرات القرية", "تظاهر آلاف الطلاب في الساحة", "وقال الوزير إن المفاوضات ستستأنف غدا"):
        feats = features(key(s), {"ASSAULT"})
        assert np.array_equal(model.scores(feats), up.scores(feats))
