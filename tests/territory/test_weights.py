"""Spatial weights: known neighbours on synthetic grids, enclaves, islands, the KZ-2022 layout."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from terraplan.errors import GeometryError, InputError
from terraplan.territory.weights import neighbours, spatial_weights


def grid(n_rows: int, n_cols: int, *, crs: str | None = None) -> gpd.GeoDataFrame:
    """Unit squares; code r{row}c{col}, so the neighbours of every cell are known by geometry."""
    cells = [(r, c) for r in range(n_rows) for c in range(n_cols)]
    return gpd.GeoDataFrame(
        {"code": [f"r{r}c{c}" for r, c in cells]},
        geometry=[box(c, r, c + 1, r + 1) for r, c in cells],
        crs=crs,
    )


def test_queen_and_rook_on_a_3x3_grid():
    w_queen = spatial_weights(grid(3, 3), "queen", transform="b")
    w_rook = spatial_weights(grid(3, 3), "rook", transform="b")
    # the centre touches all 8 cells at a corner or an edge, and 4 of them along an edge
    assert w_queen.neighbors["r1c1"] == sorted(
        f"r{r}c{c}" for r in range(3) for c in range(3) if (r, c) != (1, 1)
    )
    assert w_rook.neighbors["r1c1"] == ["r0c1", "r1c0", "r1c2", "r2c1"]
    # a corner cell: 3 queen neighbours, 2 rook neighbours
    assert w_queen.neighbors["r0c0"] == ["r0c1", "r1c0", "r1c1"]
    assert w_rook.neighbors["r0c0"] == ["r0c1", "r1c0"]
    assert w_queen.id_order == sorted(w_queen.id_order)
    assert w_queen.added_links == []


def test_row_standardization_sums_to_one():
    w = spatial_weights(grid(4, 5), "queen")
    sums = np.asarray(w.sparse.sum(axis=1)).ravel()
    np.testing.assert_allclose(sums, 1.0)


def test_input_row_order_does_not_matter():
    g = grid(3, 3)
    shuffled = g.sample(frac=1.0, random_state=1)
    assert spatial_weights(shuffled).neighbors == spatial_weights(g).neighbors


def test_enclave_is_a_neighbour_of_the_region_around_it():
    # a city square inside an oblast ring; a second oblast beside the ring
    city = box(1, 1, 2, 2)
    ring_with_hole = box(0, 0, 3, 3).difference(city)
    east = box(3, 0, 4, 3)
    geo = gpd.GeoDataFrame({"code": ["CITY", "OBL", "EAST"]}, geometry=[city, ring_with_hole, east])
    w = spatial_weights(geo, "queen")
    assert w.neighbors["CITY"] == ["OBL"]
    assert w.neighbors["OBL"] == ["CITY", "EAST"]
    # the same when the oblast polygon was digitized without its hole (overlap, not touch)
    geo_no_hole = geo.set_geometry([city, box(0, 0, 3, 3), east])
    assert spatial_weights(geo_no_hole, "queen").neighbors["CITY"] == ["OBL"]


def test_island_linked_to_nearest_region_with_a_warning():
    g = grid(2, 2)
    island = gpd.GeoDataFrame({"code": ["ISL"]}, geometry=[box(5, 0.2, 6, 0.8)])
    geo = gpd.GeoDataFrame({"code": [*g["code"], "ISL"]}, geometry=[*g.geometry, *island.geometry])
    with pytest.warns(UserWarning, match="ISL"):
        w = spatial_weights(geo, "rook")
    # nearest cell to x=5 is the right column; r0c1 (y 0..1) is at distance 4, r1c1 farther
    assert w.neighbors["ISL"] == ["r0c1"]
    assert "ISL" in w.neighbors["r0c1"]
    assert w.added_links == [("ISL", "r0c1")]


def test_island_policy_raise_and_keep():
    geo = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(3, 0, 4, 1)])
    with pytest.raises(GeometryError, match="2 disconnected parts"):
        spatial_weights(geo, islands="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = spatial_weights(geo, islands="keep")
    assert w.neighbors == {"A": [], "B": []}


def test_two_disconnected_blocks_get_one_link():
    left = grid(2, 2)
    right = grid(2, 2)
    geo = gpd.GeoDataFrame(
        {"code": [*left["code"], *[c + "x" for c in right["code"]]]},
        geometry=[*left.geometry, *right.geometry.translate(xoff=10)],
    )
    with pytest.warns(UserWarning):
        w = spatial_weights(geo, "queen")
    assert len(w.added_links) == 1
    assert w.n_components == 1


def test_knn_and_distance_band():
    g = grid(1, 5)  # centroids at x = 0.5, 1.5, ..., 4.5
    w_knn = spatial_weights(g, "knn", k=2, transform="b")
    assert w_knn.neighbors["r0c0"] == ["r0c1", "r0c2"]
    assert w_knn.cardinalities == {c: 2 for c in g["code"]}
    w_band = spatial_weights(g, "distance", threshold=1.5, transform="b")
    assert w_band.neighbors["r0c2"] == ["r0c1", "r0c3"]  # distance 1 yes, distance 2 no


def test_input_problems_reported_together():
    g = grid(1, 3)
    g.loc[1, "code"] = "r0c0"
    g.loc[2, "geometry"] = None
    with pytest.raises(GeometryError) as err:
        spatial_weights(g, kind="hexagon")
    message = str(err.value)
    assert "hexagon" in message and "duplicated" in message and "empty or missing" in message
    with pytest.raises(InputError, match="threshold"):
        spatial_weights(grid(1, 3), "distance")
    with pytest.raises(InputError, match="k="):
        spatial_weights(grid(1, 3), "knn", k=3)


def test_geographic_input_is_projected_for_distances():
    # two boxes 1 degree apart near Astana: about 77 km at 51 N, far less than 1 "unit" apart
    geo = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[box(71.0, 51.0, 71.1, 51.1), box(72.0, 51.0, 72.1, 51.1)],
        crs="EPSG:4326",
    )
    assert spatial_weights(geo, "distance", threshold=80_000).neighbors["A"] == ["B"]
    with pytest.warns(UserWarning):
        assert spatial_weights(geo, "distance", threshold=60_000).added_links == [("A", "B")]


def test_kz_2022_enclave_cities_and_symmetry():
    nb = neighbours("KZ-2022")
    assert len(nb) == 20
    # Astana lies inside Akmola, Almaty city inside Almaty Region, Shymkent inside Turkistan
    assert nb["KZ-71"] == ["KZ-11"] and "KZ-71" in nb["KZ-11"]
    assert nb["KZ-75"] == ["KZ-19"] and "KZ-75" in nb["KZ-19"]
    assert nb["KZ-79"] == ["KZ-61"] and "KZ-79" in nb["KZ-61"]
    # Karaganda borders Ulytau (split from it in 2022); Mangystau borders Atyrau and Aktobe
    assert "KZ-62" in nb["KZ-35"]
    assert nb["KZ-47"] == ["KZ-15", "KZ-23"]
    for code, others in nb.items():
        assert others == sorted(others)
        assert code not in others
        assert all(code in nb[o] for o in others)
    # the caller gets its own copy
    nb["KZ-71"].append("X")
    assert neighbours("KZ-2022")["KZ-71"] == ["KZ-11"]
