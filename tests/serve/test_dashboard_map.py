"""The map page: events at their places, sized by reports and styled by location precision, over the
vendored Natural Earth outline (decoded and projected here, no map script); a point lists its events."""

import json
import re

import pytest
from fastapi.testclient import TestClient
from store.bulk import documents

from rasd.serve import create_app
from rasd.serve.dashboard import geo, router
from rasd.store import open_store, query
from rasd.store.ingest import ingest
from rasd.store.places import locate


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("map") / "rasd.db")
    store = open_store(url)
    ingest(store, documents(0, 12))
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


def test_event_places_count_reports_and_locate_each_place(store):
    found = query.event_places(store)
    assert found["places"]
    for p in found["places"]:
        with store.engine.connect() as conn:
            from sqlalchemy import text

            events, reports = conn.execute(text("SELECT count(*), count(DISTINCT doc_id) FROM events WHERE place = :p"),
                                           {"p": p["id"]}).one()
        assert (p["events"], p["reports"]) == (events, reports)
        point = locate(p["id"], p["name_ar"])
        assert (p["lat"], p["lon"], p["precision"]) == (point.lat, point.lon, point.precision)
    assert [p["reports"] for p in found["places"]] == sorted((p["reports"] for p in found["places"]), reverse=True)
    assert query.event_places(store, type="NO-SUCH-TYPE") == {"places": [], "unplaced": 0}


def test_map_draws_a_point_per_place_sized_by_reports_and_styled_by_precision(client, store):
    r = client.get("/map")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    places = {p["id"]: p for p in query.event_places(store)["places"]}
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"\s+class="pt p-(\w+)[^"]*" data-place="([^"]+)" '
                         r'data-reports="(\d+)"', r.text)
    assert {c[4] for c in circles} == set(places)
    box = [float(v) for v in re.search(r'<svg id="map" viewBox="([^"]+)"', r.text).group(1).split()]
    for cx, cy, radius, precision, pid, reports in circles:
        p = places[pid]
        assert precision == p["precision"] and int(reports) == p["reports"]
        x, y = geo.project(p["lat"], p["lon"])
        assert (round(x, 2), round(y, 2)) == (float(cx), float(cy))
        assert abs(float(radius) - geo.radius(p["reports"], geo.View(*box))) < 0.01
    for cx, cy, *_ in circles:  # the view fits the points
        assert box[0] <= float(cx) <= box[0] + box[2] and box[1] <= float(cy) <= box[1] + box[3]
    assert '<image href="/map/world.svg"' in r.text


def test_a_larger_report_count_is_a_larger_point():
    view = geo.WHOLE
    assert geo.radius(1, view) < geo.radius(4, view) < geo.radius(100, view)
    zoomed = geo.fit([geo.project(50, 30), geo.project(52, 36)])
    assert zoomed.w < view.w and geo.radius(4, zoomed) < geo.radius(4, view)  # in the view's units: same size on screen


def test_clicking_a_point_lists_its_events(client, store):
    place = query.event_places(store)["places"][0]
    html = client.get(f"/map?place={place['id']}").text
    section = html[html.index('<section id="place">'):]
    rows = re.findall(r'href="/documents/(\w+)#event-(\d+)"', section.split("</table>")[0])
    assert len(rows) == place["events"]
    with store.engine.connect() as conn:
        from sqlalchemy import text

        want = {str(i) for (i,) in conn.execute(text("SELECT id FROM events WHERE place = :p"), {"p": place["id"]})}
    assert {e for _, e in rows} == want
    assert client.get("/map?place=no-such-place").status_code == 400


def test_the_world_outline_is_natural_earth_projected():
    topo = json.loads(geo.WORLD.read_text(encoding="utf-8"))
    assert topo["type"] == "Topology" and len(topo["objects"]["countries"]["geometries"]) == 177
    names = {n for n, _ in geo.countries()}
    assert {"Russia", "Egypt", "Fiji", "Syria"} <= names and "Antarctica" not in names
    cairo = geo.project(30.04, 31.24)
    assert 0 <= cairo[0] <= geo.WIDTH and 0 <= cairo[1] <= geo.HEIGHT
    egypt = dict(geo.countries())["Egypt"]
    xs = [float(v) for v in re.findall(r"[ML]([\d.]+),", egypt)]
    ys = [float(v) for v in re.findall(r",([\d.]+)", egypt)]
    assert min(xs) <= cairo[0] <= max(xs) and min(ys) <= cairo[1] <= max(ys)  # Cairo inside Egypt's box
    for _, d in geo.countries():  # no ring streaks across the map (the antimeridian is unwrapped)
        for ring in d.split("M")[1:]:
            pts = [tuple(map(float, p.split(","))) for p in ring.rstrip("Z").split("L")]
            assert max(abs(a[0] - b[0]) for a, b in zip(pts, pts[1:], strict=False)) < geo.WIDTH / 2


def test_world_svg_is_served_from_the_package(client):
    r = client.get("/map/world.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg") and r.text.count("<path") == len(geo.countries())
    lic = client.get("/static/world-110m.LICENSE.txt")
    assert lic.status_code == 200 and "Natural Earth" in lic.text


def test_points_are_capped_at_the_most_reported_and_the_page_says_so(client, store, monkeypatch):
    from rasd.serve.dashboard import pages

    places = query.event_places(store)["places"]
    assert len(places) >= 2
    monkeypatch.setattr(pages, "MAP_POINTS", 1)
    html = client.get("/map").text
    drawn = re.findall(r'data-place="([^"]+)"', html)
    assert drawn and set(drawn) == {places[0]["id"]}  # the most reported
    assert 'class="capped"' in html
    total = sum(p["events"] for p in places)
    assert re.search(rf"{len(places)}\D[^<]*{total}", html), "the count is of every located place, not the drawn ones"
    monkeypatch.setattr(pages, "MAP_POINTS", 10_000)
    assert 'class="capped"' not in client.get("/map").text
