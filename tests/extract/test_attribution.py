"""The source of a sentence is computed once per sentence of a document, and anew when what it depends
on (the text or the mentions) changes."""

import dataclasses

import pytest

import rasd.extract.attribution as attribution_module
from rasd.extract.attribution import attribution
from rasd.model import Entity, Mention
from rasd.pipeline import extract_text

TEXT = ("قال وزير الخارجية إن 300 جندي وصلوا إلى الحدود. وأضاف أن القوات هاجمت مواقع المسلحين. "
        "وبحسب مصادر طبية قتل 12 شخصا في الهجوم.")


def test_claims_and_events_share_one_source_per_sentence(monkeypatch):
    calls = []
    real = attribution_module._attribution

    def counting(doc, n_sent, ns):
        calls.append(ns)
        return real(doc, n_sent, ns)

    monkeypatch.setattr(attribution_module, "_attribution", counting)
    doc = extract_text(TEXT)
    assert doc.claims and doc.events  # both stages asked
    assert calls and len(calls) == len(set(calls))


def test_a_source_is_recomputed_when_the_mentions_change():
    doc = extract_text("وقال زيد عمرو إن 300 جندي وصلوا.")
    norm = doc.norm
    sent = doc.sentence_spans[0]
    ns, ne = norm.to_normalised(sent.start), norm.to_normalised(sent.end)
    before = attribution(doc, norm.text[ns:ne], ns)
    start = doc.text.index("زيد")
    person = Entity("Q1", "Zaid Amr", "زيد عمرو", "PERSON", None, (Mention(start, start + len("زيد عمرو"), "زيد عمرو"),))
    named = doc.replace(entities=(*doc.entities, person))
    after = attribution(named, norm.text[ns:ne], ns)
    assert after is not None and after.ref.entity == "Q1"
    assert before is None or before.ref.entity != "Q1"
    # entities without mentions (a state claims refer to) change no source: the one computed is kept
    bare = dataclasses.replace(person, id="Q2", mentions=())
    assert attribution(named.replace(entities=(*named.entities, bare)), norm.text[ns:ne], ns) is after


def test_people_counted_right_before_a_speech_verb_are_its_speakers():
    doc = extract_text("ولم يتم العثور حتى الآن إلا على 3 ناجين أكدوا أنه كان هناك 21 راكبا على متن القارب.")
    [claim] = [c for c in doc.claims if c.value == 21]
    assert claim.source is not None and "ناجين" in claim.source.text


def test_a_plain_count_after_the_verb_opens_no_speaker():
    doc = extract_text("وذكر 9 ناشطين أتراك اعتقلوا أن 300 جندي وصلوا.")
    assert all(c.source is None for c in doc.claims if c.value == 300)


def test_the_law_a_figure_follows_is_no_source_but_a_bill_is():
    doc = extract_text("ويتنافس المرشحون على 128 مقعدا وفق قانون النظام النسبي.")
    assert [c.source for c in doc.claims if c.value == 128] == [None]
    doc = extract_text("وبحسب مشروع القانون فإن أكثر من 90 في المئة من الموظفين سيستفيدون.")
    [c] = [c for c in doc.claims if c.value == 90]
    assert c.source is not None and "مشروع القانون" in c.source.text


@pytest.mark.parametrize(
    "sentence,modality",
    [
        ("وكان المتحدث باسم الوزارة قد صرح بأن 20 شخصا قتلوا.", "reported"),
        ("وكان المتحدث قد أعلن أن 20 شخصا قتلوا.", "reported"),
        ("وقال المتحدث إن الأسعار قد ترتفع 20 في المئة.", "expected"),
        ("وقال المتحدث إنه قد يقتل 20 شخصا.", "expected"),
    ],
)
def test_qad_is_may_only_before_an_imperfect_verb(sentence, modality):
    [c] = [c for c in extract_text(sentence).claims if c.value == 20]
    assert c.modality == modality


def test_a_verb_with_a_comma_after_it_keeps_its_fronted_subject():
    [c] = extract_text("وكانت بريطانيا أعلنت، الأربعاء، أنها قررت طرد 23 دبلوماسيا روسيا خلال أسبوع.").claims
    assert c.source is not None and c.source.text == "بريطانيا"


def test_the_time_of_speech_after_the_speaker_ends_the_speakers_words():
    [c] = extract_text('أعلن وزير الداخلية نهاد المشنوق منتصف ليل الأحد أن "نسبة المشاركة بلغت 49 بالمئة".').claims
    assert c.source.text == "وزير الداخلية نهاد المشنوق"
