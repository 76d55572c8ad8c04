"""Disagreements are two statements about the same thing (issue 14 item 1): the defects the issue
found, each as a store that used to flag them, and the rules that replace them."""

import pytest

from rasd.pipeline import extract_text
from rasd.store import open_store
from rasd.store.analysis import disagreements, resolve_entity
from rasd.store.ingest import ingest


def build(db_url, *articles):
    store = open_store(db_url)
    ingest(store, [extract_text("عنوان\n\n" + text, published=pub, path=name) for name, pub, text in articles])
    return store


def figures(store, **kw):
    return [d for d in disagreements(store, **kw) if d["kind"] == "figures"]


def denials(store):
    return [d for d in disagreements(store) if d["kind"] == "denial"]


# --- the defects of issue 14 -----------------------------------------------------------------------

def test_a_denial_linked_only_by_a_country_is_not_a_disagreement(db_url):
    store = build(db_url,
                  ("aid.txt", "2018-05-10", "قال مسؤولون أمريكيون إن سوريا زودت حزب الله بأسلحة متطورة."),
                  ("deny.txt", "2018-05-11", "نفت سوريا استخدام أسلحة كيميائية في الغوطة الشرقية."))
    assert denials(store) == []


def test_a_refusal_is_not_a_denial(db_url):
    store = build(db_url,
                  ("req.txt", "2018-05-10", "قالت وزارة الخارجية إن روسيا وافقت على تزويد سوريا بأسلحة جديدة."),
                  ("rej.txt", "2018-05-11", "ورفضت روسيا وسوريا طلبا أمريكيا بشأن الأسلحة الجديدة."))
    assert denials(store) == []


def test_unrelated_money_sharing_a_subject_and_unit_is_not_compared(db_url):
    store = build(db_url,
                  ("fine.txt", "2018-05-10", "فرضت السلطات الأمريكية غرامة قدرها 5 ملايين دولار على شركة أدوية في نيويورك."),
                  ("sector.txt", "2018-05-10",
                   "قالت وزارة التجارة إن قطاع التكنولوجيا في الولايات المتحدة حقق أرباحا بقيمة 20 مليار دولار هذا العام."))
    assert figures(store) == []


@pytest.mark.parametrize("price", [
    "وفي الولايات المتحدة ارتفع سعر الذهب إلى 1300 دولار للأوقية في بورصة نيويورك.",
    "وبلغ سعر خام غرب تكساس في الولايات المتحدة 70.10 دولار للبرميل.",
])
def test_a_price_is_never_compared_with_a_total(db_url, price):
    store = build(db_url,
                  ("total.txt", "2018-05-10", "فرضت السلطات الأمريكية غرامة قدرها 5 ملايين دولار على شركة أدوية في نيويورك."),
                  ("price.txt", "2018-05-12", price))
    assert figures(store) == []


def test_figures_of_different_periods_do_not_disagree(db_url):
    store = build(db_url,
                  ("c2023.txt", "2024-03-01",
                   "قال وزير الدفاع الكوري الجنوبي إن كوريا الشمالية أرسلت نحو 7 آلاف حاوية إلى روسيا في عام 2023."),
                  ("c2024.txt", "2024-03-02",
                   "وأعلنت الاستخبارات الأمريكية أن كوريا الشمالية أرسلت أكثر من 13 ألف حاوية إلى روسيا في عام 2024."))
    assert figures(store) == []


def test_different_kinds_of_count_in_different_years_do_not_disagree(db_url):
    store = build(db_url,
                  ("nat.txt", "2018-05-10", "منحت ألمانيا الجنسية لنحو 3 آلاف شخص من تركيا عام 1994."),
                  ("disp.txt", "2018-05-12", "قالت الأمم المتحدة إن أكثر من 300 ألف شخص نزحوا من تركيا خلال عام 2018."))
    assert figures(store) == []


# --- what is a disagreement -------------------------------------------------------------------------

SENT_7000 = "قال وزير الدفاع الكوري الجنوبي إن كوريا الشمالية أرسلت نحو 7 آلاف حاوية إلى روسيا في عام 2024."
SENT_13000 = "وأعلنت الاستخبارات الأمريكية أن كوريا الشمالية أرسلت أكثر من 13 ألف حاوية إلى روسيا في عام 2024."


def test_the_same_quantity_in_the_same_period_disagrees_and_says_why(db_url):
    store = build(db_url, ("a.txt", "2024-12-01", SENT_7000), ("b.txt", "2024-12-02", SENT_13000))
    nk = resolve_entity(store, "North Korea")
    [d] = figures(store, subject=nk, unit="containers")
    assert {(s["value"], s["qualifier"]) for s in d["sides"]} == {(7000, "about"), (13000, "more_than")}
    assert d["count"] == "sent" and d["why"]["subject"] == nk and d["why"]["unit"] == "containers"
    assert d["why"]["periods"] == ["2024", "2024"] and "russia" in d["why"]["places"]
    assert "cannot both be true" in d["why"]["text"]
    assert {s["sentence"] for s in d["sides"]} == {SENT_7000, SENT_13000}
    assert {s["source_document"]["source"]["path"] for s in d["sides"]} == {"a.txt", "b.txt"}
    assert all(s["source"] for s in d["sides"])


def test_figures_that_can_both_be_true_do_not_disagree(db_url):
    store = build(db_url, ("a.txt", "2024-12-01", SENT_13000),
                  ("b.txt", "2024-12-02", "وقالت مصادر إن كوريا الشمالية أرسلت ما بين 12 و15 ألف حاوية إلى روسيا في عام 2024."))
    assert figures(store) == []


def test_killed_and_wounded_are_not_compared_but_two_death_tolls_are(db_url):
    store = build(db_url,
                  ("k1.txt", "2018-05-15", "قالت وزارة الصحة إن 60 شخصا قتلوا في العراق يوم الاثنين."),
                  ("w1.txt", "2018-05-15", "وأفاد مسعفون بأن 2700 شخص أصيبوا في العراق يوم الاثنين."),
                  ("k2.txt", "2018-05-16", "وقال شهود إن 20 شخصا قتلوا في العراق يوم الاثنين."))
    found = figures(store)
    assert [sorted(s["value"] for s in d["sides"]) for d in found] == [[20, 60]]
    assert found[0]["count"] == "killed"


def test_an_increment_is_not_compared_with_a_total(db_url):
    store = build(db_url,
                  ("inc.txt", "2024-11-06", "قالت الاستخبارات إن كوريا الشمالية أرسلت نحو 3 آلاف جندي إضافي إلى روسيا."),
                  ("tot.txt", "2024-11-07", "وأعلنت وزارة الدفاع أن كوريا الشمالية أرسلت أكثر من 10 آلاف جندي إلى روسيا."))
    assert figures(store) == []


def test_figures_about_different_places_do_not_disagree(db_url):
    store = build(db_url,
                  ("ru.txt", "2024-11-06", "قالت الاستخبارات إن كوريا الشمالية أرسلت نحو 3 آلاف جندي إلى روسيا."),
                  ("sy.txt", "2024-11-07", "وقالت مصادر إن كوريا الشمالية أرسلت أكثر من 10 آلاف جندي إلى سوريا."))
    assert figures(store) == []


def test_one_source_in_one_document_does_not_disagree_with_itself(db_url):
    store = build(db_url, ("one.txt", "2024-11-06", SENT_7000 + "\n" + SENT_13000.replace("وأعلنت الاستخبارات الأمريكية",
                                                                                          "وأضاف وزير الدفاع الكوري الجنوبي")))
    assert all(len({s["source"]["text"] for s in d["sides"]}) == 2 for d in figures(store))


def test_a_denial_by_a_party_of_the_same_thing_is_flagged_with_why(db_url):
    store = build(db_url,
                  ("aid.txt", "2024-11-06", "قال مسؤولون أمريكيون إن كوريا الشمالية زودت روسيا بصواريخ باليستية وقذائف مدفعية."),
                  ("deny.txt", "2024-11-07", "ونفت موسكو وبيونغ يانغ وجود أي صفقة أسلحة بين البلدين."))
    [d] = denials(store)
    assert d["type"] == "AID" and set(d["denied_by"]) == {"russia", "north-korea"}
    assert d["why"]["actors"] == ["north-korea"] and d["why"]["targets"] == ["russia"]
    assert "#weapons" in d["why"]["shared_words"]
    assert [s["source_document"]["source"]["path"] for s in d["sides"]] == ["aid.txt", "deny.txt"]


def test_a_denial_months_away_is_not_the_same_event(db_url):
    store = build(db_url,
                  ("aid.txt", "2024-01-06", "قال مسؤولون أمريكيون إن كوريا الشمالية زودت روسيا بصواريخ باليستية وقذائف مدفعية."),
                  ("deny.txt", "2024-11-07", "ونفت موسكو وبيونغ يانغ وجود أي صفقة أسلحة بين البلدين."))
    assert denials(store) == []


# --- the rules on their own ---------------------------------------------------------------------------

def claim(value=None, low=None, high=None, qualifier="exact", unit="troops"):
    return {"value": value, "low": low, "high": high, "qualifier": qualifier, "unit": unit}


def test_intervals_read_qualifiers():
    from rasd.store.disagreements import interval

    assert interval(claim(3000, qualifier="about")) == pytest.approx((2550, 3450))
    assert interval(claim(low=10000, high=12000, qualifier="about")) == pytest.approx((8500, 13800))
    assert interval(claim(13000, qualifier="more_than"))[1] == float("inf")
    assert interval(claim(low=100, high=200, qualifier="more_than")) == (100, float("inf"))


def test_a_running_total_is_current_at_publication_not_at_its_start():
    from rasd.store.disagreements import period

    since, label = period({"value": "2023-08", "text": "منذ أغسطس 2023"}, "2024-11-06")
    assert label == "published 2024-11-06" and since[0].isoformat() == "2024-10-22"
    own, label = period({"value": "2023-08", "text": "في أغسطس 2023"}, "2024-11-06")
    assert label == "2023-08" and own[1].isoformat() == "2023-08-31"
    assert period(None, None) == (None, "undated")


@pytest.mark.parametrize("sentence,unit,kind", [
    ("قتل 16 شخصا في انفجار", "people", "killed"),
    ("أصيب 38 شخصا في انفجار", "people", "wounded"),
    ("يستضيف 1.5 مليون لاجئ سوري", "people", "refugees"),
    ("أرسلت 3 آلاف جندي إلى روسيا", "troops", "sent"),
    ("نحو 10 آلاف جندي منتشرين في كورسك", "troops", "deployed"),
    ("شوهدت 40 دبابة قرب الحدود", "tanks", "total"),
    ("قدم الصندوق قرضا بقيمة 3 مليارات دولار", "money_usd", "loan"),
    ("بلغ سعر النفط 70 دولارا للبرميل", "money_usd", None),
    ("وصل سعر الذهب إلى 1300 دولار", "money_usd", None),
    ("قدرت الصفقة بنحو 5 ملايين دولار سنويا", "money_usd", None),
    ("أرسلت 3 آلاف جندي إضافي", "troops", None),
    ("جاء 300 شخص إلى الحفل", "people", None),
    ("نما الاقتصاد 3 في المئة", "percent", None),
])
def test_kind_of_count(sentence, unit, kind):
    import re

    from rasd.store.disagreements import count_kind

    m = re.search(r"[\d.]+(?:\s+(?:آلاف|ألف|مليون|مليارات|ملايين))?\s+\S+", sentence)
    c = {"unit": unit, "qualifier": "exact", "value": 1.0}
    assert count_kind(c, sentence, m.start(), m.end()) == kind
