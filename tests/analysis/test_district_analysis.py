"""Every analysis at the district level, on the real bundled districts.

Known answers: a constant density raster of 1 per km² in an equal-area projection sums to each
district's area; a value that is the same within each region is perfectly clustered (Moran's I
near its maximum on the district graph); macro-zones honour their population floor (an
invariant checked on the result); join keeps every district.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import Affine

from terraplan.analysis.districts import district_features, macro_zones
from terraplan.analysis.spatial import lisa, moran
from terraplan.analysis.typology import Typology
from terraplan.analysis.zonal import zonal_stats
from terraplan.data.districts import district_panel, join_districts
from terraplan.errors import RegionMatchError
from terraplan.territory.boundaries import EQUAL_AREA_CRS
from terraplan.territory.districts import district_boundaries, district_weights, districts


def test_weights_are_connected_and_enclaves_have_their_host():
    w = district_weights()
    assert w.n == 224 and not w.islands
    # cities of oblast significance that are enclaves have one neighbour: the rayon around them
    assert w.neighbors["111000000"] == ["115600000"]  # Kokshetau in Zerendi
    # Astana's districts border each other and Akmola's rayons
    assert "116600000" in w.neighbors["711110000"]
    sub = district_weights(region="KZ-71")
    assert sub.n == 5 and all(sub.neighbors[c] for c in sub.id_order)


def test_moran_of_a_region_constant_is_strongly_positive():
    """Constructed: each district takes the number of its region; neighbours mostly share a
    region, so Moran's I is high and significant."""
    table = districts()
    values = table["region"].str[3:].astype(float)
    result = moran(values, district_weights(), permutations=199, seed=0)
    assert result["I"].iloc[0] > 0.6 and result["p_sim"].iloc[0] < 0.01


def test_lisa_of_density_finds_the_city_hot_spots():
    density = np.log10(district_panel("population_density").set_index("region")["value"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = lisa(density, district_weights(), permutations=199, seed=0)
    labels = table.set_index("region")["label"]
    hot = labels[labels == "High-High"].index
    assert {c[:2] for c in hot} >= {"71", "75"}  # Astana and Almaty
    assert (labels == "Low-Low").sum() > 20


def test_typology_of_districts_separates_cities_from_rayons():
    features = district_features()
    t = Typology(method="kmeans", k=3, n_stability=0).fit(features)
    assert t.labels_.shape[0] == len(features) == 219
    kinds = districts().loc[features.index, "kind"]
    urban = t.labels_[kinds == "city_district"]
    assert urban.nunique() == 1  # the city districts of Astana, Almaty, Shymkent: one type


def test_macro_zones_meet_the_floor_and_are_contiguous():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        zones = macro_zones(8, min_population=1_000_000)
    labels = zones.labels_
    population = district_panel("population_jan1").set_index("region")["value"]
    sizes = population.reindex(labels.index).groupby(labels).sum()
    assert len(sizes) == 8 and sizes.min() >= 1_000_000
    assert bool(zones.summary_["all_contiguous"].iloc[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        karaganda = macro_zones(3, min_population=100_000, region="Karaganda")
    assert set(karaganda.labels_.index) <= set(districts(region="KZ-35").index)


def test_zonal_stats_per_district_sum_a_unit_density_to_the_area(tmp_path):
    """A raster of 1 per km² on a 10 km equal-area grid over Akmola: each district's sum is its
    area (up to the cells cut by the border)."""
    geo = district_boundaries(region="Akmola").to_crs(EQUAL_AREA_CRS)
    minx, miny, maxx, maxy = geo.total_bounds
    cell = 10_000.0
    width, height = int((maxx - minx) // cell) + 2, int((maxy - miny) // cell) + 2
    path = tmp_path / "ones.tif"
    with rasterio.open(
        path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
        crs=EQUAL_AREA_CRS, transform=Affine(cell, 0, minx - cell, 0, -cell, maxy + cell),
    ) as dst:  # fmt: skip
        dst.write(np.ones((height, width), dtype="float32"), 1)
    stats = zonal_stats(str(path), district_boundaries(region="Akmola"), kind="density")
    area = districts(region="Akmola")["area_km2"]
    got = stats.set_index("code")["sum"]
    np.testing.assert_allclose(got.reindex(area.index), area, rtol=0.002)


def test_join_keeps_every_district_and_reports_ambiguity():
    data = pd.DataFrame({"rayon": ["Аккольский", "Жамбылский р-н", "Atlantis"], "x": [1, 2, 3]})
    joined = join_districts(data, "rayon")
    assert len(joined) == 224 and joined["x"].notna().sum() == 1
    report = joined.attrs["join_report"]
    assert [r["status"] for r in report["unmatched"]] == ["ambiguous", "unmatched"]
    with pytest.raises(RegionMatchError, match="Atlantis"):
        join_districts(data, "rayon", strict=True)
