"""Near-duplicate and rewritten stories: MinHash signatures (datasketch) with LSH bands kept in the store,
so candidates are found by an indexed lookup whatever the store's size."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np
from datasketch import MinHash

from rasd.store.search_text import words

NUM_PERM = 128
BANDS, ROWS = 32, 4  # LSH threshold about (1/32)^(1/4) = 0.42 before verification
SHINGLE = 5
SAME_STORY = 0.5  # estimated Jaccard of word 5-shingles to join a story


# crc32 (stable across processes, unlike hash(); several times faster than datasketch's sha1) feeds
# the affine permutations; the permutations are made once, not for every document.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def signature(text: str | None = None, toks: list[str] | None = None) -> MinHash:
    """MinHash of the word 5-shingles of a text (or of its already normalised words)."""
    toks = words(text or "") if toks is None else toks
    shingles = {" ".join(toks[i:i + SHINGLE]) for i in range(max(1, len(toks) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def bands(m: MinHash) -> list[str]:
    """One key per LSH band: documents sharing any key are candidates."""
    hv = m.hashvalues
    return [f"{b}:{hashlib.blake2b(hv[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}" for b in range(BANDS)]


def to_bytes(m: MinHash) -> bytes:
    return m.hashvalues.astype(np.uint64).tobytes()


def similarity(m: MinHash, stored: bytes) -> float:
    other = np.frombuffer(stored, dtype=np.uint64)
    return float(np.count_nonzero(m.hashvalues == other)) / NUM_PERM
