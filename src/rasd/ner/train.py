"""Training the tagger: a character-CNN + BiLSTM + CRF over Rasd's own ANT word vectors (PyTorch).

Only ``rasd train ner`` imports this module; the trained weights are exported to a NumPy file that
``rasd.ner.model`` runs without torch.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from rasd.ner.corpus import Sentence
from rasd.ner.features import (
    MAX_CHARS,
    PAD,
    UNK,
    Vocab,
    gazetteer,
    gazetteer_features,
    kb_features,
    keys_of,
)
from rasd.ner.model import LanguageModels


@dataclass
class Settings:
    seed: int = 8
    epochs: int = 40
    batch: int = 16
    lr: float = 0.0015
    dropout: float = 0.5
    word_dropout: float = 0.05
    hidden: int = 64
    char_dim: int = 32
    char_filters: int = 64
    vocab_size: int = 100_000
    patience: int = 8
    finetune: bool = False  # let training move the word vectors of the words it sees
    kb_features: bool = True  # Rasd's own knowledge base (resources/kb) as token features
    gazetteer: str = ""  # folder of ANERGazet lists: features for evaluation only, never shipped
    language_model: bool = True  # states of Rasd's ANT language models (rasd.ner.lm) as features
    extra: list[str] = field(default_factory=list)
    # self-training (rasd.ner.silver): ANT articles a teacher model tagged, the epochs trained on them
    # before fine-tuning on ANERcorp alone, and the teacher's file name
    silver_articles: int = 0
    pretrain_epochs: int = 4
    teacher: str = ""
    # an encoder teacher read together with the shipped fast model (rasd.ner.fusion): the fast
    # model's share of the fused per-word scores; 0: the encoder alone
    teacher_fuse: float = 0.0


def build_vocab(vectors, train: list[Sentence], size: int) -> tuple[Vocab, np.ndarray]:
    """The most frequent ANT words plus every training word, with their fastText vectors."""
    words = list(vectors.get_words()[:size])
    seen = set(words)
    for s in train:
        for k in keys_of(s.tokens):
            if k not in seen:
                seen.add(k)
                words.append(k)
    index = {w: i + 2 for i, w in enumerate(words)}
    dim = vectors.get_dimension()
    matrix = np.zeros((len(words) + 2, dim), dtype=np.float32)
    for w, i in index.items():
        matrix[i] = vectors.get_word_vector(w)
    matrix = dequantize(*quantize(matrix))  # train on exactly the vectors that ship
    chars = Counter(c for s in train for k in keys_of(s.tokens) for c in k)
    kept = [c for c, n in sorted(chars.items()) if n >= 2]
    char_index = {c: i + 2 for i, c in enumerate(kept)}
    return Vocab(index, char_index), matrix


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float scale each: a quarter of the size, no measurable loss."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(matrix / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * scale[:, None]


def _net(torch, matrix: np.ndarray, n_chars: int, n_tags: int, st: Settings, feature_dim: int):
    nn = torch.nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            # sparse: each step updates only the rows of the words in the batch (SparseAdam)
            self.words = nn.Embedding.from_pretrained(torch.from_numpy(matrix), freeze=not st.finetune,
                                                      padding_idx=PAD, sparse=True)
            self.chars = nn.Embedding(n_chars, st.char_dim, padding_idx=PAD)
            self.conv = nn.Conv1d(st.char_dim, st.char_filters, 3, padding=1)
            self.drop = nn.Dropout(st.dropout)
            self.kb_dim = feature_dim  # KB, ANERGazet and language-model features, as _prepare gives them
            self.lstm = nn.LSTM(2 * matrix.shape[1] + st.char_filters + self.kb_dim, st.hidden, batch_first=True,
                                bidirectional=True)
            self.proj = nn.Linear(2 * st.hidden, n_tags)
            self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))

        def emissions(self, words, stems, chars, lengths, kb):
            b, t, c = chars.shape
            ce = self.chars(chars.view(b * t, c)).transpose(1, 2)
            ch = torch.relu(self.conv(ce))
            ch = ch.masked_fill((chars.view(b * t, 1, c) == PAD), 0.0).max(dim=2).values.view(b, t, -1)
            parts = [self.words(words), self.words(stems), ch]
            if self.kb_dim:
                parts.append(kb)
            x = torch.cat(parts, dim=2)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=t)
            return self.proj(self.drop(out))

        def nll(self, em, tags, mask):
            b, t, k = em.shape
            score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            alpha = self.start.unsqueeze(0) + em[:, 0]
            for i in range(1, t):
                m = mask[:, i]
                step = em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1) + self.trans[tags[:, i - 1], tags[:, i]]
                score = score + step * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), dim=1) + em[:, i]
                alpha = torch.where(m.unsqueeze(1) > 0, nxt, alpha)
            last = tags.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)
            score = score + self.end[last]
            log_z = torch.logsumexp(alpha + self.end.unsqueeze(0), dim=1)
            return (log_z - score).sum()

    return Tagger()


def _prepare(s: Sentence, vocab: Vocab, tag_index: dict[str, int], st: Settings,
             lm_states: np.ndarray | None) -> tuple:
    """A sentence's inputs; the token features are the KB's, then ANERGazet's, then the language
    models' states, as ``st`` asks (the order ``rasd.ner.model`` reads them in)."""
    keys = keys_of(s.tokens)
    words, stem_rows = vocab.word_ids(keys)
    parts = [np.zeros((len(keys), 0), dtype=np.float32)]
    if st.kb_features:
        parts.append(kb_features(keys))
    if st.gazetteer:
        parts.append(gazetteer_features(keys, gazetteer(st.gazetteer)))
    if lm_states is not None:
        parts.append(lm_states)
    return (np.array(words), np.array(stem_rows), vocab.char_ids(keys), np.concatenate(parts, axis=1),
            np.array([tag_index[x] for x in s.tags]))


def _batch(torch, items: list[tuple], word_dropout: float, rng):
    n = len(items)
    t = max(len(it[0]) for it in items)
    words = np.zeros((n, t), dtype=np.int64)
    stems = np.zeros((n, t), dtype=np.int64)
    chars = np.zeros((n, t, MAX_CHARS), dtype=np.int64)
    kb = np.zeros((n, t, items[0][3].shape[1]), dtype=np.float32)
    tags = np.zeros((n, t), dtype=np.int64)
    mask = np.zeros((n, t), dtype=np.float32)
    for i, (w, st, ch, k, tg) in enumerate(items):
        m = len(w)
        if word_dropout:
            w = np.where(np.array([rng.random() < word_dropout for _ in range(m)]), UNK, w)
        words[i, :m] = w
        stems[i, :m] = st
        chars[i, :m] = ch
        kb[i, :m] = k
        tags[i, :m] = tg
        mask[i, :m] = 1
    lengths = torch.tensor([len(it[0]) for it in items])
    return (torch.from_numpy(words), torch.from_numpy(stems), torch.from_numpy(chars), lengths,
            torch.from_numpy(kb), torch.from_numpy(tags), torch.from_numpy(mask))


def train(train: list[Sentence], dev: list[Sentence], vocab: Vocab, matrix: np.ndarray, st: Settings,
          log=print, lm: dict[str, np.ndarray] | None = None, init: dict[str, np.ndarray] | None = None):
    """Train with early stopping on ``dev``; returns the exported weights (a dict of arrays) and the
    best dev F1. ``vocab`` and ``matrix`` come from ``build_vocab``; ``lm`` holds the language
    models' weights (``lm_f_wi`` ..., as ``rasd.ner.model.LanguageModels`` reads them) when
    ``st.language_model``; ``init`` starts the network from weights ``export`` gave (a network
    trained before on other data)."""
    import torch

    from rasd.ner.model import Model
    from rasd.ner.scoring import score

    random.seed(st.seed)
    np.random.seed(st.seed)
    torch.manual_seed(st.seed)
    torch.set_num_threads(1)
    rng = random.Random(st.seed)

    states = lm_features(LanguageModels(lm), vocab, matrix, [keys_of(s.tokens) for s in train]) if lm else None
    tag_list = ["O"] + sorted({t for s in train for t in s.tags} - {"O"})
    tag_index = {t: i for i, t in enumerate(tag_list)}
    prepared = [_prepare(s, vocab, tag_index, st, states[i] if states else None) for i, s in enumerate(train)]
    net = _net(torch, matrix, len(vocab.chars) + 2, len(tag_list), st, prepared[0][3].shape[1])
    if init is not None:
        load_exported(torch, net, init)
    dense = [p for n, p in net.named_parameters() if p.requires_grad and n != "words.weight"]
    optimisers = [torch.optim.Adam(dense, lr=st.lr)]
    if st.finetune:
        optimisers.append(torch.optim.SparseAdam([net.words.weight], lr=st.lr))
    log(f"vocabulary {len(vocab.words):,} words, {len(vocab.chars)} characters; tags {', '.join(tag_list)}")

    best, best_state, stale = -1.0, None, 0
    order = sorted(range(len(train)), key=lambda i: len(train[i].tokens))
    batches = [order[i:i + st.batch] for i in range(0, len(order), st.batch)]
    for epoch in range(1, st.epochs + 1):
        t0 = time.time()
        net.train()
        rng.shuffle(batches)
        total = 0.0
        for b in batches:
            words, stems, chars, lengths, kb, tags, mask = _batch(
                torch, [prepared[i] for i in b], st.word_dropout, rng)
            em = net.emissions(words, stems, chars, lengths, kb)
            loss = net.nll(em, tags, mask)
            for opt in optimisers:
                opt.zero_grad()
            (loss / len(b)).backward()
            torch.nn.utils.clip_grad_norm_(dense, 5.0)
            for opt in optimisers:
                opt.step()
            total += loss.item()
        weights = export(net, vocab, tag_list, st, lm)
        f1 = score(Model(weights), dev)["micro"]["f1"]
        log(f"epoch {epoch:2d}  loss {total / len(train):7.3f}  dev F1 {f1:.4f}  {time.time() - t0:5.1f}s")
        if f1 > best:
            best, best_state, stale = f1, weights, 0
        else:
            stale += 1
            if stale >= st.patience:
                break
    return best_state, best


def lm_features(lm: LanguageModels, vocab: Vocab, matrix: np.ndarray, keyed: list[list[str]]) -> list[np.ndarray]:
    """The language models' states at every token of each sentence, computed as tagging does."""
    out: list[np.ndarray] = [np.zeros((0, lm.dim), np.float32)] * len(keyed)
    order = sorted((i for i, ks in enumerate(keyed) if ks), key=lambda i: -len(keyed[i]))
    for lo in range(0, len(order), 256):
        idx = order[lo:lo + 256]
        lengths = np.array([len(keyed[i]) for i in idx])
        index: dict[str, int] = {}
        inverse = np.array([index.setdefault(k, len(index)) for i in idx for k in keyed[i]])
        rows = vocab.word_ids(list(index))[0]
        sent_idx, pos_idx = np.nonzero(np.arange(lengths.max())[None, :] < lengths[:, None])
        states = lm.states(matrix[rows], inverse, lengths, sent_idx, pos_idx, lengths[sent_idx] - 1 - pos_idx)
        starts = np.r_[0, np.cumsum(lengths)]
        for j, i in enumerate(idx):
            out[i] = states[starts[j]:starts[j + 1]]
    return out


def load_exported(torch, net, arrays: dict[str, np.ndarray]) -> None:
    """Set a network's trainable weights from ``export``'s arrays (the inverse of ``export``; the
    word vectors stay the frozen ones the network was built with)."""
    sd = net.state_dict()
    pairs = {"chars.weight": "char_emb", "conv.weight": "conv_w", "conv.bias": "conv_b",
             "proj.weight": "proj_w", "proj.bias": "proj_b", "trans": "trans", "start": "start", "end": "end"}
    for d, suffix in (("f", ""), ("b", "_reverse")):
        pairs[f"lstm.weight_ih_l0{suffix}"] = f"lstm_{d}_wi"
        pairs[f"lstm.weight_hh_l0{suffix}"] = f"lstm_{d}_wh"
    new = {k: torch.from_numpy(np.asarray(arrays[v], np.float32)) for k, v in pairs.items()}
    for d, suffix in (("f", ""), ("b", "_reverse")):  # export summed the two biases
        new[f"lstm.bias_ih_l0{suffix}"] = torch.from_numpy(np.asarray(arrays[f"lstm_{d}_b"], np.float32))
        new[f"lstm.bias_hh_l0{suffix}"] = torch.zeros_like(sd[f"lstm.bias_hh_l0{suffix}"])
    for k, v in new.items():
        if sd[k].shape != v.shape:
            raise ValueError(f"cannot start from these weights: {k} is {tuple(v.shape)}, the network needs {tuple(sd[k].shape)}")
    net.load_state_dict({**sd, **new})


def export(net, vocab: Vocab, tag_list: list[str], st: Settings,
           lm: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The weights as NumPy arrays; word vectors stored as int8 with one scale per row."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    q, scale = quantize(sd["words.weight"])
    words = sorted(vocab.words, key=vocab.words.get)
    chars = sorted(vocab.chars, key=vocab.chars.get)
    from rasd.ner.model import meta_array

    meta = {"format": "rasd-ner/1", "tags": tag_list, "words": words, "chars": chars,
            "settings": st.__dict__}
    out = {
        "meta": meta_array(meta),
        "emb_q": q, "emb_scale": scale.astype(np.float32),
        "char_emb": sd["chars.weight"], "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"],
        "proj_w": sd["proj.weight"], "proj_b": sd["proj.bias"],
        "trans": sd["trans"], "start": sd["start"], "end": sd["end"],
    }
    for d, suffix in (("f", ""), ("b", "_reverse")):
        out[f"lstm_{d}_wi"] = sd[f"lstm.weight_ih_l0{suffix}"]
        out[f"lstm_{d}_wh"] = sd[f"lstm.weight_hh_l0{suffix}"]
        out[f"lstm_{d}_b"] = sd[f"lstm.bias_ih_l0{suffix}"] + sd[f"lstm.bias_hh_l0{suffix}"]
    out.update(lm or {})
    return out
