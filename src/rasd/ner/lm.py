"""Word-level language models learned by Rasd from ANT, whose states give the tagger context.

A forward LSTM reads a sentence left to right and learns to predict the next word; a backward one
reads it right to left. Trained on the 10.7 million tokens of ANT, their hidden states carry what
the 115,000 tokens of ANERcorp train cannot teach alone: which contexts names occur in. The tagger
reads both states at every token beside the word vectors (TagLM, Peters et al. 2017).

Training (torch) happens in ``rasd train ner``; the states are computed with NumPy at run time
(``rasd.ner.model``), from the same word vectors the tagger uses.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rasd.ner.features import Vocab

END, RARE = 0, 1  # output classes: end of sentence, a word outside the predicted vocabulary
_SENTENCE_END = frozenset({".", "!", "?", "؟"})


@dataclass
class LMSettings:
    hidden: int = 256
    predicted: int = 30_000  # the most frequent ANT words the model learns to predict
    max_len: int = 50
    batch: int = 64
    lr: float = 0.002
    epochs: int = 1
    seed: int = 7


def cut(tokens, max_len: int) -> Iterator[list[str]]:
    """Runs of ``tokens`` ending at a sentence end or after ``max_len`` tokens, and the rest."""
    current: list[str] = []
    for k in tokens:
        current.append(k)
        if k in _SENTENCE_END or len(current) == max_len:
            yield current
            current = []
    if current:
        yield current


def sentences(corpus: Path, max_len: int):
    """Token keys of the corpus (one article a line) cut at sentence ends and every ``max_len``."""
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            yield from (s for s in cut(line.split(), max_len) if len(s) > 2)


def encode(corpus: Path, vocab: Vocab, st: LMSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Input rows (the tagger's word rows), prediction targets, and sentence offsets."""
    rows: dict[str, tuple[int, int]] = {}
    inputs, targets, offsets = [], [], [0]
    for keys in sentences(corpus, st.max_len):
        for k in keys:
            r = rows.get(k)
            if r is None:
                w = vocab.word_ids([k])[0][0]
                direct = vocab.words.get(k, RARE)
                r = rows[k] = (w, direct if direct < st.predicted + 2 else RARE)
            inputs.append(r[0])
            targets.append(r[1])
        offsets.append(len(inputs))
    return np.array(inputs, np.int32), np.array(targets, np.int32), np.array(offsets, np.int64)


def train_lm(data: tuple[np.ndarray, np.ndarray, np.ndarray], matrix: np.ndarray, reverse: bool,
             st: LMSettings, log=print) -> dict[str, np.ndarray]:
    """One direction's LSTM language model; returns its LSTM weights (input, hidden, bias)."""
    import torch

    random.seed(st.seed)
    torch.manual_seed(st.seed)
    torch.set_num_threads(1)
    nn = torch.nn
    inputs, targets, offsets = data
    emb = nn.Embedding.from_pretrained(torch.from_numpy(matrix), freeze=True)
    lstm = nn.LSTM(matrix.shape[1], st.hidden, batch_first=True)
    head = nn.AdaptiveLogSoftmaxWithLoss(st.hidden, st.predicted + 2, cutoffs=[4_000, 12_000], div_value=4.0)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=st.lr)
    n = len(offsets) - 1
    lengths = offsets[1:] - offsets[:-1]
    order = np.argsort(lengths, kind="stable")
    batches = [order[i:i + st.batch] for i in range(0, n, st.batch)]
    rng = random.Random(st.seed)
    for epoch in range(st.epochs):
        rng.shuffle(batches)
        t0, seen, total = time.time(), 0, 0.0
        for bi, b in enumerate(batches):
            t = int(lengths[b].max())
            x = np.zeros((len(b), t), np.int64)
            y = np.full((len(b), t), -1, np.int64)
            for j, s in enumerate(b):
                lo, hi = offsets[s], offsets[s + 1]
                w, g = inputs[lo:hi], targets[lo:hi]
                if reverse:
                    w, g = w[::-1], g[::-1]
                x[j, :hi - lo] = w
                y[j, :hi - lo - 1] = g[1:]
                y[j, hi - lo - 1] = END
            lens = torch.from_numpy(lengths[b].astype(np.int64))
            packed = nn.utils.rnn.pack_padded_sequence(emb(torch.from_numpy(x)), lens, batch_first=True,
                                                       enforce_sorted=False)
            out, _ = lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=t)
            yy = torch.from_numpy(y)
            keep = yy >= 0
            loss = head(out[keep], yy[keep]).loss
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            seen += int(keep.sum())
            total += loss.item() * int(keep.sum())
            if bi % 2000 == 0 and bi:
                log(f"  LM {'backward' if reverse else 'forward'} epoch {epoch + 1}: {seen:,} tokens, "
                    f"perplexity {np.exp(total / seen):.0f}, {seen / (time.time() - t0):,.0f} tokens/s")
        log(f"  LM {'backward' if reverse else 'forward'} epoch {epoch + 1}: perplexity "
            f"{np.exp(total / seen):.0f} in {time.time() - t0:.0f}s")
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in lstm.state_dict().items()}
    return {"wi": sd["weight_ih_l0"], "wh": sd["weight_hh_l0"], "b": sd["bias_ih_l0"] + sd["bias_hh_l0"]}
