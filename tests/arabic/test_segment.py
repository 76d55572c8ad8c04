from rasd.arabic.clitics import split_proclitics
from rasd.arabic.segment import sentences, tokens


def _texts(text, spans):
    return [text[s.start:s.end] for s in spans]


def test_sentences_split_on_arabic_and_latin_marks_and_lines():
    text = "قال الوزير إن الوضع هادئ. هل انتهت الأزمة؟ لا!\nفقرة ثانية بلا نقطة"
    assert _texts(text, sentences(text)) == ["قال الوزير إن الوضع هادئ.", "هل انتهت الأزمة؟", "لا!", "فقرة ثانية بلا نقطة"]


def test_sentences_do_not_split_decimals_or_dotted_acronyms():
    text = "بلغت 1.5 مليون قذيفة بحسب قناة إس.بي.إس اليوم."
    assert len(sentences(text)) == 1


def test_tokens_keep_number_separators():
    text = "أرسلت 10,000 جندي و١٣٬٠٠٠ حاوية"
    assert "10,000" in _texts(text, tokens(text))
    assert "١٣٬٠٠٠" in _texts(text, tokens(text))


def test_proclitics():
    assert ("ل", "روسيا") in split_proclitics("لروسيا")
    assert ("و", "بيونغ") in split_proclitics("وبيونغ")
    assert ("لل", "الولايات") in split_proclitics("للولايات")
    assert ("وال", "كرملين") in split_proclitics("والكرملين")
    assert split_proclitics("ب") == [("", "ب")]  # nothing left to be a stem
