"""The dashboard's two settings: the language of its chrome (Arabic, right to left, or English, left to
right) and its digits (Western 0-9 or Arabic-Indic ٠-٩), each from ``?lang=`` / ``?digits=`` (which
also set a cookie, so the choice holds on every page) or the cookie, else the default.

Every label, heading and message the pages show comes from one catalogue, ``messages.tsv`` beside
this file (key, Arabic, English; ``{name}`` marks a value filled in, escaped). Digits apply to the
numbers and dates the dashboard formats (counts, figures, days); text quoted from articles is shown
as its outlet wrote it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

CATALOGUE = Path(__file__).parent / "messages.tsv"
LANGS = {"ar": "rtl", "en": "ltr"}
DIGITS = ("western", "arabic")
COOKIE = {"lang": "rasd_lang", "digits": "rasd_digits"}
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """``{key: {"ar": ..., "en": ...}}`` from messages.tsv (a key missing a language is an error, not a blank)."""
    out: dict[str, dict[str, str]] = {}
    for n, line in enumerate(CATALOGUE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or not all(c.strip() for c in cols) or cols[0] in out:
            raise ValueError(f"{CATALOGUE.name}:{n}: want a new key, its Arabic and its English, tab-separated")
        out[cols[0]] = {"ar": cols[1], "en": cols[2]}
    return out


def message(key: str, lang: str, **values) -> Markup:
    """The catalogue's text for ``key`` in ``lang``, with ``values`` escaped into its ``{name}`` slots."""
    text = catalogue()[key][lang]
    return Markup(text).format(**values) if values else Markup(text)


def digits(text: str, style: str) -> str:
    return text.translate(_ARABIC_INDIC) if style == "arabic" else text


@dataclass(frozen=True)
class Settings:
    lang: str = "ar"
    digits: str = "western"

    @property
    def dir(self) -> str:
        return LANGS[self.lang]


def from_request(query: dict, cookies: dict) -> tuple[Settings, dict[str, str]]:
    """The settings for a request, and the cookies to set (the ones its query string chose). An
    unknown value is ignored: the page shows in the setting already in force."""
    chosen, given = {}, {}
    for name, allowed in (("lang", tuple(LANGS)), ("digits", DIGITS)):
        asked = query.get(name)
        if asked in allowed:
            chosen[name] = given[COOKIE[name]] = asked
        elif cookies.get(COOKIE[name]) in allowed:
            chosen[name] = cookies[COOKIE[name]]
    return Settings(**chosen), given
