"""Reading what a watched source lists: RSS and Atom feeds (feedparser), news sitemaps, or a single page.

Pure readers over bytes already fetched: nothing here touches the network. Each listing becomes
``FeedItem``s (the article URL with the title and date the source gives for it).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from rasd.errors import InputError

KINDS = ("feed", "sitemap", "page")
MAX_ITEMS = 1000  # items read from one listing; a larger one is cut (a garbage or hostile listing)


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 in UTC, when the source gives a date
    stamp: str | None = None  # the source's "updated" mark: a change means the article changed


@dataclass(frozen=True, slots=True)
class Listing:
    items: tuple[FeedItem, ...]
    sitemaps: tuple[str, ...] = ()  # child sitemaps of a sitemap index
    title: str | None = None


_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?[^>]*>\s*)*<([\w:.-]+)", re.S)


def guess_kind(data: bytes, content_type: str | None = None) -> str:
    """feed, sitemap or page, from the first element of the body (or the declared content type)."""
    m = _XML_START.match(data[:4096])
    root = m.group(1).decode("ascii", "ignore").lower() if m else ""
    local = root.rsplit(":", 1)[-1]
    if local in ("rss", "feed") or root == "rdf:rdf":
        return "feed"
    if local in ("urlset", "sitemapindex"):
        return "sitemap"
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    return "page"


def guess_kind_from_url(url: str) -> str | None:
    """A kind the URL alone makes clear (…/rss, feed.xml, sitemap.xml), else None (decided on first fetch)."""
    path = urlsplit(url).path.lower()
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if "sitemap" in last:
        return "sitemap"
    if last in ("rss", "feed", "atom", "rss.xml", "atom.xml", "feed.xml", "index.xml") or last.endswith((".rss", ".atom")):
        return "feed"
    return None


def parse_feed(data: bytes, url: str) -> Listing:
    """RSS 0.9x/1.0/2.0 or Atom bytes to items; relative links resolved against ``url``."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url}, sanitize_html=False)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", None)
        raise InputError(url, "not an RSS or Atom feed" + (f" ({reason()})" if callable(reason) else ""))
    items, seen = [], set()
    for e in parsed.entries[:MAX_ITEMS]:
        link = _http_link(url, e.get("link") or _alternate(e))
        if not link or link in seen:
            continue
        seen.add(link)
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed, with a warning
        updated = _iso(dict.get(e, "updated_parsed"))
        published = _iso(dict.get(e, "published_parsed")) or updated
        stamp = updated or published
        items.append(FeedItem(link, (e.get("title") or "").strip() or None, published, stamp))
    return Listing(tuple(items), title=(parsed.feed.get("title") or None))


def _alternate(entry) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _iso(t) -> str | None:
    if not t:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(t), dt.UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError, TypeError):
        return None


def parse_sitemap(data: bytes, url: str) -> Listing:
    """A sitemap (``urlset``, with Google News ``news:`` fields when present) or a sitemap index."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise InputError(url, "not a sitemap (unreadable XML)")
    tag = etree.QName(root).localname.lower()
    if tag not in ("urlset", "sitemapindex"):
        raise InputError(url, f"not a sitemap (root element <{tag}>)")
    if tag == "sitemapindex":
        locs = [_text(s, "loc") for s in _children(root, "sitemap")]
        return Listing((), tuple(x for x in (_http_link(url, v) for v in locs[:MAX_ITEMS]) if x))
    items, seen = [], set()
    for u in _children(root, "url"):
        link = _http_link(url, _text(u, "loc"))
        if not link or link in seen:
            continue
        seen.add(link)
        news = next(iter(_children(u, "news")), None)
        title = _text(news, "title") if news is not None else None
        published = _w3c(_text(news, "publication_date")) if news is not None else None
        lastmod = _w3c(_text(u, "lastmod"))
        items.append(FeedItem(link, title, published or lastmod, lastmod or published))
        if len(items) >= MAX_ITEMS:
            break
    return Listing(tuple(items))


def _children(el, name: str):
    return [c for c in el if isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1].lower() == name]


def _text(el, name: str) -> str | None:
    if el is None:
        return None
    for c in _children(el, name):
        if c.text and c.text.strip():
            return c.text.strip()
    return None


def _w3c(value: str | None) -> str | None:
    """A W3C datetime (2024-11-05, 2024-11-05T10:00:00+03:00, …Z) as ISO 8601 in UTC."""
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.UTC)
    return d.astimezone(dt.UTC).isoformat(timespec="seconds")


def _http_link(base: str, link: str | None) -> str | None:
    if not link:
        return None
    full = urljoin(base, link.strip())
    return full if urlsplit(full).scheme in ("http", "https") else None


def parse_listing(kind: str, data: bytes, url: str) -> Listing:
    if kind == "feed":
        return parse_feed(data, url)
    if kind == "sitemap":
        return parse_sitemap(data, url)
    raise ValueError(f"not a listing kind: {kind}")
