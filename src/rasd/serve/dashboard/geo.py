"""The map's geometry, drawn on the server: the vendored world outline (Natural Earth 1:110m countries
as TopoJSON, static/world-110m.json) decoded and projected to an SVG, and places projected onto it.

The projection is equirectangular (x = longitude, y = -latitude, scaled to a 1000 x 500 plane): a
dashboard map of points needs no more, and it keeps the page free of any map script (the CSP allows
none inline; nothing is fetched). Rings that cross the antimeridian are unwrapped so they do not
streak across the map; Antarctica is left out (nothing happens there that Rasd reports)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from rasd.serve.dashboard.render import HERE

WORLD = HERE / "static" / "world-110m.json"
WIDTH, HEIGHT = 1000.0, 500.0
_ANTARCTICA = "010"  # ISO 3166-1 numeric, the id world-atlas gives it


def project(lat: float, lon: float) -> tuple[float, float]:
    """A WGS 84 point on the 1000 x 500 plane (x grows east, y grows south)."""
    return (lon + 180.0) * WIDTH / 360.0, (90.0 - lat) * HEIGHT / 180.0


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (lon, lat) lists: quantized, delta-encoded positions undone."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], refs: list[int]) -> list[tuple[float, float]]:
    """A ring stitched from its arcs (~i is arc i reversed), each arc's first point shared with the last."""
    pts: list[tuple[float, float]] = []
    for i in refs:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    return pts


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous (a jump of more than 180 degrees is a crossing of the antimeridian)."""
    out, shift, prev = [], 0.0, None
    for lon, lat in ring:
        if prev is not None and abs(lon + shift - prev) > 180:
            shift += 360 if prev > lon + shift else -360
        prev = lon + shift
        out.append((prev, lat))
    return out


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        xy = [project(lat, lon) for lon, lat in _unwrap(ring)]
        if len(xy) >= 3:
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, str], ...]:
    """(name, SVG path data) of every country but Antarctica, projected."""
    topo = json.loads(WORLD.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") == _ANTARCTICA or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        d = _path([_ring(arcs, ring) for poly in polygons for ring in poly])
        if d:
            out.append((g.get("properties", {}).get("name", ""), d))
    return tuple(out)


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The outline as a standalone SVG document (the map page shows it as an <image> under its points)."""
    from markupsafe import escape

    paths = "".join(f'<path d="{d}"><title>{escape(name)}</title></path>' for name, d in countries())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" width="{WIDTH:g}" '
            f'height="{HEIGHT:g}"><rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="#eaf2f8"/>'
            f'<g fill="#f4f1e8" stroke="#9aa5b1" stroke-width="0.4" stroke-linejoin="round">{paths}</g></svg>')


@dataclass(frozen=True)
class View:
    """The part of the plane a map shows (an SVG viewBox), and how large a point's unit radius is there."""
    x: float
    y: float
    w: float
    h: float

    @property
    def box(self) -> str:
        return f"{self.x:.1f} {self.y:.1f} {self.w:.1f} {self.h:.1f}"

    @property
    def unit(self) -> float:
        return self.w / WIDTH


WHOLE = View(0.0, 0.0, WIDTH, HEIGHT * 150 / 180)  # 90N to 60S


def fit(points: list[tuple[float, float]], pad: float = 40.0, min_w: float = 160.0) -> View:
    """The smallest 2:1 view around projected ``points`` with a margin (the whole world when none)."""
    if not points:
        return WHOLE
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    w = max(max(xs) - min(xs) + 2 * pad, min_w, 2 * (max(ys) - min(ys) + 2 * pad))
    w = min(w, WIDTH)
    h = w / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = min(max(cx - w / 2, 0.0), WIDTH - w)
    y = min(max(cy - h / 2, 0.0), HEIGHT - h)
    return View(x, y, w, h)


def radius(reports: int, view: View) -> float:
    """A point's radius: its area grows with the number of reports (capped), in the view's units."""
    return (2.5 + 2.2 * min(reports, 400) ** 0.5) * view.unit
