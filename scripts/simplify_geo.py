"""Simplify the 34 province boundaries (1 July 2025) into one small GeoJSON for the dashboards' map.

Maintainers run this by hand when the boundaries change; the product only reads its output,
`hoptac/static/hoptac/geo/provinces-2025.json` (committed, with SOURCE.md and LICENSE beside it).

    pip install shapely==2.1.2          # maintainer-only: not in requirements*.txt, not needed at run time
    python scripts/simplify_geo.py [SOURCE_DIR] [--tolerance 0.004] [--decimals 3]

SOURCE_DIR defaults to ../shared/geo/provinces-2025 (one `NN.geojson` per province, each a
FeatureCollection of one feature whose properties are `code` and `name`).

How: shapely's `coverage_simplify` (GEOS CoverageSimplifier, a Visvalingam–Whyatt simplification
of a polygonal coverage), so that a border shared by two provinces is simplified once and both
provinces keep the same line: no gaps or overlaps appear between neighbours, which per-polygon
Douglas–Peucker would create. Coordinates are then rounded (3 decimals ≈ 110 m), repeated points
dropped, and rings that collapse below a triangle removed. The tolerance is in degrees (the
source is WGS 84 longitude/latitude).

The output keeps `code` (the GSO code, which is our unit code for today's provinces, e.g. "44")
and `name`, and is checked: 34 features, every code two digits and unique.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "geo" / "provinces-2025"
OUTPUT = ROOT / "hoptac" / "static" / "hoptac" / "geo" / "provinces-2025.json"
ATTRIBUTION = (
    "Boundaries: thanglequoc/vietnamese-provinces-database (MIT), from the official 2025 arrangement map"
)


def _ring(coords, decimals: int) -> list[list[float]] | None:
    out: list[list[float]] = []
    for x, y in coords:
        point = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != point:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None  # a closed ring needs three distinct points


def _polygons(geometry, decimals: int) -> list:
    from shapely.geometry import MultiPolygon, Polygon

    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    polygons = []
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        shell = _ring(part.exterior.coords, decimals)
        if shell is None:
            continue
        holes = [r for r in (_ring(i.coords, decimals) for i in part.interiors) if r is not None]
        polygons.append([shell, *holes])
    return polygons


def simplify(source: Path, tolerance: float, decimals: int) -> dict:
    import shapely
    from shapely.geometry import shape

    features = []
    for path in sorted(source.glob("*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data["features"]:
            features.append((feature["properties"], shape(feature["geometry"])))
    if len(features) != 34:
        sys.exit(f"expected 34 provinces in {source}, found {len(features)}")
    codes = [str(props["code"]) for props, _g in features]
    if len(set(codes)) != 34 or not all(len(c) == 2 and c.isdigit() for c in codes):
        sys.exit(f"province codes are not 34 unique two-digit codes: {codes}")
    geometries = shapely.make_valid(shapely.from_wkb([g.wkb for _p, g in features]))
    simplified = shapely.coverage_simplify(geometries, tolerance)
    out = []
    for (props, _g), geometry in zip(features, simplified, strict=True):
        polygons = _polygons(geometry, decimals)
        if not polygons:
            sys.exit(f"province {props['code']} vanished at tolerance {tolerance}")
        out.append(
            {
                "type": "Feature",
                "properties": {"code": str(props["code"]), "name": props["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--tolerance", type=float, default=0.004, help="degrees (default 0.004 ≈ 400 m)")
    parser.add_argument("--decimals", type=int, default=3, help="coordinate decimals (default 3 ≈ 110 m)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    collection = simplify(args.source, args.tolerance, args.decimals)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) for f in collection["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"{args.output}: 34 provinces, {points} points, {len(text.encode()) / 1024:.0f} kB")


if __name__ == "__main__":
    main()
