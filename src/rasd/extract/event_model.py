"""The learned event detector: for a sentence, the probability that it reports each PLOVER type.

A multi-label logistic model over sparse features of the normalised sentence (words, words without
their proclitic, their first and last four letters, their letter 3- and 4-grams, word pairs, one feature per trigger-lexicon
type found, and what is said around each trigger: ``trigger_features``), trained by ``rasd train events`` (rasd.train.events) and shipped as
resources/events_model.npz; it runs on NumPy alone. The rules (extract/events.py) still find the
actor, target, place, date and source; the model says whether and which event a sentence reports.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasd import resources
from rasd.arabic.normalise import key
from rasd.errors import RasdError
from rasd.extract.event_modality import hypothetical_words, modality_words, negation_words
from rasd.extract.event_triggers import triggers

MODEL_FILE = "events_model.npz"
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _proclitics() -> tuple[str, ...]:
    found = {key(row[0]) for row in resources.read_tsv("clitics.tsv", 3) if row[1] != "future"}
    return tuple(sorted(found, key=len, reverse=True))


@lru_cache(maxsize=65536)
def _word_features(w: str) -> tuple[str, ...]:
    stem = w
    for p in _proclitics():
        if w.startswith(p) and len(w) - len(p) >= 3:
            stem = w[len(p):]
            break
    base = ("w" + w, "s" + stem, "p" + stem[:4], "e" + stem[-4:]) if len(stem) > 4 else ("w" + w, "s" + stem)
    return base + _char_grams(stem)


def _char_grams(stem: str) -> tuple[str, ...]:
    """Letter 3- and 4-grams of a stem, its edges marked: they tie together the forms of one root that
    the word features keep apart (تظاهر، متظاهرين، التظاهرات), which matters with few positives."""
    s = "<" + stem + ">"
    return tuple("c" + s[i:i + n] for n in (3, 4) for i in range(len(s) - n + 1))


def features(n_sent: str, lexicon_types: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The feature strings of a normalised sentence (``key`` form)."""
    words = _WORD.findall(n_sent)
    out: list[str] = []
    for w in words:
        out.extend(_word_features(w))
    out.extend("b" + a + "_" + b for a, b in zip(words, words[1:], strict=False))
    out.extend("L" + t for t in lexicon_types)
    if lexicon_types:
        out.extend(trigger_features(n_sent))
    out.extend("M" + mod for mod, pat in _modality_patterns() if pat.search(n_sent))
    if "؟" in n_sent or "?" in n_sent:
        out.append("Q")
    for n in _NUMBER.findall(n_sent):
        out.append("Y" if len(n) == 4 and n[:2] in ("19", "20") else "N")
    return out


_NUMBER = re.compile(r"\d+")


def trigger_features(n_sent: str) -> list[str]:
    """What is said around each trigger: its type with the trigger word itself, the future proclitic on
    it, a negation, possibility or modality word before it (resources/event_modality.tsv), the stems of
    the four words before and three after it, and the trigger word with the stems of the two words on
    each side. They tell "قتل ثلاثة جنود" from "لم يقتل" or "يهدد بقتل", which whole-sentence
    features blur."""
    pattern, table = triggers()
    out: list[str] = []
    for m in pattern.finditer(n_sent):
        word = m.group("t")
        before = n_sent[:m.start()] + " "
        prev = _WORD.findall(before)[-4:]
        after = _WORD.findall(n_sent[m.end():])[:3]
        near = " ".join(prev)
        marks = ["F"] if m.group("fut") else []
        marks += ["N"] * bool(negation_words().search(before)) + ["H"] * bool(hypothetical_words().search(before))
        marks += ["M" + mod for mod, pat in modality_words() if pat.search(near)]
        for etype in {t.type for t in table[word]}:
            out.append("K" + etype + "|" + word)
            out.extend("K" + mark + etype for mark in marks)
            out.extend("KB" + etype + "|" + _stem(w) for w in prev)
            out.extend("KA" + etype + "|" + _stem(w) for w in after)
            out.extend("KX" + word + "|" + _stem(w) for w in prev[-2:] + after[:2])
    return out


def _stem(w: str) -> str:
    return _word_features(w)[1][1:]


def _modality_patterns():
    from rasd.extract.event_modality import modality_words

    return modality_words()


def _hash32(f: str) -> int:
    return int.from_bytes(hashlib.blake2b(f.encode(), digest_size=4).digest(), "little")


def pack_vocab(names: list[str]) -> dict[str, np.ndarray]:
    """The arrays a model file keeps its vocabulary in (``names[i]`` has id i): the names as UTF-8 in id
    order with their offsets (to confirm a match), and a 32-bit hash of each, sorted, with the id beside it
    (to look a feature up by ``np.searchsorted`` without building a dict of every name at load)."""
    enc = [f.encode() for f in names]
    off = np.zeros(len(enc) + 1, np.int32)
    np.cumsum([len(b) for b in enc], out=off[1:])
    h = np.array([_hash32(f) for f in names], np.uint32)
    order = np.argsort(h, kind="stable")
    return {"vocab_utf8": np.frombuffer(b"".join(enc), np.uint8), "vocab_offsets": off,
            "vocab_hashes": h[order], "vocab_hash_ids": order.astype(np.int32)}


class Vocab(Mapping):
    """Feature name → id, read from the arrays of ``pack_vocab``. Features are looked up by hash and the
    answers kept; after ``FULL_AFTER`` distinct features (a long run) the whole dict is built once, so
    a short run never pays for 384,000 names and a long one looks up as fast as a dict."""

    FULL_AFTER = 200_000

    def __init__(self, utf8: bytes, offsets: np.ndarray, hashes: np.ndarray, hash_ids: np.ndarray):
        self._utf8, self._off, self._hashes, self._ids = utf8, offsets.tolist(), hashes, hash_ids
        self._seen: dict[str, int | None] = {}
        self._full: dict[str, int] | None = None

    def _name(self, i: int) -> str:
        return self._utf8[self._off[i]:self._off[i + 1]].decode()

    def full(self) -> dict[str, int]:
        if self._full is None:
            names = [self._name(i) for i in range(len(self))]
            self._full = dict(zip(names, range(len(names)), strict=True))
        return self._full

    def _look(self, new: list[str]) -> None:
        h = np.array([_hash32(f) for f in new], np.uint32)
        pos = np.searchsorted(self._hashes, h)
        n = len(self._hashes)
        for f, hv, p in zip(new, h.tolist(), pos.tolist(), strict=True):
            i = None
            while p < n and int(self._hashes[p]) == hv:  # confirm by the name (a hash may collide)
                j = int(self._ids[p])
                if self._name(j) == f:
                    i = j
                    break
                p += 1
            self._seen[f] = i
        if len(self._seen) > self.FULL_AFTER:
            self.full()

    def ids(self, feats: Iterable[str]) -> list[int]:
        """The ids of the known features among ``feats`` (each once, in no particular order)."""
        if self._full is not None:
            d = self._full
            return [d[f] for f in d.keys() & set(feats)]
        fs = set(feats)
        new = [f for f in fs if f not in self._seen]
        if new:
            self._look(new)
            if self._full is not None:
                return self.ids(fs)
        seen = self._seen
        return [i for i in (seen[f] for f in fs) if i is not None]

    def get(self, f: str, default=None):
        if self._full is not None:
            return self._full.get(f, default)
        if f not in self._seen:
            self._look([f])
            if self._full is not None:
                return self._full.get(f, default)
        i = self._seen[f]
        return default if i is None else i

    def __getitem__(self, f: str) -> int:
        i = self.get(f)
        if i is None:
            raise KeyError(f)
        return i

    def __contains__(self, f: object) -> bool:
        return isinstance(f, str) and self.get(f) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.full())

    def __len__(self) -> int:
        return len(self._off) - 1


def _ids(vocab: Mapping[str, int], feats: list[str]) -> list[int]:
    if isinstance(vocab, Vocab):
        return vocab.ids(feats)
    return [vocab[f] for f in vocab.keys() & set(feats)]


@dataclass(frozen=True)
class EventModel:
    types: tuple[str, ...]
    vocab: Mapping[str, int]  # a dict when trained, a Vocab when loaded
    weights: np.ndarray  # (features, types); float16 as loaded (summed in float32: the same sums as upcast rows)
    bias: np.ndarray  # (types,)
    thresholds: np.ndarray  # (types,): accept a trigger's proposal at or above
    propose: np.ndarray  # (types,): propose an event without a trigger at or above
    info: dict

    def scores(self, feats: list[str]) -> np.ndarray:
        # the known features by one set intersection (most are unknown); np.unique sorts, so the same sum
        idx = _ids(self.vocab, feats)
        z = self.bias + (self.weights[np.unique(idx)].sum(axis=0, dtype=np.float32) if idx else 0.0)
        return 1.0 / (1.0 + np.exp(-z))

    def predict(self, n_sent: str, lexicon_types: frozenset[str] | set[str] = frozenset()) -> dict[str, float]:
        return dict(zip(self.types, self.scores(features(n_sent, lexicon_types)).tolist(), strict=False))

    def cue(self, n_sent: str, etype: str) -> re.Match[str] | None:
        """The word of the sentence that speaks most for ``etype`` (where a proposal without a trigger
        is anchored)."""
        col = self.types.index(etype)
        best, best_w = None, 0.0
        for m in _WORD.finditer(n_sent):
            w = sum(float(self.weights[i, col]) for i in (self.vocab.get(f) for f in _word_features(m.group())) if i is not None)
            if w > best_w:
                best, best_w = m, w
        return best

    def save(self, path: Path) -> None:
        names = sorted(self.vocab, key=self.vocab.get)
        np.savez_compressed(
            path, types=np.array(self.types), **pack_vocab(names), weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32), thresholds=self.thresholds.astype(np.float32),
            propose=self.propose.astype(np.float32), info=np.array(repr(self.info)),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> EventModel:
        p = path or resources.path(MODEL_FILE)
        try:
            with np.load(p, allow_pickle=False) as z:
                if "vocab" in z.files:  # the file format before the hashed vocabulary
                    names = str(z["vocab"][()]).split("\n")  # [()]: the string itself, not numpy's printing of it
                    vocab: Mapping[str, int] = dict(zip(names, range(len(names)), strict=True))
                else:
                    vocab = Vocab(z["vocab_utf8"].tobytes(), z["vocab_offsets"], z["vocab_hashes"], z["vocab_hash_ids"])
                return cls(
                    types=tuple(str(t) for t in z["types"]), vocab=vocab,
                    weights=z["weights"], bias=z["bias"], thresholds=z["thresholds"],
                    propose=z["propose"], info={"source": str(z["info"])},
                )
        except (OSError, KeyError, ValueError) as exc:
            raise RasdError(f"cannot read the event model {p}: {exc}") from exc


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The packaged model, or None when it is absent (the rules alone then decide)."""
    if not resources.path(MODEL_FILE).exists():
        return None
    return EventModel.load()
