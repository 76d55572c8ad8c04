"""JSON Lines batches (plain or gzip): one article per line, its fields mapped to the document.

Each good line becomes an article; each bad one an ``InputError`` whose place is ``FILE:LINE``, so the
CLI prints ``rasd: FILE:LINE: reason`` and goes on with the next line. A line is an object with the
article's ``text`` (plain text) or ``html`` (a saved page), and optionally ``title``, ``date`` (or
``published``), ``url`` (or ``link``), ``outlet`` (or ``source``/``site``) and ``author``.
``record_to_raw`` turns one such record (from any container: JSON Lines, Parquet ...) into the
``RawArticle`` the clean stage reads.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from rasd.errors import InputError
from rasd.sources.article import DEFAULT_MAX_BYTES, JSONL_SUFFIXES, RawArticle, is_jsonl

__all__ = ["FIELDS", "JSONL_SUFFIXES", "is_jsonl", "iter_jsonl", "parse_line", "record_to_raw", "to_iso_date"]
# field of the document <- names a record may use for it, first found wins
FIELDS = {
    "text": ("text", "content", "body"),
    "html": ("html", "page", "raw_html"),
    "title": ("title", "headline"),
    "published": ("published", "date", "pubDate", "published_at", "datetime"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename"),
    "author": ("author", "byline"),
}


def iter_jsonl(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawArticle | InputError]:
    """The articles of a JSON Lines file in order, an InputError (``FILE:LINE: reason``) for each bad
    line; blank lines are skipped. A file that cannot be read at all is one InputError for the file."""
    p = Path(path)
    if not p.exists():
        yield InputError(path, "no such file or folder")
        return
    opener = gzip.open if path.lower().endswith(".gz") else open
    n = 0
    try:
        with opener(p, "rb") as fh:
            for n, line in enumerate(fh, 1):  # noqa: B007 - n is the line number after the loop too
                if not line.strip():
                    continue
                where = f"{path}:{n}"
                if len(line) > max_bytes:
                    yield InputError(where, f"line is {len(line) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (--max-bytes)")
                    continue
                try:
                    yield record_to_raw(parse_line(line, where), where)
                except InputError as exc:
                    yield exc
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(f"{path}:{n + 1}" if n else path, f"cannot read further: {getattr(exc, 'strerror', None) or exc}")


def parse_line(line: bytes, where: str) -> dict[str, Any]:
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 (byte {exc.start})") from None
    try:
        rec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InputError(where, "not JSON: nested too deeply") from None
    if not isinstance(rec, dict):
        raise InputError(where, f"a JSON {type(rec).__name__}, not an object with a text field")
    return rec


def _field(rec: dict[str, Any], name: str, where: str) -> str | None:
    for k in FIELDS[name]:
        v = rec.get(k)
        if v is None or v == "":
            continue
        if name in ("text", "html") and not isinstance(v, str):
            raise InputError(where, f"field {k!r} is a JSON {type(v).__name__}, not a string")
        if isinstance(v, dict | list):
            continue  # a structured value (e.g. {"name": ...}) is not a title or an outlet
        return str(v).strip() or None
    return None


def record_to_raw(rec: dict[str, Any], where: str) -> RawArticle:
    """One record (a dict of the fields above) as a RawArticle with its metadata; InputError if it has no article."""
    text = _field(rec, "text", where)
    page = None if text else _field(rec, "html", where)
    if not text and not page:
        raise InputError(where, "no article: the record has no non-empty text or html field")
    meta = {k: _field(rec, k, where) for k in ("title", "url", "outlet", "author")}
    meta["published"] = to_iso_date(_field(rec, "published", where))
    return RawArticle(where, text or page, page is not None, "utf-8", meta["url"],
                      meta={k: v for k, v in meta.items() if v})


def to_iso_date(value: str | None) -> str | None:
    """A record's date as YYYY-MM-DD: ISO dates and datetimes, RFC 2822 (feeds), Arabic and English
    dates as articles write them; None if it is not a date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    from rasd.arabic.dates import parse_date

    found = parse_date(value)[0]
    return found if found and len(found) == 10 else None
