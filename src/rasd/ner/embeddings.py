"""Word vectors learned by Rasd itself from the ANT news corpus (fastText skip-gram, at training time).

The corpus is written once as normalised token keys, one article a line; fastText then learns
subword-aware vectors, and the vectors of the words the tagger keeps go into the shipped model.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from rasd.ner.tokens import token_key, tokenize

SETTINGS = {"model": "skipgram", "dim": 100, "epoch": 5, "minCount": 3, "ws": 5, "neg": 5,
            "minn": 2, "maxn": 5, "thread": 1}


def write_corpus(ant_dir: Path, out: Path) -> int:
    """Token keys of every ANT article, one article a line; returns the number of tokens."""
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for f in sorted(ant_dir.glob("*.jsonl.gz")):
            with gzip.open(f, "rt", encoding="utf-8") as src:
                for line in src:
                    rec = json.loads(line)
                    text = " ".join(filter(None, (rec.get("title"), rec.get("text"))))
                    keys = [token_key(text[s:e]) for s, e in tokenize(text)]
                    if keys:
                        fh.write(" ".join(keys) + "\n")
                        n += len(keys)
    return n


def train_vectors(corpus: Path, out: Path):
    """Train fastText vectors (single thread, fixed seed: the same corpus gives the same vectors)."""
    import fasttext  # training-time dependency (pip install 'rasd[train]')

    model = fasttext.train_unsupervised(str(corpus), verbose=0, **SETTINGS)
    model.save_model(str(out))
    return model
