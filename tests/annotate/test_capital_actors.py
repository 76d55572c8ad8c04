"""A capital that acts for its government is a mention of its state; a capital as a place stays the
city (resources/kb/capital_actor.tsv)."""

import pytest

from rasd.pipeline import extract_text

PAD = "وجاء ذلك في بيان رسمي صدر بعد اجتماع مطول استمر عدة ساعات."


def linked(text: str) -> dict[str, list[str]]:
    doc = extract_text(f"{text}\n{PAD}", published="2018-05-01")
    return {e.name: [m.text for m in e.mentions] for e in doc.entities}


@pytest.mark.parametrize("text,state,capital", [
    ("وأكد الوزير أن واشنطن لن تتراجع عن قرارها.", "United States", "واشنطن"),
    ("وانتقد الرئيس موقف طهران من الأزمة.", "Iran", "طهران"),
    ("وقال المتحدث إن لعبة موسكو مكشوفة.", "Russia", "موسكو"),
    ("وأضاف بأن الدوحة تمول الجماعات المسلحة.", "Qatar", "الدوحة"),
])
def test_a_capital_that_acts_is_its_state(text, state, capital):
    found = linked(text)
    assert capital in found.get(state, [])
    assert not any(capital in forms for name, forms in found.items() if name != state)


@pytest.mark.parametrize("text,city", [
    ("ووصل الوفد إلى موسكو أمس.", "Moscow"),
    ("وعقد الاجتماع في واشنطن.", "Washington, D.C."),
    ("ودافع عن بيع الأسلحة للرياض.", "Riyadh"),
    ("وحصل على ترخيص من دمشق للعودة.", "Damascus"),
    ("وتوافق موسكو على نقل التكنولوجيا.", "Moscow"),
])
def test_a_capital_as_a_place_or_after_a_verb_stays_the_city(text, city):
    assert city in linked(text)


def test_a_counted_palestinian_is_one_of_the_palestinians():
    """The people, not the state, when the nisba counts persons (20 فلسطينيا، فلسطينيان)."""
    found = linked("وقتل 20 فلسطينيا برصاص الجيش خلال الأسبوع الماضي.")
    assert found["Palestinians"] == ["فلسطينيا"]
    assert not found.get("State of Palestine")
