"""Benchmark of the HTTP API: drives a running ``rasd serve`` over real HTTP on the loopback
interface and prints p50/p95/p99 latency and requests/s for search, lists and document pages.

    python -m rasd.serve.bench --url http://127.0.0.1:8000 --requests 1500 --concurrency 4
    python -m rasd.serve.bench --db /tmp/rasd-bench-100k.db      # starts `rasd serve` on a free port

The request count is bounded (``--requests``) and only loopback addresses are accepted. Search
queries are the Arabic names of the store's most-mentioned entities (so no words live in code);
lists are the first page and a followed cursor page of each listing; document pages are the
documents the listings returned.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


def _loopback(url: str) -> tuple[str, int]:
    u = urllib.parse.urlsplit(url)
    host, port = u.hostname or "", u.port or 80
    try:
        addrs = {ipaddress.ip_address(a[4][0]) for a in socket.getaddrinfo(host, port)}
    except (socket.gaierror, ValueError):
        raise SystemExit(f"rasd: cannot resolve {host!r}") from None
    if not addrs or not all(a.is_loopback for a in addrs):
        raise SystemExit(f"rasd: the API benchmark only drives a server on this machine (loopback), not {host}")
    return host, port


class Client:
    """One keep-alive connection per thread."""

    def __init__(self, host: str, port: int):
        self.host, self.port, self.local = host, port, threading.local()

    def get(self, path: str) -> tuple[int, bytes, float]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            self.local.conn = None
            raise
        return r.status, body, time.perf_counter() - t0


def _q(path: str, **params) -> str:
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def plan(client: Client, n: int, seed: int = 1) -> list[tuple[str, str]]:
    """(group, path) requests: a third each of search, lists and document pages."""
    status, body, _ = client.get(_q("/api/v1/entities", limit=60))
    if status != 200:
        raise SystemExit(f"rasd: {status} from the server: {body[:200]!r}")
    terms = [e["name_ar"] for e in json.loads(body)["items"] if e.get("name_ar")][:60]
    docs = [d["id"] for d in json.loads(client.get(_q("/api/v1/documents", limit=1000))[1])["items"]]
    lists = []
    for name, limit in (("documents", 100), ("claims", 100), ("events", 100), ("incidents", 100), ("stories", 50),
                        ("entities", 100)):
        first = _q(f"/api/v1/{name}", limit=limit)
        lists.append(first)
        nxt = json.loads(client.get(first)[1]).get("next_cursor")
        if nxt:
            lists.append(_q(f"/api/v1/{name}", limit=limit, cursor=nxt))
    if not terms or not docs:
        raise SystemExit("rasd: the store is empty: ingest articles before benchmarking the API")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = ("search", "lists", "document")[i % 3]
        if kind == "search":
            out.append((kind, _q("/api/v1/search", q=rng.choice(terms), limit=20)))
        elif kind == "lists":
            out.append((kind, rng.choice(lists)))
        else:
            out.append((kind, f"/api/v1/documents/{rng.choice(docs)}"))
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))] * 1000


def run(url: str, requests: int = 1500, concurrency: int = 4) -> dict:
    host, port = _loopback(url)
    client = Client(host, port)
    reqs = plan(client, requests)
    for _, path in reqs[:30]:  # warm caches
        client.get(path)
    times: dict[str, list[float]] = {"search": [], "lists": [], "document": []}
    errors = 0

    def one(item):
        kind, path = item
        status, _, secs = client.get(path)
        return kind, status, secs

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for kind, status, secs in pool.map(one, reqs):
            if status != 200:
                errors += 1
            times[kind].append(secs)
    wall = time.perf_counter() - t0
    every = [x for v in times.values() for x in v]
    summary = lambda xs: {"requests": len(xs), "p50_ms": round(_pct(xs, 50), 1), "p95_ms": round(_pct(xs, 95), 1),  # noqa: E731
                          "p99_ms": round(_pct(xs, 99), 1)}
    return {"url": url, "concurrency": concurrency, "requests": len(every), "errors": errors, "seconds": round(wall, 2),
            "requests_per_s": round(len(every) / wall, 1), "all": summary(every), **{k: summary(v) for k, v in times.items()}}


def _serve(db: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "rasd", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"rasd: rasd serve --db {db} exited with {proc.returncode}") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("rasd: rasd serve did not start within a minute")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m rasd.serve.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running rasd serve on this machine, e.g. http://127.0.0.1:8000")
    ap.add_argument("--db", help="Start rasd serve on this store (on a free loopback port) and drive it")
    ap.add_argument("--requests", type=int, default=1500, help="Requests to time (at most 20,000)")
    ap.add_argument("--concurrency", type=int, default=4, help="Client threads (each with a keep-alive connection)")
    a = ap.parse_args(argv)
    if bool(a.url) == bool(a.db):
        ap.error("give --url or --db")
    if not 1 <= a.requests <= 20_000:
        ap.error("--requests must be between 1 and 20,000")
    with serving(a.url, a.db) as url:
        print(json.dumps(run(url, a.requests, a.concurrency), indent=2))


@contextmanager
def serving(url: str | None, db: str | None) -> Iterator[str]:
    """The address to drive: ``url`` as given, or a rasd serve started on ``db`` for the block's length."""
    if not db:
        yield url
        return
    proc, started = _serve(db)
    try:
        yield started
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
