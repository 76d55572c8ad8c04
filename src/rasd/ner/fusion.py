"""Two taggers read together: the fine-tuned encoder and the fast NumPy model (a teacher for students).

The two are different kinds of model (sub-word transformer against character CNN + word vectors +
language models + BiLSTM-CRF) at similar F1, so their errors differ and their agreement is worth
more than either. Per word, the fused score of a tag is the weighted mean of the encoder's
log-probability and the fast model's CRF marginal log-probability (forward-backward over its own
transition scores); Viterbi over the tags that may follow each other then decodes it, and names are
propagated as the fast model does. Only training imports this (the encoder needs torch).
"""

from __future__ import annotations

import numpy as np

from rasd.ner.features import keys_of
from rasd.ner.model import Model, _pieces


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.exp(x - m).sum(axis=axis))


def crf_marginals(em: np.ndarray, start: np.ndarray, trans: np.ndarray, end: np.ndarray) -> np.ndarray:
    """log P(tag of word k = j | sentence) of a linear-chain CRF [words, tags] (forward-backward)."""
    n, k = em.shape
    alpha = np.zeros((n, k))
    beta = np.zeros((n, k))
    alpha[0] = start + em[0]
    for i in range(1, n):
        alpha[i] = _logsumexp(alpha[i - 1][:, None] + trans, axis=0) + em[i]
    beta[-1] = end
    for i in range(n - 2, -1, -1):
        beta[i] = _logsumexp(trans + (em[i + 1] + beta[i + 1])[None, :], axis=1)
    log_z = _logsumexp(alpha[-1] + end, axis=0)
    return alpha + beta - log_z


def fast_log_marginals(model: Model, sentences: list[list[str]], batch: int = 64) -> list[np.ndarray]:
    """The fast model's per-word tag log-marginals [words, model.tags] (pieces as its own tagging cuts them)."""
    keyed = [keys_of(s) for s in sentences]
    pieces = sorted(((i, a, b) for i, ks in enumerate(keyed) for a, b in _pieces(ks)), key=lambda p: p[1] - p[2])
    out = [np.zeros((len(ks), len(model.tags))) for ks in keyed]
    for lo in range(0, len(pieces), batch):
        group = pieces[lo:lo + batch]
        em, _ = model._emissions([keyed[i][a:b] for i, a, b in group])
        for row, (i, a, b) in enumerate(group):
            out[i][a:b] = crf_marginals(em[row, :b - a].astype(np.float64), model.start, model.trans, model.end)
    return out


class FusedTagger:
    """``tag_tokens`` / ``tag_articles`` of an ``EncoderTagger`` and a fast ``Model`` together;
    ``weight`` is the fast model's share (0: the encoder alone, 1: the fast model's marginals)."""

    def __init__(self, encoder, fast: Model, weight: float = 0.5):
        from rasd.ner.encoder import allowed_transitions

        if sorted(fast.tags) != sorted(encoder.tags):
            raise ValueError("the two taggers must have the same tags")
        self.encoder, self.fast, self.weight = encoder, fast, weight
        self.tags = list(encoder.tags)
        self.order = [fast.tags.index(t) for t in self.tags]
        self.ok = allowed_transitions(self.tags)
        self.meta = {"format": "rasd-ner-fused", "settings": {"extra": []}}

    def log_probs(self, sentences: list[list[str]], docs: list[int] | None = None) -> list[np.ndarray]:
        enc = self.encoder.log_probs(sentences, docs) if docs is not None else self.encoder.log_probs(sentences)
        fast = fast_log_marginals(self.fast, sentences)
        w = self.weight
        return [(1 - w) * e + w * f[:, self.order] for e, f in zip(enc, fast, strict=True)]

    def _tags(self, logp: np.ndarray) -> list[str]:
        from rasd.ner.encoder import viterbi
        from rasd.ner.subwords import word_tags

        return word_tags([self.tags[j] for j in viterbi(logp, self.ok)]) if len(logp) else []

    def tag_tokens(self, sentences: list[list[str]], window: int = 10) -> list[list[str]]:
        result = [self._tags(lp) for lp in self.log_probs(sentences)]
        return self.fast._propagate([keys_of(s) for s in sentences], result, window) if window else result

    def tag_articles(self, articles: list[list[list[str]]]) -> list[list[list[str]]]:
        logps = iter(self.log_probs([s for a in articles for s in a], [k for k, a in enumerate(articles) for _ in a]))
        out = []
        for a in articles:
            tags = [self._tags(next(logps)) for _ in a]
            out.append(self.fast._propagate([keys_of(s) for s in a], tags, len(a)) if a else [])
        return out
