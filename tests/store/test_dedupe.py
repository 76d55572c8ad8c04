import random
import zlib

import numpy as np
from datasketch import MinHash

from rasd.store.dedupe import NUM_PERM, SEED, bands, minhash, signature, similarity, to_bytes


def _reference(values: list[bytes]) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
    m.update_batch(values)
    return m.hashvalues


def test_signatures_are_datasketchs_value_for_value():
    rng = random.Random(5)
    for n in (0, 1, 2, 7, 300):
        values = [bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) for _ in range(n)]
        ours = minhash(values).hashvalues
        assert ours.dtype == np.uint32
        assert np.array_equal(ours, _reference(values)), n


def test_rewrites_share_bands_and_are_similar():
    text = " ".join(f"كلمة{i}" for i in range(200))
    a, b = signature(text), signature(text + " وتابعت المصادر")
    assert similarity(a, to_bytes(b)) > 0.9 and set(bands(a)) & set(bands(b))
    assert similarity(a, to_bytes(signature(" ".join(f"أخرى{i}" for i in range(200))))) < 0.1
