"""Safe rendering: the Jinja2 environment (autoescape on) and the filters that turn untrusted store text
into HTML — bidi isolation, http(s)-only links, search snippets and offset highlights."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape

HERE = Path(__file__).parent

# Embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls: they can reorder what an
# analyst reads (an outlet name that displays reversed); <bdi> does the isolating instead.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY"}


def clean(value) -> str:
    """A stored value as display text: bidi controls removed (None -> "")."""
    return "" if value is None else _BIDI.sub("", str(value))


def bdi(value) -> Markup:
    """Untrusted text, escaped, without bidi controls, isolated in <bdi>."""
    return Markup("<bdi>%s</bdi>") % clean(value)


def http_url(value) -> str | None:
    """The URL if it is http:// or https:// (else None: no javascript:, data: or relative links)."""
    url = clean(value).strip()
    if re.match(r"https?://[^\s]", url, re.IGNORECASE) and not re.search(r"[\x00-\x20\x7f]", url):
        return url
    return None


def num(value) -> str:
    """A figure as an analyst writes it: 10000, 2.5, 1e+06 -> 1000000; None -> "—"."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def snippet(value) -> Markup:
    """A search snippet, whose matched words the search layer wraps in [ ], as escaped HTML with <mark>."""
    out, text, pos = [], clean(value), 0
    for m in re.finditer(r"\[([^\[\]]+)\]", text):
        out.append(escape(text[pos:m.start()]))
        out.append(Markup("<mark>%s</mark>") % m.group(1))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("<bdi>%s</bdi>") % Markup("").join(out)


def highlight(text: str, spans: list[dict]) -> Markup:
    """``text`` as HTML with every span (``start``, ``end``, ``kind``, ``ref``, ``label``) highlighted.

    The text is cut at every span boundary; each piece is escaped on its own and, when spans cover it,
    wrapped in a link to the innermost covering span's record (``#ref``), with the classes of all of them.
    Spans outside the text or empty are ignored."""
    text = text or ""
    n = len(text)
    spans = [s for s in spans if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
             and 0 <= s["start"] < s["end"] <= n]
    cuts = sorted({0, n, *(s["start"] for s in spans), *(s["end"] for s in spans)})
    starting = defaultdict(list)
    for s in spans:
        starting[s["start"]].append(s)
    out, active = [], []  # a sweep over the cuts: the spans covering the current piece
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [s for s in active if s["end"] > a] + starting.get(a, [])
        piece = clean(text[a:b])
        cover = active
        if not cover:
            out.append(escape(piece))
            continue
        inner = min(cover, key=lambda s: (s["end"] - s["start"], s["kind"]))
        kinds = " ".join(sorted({f"hl-{s['kind']}" for s in cover}))
        label = " · ".join(dict.fromkeys(clean(s["label"]) for s in sorted(cover, key=lambda s: s["end"] - s["start"])))
        out.append(Markup('<a class="hl %s" href="#%s" title="%s">%s</a>') % (kinds, inner["ref"], label, piece))
    return Markup("").join(out)


def is_day(value) -> bool:
    """YYYY-MM-DD (a day the timeline can list; month-only or range dates cannot be filtered to)."""
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value or "")))


def count(value, style: str = "western") -> str:
    """A whole number with thousands separators, in the digits chosen (Arabic-Indic with the Arabic separator)."""
    from rasd.serve.dashboard.i18n import digits

    if not isinstance(value, int):
        return digits(clean(value), style)
    text = f"{value:,}"
    return digits(text, style).replace(",", "\u066c") if style == "arabic" else text


# The filters that follow the page's settings (``settings`` in the template context: language, digits).
@pass_context
def _count(ctx, value) -> str:
    return count(value, ctx["settings"].digits)


@pass_context
def _num(ctx, value) -> str:
    from rasd.serve.dashboard.i18n import digits

    text = num(value)
    style = ctx["settings"].digits
    return digits(text, style).replace(",", "\u066c") if style == "arabic" else text


@pass_context
def _date(ctx, value) -> Markup:
    """A date or day the dashboard shows (untrusted: escaped, isolated), in the digits chosen."""
    from rasd.serve.dashboard.i18n import digits

    return Markup("<bdi>%s</bdi>") % digits(clean(value), ctx["settings"].digits)


@pass_context
def _message(ctx, key: str, **values) -> Markup:
    from rasd.serve.dashboard.i18n import message

    return message(key, ctx["settings"].lang, **values)


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True,
                      default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.tests["day"] = is_day
    env.filters.update(t=bdi, http_url=http_url, snippet=snippet, num=_num, n=_count, d=_date)
    env.globals["_"] = _message
    return env
