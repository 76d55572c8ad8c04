from fuzzing import texts
from hypothesis import given
from hypothesis import strategies as st

from rasd.clean import clean_text
from rasd.errors import InputError
from rasd.pipeline import clean
from rasd.sources.files import RawArticle


@given(texts)
def test_fuzz_the_line_cleaner_never_fails(text):
    c = clean_text(text)
    assert isinstance(c.text, str) and all(isinstance(d, str) for d in c.dropped)


_TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
                         "<html>", "<body>", "<article>", "</article>", '<meta charset="utf-8">', "<title>", "</title>",
                         "&amp;", "&#x202e;", "&nbsp;", "<", ">", "&", '<a href="', '">', "<h1>", "</h1>"])


@given(st.lists(st.one_of(_TAGS, texts), max_size=30).map("".join))
def test_fuzz_the_html_path_never_fails_but_with_a_reason(page):
    try:
        doc = clean(RawArticle("page.html", "<html><body>" + page, True, "utf-8"))
    except InputError as exc:
        assert exc.reason
        return
    assert doc.text.strip()
