"""The polling round against a real local HTTP server: feeds, sitemaps and pages stored once with
their listing's metadata, conditional GETs on the next round, faulty sources reported while the
rest is stored, versions, freshness, and alerts that fire once per new story."""

import datetime as dt
import json
import time

import pytest
from sqlalchemy import func, select

from rasd.monitor.alerts import AlertError, add_alert, alert_log, run_alerts
from rasd.monitor.fetch import Fetcher, Guard
from rasd.monitor.registry import add_source, due_sources, freshness, list_sources
from rasd.monitor.watch import run_round
from rasd.store import open_store
from rasd.store import schema as t

from .site import (
    SYNTHETIC,
    article_html,
    atom,
    big,
    endless,
    news_sitemap,
    redirect,
    rss,
    shared_articles,
    slow,
    status,
)

PUBLISHED = 1730800800.0  # 2024-11-05T10:00:00Z
NOW = dt.datetime.fromtimestamp(PUBLISHED, dt.UTC) + dt.timedelta(hours=2)


def fetcher(allow_private=True, **kw):
    return Fetcher(Guard(allow_private=allow_private), delay=0.0, backoff=0.01, retries=1, timeout=1.0,
                   total_timeout=3.0, max_bytes=2 * 1024 * 1024, **kw)


class Newsroom:
    """Articles served as pages and listed by an RSS feed, an Atom feed and a news sitemap."""

    def __init__(self, site, articles):
        self.site, self.articles = site, articles
        self.entries = []
        for i, (title, paras) in enumerate(articles):
            url = site.add(f"/a/{i}.html", article_html(title, paras))
            self.entries.append((title, url, PUBLISHED + 60 * i))
        n = len(self.entries)
        third = max(1, n // 3)
        self.feeds = {
            "rss": self.entries[:third],
            "atom": self.entries[third: 2 * third] + self.entries[:1],  # the first article in two feeds
            "sitemap": self.entries[2 * third:],
        }
        self.publish()

    def publish(self):
        self.site.add("/rss", rss(self.feeds["rss"]), "application/rss+xml")
        self.site.add("/atom", atom(self.feeds["atom"]), "application/atom+xml")
        self.site.add("/news-sitemap.xml", news_sitemap(self.feeds["sitemap"]), "application/xml")


def articles(with_shared: bool):
    arts = list(SYNTHETIC)
    if with_shared:
        more = shared_articles(6)
        if not more:
            pytest.skip("../shared/seeds and ../shared/devset are absent: the synthetic articles are tested instead")
        arts += more
    return arts


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def sources_of(store, site):
    for path in ("/rss", "/atom", "/news-sitemap.xml"):
        add_source(store, site.url(path))  # kinds guessed


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


@pytest.mark.parametrize("with_shared", [False, True], ids=["synthetic", "seeds+devset"])
def test_stored_once_with_listing_metadata_then_nothing_new(store, site, with_shared):
    room = Newsroom(site, articles(with_shared))
    sources_of(store, site)
    with fetcher() as f:
        r1 = run_round(store, f, now=NOW)
    assert all(s.status == "ok" for s in r1.sources), [s.line() for s in r1.sources]
    assert r1.stored == len(room.entries) == len(set(r1.stored_ids))
    assert {s["kind"] for s in list_sources(store)} == {"feed", "sitemap"}
    with store.engine.connect() as conn:
        docs = {r.url: r for r in conn.execute(select(t.documents).where(t.documents.c.parent_id.is_(None)))}
    assert set(docs) == {u for _, u, _ in room.entries}
    for title, url, ts in room.entries:
        d = docs[url]
        assert d.title == title
        assert d.published == time.strftime("%Y-%m-%d", time.gmtime(ts))
    assert len(site.seen("/a/0.html")) == 1, "an article listed by two feeds is fetched and stored once"

    before = len(site.requests)
    with fetcher() as f:
        r2 = run_round(store, f, now=NOW + dt.timedelta(hours=1))
    assert r2.stored == 0 and r2.fetched == 0
    assert {s.status for s in r2.sources} == {"not_modified"}
    second = site.requests[before:]
    listings = [r for r in second if r.path in ("/rss", "/atom", "/news-sitemap.xml")]
    assert len(listings) == 3 and all(r.headers.get("if-none-match") for r in listings)
    assert not [r for r in second if r.path.startswith("/a/")], "no article page fetched again"
    assert count(store, t.page_versions) == r1.stored


def test_faulty_sources_are_reported_and_the_rest_stored(store, site):
    room = Newsroom(site, articles(False))
    sources_of(store, site)
    site.routes["/slow.rss"] = slow(3)
    site.routes["/err.rss"] = status(500)
    site.add("/garbage.rss", b"\x00\x01\x02 this is not xml \xff\xfe", "application/rss+xml")
    site.routes["/endless"] = endless()
    site.routes["/loop1"] = redirect("/loop2")
    site.routes["/loop2"] = redirect("/loop1")
    site.routes["/big"] = big(12 * 1024 * 1024, declare=False)
    add_source(store, site.url("/slow.rss"), kind="feed")
    add_source(store, site.url("/err.rss"), kind="feed")
    add_source(store, site.url("/garbage.rss"), kind="feed")
    add_source(store, site.url("/endless"), kind="page")
    add_source(store, site.url("/loop1"))
    add_source(store, site.url("/big"), kind="page")
    # a feed that lists one broken article among good ones
    site.routes["/a/broken.html"] = status(500)
    good = site.add("/a/ok.html", article_html("افتتاح معرض الكتاب", [
        "افتتح معرض الكتاب الدولي أبوابه اليوم بمشاركة أكثر من 500 دار نشر من 30 دولة.",
        "وقال مدير المعرض إن الدورة الحالية تشهد إقبالا كبيرا من الزوار.", "ويستمر المعرض عشرة أيام."]))
    site.add("/mixed.rss", rss([("معطوب", site.url("/a/broken.html"), PUBLISHED), ("سليم", good, PUBLISHED)]))
    add_source(store, site.url("/mixed.rss"))
    with fetcher() as f:
        r = run_round(store, f, now=NOW)
    by = {s.url.rsplit("/", 1)[-1]: s for s in r.sources}
    for name, reason in [("slow.rss", "timed out"), ("err.rss", "HTTP 500"), ("garbage.rss", "not an RSS"),
                         ("endless", "cut at"), ("loop1", "redirect loop"), ("big", "MB")]:
        assert by[name].status == "error" and reason in by[name].error, (name, by[name].error)
    assert by["mixed.rss"].status == "ok" and by["mixed.rss"].stored == 1 and len(by["mixed.rss"].item_errors) == 1
    assert sum(s.stored for s in r.sources if s.url.endswith(("/rss", "/atom", ".xml"))) == len(room.entries)
    stats = {s["url"].rsplit("/", 1)[-1]: s for s in list_sources(store)}
    assert stats["err.rss"]["errors"] == 1 and stats["err.rss"]["last_status"] == "error"
    # retried later: due again before its interval, not at once
    due = {s["url"].rsplit("/", 1)[-1] for s in due_sources(store, NOW + dt.timedelta(minutes=6))}
    assert "err.rss" in due and "rss" not in due
    # the broken article is retried at the next round even though its feed did not change
    site.add("/a/broken.html", article_html("انتهاء موسم الحصاد", [
        "أعلنت وزارة الزراعة انتهاء موسم حصاد القمح بإنتاج بلغ نحو مليوني طن.",
        "وقال الوزير إن الإنتاج هذا العام يفوق إنتاج العام الماضي.", "وتستعد الوزارة لموسم الزراعة المقبل."]))
    with fetcher() as f:
        r2 = run_round(store, f, now=NOW + dt.timedelta(minutes=11))
    mixed = next(s for s in r2.sources if s.url.endswith("/mixed.rss"))
    assert mixed.status == "not_modified" and mixed.stored == 1 and not mixed.item_errors


def test_windows_1256_page_source_and_a_new_version(store, site):
    title, paras = SYNTHETIC[2]
    site.add("/cp1256.html", article_html(title, paras, charset="windows-1256", meta_charset=False),
             "text/html; charset=windows-1256")
    src = add_source(store, site.url("/cp1256.html"))
    assert src["kind"] is None  # decided at the first fetch
    with fetcher() as f:
        r1 = run_round(store, f, now=NOW)
        assert r1.stored == 1
        assert run_round(store, f, now=NOW, everything=True).stored == 0
        assert site.seen("/cp1256.html")[-1].headers.get("if-none-match")
        site.add("/cp1256.html", article_html(title, paras + ["وفي تحديث لاحق، أعلنت المنظمة عن مؤتمر للمانحين."],
                                              charset="windows-1256", meta_charset=False), "text/html; charset=windows-1256")
        r3 = run_round(store, f, now=NOW, everything=True)
    assert r3.stored == 1
    with store.engine.connect() as conn:
        texts = conn.execute(select(t.documents.c.text, t.documents.c.story_id)).all()
        versions = conn.execute(select(t.page_versions.c.version).order_by(t.page_versions.c.version)).scalars().all()
    assert len(texts) == 2 and all(paras[0] in x.text for x in texts)
    assert versions == [1, 2]
    assert texts[0].story_id == texts[1].story_id, "the updated article is a new version of the same story"
    assert list_sources(store)[0]["kind"] == "page"


def test_freshness(store, site):
    Newsroom(site, articles(False))
    sources_of(store, site)
    with fetcher() as f:
        run_round(store, f, now=NOW)
    fresh = {f["url"].rsplit("/", 1)[-1]: f for f in freshness(store)}
    assert sum(f["items_stored"] for f in fresh.values()) == len(SYNTHETIC)
    sm = fresh["news-sitemap.xml"]  # its two articles are its own (the first one is in both feeds)
    assert sm["last_poll"] == NOW.isoformat(timespec="seconds") and sm["items_stored"] == sm["items_seen"] == 2
    assert sm["errors"] == 0 and sm["pending"] == 0 and sm["last_status"] == "ok"
    # published PUBLISHED + 120 s and + 180 s, stored at NOW = PUBLISHED + 2 h
    assert sm["median_delay_seconds"] == pytest.approx(7200 - 150, abs=1)


def test_alert_fires_once_per_new_story_and_not_after_restart(db_url, site, tmp_path):
    store = open_store(db_url)
    room = Newsroom(site, articles(False))
    out = tmp_path / "hits.jsonl"
    add_alert(store, "quake", "زلزال المغرب", file=str(out))
    add_alert(store, "un", "الأمم المتحدة")
    sources_of(store, site)
    with fetcher() as f:
        r1 = run_round(store, f, now=NOW)
        assert r1.alerts_fired == 2
        assert run_round(store, f, now=NOW, everything=True).alerts_fired == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["alert"] == "quake" and "زلزال" in lines[0]["title"]
    store.close()

    store = open_store(db_url)  # a restart
    assert not run_alerts(store, None).hits
    # the same story rewritten by another outlet: stored, but no second alert
    title, paras = SYNTHETIC[3]
    rewrite = [paras[0], paras[1], paras[2], "وقال مسؤول إن فرق الإنقاذ ما زالت في المنطقة."]
    url = site.add("/a/rewrite.html", article_html(title, rewrite))
    new_url = site.add("/a/new-quake.html", article_html("هزة ارتدادية في المغرب", [
        "سجلت مراكز الرصد هزة ارتدادية جديدة في المغرب بعد أيام من الزلزال الذي ضرب شمال البلاد.",
        "وقال المعهد الوطني للجيوفيزياء إن الهزة بلغت قوتها أربع درجات.",
        "ولم تسجل السلطات أي أضرار في المباني أو إصابات بين السكان."]))
    room.feeds["rss"] = room.feeds["rss"] + [("زلزال", url, PUBLISHED), ("هزة", new_url, PUBLISHED)]
    room.publish()
    with fetcher() as f:
        r3 = run_round(store, f, now=NOW + dt.timedelta(hours=1), everything=True)
    assert r3.stored == 2
    log = alert_log(store, "quake")
    assert [h["url"] for h in log] == [new_url, room.entries[3][1]]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    with store.engine.connect() as conn:
        stories = conn.execute(select(t.documents.c.story_id).where(t.documents.c.url.in_([url, room.entries[3][1]]))).scalars().all()
    assert len(set(stories)) == 1
    store.close()


def test_alert_on_documents_ingested_before_it_does_not_fire(store, site):
    Newsroom(site, articles(False))
    sources_of(store, site)
    with fetcher() as f:
        run_round(store, f, now=NOW)
    add_alert(store, "late", "زلزال")
    assert not run_alerts(store, None).hits


def test_webhook_delivery_and_refusal(store, site):
    with pytest.raises(AlertError, match="not a public address"):
        add_alert(store, "hook", "زلزال", webhook=site.url("/hook"))
    site.routes["/hook"] = lambda h: h.send(200, "application/json", b"{}")
    add_alert(store, "hook", "زلزال", webhook=site.url("/hook"), allow_private=True)
    Newsroom(site, articles(False))
    sources_of(store, site)
    with fetcher(allow_private=False) as f:  # alerts run without --allow-private
        with fetcher() as fetch_sources:
            run_round(store, fetch_sources, now=NOW, alerts=False)
        refused = run_alerts(store, f, now=NOW)
    assert len(refused.hits) == 1 and refused.errors and "not a public address" in refused.errors[0]
    assert not site.seen("/hook")
    (hit,) = alert_log(store, "hook")
    assert hit["delivered_at"] is None and "not a public address" in hit["delivery_error"]
    with fetcher() as f:  # allowed: the pending delivery goes out, once
        again = run_alerts(store, f, now=NOW)
        assert not again.hits and again.delivered == 1
        assert run_alerts(store, f, now=NOW).delivered == 0
    (post,) = site.seen("/hook")
    body = json.loads(post.body)
    assert body["alert"] == "hook" and "زلزال" in body["title"] and post.headers["content-type"].startswith("application/json")
    assert alert_log(store, "hook")[0]["delivered_at"]


def test_daily_digest_rolls_hits_into_one_message(store, site, tmp_path):
    out = tmp_path / "digest.jsonl"
    add_alert(store, "all", "في", file=str(out), digest="daily")
    Newsroom(site, articles(False))
    sources_of(store, site)
    with fetcher() as f:
        r = run_round(store, f, now=dt.datetime.now(dt.UTC))
        assert r.alerts_fired == len(SYNTHETIC) and not out.exists()
        later = run_alerts(store, f, now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=25))
    (msg,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert later.delivered == len(SYNTHETIC) and msg["count"] == len(SYNTHETIC) and len(msg["hits"]) == len(SYNTHETIC)


def test_bad_alerts_are_refused(store):
    from rasd.store.search import QueryError

    with pytest.raises(QueryError):
        add_alert(store, "x", '"unbalanced')
    with pytest.raises(AlertError, match="event type"):
        add_alert(store, "x", "كلمة", event_type="NOPE")
    with pytest.raises(AlertError, match="not both"):
        add_alert(store, "x", "كلمة", file="a.jsonl", webhook="https://hooks.example/x")
    add_alert(store, "x", "كلمة", event_type="assault")
    with pytest.raises(AlertError, match="exists"):
        add_alert(store, "x", "كلمة")
