import gzip
import json

import pytest

from rasd.errors import InputError
from rasd.pipeline import clean
from rasd.sources.files import iter_paths, read_inputs
from rasd.sources.jsonl import record_to_raw, to_iso_date

TEXT = "قال الرئيس الروسي فلاديمير بوتين إن بلاده ستواصل التعاون مع كوريا الشمالية."


def lines(tmp_path, rows, name="batch.jsonl"):
    p = tmp_path / name
    body = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    if name.endswith(".gz"):
        with gzip.open(p, "wt", encoding="utf-8") as fh:
            fh.write(body)
    else:
        p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["batch.jsonl", "batch.jsonl.gz"])
def test_good_lines_are_articles_and_bad_lines_errors_with_their_line(tmp_path, name):
    p = lines(tmp_path, [
        {"text": TEXT, "title": "عنوان", "date": "Sun, 18 Feb 2018 21:35:43 +0400", "url": "http://x/1", "outlet": "alarabiya"},
        '{"text": "broken',
        "",
        [1, 2],
        {"title": "no text"},
        {"text": 12},
        {"html": f"<html><body><article><p>{TEXT}</p></article></body></html>", "published": "2024-11-05T10:00:00Z"},
    ], name)
    out = list(read_inputs(str(p)))
    assert [type(x).__name__ for x in out] == ["RawArticle", "InputError", "InputError", "InputError", "InputError", "RawArticle"]
    assert [x.where for x in out] == [f"{p}:{n}" for n in (1, 2, 4, 5, 6, 7)]
    assert "not JSON" in out[1].reason and "not an object" in out[2].reason
    assert "no non-empty text" in out[3].reason and "not a string" in out[4].reason
    doc = clean(out[0])
    assert (doc.title, doc.published, doc.source_url, doc.outlet) == ("عنوان", "2018-02-18", "http://x/1", "alarabiya")
    assert doc.text.strip() == TEXT and doc.source_path == f"{p}:1"
    html = clean(out[5])
    assert TEXT in html.text and "<" not in html.text and html.published == "2024-11-05"


def test_a_truncated_gzip_is_one_error_after_the_lines_it_held(tmp_path):
    p = lines(tmp_path, [{"text": TEXT + f" {i}"} for i in range(200)], "batch.jsonl.gz")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    out = list(read_inputs(str(p)))
    assert isinstance(out[-1], InputError) and "cannot read further" in out[-1].reason
    assert all(not isinstance(x, InputError) for x in out[:-1]) and out[:-1]


def test_record_to_raw_is_reusable_and_rejects_records_without_article():
    raw = record_to_raw({"content": TEXT, "headline": "h", "link": "u"}, "table:3")
    assert raw.content == TEXT and raw.url == "u" and raw.meta == {"title": "h", "url": "u"}
    with pytest.raises(InputError, match="table:3: no article"):
        record_to_raw({"text": "   "}, "table:3")


@pytest.mark.parametrize("value,iso", [
    ("2024-11-05", "2024-11-05"), ("2024-11-05T23:10:00+03:00", "2024-11-05"),
    ("Tue, 05 Nov 2024 10:00:00 GMT", "2024-11-05"), ("5 نوفمبر 2024", "2024-11-05"), ("yesterday", None), (None, None),
])
def test_record_dates(value, iso):
    assert to_iso_date(value) == iso


def test_folders_take_batches_and_name_the_files_they_skip(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": TEXT}), encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden").write_text("x")
    skipped = []
    found = list(iter_paths([str(tmp_path)], on_skip=skipped.append))
    assert [p.rsplit("/", 1)[1] for p in found] == ["a.txt", "b.jsonl"]
    assert [p.rsplit("/", 1)[1] for p in skipped] == ["c.pdf"]
