from rasd.clean.html import html_to_article
from rasd.pipeline import clean
from rasd.sources.files import decode_article

P1 = "قال وزير الخارجية الروسي سيرغي لافروف إن بلاده ستواصل تطوير علاقاتها مع كوريا الشمالية في جميع المجالات."
P2 = "وأضاف لافروف في مؤتمر صحفي عقده في موسكو أن التعاون العسكري بين البلدين يجري وفق القانون الدولي."
P3 = "وكانت واشنطن وسيول قد اتهمتا بيونغ يانغ بتزويد روسيا بالذخائر والصواريخ لاستخدامها في الحرب على أوكرانيا."

PAGE = f"""<!doctype html><html lang="ar" dir="rtl"><head>
<title>لافروف: سنواصل التعاون مع بيونغ يانغ - موقع الأخبار</title>
<meta property="og:site_name" content="موقع الأخبار">
<meta property="article:published_time" content="2024-06-20T08:00:00Z">
<meta name="author" content="ليلى مراد">
<meta name="keywords" content="روسيا, كوريا الشمالية">
<script>var tracking = "لا ينبغي أن يظهر هذا النص";</script>
<style>.x {{ color: red }}</style>
</head><body>
<header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/politics">سياسة</a></li><li><a href="/sport">رياضة</a></li></ul></nav></header>
<main><article>
<h1>لافروف: سنواصل التعاون مع بيونغ يانغ</h1>
<div class="share">شارك</div>
<p>{P1}</p><p>{P2}</p><p>{P3}</p>
</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/1">خبر رياضي عن مباراة الأمس</a></li><li><a href="/2">أسعار الذهب اليوم</a></li></ul></aside>
</main>
<footer><p>جميع الحقوق محفوظة © 2024 موقع الأخبار</p></footer>
</body></html>"""


def test_article_text_and_metadata_from_markup():
    c = html_to_article("page.html", PAGE)
    assert c.text.split("\n") == [P1, P2, P3]
    assert c.title == "لافروف: سنواصل التعاون مع بيونغ يانغ"
    assert c.published == "2024-06-20"
    assert c.outlet == "موقع الأخبار"
    assert c.author == "ليلى مراد"
    assert "روسيا" in c.keywords


def test_scripts_navigation_and_footer_never_reach_text():
    c = html_to_article("page.html", PAGE)
    for junk in ("tracking", "لا ينبغي", "الرئيسية", "رياضة", "الحقوق", "أسعار الذهب"):
        assert junk not in c.text


def test_broken_html_still_yields_the_paragraphs():
    broken = f"<html><body><div><p>{P1}<p>{P2}</div></span><p>{P3}"
    doc = clean(decode_article("broken.html", broken.encode("utf-8")))
    assert P1 in doc.text and P3 in doc.text
