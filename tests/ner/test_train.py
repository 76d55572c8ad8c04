"""Training-time code (needs torch, which only `pip install -e '.[train]'` brings): a network started
from exported weights is the network that was exported."""

import numpy as np
import pytest

from rasd.ner.features import Vocab
from rasd.ner.train import Settings, _net, export, load_exported

torch = pytest.importorskip("torch", reason="torch is a training-time dependency: pip install -e '.[train]'")


def _tagger(seed: int, st: Settings, matrix: np.ndarray):
    torch.manual_seed(seed)
    return _net(torch, matrix, 10, 5, st, 3)


def test_a_network_started_from_exported_weights_scores_like_the_exported_one():
    st = Settings(hidden=4, char_dim=3, char_filters=5, kb_features=False, language_model=False)
    matrix = np.random.default_rng(0).normal(size=(6, 7)).astype(np.float32)
    vocab = Vocab({"a": 2, "b": 3, "c": 4, "d": 5}, {c: i + 2 for i, c in enumerate("abcdefgh")})
    first, second = _tagger(1, st, matrix), _tagger(2, st, matrix)
    batch = (torch.tensor([[2, 3, 4]]), torch.tensor([[2, 3, 4]]), torch.tensor([[[2, 3, 0], [4, 0, 0], [5, 6, 7]]]),
             torch.tensor([3]), torch.rand(1, 3, 3))
    first.eval()
    second.eval()
    assert not torch.allclose(first.emissions(*batch), second.emissions(*batch))
    load_exported(torch, second, export(first, vocab, ["O", "B-X", "I-X", "B-Y", "I-Y"], st))
    assert torch.allclose(first.emissions(*batch), second.emissions(*batch), atol=1e-6)
    assert torch.equal(first.trans, second.trans)


def test_weights_of_another_shape_are_refused():
    st = Settings(hidden=4, char_dim=3, char_filters=5, kb_features=False, language_model=False)
    matrix = np.zeros((6, 7), np.float32)
    vocab = Vocab({}, {})
    small = export(_tagger(1, st, matrix), vocab, ["O"] * 5, st)
    bigger = _tagger(1, Settings(**{**st.__dict__, "hidden": 8}), matrix)
    with pytest.raises(ValueError, match="cannot start from these weights"):
        load_exported(torch, bigger, small)
