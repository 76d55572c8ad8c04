"""What every reader of articles yields: the decoded article before cleaning, and the limits and
suffixes the readers share. Its own module so that the file, JSON Lines and Parquet readers import it
without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An input decoded to text, before cleaning."""

    where: str  # path, or '-' for standard input
    content: str
    is_html: bool
    encoding: str
    url: str | None = None
    meta: dict | None = None  # title, published, url, outlet, author given beside the text (a JSON Lines record)


# JSON Lines batches: one article per line (sources/jsonl.py).
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".json.gz")


def is_jsonl(path: str) -> bool:
    return path != "-" and path.lower().endswith(JSONL_SUFFIXES)
