"""One polling round: fetch every due source, store what is new, then run the saved searches.

Network work runs in a pool of threads (the fetcher keeps its per-host limits across them); cleaning,
extraction and storage run in the calling thread, so the store has one writer. A source that
fails — timeout, HTTP error, garbage, a body that never ends, a redirect loop, a refused address —
is reported and polled again later; it never stops the others. An item whose page fails stays
pending and is retried at the source's next poll (up to ``MAX_ATTEMPTS``), even if the listing
has not changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from rasd.errors import RasdError
from rasd.model import Document
from rasd.monitor.fetch import Fetcher, FetchError, Response, decode_page
from rasd.monitor.registry import due_sources, now_iso, parse_time
from rasd.sources.feeds import FeedItem, Listing, guess_kind, parse_listing
from rasd.store import schema as t
from rasd.store.db import Store

MAX_ATTEMPTS = 5
BATCH = 25  # pages stored per transaction
MAX_CHILD_SITEMAPS = 20
ERROR_RETRY_SECONDS = 300  # a failing source is polled again after min(its interval, this × 2^(errors-1))


@dataclass
class SourceReport:
    id: int
    url: str
    kind: str | None = None
    status: str = "ok"  # ok | not_modified | error
    error: str | None = None
    listed: int = 0  # items the listing gave
    new_items: int = 0  # not seen before (or changed according to the listing)
    fetched: int = 0
    unchanged: int = 0  # 304, or the same text as stored
    stored: int = 0
    item_errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "error":
            return f"source {self.id} {self.url}: failed: {self.error}"
        head = "not modified" if self.status == "not_modified" else f"{self.listed} listed, {self.new_items} new"
        tail = f", {len(self.item_errors)} failed" if self.item_errors else ""
        return f"source {self.id} {self.url}: {head}, {self.fetched} fetched, {self.stored} stored, {self.unchanged} unchanged{tail}"


@dataclass
class RoundReport:
    sources: list[SourceReport] = field(default_factory=list)
    seconds: float = 0.0
    network_seconds: float = 0.0  # summed over fetches (they overlap in threads)
    wait_seconds: float = 0.0  # the round waiting for fetches
    extract_seconds: float = 0.0  # cleaning + extraction
    store_seconds: float = 0.0
    alert_seconds: float = 0.0
    stored_ids: list[str] = field(default_factory=list)
    alerts_fired: int = 0
    alert_errors: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(s.stored for s in self.sources)

    @property
    def fetched(self) -> int:
        return sum(s.fetched for s in self.sources)

    def summary(self) -> str:
        failed = [s for s in self.sources if s.status == "error"]
        item_err = sum(len(s.item_errors) for s in self.sources)
        nm = sum(1 for s in self.sources if s.status == "not_modified")
        return (f"{len(self.sources)} sources polled ({nm} not modified, {len(failed)} failed), "
                f"{sum(s.new_items for s in self.sources)} new items, {self.fetched} pages fetched, "
                f"{self.stored} stored, {sum(s.unchanged for s in self.sources)} unchanged, {item_err} item errors, "
                f"{self.alerts_fired} alerts in {self.seconds:.1f} s")

    def to_json(self) -> dict:
        return {
            "sources": [vars(s) for s in self.sources], "stored": self.stored, "fetched": self.fetched,
            "alerts_fired": self.alerts_fired, "alert_errors": self.alert_errors, "seconds": round(self.seconds, 3),
            "network_seconds": round(self.network_seconds, 3), "wait_seconds": round(self.wait_seconds, 3),
            "extract_seconds": round(self.extract_seconds, 3), "store_seconds": round(self.store_seconds, 3),
            "alert_seconds": round(self.alert_seconds, 3),
        }


@dataclass
class _Fetched:
    """What a worker thread brings back for a listing."""

    response: Response | None = None
    kind: str | None = None
    listing: Listing | None = None
    error: str | None = None


def run_round(store: Store, fetcher: Fetcher, *, now: dt.datetime | None = None, everything: bool = False,
              workers: int = 8, alerts: bool = True, progress: Callable[[str], None] | None = None) -> RoundReport:
    """Poll the due sources (all of them with ``everything``), ingest what is new, run the alerts."""
    say = progress or (lambda _msg: None)
    t_start = time.perf_counter()
    report = RoundReport()
    now = now or dt.datetime.now(dt.UTC)
    sources = _all_sources(store) if everything else due_sources(store, now)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="rasd-fetch") as pool:
        states = _states(store, [s["url"] for s in sources])
        listing_jobs: dict[Future, tuple[dict, SourceReport]] = {}
        page_jobs: dict[Future, tuple[dict, SourceReport, dict]] = {}
        for src in sources:
            rep = SourceReport(src["id"], src["url"], src["kind"])
            report.sources.append(rep)
            if src["kind"] == "page":
                page_jobs.update(_submit_pages(pool, fetcher, store, src, rep, [FeedItem(src["url"])], report))
                continue
            st = states.get(src["url"], {})
            fut = pool.submit(_fetch_listing, fetcher, src, st.get("etag"), st.get("last_modified"))
            listing_jobs[fut] = (src, rep)
        for fut in _completed(listing_jobs, report):
            src, rep = listing_jobs[fut]
            got: _Fetched = fut.result()
            if got.response is not None:
                report.network_seconds += got.response.seconds
            t0 = time.perf_counter()
            items = _after_listing(store, src, rep, got, now)
            report.store_seconds += time.perf_counter() - t0
            if items is None:
                say(rep.line())
                continue
            if rep.kind == "page":  # decided now: the URL is an article, not a listing; its body is here
                done = Future()
                done.set_result(got.response)
                got.response.seconds = 0.0  # counted above
                page_jobs[done] = (src, rep, {"item": FeedItem(src["url"]), "state": {}})
                continue
            page_jobs.update(_submit_pages(pool, fetcher, store, src, rep, items, report))
            if not items:
                _finish_source(store, src, rep, now)
                say(rep.line())
        left = {}
        for _src, rep, _item in page_jobs.values():
            left[rep.id] = left.get(rep.id, 0) + 1
        batch: list[_Ready] = []
        finished: list[tuple[dict, SourceReport]] = []
        for fut in _completed(page_jobs, report):
            src, rep, item = page_jobs[fut]
            ready = _after_page(store, src, rep, item, fut, now, report)
            if ready is not None:
                batch.append(ready)
            left[rep.id] -= 1
            if left[rep.id] == 0:
                finished.append((src, rep))
            if len(batch) >= BATCH or finished:  # a source is reported once its pages are stored
                _flush(store, batch, now, report)
                for src_, rep_ in finished:
                    _finish_source(store, src_, rep_, now)
                    say(rep_.line())
                finished.clear()
        _flush(store, batch, now, report)
    if alerts:
        from rasd.monitor.alerts import run_alerts

        t0 = time.perf_counter()
        fired = run_alerts(store, fetcher, now=now)
        report.alert_seconds = time.perf_counter() - t0
        report.alerts_fired = len(fired.hits)
        report.alert_errors = fired.errors
        for e in fired.errors:
            say(f"alert: {e}")
    report.seconds = time.perf_counter() - t_start
    return report


def _completed(jobs: dict, report: RoundReport):
    """as_completed, counting the time the round spends waiting on the network."""
    it = as_completed(list(jobs))
    while True:
        t0 = time.perf_counter()
        try:
            fut = next(it)
        except StopIteration:
            return
        finally:
            report.wait_seconds += time.perf_counter() - t0
        yield fut


def _all_sources(store: Store) -> list[dict]:
    from rasd.monitor.registry import list_sources

    return list_sources(store)


def _fetch_listing(fetcher: Fetcher, src: dict, etag: str | None, last_modified: str | None) -> _Fetched:
    """In a worker thread: the listing, parsed; a sitemap index's child sitemaps too."""
    try:
        resp = fetcher.get(src["url"], etag=etag, last_modified=last_modified)
        if resp.not_modified:
            return _Fetched(resp)
        kind = src["kind"] or guess_kind(resp.body, resp.content_type)
        if kind == "page":
            return _Fetched(resp, kind)
        listing = parse_listing(kind, resp.body, resp.url)
        if listing.sitemaps:
            items = list(listing.items)
            for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
                sub = fetcher.get(child)
                resp.seconds += sub.seconds
                items += parse_listing("sitemap", sub.body, sub.url).items
            listing = Listing(tuple(items))
        return _Fetched(resp, kind, listing)
    except (RasdError, ValueError) as exc:
        return _Fetched(error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a watcher outlives any one source's surprise
        return _Fetched(error=f"{src['url']}: {type(exc).__name__}: {exc}")


def _states(store: Store, urls: list[str]) -> dict[str, dict]:
    if not urls:
        return {}
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.fetch_state).where(t.fetch_state.c.url.in_(urls))).mappings().all()
    return {r["url"]: dict(r) for r in rows}


def _after_listing(store: Store, src: dict, rep: SourceReport, got: _Fetched, now: dt.datetime) -> list[FeedItem] | None:
    """Record the listing's fetch; return the items to fetch (new, changed, or pending retries), or
    None when the source failed."""
    stamp = now_iso(now)
    with store.engine.begin() as conn:
        if got.error:
            rep.status, rep.error = "error", got.error
            _source_failed(conn, src, got.error, now)
            return None
        if got.kind and got.kind != src["kind"]:
            conn.execute(t.sources.update().where(t.sources.c.id == src["id"]).values(kind=got.kind))
            rep.kind = got.kind
        resp = got.response
        if got.kind == "page":
            return []
        _upsert(conn, src["url"], src["id"], is_listing=True, status="stored" if not resp.not_modified else "unchanged",
                fetched_at=stamp, etag=resp.etag, last_modified=resp.last_modified, first_seen=stamp)
        listed = list(got.listing.items) if got.listing else []
        rep.listed = len(listed)
        if resp.not_modified:
            rep.status = "not_modified"
        known = {r["url"]: r for r in conn.execute(select(t.fetch_state).where(
            t.fetch_state.c.url.in_([i.url for i in listed]))).mappings()} if listed else {}
        todo: dict[str, FeedItem] = {}
        for item in listed:
            st = known.get(item.url)
            if st is None:
                _upsert(conn, item.url, src["id"], is_listing=False, status="pending", first_seen=stamp,
                        title=item.title, published=item.published, stamp=item.stamp)
                todo[item.url] = item
                rep.new_items += 1
            elif st["source_id"] != src["id"]:
                continue  # another watched source brings this article
            elif item.stamp and st["stamp"] and item.stamp != st["stamp"]:
                conn.execute(t.fetch_state.update().where(t.fetch_state.c.url == item.url).values(
                    stamp=item.stamp, title=item.title or st["title"], status="pending", attempts=0))
                todo[item.url] = item
                rep.new_items += 1
        # Items that failed before are retried, whether or not the listing changed.
        for r in conn.execute(select(t.fetch_state).where(
                t.fetch_state.c.source_id == src["id"], t.fetch_state.c.is_listing.is_(False),
                t.fetch_state.c.status.in_(("pending", "error")), t.fetch_state.c.attempts < MAX_ATTEMPTS)).mappings():
            if r["url"] not in todo:
                todo[r["url"]] = FeedItem(r["url"], r["title"], r["published"], r["stamp"])
    return list(todo.values())


def _submit_pages(pool: ThreadPoolExecutor, fetcher: Fetcher, store: Store, src: dict, rep: SourceReport,
                  items: list[FeedItem], report: RoundReport) -> dict:
    states = _states(store, [i.url for i in items])
    jobs = {}
    for item in items:
        st = states.get(item.url, {})
        # Conditional headers only for a page already stored: a pending retry wants the body.
        cond = st.get("status") in ("stored", "unchanged")
        fut = pool.submit(fetcher.get, item.url, etag=st.get("etag") if cond else None,
                          last_modified=st.get("last_modified") if cond else None)
        jobs[fut] = (src, rep, {"item": item, "state": st})
    return jobs


def _after_page(store: Store, src: dict, rep: SourceReport, job: dict, fut: Future, now: dt.datetime,
                report: RoundReport) -> _Ready | None:
    """Clean and extract a fetched page; a failure is recorded at once, a success returned for its batch."""
    from rasd.pipeline import annotate, clean

    item: FeedItem = job["item"]
    st: dict = job["state"]
    stamp = now_iso(now)
    try:
        resp: Response = fut.result()
    except FetchError as exc:
        return _item_failed(store, src, rep, item, st, str(exc), stamp)
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        return _item_failed(store, src, rep, item, st, f"{item.url}: {type(exc).__name__}: {exc}", stamp)
    report.network_seconds += resp.seconds
    rep.fetched += 1
    if resp.not_modified:
        rep.unchanged += 1
        with store.engine.begin() as conn:
            _upsert(conn, item.url, src["id"], is_listing=False, status=st.get("status") or "unchanged",
                    fetched_at=stamp, first_seen=st.get("first_seen") or stamp)
        return
    t0 = time.perf_counter()
    try:
        doc = _with_listing_metadata(clean(decode_page(resp)), item, st, resp.url)
    except RasdError as exc:
        report.extract_seconds += time.perf_counter() - t0
        return _item_failed(store, src, rep, item, st, str(exc), stamp)
    except Exception as exc:  # noqa: BLE001
        report.extract_seconds += time.perf_counter() - t0
        return _item_failed(store, src, rep, item, st, f"{item.url}: {type(exc).__name__}: {exc}", stamp)
    with store.engine.connect() as conn:
        present = conn.execute(select(t.documents.c.id).where(t.documents.c.id == doc.id)).first() is not None
    if not present:
        try:
            doc = annotate(doc)
        except Exception as exc:  # noqa: BLE001
            report.extract_seconds += time.perf_counter() - t0
            return _item_failed(store, src, rep, item, st, f"{item.url}: extraction failed: {type(exc).__name__}: {exc}", stamp)
    report.extract_seconds += time.perf_counter() - t0
    return _Ready(src, rep, item, st, resp, doc, present)


@dataclass
class _Ready:
    """A page cleaned (and, when new, extracted), waiting for its batch to be stored."""

    src: dict
    rep: SourceReport
    item: FeedItem
    st: dict
    resp: Response
    doc: Document
    present: bool


def _flush(store: Store, batch: list[_Ready], now: dt.datetime, report: RoundReport) -> None:
    """Store a batch of pages: their new documents in one ingest, their fetch state in one transaction."""
    from rasd.store.ingest import ingest

    if not batch:
        return
    t1 = time.perf_counter()
    ingest(store, [r.doc for r in batch if not r.present], batch_size=len(batch))
    stamp = now_iso(now)
    with store.engine.begin() as conn:
        for r in batch:
            item, st, doc, rep = r.item, r.st, r.doc, r.rep
            values = dict(status="stored" if not r.present else "unchanged", fetched_at=stamp, etag=r.resp.etag,
                          last_modified=r.resp.last_modified, doc_id=doc.id, attempts=0, last_error=None,
                          first_seen=st.get("first_seen") or stamp)
            if r.present:
                rep.unchanged += 1
                if st.get("doc_id") and st["doc_id"] != doc.id:
                    values["status"] = "stored"  # the page went back to an earlier version we hold
            else:
                rep.stored += 1
                report.stored_ids.append(doc.id)
                version = conn.execute(select(func.max(t.page_versions.c.version)).where(t.page_versions.c.url == item.url)).scalar() or 0
                conn.execute(t.page_versions.insert(), {"url": item.url, "version": version + 1, "doc_id": doc.id, "fetched_at": stamp})
                if st.get("doc_id") is None:  # first version: how long after publication it was stored
                    values["stored_at"] = stamp
                    published = parse_time(item.published or st.get("published"))
                    if published is not None:
                        values["delay_seconds"] = max(0.0, (now - published).total_seconds())
            _upsert(conn, item.url, r.src["id"], is_listing=False, title=item.title or st.get("title"),
                    published=item.published or st.get("published"), stamp=item.stamp or st.get("stamp"), **values)
    batch.clear()
    report.store_seconds += time.perf_counter() - t1


def _with_listing_metadata(doc: Document, item: FeedItem, st: dict, final_url: str) -> Document:
    """The listing's title and date are the outlet's own metadata: they win over what the page
    extraction guessed; the page's are kept where the listing gives none."""
    title = item.title or st.get("title")
    published = item.published or st.get("published")
    return doc.replace(
        source_url=item.url or final_url,
        title=title or doc.title,
        published=published[:10] if published else doc.published,
    )


def _item_failed(store: Store, src: dict, rep: SourceReport, item: FeedItem, st: dict, error: str, stamp: str) -> None:
    rep.item_errors.append(error)
    with store.engine.begin() as conn:
        keep = st.get("status") in ("stored", "unchanged")  # a stored page that fails later stays stored
        _upsert(conn, item.url, src["id"], is_listing=False, status=st["status"] if keep else "error",
                attempts=(st.get("attempts") or 0) + 1, last_error=error[:500], fetched_at=stamp,
                first_seen=st.get("first_seen") or stamp, title=item.title or st.get("title"),
                published=item.published or st.get("published"), stamp=item.stamp or st.get("stamp"))


def _upsert(conn: Connection, url: str, source_id: int, **values) -> None:
    values = {k: v for k, v in values.items() if v is not None or k in ("last_error",)}
    exists = conn.execute(select(t.fetch_state.c.url).where(t.fetch_state.c.url == url)).first()
    if exists:
        values.pop("first_seen", None)
        values.pop("is_listing", None)
        conn.execute(t.fetch_state.update().where(t.fetch_state.c.url == url).values(**values))
    else:
        values.setdefault("status", "pending")
        values.setdefault("attempts", 0)
        conn.execute(t.fetch_state.insert(), {"url": url, "source_id": source_id, **values})


def _source_failed(conn: Connection, src: dict, error: str, now: dt.datetime) -> None:
    row = conn.execute(select(t.source_stats).where(t.source_stats.c.source_id == src["id"])).mappings().first()
    n = (row["consecutive_errors"] if row else 0) + 1
    retry = min(src["every_seconds"], ERROR_RETRY_SECONDS * 2 ** (n - 1))
    conn.execute(t.source_stats.update().where(t.source_stats.c.source_id == src["id"]).values(
        last_poll=now_iso(now), last_status="error", last_error=error[:500], consecutive_errors=n,
        polls=t.source_stats.c.polls + 1, errors=t.source_stats.c.errors + 1,
        next_due=now_iso(now + dt.timedelta(seconds=retry))))


def _finish_source(store: Store, src: dict, rep: SourceReport, now: dt.datetime) -> None:
    if rep.status == "error":
        return
    if rep.kind == "page" and rep.item_errors and not rep.stored and not rep.unchanged:
        rep.status, rep.error = "error", rep.item_errors[0]
        with store.engine.begin() as conn:
            _source_failed(conn, src, rep.error, now)
        return
    stamp = now_iso(now)
    with store.engine.begin() as conn:
        conn.execute(t.source_stats.update().where(t.source_stats.c.source_id == src["id"]).values(
            last_poll=stamp, last_ok=stamp, last_status="not_modified" if rep.status == "not_modified" else "ok",
            last_error=rep.item_errors[-1][:500] if rep.item_errors else None, consecutive_errors=0,
            polls=t.source_stats.c.polls + 1, not_modified=t.source_stats.c.not_modified + int(rep.status == "not_modified"),
            items_seen=t.source_stats.c.items_seen + (rep.new_items if rep.kind != "page" else rep.stored),
            items_stored=t.source_stats.c.items_stored + rep.stored,
            errors=t.source_stats.c.errors + len(rep.item_errors),
            next_due=now_iso(now + dt.timedelta(seconds=src["every_seconds"]))))
