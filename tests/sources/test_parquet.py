import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rasd.errors import InputError
from rasd.sources.parquet import Record, iter_parquet

ARTICLE = "قال وزير الدفاع الروسي إن موسكو ستواصل التعاون مع بيونغ يانغ في المجالات كافة."


def _write(path, rows, schema=None):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return str(path)


def test_rows_become_records_with_their_metadata(tmp_path):
    path = _write(tmp_path / "a.parquet", [
        {"text": ARTICLE, "title": "عنوان", "published": "2024-11-05", "url": "https://x.org/1", "outlet": "وكالة"},
        {"text": ARTICLE + " ثانية", "title": None, "published": None, "url": None, "outlet": None},
    ])
    recs = list(iter_parquet(path))
    assert [type(r) for r in recs] == [Record, Record]
    a, b = recs
    assert a.raw.where == f"{path}:1" and a.raw.content == ARTICLE and not a.raw.is_html and a.raw.url == "https://x.org/1"
    assert a.meta == {"title": "عنوان", "published": "2024-11-05", "url": "https://x.org/1", "outlet": "وكالة"}
    assert b.raw.where == f"{path}:2" and b.meta == {}


def test_html_dates_and_timestamps(tmp_path):
    schema = pa.schema([("html", pa.string()), ("date", pa.timestamp("s"))])
    path = _write(tmp_path / "h.parquet", [
        {"html": f"<html><body><article><p>{ARTICLE}</p></article></body></html>", "date": dt.datetime(2024, 3, 1, 12, 30)},
    ], schema)
    (rec,) = iter_parquet(path)
    assert rec.raw.is_html and rec.meta["published"] == "2024-03-01T12:30:00"
    path = _write(tmp_path / "r.parquet", [{"text": ARTICLE, "date": "Sun, 18 Feb 2018 21:35:43 +0400"}])
    (rec,) = iter_parquet(path)
    assert rec.meta["published"] == "2018-02-18T21:35:43+04:00"


def test_bad_rows_are_reported_and_the_others_kept(tmp_path):
    path = _write(tmp_path / "b.parquet", [
        {"text": ARTICLE, "published": "2024-01-02"},
        {"text": "   ", "published": None},
        {"text": ARTICLE, "published": "أمس"},
        {"text": "x" * 50, "published": None},
        {"text": ARTICLE, "published": None},
    ])
    out = list(iter_parquet(path))
    assert [type(r).__name__ for r in out] == ["Record", "InputError", "InputError", "Record", "Record"]
    assert str(out[1]) == f"{path}:2: no text"
    assert str(out[2]).startswith(f"{path}:3: published: not a date")
    big = list(iter_parquet(path, max_bytes=60))
    assert str(big[0]) == f"{path}:1: content is over the 0 MB limit (--max-bytes)"


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(iter_parquet(str(tmp_path / "missing.parquet")))
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(iter_parquet(str(junk)))
    no_text = _write(tmp_path / "n.parquet", [{"title": "t", "body": "b"}])
    with pytest.raises(InputError, match=r"no text or html column \(columns: body, title\)"):
        list(iter_parquet(no_text))


def test_large_files_stream_in_batches(tmp_path, monkeypatch):
    import rasd.sources.parquet as mod

    monkeypatch.setattr(mod, "BATCH_ROWS", 7)
    path = _write(tmp_path / "many.parquet", [{"text": f"{ARTICLE} {i}"} for i in range(30)])
    recs = list(iter_parquet(path))
    assert len(recs) == 30 and recs[-1].raw.where.endswith(":30") and recs[-1].raw.content.endswith(" 29")
