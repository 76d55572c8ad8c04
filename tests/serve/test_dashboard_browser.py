"""The dashboard in a real browser: Debian's chromium, driven by Selenium through Debian's chromedriver,
against a real `rasd serve` on a free loopback port. It types a search, follows a disagreement to its
article, sees the highlights and the timeline, and shows the XSS payloads inert (no dialog, no element
they would create, no script but the dashboard's own). Skipped when chromium or chromedriver is absent
(`apt-get install -y chromium chromium-driver`). Screenshots go to $RASD_SCREENSHOTS (e.g. docs/img)
when set, else to the test's temporary folder."""

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from store.bulk import documents

from rasd.pipeline import annotate, clean
from rasd.sources.files import read_input
from rasd.store import open_store, query
from rasd.store.ingest import ingest
from serve.test_dashboard import EVIL_URLS, SCRIPT, _evil_documents
from serve.test_serve_process import ROOT, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="no chromium/chromedriver (apt-get install -y chromium chromium-driver)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("browser") / "rasd.db")
    store = open_store(db)
    docs = documents(0, 12) + _evil_documents()
    if (SEEDS / "gold.json").exists():
        docs += [annotate(clean(read_input(str(p)))) for p in sorted(SEEDS.glob("*.txt"))]
    ingest(store, docs)
    store.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rasd", "serve", "--db", db, "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/v1/stats", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.1)
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-extensions", "--window-size=1400,1000", "--lang=ar"):
        opts.add_argument(arg)
    d = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)  # no Selenium Manager: no download
    d.set_page_load_timeout(60)
    yield d
    d.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    where = os.environ.get("RASD_SCREENSHOTS")
    path = Path(where) if where else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load(browser, url, direction="rtl"):
    """Load a page and prove nothing from it ran: no dialog opened, no <img> (the payload's) built, no script but ours."""
    from selenium.common.exceptions import NoAlertPresentException

    browser.get(url)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018  (an alert(1) that ran would be open here)
    assert browser.execute_script("return document.documentElement.dir") == direction
    srcs = browser.execute_script("return [...document.scripts].map(s => s.getAttribute('src'))")
    assert srcs == ["/static/dashboard.js"], (url, srcs)
    assert browser.execute_script("return document.images.length") == 0, url
    bad = browser.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => typeof a.href === 'string' ? a.href"
        " : new URL(a.href.baseVal, location.href).href).filter(h => !/^https?:/i.test(h))")  # an SVG link's href is an object
    assert not bad, (url, bad)
    external = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name).filter(n => !n.startsWith(location.origin))")
    assert not external, (url, external)


def test_dashboard_in_chromium(server, browser, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, db = server
    _load(browser, base + "/")
    assert browser.find_elements(By.CSS_SELECTOR, "dl.counts dd")
    assert browser.find_elements(By.CSS_SELECTOR, "table.days meter")
    browser.save_screenshot(str(shots / "dashboard-overview.png"))

    # type a search and see results
    browser.get(base + "/search")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("كورسك", Keys.ENTER)
    from selenium.webdriver.support.ui import WebDriverWait

    # the form submits asynchronously: wait for the results page, not the page it was typed on
    WebDriverWait(browser, 30).until(lambda b: "q=" in b.current_url and b.find_elements(By.CSS_SELECTOR, "ol.results h3 a"))
    results = browser.find_elements(By.CSS_SELECTOR, "ol.results h3 a")
    assert results and "q=" in browser.current_url and browser.find_elements(By.CSS_SELECTOR, ".snippet mark")
    browser.save_screenshot(str(shots / "dashboard-search.png"))
    results[0].click()
    assert "/documents/" in browser.current_url

    # from a disagreement, one click to each of its two sentences' articles
    _load(browser, base + "/disagreements")
    browser.save_screenshot(str(shots / "dashboard-disagreements.png"))
    sides = browser.find_elements(By.CSS_SELECTOR, ".disagreement .side")
    assert len(sides) >= 2
    sentence = sides[0].find_element(By.CSS_SELECTOR, ".sentence").text
    sides[0].find_element(By.CSS_SELECTOR, "a[href^='/documents/']").click()
    assert "/documents/" in browser.current_url and "#" in browser.current_url
    target = browser.current_url.split("#", 1)[1]
    assert browser.find_element(By.ID, target).get_attribute("open") is not None  # its record is opened
    assert sentence.strip()[:20] in browser.find_element(By.CSS_SELECTOR, "article.text").text

    # an article: its highlights, and clicking one opens the fact's record
    hl = browser.find_elements(By.CSS_SELECTOR, "article.text a.hl")
    assert hl
    hl[0].click()
    ref = hl[0].get_attribute("href").split("#", 1)[1]
    assert browser.find_element(By.ID, ref).get_attribute("open") is not None
    browser.save_screenshot(str(shots / "dashboard-article.png"))

    # the timeline draws; a day lists its events
    _load(browser, base + "/timeline")
    assert browser.find_elements(By.CSS_SELECTOR, "table.days meter")
    browser.find_element(By.CSS_SELECTOR, "table.days tbody a").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#day tbody tr")
    _load(browser, base + "/timeline")  # so does clicking a day's bar
    bar = browser.find_element(By.CSS_SELECTOR, "table.days tbody a.bar")
    day = bar.get_attribute("href").split("day=")[1].split("#")[0].split("&")[0]
    bar.click()
    assert f"day={day}" in browser.current_url and browser.find_elements(By.CSS_SELECTOR, "#day tbody tr")
    browser.save_screenshot(str(shots / "dashboard-timeline.png"))

    _load(browser, base + "/entities/north-korea")
    browser.save_screenshot(str(shots / "dashboard-entity.png"))
    _load(browser, base + "/claims?subject=North+Korea&unit=troops")
    browser.save_screenshot(str(shots / "dashboard-claims.png"))


def test_map_draws_its_points_over_the_world_and_a_point_lists_its_events(server, browser, shots):
    from selenium.webdriver.common.by import By

    base, _db = server
    _load(browser, base + "/map")
    points = browser.find_elements(By.CSS_SELECTOR, "svg#map circle.pt")
    assert points
    for p in points:  # drawn: a visible, non-empty shape inside the map
        box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", p)
        assert box[0] > 2 and box[1] > 2
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)")
    assert "/map/world.svg" in loaded  # the outline, from rasd serve
    styles = {p.get_attribute("class").split()[1] for p in points}
    assert styles <= {"p-exact", "p-city", "p-region", "p-country"}
    fills = {browser.execute_script("return getComputedStyle(arguments[0]).fill", p) for p in points}
    assert len(fills) == len(styles)  # each precision drawn its own way
    browser.save_screenshot(str(shots / "dashboard-map.png"))
    place = points[0].get_attribute("data-place")
    browser.find_element(By.CSS_SELECTOR, f"svg#map a.point circle[data-place='{place}']").click()
    assert f"place={place}" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#place table.events tbody tr a[href*='#event-']")
    assert rows
    browser.save_screenshot(str(shots / "dashboard-map-place.png"))


def test_english_labels_and_arabic_digits_hold_across_pages(server, browser, shots):
    from selenium.webdriver.common.by import By

    base, _db = server
    try:
        _load(browser, base + "/?lang=en", "ltr")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Overview"
        _load(browser, base + "/timeline", "ltr")  # the cookie keeps the choice
        assert browser.find_element(By.TAG_NAME, "h1").text == "Timeline of events"
        _load(browser, base + "/map?digits=arabic", "ltr")
        total = browser.find_element(By.CSS_SELECTOR, "p.total").text
        assert any("\u0660" <= ch <= "\u0669" for ch in total) and not any(ch.isascii() and ch.isdigit() for ch in total)
        browser.save_screenshot(str(shots / "dashboard-map-english.png"))
        _load(browser, base + "/disagreements?digits=western", "ltr")
        browser.save_screenshot(str(shots / "dashboard-disagreements-english.png"))
    finally:
        browser.get(base + "/?lang=ar&digits=western")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"


def test_xss_payloads_are_inert_in_chromium(server, browser, shots):
    from selenium.webdriver.common.by import By

    base, db = server
    store = open_store(db)
    evil = sorted((d for d in query.documents(store, limit=1000).items if (d["source"]["path"] or "").startswith("evil-")),
                  key=lambda d: d["source"]["path"])
    store.close()
    assert len(evil) == len(EVIL_URLS)
    for d in evil:
        _load(browser, f"{base}/documents/{d['id']}")
        assert SCRIPT in browser.find_element(By.TAG_NAME, "h1").text  # shown as text
    browser.save_screenshot(str(shots / "dashboard-xss.png"))
    for url in ("/", "/search?q=alert", "/search?q=script", "/timeline", "/disagreements", "/claims", "/entities"):
        _load(browser, base + url)
