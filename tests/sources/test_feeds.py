import pytest

from rasd.errors import InputError
from rasd.sources.feeds import guess_kind, guess_kind_from_url, parse_feed, parse_sitemap

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>أخبار</title><link>https://news.example/</link><description>x</description>
<item><title>عنوان الأول</title><link>/2024/11/05/a.html</link><pubDate>Tue, 05 Nov 2024 10:00:00 +0300</pubDate></item>
<item><title>عنوان الثاني</title><link>https://news.example/b</link></item>
<item><title>مكرر</title><link>https://news.example/b</link></item>
<item><title>بلا رابط</title></item>
<item><title>ملف</title><link>file:///etc/passwd</link></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id>
<updated>2024-11-05T00:00:00Z</updated>
<entry><title>خبر</title><link rel="alternate" href="https://news.example/atom-1"/><id>1</id>
<published>2024-11-04T22:30:00+02:00</published><updated>2024-11-05T08:00:00Z</updated></entry></feed>""".encode()

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/s1</loc><news:news><news:publication_date>2024-11-05T09:00:00+03:00</news:publication_date>
<news:title>\xd8\xae\xd8\xa8\xd8\xb1</news:title></news:news></url>
<url><loc>https://news.example/s2</loc><lastmod>2024-11-04</lastmod></url></urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/news-sitemap.xml</loc></sitemap></sitemapindex>"""


def test_rss_items_with_metadata():
    lst = parse_feed(RSS, "https://news.example/rss")
    assert [i.url for i in lst.items] == ["https://news.example/2024/11/05/a.html", "https://news.example/b"]
    first = lst.items[0]
    assert first.title == "عنوان الأول" and first.published == "2024-11-05T07:00:00+00:00"
    assert lst.items[1].published is None


def test_atom_items():
    (item,) = parse_feed(ATOM, "https://news.example/atom").items
    assert item.url == "https://news.example/atom-1" and item.title == "خبر"
    assert item.published == "2024-11-04T20:30:00+00:00" and item.stamp == "2024-11-05T08:00:00+00:00"


def test_news_sitemap_and_index():
    lst = parse_sitemap(SITEMAP, "https://news.example/sitemap.xml")
    assert [(i.url, i.title, i.published) for i in lst.items] == [
        ("https://news.example/s1", "خبر", "2024-11-05T06:00:00+00:00"),
        ("https://news.example/s2", None, "2024-11-04T00:00:00+00:00")]
    assert parse_sitemap(INDEX, "https://news.example/sitemap.xml").sitemaps == ("https://news.example/news-sitemap.xml",)


@pytest.mark.parametrize("data", [b"\x00\x01garbage\xff", b"<html><body>not a feed</body></html>", b""])
def test_garbage_is_an_input_error(data):
    with pytest.raises(InputError):
        parse_feed(data, "https://news.example/rss")
    with pytest.raises(InputError):
        parse_sitemap(data, "https://news.example/sitemap.xml")


def test_entities_are_not_expanded():
    bomb = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' \
           b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&b;</loc></url></urlset>'
    items = parse_sitemap(bomb, "https://x.example/sitemap.xml").items
    assert all("aaaaaaaaaa" not in i.url for i in items)


def test_guess_kind():
    assert guess_kind(RSS) == "feed" and guess_kind(ATOM) == "feed"
    assert guess_kind(SITEMAP) == "sitemap" and guess_kind(INDEX) == "sitemap"
    assert guess_kind(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "page"
    assert guess_kind(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><rdf:RDF xmlns:rdf='x'></rdf:RDF>") == "feed"
    assert guess_kind_from_url("https://x.example/sitemap-news.xml") == "sitemap"
    assert guess_kind_from_url("https://x.example/feed/") == "feed"
    assert guess_kind_from_url("https://x.example/2024/11/article.html") is None
