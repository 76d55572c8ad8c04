"""Benchmark of one ``rasd watch --once`` round: N feed items served by a local HTTP server.

    python -m rasd.monitor.bench ../shared/data/ant/ant_v2_1_multisource.jsonl.gz --items 200

Serves the corpus's first N articles as HTML pages listed by four RSS feeds on 127.0.0.1, adds the
feeds to a new SQLite store, runs one round with the CLI's fetcher defaults (except the per-host
delay, 0 here: a real outlet gets the default 1 s between requests) and one saved search, then a
second round (every feed answers 304). Prints JSON: items/s, and where the round's time went —
waiting for the network, cleaning + extraction, storage, alerts.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import html
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = 4


def serve(pages: dict[str, tuple[str, bytes]]) -> tuple[ThreadingHTTPServer, str]:
    """A static site on 127.0.0.1 with ETags (304 to a matching If-None-Match)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            page = pages.get(self.path)
            if page is None:
                body, ctype, code, etag = b"not found", "text/plain", 404, None
            else:
                ctype, body = page
                etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
                code = 304 if self.headers.get("if-none-match") == etag else 200
            self.send_response(code)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", "0" if code == 304 else str(len(body)))
            self.end_headers()
            if code != 304:
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def site_of(records: list[dict], base: str) -> dict[str, tuple[str, bytes]]:
    pages: dict[str, tuple[str, bytes]] = {}
    items: list[list[str]] = [[] for _ in range(FEEDS)]
    for i, r in enumerate(records):
        path = f"/article/{i}.html"
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in r["text"].split("\n") if p.strip())
        title = html.escape(r.get("title") or "")
        pages[path] = ("text/html; charset=utf-8", (
            f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>").encode())
        date = r.get("date") or email.utils.formatdate(usegmt=True)
        items[i % FEEDS].append(f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{html.escape(date)}</pubDate></item>")
    for k, its in enumerate(items):
        pages[f"/feed{k}.rss"] = ("application/rss+xml", (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>feed {k}</title>'
            f"<link>{base}/</link><description>bench</description>{''.join(its)}</channel></rss>").encode())
    return pages


def read_records(path: str, n: int) -> list[dict]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if len((r.get("text") or "").strip()) > 200:
                out.append(r)
            if len(out) >= n:
                break
    return out


def run(corpus: str, items: int = 200, workers: int = 8) -> dict:
    from rasd.monitor.alerts import add_alert
    from rasd.monitor.fetch import Fetcher, Guard
    from rasd.monitor.registry import add_source
    from rasd.monitor.watch import run_round
    from rasd.store import open_store

    records = read_records(corpus, items)
    pages: dict[str, tuple[str, bytes]] = {}
    server, base = serve(pages)
    pages.update(site_of(records, base))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = open_store(str(Path(tmp) / "bench.db"))
        # What a long-running `rasd watch` loads once (a cron `--once` pays it at every start): the
        # knowledge base, the extraction stages, the store and alert modules.
        import rasd.monitor.alerts  # noqa: F401
        import rasd.store.ingest  # noqa: F401
        from rasd.kb.knowledge_base import knowledge_base
        from rasd.pipeline import _stages

        knowledge_base()
        _stages()
        startup = time.perf_counter() - t0
        for k in range(FEEDS):
            add_source(store, f"{base}/feed{k}.rss")
        add_alert(store, "bench", "الحكومة")
        with Fetcher(Guard(allow_private=True), delay=0.0) as fetcher:
            first = run_round(store, fetcher, workers=workers)
            second = run_round(store, fetcher, workers=workers, everything=True)
        store.close()
    server.shutdown()
    server.server_close()
    secs = first.seconds
    return {
        "items": len(records), "stored": first.stored, "fetched": first.fetched, "alerts_fired": first.alerts_fired,
        "round_seconds": round(secs, 2), "items_per_second": round(first.fetched / secs, 1),
        "share": {k: round(getattr(first, f"{k}_seconds") / secs, 3) for k in ("wait", "extract", "store", "alert")},
        "extract_items_per_second": round(first.fetched / max(first.extract_seconds, 1e-9), 1),
        "network_seconds_summed_over_threads": round(first.network_seconds, 2), "workers": workers,
        "startup_seconds": round(startup, 2),
        "second_round": {"seconds": round(second.seconds, 3), "fetched": second.fetched, "stored": second.stored,
                         "not_modified": sum(s.status == "not_modified" for s in second.sources)},
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", nargs="?", default="../shared/data/ant/ant_v2_1_multisource.jsonl.gz")
    p.add_argument("--items", type=int, default=200)
    p.add_argument("--workers", type=int, default=8)
    a = p.parse_args(argv)
    if not Path(a.corpus).exists():
        sys.exit(f"rasd: {a.corpus}: no such corpus (JSON Lines, gzip, with text/title/date fields)")
    print(json.dumps(run(a.corpus, a.items, a.workers), indent=2))


if __name__ == "__main__":
    main()
