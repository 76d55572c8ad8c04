import datetime as dt

import pytest

from rasd.arabic.dates import dateline, find_dates, parse_date

PUB = dt.date(2023, 9, 13)  # a Wednesday


def resolved(text, ref=PUB):
    found = find_dates(text, ref)
    assert len(found) == 1, found
    return found[0].value, found[0].precision


@pytest.mark.parametrize(
    "text,expected",
    [
        ("13th, September 2023", ("2023-09-13", "day")),
        ("في 27 فبراير", ("2023-02-27", "day")),
        ("١٠ مارس", ("2023-03-10", "day")),
        ("في سبتمبر 2023", ("2023-09", "month")),
        ("في يونيو", ("2023-06", "month")),
        ("منتصف أكتوبر الماضي", ("2022-10", "month")),
        ("في 5 كانون الثاني 2024", ("2024-01-05", "day")),
        ("شباط 2022", ("2022-02", "month")),
        ("15 آب 2023", ("2023-08-15", "day")),
        ("2023-09-13T10:00:00Z", ("2023-09-13", "day")),
        ("13/09/2023", ("2023-09-13", "day")),
        ("عام 2022", ("2022", "year")),
        ("صيف 2024", ("2024-06/2024-08", "season")),
    ],
)
def test_absolute_dates(text, expected):
    assert resolved(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("يوم الجمعة", ("2023-09-08", "day")),
        ("اليوم الأربعاء", ("2023-09-13", "day")),
        ("أمس الثلاثاء", ("2023-09-12", "day")),
        ("يوم /الأربعاء/ الماضي", ("2023-09-06", "day")),
        ("يوم الجمعة المقبل", ("2023-09-15", "day")),
        ("اليوم", ("2023-09-13", "day")),
        ("أمس", ("2023-09-12", "day")),
        ("الشهر الماضي", ("2023-08", "month")),
        ("العام الماضي", ("2022", "year")),
        ("الخريف الماضي", ("2022-09/2022-11", "season")),
        ("في وقت سابق من هذا الشهر", ("2023-09", "month")),
        ("الأسبوع الماضي", ("2023-W36", "week")),
    ],
)
def test_relative_dates_resolve_against_publication(text, expected):
    assert resolved(text) == expected


def test_without_publication_date_text_is_kept_and_value_is_null():
    found = find_dates("التقى الزعيمان يوم الجمعة الماضي في يونيو", None)
    assert [d.value for d in found] == [None, None]
    assert [d.text for d in found] == ["يوم الجمعة الماضي", "في يونيو"]


def test_relative_to_another_date_is_not_resolved():
    assert resolved("في اليوم السابق") == (None, "day")


def test_ambiguous_month_names_need_a_day_or_year():
    assert find_dates("قال الأب إن آب العائلة", PUB) == []


def test_parse_publication_line():
    assert parse_date("الأربعاء 5 نوفمبر 2025 - 10:30 ص") == ("2025-11-05", "day")


def test_a_month_after_a_preposition_with_a_conjunction_is_a_date():
    # "وفي نيسان/أبريل، قتل انفجاران في كابول 26 شخصا": the toll is April's, not the publication day's
    assert resolved("وفي نيسان/أبريل، قتل انفجاران في كابول") == ("2023-04", "month")
    assert resolved("وخلال مارس قتل") == ("2023-03", "month")


def test_a_month_given_in_two_namings_is_one_date():
    assert resolved("13 مايو/ أيار 2018") == ("2018-05-13", "day")
    assert resolved("في 9 سبتمبر / أيلول") == ("2023-09-09", "day")


@pytest.mark.parametrize(
    "line,expected",
    [
        ("13 مايو/ أيار 2018", ("2018-05-13", "published")),
        ("نشرت في : 06/04/2018 - 19:22", ("2018-04-06", "published")),
        ("آخر تحديث: الخميس 5 أبريل 2018 - 20:14", ("2018-04-05", "updated")),
        ("الاثنين 11 يونيو 2018 - 13:15 بتوقيت غرينتش", ("2018-06-11", "published")),
        ("نُشر الأحد، 9 سبتمبر / أيلول 2018", ("2018-09-09", "published")),
        ("الخميس 19 شعبان 1439 هـ - 5 أبريل 2018", ("2018-04-05", "published")),
        ("وصل الرئيس إلى العاصمة في 5 أبريل 2018", None),
        ("5 أبريل 2018 12 قتيلا", None),
        ("الخميس 19 2018", None),
    ],
)
def test_dateline(line, expected):
    stamp = dateline(line)
    assert (None if stamp is None else (stamp.value, stamp.kind)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("وأعلنت الحكومة، الخميس، أن", ("2023-09-07", "day")),
        ("ظهر الجمعة", ("2023-09-08", "day")),
        ("الأربعاء", ("2023-09-13", "day")),
        ("في2013", ("2013", "year")),
        ("منذ 2014", ("2014", "year")),
        ("صيف2012", ("2012-06/2012-08", "season")),
    ],
)
def test_bare_weekdays_and_years_resolve(text, expected):
    assert resolved(text) == expected


def test_eleven_is_no_sunday():
    assert find_dates("وقتل الأحد عشر جنديا", PUB) == []


def test_a_bare_weekday_read_ahead_is_the_next_one_and_a_qualified_one_is_kept():
    import datetime as dt

    from rasd.arabic.dates import ahead_weekday, find_dates

    ref = dt.date(2018, 5, 1)  # a Tuesday
    (wed,) = find_dates("ينهي زيارته الأربعاء", ref)
    assert wed.value == "2018-04-25" and ahead_weekday(wed, ref).value == "2018-05-02"
    (tue,) = find_dates("يصل الثلاثاء", ref)
    assert ahead_weekday(tue, ref).value == "2018-05-01"
    (last,) = find_dates("وصل الأربعاء الماضي", ref)
    assert ahead_weekday(last, ref) is None
