"""The dashboard at / through FastAPI's TestClient: every page renders from the query layer, the
article view highlights facts at their offsets, and untrusted text never reaches the page unescaped."""

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from store.bulk import documents

from rasd.pipeline import annotate, clean, extract_text
from rasd.serve import create_app
from rasd.serve.dashboard import router
from rasd.serve.dashboard.render import highlight, http_url, is_day, snippet
from rasd.sources.files import read_input
from rasd.store import open_store, query
from rasd.store.ingest import ingest

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
RLO = "\u202e"
EVIL = f"{SCRIPT}{IMG}{RLO}"
EVIL_URLS = ["javascript:alert(1)", " JaVaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
             "vbscript:msgbox(1)"]
BODY = ("أعلنت وزارة الدفاع الأمريكية أن كوريا الشمالية أرسلت أكثر من 10 آلاف جندي إلى روسيا. {evil}\n"
        "وقال مسؤول عسكري روسي إن 1200 جندي وصلوا إلى منطقة كورسك {evil} يوم 5 نوفمبر.\n")


def _evil_documents():
    out = []
    for i, url in enumerate(EVIL_URLS):
        doc = extract_text(BODY.format(evil=EVIL + f" ({i})"), published=f"2024-11-{20 + i}", path=f"evil-{i}.txt")
        out.append(doc.replace(title=f"{EVIL} عنوان {i}", outlet=f"{RLO}{SCRIPT}منفذ{i}", source_url=url, author=IMG))
    safe = extract_text("قالت روسيا إن 300 جندي وصلوا إلى منطقة كورسك.\n", published="2024-11-25", path="safe.txt")
    out.append(safe.replace(title="مقال آمن", outlet="منفذ آمن", source_url="https://example.org/a?b=1&c=2"))
    return out


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("dash") / "rasd.db")
    store = open_store(url)
    ingest(store, documents(0, 12) + _evil_documents())
    store.close()
    return url


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, routers=[router])) as c:
        yield c


@pytest.fixture(scope="module")
def store(db):
    s = open_store(db)
    yield s
    s.close()


def _page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert '<html lang="ar" dir="rtl">' in r.text
    return r.text


def _pages(store) -> list[str]:
    doc_ids = [d["id"] for d in query.documents(store, limit=1000).items]
    ent_ids = [e["id"] for e in query.entities(store, limit=1000).items]
    days = sorted({d["day"] for d in query.event_days(store) if is_day(d["day"])})
    return (["/", "/search?q=كورسك", "/search?q=alert", "/search?q=script", "/search", "/claims",
             "/claims?subject=North+Korea&unit=troops", "/disagreements", "/entities", "/timeline",
             "/timeline?type=MOBILIZE", "/timeline?actor=north-korea"]
            + [f"/timeline?day={d}" for d in days] + [f"/documents/{i}" for i in doc_ids]
            + [f"/entities/{e}" for e in ent_ids])


def test_every_page_renders(client, store):
    pages = _pages(store)
    assert len(pages) > 30
    for url in pages:
        _page(client, url)


def test_overview_counts_stories_and_lineage(client, store):
    html = _page(client, "/")
    stats = query.stats(store)
    assert f"<dd>{stats['documents']}</dd>" in html and f"<dd>{stats['events']}</dd>" in html
    inc = query.incidents(store, limit=1).items[0]
    assert f"{inc['reports']} تقارير، {len(inc['outlets'])} منافذ" in html
    story = query.stories(store, min_documents=2, limit=1).items[0]
    assert f"{len(story['documents'])} تقارير" in html
    assert "<meter" in html  # events per day drawn as bars


def test_search_shows_results_and_keeps_the_facets_in_the_url(client, store):
    html = _page(client, "/search?q=كورسك&since=2024-11-05&until=2024-11-09")
    hits = query.search(store, "كورسك", since="2024-11-05", until="2024-11-09", limit=20).items
    assert hits and all(f'href="/documents/{h["id"]}"' in html for h in hits)
    assert "<mark>" in html
    assert 'value="2024-11-05"' in html and 'value="2024-11-09"' in html
    other = query.search(store, "كورسك", limit=100).items
    outside = [h for h in other if not "2024-11-05" <= (h["published"] or "") <= "2024-11-09T99"]
    assert outside and not any(f'href="/documents/{h["id"]}"' in html for h in outside)


def test_search_says_it_ranked_the_latest_matches_and_counts_the_facets(client, store, monkeypatch):
    from rasd.serve.dashboard import pages

    monkeypatch.setattr(pages, "SEARCH_LATEST", 2)
    monkeypatch.setattr(pages, "SEARCH_FACET_SAMPLE", 3)
    every = query.search(store, "كورسك", limit=100)
    assert every.total > 3
    html = _page(client, "/search?q=كورسك")
    shown = re.findall(r'<h3><a href="/documents/(\w+)"', html)
    assert shown == [h["id"] for h in query.search(store, "كورسك", latest=2).items] and len(shown) == 2
    assert 'class="hint ranked"' in html and "rank=all" in html and f"{every.total}" in html
    facets = query.search_facets(store, "كورسك", sample=3)
    assert facets["among"] == 3 and facets["entity"]
    for name in ("type", "entity"):
        for x in facets[name]:
            assert re.search(rf'href="/search\?q=[^"]*{name}={re.escape(x["value"])}[^"]*"><bdi>[^<]*</bdi></a> <span class="count">{x["n"]}</span>', html), x
    ranked_all = _page(client, "/search?q=كورسك&rank=all")
    assert 'class="hint ranked"' not in ranked_all
    assert re.findall(r'<h3><a href="/documents/(\w+)"', ranked_all) == [h["id"] for h in every.items[:20]]
    _page(client, "/search?q=كورسك&rank=some", 400)
    english = client.get("/search?q=كورسك&lang=en").text
    client.get("/?lang=ar")  # the choice is a cookie: back to Arabic for the other tests
    assert "Ranked by relevance among the latest 2 stored" in english


def test_search_pages_follow_the_cursor(client):
    html = _page(client, "/search?q=كورسك&limit=5")
    nxt = re.search(r'href="(/search\?[^"]*cursor=[^"]+)"', html)
    assert nxt
    second = _page(client, nxt.group(1).replace("&amp;", "&"))
    first_ids = set(re.findall(r'href="/documents/(\w+)"', html))
    assert set(re.findall(r'href="/documents/(\w+)"', second)) - first_ids
    assert "limit=5" in nxt.group(1)
    _page(client, "/claims?limit=0", 400)
    _page(client, "/claims?limit=x", 400)


def test_bad_filters_are_a_page_not_a_traceback(client):
    assert "since" in _page(client, "/claims?since=yesterday", 400)
    _page(client, "/documents/nope", 404)
    _page(client, "/entities/no-such-entity", 404)
    assert "query" in _page(client, '/search?q="unclosed', 400)
    _page(client, "/search?q=-x", 400)


class _Spans(HTMLParser):
    """The text inside each highlight link of the article body, with the link's classes and target."""

    def __init__(self):
        super().__init__()
        self.spans, self.stack, self.in_text = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and a.get("class") == "text":
            self.in_text = True
        if self.in_text and tag == "a":
            self.stack.append({"class": a["class"], "href": a["href"], "text": ""})

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_text = False
        if tag == "a" and self.stack:
            self.spans.append(self.stack.pop())

    def handle_data(self, data):
        for s in self.stack:
            s["text"] += data


def test_article_view_highlights_facts_at_their_offsets(client, store):
    doc_id = next(d["id"] for d in query.documents(store, limit=1000).items
                  if query.document(store, d["id"])["claims"] and query.document(store, d["id"])["events"])
    doc = query.document(store, doc_id)
    html = _page(client, f"/documents/{doc_id}")
    p = _Spans()
    p.feed(html)
    by_ref = {}
    for s in p.spans:
        by_ref.setdefault(s["href"], []).append(s)
    for c in doc["claims"]:
        pieces = by_ref[f"#claim-{c['claim_id']}"]
        assert "".join(s["text"] for s in pieces) in doc["text"][c["start"]:c["end"]]
        assert f'id="claim-{c["claim_id"]}"' in html
    for e in doc["events"]:
        assert any(s["text"] == doc["text"][e["start"]:e["end"]] and "hl-event" in s["class"]
                   for s in by_ref[f"#event-{e['event_id']}"])
        assert f'id="event-{e["event_id"]}"' in html
    texts = {s["text"] for s in p.spans if "hl-entity" in s["class"]}
    for e in doc["entities"]:
        for m in e["mentions"]:
            assert doc["text"][m["start"]:m["end"]] in texts or any(
                s["text"] in doc["text"][m["start"]:m["end"]] for s in p.spans if "hl-entity" in s["class"])


def test_highlight_cuts_overlapping_spans_and_escapes_each_piece():
    text = "a<b>cd&e"
    out = str(highlight(text, [{"start": 1, "end": 5, "kind": "entity", "ref": "entity-0", "label": "E"},
                               {"start": 3, "end": 7, "kind": "claim", "ref": "claim-1", "label": "<C>"},
                               {"start": 6, "end": 99, "kind": "event", "ref": "x", "label": "out of range"}]))
    assert out == ('a<a class="hl hl-entity" href="#entity-0" title="E">&lt;b</a>'
                   '<a class="hl hl-claim hl-entity" href="#claim-1" title="E · &lt;C&gt;">&gt;c</a>'
                   '<a class="hl hl-claim" href="#claim-1" title="&lt;C&gt;">d&amp;</a>e')


def test_claims_page_flags_disputed_figures_and_links_articles(client, store):
    html = _page(client, "/claims?subject=North+Korea&unit=troops")
    items = query.claims(store, subject="North Korea", unit="troops", limit=50).items
    assert items and all(f'href="/documents/{c["id"]}#claim-{c["claim_id"]}"' in html for c in items)


def test_disagreement_page_links_both_sides(client, store):
    html = _page(client, "/disagreements")
    found = query.disagreements(store, limit=50).items
    assert found
    for d in found:
        for s in d["sides"]:
            ref = f"claim-{s['claim_id']}" if "claim_id" in s else f"event-{s['event_id']}"
            assert f'href="/documents/{s["source_document"]["id"]}#{ref}"' in html
            assert s["sentence"] in html


def test_timeline_day_lists_its_events(client, store):
    day = next(d["day"] for d in query.event_days(store) if is_day(d["day"]))
    html = _page(client, f"/timeline?day={day}")
    evs = query.events(store, since=day, until=day, limit=50).items
    assert evs and all(f"#event-{e['event_id']}" in html for e in evs)
    mob = _page(client, "/timeline?type=MOBILIZE")
    assert all(t not in mob for t in {d["type"] for d in query.event_days(store)} - {"MOBILIZE"})


def test_a_days_bar_and_its_type_counts_list_its_events_and_actors_show_by_name(client, store):
    html = _page(client, "/timeline?days=all")
    rows = [r for r in query.event_days(store) if is_day(r["day"])]
    for r in rows:
        assert re.search(rf'<a class="bar" href="/timeline\?[^"]*day={r["day"]}#day"', html)
        assert re.search(rf'href="/timeline\?[^"]*day={r["day"]}&amp;type={r["type"]}#day">{r["events"]}</a>', html)
    day = next(r for r in rows if r["events"])
    listed = _page(client, f"/timeline?day={day['day']}&type={day['type']}")
    evs = query.events(store, since=day["day"], until=day["day"], type=day["type"], limit=50).items
    assert len(evs) == day["events"] and all(f"#event-{e['event_id']}" in listed for e in evs)
    named = 0
    for r in rows:  # every day's actors are shown by their names (Arabic in the Arabic pages), linked by id
        listed = _page(client, f"/timeline?day={r['day']}&type={r['type']}")
        evs = query.events(store, since=r["day"], until=r["day"], type=r["type"], limit=50).items
        names = query.entity_names(store, [a for e in evs for a in e["actors"] + e["targets"]])
        for a, n in names.items():
            assert f'href="/entities/{a}"><bdi>{n["name_ar"] or n["name"]}</bdi></a>' in listed
            named += 1
    assert named


def _day_links(html):
    return set(re.findall(r'href="/timeline\?[^"]*day=([\d-]+)', html))


def test_timeline_shows_the_latest_days_unless_asked_for_all(client, store, monkeypatch):
    from rasd.serve.dashboard import pages

    days = sorted({d["day"] for d in query.event_days(store) if is_day(d["day"])})
    assert len(days) >= 3
    monkeypatch.setattr(pages, "TIMELINE_DAYS", 2)
    first = query.recent_window(query.event_days(store), 2)
    recent = _page(client, "/timeline")
    assert _day_links(recent) == {d for d in days if d >= first} != set(days)
    assert 'class="total window"' in recent and "days=all" in recent
    every = _page(client, "/timeline?days=all")
    assert _day_links(every) == set(days) and 'class="total window"' not in every
    ranged = _page(client, f"/timeline?since={days[0]}")  # a date range replaces the default window
    assert _day_links(ranged) == set(days)
    _page(client, "/timeline?days=7", status=400)


def test_entity_page(client, store):
    html = _page(client, "/entities/North Korea")
    e = query.entity(store, "north-korea")
    assert e["name_ar"] in html
    assert all(f'href="/entities/{c["id"]}"' in html for c in e["co_occurring"])
    assert "/claims?subject=north-korea" in html


# --------------------------------------------------------------------------------------------- untrusted input

def test_safe_urls_only():
    assert http_url("https://example.org/x") == "https://example.org/x"
    assert http_url("HTTP://example.org") == "HTTP://example.org"
    for bad in [*EVIL_URLS, "//evil.example/x", "/documents/x", "https://", "https://a b", "http://x\u202e", None, ""]:
        got = http_url(bad)
        assert got is None or got == "http://x", bad
    assert str(snippet("…a [<b>] c…")) == "<bdi>…a <mark>&lt;b&gt;</mark> c…</bdi>"


class _Tags(HTMLParser):
    """Every start tag and its attributes, to check what the browser would build."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_inert(html: str, url: str):
    assert "<script>alert" not in html and "<img" not in html, url
    assert RLO not in html and not re.search("[\u202a-\u202e\u2066-\u2069]", html), url
    p = _Tags()
    p.feed(html)
    for tag, attrs in p.tags:
        assert not any(k.startswith("on") for k in attrs), (url, tag, attrs)
        if tag == "script":
            assert set(attrs) == {"src", "defer"} and attrs["src"] == "/static/dashboard.js", url
        for k in ("href", "src", "action"):
            v = attrs.get(k)
            if v is not None:
                assert v.startswith(("/", "#", "?", "http://", "https://")), (url, tag, k, v)
                assert "script:" not in v.lower() and not v.lower().startswith("data:"), (url, tag, k, v)
                if v.startswith(("http://", "https://")):
                    assert v == "https://example.org/a?b=1&c=2", (url, v)


def test_untrusted_text_is_only_ever_escaped(client, store):
    evil = [d["id"] for d in sorted(query.documents(store, limit=1000).items, key=lambda d: d["source"]["path"] or "")
            if (d["source"]["path"] or "").startswith("evil-")]
    assert len(evil) == len(EVIL_URLS)
    # the payloads are in the store as given: the dashboard, not ingest, must make them harmless
    stored = query.document(store, evil[0])
    assert SCRIPT in stored["text"] and SCRIPT in stored["title"] and RLO in stored["outlet"]
    for url in _pages(store) + ["/search?q=" + SCRIPT, f"/search?q=alert&outlet={RLO}{SCRIPT}منفذ0",
                                "/entities?q=" + SCRIPT, "/claims?unit=" + IMG]:
        html = client.get(url).text
        _assert_inert(html, url)
    html = _page(client, f"/documents/{evil[0]}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a link
    safe = next(d["id"] for d in query.documents(store, limit=1000).items if d["source"]["path"] == "safe.txt")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in _page(client, f"/documents/{safe}")


def test_static_files_are_served_and_nothing_else(client):
    r = client.get("/static/dashboard.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert client.get("/static/dashboard.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/../pages.py").status_code == 404
    assert client.get("/static/nope.css").status_code == 404
    html = _page(client, "/")
    p = _Tags()
    p.feed(html)
    external = [a for _t, a in p.tags for k in ("href", "src") if (a.get(k) or "").startswith(("http", "//"))]
    assert not external  # no CDN: every script and style comes from rasd serve


def test_the_seeds_render_and_their_figures_disagreement_links_two_articles(tmp_path, seeds, gold):
    url = str(tmp_path / "seeds.db")
    s = open_store(url)
    ingest(s, [annotate(clean(read_input(str(seeds / name)))) for name in sorted(gold)])
    pages = _pages(s)
    figures = [d for d in query.disagreements(s, kind="figures", limit=100).items]
    s.close()
    with TestClient(create_app(url, routers=[router])) as c:
        for p in pages:
            _assert_inert(_page(c, p), p)
        html = _page(c, "/disagreements?kind=figures")
    two = [d for d in figures if len({x["source_document"]["id"] for x in d["sides"]}) == 2]
    assert two
    for d in two:
        for x in d["sides"]:
            assert f'href="/documents/{x["source_document"]["id"]}#claim-{x["claim_id"]}"' in html
