"""A real HTTP server on 127.0.0.1 (a thread running http.server) for the monitor's tests, and the
articles, feeds and sitemaps it serves."""

from __future__ import annotations

import email.utils
import hashlib
import html
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"

# Synthetic articles (no data needed): enough for the core tests to run without ../shared.
SYNTHETIC = [
    ("وصول تعزيزات عسكرية إلى الحدود",
     ["أعلنت وزارة الدفاع الروسية اليوم وصول تعزيزات عسكرية جديدة إلى المنطقة الحدودية مع أوكرانيا.",
      "وقال المتحدث باسم الوزارة إن نحو 3 آلاف جندي انتشروا في المنطقة خلال الأسبوع الماضي.",
      "وأضاف أن القوات ستبقى هناك حتى نهاية المناورات المقررة الشهر المقبل."]),
    ("اجتماع وزراء الخارجية العرب في القاهرة",
     ["عقد وزراء الخارجية العرب اجتماعا طارئا في القاهرة لبحث تطورات الأوضاع في قطاع غزة.",
      "وطالب الوزراء في بيانهم الختامي بوقف فوري لإطلاق النار وإدخال المساعدات الإنسانية.",
      "وأكد الأمين العام لجامعة الدول العربية أن الاجتماع المقبل سيعقد في الرياض."]),
    ("الأمم المتحدة تحذر من أزمة غذاء في اليمن",
     ["حذرت الأمم المتحدة من أن أكثر من 17 مليون شخص في اليمن يواجهون خطر الجوع هذا العام.",
      "وقال برنامج الأغذية العالمي إن تمويل عملياته في البلاد لا يغطي سوى ثلث الاحتياجات.",
      "ودعا البرنامج المانحين إلى زيادة مساهماتهم قبل حلول فصل الشتاء."]),
    ("زلزال بقوة ست درجات يضرب شمال المغرب",
     ["ضرب زلزال بقوة ست درجات على مقياس ريختر مناطق في شمال المغرب فجر اليوم.",
      "وأفادت السلطات المحلية بأن الهزة لم تسفر عن خسائر بشرية حتى الآن.",
      "وشعر السكان بالهزة في مدن طنجة وتطوان والحسيمة."]),
]


def article_html(title: str, paragraphs: list[str], charset: str = "utf-8", meta_charset: bool = True) -> bytes:
    head = f'<meta charset="{charset}">' if meta_charset else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (f"<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head>{head}<title>{html.escape(title)}</title></head>"
            f"<body><nav><a href=\"/\">الرئيسية</a></nav><article><h1>{html.escape(title)}</h1>{body}</article>"
            "<footer>جميع الحقوق محفوظة</footer></body></html>")
    return page.encode(charset)


def shared_articles(limit: int = 8) -> list[tuple[str, list[str]]]:
    """Articles from ../shared/devset (headline, then the body) and ../shared/seeds (first line as
    title); empty when ../shared is absent."""
    out = []
    for f in sorted((SHARED / "devset").glob("[0-9][0-9][0-9].txt"))[: limit // 2]:
        lines = [x.strip() for x in f.read_text(encoding="utf-8").splitlines()]
        body = [x for x in lines[3:] if x]
        if body:
            out.append((lines[0], body))
    for f in sorted((SHARED / "seeds").glob("*.txt"))[: limit - len(out)]:
        lines = [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
        out.append((lines[0], lines[1:]))
    return out


def rfc822(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def rss(items: list[tuple[str, str, float]], title: str = "أخبار") -> bytes:
    """items: (title, link, published epoch)."""
    body = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link><guid>{html.escape(u)}</guid>"
                   f"<pubDate>{rfc822(ts)}</pubDate></item>" for t, u, ts in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>d</description>{body}</channel></rss>").encode()


def atom(items: list[tuple[str, str, float]]) -> bytes:
    def iso(ts):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))

    body = "".join(f'<entry><title>{html.escape(t)}</title><link rel="alternate" href="{html.escape(u)}"/>'
                   f"<id>{html.escape(u)}</id><updated>{iso(ts)}</updated><published>{iso(ts)}</published></entry>"
                   for t, u, ts in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>أخبار</title>'
            f"<id>urn:x</id><updated>2024-11-05T00:00:00Z</updated>{body}</feed>").encode()


def news_sitemap(items: list[tuple[str, str, float]]) -> bytes:
    def iso(ts):
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))

    body = "".join(f"<url><loc>{html.escape(u)}</loc><news:news><news:publication><news:name>X</news:name>"
                   f"<news:language>ar</news:language></news:publication><news:publication_date>{iso(ts)}</news:publication_date>"
                   f"<news:title>{html.escape(t)}</news:title></news:news></url>" for t, u, ts in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>').encode()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Site:
    """Routes: path -> (content type, bytes) served with an ETag and Last-Modified (and 304 to a
    matching conditional GET), or path -> callable(handler) for misbehaving pages."""

    routes: dict = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def add(self, path: str, body: bytes, ctype: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = (ctype, body)
        return self.url(path)


def make_handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _route(self, method: str) -> None:
            n = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(n) if n else b""
            site.requests.append(Seen(method, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            route = site.routes.get(self.path)
            if route is None:
                return self.send(404, "text/plain", b"not found")
            if callable(route):
                return route(self)
            ctype, content = route
            etag = '"' + hashlib.md5(content).hexdigest() + '"'
            modified = "Tue, 05 Nov 2024 10:00:00 GMT"
            if self.headers.get("if-none-match") == etag or (
                    not self.headers.get("if-none-match") and self.headers.get("if-modified-since") == modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send(200, ctype, content, {"ETag": etag, "Last-Modified": modified})

        def do_GET(self):  # noqa: N802
            self._route("GET")

        def do_POST(self):  # noqa: N802
            self._route("POST")

        def send(self, status: int, ctype: str, content: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(content)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up early (a watcher done with a 304, a timeout test) is not an error to print:
    the traceback would land in the output of the in-process CLI under test."""

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def start(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = QuietServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


# -- misbehaving routes ---------------------------------------------------------------------------

def slow(seconds: float):
    def route(h):
        time.sleep(seconds)
        h.send(200, "text/html; charset=utf-8", article_html("بطيء", ["نص بطيء جدا لا يصل في الوقت."]))
    return route


def status(code: int, headers: dict | None = None):
    def route(h):
        h.send(code, "text/plain", b"error", headers)
    return route


def redirect(location: str, code: int = 302):
    def route(h):
        h.send(code, "text/plain", b"", {"Location": location})
    return route


def endless(chunk: bytes = b"<p>" + "كلام ".encode() * 2000 + b"</p>", max_seconds: float = 30.0):
    """A body with no Content-Length that never ends (until the client hangs up)."""
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        t0 = time.monotonic()
        try:
            h.wfile.write(b"<html><body>")
            while time.monotonic() - t0 < max_seconds:
                h.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        h.close_connection = True
    return route


def big(size: int, declare: bool):
    """A page of ``size`` bytes, with or without a Content-Length."""
    def route(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Connection", "close")
        h.end_headers()
        block = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < size:
                part = block[: size - sent]
                h.wfile.write(part)
                sent += len(part)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        h.close_connection = True
    return route


def echo_json(h):
    h.send(200, "application/json", json.dumps({"ok": True}).encode())
