"""Attributed claims on sentences written for these tests."""

import pytest

from rasd.pipeline import extract_text

PAD = "وجاء ذلك في وقت تتصاعد فيه التوترات في المنطقة بشكل ملحوظ."


def claims(text, published=None):
    doc = extract_text(f"{text}\n{PAD}", published=published)
    names = {e.id: e.name for e in doc.entities}
    for c in doc.claims:
        assert c.unit_text in doc.text[c.start:c.end]
        assert c.sentence in doc.text
    return doc, names


def test_value_unit_subject_and_source_by_according_to():
    doc, names = claims("أرسلت كوريا الشمالية نحو 12 ألف جندي إلى روسيا، وفقا لجهاز الاستخبارات الوطني في سيول.")
    [c] = doc.claims
    assert (c.value, c.qualifier, c.unit, c.unit_text) == (12000, "about", "troops", "جندي")
    assert names[c.subject] == "North Korea"
    assert names[c.source.entity] == "National Intelligence Service (South Korea)"
    assert c.modality == "reported"


def test_speech_verb_subject_is_the_source():
    doc, names = claims("وقال وزير الدفاع الأوكراني رستم عمروف إن روسيا أطلقت أكثر من 300 صاروخ خلال الأسبوع.")
    [c] = doc.claims
    assert c.unit == "missiles" and c.qualifier == "more_than"
    assert names[c.source.entity] == "Rustem Umerov"
    assert names[c.subject] == "Russia"


def test_subject_from_nisba_after_the_unit():
    doc, names = claims("وأكدت التقارير وجود 3 آلاف جندي كوري شمالي في منطقة كورسك.")
    [c] = doc.claims
    assert names[c.subject] == "North Korea"


def test_destination_is_not_the_subject():
    doc, names = claims("وسلمت كوريا الشمالية أكثر من مليون قذيفة مدفعية إلى روسيا منذ أغسطس 2023.")
    [c] = doc.claims
    assert c.unit == "artillery_shells" and c.unit_text == "قذيفة مدفعية"
    assert names[c.subject] == "North Korea"
    assert c.date.text == "منذ أغسطس 2023" or c.date.value == "2023-08"


def test_no_source_in_the_text_is_null_and_asserted():
    doc, _ = claims("ونقلت السفن أكثر من 5 آلاف حاوية من ميناء راجين.")
    [c] = doc.claims
    assert c.source is None
    assert c.modality == "asserted"


def test_attribution_carries_to_the_next_sentence():
    doc, names = claims("وقال الرئيس الأوكراني فولوديمير زيلينسكي إن الوضع صعب. وأضاف أن 11 ألف جندي كوري شمالي يقاتلون في كورسك.")
    [c] = doc.claims
    assert names[c.source.entity] == "Volodymyr Zelenskyy"


def test_expected_and_denied_modality():
    doc, _ = claims("ومن المتوقع أن ترسل بيونغ يانغ 5 آلاف جندي إضافي.")
    assert doc.claims[0].modality == "expected"
    doc, _ = claims("ونفت موسكو أن يكون 10 آلاف جندي قد وصلوا إلى الجبهة.")
    assert doc.claims[0].modality == "denied"


def test_date_resolved_against_publication():
    doc, _ = claims("وقالت سيول يوم الجمعة إن 1500 جندي وصلوا.", published="2024-10-23")
    assert doc.claims[0].date.value == "2024-10-18"


@pytest.mark.parametrize("text", ["وصل الوفد في الساعة 10 صباحا.", "تنص المادة 4 من الاتفاقية على ذلك.", "في عام 2023 تغير الوضع."])
def test_numbers_without_a_unit_are_not_claims(text):
    doc, _ = claims(text)
    assert doc.claims == ()


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("500 جندي", "troops"), ("200 مقاتل", "troops"), ("300 حاوية", "containers"),
        ("ألف قذيفة مدفعية", "artillery_shells"), ("20 صاروخا باليستيا", "ballistic_missiles"),
        ("40 صاروخا", "missiles"), ("100 طائرة مسيرة", "drones"), ("30 دبابة", "tanks"),
        ("12 طائرة", "aircraft"), ("5 سفن", "ships"), ("18 مدفعا", "artillery"), ("50 قتيلا", "casualties_killed"),
        ("70 جريحا", "casualties_wounded"), ("90 أسيرا", "prisoners"), ("400 شخص", "people"),
        ("مليار دولار", "money_usd"), ("60 مركبة", "vehicles"),
    ],
)
def test_each_unit(phrase, unit):
    doc, _ = claims(f"وأعلنت السلطات عن {phrase} في المنطقة.")
    assert [c.unit for c in doc.claims] == ([unit] if unit else [])


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        ("وقال وزير الدفاع الياباني إن 300 جندي وصلوا.", "وزير الدفاع الياباني"),
        ("وأعلنت وزارة الدفاع الروسية أن 300 جندي وصلوا.", "وزارة الدفاع الروسية"),
        ("وأكد مسؤولون أمريكيون أن 300 جندي وصلوا.", "مسؤولون أمريكيون"),
        ("وذكرت وكالة رويترز أن 300 جندي وصلوا.", "وكالة رويترز"),
        ("وأفادت مصادر عسكرية بأن 300 جندي وصلوا.", "مصادر عسكرية"),
        ("وكشف مسؤول كوري جنوبي أن 300 جندي وصلوا.", "مسؤول كوري جنوبي"),
        ("وصل 300 جندي، وفقا لوكالة يونهاب.", "وكالة يونهاب"),
        ("وصل 300 جندي بحسب مصادر أوكرانية.", "مصادر أوكرانية"),
        ("وصل 300 جندي نقلا عن مسؤولين في سيول.", "مسؤولين في سيول"),
        ("وصل 300 جندي إلى الحدود، هذا ما أعلنه الجيش الأوكراني.", "الجيش الأوكراني"),
        ("واتهمت كييف موسكو بنشر 300 جندي إضافي.", "كييف"),
    ],
)
def test_each_attribution_pattern(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and source_words in c.source.text


def test_a_speech_verb_without_a_subject_does_not_reset_the_carried_source():
    doc, names = claims(
        "وقال الرئيس الأوكراني فولوديمير زيلينسكي إن الوضع صعب. وقال إن الجبهة صامدة. "
        "وأضاف أن 11 ألف جندي كوري شمالي يقاتلون في كورسك."
    )
    [c] = doc.claims
    assert names[c.source.entity] == "Volodymyr Zelenskyy"
