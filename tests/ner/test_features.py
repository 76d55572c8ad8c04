"""Knowledge-base and ANERGazet token features: B/I indicators over whole tokens, clitics allowed."""

from pathlib import Path

import pytest

from rasd.ner.features import KB_GROUPS, gazetteer, gazetteer_features, kb_features, keys_of

GAZ = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ner" / "anergazet"


def _marks(feats, groups):
    out = {}
    for i, row in enumerate(feats):
        for g, name in enumerate(groups):
            if row[2 * g]:
                out.setdefault(name, []).append(("B", i))
            if row[2 * g + 1]:
                out.setdefault(name, []).append(("I", i))
    return out


def test_kb_features_mark_names_nisbas_and_clitic_forms():
    keys = keys_of("وصل فلاديمير بوتين إلى بيونغ يانغ والتقى الزعيم الكوري الشمالي".split())
    marks = _marks(kb_features(keys), KB_GROUPS)
    assert ("B", 1) in marks["PERSON"] and ("I", 2) in marks["PERSON"]
    assert ("B", 4) in marks["GPE"] and ("I", 5) in marks["GPE"]
    assert ("B", 8) in marks["NISBA"]


def test_kb_features_need_whole_tokens():
    keys = keys_of("التصنيفات الكوريغرافية".split())
    assert not kb_features(keys).any()


def test_anergazet_features():
    if not GAZ.is_dir():
        pytest.skip(f"ANERGazet not found at {GAZ} (../shared/data is absent on this machine)")
    keys = keys_of("زار الوفد عمان وجرش".split())
    marks = _marks(gazetteer_features(keys, gazetteer(str(GAZ))), ("PERS", "LOC", "ORG"))
    assert ("B", 2) in marks["LOC"] and ("B", 3) in marks["LOC"]
