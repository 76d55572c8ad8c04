"""Articles from a Parquet archive: one record per row, read in batches (memory stays flat).

A row gives the article as ``text`` (plain text) or ``html`` (a saved page; ``content`` is taken as
text), and may give ``title``, ``published`` (or ``date``; a string, date or timestamp), ``url`` and
``outlet`` (a ``source`` column holding ``{"path", "url"}``, as ``rasd export --format parquet``
writes it, gives the url), which take precedence over what cleaning recovers from the text. Each row is reported
as ``FILE:ROW`` (rows counted from 1), so a bad row gets one line ``rasd: FILE:ROW: reason`` and the
others still go through.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from rasd.errors import InputError
from rasd.sources.article import DEFAULT_MAX_BYTES, RawArticle

SUFFIXES = (".parquet", ".pq")
TEXT_COLUMNS = ("text", "content")
META_COLUMNS = {"title": ("title",), "published": ("published", "date"), "url": ("url", "link"), "outlet": ("outlet",)}
# `rasd export --what documents --format parquet` keeps path and url in one JSON column
SOURCE_COLUMN = "source"
BATCH_ROWS = 1024


@dataclass(frozen=True, slots=True)
class Record:
    """One article of an archive: its decoded content and the metadata the archive gives."""

    raw: RawArticle
    meta: dict[str, str] = field(default_factory=dict)


def is_parquet(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def iter_parquet(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Record | InputError]:
    """Yield a Record per good row and an InputError per bad one; a file that is not a readable
    Parquet archive with a text or html column raises InputError."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except FileNotFoundError:
        raise InputError(path, "no such file or folder") from None
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) for non-Parquet bytes
        raise InputError(path, f"not a readable Parquet file: {_first_line(exc)}") from None
    names = set(pf.schema_arrow.names)
    text_col = next((c for c in TEXT_COLUMNS if c in names), None)
    html_col = "html" if "html" in names else None
    if not text_col and not html_col:
        raise InputError(path, f"no text or html column (columns: {', '.join(sorted(names)) or 'none'})")
    meta_cols = {key: next((c for c in cols if c in names), None) for key, cols in META_COLUMNS.items()}
    source_col = SOURCE_COLUMN if SOURCE_COLUMN in names and not meta_cols["url"] else None
    wanted = [c for c in (text_col, html_col, *meta_cols.values(), source_col) if c]
    row = 0
    try:
        batches = pf.iter_batches(batch_size=BATCH_ROWS, columns=wanted)
        for batch in batches:
            cols = {c: batch.column(c).to_pylist() for c in wanted}
            for i in range(batch.num_rows):
                row += 1
                values = {c: v[i] for c, v in cols.items()}
                if source_col:
                    values["url"] = _source_url(values.get(source_col))
                    meta_cols = {**meta_cols, "url": "url"}
                yield _record(f"{path}:{row}", values, text_col, html_col, meta_cols, max_bytes)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}:{row + 1}", f"cannot read the rest of the file: {_first_line(exc)}") from None


def _record(where: str, values: dict, text_col: str | None, html_col: str | None, meta_cols: dict,
            max_bytes: int) -> Record | InputError:
    html = values.get(html_col) if html_col else None
    text = values.get(text_col) if text_col else None
    content, is_html = (html, True) if _filled(html) else (text, False)
    if not _filled(content):
        return InputError(where, "no text" + (" or html" if html_col else ""))
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            return InputError(where, "content is not UTF-8")
    if not isinstance(content, str):
        return InputError(where, f"content is a {type(content).__name__}, not text")
    if len(content.encode("utf-8")) > max_bytes:
        return InputError(where, f"content is over the {max_bytes / 1e6:.0f} MB limit (--max-bytes)")
    meta = {}
    for key, col in meta_cols.items():
        value = _text(values.get(col)) if col else None
        if value:
            meta[key] = value
    if "published" in meta:
        iso = _iso_date(meta["published"])
        if iso is None:
            return InputError(where, f"published: not a date: {meta['published']!r} (ISO 8601 or RFC 2822)")
        meta["published"] = iso
    return Record(RawArticle(where, content, is_html, "utf-8", meta.get("url")), meta)


def _source_url(v) -> str | None:
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            return None
    return v.get("url") if isinstance(v, dict) else None


def _filled(v) -> bool:
    return v is not None and (not isinstance(v, str | bytes) or bool(v.strip()))


def _text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="seconds") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    v = str(v).strip()
    return v or None


def _iso_date(value: str) -> str | None:
    """An ISO 8601 date or datetime as given, or an RFC 2822 one (feeds, mail: "Sun, 18 Feb 2018
    21:35:43 +0400") as ISO 8601; None for anything else."""
    try:
        dt.date.fromisoformat(value[:10])
        return value
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return _text(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
