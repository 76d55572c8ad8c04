"""Command-line inputs as a stream of items: each file, each row of a Parquet archive, or an error.

Reading (and decoding) happens where this runs, the client; cleaning and extraction happen where the
items are sent (this process, or Dask workers that need no access to the client's files).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rasd.errors import InputError
from rasd.sources.files import DEFAULT_MAX_BYTES, RawArticle, read_inputs
from rasd.sources.parquet import Record, is_parquet, iter_parquet


@dataclass(frozen=True, slots=True)
class Item:
    """One input: a decoded article with its source's metadata, or the reason it could not be read."""

    where: str
    raw: RawArticle | None = None
    meta: dict[str, str] = field(default_factory=dict)
    error: InputError | None = None


def iter_items(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Read paths (already expanded by ``iter_paths``) in order; a Parquet file gives one item per row,
    a JSON Lines file one per line."""
    for where in paths:
        if where != "-" and is_parquet(where):
            try:
                for rec in iter_parquet(where, max_bytes):
                    yield _from_record(rec)
            except InputError as exc:
                yield Item(exc.where, error=exc)
            continue
        for raw in read_inputs(where, max_bytes):  # one article, or one per line of JSON Lines
            if isinstance(raw, InputError):
                yield Item(raw.where, error=raw)
            else:
                yield Item(raw.where, raw)


def _from_record(rec: Record | InputError) -> Item:
    if isinstance(rec, InputError):
        return Item(rec.where, error=rec)
    return Item(rec.raw.where, rec.raw, rec.meta)
