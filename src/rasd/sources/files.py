"""Read article files and folders, detecting the encoding real Arabic sites use."""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from rasd import resources
from rasd.errors import InputError
from rasd.sources.article import DEFAULT_MAX_BYTES, JSONL_SUFFIXES, RawArticle, is_jsonl

__all__ = [
    "ARTICLE_SUFFIXES", "DEFAULT_MAX_BYTES", "JSONL_SUFFIXES", "RawArticle", "decode_article", "decode_bytes",
    "is_jsonl", "iter_paths", "read_input", "read_inputs",
]

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".shtml", ".md", ""}
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|div|p|meta)[\s>/]", re.I)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A]+")


def iter_paths(inputs: list[str], on_skip: Callable[[str], None] | None = None) -> Iterator[str]:
    """Expand folders recursively (sorted, hidden files skipped); keep '-' and files as given.
    A file in a folder whose suffix is neither an article's nor a batch's is passed to ``on_skip``."""
    for item in inputs:
        if item == "-":
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    f = Path(root) / name
                    if name.startswith("."):
                        continue
                    if f.suffix.lower() in ARTICLE_SUFFIXES or is_jsonl(name):
                        yield str(f)
                    elif on_skip is not None:
                        on_skip(str(f))
        else:
            yield item


def read_input(where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> RawArticle:
    """Read one path (or '-') into a RawArticle; raises InputError with a one-line reason."""
    if where == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        p = Path(where)
        if not p.exists():
            raise InputError(where, "no such file or folder")
        if not p.is_file():
            raise InputError(where, "not a regular file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(where, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (--max-bytes)")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(where, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(where, f"input is over the {max_bytes / 1e6:.0f} MB limit (--max-bytes)")
    return decode_article(where, data)


def read_inputs(where: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawArticle | InputError]:
    """The articles one input holds: one for an article file, one per line for JSON Lines (.jsonl,
    .jsonl.gz); an InputError (not raised) for each one that cannot be read."""
    if is_jsonl(where):
        from rasd.sources.jsonl import iter_jsonl

        yield from iter_jsonl(where, max_bytes)
        return
    try:
        yield read_input(where, max_bytes)
    except InputError as exc:
        yield exc


def decode_article(where: str, data: bytes, url: str | None = None) -> RawArticle:
    if not data.strip():
        raise InputError(where, "empty input")
    text, encoding = decode_bytes(where, data)
    is_html = bool(_HTML_SNIFF.search(data[:4096])) or where.lower().endswith((".html", ".htm", ".xhtml", ".shtml"))
    if not is_html and _HTML_SNIFF.search(text[:4096].encode("utf-8", "ignore")):
        is_html = True
    return RawArticle(where, text, is_html, encoding, url)


def decode_bytes(where: str, data: bytes) -> tuple[str, str]:
    """Decode article bytes: BOMs, then UTF-8, then the Arabic code pages, then detection."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(where, data, enc), enc
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(where, data, utf16), utf16
    if _looks_binary(data):
        raise InputError(where, "binary file, not text or HTML")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    candidates = [declared.group(1).decode("ascii", "ignore").lower()] if declared else []
    candidates += ["cp1256", "iso-8859-6"]
    best: tuple[float, str, str] | None = None
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _arabic_score(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best and best[0] > 0.2 and _plausible_arabic(best[1]):
        return best[1], best[2]
    from charset_normalizer import from_bytes  # only for inputs no declared or usual encoding fits

    guess = from_bytes(data).best()
    if guess is None or guess.chaos > 0.25 or (_arabic_score(str(guess)) > 0.2 and not _plausible_arabic(str(guess))):
        raise InputError(where, "unknown text encoding (tried UTF-8, UTF-16, Windows-1256, ISO-8859-6 and detection)")
    return str(guess), guess.encoding


def _strict(where: str, data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(where, f"invalid {enc} at byte {exc.start}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 8:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) / 2)
    odd_zero = sample[1::2].count(0) / (len(sample) / 2)
    # Arabic in UTF-16 has 0x06 as the high byte; ASCII has 0x00.
    even_06 = sample[0::2].count(6) / (len(sample) / 2)
    odd_06 = sample[1::2].count(6) / (len(sample) / 2)
    if odd_zero + odd_06 > 0.6 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero + even_06 > 0.6 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control / len(sample) > 0.05


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(w for w, *_ in resources.read_tsv("function_words.tsv", 1))


def _plausible_arabic(text: str) -> bool:
    """Arabic prose is dense in function words; the same bytes decoded with a wrong code page are not."""
    words = _ARABIC_WORD.findall(text[:20000])
    if len(words) < 8:
        return True  # too short to tell
    common = _function_words()
    return sum(1 for w in words if w in common) / len(words) >= 0.03


def _arabic_score(text: str) -> float:
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _ARABIC.match(c)) / len(letters)
