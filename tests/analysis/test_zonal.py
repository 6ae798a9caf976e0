"""Zonal statistics: answers known by construction, invariances, and exactextract as an oracle.

Every raster here is written by the test itself with rasterio, so the right answer follows from
how it was built (a constant raster sums to value x covered cells; a zone drawn on cell edges
covers a known number of cells; a nodata island removes a known number of cells).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point, box

from terraplan.analysis.zonal import STATS, _polygon_cells, zonal_panel, zonal_stats
from terraplan.errors import GeometryError, InputError

UTM = "EPSG:32642"  # metres: a 1000 m cell is exactly 1 km²


def write(path, values, *, crs=UTM, transform=None, nodata=None, tiled=False):
    """Write a one-band GeoTIFF and return its path."""
    values = np.asarray(values)
    if transform is None:
        transform = Affine(1000, 0, 0, 0, -1000, 1000 * values.shape[0])
    profile = {
        "driver": "GTiff",
        "height": values.shape[0],
        "width": values.shape[1],
        "count": 1,
        "dtype": values.dtype.name,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
    }
    if tiled:
        profile |= {"tiled": True, "blockxsize": 16, "blockysize": 16, "compress": "deflate"}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return str(path)


def zones(*geoms, crs=UTM, codes=None):
    codes = codes or [f"z{i}" for i in range(len(geoms))]
    return gpd.GeoDataFrame({"code": codes}, geometry=list(geoms), crs=crs)


def km(x0, y0, x1, y1):
    """A box given in kilometres (cells of the default 1 km grid)."""
    return box(x0 * 1000, y0 * 1000, x1 * 1000, y1 * 1000)


def test_constant_raster_sums_value_times_covered_cells(tmp_path):
    # 10 x 10 cells of 2.0. Zone a covers columns 2.5..5 and rows 1..4 (from the bottom):
    # 2.5 x 3 = 7.5 cells; zone b is a cell-aligned 4 x 2 block = 8 cells.
    path = write(tmp_path / "c.tif", np.full((10, 10), 2.0, dtype="float32"))
    out = zonal_stats(path, zones(km(2.5, 1, 5, 4), km(6, 6, 10, 8))).set_index("code")
    assert out.loc["z0", "count"] == pytest.approx(7.5, abs=1e-12)
    assert out.loc["z0", "sum"] == pytest.approx(15.0, abs=1e-12)
    assert out.loc["z1", "sum"] == pytest.approx(16.0, abs=1e-12)
    assert (out[["mean", "min", "max"]] == 2.0).all().all()
    assert (out["share_valid"] == 1.0).all()
    assert list(out.columns) == list(STATS)


def test_min_max_mean_over_partly_covered_cells(tmp_path):
    # value = column index; zone over columns 2.5..5 of one row touches columns 2, 3, 4
    # (column 2 by half): min 2, max 4, mean (0.5*2 + 3 + 4) / 2.5 = 3.2.
    values = np.tile(np.arange(8, dtype="float32"), (4, 1))
    path = write(tmp_path / "cols.tif", values)
    out = zonal_stats(path, zones(km(2.5, 1, 5, 2))).iloc[0]
    assert (out["min"], out["max"]) == (2.0, 4.0)
    assert out["mean"] == pytest.approx(3.2, abs=1e-12)
    assert out["sum"] == pytest.approx(8.0, abs=1e-12)


def test_density_raster_sum_multiplies_by_cell_area(tmp_path):
    # 5 people per km² on 500 m cells (0.25 km² each); the zone is 3 km x 2 km = 6 km²,
    # so the total is 30 people whatever the cell size; count is 24 cells.
    path = write(
        tmp_path / "d.tif",
        np.full((20, 20), 5.0, dtype="float32"),
        transform=Affine(500, 0, 0, 0, -500, 10_000),
    )
    out = zonal_stats(path, zones(km(1, 1, 4, 3)), kind="density").iloc[0]
    assert out["sum"] == pytest.approx(30.0, rel=1e-12)
    assert out["count"] == pytest.approx(24.0, rel=1e-12)
    counted = zonal_stats(path, zones(km(1, 1, 4, 3)), kind="count").iloc[0]
    assert counted["sum"] == pytest.approx(120.0, rel=1e-12)


def test_nodata_islands_and_nan_are_skipped(tmp_path):
    # zone = the 6 x 6 block of cells in rows 2..7, cols 2..7 (36 cells); 4 of them nodata
    # (-1) and 2 NaN, so 30 valid cells of value 1.
    values = np.ones((10, 10), dtype="float32")
    values[3:5, 3:5] = -1
    values[6, 2:4] = np.nan
    path = write(tmp_path / "n.tif", values, nodata=-1)
    out = zonal_stats(path, zones(km(2, 2, 8, 8))).iloc[0]
    assert out["count"] == pytest.approx(30.0)
    assert out["sum"] == pytest.approx(30.0)
    assert out["min"] == out["max"] == out["mean"] == 1.0
    assert out["share_valid"] == pytest.approx(30 / 36)


def test_raster_covering_part_of_a_zone(tmp_path):
    # raster = 4 x 4 km at the origin; zone = 2..6 km x 0..4 km: half of it lies off the
    # raster (8 of its 16 km²), so sum 8, share_valid 0.5; a zone wholly outside is NaN.
    path = write(tmp_path / "p.tif", np.ones((4, 4), dtype="float32"))
    out = zonal_stats(path, zones(km(2, 0, 6, 4), km(10, 10, 12, 12))).set_index("code")
    assert out.loc["z0", "sum"] == pytest.approx(8.0)
    assert out.loc["z0", "share_valid"] == pytest.approx(0.5)
    assert np.isnan(out.loc["z1", "sum"]) and out.loc["z1", "count"] == 0.0
    assert out.loc["z1", "share_valid"] == 0.0


def test_zones_in_another_crs_are_reprojected(tmp_path):
    # the same zone given in EPSG:4326 gives the same answer as in the raster's CRS
    path = write(tmp_path / "r.tif", np.ones((50, 50), dtype="float32"))
    zone = km(10.3, 12.1, 30.7, 40.2)
    here = zonal_stats(path, zones(zone), stats=("sum",)).iloc[0]["sum"]
    there = zones(zone).to_crs(4326)
    assert zonal_stats(path, there, stats=("sum",)).iloc[0]["sum"] == pytest.approx(here, rel=1e-6)
    assert here == pytest.approx(20.4 * 28.1, rel=1e-12)


def test_windowed_reads_give_the_same_answer(tmp_path):
    # a tiled raster read in strips of one 16-row block gives what one big read gives
    rng = np.random.default_rng(0)
    values = rng.random((100, 120)).astype("float32")
    values[rng.random(values.shape) < 0.05] = -9
    path = write(tmp_path / "t.tif", values, nodata=-9, tiled=True)
    z = zones(Point(50_000, 50_000).buffer(30_000), km(3.3, 2.2, 118.5, 20.1))
    small = zonal_stats(path, z, max_cells=100)
    large = zonal_stats(path, z, max_cells=10**8)
    pd.testing.assert_frame_equal(small, large, rtol=1e-12)


def test_geographic_and_projected_rasters_give_the_same_totals(tmp_path):
    # a density field f(lon, lat) per km² sampled on a 0.01° grid (EPSG:4326) and on a 1 km
    # equal-area grid: the totals over a zone agree within 0.1 % (the stated tolerance; the
    # difference is sampling of f, both grids being measured in true km²).
    from terraplan.territory.boundaries import EQUAL_AREA_CRS

    def field(lon, lat):
        return 10 + 3 * np.sin(np.radians(lon) * 20) + 2 * np.cos(np.radians(lat) * 30)

    res = 0.01
    lon = 59 + res * (np.arange(700) + 0.5)
    lat = 49 - res * (np.arange(600) + 0.5)
    geo = write(
        tmp_path / "geo.tif",
        field(lon[None, :], lat[:, None]).astype("float64"),
        crs="EPSG:4326",
        transform=Affine(res, 0, 59, 0, -res, 49),
    )
    x0, y0 = -900_000.0, 300_000.0  # Albers metres, covering 59-66E, 43-49N
    transformer = __import__("pyproj").Transformer.from_crs(EQUAL_AREA_CRS, 4326, always_xy=True)
    xs = x0 + 1000 * (np.arange(900) + 0.5)
    ys = y0 - 1000 * (np.arange(900) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    plon, plat = transformer.transform(gx, gy)
    proj = write(
        tmp_path / "proj.tif",
        field(plon, plat).astype("float64"),
        crs=EQUAL_AREA_CRS,
        transform=Affine(1000, 0, x0, 0, -1000, y0),
    )
    zone = shapely.segmentize(box(60, 44, 65, 48), 0.01)
    z = zones(zone, crs=4326)
    on_geo = zonal_stats(geo, z, kind="density").iloc[0]
    on_proj = zonal_stats(proj, z, kind="density").iloc[0]
    assert on_proj["share_valid"] == pytest.approx(1.0, abs=1e-9)
    assert on_geo["share_valid"] == pytest.approx(1.0, abs=1e-9)
    assert on_geo["sum"] == pytest.approx(on_proj["sum"], rel=1e-3)
    # a constant density of 1 sums to the zone's area, which the ellipsoid gives directly
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(zone)[0]) / 1e6
    ones = write(
        tmp_path / "ones.tif",
        np.ones((600, 700)),
        crs="EPSG:4326",
        transform=Affine(res, 0, 59, 0, -res, 49),
    )
    assert zonal_stats(ones, z, kind="density").iloc[0]["sum"] == pytest.approx(area, rel=1e-4)


def test_mean_in_longitude_latitude_is_weighted_by_true_cell_area(tmp_path):
    # two rows of 1° cells at 50-52°N with values 0 (north row) and 1 (south row): the mean
    # is the south row's share of the area, computed here from the ellipsoid.
    values = np.array([[0.0, 0.0], [1.0, 1.0]])
    path = write(tmp_path / "m.tif", values, crs="EPSG:4326", transform=Affine(1, 0, 60, 0, -1, 52))
    geod = Geod(ellps="WGS84")
    north = abs(geod.geometry_area_perimeter(shapely.segmentize(box(60, 51, 62, 52), 0.001))[0])
    south = abs(geod.geometry_area_perimeter(shapely.segmentize(box(60, 50, 62, 51), 0.001))[0])
    out = zonal_stats(path, zones(box(60, 50, 62, 52), crs=4326)).iloc[0]
    assert out["mean"] == pytest.approx(south / (north + south), rel=1e-6)
    assert out["mean"] > 0.5  # the southern row is larger


@settings(max_examples=40)
@given(
    x=st.floats(-3, 20),
    y=st.floats(-3, 15),
    r=st.floats(0.2, 9),
    holes=st.booleans(),
)
def test_coverage_sums_to_the_polygon_area_inside_the_grid(x, y, r, holes):
    # property: the coverage of all cells of a 17 x 12 grid equals area(polygon ∩ grid)
    poly = Point(x, y).buffer(r, quad_segs=5)
    if holes:
        poly = poly.difference(Point(x + r / 3, y).buffer(r / 3))
    cells, runs = _polygon_cells([poly], 17, 12)
    total = cells["coverage"].sum() + (runs["end"] - runs["start"]).sum()
    assert total == pytest.approx(poly.intersection(box(0, 0, 17, 12)).area, abs=1e-9)
    assert cells["coverage"].between(0, 1).all()


def test_every_cell_matches_shapely_intersection():
    # cell by cell against shapely's exact intersection area, for a polygon with a hole
    poly = Point(6.3, 4.1).buffer(4.2).difference(box(5, 3, 7.5, 5.25))
    cells, runs = _polygon_cells([poly], 14, 10)
    mine = np.zeros((10, 14))
    np.add.at(mine, (cells["row"], cells["col"]), cells["coverage"])
    for row, start, end in runs[["row", "start", "end"]].itertuples(index=False):
        mine[row, start:end] += 1
    ref = np.array([[poly.intersection(box(c, r, c + 1, r + 1)).area for c in range(14)]
                    for r in range(10)])  # fmt: skip
    np.testing.assert_allclose(mine, ref, atol=1e-12)


def test_agrees_with_exactextract_on_region_boundaries(tmp_path):
    # exactextract computes the same exact coverage: sums and counts agree over the real
    # (simplified) region polygons on a coarse noisy raster over Kazakhstan
    from exactextract import exact_extract

    from terraplan.territory.boundaries import boundaries

    rng = np.random.default_rng(1)
    values = rng.random((160, 420)).astype("float32")
    path = write(tmp_path / "kz.tif", values, crs="EPSG:4326",
                 transform=Affine(0.1, 0, 46, 0, -0.1, 56))  # fmt: skip
    regions = boundaries(resolution="simplified")
    ours = zonal_stats(path, regions, stats=("sum", "count")).set_index("code")
    theirs = exact_extract(path, regions, ["sum", "count"], include_cols=["code"], output="pandas")
    theirs = theirs.set_index("code").loc[ours.index]
    np.testing.assert_allclose(ours["sum"], theirs["sum"], rtol=1e-6)
    np.testing.assert_allclose(ours["count"], theirs["count"], rtol=1e-6)


def test_layout_zones_and_per_capita(tmp_path):
    # a constant raster of 1 over all of Kazakhstan with the KZ-1997 layout: South
    # Kazakhstan's population is Turkistan's plus Shymkent's (bundled, 2015), and
    # sum_per_capita = sum / population by definition.
    from terraplan.datasets import kazakhstan

    path = write(tmp_path / "kz1.tif", np.ones((80, 210), dtype="float32"), crs="EPSG:4326",
                 transform=Affine(0.2, 0, 46, 0, -0.2, 56))  # fmt: skip
    out = zonal_stats(path, "KZ-1997", per_capita=True, year=2015, resolution="simplified")
    assert len(out) == 16 and "KZ-YUZ" in set(out["code"])
    pop = kazakhstan.panel(["population"], years=[2015]).set_index("region")["value"]
    yuz = out.set_index("code").loc["KZ-YUZ"]
    assert yuz["population"] == pop["KZ-61"] + pop["KZ-79"]
    assert yuz["sum_per_capita"] == pytest.approx(yuz["sum"] / yuz["population"], rel=1e-12)
    assert out["share_valid"].gt(0.999).all()


def test_zonal_panel_is_a_tidy_indicator():
    result = pd.DataFrame({"code": ["KZ-71", "KZ-75"], "sum": [1.5, 2.5], "share_valid": [1, 0.4]})
    panel = zonal_panel(result, "night_lights", 2023, unit="nW/cm²/sr")
    assert list(panel.columns) == ["region", "year", "indicator", "sector", "value", "unit", "flag"]
    assert panel["sector"].eq("TOTAL").all() and panel["year"].eq(2023).all()
    assert panel["flag"].tolist() == ["", "missing:partial_raster"]
    with pytest.raises(InputError, match="no column 'max'"):
        zonal_panel(result, "x", 2023, stat="max")


def test_errors_say_what_is_wrong(tmp_path):
    path = write(tmp_path / "e.tif", np.ones((4, 4), dtype="float32"))
    with pytest.raises(InputError, match="unknown statistic"):
        zonal_stats(path, zones(km(0, 0, 1, 1)), stats=("median",))
    with pytest.raises(GeometryError, match=r"no 'code' column.*no CRS"):
        zonal_stats(path, gpd.GeoDataFrame(geometry=[km(0, 0, 1, 1)]))
    with pytest.raises(InputError, match="cannot open the raster"):
        zonal_stats(tmp_path / "missing.tif", zones(km(0, 0, 1, 1)))
    with pytest.raises(InputError, match="year"):
        zonal_stats(path, zones(km(0, 0, 1, 1)), per_capita=True)
    bare = write(tmp_path / "nocrs.tif", np.ones((4, 4), dtype="float32"), crs=None)
    with pytest.raises(GeometryError, match="no CRS"):
        zonal_stats(bare, zones(km(0, 0, 1, 1)))
