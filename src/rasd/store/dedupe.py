"""Near-duplicate and rewritten stories: MinHash signatures with LSH bands kept in the store, so
candidates are found by an indexed lookup whatever the store's size.

The signatures are datasketch's ``MinHash(num_perm=128, seed=1, hashfunc=zlib.crc32)`` with its
default "affine32" scheme, computed here with NumPy alone, value for value (a test checks it against
datasketch): importing datasketch pulls in SciPy, over half a second at the start of every ingest.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np

from rasd.store.search_text import words

NUM_PERM = 128
SEED = 1
BANDS, ROWS = 32, 4  # LSH threshold about (1/32)^(1/4) = 0.42 before verification
SHINGLE = 5
SAME_STORY = 0.5  # estimated Jaccard of word 5-shingles to join a story


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # affine permutations h -> a*h + b mod 2^32 with a odd, drawn as datasketch 2.x draws them
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _permutations(NUM_PERM, SEED)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection that spreads crc32's structure), wrapping as uint32."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


@dataclass(frozen=True, slots=True)
class Signature:
    hashvalues: np.ndarray  # uint32, NUM_PERM values


def minhash(values: list[bytes]) -> Signature:
    """MinHash of a set of byte strings (crc32 per value, then the permutations' minima)."""
    if not values:
        return Signature(_EMPTY.copy())
    # map over the C functions: no Python frame per value (a document has hundreds of shingles)
    hv = _fmix32(np.fromiter(map(zlib.crc32, values), dtype=np.uint32, count=len(values)).reshape(-1, 1))
    with np.errstate(over="ignore"):
        phv = hv * _A + _B
    return Signature(np.minimum(_EMPTY, phv.min(axis=0)))


def signature(text: str | None = None, toks: list[str] | None = None) -> Signature:
    """MinHash of the word 5-shingles of a text (or of its already normalised words)."""
    toks = words(text or "") if toks is None else toks
    if len(toks) >= SHINGLE:  # every run of SHINGLE words, joined in C (zip of shifted lists)
        shingles = set(map(" ".join, zip(*(toks[i:] for i in range(SHINGLE)), strict=False)))
    else:  # a short text is one shingle of all its words (the empty text: the empty shingle)
        shingles = {" ".join(toks)}
    return minhash(list(map(str.encode, shingles)))


def bands(m: Signature) -> list[str]:
    """One key per LSH band: documents sharing any key are candidates."""
    hv = m.hashvalues
    return [f"{b}:{hashlib.blake2b(hv[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}" for b in range(BANDS)]


def to_bytes(m: Signature) -> bytes:
    return m.hashvalues.astype(np.uint64).tobytes()


def similarity(m: Signature, stored: bytes) -> float:
    other = np.frombuffer(stored, dtype=np.uint64)
    return float(np.count_nonzero(m.hashvalues == other)) / NUM_PERM
