"""The text cleaner: from the lines of a scraped page to article text, metadata and embedded articles.

It works on lines, because that is how furniture arrives, whether from a saved text page or from an
HTML extractor. Which lines are furniture is decided by the patterns in resources/furniture.tsv;
this module holds only the layout logic (titles, repeats, captions, blocks after markers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rasd.arabic.dates import dateline, parse_date
from rasd.arabic.normalise import key
from rasd.clean.furniture import Furniture, furniture, line_key

_WS = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"[.!؟?…:\"'»”]\s*$")
_KEYWORD_SPLIT = re.compile(r"\s*(?:[،,;؛|#\n]|\s-\s)\s*")
_BIO_NAME = re.compile(r"^(?P<name>[^-–:|]{2,40}?)\s*[-–:|]\s+\S")

# Layout thresholds, in words.
SECTION_LABEL_MAX_WORDS = 3
TITLE_MIN_WORDS, TITLE_MAX_WORDS = 3, 35
HEADLINE_MAX_WORDS = 25
EMBEDDED_MIN_CHARS = 150


@dataclass
class Cleaned:
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: str | None = None
    keywords: list[str] = field(default_factory=list)
    keywords_raw: str | None = None
    dropped: list[str] = field(default_factory=list)
    embedded: list[Cleaned] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    text: str
    blank_before: bool


def words(line: str) -> int:
    return len(line.split())


def is_headline(line: str) -> bool:
    """Short and without sentence-final punctuation: a headline, subheading or caption."""
    return words(line) <= HEADLINE_MAX_WORDS and not _SENTENCE_END.search(line)


def is_heading(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a whole line of ``text`` shaped like a headline (no sentence of its own)?"""
    whole_line = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    return whole_line and is_headline(text[start:end])


def split_lines(raw: str) -> list[_Line]:
    out: list[_Line] = []
    blank = False
    for line in raw.splitlines():
        line = _WS.sub(" ", line).strip()
        if not line:
            blank = True
            continue
        out.append(_Line(line, blank))
        blank = False
    return out


def clean_text(
    raw: str,
    *,
    title: str | None = None,
    author: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    keywords: list[str] | None = None,
    find_title: bool = True,
) -> Cleaned:
    """Clean the text of one page. Known metadata (from HTML) wins over what the lines say."""
    f = furniture()
    lines = split_lines(raw)
    meta: dict[str, str] = {}
    dropped: list[str] = []
    kept: list[_Line] = []
    embedded: list[Cleaned] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i].text
        stamp = dateline(line)
        if stamp is not None:
            # a line that is only a date (and its weekday, time, zone, label): the dateline, never the title
            dropped.append(line)
            meta.setdefault(f"_{stamp.kind}", stamp.value)
            i += 1
            continue
        m = f.match(line)
        if m is None:
            name = f.outlet_name(line)
            if name and words(line) <= 5:
                dropped.append(line)
                meta.setdefault("outlet", name)
            else:
                kept.append(lines[i])
            i += 1
            continue
        dropped.append(line)
        if m.kind == "meta":
            for k, v in m.fields.items():
                meta.setdefault(k, v)
            if kept and ("keywords" in m.fields or "outlet" in m.fields):
                meta["_closed"] = "1"  # source/keyword lines after the text: the article has ended
        elif m.kind == "end":
            dropped.extend(x.text for x in lines[i + 1:])
            break
        elif m.kind == "label" and i + 1 < n and words(lines[i + 1].text) <= 5 and f.match(lines[i + 1].text) is None:
            value = lines[i + 1].text
            dropped.append(value)
            if parse_date(value)[0]:
                meta.setdefault("published", value)
            else:
                meta.setdefault("outlet", f.outlet_name(value) or value)
            i += 1
        elif m.kind == "bio" and i + 1 < n and f.match(lines[i + 1].text) is None and words(lines[i + 1].text) <= 80:
            bio = lines[i + 1].text
            dropped.append(bio)
            bm = _BIO_NAME.match(bio)
            if bm and words(bm.group("name")) <= 4:
                meta.setdefault("author", bm.group("name").strip())
            i += 1
        elif m.kind == "related":
            i = _related_block(lines, i + 1, f, meta, dropped, embedded)
            continue
        i += 1

    title = title or None
    if find_title and title is None:
        title = _find_title(kept, dropped)
    kept = _drop_repeats(kept, title, dropped)

    kw_raw = keywords or []
    keywords_raw = None
    if not kw_raw and "keywords" in meta:
        pieces = [p for p in _KEYWORD_SPLIT.split(meta["keywords"]) if p]
        if len(pieces) == 1 and words(pieces[0]) > 2:
            keywords_raw = pieces[0]  # space-separated: the entity stage segments it
        else:
            kw_raw = pieces
    pub = published
    if not pub and "published" in meta:
        pub = parse_date(meta["published"])[0]
    pub = pub or meta.get("_published") or meta.get("_updated")
    out_outlet = outlet or (f.outlet_name(meta["outlet"]) or meta["outlet"] if "outlet" in meta else None)
    return Cleaned(
        text="\n".join(x.text for x in kept),
        title=title,
        author=author or _clean_name(meta.get("author")),
        outlet=out_outlet,
        published=pub,
        keywords=dedupe_keywords(kw_raw),
        keywords_raw=keywords_raw,
        dropped=dropped,
        embedded=embedded,
    )


def _related_block(lines: list[_Line], j: int, f: Furniture, meta: dict[str, str], dropped: list[str], embedded: list[Cleaned]) -> int:
    """Handle the lines after a related-stories marker; return the index to continue from.

    After the main article has closed (its source/keyword lines seen), a headline followed by
    paragraphs that run to the end of the page (furniture aside) is an embedded article. Otherwise
    the headlines are links and are dropped; the paragraphs stay in the main text.
    """
    n = len(lines)
    end = j
    while end < n and f.match(lines[end].text) is None:
        end += 1
    block = lines[j:end]
    body = block[1:]
    runs_to_end = all(f.match(x.text) is not None for x in lines[end:])
    if (
        block
        and is_headline(block[0].text)
        and body
        and sum(len(x.text) for x in body) >= EMBEDDED_MIN_CHARS
        and not all(is_headline(x.text) for x in body)
        and runs_to_end
        and "_closed" in meta
    ):
        embedded.append(clean_text("\n".join(x.text for x in body), title=block[0].text))
        return end
    k = j
    while k < n and is_headline(lines[k].text) and f.match(lines[k].text) is None:
        dropped.append(lines[k].text)
        k += 1
        if k - j >= 10:
            break
    return k


def _find_title(kept: list[_Line], dropped: list[str]) -> str | None:
    """The first title-shaped line at the top; shorter section labels above it are dropped."""
    for idx, line in enumerate(kept[:4]):
        w = words(line.text)
        if w <= SECTION_LABEL_MAX_WORDS and idx + 1 < len(kept):
            continue
        if TITLE_MIN_WORDS <= w <= TITLE_MAX_WORDS and not re.search(r"[.:،,]\s*$", line.text) and idx + 1 < len(kept):
            for label in kept[:idx]:
                dropped.append(label.text)
            del kept[: idx + 1]
            return line.text
        return None
    return None


def _drop_repeats(kept: list[_Line], title: str | None, dropped: list[str]) -> list[_Line]:
    """Drop repeated headlines, captions printed twice, and later copies of any line."""
    title_key = key(title) if title else None
    keys = [line_key(x.text) for x in kept]
    caption = set()
    for a in range(len(kept) - 1):
        if keys[a] == keys[a + 1] and not kept[a + 1].blank_before and is_headline(kept[a].text):
            caption.update((a, a + 1))
    seen: set[str] = set()
    out: list[_Line] = []
    for idx, (line, k) in enumerate(zip(kept, keys, strict=True)):
        if idx in caption or k == title_key or k in seen:
            dropped.append(line.text)
            continue
        seen.add(k)
        out.append(line)
    return out


def dedupe_keywords(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        item = item.strip(" #\"'«»")
        k = key(item)
        if item and k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip(" .،,-–:")
    return name or None
