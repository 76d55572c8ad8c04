"""Silver training data: ANT news sentences tagged by a teacher model (self-training).

ANERcorp train has 3,600 sentences; ANT has hundreds of thousands. A student network first learns
from ANERcorp train plus a few thousand ANT articles as the teacher (an ensemble trained on
ANERcorp alone) tags them, then is fine-tuned on ANERcorp train alone. The teacher's names in
unseen contexts teach the student more than the gold sentences can on their own.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

from rasd.ner.corpus import Sentence
from rasd.ner.lm import cut
from rasd.ner.tokens import tokenize

CORPUS = "ant_v2_1_multisource.jsonl.gz"  # Al Arabiya, BBC, CNN, France 24, Sky News Arabia
SEED = 3
MIN_TOKENS, MAX_TOKENS = 4, 60


def articles(ant_dir: Path, n: int, seed: int = SEED) -> Iterator[list[list[str]]]:
    """The tokenised sentences of ``n`` distinct ANT articles drawn at random (fixed seed); sentences
    are cut at sentence ends and every MAX_TOKENS tokens, and fragments under MIN_TOKENS dropped."""
    path = ant_dir / CORPUS
    if not path.exists():
        raise ValueError(f"no {CORPUS} in {ant_dir}: silver data comes from the ANT corpus")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [t for t in (json.loads(line).get("text") for line in fh) if t]
    random.Random(seed).shuffle(texts)
    seen: set[str] = set()
    for text in texts:
        if len(seen) >= n:
            break
        if text in seen:  # the corpus has the same story under two categories
            continue
        seen.add(text)
        tokens = (text[a:b] for a, b in tokenize(text))
        sentences = [s for s in cut(tokens, MAX_TOKENS) if len(s) >= MIN_TOKENS]
        if sentences:
            yield sentences


GROUP = 64  # articles a teacher with ``tag_articles`` (the encoder) tags in one pass


def tag(teacher, ant_dir: Path, n: int) -> list[Sentence]:
    """Silver sentences: the teacher's tags, names propagated across each article as tagging does."""
    out = []
    group: list[list[list[str]]] = []

    def flush():
        if hasattr(teacher, "tag_articles"):
            tagged = teacher.tag_articles(group)
        else:
            tagged = [teacher.tag_tokens(a, window=len(a)) for a in group]
        for sentences, tags in zip(group, tagged, strict=True):
            out.extend(Sentence(tuple(s), tuple(t)) for s, t in zip(sentences, tags, strict=True))
        group.clear()

    for sentences in articles(ant_dir, n):
        group.append(sentences)
        if len(group) >= GROUP:
            flush()
    if group:
        flush()
    return out
