import pytest

from rasd.arabic.normalise import key
from rasd.extract.numbers import find_quantities


def one(text):
    n = key(text)
    found = find_quantities(n)
    assert len(found) == 1, found
    q = found[0]
    return q.value, q.low, q.high, q.qualifier


@pytest.mark.parametrize(
    "text,expected",
    [
        ("10،000 جندي", (10000, None, None, "exact")),
        ("10,000 جندي", (10000, None, None, "exact")),
        ("١٣٬٠٠٠ حاوية", (13000, None, None, "exact")),
        ("١٣ ألف حاوية", (13000, None, None, "exact")),
        ("3 آلاف جندي", (3000, None, None, "exact")),
        ("13 ألف حاوية", (13000, None, None, "exact")),
        ("1.5 مليون قذيفة", (1500000, None, None, "exact")),
        ("سبعة آلاف حاوية", (7000, None, None, "exact")),
        ("بسبعة آلاف من الحاويات", (7000, None, None, "exact")),
        ("ثلاثة آلاف جندي", (3000, None, None, "exact")),
        ("خمسة وعشرين جنديا", (25, None, None, "exact")),
        ("ثلاثمائة ألف", (300000, None, None, "exact")),
        ("مليون قذيفة", (1000000, None, None, "exact")),
        ("ألف حاوية", (1000, None, None, "exact")),
    ],
)
def test_number_forms(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("10،000 إلى 12000 جندي", (None, 10000, 12000, "exact")),
        ("بين 1000 و3000 جندي", (None, 1000, 3000, "exact")),
        ("من 5 إلى 7 آلاف جندي", (None, 5000, 7000, "exact")),
        ("عشرات الآلاف من الجنود", (None, 20000, 99999, "about")),
        ("مئات الجنود", (None, 200, 999, "about")),
    ],
)
def test_ranges_and_vague_amounts(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize(
    "text,qualifier",
    [
        ("نحو 800 ألف", "about"), ("حوالي 300 حاوية", "about"), ("بحوالي 300 حاوية", "about"),
        ("قرابة 50 دبابة", "about"), ("ما يقارب 100 جندي", "about"), ("100 جندي تقريبا", "about"),
        ("أكثر من مليون قذيفة", "more_than"), ("ما يزيد عن 10 آلاف جندي", "more_than"), ("أزيد من 20 قتيلا", "more_than"),
        ("أقل من 100 جندي", "less_than"), ("دون 50 قتيلا", "less_than"),
        ("حتى 5 آلاف جندي", "up_to"), ("ما يصل إلى 12 ألف جندي", "up_to"),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text)[3] == qualifier


def test_a_list_joined_by_and_is_not_a_range():
    found = find_quantities(key("قتل 10 وأصيب 5"))
    assert [q.value for q in found] == [10, 5]


def test_ordinals_and_plain_words_are_not_quantities():
    assert find_quantities(key("نشاط اختبار الأسلحة السادس في العام")) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("بلغ التضخم 2,5 في المئة", (2.5, None, None, "exact")),
        ("مقتل 9أشخاص على الأقل", (9, None, None, "more_than")),
        ("مليون ونصف شخص", (1500000, None, None, "exact")),
        ("ثمانية وستين مليون ونصف المليون لاجئ", (68500000, None, None, "exact")),
        ("نصف مليون لاجئ", (500000, None, None, "exact")),
        ("3 آلاف ونصف", (3500, None, None, "exact")),
    ],
)
def test_decimal_comma_joined_noun_fractions_and_trailing_qualifiers(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize(
    "text,value",
    [
        ("مليون ونصف مليون لاجئ", 1_500_000),
        ("مليونين ونصف مليون لاجئ", 2_500_000),  # the half is of a million, not of two
        ("مليونان ونصف المليون لاجئ", 2_500_000),
        ("مليونين ونصف", 2_500_000),
        ("ثلاثة ملايين ونصف مليون لاجئ", 3_500_000),
        ("ألفين وخمسمائة جندي", 2_500),
        ("ملياران دولار", 2_000_000_000),
        ("مليارين وخمس مئة مليون دولار", 2_500_000_000),  # "خمس مئة" in two words: 500, not 105
        ("ثلاث مئة جندي", 300),
    ],
)
def test_a_fraction_after_a_dual_scale_is_of_one(text, value):
    assert one(text)[0] == value


def test_a_plural_scale_alone_is_a_vague_magnitude():
    [q] = find_quantities(key("آلاف اللاجئين"))
    assert q.vague and (q.low, q.high) == (2000, 9999)
    [q] = find_quantities(key("3 آلاف جندي"))
    assert not q.vague and q.value == 3000


def test_the_second_number_of_a_list_is_read_on_its_own():
    found = find_quantities(key("1,9 مليار يورو في 2013 و3,3 مليارات يورو في 2014"))
    assert [q.value for q in found] == [1.9e9, 2013, 3.3e9, 2014]


def test_a_dot_between_thousands_without_a_scale():
    assert one("وأنذر 2.600 مستخدم") == (2600, None, None, "exact")
    assert one("1.5 مليون") == (1500000, None, None, "exact")


def test_the_light_pre_scan_never_drops_a_text_the_full_pattern_reads():
    import random

    from rasd.extract.numbers import lexicon

    lex = lexicon()
    rng = random.Random(4)
    pieces = [*lex.words, *lex.qualifiers, "بين", "من", "و", "ب", "ل", "-", "،", ".", ",", "12", "3.5", "1,000",
              "قتل", "الاستثمار", "الفلسطيني", "ستة"]
    seen = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  ", "-"]) for _ in range(rng.randint(1, 6)))
        if lex.pattern.search(text):
            seen += 1
            assert lex.any_number.search(text), text
    assert seen > 1000  # the texts do hold numbers the pattern reads


@pytest.mark.parametrize(
    "text,value",
    [("بلغت 87، 5 في المئة", 87.5), ("و96، 3 بالمئة للحمى", 96.3), ("نحو 7، 25 %", 7.25)],
)
def test_a_decimal_comma_with_a_space_before_a_percent(text, value):
    assert one(text)[0] == value


def test_a_comma_and_space_elsewhere_is_a_list():
    assert [q.value for q in find_quantities(key("بين عامي 2005 و2014، 74 بالمئة منهم"))] == [2005, 2014, 74]
    assert [q.value for q in find_quantities(key("قتل 5، 3 منهم أطفال"))] == [5, 3]


@pytest.mark.parametrize(
    "text,value",
    [("الثماني عشرة امرأة", 18), ("الستة عشر لاعبا", 16), ("الاثني عشر شهرا", 12), ("الخمسة آلاف جندي", 5000)],
)
def test_the_article_on_a_compound_number(text, value):
    assert one(text)[0] == value


def test_a_weekday_before_a_number_keeps_its_article():
    assert one("وصل يوم الاثنين عشرة أشخاص")[0] == 10
    assert find_quantities(key("قال الخميس إن")) == []
