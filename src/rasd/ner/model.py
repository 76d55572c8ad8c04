"""The shipped NER model, run with NumPy alone: character CNN, BiLSTM, CRF (Viterbi).

The weights come from ``rasd train ner`` (see ``rasd.ner.train``); this module never imports torch.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from rasd import resources
from rasd.ner.corpus import spans
from rasd.ner.features import (
    GAZETTEER_DIM,
    KB_DIM,
    MAX_CHARS,
    PAD,
    Vocab,
    gazetteer,
    gazetteer_features,
    kb_features,
    kb_features_at,
    keys_of,
)
from rasd.ner.tokens import stems, token_key, tokenize

MODEL_FILE = "ner.npz"
_BATCH = 1024
# Label propagation (one sense per discourse): a name the model tagged is tagged again where it
# recurs within this many sentences, and a person's last name alone as well. A single word is
# propagated only if it is not among the most frequent words of the news corpus.
WINDOW = 10
# Text without sentence punctuation makes "sentences" of hundreds of tokens, and the LSTM steps once
# per token: such runs are tagged in pieces of at most MAX_PIECE tokens, cut after a comma or a
# semicolon where there is one.
MAX_PIECE = 60
_BATCH_TOKENS = 8_192
_CHAR_CACHE = 50_000  # character-CNN outputs kept per network (64 floats each)
_BREAKS = frozenset({",", ";", ":", "،", "؛"})
COMMON_RANK = 1000


class ModelError(Exception):
    """The model file is missing or not one this version of Rasd can read."""


def meta_array(meta: dict) -> np.ndarray:
    """The model's metadata as it is stored in the .npz file: UTF-8 JSON bytes."""
    return np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def read_meta(arrays: dict[str, np.ndarray]) -> dict:
    return json.loads(bytes(arrays["meta"]).decode("utf-8"))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _lstm_weights(arrays: dict[str, np.ndarray], prefix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input [in, 4h], hidden [h, 4h], bias [4h]) of an exported LSTM direction. torch orders the
    gates i, f, g, o; they are reordered to i, f, o, g so that one slice takes the sigmoids."""
    h = arrays[prefix + "wh"].shape[1]
    order = np.r_[0:2 * h, 3 * h:4 * h, 2 * h:3 * h]
    return (arrays[prefix + "wi"].astype(np.float32)[order].T.copy(),
            arrays[prefix + "wh"].astype(np.float32)[order].T.copy(),
            arrays[prefix + "b"].astype(np.float32)[order])


class LanguageModels:
    """The forward and backward word-level language models (``rasd.ner.lm``), run with NumPy; their
    hidden states at each token are features of every member network."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.weights = {k: v for k, v in arrays.items() if k.startswith("lm_")}  # as exported: for students
        self.wi, self.b, wh = {}, {}, []
        for d in ("f", "b"):
            self.wi[d], w, self.b[d] = _lstm_weights(arrays, f"lm_{d}_")
            wh.append(w)
        self.wh = np.stack(wh)
        self.dim = 2 * self.wh.shape[1]

    def states(self, word_vectors: np.ndarray, inverse: np.ndarray, lengths: np.ndarray,
               sent_idx: np.ndarray, pos_idx: np.ndarray, rev_idx: np.ndarray) -> np.ndarray:
        """[tokens, 2h]: forward then backward state at each token of sentences given longest first
        (``word_vectors`` of distinct tokens, ``inverse`` mapping tokens to them)."""
        n, t = len(lengths), int(lengths.max())
        x = np.zeros((2, n, t, self.wh.shape[2]), np.float32)
        for d, (direction, positions) in enumerate((("f", pos_idx), ("b", rev_idx))):
            x[d, sent_idx, positions] = (word_vectors @ self.wi[direction] + self.b[direction])[inverse]
        out = Model._bilstm(self.wh, x, lengths)
        return np.concatenate([out[0, sent_idx, pos_idx], out[1, sent_idx, rev_idx]], axis=1)


class _Member:
    """One network of the model: character CNN, BiLSTM and CRF weights (the word vectors are shared)."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str, kb: bool, gazetteer_dir: str = ""):
        def get(name: str) -> np.ndarray:
            return arrays[prefix + name].astype(np.float32)

        self.char_emb = get("char_emb")
        w = get("conv_w")  # [filters, char_dim, width]
        self.conv_w = w.transpose(2, 1, 0).reshape(-1, w.shape[0])  # [(width, char_dim), filters]
        self.conv_b = get("conv_b")
        self.width = w.shape[2]
        self.lstm = {d: _lstm_weights(arrays, f"{prefix}lstm_{d}_") for d in ("f", "b")}
        self.wh = np.stack([self.lstm["f"][1], self.lstm["b"][1]])  # [2, h, 4h]
        self.kb = kb
        self.gazetteer = gazetteer_dir
        self.proj_w = get("proj_w").T.copy()
        self.proj_b = get("proj_b")
        self.trans = get("trans")
        self.start = get("start")
        self.end = get("end")
        self.char_cache: dict[str, np.ndarray] = {}


class Model:
    """The NER model: shared word vectors and one or more member networks whose emission and
    transition scores are averaged (an ensemble) before Viterbi decoding."""

    def __init__(self, arrays: dict[str, np.ndarray], members: int | None = None):
        meta = read_meta(arrays)
        if meta.get("format") != "rasd-ner/1":
            raise ModelError(f"unknown NER model format {meta.get('format')!r}")
        self.meta = meta
        self.tags: list[str] = meta["tags"]
        self.vocab = Vocab({w: i + 2 for i, w in enumerate(meta["words"])},
                           {c: i + 2 for i, c in enumerate(meta["chars"])})
        self.emb_q = arrays["emb_q"]
        self.emb_scale = arrays["emb_scale"].astype(np.float32)
        n = int(meta.get("members", 1))
        settings = meta.get("member_settings") or [meta["settings"]] * n
        self.members = [_Member(arrays, f"m{i}." if n > 1 else "", bool(settings[i].get("kb_features")),
                                settings[i].get("gazetteer", ""))
                        for i in range(min(n, members or n))]
        for m in self.members:
            if m.gazetteer and not (Path(m.gazetteer) / "ANERGazet_Loc.txt").exists():
                raise ModelError(f"this model was trained with ANERGazet features and needs {m.gazetteer}")
        if len({m.wh.shape for m in self.members}) != 1:
            raise ModelError("ensemble members must have the same hidden size")
        self._wh = np.concatenate([m.wh for m in self.members])  # [2 * members, h, 4h]
        self.trans = np.mean([m.trans for m in self.members], axis=0)
        self.start = np.mean([m.start for m in self.members], axis=0)
        self.end = np.mean([m.end for m in self.members], axis=0)
        self._ids_cache: dict[str, tuple[int, int]] = {}
        self.lm = LanguageModels(arrays) if "lm_f_wi" in arrays else None

    @staticmethod
    def combine(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """One ensemble file from single models trained on the same data with frozen word vectors
        (so they share the vocabulary and the vectors, which are stored once)."""
        metas = [read_meta(p) for p in parts]
        first = metas[0]
        for m, p in zip(metas[1:], parts[1:], strict=True):
            if m["words"] != first["words"] or not np.array_equal(p["emb_q"], parts[0]["emb_q"]):
                raise ModelError("ensemble members must share their vocabulary and word vectors")
        meta = dict(first, members=len(parts), member_settings=[m["settings"] for m in metas])
        shared = ["emb_q", "emb_scale"] + [k for k in parts[0] if k.startswith("lm_")]
        for p in parts[1:]:
            if any(k not in p or not np.array_equal(p[k], parts[0][k]) for k in shared):
                raise ModelError("ensemble members must share their language models")
        out = {"meta": meta_array(meta), **{k: parts[0][k] for k in shared}}
        for i, p in enumerate(parts):
            for k, v in p.items():
                if k not in out:
                    out[f"m{i}.{k}"] = v
        return out

    @classmethod
    def load(cls, path: str | Path | None = None, members: int | None = None) -> Model:
        """The model at ``path`` (default: the shipped one); ``members`` keeps only the first few
        networks of an ensemble (faster, slightly less accurate)."""
        p = Path(path) if path else resources.path(MODEL_FILE)
        try:
            with np.load(p, allow_pickle=False) as z:
                return cls({k: z[k] for k in z.files}, members)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot read NER model {p}: {exc}") from None

    def news_rank(self, word: str) -> int:
        """Frequency rank of a word in the news corpus the vectors were learned from (0 = most
        frequent); words the vocabulary lacks all rank after every word it has."""
        return self.vocab.words.get(token_key(word), len(self.vocab.words) + 2) - 2

    # -- features ------------------------------------------------------------------------------

    def _ids(self, keys: list[str]) -> tuple[list[int], list[int]]:
        cache = self._ids_cache
        words, stems = [], []
        for k in keys:
            ws = cache.get(k)
            if ws is None:
                w, s = self.vocab.word_ids([k])
                ws = (w[0], s[0])
                if len(cache) < 200_000:
                    cache[k] = ws
            words.append(ws[0])
            stems.append(ws[1])
        return words, stems

    def _embed(self, rows: np.ndarray) -> np.ndarray:
        return self.emb_q[rows].astype(np.float32) * self.emb_scale[rows, None]

    def _char_features(self, m: _Member, keys: list[str]) -> np.ndarray:
        cache = m.char_cache
        if len(cache) + len(keys) > _CHAR_CACHE:
            cache.clear()
        missing = list(dict.fromkeys(k for k in keys if k not in cache))
        if missing:
            ids = self.vocab.char_ids(missing)  # [n, C]
            x = m.char_emb[ids]  # [n, C, d]
            pad = m.width // 2
            xp = np.pad(x, ((0, 0), (pad, pad), (0, 0)))
            cols = np.concatenate([xp[:, k:k + MAX_CHARS] for k in range(m.width)], axis=2)
            out = np.maximum(cols @ m.conv_w + m.conv_b, 0.0)  # [n, C, filters]
            out[ids == PAD] = 0.0
            feats = out.max(axis=1)
            for k, f in zip(missing, feats, strict=True):
                cache[k] = f
        return np.stack([cache[k] for k in keys]) if keys else np.zeros((0, m.conv_b.shape[0]), np.float32)

    # -- network -------------------------------------------------------------------------------

    @staticmethod
    def _bilstm(wh: np.ndarray, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """LSTM directions (every member's forward and backward) in one loop over input projections
        x [directions, n, t, 4h] of sentences sorted longest first (backward ones reversed within
        each sentence); step ``i`` computes only the sentences still running, so padding costs
        nothing. Returns [directions, n, t, h]."""
        r, n, t, _ = x.shape
        h_dim = wh.shape[1]
        h = np.zeros((r, n, h_dim), np.float32)
        c = np.zeros((r, n, h_dim), np.float32)
        out = np.zeros((r, n, t, h_dim), np.float32)
        active = (lengths[None, :] > np.arange(t)[:, None]).sum(axis=1)
        for i in range(t):
            k = int(active[i])
            g = x[:, :k, i] + np.matmul(h[:, :k], wh)
            s = _sigmoid(g[..., :3 * h_dim])
            ck = s[..., h_dim:2 * h_dim] * c[:, :k] + s[..., :h_dim] * np.tanh(g[..., 3 * h_dim:])
            hk = s[..., 2 * h_dim:] * np.tanh(ck)
            c[:, :k] = ck
            h[:, :k] = hk
            out[:, :k, i] = hk
        return out

    def _emissions(self, batch: list[list[str]], kb_given: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Emission scores (averaged over the members) for sentences given longest first; their KB
        features are computed here unless given (``kb_given``, one array per sentence)."""
        n = len(batch)
        lengths = np.array([len(k) for k in batch])
        t = int(lengths.max())
        flat = [k for keys in batch for k in keys]
        # every distinct token once: input features and both directions' input projections
        index: dict[str, int] = {}
        inverse = np.fromiter((index.setdefault(k, len(index)) for k in flat), dtype=np.int64, count=len(flat))
        distinct = list(index)
        w, s = self._ids(distinct)
        word_vectors = self._embed(np.array(w))
        words = np.concatenate([word_vectors, self._embed(np.array(s))], axis=1)
        mask = np.arange(t)[None, :] < lengths[:, None]
        kb = None
        if any(m.kb for m in self.members):
            kb = np.concatenate(kb_given if kb_given is not None else [kb_features(keys) for keys in batch])
        gaz_dir = next((m.gazetteer for m in self.members if m.gazetteer), "")
        gaz = np.concatenate([gazetteer_features(keys, gazetteer(gaz_dir)) for keys in batch]) if gaz_dir else None
        # token (s, p) sits at position p forward and at len(s) - 1 - p in the reversed sentence
        sent_idx, pos_idx = np.nonzero(mask)
        rev_idx = lengths[sent_idx] - 1 - pos_idx
        lm = self.lm.states(word_vectors, inverse, lengths, sent_idx, pos_idx, rev_idx) if self.lm else None
        # all members' directions run in one loop (they have the same hidden size): [2M, n, t, 4h]
        x = np.zeros((2 * len(self.members), n, t, self._wh.shape[2]), np.float32)
        for j, m in enumerate(self.members):
            feats = np.concatenate([words, self._char_features(m, distinct)], axis=1)
            d_in = feats.shape[1]
            for d, (direction, positions) in enumerate((("f", pos_idx), ("b", rev_idx))):
                wi, _, b = m.lstm[direction]
                proj = (feats @ wi[:d_in] + b)[inverse]
                col = d_in
                if m.kb:
                    proj += kb @ wi[col:col + KB_DIM]
                    col += KB_DIM
                if m.gazetteer:
                    proj += gaz @ wi[col:col + GAZETTEER_DIM]
                    col += GAZETTEER_DIM
                if lm is not None:
                    proj += lm @ wi[col:col + lm.shape[1]]
                x[2 * j + d, sent_idx, positions] = proj
        out = self._bilstm(self._wh, x, lengths)
        em = np.zeros((n, t, len(self.tags)), np.float32)
        scores = 0.0
        for j, m in enumerate(self.members):
            hidden = np.concatenate([out[2 * j, sent_idx, pos_idx], out[2 * j + 1, sent_idx, rev_idx]], axis=1)
            scores = scores + hidden @ m.proj_w + m.proj_b
        em[sent_idx, pos_idx] = scores
        return em / len(self.members), mask

    def _viterbi(self, em: np.ndarray, mask: np.ndarray) -> list[list[int]]:
        n, t, k = em.shape
        score = self.start[None, :] + em[:, 0]
        back = np.zeros((n, t, k), dtype=np.int64)
        for i in range(1, t):
            cand = score[:, :, None] + self.trans[None, :, :]
            best = cand.argmax(axis=1)
            new = cand.max(axis=1) + em[:, i]
            m = mask[:, i:i + 1]
            score = np.where(m, new, score)
            back[:, i] = np.where(m, best, np.arange(k)[None, :])
        score = score + self.end[None, :]
        out = []
        lengths = mask.sum(axis=1)
        for j in range(n):
            tag = int(score[j].argmax())
            path = [tag]
            for i in range(int(lengths[j]) - 1, 0, -1):
                tag = int(back[j, i, tag])
                path.append(tag)
            out.append(path[::-1])
        return out

    # -- public --------------------------------------------------------------------------------

    def tag_tokens(self, sentences: list[list[str]], window: int = WINDOW) -> list[list[str]]:
        """BIO tags for each tokenised sentence; sentences are taken to be in document order, and
        names are propagated within ``window`` sentences (0: each sentence alone)."""
        keyed = [keys_of(s) for s in sentences]
        tagged = self._tag(keyed)
        return self._propagate(keyed, tagged, window) if window else tagged

    def _propagate(self, keys: list[list[str]], tagged: list[list[str]], window: int) -> list[list[str]]:
        # the names each sentence contributes, then a sliding window of their counts
        contributed: list[list[tuple[tuple[str, ...], str]]] = []
        for ks, tags in zip(keys, tagged, strict=True):
            names = []
            for a, b, kind in spans(tags):
                names.append((tuple(ks[a:b]), kind))
                if kind == "PERS" and b - a >= 2:
                    names.append(((ks[b - 1],), kind))
            contributed.append(names)
        counts: dict[tuple[str, ...], Counter] = {}

        def move(j: int, step: int) -> None:
            for seq, kind in contributed[j]:
                c = counts.setdefault(seq, Counter())
                c[kind] += step
                if c[kind] <= 0:
                    del c[kind]
                    if not c:
                        del counts[seq]

        for j in range(min(window, len(keys))):
            move(j, 1)
        out = []
        for j, ks in enumerate(keys):
            if j + window < len(keys):
                move(j + window, 1)
            if j - window - 1 >= 0:
                move(j - window - 1, -1)
            tags = list(tagged[j])
            if counts:
                firsts = {seq[0] for seq in counts}
                i = 0
                while i < len(ks):
                    step = 1
                    for n in (3, 2, 1):
                        if i + n > len(ks) or any(t != "O" for t in tags[i:i + n]):
                            continue
                        if ks[i] not in firsts and not any(x in firsts for x in stems(ks[i])):
                            break
                        kind = self._known_name(ks[i:i + n], counts)
                        if kind:
                            tags[i:i + n] = ["B-" + kind] + ["I-" + kind] * (n - 1)
                            step = n
                            break
                    i += step
            out.append(tags)
        return out

    def _known_name(self, seq: list[str], names: dict[tuple[str, ...], Counter]) -> str | None:
        rest = tuple(seq[1:])
        for first in (seq[0], *stems(seq[0])):
            counts = names.get((first, *rest))
            if counts is None:
                continue
            if not rest and self.news_rank(first) < COMMON_RANK:
                return None
            return counts.most_common(1)[0][0]
        return None

    def _tag(self, keyed: list[list[str]], kb_given: list[np.ndarray] | None = None) -> list[list[str]]:
        """Viterbi tags; long sentences are tagged in pieces (see ``_pieces``), and batches are
        bounded in tokens so that padding never dominates."""
        pieces: list[tuple[int, int, int]] = []  # sentence, start, end
        for i, ks in enumerate(keyed):
            pieces.extend((i, a, b) for a, b in _pieces(ks))
        pieces.sort(key=lambda p: p[1] - p[2])
        out = [["O"] * len(ks) for ks in keyed]
        lo = 0
        while lo < len(pieces):
            longest = pieces[lo][2] - pieces[lo][1]
            hi = min(len(pieces), lo + max(1, min(_BATCH, _BATCH_TOKENS // longest)))
            batch = pieces[lo:hi]
            em, mask = self._emissions([keyed[i][a:b] for i, a, b in batch],
                                       [kb_given[i][a:b] for i, a, b in batch] if kb_given is not None else None)
            for (i, a, b), path in zip(batch, self._viterbi(em, mask), strict=True):
                out[i][a:b] = [self.tags[p] for p in path]
            lo = hi
        return out

    def entities(self, text: str, sentence_spans: list[tuple[int, int]],
                 kb_hits: list[tuple[int, int, set[int]]] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, type) of every entity the model finds, offsets into ``text``; names are
        propagated across the whole text (one document). ``kb_hits``: the document's knowledge-base
        matches (start, end, feature groups), when the caller has them (see ``entities_many``)."""
        return self.entities_many([(text, sentence_spans)], None if kb_hits is None else [kb_hits])[0]

    def entities_many(self, docs: list[tuple[str, list[tuple[int, int]]]],
                      kb_hits: list[list[tuple[int, int, set[int]]]] | None = None) -> list[list[tuple[int, int, str]]]:
        """``entities`` for many documents at once: their sentences share batches, which is several
        times faster than one document at a time. With ``kb_hits`` (per document, sorted by start:
        the entity stage's one pass of the KB automaton), the KB features come from those matches
        instead of a second pass over each sentence."""
        toks = [[[(s + a, s + b) for a, b in tokenize(text[s:e])] for s, e in spans] for text, spans in docs]
        keyed = [[keys_of([text[a:b] for a, b in ts]) for ts in doc_toks]
                 for (text, _), doc_toks in zip(docs, toks, strict=True)]
        kb_given = None
        if kb_hits is not None and any(m.kb for m in self.members):
            kb_given = [kb_features_at(ts, hits) for doc_toks, hits in zip(toks, kb_hits, strict=True) for ts in doc_toks]
        tagged = self._tag([ks for doc_keys in keyed for ks in doc_keys], kb_given)
        out = []
        pos = 0
        for doc_toks, doc_keys in zip(toks, keyed, strict=True):
            doc_tags = self._propagate(doc_keys, tagged[pos:pos + len(doc_keys)], len(doc_keys))
            pos += len(doc_keys)
            found = []
            for ts, tags in zip(doc_toks, doc_tags, strict=True):
                for i, j, kind in spans(tags):
                    found.append((ts[i][0], ts[j - 1][1], kind))
            out.append(sorted(found))
        return out


def _pieces(keys: list[str]) -> list[tuple[int, int]]:
    """Spans of at most MAX_PIECE tokens covering ``keys``; an entity cut at a piece boundary is rare
    since cuts go after the last comma or semicolon of a piece where it has one."""
    out = []
    start = 0
    while len(keys) - start > MAX_PIECE:
        end = start + MAX_PIECE
        cut = next((j + 1 for j in range(end - 1, start + MAX_PIECE // 2, -1) if keys[j] in _BREAKS), end)
        out.append((start, cut))
        start = cut
    if len(keys) > start:
        out.append((start, len(keys)))
    return out


@lru_cache(maxsize=4)
def shipped(members: int | None = None) -> Model:
    """The model that ships in the package, loaded once (``members``: see ``Model.load``)."""
    return Model.load(members=members)
