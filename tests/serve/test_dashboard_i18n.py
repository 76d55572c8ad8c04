"""The dashboard's settings: English labels as a second language and Arabic-Indic or Western digits,
chosen by ?lang= / ?digits= (kept in a cookie), every label from the one catalogue, messages.tsv."""

import re

import pytest
from fastapi.testclient import TestClient

from rasd.serve import create_app
from rasd.serve.dashboard import i18n, router
from rasd.serve.dashboard.render import HERE, count
from rasd.store import open_store, query
from serve.test_dashboard import _pages, db  # noqa: F401  (the dashboard tests' store)

ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture()
def client(db):  # noqa: F811
    with TestClient(create_app(db, routers=[router])) as c:  # a fresh client: no cookie yet
        yield c


@pytest.fixture(scope="module")
def store(db):  # noqa: F811
    s = open_store(db)
    yield s
    s.close()


def _chrome(html: str) -> str:
    """The page without what comes from the store (every stored value is inside <bdi>, the article
    text inside <article>, entity names in titles and links)."""
    html = re.sub(r"<article.*?</article>", "", html, flags=re.S)
    html = re.sub(r"<bdi>.*?</bdi>", "", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
    html = re.sub(r"<a [^>]*>[^<]*</a>", "", html)  # links named after entities, outlets, stored ids
    html = re.sub(r'(value|placeholder|href|data-place)="[^"]*"', "", html)
    return html


def test_every_template_label_comes_from_the_catalogue():
    cat = i18n.catalogue()
    used = set()
    for t in (HERE / "templates").glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert not ARABIC.search(text), f"{t.name}: Arabic text in a template (put it in messages.tsv)"
        used |= set(re.findall(r"_\('([\w.]+)'[,)]", text))
        for prefix in re.findall(r"_\('([\w.]+\.)' ~", text):
            assert any(k.startswith(prefix) for k in cat), prefix
    assert used and not used - set(cat)
    for key, texts in cat.items():
        assert sorted(re.findall(r"\{(\w+)\}", texts["ar"])) == sorted(re.findall(r"\{(\w+)\}", texts["en"])), key


def test_english_pages_are_left_to_right_and_in_english(client, store):
    for url in _pages(store) + ["/map", "/documents/nope"]:
        r = client.get(url, params={"lang": "en"})
        assert '<html lang="en" dir="ltr">' in r.text, url
        chrome = _chrome(r.text)
        assert not ARABIC.search(chrome), (url, ARABIC.findall(chrome)[:5])
    assert "Latest incidents" in client.get("/?lang=en").text


def test_the_language_holds_in_a_cookie_and_unknown_values_are_ignored(client):
    assert 'lang="ar" dir="rtl"' in client.get("/").text
    r = client.get("/search?lang=en")
    assert "rasd_lang=en" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    assert '<html lang="en" dir="ltr">' in client.get("/timeline").text  # the cookie, no parameter
    r = client.get("/timeline?lang=xx")
    assert '<html lang="en" dir="ltr">' in r.text and "set-cookie" not in r.headers
    assert '<html lang="ar" dir="rtl">' in client.get("/?lang=ar").text
    switch = re.search(r'<a href="([^"]+)" lang="en" class="set-lang">English</a>', client.get("/search?q=x").text)
    assert switch and "q=x" in switch.group(1) and "lang=en" in switch.group(1)


def test_arabic_digits_for_the_numbers_the_dashboard_formats(client, store):
    stats = query.stats(store)
    html = client.get("/?digits=arabic").text
    assert f"<dd>{count(stats['documents'], 'arabic')}</dd>" in html
    assert count(1234567, "arabic") == "١٬٢٣٤٬٥٦٧" and count(1234567) == "1,234,567"
    inc = query.incidents(store, limit=1).items[0]
    assert i18n.digits(f"{inc['reports']} تقارير", "arabic") in html
    day = inc["date"][:10]
    assert i18n.digits(day, "arabic") in html
    western = client.get("/?digits=western").text
    assert f"<dd>{stats['documents']}</dd>" in western
    # text quoted from articles keeps the digits its outlet used
    doc = query.documents(store, limit=1).items[0]
    body = client.get(f"/documents/{doc['id']}?digits=arabic").text
    text = re.search(r'<article class="text"[^>]*>(.*?)</article>', body, re.S).group(1)
    assert re.search(r"\d", text) and not re.search("[٠-٩]", text)


def test_a_bad_catalogue_line_is_an_error(tmp_path, monkeypatch):
    bad = tmp_path / "messages.tsv"
    bad.write_text("brand\tرصد\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE", bad)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="messages.tsv:1"):
            i18n.catalogue()
    finally:
        i18n.catalogue.cache_clear()
