"""The trained NER model joins the entity stage when asked for (RASD_NER / --ner): names no list or
pattern knows get ids of their own."""

import pytest

from rasd.annotate import entities as stage
from rasd.pipeline import extract_text

PAD = "وجاء ذلك في بيان رسمي صدر بعد اجتماع مطول استمر عدة ساعات."
# No title or role before the name, so only the model can find it.
TEXT = "والتقى موسى ويتانغولا بالوفد الزائر في نيروبي أمس لبحث الأزمة."


@pytest.fixture
def model_switch(monkeypatch):
    def switch(on: bool):
        monkeypatch.setenv("RASD_NER", "full" if on else "off")
        monkeypatch.setattr(stage, "_NER_MODEL", [])

    yield switch
    monkeypatch.setattr(stage, "_NER_MODEL", [])


def _new(doc):
    return {m.text: e for e in doc.entities if e.id.startswith("new:") for m in e.mentions}


def test_model_finds_a_name_without_a_title(model_switch):
    model_switch(True)
    found = _new(extract_text(f"{TEXT}\n{PAD}"))
    assert "موسى ويتانغولا" in found
    assert found["موسى ويتانغولا"].type == "PERSON"


def test_without_the_model_the_name_is_not_found(model_switch):
    model_switch(False)
    assert "موسى ويتانغولا" not in _new(extract_text(f"{TEXT}\n{PAD}"))


def test_spelling_variants_of_a_model_name_share_an_id(model_switch):
    model_switch(True)
    a = _new(extract_text(f"{TEXT}\n{PAD}"))
    b = _new(extract_text(f"{TEXT.replace('ويتانغولا', 'ويتانجولا')}\n{PAD}"))
    assert a["موسى ويتانغولا"].id == b["موسى ويتانجولا"].id


def test_known_entities_keep_their_knowledge_base_identity(model_switch):
    model_switch(True)
    doc = extract_text(f"{TEXT}\n{PAD}")
    ids = {e.id for e in doc.entities}
    assert not any(e.id.startswith("new:") and e.name in ("نيروبي", "Nairobi") for e in doc.entities)
    assert any(e.name == "Nairobi" for e in doc.entities) or any(e.name == "Kenya" for e in doc.entities), ids


def test_clitic_before_a_model_name_is_not_part_of_the_mention(model_switch):
    model_switch(True)
    doc = extract_text(f"والتقى الوفد بموسى ويتانغولا في نيروبي أمس لبحث الأزمة.\n{PAD}")
    texts = {m.text for e in doc.entities for m in e.mentions}
    assert "موسى ويتانغولا" in texts


def test_generic_places_frequent_in_news_are_left_to_the_knowledge_base(model_switch):
    model_switch(True)
    doc = extract_text(f"وتوجه الوفد بعد ذلك إلى أوروبا ثم إلى آسيا عبر المحيط الهادئ.\n{PAD}")
    assert not [m.text for e in doc.entities if e.id.startswith("new:") for m in e.mentions]


def test_coordinated_names_are_two_entities(model_switch):
    from rasd.annotate.entities import _split_coordination
    from rasd.ner.model import shipped

    text = "وسجل كافاني ولويس سواريز هدفين، وأشاد المدرب محمد وليد بهما."
    model = shipped(1)
    a = text.index("كافاني")
    parts = _split_coordination(text, (a, text.index(" هدفين"), "PERS"), model)
    assert [text[s:e] for s, e, _ in parts] == ["كافاني", "ولويس سواريز"]
    b = text.index("محمد")
    parts = _split_coordination(text, (b, text.index(" بهما"), "PERS"), model)
    assert [text[s:e] for s, e, _ in parts] == ["محمد وليد"]


def test_a_tagged_nisba_adverb_is_its_state():
    from rasd.arabic.normalise import key
    from rasd.kb.knowledge_base import knowledge_base

    kb = knowledge_base()
    assert stage._known_identity(key("إيرانيا"), kb) == "iran"
    assert stage._known_identity(key("سعوديا"), kb) == "saudi-arabia"
    assert stage._known_identity(key("فلسطينيا"), kb) == "palestinians"  # counted persons: the people (entities.tsv)
    assert stage._known_identity(key("زيارتها"), kb) is None


def test_a_tagged_name_too_rare_to_link_alone_takes_its_identity_from_the_open_lists(monkeypatch):
    from rasd.kb.knowledge_base import KBEntity, knowledge_base

    kb = knowledge_base()
    monkeypatch.setattr(stage, "tagged_names", lambda: {"نوميا": KBEntity("rare-town", "GPE", "Rare Town", "نوميا", None)})
    assert stage._known_identity("نوميا", kb, "LOC") == "rare-town"
    assert stage._known_identity("ونوميا", kb, "LOC") == "rare-town"
    assert stage._known_identity("كنوميا", kb, "LOC") is None  # a rare name's ك may be its own letter
    assert stage._known_identity("نوميا", kb, "PERSON") is None  # the tag's type must fit


def test_a_folded_spelling_is_a_person_only_when_the_model_tags_a_person(monkeypatch):
    from rasd.kb.knowledge_base import knowledge_base

    kb = knowledge_base()
    monkeypatch.setattr(stage, "tagged_names", lambda: {})
    assert stage._known_identity("دونالد ترومب", kb, "PERSON") == "donald-trump"
    assert stage._known_identity("دونالد ترومب", kb, "LOC") is None
