"""A store table as a Parquet file (pyarrow), written in row groups so memory stays flat.

Columns are the fields of ``rasd export --format jsonl``: scalars keep their type (string, int64,
double, bool), lists of names stay lists of strings, and nested objects (a claim's ``source``, a
document's ``source``) are JSON text, as in the CSV export. A column's type is fixed by its first
values; a column with no value in the first 50,000 rows is written as strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from rasd.errors import RasdError

ROW_GROUP = 5_000
TYPE_SCAN = 50_000  # rows read ahead, at most, to find a value for every column


def _untyped(rows: list[dict]) -> bool:
    keys = {k for r in rows for k in r}
    return any(all(r.get(k) is None for r in rows) for k in keys)


def export_parquet(rows: Iterable[dict], out: BinaryIO | None = None) -> int:
    """``rasd export --format parquet``: the table on standard output, which must not be a terminal."""
    import sys

    if out is None:
        if sys.stdout.isatty():
            raise RasdError("parquet is a binary format: redirect standard output to a file (> table.parquet)")
        sys.stdout.flush()
        out = sys.stdout.buffer
    n = write_parquet(rows, out)
    out.flush()
    return n


def write_parquet(rows: Iterable[dict], out: BinaryIO | str, row_group: int = ROW_GROUP) -> int:
    """Write ``rows`` (dicts with the same keys) to ``out``; returns the number of rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    it = iter(rows)
    first = _take(it, row_group)
    while len(first) < TYPE_SCAN and _untyped(first) and (more := _take(it, row_group)):
        first += more  # read on until every column has a value that gives its type
    schema = _schema(first)
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        pending = [first[i:i + row_group] for i in range(0, len(first), row_group)]
        batch = pending.pop(0) if pending else []
        while batch:
            try:
                table = pa.Table.from_pylist([_plain_row(r, schema) for r in batch], schema=schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise RasdError(f"parquet: a value does not fit its column's type: {exc}") from None
            writer.write_table(table)
            n += len(batch)
            batch = pending.pop(0) if pending else _take(it, row_group)
    return n


def _take(it: Iterator[dict], n: int) -> list[dict]:
    out = []
    for r in it:
        out.append(r)
        if len(out) >= n:
            break
    return out


def _nested(v) -> bool:
    return isinstance(v, dict) or (isinstance(v, list | tuple) and any(isinstance(x, dict | list | tuple) for x in v))


def _schema(rows: list[dict]):
    import pyarrow as pa

    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    fields = []
    for k in keys:
        values = [r.get(k) for r in rows if r.get(k) is not None]
        if any(_nested(v) for v in values):
            typ = pa.string()
        elif values and all(isinstance(v, list | tuple) for v in values):
            typ = pa.list_(pa.string())
        elif values and all(isinstance(v, bool) for v in values):
            typ = pa.bool_()
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            typ = pa.int64()
        elif values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            typ = pa.float64()
        else:
            typ = pa.string()
        fields.append(pa.field(k, typ))
    if not fields:  # an empty table still gets a valid file
        fields.append(pa.field("id", pa.string()))
    return pa.schema(fields)


def _plain_row(r: dict, schema) -> dict:
    import pyarrow as pa

    out = {}
    for f in schema:
        v = r.get(f.name)
        if v is None:
            out[f.name] = None
        elif f.type == pa.string():
            out[f.name] = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
        elif pa.types.is_list(f.type):
            out[f.name] = [x if isinstance(x, str) or x is None else json.dumps(x, ensure_ascii=False, default=str) for x in v]
        elif f.type == pa.float64() and isinstance(v, int):
            out[f.name] = float(v)
        else:
            out[f.name] = v
    return out
