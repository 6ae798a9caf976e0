"""Tests of the bundled region boundaries (layout KZ-2022) and their loader.

Every check runs on the real bundled files; the expected facts (which units touch, the total
area of Kazakhstan) are written out by hand from published geography, not read from the data.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from terraplan._resources import data_dir
from terraplan.errors import InputError, LayoutError
from terraplan.territory import boundaries as boundaries_module
from terraplan.territory.boundaries import EQUAL_AREA_CRS, RESOLUTIONS, boundaries
from terraplan.territory.registry import layout_regions, regions

CODES_2022 = [
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
]  # fmt: skip
# city of republican significance -> the region that surrounds it on every side
ENCLAVES = {"KZ-71": "KZ-11", "KZ-75": "KZ-19", "KZ-79": "KZ-61"}
# neighbours inside Kazakhstan, from the map of the 2022 layout
KNOWN_NEIGHBOURS = {
    "KZ-71": {"KZ-11"},  # Astana: only Akmola Region
    "KZ-75": {"KZ-19"},  # Almaty: only Almaty Region
    "KZ-79": {"KZ-61"},  # Shymkent: only Turkistan Region
    "KZ-27": {"KZ-15", "KZ-23"},  # West Kazakhstan: Aktobe, Atyrau (and Russia)
    "KZ-47": {"KZ-15", "KZ-23"},  # Mangystau: Aktobe, Atyrau (and the Caspian, Turkmenistan...)
    "KZ-59": {"KZ-11", "KZ-39", "KZ-55"},  # North Kazakhstan: Akmola, Kostanay, Pavlodar
    "KZ-63": {"KZ-10"},  # East Kazakhstan since 2022: only Abai Region (and Russia, China)
}
PUBLISHED_TOTAL_KM2 = 2_724_900  # total area of Kazakhstan (CIA World Factbook, see SOURCES.md)
SIMPLIFIED_MAX_BYTES = 100_000  # five map layers of 20 regions must stay under 600 KB of HTML
FULL_MAX_BYTES = 2_000_000
DECIMALS = {"full": 5, "simplified": 4}


@pytest.fixture(scope="module", params=list(RESOLUTIONS))
def layer(request):
    return request.param, boundaries(resolution=request.param)


def shared_borders(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) of intersecting polygons and the length of their common boundary."""
    i, j = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    rims = shapely.boundary(geoms)
    return i, j, shapely.length(shapely.intersection(rims[i], rims[j]))


def neighbours(frame) -> dict[str, set[str]]:
    """Which units share a border of positive length (rook contiguity), by code."""
    codes = frame["code"].to_numpy()
    i, j, length = shared_borders(frame.geometry.to_numpy())
    out: dict[str, set[str]] = {code: set() for code in codes}
    for a, b in zip(codes[i[length > 0]], codes[j[length > 0]], strict=True):
        out[a].add(b)
        out[b].add(a)
    return out


def test_twenty_units_with_registry_codes_sorted(layer):
    _, frame = layer
    assert frame["code"].tolist() == CODES_2022
    assert sorted(layout_regions("KZ-2022")) == CODES_2022
    assert list(frame.columns) == [
        "code", "name_en", "name_ru", "name_kk", "kind", "area_km2", "geometry"
    ]  # fmt: skip
    assert frame.crs.to_epsg() == 4326
    assert frame.loc[frame["kind"] == "city", "code"].tolist() == ["KZ-71", "KZ-75", "KZ-79"]
    assert frame.set_index("code").loc["KZ-33", "name_en"] == "Jetisu Region"


def test_geometries_valid_and_polygonal(layer):
    _, frame = layer
    geoms = frame.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not shapely.is_empty(geoms).any()


def test_clean_coverage_without_overlaps_or_gaps(layer):
    _, frame = layer
    geoms = frame.geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)
    projected = frame.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    i, j, _ = shared_borders(projected)
    overlaps = shapely.union_all(shapely.intersection(projected[i], projected[j]))
    assert shapely.area(overlaps) == 0.0
    # no gap: the union of the 20 units has no hole (the country has no hole either)
    union = shapely.coverage_union_all(geoms)
    assert shapely.get_num_interior_rings(shapely.get_parts(union)).sum() == 0


def test_every_border_is_shared_or_national(layer):
    # identity of a clean coverage: each unit's boundary is either shared with exactly one
    # neighbour or on the outline of the union, so the lengths add up exactly
    _, frame = layer
    geoms = frame.geometry.to_numpy()
    _, _, shared = shared_borders(geoms)
    outline = shapely.length(shapely.boundary(shapely.coverage_union_all(geoms)))
    total = shapely.length(shapely.boundary(geoms)).sum()
    assert total == pytest.approx(2 * shared.sum() + outline, rel=1e-9)
    assert shared.sum() > 0.25 * total  # the units do share long borders


@pytest.mark.parametrize(("city", "region"), sorted(ENCLAVES.items()))
def test_enclave_city_is_a_hole_of_its_region(layer, city, region):
    _, frame = layer
    geom = frame.set_index("code").geometry
    outer = shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(geom[region])))
    assert shapely.within(geom[city], shapely.union_all(outer))
    assert shapely.area(shapely.intersection(geom[city], geom[region])) == 0.0
    # the city's whole boundary is shared with the region that surrounds it
    common = shapely.intersection(geom[city].boundary, geom[region].boundary)
    assert shapely.length(common) == pytest.approx(shapely.length(geom[city].boundary), rel=1e-9)


def test_known_neighbours(layer):
    _, frame = layer
    found = neighbours(frame)
    assert {code: found[code] for code in KNOWN_NEIGHBOURS} == KNOWN_NEIGHBOURS
    assert all(found[code] for code in CODES_2022)  # no unit is isolated


def test_simplified_keeps_the_neighbour_relation():
    full, simplified = boundaries(), boundaries(resolution="simplified")
    assert neighbours(full) == neighbours(simplified)
    assert (shapely.get_num_coordinates(simplified.geometry.to_numpy()) > 3).all()
    assert shapely.get_num_coordinates(simplified.geometry.to_numpy()).sum() < (
        shapely.get_num_coordinates(full.geometry.to_numpy()).sum() / 10
    )


def test_areas_match_registry_and_published_total():
    full = boundaries()
    computed = full.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(full["area_km2"].to_numpy(), computed, atol=0.05 + 1e-9)
    assert abs(computed.sum() / PUBLISHED_TOTAL_KM2 - 1) < 0.02
    # simplification moves no unit's area by more than 1 %
    simplified = boundaries(resolution="simplified").to_crs(EQUAL_AREA_CRS).area.to_numpy()
    np.testing.assert_allclose(simplified / 1e6, computed, rtol=0.01)
    # the cities are the three smallest units, each under 2,000 km²
    smallest = full.nsmallest(3, "area_km2")
    assert sorted(smallest["code"]) == ["KZ-71", "KZ-75", "KZ-79"]
    assert (smallest["area_km2"] < 2_000).all()


def test_historic_units_have_the_area_of_their_successors():
    registry = regions(layout=None)
    for code in ["KZ-YUZ", "KZ-VOS", "KZ-ALM", "KZ-KAR"]:
        parts = registry.loc[code, "successors"].split()
        expected = registry.loc[parts, "area_km2"].sum()
        assert registry.loc[code, "area_km2"] == pytest.approx(expected, abs=0.1 * len(parts))


def test_files_are_small_and_canonical():
    folder = data_dir() / "boundaries"
    assert (folder / RESOLUTIONS["simplified"]).stat().st_size < SIMPLIFIED_MAX_BYTES
    assert (folder / RESOLUTIONS["full"]).stat().st_size < FULL_MAX_BYTES
    names = regions(layout="KZ-2022")["name_en"]
    for resolution, name in RESOLUTIONS.items():
        text = (folder / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == '{"type":"FeatureCollection","features":['
        assert lines[-1] == "]}" and text.endswith("\n")
        codes = [re.search(r'"code":"([^"]+)"', line).group(1) for line in lines[1:-1]]
        assert codes == CODES_2022
        found = [re.search(r'"name_en":"([^"]+)"', line).group(1) for line in lines[1:-1]]
        assert found == names.loc[CODES_2022].tolist()
        decimals = max(len(d) for d in re.findall(r"\d\.(\d+)", text))
        assert decimals <= DECIMALS[resolution]


def test_reading_twice_gives_equal_fresh_frames():
    first = boundaries(resolution="simplified")
    first.loc[0, "name_en"] = "changed"
    boundaries_module._read.cache_clear()
    second = boundaries(resolution="simplified")
    third = boundaries(resolution="simplified")
    assert second.loc[0, "name_en"] == "Abai Region"
    assert_geodataframe_equal(second, third)
    assert second is not third


def test_unknown_layout_and_resolution_name_the_valid_ones():
    with pytest.raises(LayoutError, match=r"'KZ-1997', 'KZ-2018', 'KZ-2022'"):
        boundaries("KZ-2030")
    with pytest.raises(InputError, match=r"'full', 'simplified'"):
        boundaries(resolution="medium")


def test_other_layouts_are_dissolved_from_2022(monkeypatch):
    calls = []

    def dissolve_layout(frame, layout):
        calls.append((frame["code"].tolist(), layout))
        return frame.iloc[:0]

    monkeypatch.setattr("terraplan.territory.boundaries.dissolve_layout", dissolve_layout)
    out = boundaries("KZ-2018", resolution="simplified")
    assert calls == [(CODES_2022, "KZ-2018")]
    assert len(out) == 0
