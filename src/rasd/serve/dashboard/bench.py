"""Benchmark of the dashboard's pages: drives a running ``rasd serve`` over HTTP on loopback and prints,
for every page, the server's own time (its ``Server-Timing`` header: routing, queries and rendering,
without the network) on the first request and p50/p95/max over ``--rounds`` more.

    rasd bench dashboard --db /tmp/rasd-bench-100k.db --rounds 20
    rasd bench dashboard --url http://127.0.0.1:8000

With --db it starts ``rasd serve`` (which begins computing the whole-store aggregates, such as the
disagreements, in the background), times the overview at once (``overview_at_start``), waits for the
aggregates (``aggregates_ready_s``), then times the pages. The pages are chosen from the store itself:
search for its most-mentioned entities' Arabic names, the profile of the most-mentioned entity, the
busiest place on the map, a figure's subject and unit, articles from the first listing page; and the search
ranking every match (``rank=all``) and the profile of the most reported entity that ``rasd serve`` does not
compute as it starts (the 21st)."""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import urllib.parse

from rasd.serve.bench import Client, _loopback, _q, serving

BUDGET_MS = 300.0
WARM_PROFILES = 20  # rasd.store.query.WARM_PROFILES (not imported: the benchmark may drive another build)


def _server_ms(client: Client, path: str) -> tuple[int, float, bytes]:
    conn = getattr(client.local, "conn", None)
    if conn is None:
        import http.client

        conn = client.local.conn = http.client.HTTPConnection(client.host, client.port, timeout=600)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    timing = r.getheader("Server-Timing") or ""
    m = re.search(r"dur=([\d.]+)", timing)
    return r.status, float(m.group(1)) if m else float("nan"), body


def pages(client: Client) -> list[tuple[str, str]]:
    """(name, path) of the pages to time, picked from what the store holds."""
    def api(path):
        status, body, _ = client.get(path)
        if status != 200:
            raise SystemExit(f"rasd: {status} from the server for {path}: {body[:200]!r}")
        return json.loads(body)

    ents = [e for e in api(_q("/api/v1/entities", limit=40))["items"] if e.get("name_ar")]
    every = api(_q("/api/v1/entities", limit=WARM_PROFILES + 1))["items"]
    docs = [d["id"] for d in api(_q("/api/v1/documents", limit=5))["items"]]
    claims = api(_q("/api/v1/claims", limit=1))["items"]
    events = api(_q("/api/v1/events", limit=1))["items"]
    if not ents or not docs:
        raise SystemExit("rasd: the store is empty: ingest articles before benchmarking the dashboard")
    _, _, mapped = _server_ms(client, "/map")
    place = re.search(rb'data-place="([^"]+)"', mapped)
    out = [("overview", "/"), ("overview (English, Arabic digits)", _q("/", lang="en", digits="arabic"))]
    out += [(f"search {i + 1}", _q("/search", q=e["name_ar"])) for i, e in enumerate(ents[:3])]
    out += [("search with facets", _q("/search", q=ents[0]["name_ar"], entity=ents[1]["id"] if len(ents) > 1 else ents[0]["id"]))]
    out += [("search 1, every match ranked", _q("/search", q=ents[0]["name_ar"], rank="all"))]
    out += [("timeline", "/timeline")]
    if events and events[0].get("type"):
        out += [("timeline by type", _q("/timeline", type=events[0]["type"]))]
        day = ((events[0].get("date") or {}).get("value") or events[0]["source_document"].get("published") or "")[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            out += [("timeline day", _q("/timeline", day=day))]
    out += [("map", "/map"), ("map, whole world", _q("/map", view="world"))]
    if place:
        out += [("map place", _q("/map", place=place.group(1).decode()))]
    out += [("claims", "/claims")]
    if claims and claims[0].get("subject"):
        out += [("claims subject+unit", _q("/claims", subject=claims[0]["subject"], unit=claims[0]["unit"]))]
    out += [("disagreements", "/disagreements"), ("disagreements figures", _q("/disagreements", kind="figures")),
            ("entities", "/entities"), ("entity", f"/entities/{urllib.parse.quote(ents[0]['id'])}")]
    if len(every) > WARM_PROFILES:  # the most reported entity whose profile rasd serve does not compute as it starts
        out += [(f"entity {WARM_PROFILES + 1}", f"/entities/{urllib.parse.quote(every[WARM_PROFILES]['id'])}")]
    out += [(f"article {i + 1}", f"/documents/{d}") for i, d in enumerate(docs[:3])]
    return out


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]


def run(url: str, rounds: int = 20, wait_ready: float = 1800.0) -> dict:
    host, port = _loopback(url)
    client = Client(host, port)
    out: dict = {"url": url, "rounds": rounds, "budget_ms": BUDGET_MS}
    status, ms, _ = _server_ms(client, "/")
    out["overview_at_start"] = {"status": status, "server_ms": round(ms, 1)}
    t0 = time.perf_counter()
    while True:  # the background aggregates: until /disagreements is no longer "being computed"
        status, _, body = _server_ms(client, "/disagreements")
        if b'class="hint pending"' not in body or time.perf_counter() - t0 > wait_ready:
            break
        time.sleep(1)
    out["aggregates_ready"] = b'class="hint pending"' not in body
    out["aggregates_waited_s"] = round(time.perf_counter() - t0, 1)
    pending = set()
    rows, errors = {}, 0
    for name, path in pages(client):
        status, first, body = _server_ms(client, path)
        if b'class="hint pending"' in body:
            pending.add(name)
        times = []
        for _ in range(rounds):
            s, ms, _ = _server_ms(client, path)
            errors += s != 200
            times.append(ms)
        errors += status != 200
        rows[name] = {"path": path, "status": status, "first_ms": round(first, 1),
                      "p50_ms": round(statistics.median(times), 1), "p95_ms": round(_pct(times, 95), 1),
                      "max_ms": round(max(times), 1)}
    out["errors"] = errors
    out["pages_showing_pending"] = sorted(pending)
    out["pages"] = rows
    worst = max(max(r["first_ms"], r["p95_ms"]) for r in rows.values())
    out["slowest_ms"] = worst
    out["within_budget"] = worst < BUDGET_MS
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="rasd bench dashboard", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running rasd serve on this machine, e.g. http://127.0.0.1:8000")
    ap.add_argument("--db", help="Start rasd serve on this store (on a free loopback port) and drive it")
    ap.add_argument("--rounds", type=int, default=20, help="Timed requests per page after the first (1-200)")
    ap.add_argument("--wait", type=float, default=1800.0,
                    help="Seconds to wait for the background aggregates before timing (then time the pages anyway)")
    a = ap.parse_args(argv)
    if bool(a.url) == bool(a.db):
        ap.error("give --url or --db")
    if not 1 <= a.rounds <= 200:
        ap.error("--rounds must be between 1 and 200")
    with serving(a.url, a.db) as url:
        print(json.dumps(run(url, a.rounds, a.wait), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
