"""Derive terraplan's district and region boundaries from the geokz district layers.

Run from the repository root: ``python scripts/derive_boundaries.py SOURCE_DIR`` where
``SOURCE_DIR`` holds ``kaz_admbnda_adm2_2024.*`` and ``kaz_admbnda_adm2_2018.*`` (ESRI
shapefiles) of the ``geokz`` package by Alexander Rodionov (CC BY 4.0; GitHub
``arodionoff/geokz`` at commit 41c1a00454ec9e01bda031b5074920bd82de02ce, folder
``inst/shape/``), and ``natural_zones_by_district.csv``. The SHA-256 of each file read is
checked against the table below.

One coherent geometry: the 224 districts of January 2024 are the atoms, and the 20 regions of
layout KZ-2022 are their dissolve, so every district lies inside its region exactly and shared
borders are shared at both levels. The script:

1. repairs invalid geometry (``shapely.make_valid``, polygonal parts only; one feature);
2. makes the 224 districts a clean coverage (``shapely.coverage_clean``: overlaps, 0.1 km² in
   all, given to the smaller unit, slivers narrower than 0.001° closed), rounds to 5 decimals
   (about 1 m) and checks it;
3. dissolves the districts of each region (``ADM1_PCODE`` ``KZ``+NN is ISO 3166-2 ``KZ-NN``)
   into the region polygons (``coverage_union``: the region outline is made of the districts'
   own vertices);
4. simplifies for web maps with ``shapely.coverage_simplify`` (shared edges stay shared): the
   districts at ``DISTRICT_TOLERANCE``; the regions on their own at ``TOLERANCE`` (each city of
   republican significance merged into its surrounding region first, then cut out again after
   being simplified at ``CITY_TOLERANCE``), so the region maps keep their size;
5. cleans the 216 districts of June 2018 the same way (overlaps 15.3 km²) and keeps only a
   simplified layer of them (maps of old panels);
6. computes the 2018 <-> 2024 crosswalk from the full-resolution polygons by areal overlap
   (pairs under ``NOISE`` of both units dropped as border noise between the two files);
7. writes the district registry ``districts.csv``, the crosswalk ``district_crosswalk.csv``,
   the natural zones of 2018 districts ``district_zones.csv``, and ``area_km2`` of the regions
   (and of the historic units, as the dissolve of their successors) in ``registry.csv``;
8. prints the per-region area table against the previous region polygons (``--compare``).

Output is deterministic: rerunning the script gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from terraplan.report.sanitize import atomic_write_text
from terraplan.territory.boundaries import EQUAL_AREA_CRS, RESOLUTIONS

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT / "data" / "regions"
OUT = REGIONS / "boundaries"
REGISTRY = REGIONS / "registry.csv"

SHA256 = {
    "kaz_admbnda_adm2_2024.shp": "6821c48a27c5c77c20d1cf71365a0c4078d48e28494b19fa9a6be4c7c2b63a49",
    "kaz_admbnda_adm2_2024.dbf": "e0fb676d93cdacb3b3a583fa64a679ce1e0a5456b464308f05a2a1c09f1c1168",
    "kaz_admbnda_adm2_2018.shp": "caa866a0b227288604f30b02054c942537aead65e071675d20bb58193be2a926",
    "kaz_admbnda_adm2_2018.dbf": "4caafff36bb0a815bd134a659106790beee95f290a17cb16d83ae68e316fdfe3",
    "natural_zones_by_district.csv": (
        "53e6786370c27b973ffbff40f9d2563ae5554be535db8eecc1fb398138a5bd7d"
    ),
}

# city of republican significance -> the region that surrounds it
ENCLAVES = {"KZ-71": "KZ-11", "KZ-75": "KZ-19", "KZ-79": "KZ-61"}
# 2018 file: ADM1_PCODE -> registry code of the unit on the borders of June 2018
CODES_2018 = {"KZ19": "KZ-ALM", "KZ35": "KZ-KAR", "KZ63": "KZ-VOS"}

GAP_WIDTH = 0.001  # degrees (about 100 m)
FULL_DECIMALS = 5  # about 1 m
SIMPLIFIED_DECIMALS = 4  # about 10 m
TOLERANCE = 0.08  # degrees: coverage_simplify of the regions
CITY_TOLERANCE = 0.005  # degrees: the three cities of republican significance
DISTRICT_TOLERANCE = 0.012  # degrees: coverage_simplify of the districts
NOISE = 0.01  # crosswalk pairs covering < 1 % of both units are border noise

DISTRICT_FILES = {
    "KZ-2024-D": "kz-2024-districts-{resolution}.geojson",
    "KZ-2018-D": "kz-2018-districts-{resolution}.geojson",
}
FIRST_LAST = {"KZ-2018-D": (2018, 2021), "KZ-2024-D": (2022, "")}

LATIN_LOOKALIKES = str.maketrans("AaBCEeHKMOoPpTXxy", "АаВСЕеНКМОоРрТХху")
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_sources(source: Path) -> None:
    problems = []
    for name, expected in SHA256.items():
        path = source / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif expected and sha256(path) != expected:
            problems.append(f"{path}: SHA-256 {sha256(path)}, expected {expected}")
    if problems:
        raise SystemExit("source files do not match:\n  " + "\n  ".join(problems))


def cyrillic(text: str) -> str:
    """Rewrite Latin look-alike letters inside a Cyrillic name ("Aршалинский" -> "Аршалинский")."""
    if re.search("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", text):
        return text.translate(LATIN_LOOKALIKES)
    return text


def read_layer(path: Path, year: int) -> gpd.GeoDataFrame:
    """District layer with KATO, region code, kind and names; names repaired where garbled."""
    frame = gpd.read_file(path)
    frame["code"] = frame["KATO"].astype(str).str.zfill(9)
    region = "KZ-" + frame["ADM1_PCODE"].str[2:]
    if year == 2018:
        region = frame["ADM1_PCODE"].map(CODES_2018).fillna(region)
    frame["region"] = region
    for lang in ("EN", "RU", "KK"):
        frame[f"name_{lang.lower()}"] = frame[f"ADM2_{lang}"].astype(str).str.strip().map(cyrillic)
    # the source swaps ru and kk for a few units (Taldykorgan: ru "Талдықорған", kk "Талдыкорган")
    swap = frame["name_ru"].str.contains(KAZAKH_LETTERS) & ~frame["name_kk"].str.contains(
        KAZAKH_LETTERS
    )
    frame.loc[swap, ["name_ru", "name_kk"]] = frame.loc[swap, ["name_kk", "name_ru"]].to_numpy()
    city_region = frame["region"].isin(list(ENCLAVES))
    city = frame["code"].str[2:4].astype(int).between(10, 29) & (frame["code"].str[4:6] == "00")
    frame["kind"] = np.where(city_region, "city_district", np.where(city, "city", "rayon"))
    if frame["code"].duplicated().any():
        raise SystemExit(f"{path}: repeated KATO codes")
    return frame


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
        listing = "\n  ".join(problems)
        raise SystemExit(f"{label} boundaries are not a clean coverage:\n  {listing}")


def canonical(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Normalized part order, RFC 7946 ring orientation, coordinates rounded to ``decimals``."""
    oriented = shapely.orient_polygons(shapely.normalize(geoms), exterior_cw=False)
    return shapely.transform(oriented, lambda xy: np.round(xy, decimals))


def clean(geoms: np.ndarray) -> np.ndarray:
    """Repair, then make a coverage: overlaps go to the smaller unit (the enclave city)."""
    repaired = np.array([polygonal(g) for g in geoms])
    return shapely.coverage_clean(repaired, gap_width=GAP_WIDTH, merge_strategy="min_area")


def dissolve(district_geoms: np.ndarray, parents: np.ndarray, codes: list[str]) -> np.ndarray:
    """The coverage union of the districts of each region, in the order of ``codes``."""
    return np.array([shapely.coverage_union_all(district_geoms[parents == c]) for c in codes])


def simplify_regions(full: np.ndarray, codes: list[str]) -> np.ndarray:
    """Coverage-simplify the regions at TOLERANCE and the enclave cities at CITY_TOLERANCE."""
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


def feature_collection(codes: list[str], names: list[str], geoms: np.ndarray) -> str:
    """Stable GeoJSON text: features sorted by code, one feature per line."""
    order = np.argsort(codes)
    lines = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {"code": codes[i], "name_en": names[i]},
                "geometry": shapely.geometry.mapping(geoms[i]),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for i in order
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_rows(rows: list[list[str]]) -> str:
    """CSV text of ``rows`` with ``\\n`` line ends and minimal quoting."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def registry_with_areas(region_area: dict[str, float], region_geoms: dict) -> str:
    """Registry text with ``area_km2`` filled for the 2022 units and the historic units."""
    text = REGISTRY.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    if write_rows(rows) != text:
        raise SystemExit(f"{REGISTRY} does not survive a csv round trip; not touching it.")
    header, body = rows[0], rows[1:]
    col = {name: j for j, name in enumerate(header)}
    area = dict(region_area)
    for row in body:
        successors = row[col["successors"]].split()
        if row[col["code"]] not in area and successors:
            dissolved = shapely.coverage_union_all(np.array([region_geoms[s] for s in successors]))
            area[row[col["code"]]] = areas_km2(np.array([dissolved]))[0]
    for row in body:
        if row[col["code"]] in area:
            row[col["area_km2"]] = f"{area[row[col['code']]]:.1f}"
    return write_rows([header, *body])


def crosswalk(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> pd.DataFrame:
    """Areal overlap of 2018 and 2024 districts (full resolution, equal-area projection)."""
    a = old.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    b = new.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    i, j = shapely.STRtree(b).query(a, predicate="intersects")
    overlap = shapely.area(shapely.intersection(a[i], b[j])) / 1e6
    area_a, area_b = shapely.area(a) / 1e6, shapely.area(b) / 1e6
    frame = pd.DataFrame(
        {
            "kato_2018": old["code"].to_numpy()[i],
            "kato_2024": new["code"].to_numpy()[j],
            "overlap_km2": overlap,
            "share_of_2018": overlap / area_a[i],
            "share_of_2024": overlap / area_b[j],
        }
    )
    frame = frame[(frame["share_of_2018"] >= NOISE) | (frame["share_of_2024"] >= NOISE)].copy()
    # renormalize after dropping noise: each unit's shares add up to 1
    frame["share_of_2018"] = frame["overlap_km2"] / frame.groupby("kato_2018")[
        "overlap_km2"
    ].transform("sum")
    frame["share_of_2024"] = frame["overlap_km2"] / frame.groupby("kato_2024")[
        "overlap_km2"
    ].transform("sum")
    same = frame["kato_2018"] == frame["kato_2024"]
    whole = (frame["share_of_2018"] > 0.99) & (frame["share_of_2024"] > 0.99)
    frame["relation"] = np.select(
        [whole & same, whole, frame["share_of_2018"] > 0.99, frame["share_of_2024"] > 0.99],
        ["same", "recoded", "into", "from"],
        "split",
    )
    frame = frame.sort_values(["kato_2018", "kato_2024"], ignore_index=True)
    for column in ("overlap_km2",):
        frame[column] = frame[column].map(lambda v: f"{v:.1f}")
    for column in ("share_of_2018", "share_of_2024"):
        frame[column] = frame[column].map(lambda v: f"{v:.4f}")
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with the geokz shapefiles")
    parser.add_argument("--compare", action="store_true", help="print the area table")
    args = parser.parse_args()
    check_sources(args.source)

    new = read_layer(args.source / "kaz_admbnda_adm2_2024.shp", 2024)
    old = read_layer(args.source / "kaz_admbnda_adm2_2018.shp", 2018)
    before = {}
    if args.compare:
        from terraplan.territory.boundaries import boundaries

        previous = boundaries()
        before = dict(zip(previous["code"], previous.geometry, strict=True))

    # ------------------------------------------------------------------ 2024 districts + regions
    full = canonical(clean(new.geometry.to_numpy()), FULL_DECIMALS)
    codes = new["code"].tolist()
    check_coverage(full, codes, "2024 districts (full)")
    new = new.set_geometry(gpd.GeoSeries(full, crs="EPSG:4326"))
    registry = pd.read_csv(REGISTRY, dtype=str, keep_default_na=False).set_index("code")
    region_codes = sorted(new["region"].unique())
    region_full = canonical(dissolve(full, new["region"].to_numpy(), region_codes), FULL_DECIMALS)
    check_coverage(region_full, region_codes, "regions (full)")
    region_simple = canonical(simplify_regions(region_full, region_codes), SIMPLIFIED_DECIMALS)
    check_coverage(region_simple, region_codes, "regions (simplified)")
    district_simple = canonical(shapely.coverage_simplify(full, DISTRICT_TOLERANCE), 4)
    check_coverage(district_simple, codes, "2024 districts (simplified)")
    region_names = registry.loc[region_codes, "name_en"].tolist()
    outputs = {
        OUT / RESOLUTIONS["full"]: feature_collection(region_codes, region_names, region_full),
        OUT / RESOLUTIONS["simplified"]: feature_collection(
            region_codes, region_names, region_simple
        ),
    }
    names = new["name_en"].tolist()
    for resolution, layer in (("full", full), ("simplified", district_simple)):
        path = OUT / DISTRICT_FILES["KZ-2024-D"].format(resolution=resolution)
        outputs[path] = feature_collection(codes, names, layer)

    # ------------------------------------------------------------------ 2018 districts
    old_full = canonical(clean(old.geometry.to_numpy()), FULL_DECIMALS)
    old_codes = old["code"].tolist()
    check_coverage(old_full, old_codes, "2018 districts (full)")
    old = old.set_geometry(gpd.GeoSeries(old_full, crs="EPSG:4326"))
    old_simple = canonical(shapely.coverage_simplify(old_full, DISTRICT_TOLERANCE), 4)
    check_coverage(old_simple, old_codes, "2018 districts (simplified)")
    path = OUT / DISTRICT_FILES["KZ-2018-D"].format(resolution="simplified")
    outputs[path] = feature_collection(old_codes, old["name_en"].tolist(), old_simple)

    # ------------------------------------------------------------------ tables
    rows = []
    for layout, frame, geoms in (("KZ-2018-D", old, old_full), ("KZ-2024-D", new, full)):
        first, last = FIRST_LAST[layout]
        part = frame[["code", "region", "kind", "name_en", "name_ru", "name_kk"]].copy()
        part.insert(0, "layout", layout)
        part["area_km2"] = [f"{a:.1f}" for a in areas_km2(geoms)]
        part["first_year"], part["last_year"] = first, last
        rows.append(part.rename(columns={"code": "kato"}))
    table = pd.concat(rows).sort_values(["layout", "kato"], ignore_index=True)
    outputs[REGIONS / "districts.csv"] = table.to_csv(index=False, lineterminator="\n")
    outputs[REGIONS / "district_crosswalk.csv"] = crosswalk(old, new).to_csv(
        index=False, lineterminator="\n"
    )
    zones = pd.read_csv(args.source / "natural_zones_by_district.csv", dtype=str)
    zones = zones.rename(columns=str.lower).rename(columns={"kato": "kato_2018"})
    zones = zones[["kato_2018", "zone_en", "zone_ru", "zone_kk"]].fillna("")
    # two codes of the zone table are the cities' own settlement codes (111010000 Kokshetau,
    # 111810000 Stepnogorsk): map them to the district code of the layer (111000000, 111800000)
    outside = ~zones["kato_2018"].isin(old_codes)
    zones.loc[outside, "kato_2018"] = zones.loc[outside, "kato_2018"].str[:4] + "00000"
    if set(zones["kato_2018"]) != set(old_codes):
        raise SystemExit("natural zones do not cover the 2018 districts one to one")
    zones = zones.sort_values("kato_2018", ignore_index=True)
    outputs[REGIONS / "district_zones.csv"] = zones.to_csv(index=False, lineterminator="\n")

    region_area = dict(zip(region_codes, areas_km2(region_full), strict=True))
    outputs[REGISTRY] = registry_with_areas(
        region_area, dict(zip(region_codes, region_full, strict=True))
    )
    for path, text in outputs.items():
        atomic_write_text(path, text).chmod(0o644)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")

    if before:
        print(f"{'code':7} {'previous km2':>13} {'districts km2':>14} {'diff %':>7} {'moved %':>8}")
        prev_area = dict(zip(before, areas_km2(np.array(list(before.values()))), strict=True))
        moved = {}
        for code, geom in zip(region_codes, region_full, strict=True):
            sym = shapely.symmetric_difference(before[code], geom)
            moved[code] = areas_km2(np.array([sym]))[0]
        for code in region_codes:
            diff = (region_area[code] / prev_area[code] - 1) * 100
            print(
                f"{code:7} {prev_area[code]:13.1f} {region_area[code]:14.1f} {diff:7.2f} "
                f"{moved[code] / prev_area[code] * 100:8.2f}"
            )
        total_prev, total = sum(prev_area.values()), sum(region_area.values())
        print(f"{'total':7} {total_prev:13.1f} {total:14.1f} {(total / total_prev - 1) * 100:7.2f}")


if __name__ == "__main__":
    main()
