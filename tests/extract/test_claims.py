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


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("وأسفر الهجوم عن مقتل 9 أشخاص على الأقل وإصابة قرابة 40 آخرين.",
         [(9, "more_than", "casualties_killed"), (40, "about", "casualties_wounded")]),
        ("قتل 86 مقاتلا من قوات النظام في المعارك.", [(86, "exact", "casualties_killed")]),
        ("وقتل 51 شخصا بينهم 41 طفلا في الغارة.", [(51, "exact", "casualties_killed"), (41, "exact", "casualties_killed")]),
        ("وقال المرصد إن 16 مدنيا على الاقل قتلوا في غارة.", [(16, "more_than", "casualties_killed")]),
        ("وأصيب أكثر من 440 آخرين، بينهم 25 بجروح خطرة.",
         [(440, "more_than", "casualties_wounded"), (25, "exact", "casualties_wounded")]),
        ("وأوقفت الشرطة 14 شخصا في المطار.", [(14, "exact", "prisoners")]),
        ("وأفرج عن 9 ناشطين أتراك اعتقلوا الشهر الماضي.", [(9, "exact", "prisoners")]),
        ("وأدى القتال إلى نزوح 32 ألف شخص.", [(32000, "exact", "displaced_people")]),
        ("ويستضيف لبنان مليون لاجئ سوري.", [(1000000, "exact", "refugees")]),
        ("وتجمع 5 آلاف متظاهر أمام البرلمان.", [(5000, "exact", "people")]),
        ("ونشرت روسيا 3 آلاف جندي على الحدود.", [(3000, "exact", "troops")]),
    ],
)
def test_casualties_prisoners_and_displaced_are_told_from_troops_and_people(sentence, expected):
    doc, _ = claims(sentence)
    assert [(c.value, c.qualifier, c.unit) for c in doc.claims] == expected


@pytest.mark.parametrize(
    "phrase,unit",
    [
        ("18،5 في المئة", "percent"), ("20%", "percent"), ("40 بالمئة", "percent"),
        ("15 مليار دولار", "money_usd"), ("3 مليارات يورو", "money_eur"), ("200 مليون روبل", "money_rub"),
        ("60 مليار ريال سعودي", "money_sar"), ("10 ملايين جنيه إسترليني", "money_gbp"),
        ("500 مليون دينار كويتي", "money_kwd"), ("150 دينارا", "money_dinar"), ("ألف درهم إماراتي", "money_aed"),
        ("ثلاث كنائس", "churches"), ("88 حافلة", "buses"), ("100 ألف سائق", "drivers"), ("4 ملايين راكب", "passengers"),
        ("مئة مليون نسمة", "people"), ("7 عبوات ناسفة", "explosive_devices"), ("20 غارة جوية", "airstrikes"),
    ],
)
def test_units_beyond_the_seeds(phrase, unit):
    doc, _ = claims(f"وأعلنت السلطات عن {phrase} في المنطقة.")
    assert [c.unit for c in doc.claims] == [unit]


def test_a_nationality_counted_is_people_of_that_state():
    doc, names = claims("وقال الجيش إن نحو 20 ألف فلسطيني شاركوا في المسيرة.")
    [c] = doc.claims
    assert (c.value, c.unit) == (20000, "people") and names[c.subject] == "State of Palestine"


@pytest.mark.parametrize(
    "text",
    [
        "وقال الرجل البالغ من العمر 35 عاما إن الوضع صعب.",  # age
        "وتبنى مجلس الأمن القرار 2254 بأغلبية 13 صوتا.",  # resolution number, vote count
        "وبقي في السجن 5 سنوات قبل الإفراج عنه.",  # duration
        "وشارك آلاف المتظاهرين في المسيرة.",  # a magnitude, not a figure
        "واتصلوا بالرقم 0123456789 للإبلاغ.",  # phone number
        "ويقع المعبر على بعد 20 كيلومترا من المدينة.",  # distance
        "وفاز الفريق بثلاثة أهداف مقابل هدف.",  # sports score
        "وبلغ عدد القتلى في الحرب بين عامي 1915 و1917 مستوى غير مسبوق.",  # years, not a count
    ],
)
def test_labels_ages_durations_votes_and_magnitudes_are_not_claims(text):
    doc, _ = claims(text)
    assert doc.claims == ()


def test_a_figure_said_twice_is_one_claim_with_its_source():
    doc, _ = claims("وأطلقت القوات 7 صواريخ على المقر. وقال الحرس الثوري في بيان إن 7 صواريخ أصابت أهدافها.")
    [c] = doc.claims
    assert c.value == 7 and c.source is not None and "الحرس الثوري" in c.source.text


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        ("قالت الشرطة في إندونيسيا إن انتحاريين هاجموا ثلاث كنائس.", "الشرطة في إندونيسيا"),
        ("صحيفة لوريون لوجور تقول إن مليون لاجئ يجب أن يعودوا.", "صحيفة لوريون لوجور"),
        ("وتشير الإحصائيات الرسمية إلى أن 18،5 في المئة من السكان عاطلون.", "الإحصائيات الرسمية"),
        ("وبلغت الطلبيات 1,9 مليار يورو، بحسب تقرير لمرصد التسلح \"اوبسارم\" الفرنسي.", "مرصد التسلح \"اوبسارم\" الفرنسي"),
        ("وقال قائد في التحالف الذي يدعم الرئيس السوري لرويترز إن نحو ستة آلاف شخص سيرحلون.", "قائد في التحالف"),
        ("وقال مسؤولون أمريكيون، الأربعاء، إن 300 جندي وصلوا.", "مسؤولون أمريكيون"),
        ("وتقول أوبر إن عدد السائقين بلغ 157 ألفا.", "أوبر"),
        ("وأشار رئيس الوزراء المصري إلى أن الدعم بلغ 332 مليار جنيه مصري.", "رئيس الوزراء المصري"),
        ("ونفت السلطات البريطانية الاتهامات ووصفتها بأنها سخيفة بعد مقتل 3 أشخاص.", "السلطات البريطانية"),
        ("وذكرت الصحيفة تفاصيل عن دفع 770 مليون دولار للمسلحين.", "الصحيفة"),
        ("وأفاد الموقع بتراجع الثروة إلى 66.9 مليار دولار.", "الموقع"),
        ("وقال المتحدث باسم الجيش اللبناني إن 300 جندي انتشروا.", "المتحدث باسم الجيش اللبناني"),
        ("وبحسب ما نقلته وكالة الأنباء الرسمية فإن 300 جندي انتشروا.", "وكالة الأنباء الرسمية"),
        ("وأكدت مصادر طبية وأمنية مقتل رقيب وإصابة أربعة آخرين.", "مصادر طبية وأمنية"),
        ("ووصل 40 جنديا إلى القصر، وفقا للوفد الأمريكي المرافق.", "الوفد الأمريكي المرافق"),
        ("وحلقت ثلاث طائرات حربية، بحسب مصدر في الدفاع المدني في دوما.", "مصدر في الدفاع المدني في دوما"),
        ("وقال بيان صادر عن الحزب إن 12 شخصا قتلوا.", "بيان صادر عن الحزب"),
    ],
)
def test_attribution_forms_beyond_the_seeds(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


def test_the_newspaper_is_the_one_named_before():
    doc, _ = claims("صحيفة لوموند تتحدث عن عودة اللاجئين. وتقول الصحيفة إن أكثر من ثلاثة آلاف لاجئ يستعدون للمغادرة.")
    [c] = doc.claims
    assert c.source.text == "الصحيفة (صحيفة لوموند)"


def test_a_speech_verb_without_a_subject_takes_the_speaker_before():
    doc, _ = claims("وقال النائب ثيمبا مليسوا إن اللجنة ستستدعي الرئيس. وقال إن ألماسا بقيمة 15 مليار دولار اختفى.")
    [c] = doc.claims
    assert c.source is not None and c.source.text.startswith("النائب ثيمبا مليسوا")


@pytest.mark.parametrize(
    "sentence",
    [
        # the bad sources: a date, a count, a clause
        "وأعلن 25 و28 فبراير موعدا لوصول 300 جندي.",
        "وقال ثلاثة وستة أشهر إن 300 جندي وصلوا.",
        "وذكر 9 ناشطين أتراك اعتقلوا أن 300 جندي وصلوا.",
        "وأعلن فيه إطلاق 7 صواريخ على المقر.",
        "وقالت إن 300 جندي وصلوا.",  # no speaker in this sentence or before it
    ],
)
def test_a_source_is_a_speaker_never_a_date_count_or_clause(sentence):
    doc, _ = claims(sentence)
    assert doc.claims and all(c.source is None for c in doc.claims)
    assert all(c.modality == "asserted" for c in doc.claims)


def test_it_is_mentioned_that_is_no_speaker():
    doc, _ = claims("وقال الوزير إن المحادثات مستمرة. يذكر أن الشركتين تملكان 67% من المشروع.")
    [c] = doc.claims
    assert c.source is None


def test_an_accuser_is_not_joined_to_the_accused():
    doc, names = claims("واتهم مادورو كولومبيا بالمسؤولية عن الهجوم الذي قتل 7 جنود.")
    assert doc.claims[0].source is not None and doc.claims[0].source.text == "مادورو"


def test_a_subject_fronted_by_kana_is_the_speaker():
    doc, names = claims("وكان رئيس الحكومة الإسرائيلية بنيامين نتانياهو اتهم إيران بإطلاق 20 صاروخا.")
    [c] = doc.claims
    assert c.source is not None and "نتانياهو" in c.source.text


def test_an_opinion_column_name_is_no_speech_verb():
    doc, _ = claims("صحيفة رأي اليوم تناولت موضوع الأردن: استثمارات بقيمة نصف مليار دولار.")
    [c] = doc.claims
    assert c.source is None or "تناولت" not in c.source.text


def test_a_quotation_over_several_sentences_keeps_its_speaker():
    doc, names = claims('وقال وزير الدفاع الأوكراني رستم عمروف: "لقد صمدنا طويلا. وأطلقت روسيا أكثر من 300 صاروخ خلال الأسبوع".')
    [c] = doc.claims
    assert c.source is not None and "عمروف" in c.source.text
    # "وأضاف: ..." carries the speaker into the quotation it opens
    doc, names = claims('وتحدث وزير الدفاع الأوكراني رستم عمروف عن الحرب. وأضاف: "لقد صمدنا طويلا. '
                        'وأطلقت روسيا أكثر من 300 صاروخ خلال الأسبوع".')
    [c] = doc.claims
    assert c.source is not None and "عمروف" in c.source.text
    # after the quotation closes, a new sentence is the article's own
    doc, names = claims('وقال عمروف: "لقد صمدنا طويلا". وأطلقت روسيا أكثر من 300 صاروخ خلال الأسبوع.')
    [c] = doc.claims
    assert c.source is None


def test_a_speech_verb_after_a_relative_speaks_for_the_noun_before_it():
    doc, names = claims('ونشرت الصحف بيان الحرس الثوري الإيراني والذي أعلن فيه "إطلاق 7 صواريخ على مقر للجماعة".')
    c = next(c for c in doc.claims if c.value == 7)
    assert c.source is not None and names.get(c.source.entity) == "Islamic Revolutionary Guard Corps"


def test_a_title_and_its_holder_set_off_by_commas_are_one_speaker():
    doc, names = claims("وقال وزير الخارجية الروسي، سيرغي لافروف، إن أكثر من 300 صاروخ أطلقت على المدينة.")
    [c] = doc.claims
    assert names.get(c.source.entity) == "Sergey Lavrov"


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        # relayed: the one quoted speaks, not the outlet that passes it on
        ("ونقلت الوكالة عن مسؤول في الوزارة قوله إن 30 شخصا اعتقلوا.", "مسؤول في الوزارة"),
        ("ونقلت وكالة الأنباء الرسمية (سانا) عن مصدر عسكري قوله إن 30 مسلحا قتلوا.", "مصدر عسكري"),
        ("ونقلت وكالة الأنباء عن مصادر قضائية- لم تذكر اسمها- قولها إن 15 موظفا اعتقلوا.", "مصادر قضائية"),
        # "according to" forms without the preposition ل, and a document issued by a speaker
        ("وبلغ عدد القتلى 30 شخصا وفق وزارة الصحة.", "وزارة الصحة"),
        ("وقتل 30 شخصا، وفق حصيلة جديدة أعلنتها وزارة الصحة.", "وزارة الصحة"),
        ("وقتل 30 مدنيا على الأقل بحسب حصيلة للمرصد السوري لحقوق الإنسان.",
         "حصيلة للمرصد السوري لحقوق الإنسان"),
        # the way and the addressee of the speech, and an anonymity clause, end the speaker's words
        ("وقالت الشرطة في بيان إن 30 متظاهرا اعتقلوا.", "الشرطة"),
        ("وأوضح المتحدث باسم الجيش في تصريح لوكالة رويترز أن 30 مسلحا قتلوا.", "المتحدث باسم الجيش"),
        ("وقالت مصادر في المعارضة لـ\"سكاي نيوز عربية\" إن 30 مقاتلا قتلوا.", "مصادر في المعارضة"),
        ("وقال مسؤول أمريكي طلب عدم نشر اسمه إن 2000 جندي سيبقون.", "مسؤول أمريكي"),
        ("وقال بيان للجيش إن 30 مسلحا قتلوا.", "بيان للجيش"),
        ("وقال مسؤول لوكالة رويترز إن 30 شخصا قتلوا.", "مسؤول"),
        ("تقدر دراسة لوكالة بلومبرغ أن التكلفة تبلغ 14.5 مليار دولار.", "وكالة بلومبرغ"),  # a document's, no addressee
        # a verb that speaks only when a count is its object
        ("وضعت وسائل الإعلام المحلية عدد الجنود في حوالي 1000.", "وسائل الإعلام المحلية"),
        ("وأظهرت أرقام رسمية أن 3000 شخص فقدوا وظائفهم.", "أرقام رسمية"),
        # a report of what a speaker named first says relays that speaker
        ("وأكدت مصادر طبية مقتل 6 أشخاص، وفق ما أفاد مراسل القناة.", "مصادر طبية"),
        # a name the KB does not know and the title it holds; a dual speaker noun; "ما ورد في"
        ("وقتل 62 شخصا، وفق ما أفاد أشرف القدرة الناطق باسم الوزارة.", "أشرف القدرة الناطق باسم الوزارة"),
        ("وستبلغ قيمتها 245 مليون دولار، وفقا لما ذكره مصدران مقربان من القضية.", "مصدران مقربان من القضية"),
        ("وتراجعت الأسعار بنسبة 19.9 في المئة، بحسب ما ورد في صحيفة الاقتصادية.", "صحيفة الاقتصادية"),
        # a subject before its verb: after لكن, after إلى, inside quotes after كانت
        ("لكن مصادر إعلامية ألمحت إلى أن قيمة العقد تصل إلى 3 ملايين دولار.", "مصادر إعلامية"),
        ("وكانت جماعة \"الخوذ البيضاء\" أكدت أن 70 شخصا قتلوا.", "جماعة \"الخوذ البيضاء"),
        ("ووثق التقرير مقتل 49 مدنيا خلال العام الماضي.", "التقرير"),
        # a day, a time frame or a verb joined by و after the speaker starts what is said
        ("وأعلنت محكمة الاستئناف الثلاثاء رفض طلب الإفراج عن 3 معتقلين.", "محكمة الاستئناف"),
        ("وقال ولي العهد السعودي قبل أشهر إن 300 جندي سيصلون.", "ولي العهد السعودي"),
        ("وأكد أطباء ومسعفون واتهمت القوى الغربية دمشق بمقتل 40 شخصا.", "أطباء ومسعفون"),
    ],
)
def test_relayed_issued_and_bounded_speakers(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


@pytest.mark.parametrize(
    "sentence",
    [
        "ونقلت القوات 300 جندي عن طريق البحر.",  # نقل without a speaker: transport, not speech
        "ووضعت الحكومة حدا للأزمة بعد وصول 300 جندي.",  # وضع without a count as its object
        "وصل 300 جندي، وفق ما أفاد مراسلنا.",  # the outlet's own reporter is the article's voice
        "وصل 300 جندي إلى الحدود وفقد الاتصال بهم.",  # وفق is a word, not the start of وفقد
        "ويبلغ عدد سكان البلاد 9 ملايين نسمة، وتسعى إلى الإصلاح وفق توصيات صندوق النقد الدولي.",  # in accordance with
    ],
)
def test_no_speaker_in_transport_measures_or_the_own_reporter(sentence):
    doc, _ = claims(sentence)
    assert doc.claims and all(c.source is None for c in doc.claims)


def test_an_accusative_nisba_is_people_of_that_state():
    doc, names = claims("وأعلنت السلطات اعتقال 14 إيرانيا. وقتل 30 فلسطينيا في غزة.")
    got = {(c.value, c.unit, names.get(c.subject, c.subject)) for c in doc.claims}
    assert (14, "prisoners", "Iran") in got and (30, "casualties_killed", "State of Palestine") in got


def test_a_report_by_no_one_named_has_no_source_and_is_reported():
    doc, _ = claims("وأفيد بمقتل 30 شخصا في الهجوم.")
    [c] = doc.claims
    assert c.source is None and c.modality == "reported"


@pytest.mark.parametrize(
    ("sentence", "source_words"),
    [
        # a quoted name after a speaker noun belongs to the speaker
        ("وذكرت مصادر \"قناة الغد\" أن 9 مسلحين قتلوا.", "مصادر \"قناة الغد\""),
        ("وأعلنت شركة \"Delta Arms\" الألمانية أن 30 دبابة بيعت.", "شركة \"Delta Arms\" الألمانية"),
        # a speech verb joined to the sentence's first verb has that verb's subject
        ("واستنكر وزير الصحة الليبي القصف، وقال إن 8 مدنيين قتلوا.", "وزير الصحة الليبي"),
        ("وحذرت المفوضية من كارثة إنسانية وقالت إن 40 ألف شخص نزحوا.", "المفوضية"),
        ("وأعلنت الهيئة العامة للموانئ حالة الطوارئ، مشيرة إلى أن 12 سفينة علقت.", "الهيئة العامة للموانئ"),
        # the issuer of the statement the sentence is in, with no speaker otherwise
        ("وأعلن عن مقتل 6 جنود في بيان للجيش.", "بيان للجيش"),
        ("وأفاد بيان صادر عن النقابة، صباح اليوم، باعتقال 14 عاملا.", "بيان صادر عن النقابة"),
        # plural organisations, rescue services; the results a count comes from
        ("وقتل أكثر من 20 صحفيا هذا العام بحسب جمعيات مدافعة عن حرية الصحافة.", "جمعيات مدافعة عن حرية الصحافة"),
        ("وأصيب 18 شخصا بحسب ما أفادت خدمة الإسعاف المحلية.", "خدمة الإسعاف المحلية"),
        ("وحسب النتائج الرسمية فقد فاز التحالف بـ48 مقعدا.", "النتائج الرسمية"),
        ("وطبقا للأرقام التي نشرتها اللجنة صوت 61 بالمئة لصالح القرار.", "اللجنة"),
        # the one quoted by a relay, closed by قوله or تأكيدهم
        ("ونقلت الإذاعة عن سعيد الخالدي قوله إن 5 قرى أخليت.", "سعيد الخالدي"),
        ("ونقلت الصحيفة عن مسؤولين محليين تأكيدهم مقتل 3 حراس.", "مسؤولين محليين"),
        # the speaker's words stop before the conjunction and the counted noun
        ("ووزير الإسكان أكد أن 200 منزل تضررت.", "وزير الإسكان"),
        ("وقدر مسؤولون عدد المفقودين بـ70 شخصا.", "مسؤولون"),
        ("لكن مؤسسة كارنيغي قدرت أن الخسائر تبلغ 9 مليارات دولار.", "مؤسسة كارنيغي"),
    ],
)
def test_attribution_forms_from_other_news(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


def test_an_outlet_after_a_speech_verb_relays_the_verb_subject():
    doc, _ = claims("وتقول الشرطة المحلية إن 17 شخصا أصيبوا، وفقا لوكالة رويترز.")
    [c] = doc.claims
    assert c.source.text == "الشرطة المحلية"


def test_a_later_speech_verb_speaks_for_the_figures_after_it():
    doc, _ = claims("وقال الجيش إن 25 مسلحا قتلوا، في حين قالت المعارضة إن 4 مدنيين قتلوا.")
    by_value = {c.value: c.source.text for c in doc.claims}
    assert by_value == {25: "الجيش", 4: "المعارضة"}


@pytest.mark.parametrize(
    "sentence",
    [
        "واحتج السكان على الأسعار، ورفعوا لافتة كتب عليها أن 40 في المئة منهم بلا عمل.",  # لافتة: a banner
        "واستقبل الرئيس مضيفه في القصر، حيث وقع الجانبان 5 اتفاقيات.",  # مضيفه: his host
    ],
)
def test_a_noun_spelled_as_a_participle_is_no_speech(sentence):
    doc, _ = claims(sentence)
    assert all(c.source is None for c in doc.claims)


def test_a_quotation_with_no_speaker_still_closes():
    text = ("ووقع الجانبان على \"مذكرة للتعاون. كما تم التوقيع على اتفاقيات أخرى\"، بحسب \"وكالة الأنباء\".\n"
            "وارتفعت أسهم الشركة بنسبة 3 في المئة بعد الإعلان.")
    doc, _ = claims(text)
    [c] = [c for c in doc.claims if c.unit == "percent"]
    assert c.source is None


def test_a_quotation_left_open_ends_with_its_paragraph():
    text = ("وأوضح المدير لـCNN أن \"المجموعة تتوسع، مضيفا أن \"المجموعة تتطلع إلى التعاون.\"\n"
            "وخصصت الحكومة 75 مليار دولار لتطوير البنية التحتية.")
    doc, _ = claims(text)
    [c] = [c for c in doc.claims if c.value == 75e9]
    assert c.source is None


@pytest.mark.parametrize(
    ("sentence", "source_words"),
    [
        # the place a speaker published is no part of the speaker
        ("وقالت الهيئة على موقعها الإلكتروني، إن 9 مصانع أغلقت.", "الهيئة"),
        # a pollster, not the paper it polled for
        ("ووفقا لمسح أجرته شركة \"نوفا\" لصالح صحيفة محلية، يؤيد 61 في المئة القرار.", "شركة \"نوفا\""),
        # a quoted name after a speaker noun may hold a figure
        ("وأفادت شبكة \"الرقة 24\" المحلية أن 14 مدنيا قتلوا.", "شبكة \"الرقة 24\" المحلية"),
        # plural documents; a reasoning verb; a longer unknown name closed by its title
        ("وأظهرت التسجيلات أيضا أن 30 شاحنة عبرت الحدود.", "التسجيلات"),
        ("وعزا التقرير ارتفاع الأسعار إلى انخفاض الصادرات بنسبة 12 في المئة.", "التقرير"),
        ("وأكد أحمد سالم حسن الكبيسي رئيس لجنة المالية بأن 40 مليون دولار صرفت.",
         "أحمد سالم حسن الكبيسي رئيس لجنة المالية"),
        # a spelling of Tuesday is a day, not a speaker's word
        ("قالت الشرطة، الثلثاء، إن 6 أشخاص اعتقلوا.", "الشرطة"),
    ],
)
def test_attribution_channels_pollsters_and_quoted_names(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


@pytest.mark.parametrize(
    ("sentence", "source_words"),
    [
        # a quotation mark after the speaker's words opens what is said, no name
        ("وقال مدير المطار هاتفيا لوكالة الأنباء الألمانية \"لدينا 4 طائرات معطلة.", "مدير المطار هاتفيا"),
        # a number label ends a document's words; a quoted name ends before the object that follows it
        ("وذكر بيان الشرطة رقم 7 للحملة \"أمان 2019\" أن الدوريات صادرت 15 سيارة.", "بيان الشرطة"),
        ("ويقدر مرصد \"الأرض الخضراء\" وجود نحو 900 لغم في الوادي.", "مرصد \"الأرض الخضراء\""),
    ],
)
def test_where_quoted_words_end_a_speaker(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


def test_a_clitic_cut_off_its_word_is_no_speaker():
    doc, _ = claims("وتصاعد الخلاف ووصفت بالـ\"الأزمة\"، وفرضت رسوم على 80 مليار دولار من السلع.")
    assert all(c.source is None for c in doc.claims)


def test_a_joined_verb_after_an_according_phrase_is_not_the_first_verb_subject():
    doc, _ = claims("وارتفعت حصيلة الضحايا إلى 31 قتيلا، وفق أرقام جديدة من الدفاع المدني، وأشارت إلى إصابة 12 آخرين.")
    assert all(c.source is None or "حصيلة" not in c.source.text for c in doc.claims)


def test_a_sentence_opening_with_a_participle_goes_on_with_the_speaker():
    doc, _ = claims("وقال وزير المالية إن العجز يتراجع.\nموضحا أن 45 في المئة من الإيرادات من الضرائب.")
    [c] = doc.claims
    assert c.source.text == "وزير المالية"


def test_it_is_believed_carries_no_speaker():
    doc, _ = claims("وقال الجيش إن المعارك مستمرة.\nويعتقد أن 300 مدني قتلوا منذ بدء الهجوم.")
    [c] = doc.claims
    assert c.source is None and c.modality == "reported"


@pytest.mark.parametrize(
    ("sentence", "source_words"),
    [
        ("وأصيب 26 شخصا بحسب ما أعلنت أجهزة الإنقاذ.", "أجهزة الإنقاذ"),
        ("وتصل قيمة الصفقة إلى 3 مليارات دولار، بحسب ما أفادت به تقارير.", "تقارير"),
        ("واستخلص الباحثون أن 18 في المئة من المرضى تعافوا.", "الباحثون"),
        ("وقال ذات المصدر إن 11 شاحنة دخلت المدينة.", "ذات المصدر"),
    ],
)
def test_plural_bodies_researchers_and_the_same_source(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words


def test_the_same_day_is_no_speaker():
    doc, _ = claims("وأطلقت الصواريخ في نفس اليوم الذي أعلنت فيه القوات انتهاء مناورة شاركت فيها 40 طائرة.")
    assert all(c.source is None or "نفس" not in c.source.text for c in doc.claims)


@pytest.mark.parametrize(
    "sentence,value,unit",
    [
        ("وقالت قناة إخبارية إن ضربات التحالف الجوية قتلت زعيمين بجماعة مسلحة في صنعاء.", 2, "casualties_killed"),
        ("وأسقطت الدفاعات الجوية طائرتين فوق المدينة.", 2, "aircraft"),
        ("قبل أن تقوم مقاتلتا F-16 بملاحقة الطائرة.", 2, "aircraft"),
        ("وأصيب جنديان بجروح في الهجوم.", 2, "casualties_wounded"),
        ("ودفع المستثمر مليون دولار مقابل شقتين في وسط العاصمة.", 2, "houses"),
    ],
)
def test_a_counted_noun_in_the_dual_is_a_count_of_two(sentence, value, unit):
    doc, _ = claims(sentence)
    assert any(c.value == value and c.unit == unit for c in doc.claims), doc.claims


@pytest.mark.parametrize(
    "sentence",
    [
        "وهاجمت حركة طالبان مواقع في الولاية.",  # the Taliban, not two students
        "وعثر الجنود على الطائرتين المفقودتين.",  # the two said before
        "وغادر السكان بلدتين على الحدود.",  # places: where, not a figure
        "وأجرت الحكومة خفضين كبيرين للعملة.",  # ك + بيرين is no pair of wells
        "واستمر القتال يومين في المدينة.",  # a duration
        "وقال مسؤولون إن مسلحين هاجموا الحاجز.",  # a plural with the letters of a dual
    ],
)
def test_words_that_look_dual_but_count_nothing(sentence):
    doc, _ = claims(sentence)
    assert not [c for c in doc.claims if c.value == 2], doc.claims


def test_a_share_of_a_count_said_before_is_a_percentage():
    doc, _ = claims("وتقول الصحيفة إن عدد اللاجئين بلغ 68 مليون لاجئ نصفهم من الأطفال.")
    share = [c for c in doc.claims if c.unit == "percent"]
    assert [(c.value, c.unit_text) for c in share] == [(50, "نصفهم")]
    assert share[0].source.text == "الصحيفة"
    assert [c.value for c in doc.claims if c.unit == "refugees"] == [68_000_000]
    doc, _ = claims("وقتل نحو 10 آلاف شخص، ثلثهم من المدنيين.")
    assert [round(c.value, 2) for c in doc.claims if c.unit == "percent"] == [33.33]
    doc, _ = claims("ووصل الوفد إلى المدينة وكان نصفهم من النساء.")  # no count before: no share
    assert not [c for c in doc.claims if c.unit == "percent"]


def test_a_multiple_is_no_count():
    doc, _ = claims("وقالت المفوضية إن عدد النازحين زاد بأكثر من ثلاثة أمثال ليصل إلى 160 ألفا.")
    assert not [c for c in doc.claims if c.value == 3]


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        ("لكن وزارة البيئة قالت في بيان، إن الشركة خالفت التراخيص في خمسة مواقع.", "وزارة البيئة"),
        ("وكانت مصر قالت في السابق إنها تتوقع إنتاج حوالي 2.3 مليون طن من السكر.", "مصر"),
        ("قال المتحدث باسم المفوضية خلال إفادة صحفية في جنيف إن نحو 13 ألف لاجئ عادوا.", "المتحدث باسم المفوضية"),
        ("وذكر المسؤول البارز في أجهزة الأمن في وقت سابق أن 300 جندي وصلوا.", "المسؤول البارز في أجهزة الأمن"),
        ("وشاركت 30 مركبة في الإنقاذ، بحسب ما أكدت وزارة الدفاع في بيان اطلعت عليه الصحيفة.", "وزارة الدفاع"),
        ("كما يتوقع مكتب الميزانية، وهو هيئة غير حزبية، أن الدين العام سيرتفع إلى 96% من الناتج.", "مكتب الميزانية"),
        ("ونقلت صحيفة محلية عن جوناثان بيرهوف، الذي يعيش في مكان قريب، قوله إن 15 طلقة أطلقت.", "جوناثان بيرهوف"),
        ("ووفقا للمعارضة، فقد أرسل النظام 19 سجينا إلى المشانق.", "المعارضة"),
        ("لقي سائق قطار مصرعه، وأصيب 14 راكبا آخرين بجروح، كما أعلنت الشرطة.", "الشرطة"),
        ("قتل 6 مدنيين على الأقل في قصف على المدينة، بحسب المرصد السوري لحقوق الإنسان.", "المرصد السوري لحقوق الإنسان"),
        ("وأحصى المرصد السوري لحقوق الإنسان 60 غارة في ثلاث ساعات.", "المرصد السوري لحقوق الإنسان"),
        ("وأعلنت البحرية عن إنقاذ 41 مهاجرا قبالة السواحل.", "البحرية"),
    ],
)
def test_framing_words_end_a_speaker_and_leave_the_subject_before_the_verb(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = [c for c in doc.claims if c.unit != "percent" or "96" in c.sentence]
    assert c.source is not None and c.source.text == source_words, c.source


@pytest.mark.parametrize(
    "sentence",
    [
        "ويصل الإنتاج إلى 5 ملايين طن وفق الجدول الزمني.",  # what it goes by, not who says so
        "وتقول ألمانيا، التي يعيش فيها نحو 3 ملايين شخص من أصل تركي، إنها لن تسمح بالحملات.",
        "ووافقت الحكومة على تسوية مالية بقيمة 39 مليار يورو، قال الوزراء إنها تتوقف على الاتفاق.",
    ],
)
def test_a_figure_the_speaker_does_not_say_has_no_source(sentence):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is None and c.modality == "asserted", c.source


def test_a_sentence_opening_with_its_speech_verb_keeps_the_speaker_over_verbs_inside_what_is_said():
    doc, _ = claims("وقال وزير الخارجية إن المحادثات مستمرة. وأضاف أن المشروع الذي يكلف خمسة مليارات دولار لن يرى النور.")
    [c] = doc.claims
    assert c.source.text == "وزير الخارجية"
    doc, _ = claims('وقال المتحدث باسم المستشفى إن الأسرة ممتلئة. ويقول: "استقبلنا 20 جريحا في ساعة".')
    [c] = doc.claims
    assert c.source.text == "المتحدث باسم المستشفى"


def test_the_same_source_is_the_one_named_before():
    doc, _ = claims('ذكرت وكالة "بلومبرغ" أن الشركة ستبيع 110 طائرات للهند. وتقدر قيمة الصفقة بنحو 15 مليار دولار، وفق المصدر نفسه.')
    money = [c for c in doc.claims if c.unit == "money_usd"]
    assert [c.source.text for c in money] == ['وكالة "بلومبرغ"']


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        ('وكتب نجيب دانيش على موقع فيسبوك: "استشهد 7 أشخاص في التفجير".', "نجيب دانيش"),
        ("أنقذت المنظمة 319 مهاجرا خلال 28 شهرا، بحسب صوفي بو.", "صوفي بو"),
        ("مصادر طبية في صنعاء كشفت عن وصول أكثر من 70 جثة إلى المستشفى.", "مصادر طبية في صنعاء"),
        ('جاء ذلك في بيان نشرته وكالة أعماق، وذكر أن "ثلاث عمليات قتلت 11 شخصا على الأقل".', "وكالة أعماق"),
        ("وكان الشيخ أحمد بن محمد آل خليفة، وزير المالية البحريني، قد صرح إن الحكومة قلصت العجز بمقدار 854 مليون دينار.",
         "الشيخ أحمد بن محمد آل خليفة، وزير المالية البحريني"),
    ],
)
def test_speakers_closed_by_the_way_they_speak_fronted_or_issuing(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and c.source.text == source_words, c.source


def test_quoted_words_after_a_speaker_are_that_speakers():
    doc, _ = claims('ونقلت وكالة الأنباء عن مصادر أمنية قولها إن "سيارة يقودها انتحاري انفجرت أمام البوابة".\n'
                    'وأدى الهجوم إلى "إصابة تسعة شرطيين وأربعة مدنيين بجروح"، بالإضافة إلى تضرر السيارات.')
    assert {c.source.text for c in doc.claims} == {"مصادر أمنية"}
    doc, _ = claims('وقال الوزير إن الوضع صعب. وأطلق تنظيم "داعش" 5 صواريخ على المدينة.')  # a quoted name, no quotation
    [c] = doc.claims
    assert c.source is None


def test_a_later_speaker_before_the_figure_and_an_outlet_relaying_the_first():
    doc, _ = claims('وكشف استطلاع أجراه معهد إيفوب أن 58% من الفرنسيين مستاؤون، في ما يتوافق مع إحصاءات أظهرت أن شعبيته تقارب 40%.')
    assert {c.value: c.source.text for c in doc.claims} == {58: "معهد إيفوب", 40: "إحصاءات"}
    doc, _ = claims("لكن وكالة البيئة قالت في بيان، إن الشركة خالفت التراخيص في خمسة مواقع، وفق رويترز.")
    [c] = doc.claims
    assert c.source.text == "وكالة البيئة"


def test_a_number_with_a_scale_and_a_smaller_one_is_one_number():
    doc, _ = claims("أنقذت المنظمة 29 ألفا و319 مهاجرا خلال 28 شهرا.")
    assert [c.value for c in doc.claims] == [29319]
    doc, _ = claims("وكانت الشرطة تحدثت عن وجود ثلاثة قتلى وأربعة جرحى على الأقل.")
    assert {c.unit: c.value for c in doc.claims} == {"casualties_killed": 3, "casualties_wounded": 4}


@pytest.mark.parametrize(
    "sentence,source_words",
    [
        ("وتشير بيانات الهيئة العامة للإحصاء إلى أن نحو 1.39 مليون سائق يعملون في المملكة.", "بيانات الهيئة العامة للإحصاء"),
        ("وقتل 15 مقاتلا في ضربة ليلية وفق المرصد واستهدفت الضربة مستودع أسلحة جنوب دمشق.", "المرصد"),
        ("وارتفع الإنتاج إلى مليون برميل يوميا، بحسب ما نقلته وكالة تاس، الثلاثاء، عن وزيري النفط في البلدين.",
         "وزيري النفط في البلدين"),
        ('وتفصيلا، ذكرت "ديلي ميل" أن 8662 جنديا يعانون من السمنة.', "ديلي ميل"),
        ("ولم ترد تقارير عن إصابات رغم أن إحدى شركات المرافق أبلغت عن انقطاع التيار عن 230 منزلا.", "شركات المرافق"),
    ],
)
def test_names_with_li_relays_inside_according_to_and_quoted_names(sentence, source_words):
    doc, _ = claims(sentence)
    [c] = doc.claims
    assert c.source is not None and key_text(c.source.text) == key_text(source_words), c.source


def key_text(text):
    return " ".join(text.replace('"', " ").split())


def test_counts_of_voters_are_no_claims_and_a_speaker_writing_on_a_channel_goes_on():
    doc, _ = claims("أقر البرلمان، الاثنين، مشروع القانون، إذ صوت لصالح المشروع 57 عضوا وعارضه 11 آخرون.")
    assert not doc.claims
    doc, _ = claims('وقالت عضو الكونغرس براميلا جايابال إنها اعتقلت. وكتبت على تويتر "لقد تم اعتقالي مع أكثر من 500 امرأة خلال مسيرة".')
    [c] = doc.claims
    assert c.source.text == "عضو الكونغرس براميلا جايابال"


def test_a_law_is_no_speaker_and_a_relative_clause_that_speaks_is_the_nouns():
    doc, _ = claims("وسجل المركز انتهاكات وفقا للقانون الدولي، بينها مقتل 185 ألف شخص.")
    [c] = doc.claims
    assert c.source is None or c.source.text != "القانون الدولي"
    doc, _ = claims('ورفض الوزير انتقادات منظمة "أوبن آرمز" الإسبانية غير الحكومية التي قالت إن خفر السواحل تخلوا عن امرأتين.')
    [c] = doc.claims
    assert c.source.text.startswith("منظمة")
    doc, _ = claims("وقال بيان الحرس الثوري والذي أعلن فيه مقتل 20 مسلحا.")
    [c] = doc.claims
    assert c.source.text == "بيان الحرس الثوري"
