"""Near-duplicate and rewritten stories: MinHash signatures (datasketch) with LSH bands kept in the store,
so candidates are found by an indexed lookup whatever the store's size."""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from rasd.store.search_text import words

NUM_PERM = 128
BANDS, ROWS = 32, 4  # LSH threshold about (1/32)^(1/4) = 0.42 before verification
SHINGLE = 5
SAME_STORY = 0.5  # estimated Jaccard of word 5-shingles to join a story


def signature(text: str) -> MinHash:
    toks = words(text)
    shingles = {" ".join(toks[i:i + SHINGLE]) for i in range(max(1, len(toks) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def bands(m: MinHash) -> list[tuple[int, str]]:
    hv = m.hashvalues
    return [(b, hashlib.blake2b(hv[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()) for b in range(BANDS)]


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(np.uint64).tobytes()


def similarity(m: MinHash, stored: bytes) -> float:
    other = np.frombuffer(stored, dtype=np.uint64)
    return float(np.count_nonzero(m.hashvalues == other)) / NUM_PERM
