"""Tests of the district maps: size budget, nesting of the drawn borders, attribution, zoom.

The size budget (3-layer national map under 1.5 MB) is the issue's; the other facts are read
from the bundled registry (224 districts, 13 in Karaganda Region) written out by hand.
"""

from __future__ import annotations

import re

import shapely

from terraplan.report.district_maps import (
    district_layers,
    district_lisa_layer,
    district_map,
    district_shapes,
)
from terraplan.territory.districts import ATTRIBUTION


def test_national_three_layer_map_is_under_budget_and_deterministic():
    layers = district_layers()
    page = district_map(layers)
    assert len(page.encode("utf-8")) < 1_500_000
    assert page == district_map(district_layers())
    assert ATTRIBUTION in page
    assert len(set(re.findall(r'"code": ?"(\d{9})"', page))) == 224


def test_zoomed_region_map_shows_its_districts_only():
    page = district_map(district_layers(["urban_share"]), region="Karaganda", lang="ru")
    codes = set(re.findall(r'"code": ?"(\d{9})"', page))
    assert len(codes) == 13 and all(c.startswith("35") for c in codes)
    assert "Районы: Карагандинская область" in page


def test_region_outlines_are_the_dissolve_of_the_drawn_districts():
    districts, regions = district_shapes()
    assert len(regions) == 20
    assert shapely.coverage_is_valid(regions.geometry.to_numpy())
    for code, group in districts.groupby("region"):
        outline = regions.set_index("code").geometry[code]
        union = shapely.coverage_union_all(group.geometry.to_numpy())
        assert shapely.equals(outline, union)


def test_lisa_layer_finds_the_dense_cities_and_the_empty_centre():
    layer = district_lisa_layer(permutations=199)
    labels = layer.values
    # Almaly (Almaty) sits in the hot spot; the central deserts form a large cold spot
    assert labels["751110000"] == "High-High"
    assert labels.value_counts()["Low-Low"] > 20
    assert labels.isna().sum() == 6  # five districts without data, and Semey city cut off


def test_build_writes_district_maps_only_when_asked(tmp_path):
    from terraplan.config import parse_config
    from terraplan.report.build import build

    base = {"indicators": ["grp"], "typology": {"n_stability": 0},
            "outputs": {"maps": False, "static_maps": False, "profiles": False,
                        "workbook": False}}  # fmt: skip
    plain = build(parse_config(base), tmp_path / "plain", progress=False)
    assert not any("district" in f for f in plain.files)
    base["outputs"]["with_districts"] = True
    result = build(parse_config(base), tmp_path / "districts", progress=False)
    assert {"districts.html", "districts-offline.html"} <= set(result.files)
    page = (tmp_path / "districts" / "districts.html").read_text(encoding="utf-8")
    assert "geokz" in page and len(page.encode()) < 1_500_000
    index = (tmp_path / "districts" / "index.html").read_text(encoding="utf-8")
    assert "districts.html" in index


def test_offline_map_draws_the_region_borders_over_the_districts():
    page = district_map(district_layers(["urban_share"]), offline=True)
    start = page.index('<g class="tp-outlines"')
    group = page[start : page.index("</g>", start)]
    assert group.count("<path ") == 20  # one border path per region
    assert page.count('<path id="r-') == 224  # the districts themselves
    assert ATTRIBUTION in page
