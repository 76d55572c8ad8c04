import codecs

import pytest

from rasd.errors import InputError
from rasd.sources.files import decode_article, iter_paths, read_input

ARTICLE = "قال الرئيس الروسي إن التعاون مع كوريا الشمالية سيستمر في جميع المجالات العسكرية والاقتصادية."


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        ARTICLE.encode("cp1256"),
        ARTICLE.encode("iso-8859-6"),
        ARTICLE.encode("utf-16"),
        ARTICLE.encode("utf-16-le"),
        ARTICLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "cp1256", "iso-8859-6", "utf16-bom", "utf16le", "utf16be"],
)
def test_encodings_decode_to_the_same_text(data):
    assert decode_article("x.txt", data).content.strip() == ARTICLE


def test_declared_charset_in_html_is_used():
    page = f'<html><head><meta charset="windows-1256"></head><body><p>{ARTICLE}</p></body></html>'
    raw = decode_article("page.html", page.encode("cp1256"))
    assert raw.is_html and ARTICLE in raw.content


@pytest.mark.parametrize(
    "data,reason",
    [(b"", "empty"), (b"   \n ", "empty"), (bytes(range(256)) * 10, "binary")],
)
def test_bad_bytes_give_a_reason(data, reason):
    with pytest.raises(InputError, match=reason):
        decode_article("bad.bin", data)


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_input(str(tmp_path / "nope.txt"))
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="limit"):
        read_input(str(big), max_bytes=1000)


def test_folders_are_walked_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.html").write_text("x")
    (tmp_path / "1.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "image.png").write_bytes(b"x")
    assert [p.split("/")[-1] for p in iter_paths([str(tmp_path)])] == ["1.txt", "2.html"]


def test_noise_is_an_encoding_error_not_arabic_garbage():
    data = bytes((i * 7919) % 200 + 55 for i in range(3000))  # decodes in cp1256, but is no language
    with pytest.raises(InputError, match="unknown text encoding"):
        decode_article("odd.txt", data)


def test_a_non_arabic_code_page_is_not_mistaken_for_windows_1256():
    text = "Президент России заявил, что сотрудничество продолжится."
    assert decode_article("ru.txt", (text * 10).encode("koi8-r")).content.startswith(text)


def test_other_languages_in_their_own_encoding_still_decode():
    text = "Le président russe a déclaré que la coopération continuera à Moscou et à Pyongyang. " * 5
    assert decode_article("fr.txt", text.encode("latin-1")).content.startswith("Le président")
