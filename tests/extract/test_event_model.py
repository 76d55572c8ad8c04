"""The learned event detector: features, training, the file it is shipped in."""

import numpy as np

from rasd.arabic.normalise import key
from rasd.extract.event_model import EventModel, features, shipped_model
from rasd.train_events import TYPES, Data, fit


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
