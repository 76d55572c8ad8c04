"""The cleaner on pages written for these tests (not the seeds): each furniture family once."""

import pytest

from rasd.clean.text import clean_text

P1 = "قال المتحدث باسم الوزارة إن المحادثات بين الجانبين جرت في أجواء إيجابية وتناولت الملفات العسكرية والاقتصادية."
P2 = "وأضاف أن الجولة المقبلة من المحادثات ستعقد في العاصمة خلال الأسابيع القليلة المقبلة بمشاركة وفود من عدة دول."
P3 = "وأشار إلى أن الطرفين اتفقا على تشكيل لجنة مشتركة لمتابعة تنفيذ ما تم الاتفاق عليه في الاجتماعات السابقة."
TITLE = "محادثات جديدة بين البلدين حول التعاون العسكري"


def page(*lines):
    return "\n\n".join(lines)


def test_section_label_repeated_title_and_byline():
    c = clean_text(page("سياسة دولية", TITLE, TITLE, "كتب: سامي عبد الله", P1, P2))
    assert c.title == TITLE
    assert c.author == "سامي عبد الله"
    assert c.text.split("\n") == [P1, P2]
    assert "سياسة دولية" in c.dropped and "كتب: سامي عبد الله" in c.dropped


def test_prompts_and_links_to_other_outlets_are_dropped():
    lines = [
        TITLE, P1,
        "بوتين يلتقي نظيره الصيني في موسكو | سكاي نيوز عربية",
        "ما الذي نعرفه عن الصواريخ الجديدة؟ - CNN Arabic",
        P2,
        "اشترك في النشرة البريدية للحصول على أحدث الأخبار",
        "زر الذهاب إلى الأعلى",
        "Continue reading",
    ]
    c = clean_text(page(*lines))
    assert c.text.split("\n") == [P1, P2]
    assert len(c.dropped) == 5


def test_captions_printed_twice_are_dropped_and_text_kept():
    caption = "الرئيس خلال استقبال الوفد في القصر"
    c = clean_text(f"{TITLE}\n\n{P1}\n\n{caption}\n{caption}\n\n{P2}")
    assert caption not in c.text
    assert c.text.split("\n") == [P1, P2]


def test_metadata_lines():
    c = clean_text(page(
        TITLE, "تاريخ النشر: الأربعاء 5 نوفمبر 2025 - 10:30 ص", P1, P2,
        "المصدر: الجزيرة نت", "الكلمات المفتاحية: روسيا، أوكرانيا، الناتو",
    ))
    assert c.published == "2025-11-05"
    assert c.outlet == "الجزيرة"  # canonical name from outlets.tsv
    assert c.keywords == ["روسيا", "أوكرانيا", "الناتو"]
    assert c.text.split("\n") == [P1, P2]


def test_author_bio_and_comment_form_end_the_article():
    c = clean_text(page(TITLE, P1, P2, "عن الكاتب", "مريم حسن - صحفية متخصصة في الشؤون الدولية.", "اترك تعليقاً", "الاسم", "البريد"))
    assert c.author == "مريم حسن"
    assert c.text.split("\n") == [P1, P2]
    assert "البريد" in c.dropped


def test_read_also_at_the_end_is_an_embedded_article():
    other_title = "واشنطن تعلن عقوبات جديدة على شركات شحن"
    c = clean_text(page(TITLE, P1, P2, "المصدر: وكالات", "اقرأ أيضاً:", other_title, P3, P1[::-1]))
    assert c.text.split("\n") == [P1, P2]
    assert len(c.embedded) == 1
    assert c.embedded[0].title == other_title
    assert c.embedded[0].text.split("\n")[0] == P3


def test_read_also_links_in_the_middle_drop_headlines_only():
    c = clean_text(page(TITLE, P1, "اقرأ أيضا:", "عنوان خبر آخر عن الاقتصاد", P2, P3))
    assert c.text.split("\n") == [P1, P2, P3]
    assert c.embedded == []
    assert "عنوان خبر آخر عن الاقتصاد" in c.dropped


def test_no_sentence_is_lost_when_nothing_is_furniture():
    c = clean_text(page(P1, P2, P3))
    assert c.title is None
    assert c.text.split("\n") == [P1, P2, P3]


@pytest.mark.parametrize(
    "stamp,published",
    [
        ("13 مايو/ أيار 2018", "2018-05-13"),
        ("نشرت في : 06/04/2018 - 19:22", "2018-04-06"),
        ("الثلاثاء 24 يوليو 2018 - 16:55 بتوقيت غرينتش", "2018-07-24"),
    ],
)
def test_dateline_under_the_headline_is_the_publication_date(stamp, published):
    c = clean_text(page(TITLE, stamp, P1, P2))
    assert (c.title, c.published) == (TITLE, published)
    assert c.text.split("\n") == [P1, P2]
    assert stamp in c.dropped


def test_a_dateline_alone_above_the_text_is_not_the_title():
    c = clean_text(page("الخميس 5 أبريل 2018 - 20:14", P1, P2))
    assert c.title is None and c.published == "2018-04-05"
    assert c.text.split("\n") == [P1, P2]


def test_publication_line_wins_over_an_update_stamp():
    c = clean_text(page(TITLE, "آخر تحديث: الخميس 5 أبريل 2018 - 20:14", "نشرت في : 04/04/2018 - 10:00", P1, P2))
    assert c.published == "2018-04-04"
    c = clean_text(page(TITLE, "آخر تحديث: الخميس 5 أبريل 2018 - 20:14", P1, P2))
    assert c.published == "2018-04-05"
