"""The ANT language models: how the corpus is cut and encoded, and the NumPy LSTM that computes their
states at tagging time (checked against a plain step-by-step LSTM written here)."""

import numpy as np

from rasd.ner.features import Vocab
from rasd.ner.lm import END, RARE, LMSettings, encode, sentences
from rasd.ner.model import LanguageModels


def test_sentences_are_cut_at_sentence_ends_and_at_the_length_limit(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("ا ب ج . د ه\nو ز ح ط ي ك ل م ن\nس ع\n", encoding="utf-8")
    # fragments of one or two tokens (د ه، ن، س ع) teach nothing and are left out
    assert list(sentences(corpus, 4)) == [["ا", "ب", "ج", "."], ["و", "ز", "ح", "ط"], ["ي", "ك", "ل", "م"]]


def test_targets_are_the_frequent_words_and_rare_ones_share_a_class(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("في موسكو قال بوتين .\n", encoding="utf-8")
    vocab = Vocab({"في": 2, "قال": 3, ".": 4, "موسكو": 5, "بوتين": 6}, {})
    inputs, targets, offsets = encode(corpus, vocab, LMSettings(predicted=3))
    assert inputs.tolist() == [2, 5, 3, 6, 4]
    assert targets.tolist() == [2, RARE, 3, RARE, 4]
    assert offsets.tolist() == [0, 5]
    assert END not in targets.tolist()


def _reference(wi, wh, b, xs):
    """torch.nn.LSTM's recurrence, one step at a time, gates in torch's order (i, f, g, o)."""
    h = np.zeros(wh.shape[1])
    c = np.zeros(wh.shape[1])
    out = []
    for x in xs:
        g = wi @ x + wh @ h + b
        i, f, gg, o = np.split(g, 4)
        sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
        c = sig(f) * c + sig(i) * np.tanh(gg)
        h = sig(o) * np.tanh(c)
        out.append(h)
    return np.array(out)


def test_numpy_states_equal_a_plain_lstm_forward_and_backward():
    rng = np.random.default_rng(3)
    dim, hidden = 6, 5
    arrays = {f"lm_{d}_{p}": rng.normal(size=shape).astype(np.float32)
              for d in "fb" for p, shape in (("wi", (4 * hidden, dim)), ("wh", (4 * hidden, hidden)),
                                             ("b", (4 * hidden,)))}
    lm = LanguageModels(arrays)
    vectors = rng.normal(size=(4, dim)).astype(np.float32)  # four distinct words
    sents = [[0, 1, 2, 3, 1], [2, 0]]  # longest first, as the model batches them
    lengths = np.array([len(s) for s in sents])
    sent_idx, pos_idx = np.nonzero(np.arange(lengths.max())[None, :] < lengths[:, None])
    inverse = np.array([w for s in sents for w in s])
    got = lm.states(vectors, inverse, lengths, sent_idx, pos_idx, lengths[sent_idx] - 1 - pos_idx)
    assert got.shape == (7, 2 * hidden)
    row = 0
    for s in sents:
        xs = vectors[s]
        fwd = _reference(arrays["lm_f_wi"], arrays["lm_f_wh"], arrays["lm_f_b"], xs)
        bwd = _reference(arrays["lm_b_wi"], arrays["lm_b_wh"], arrays["lm_b_b"], xs[::-1])[::-1]
        np.testing.assert_allclose(got[row:row + len(s)], np.concatenate([fwd, bwd], axis=1), atol=1e-5)
        row += len(s)


def test_an_ensemble_refuses_members_with_different_language_models():
    import pytest

    from rasd.ner.model import Model, ModelError, meta_array

    def member(seed: int) -> dict:
        rng = np.random.default_rng(seed)
        return {"meta": meta_array({"format": "rasd-ner/1", "words": ["في"], "settings": {}}),
                "emb_q": np.zeros((3, 4), np.int8), "emb_scale": np.ones(3, np.float32),
                "lm_f_wi": rng.normal(size=(8, 4)).astype(np.float16), "proj_b": np.zeros(2, np.float32)}

    combined = Model.combine([member(1), member(1)])
    assert "lm_f_wi" in combined and "m1.proj_b" in combined and "m1.lm_f_wi" not in combined
    with pytest.raises(ModelError):
        Model.combine([member(1), member(2)])
