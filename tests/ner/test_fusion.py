"""Reading the encoder and the fast model together (``rasd.ner.fusion``); NumPy only here."""

import itertools

import numpy as np

from rasd.ner.fusion import crf_marginals, fast_log_marginals
from rasd.ner.model import shipped


def test_crf_marginals_are_the_brute_force_path_probabilities():
    rng = np.random.default_rng(0)
    n, k = 4, 3
    em, trans = rng.normal(size=(n, k)), rng.normal(size=(k, k))
    start, end = rng.normal(size=k), rng.normal(size=k)
    weights = np.zeros((n, k))
    for path in itertools.product(range(k), repeat=n):
        s = start[path[0]] + end[path[-1]] + sum(em[i, t] for i, t in enumerate(path))
        s += sum(trans[a, b] for a, b in zip(path, path[1:], strict=False))
        for i, t in enumerate(path):
            weights[i, t] += np.exp(s)
    want = weights / weights.sum(axis=1, keepdims=True)
    assert np.allclose(np.exp(crf_marginals(em, start, trans, end)), want)


def test_the_fast_models_marginals_agree_with_its_own_tags():
    model = shipped(members=1)
    sents = [["قال", "الرئيس", "الفرنسي", "نيكولا", "ساركوزي", "في", "باريس", "أمس"], ["زار", "الوزير", "القاهرة"]]
    marg = fast_log_marginals(model, sents)
    assert [m.shape for m in marg] == [(8, len(model.tags)), (3, len(model.tags))]
    assert all(np.allclose(np.exp(m).sum(axis=1), 1.0) for m in marg)
    # where the model is sure, the best marginal tag is the Viterbi tag
    for m, tags in zip(marg, model.tag_tokens(sents, window=0), strict=True):
        for row, tag in zip(m, tags, strict=True):
            if np.exp(row.max()) > 0.9:
                assert model.tags[int(row.argmax())] == tag
