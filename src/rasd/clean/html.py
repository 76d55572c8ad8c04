"""HTML pages: trafilatura finds the article and its metadata; the text cleaner does the rest."""

from __future__ import annotations

import logging

import trafilatura
from lxml import html as lxml_html

from rasd.arabic.dates import parse_date
from rasd.clean.text import Cleaned, clean_text
from rasd.errors import InputError

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def html_to_article(where: str, page: str, url: str | None = None) -> Cleaned:
    try:
        doc = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, favor_recall=True, include_comments=False, include_tables=False
        )
    except Exception:  # trafilatura raises assorted errors on broken markup; fall back below
        doc = None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        text = _fallback_text(page)
    if not text or not text.strip():
        raise InputError(where, "no article text found in the HTML page")
    meta = doc if doc is not None else None
    published = None
    if meta is not None and getattr(meta, "date", None):
        published = parse_date(meta.date)[0] or None
    keywords: list[str] = []
    if meta is not None:
        for tag in (getattr(meta, "tags", None) or []) + (getattr(meta, "categories", None) or []):
            keywords.extend(t.strip() for t in tag.replace("،", ",").split(",") if t.strip())
    return clean_text(
        text,
        title=(getattr(meta, "title", None) or None) if meta is not None else None,
        author=(getattr(meta, "author", None) or None) if meta is not None else None,
        outlet=(getattr(meta, "sitename", None) or None) if meta is not None else None,
        published=published,
        keywords=keywords,
    )


def _fallback_text(page: str) -> str | None:
    try:
        tree = lxml_html.fromstring(page)
    except Exception:  # lxml raises ParserError / ValueError on hopeless input
        return None
    for bad in tree.xpath("//script|//style|//nav|//footer|//header|//noscript"):
        bad.drop_tree()
    blocks = [el.text_content().strip() for el in tree.xpath("//p|//h1|//h2|//h3|//li|//div[not(.//p)]")]
    return "\n".join(b for b in blocks if b)
