"""Layouts over time: the Bureau's own identities, exact aggregation, flagged splits, detection.

The real-data checks use identities the Bureau of National Statistics publishes itself: in the
bundled GVA, former South Kazakhstan (KZ-YUZ) for 2011-2017 equals Turkistan (KZ-61) + Shymkent
(KZ-79), published side by side (`keep_duplicates=True` keeps both).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.data.harmonize import boundaries_for_panel, detect_layout, harmonize
from terraplan.data.panel import validate_panel
from terraplan.datasets import kazakhstan
from terraplan.errors import LayoutError
from terraplan.territory.layouts import dissolve_layout, layout_for_year, layout_units
from terraplan.territory.registry import layout_regions

KEY = ["region", "year", "indicator", "sector"]


def panel(rows):
    """A tidy panel from (region, year, indicator, value[, flag]) tuples."""
    frame = pd.DataFrame(
        [(*r[:4], r[4] if len(r) > 4 else "") for r in rows],
        columns=["region", "year", "indicator", "value", "flag"],
    )
    return validate_panel(frame)


@pytest.fixture(scope="module")
def gva_all():
    return kazakhstan.panel(["gva", "grp"], keep_duplicates=True)


def test_bureau_identity_south_kazakhstan_is_turkistan_plus_shymkent(gva_all):
    # harmonize Turkistan + Shymkent onto KZ-1997 and compare with the Bureau's own KZ-YUZ rows
    published = gva_all[gva_all["region"] == "KZ-YUZ"].set_index(KEY[1:])["value"]
    result = harmonize(gva_all[gva_all["region"] != "KZ-YUZ"], to="KZ-1997")
    rebuilt = result[result["region"] == "KZ-YUZ"].set_index(KEY[1:])["value"]
    common = published.index.intersection(rebuilt.index)
    years = sorted(common.get_level_values("year").unique())
    assert years == list(range(2011, 2018))
    assert len(common) > 100  # GRP and every published section, 7 years
    np.testing.assert_allclose(rebuilt[common], published[common], rtol=1e-12)


def test_published_old_unit_wins_over_its_rebuilt_sum(gva_all):
    # with both sides present, the published KZ-YUZ row is kept once (no duplicates)
    result = harmonize(gva_all, to="KZ-1997")
    validate_panel(result)  # refuses duplicated keys
    yuz = gva_all[gva_all["region"] == "KZ-YUZ"].set_index(KEY[1:])["value"]
    kept = result[result["region"] == "KZ-YUZ"].set_index(KEY[1:])["value"]
    pd.testing.assert_series_equal(kept[yuz.index], yuz, check_names=False)


def test_aggregating_a_split_returns_the_original(gva_all):
    # split the pre-2022 units onto KZ-2022 (shares of population), aggregate back to KZ-2018:
    # every original value comes back
    original = gva_all[(gva_all["region"] != "KZ-YUZ") & (gva_all["year"] <= 2020)]
    split = harmonize(original, to="KZ-2022", shares="population")
    assert set(split["region"]) == set(layout_regions("KZ-2022"))
    assert split.loc[split["region"] == "KZ-62", "flag"].str.contains("estimated").all()
    back = harmonize(split, to="KZ-2018").set_index(KEY)["value"]
    before = original.set_index(KEY)["value"]
    np.testing.assert_allclose(back[before.index], before, rtol=1e-12, atol=1e-9)


@settings(max_examples=25)  # each example runs harmonize twice
@given(
    value=st.floats(1e-3, 1e9),
    a=st.floats(0.01, 100),
    b=st.floats(0.01, 100),
    c=st.floats(0.01, 100),
)
def test_split_then_aggregate_is_identity(value, a, b, c):
    # any value of KZ-KAR split by any shares (from a later year of the parts) sums back to it
    data = panel(
        [
            ("KZ-KAR", 2015, "grp", value),
            ("KZ-35", 2021, "grp", a),
            ("KZ-62", 2021, "grp", b),
            ("KZ-YUZ", 2015, "grp", c),
            ("KZ-61", 2018, "grp", a),
            ("KZ-79", 2018, "grp", b),
        ]
    )
    split = harmonize(data, to="KZ-2022")
    assert split.loc[split["year"] == 2015, "flag"].eq("estimated").all()
    back = harmonize(split, to="KZ-1997").set_index(KEY)["value"]
    assert back["KZ-KAR", 2015, "grp", "TOTAL"] == pytest.approx(value, rel=1e-12)
    assert back["KZ-YUZ", 2015, "grp", "TOTAL"] == pytest.approx(c, rel=1e-12)


def test_split_shares_come_from_the_first_year_on_both_layouts():
    # KZ-YUZ 2010 = 100; Turkistan/Shymkent are 60/20 in 2011 and 10/90 in 2012: the first
    # year (2011) gives shares 3/4 and 1/4, so 75 and 25, flagged estimated
    data = panel(
        [
            ("KZ-YUZ", 2010, "grp", 100.0, "preliminary"),
            ("KZ-61", 2011, "grp", 60.0),
            ("KZ-79", 2011, "grp", 20.0),
            ("KZ-61", 2012, "grp", 10.0),
            ("KZ-79", 2012, "grp", 90.0),
        ]
    )
    out = harmonize(data, to="KZ-2018").set_index(["region", "year"])
    assert out.loc[("KZ-61", 2010), "value"] == 75.0
    assert out.loc[("KZ-79", 2010), "value"] == 25.0
    assert out.loc[("KZ-61", 2010), "flag"] == "preliminary;estimated"
    assert out.loc[("KZ-61", 2011), "flag"] == ""
    shares = pd.DataFrame(out.attrs["shares"])
    assert shares["basis"].eq("grp/TOTAL 2011").all()
    fixed = harmonize(
        data, to="KZ-2018", shares=pd.DataFrame({"region": ["KZ-61", "KZ-79"], "share": [0.5, 0.5]})
    ).set_index(["region", "year"])
    assert fixed.loc[("KZ-79", 2010), "value"] == 50.0


def test_flags_survive_aggregation(gva_all):
    # 2024-2025 are preliminary in the source: the rebuilt KZ-VOS of 2024 says so
    result = harmonize(kazakhstan.panel(["grp"]), to="KZ-2018")
    vos = result[(result["region"] == "KZ-VOS")].set_index("year")
    assert vos.loc[2024, "flag"] == "preliminary"
    assert vos.loc[2022, "flag"] == ""
    parts = kazakhstan.panel(["grp"], years=[2024]).set_index("region")["value"]
    assert vos.loc[2024, "value"] == pytest.approx(parts["KZ-63"] + parts["KZ-10"], rel=1e-15)


def test_rates_need_weights_and_use_them():
    rates = kazakhstan.panel(["unemployment_rate"], years=[2023])
    with pytest.raises(LayoutError, match=r"unemployment_rate is not additive.*weights"):
        harmonize(rates, to="KZ-2018")
    out = harmonize(rates, to="KZ-2018", weights={"unemployment_rate": "population"})
    pop = kazakhstan.panel(["population"], years=[2023]).set_index("region")["value"]
    rate = rates.set_index("region")["value"]
    expected = (rate["KZ-63"] * pop["KZ-63"] + rate["KZ-10"] * pop["KZ-10"]) / (
        pop["KZ-63"] + pop["KZ-10"]
    )
    got = out.set_index("region").loc["KZ-VOS", "value"]
    assert got == pytest.approx(expected, rel=1e-12)
    assert min(rate["KZ-63"], rate["KZ-10"]) <= got <= max(rate["KZ-63"], rate["KZ-10"])


def test_splitting_a_rate_needs_weights_and_is_flagged():
    data = panel([("KZ-VOS", 2020, "unemployment_rate", 4.5)])
    with pytest.raises(LayoutError, match="cannot be split"):
        harmonize(data, to="KZ-2022")
    out = harmonize(data, to="KZ-2022", weights="population").set_index("region")
    assert out["value"].to_dict() == {"KZ-10": 4.5, "KZ-63": 4.5}
    assert out["flag"].eq("estimated").all()


def test_user_indicators_need_additivity():
    data = panel([("KZ-61", 2020, "nightlights", 2.0), ("KZ-79", 2020, "nightlights", 3.0)])
    with pytest.raises(LayoutError, match=r"additive=\{'nightlights': True\}"):
        harmonize(data, to="KZ-1997")
    out = harmonize(data, to="KZ-1997", additive={"nightlights": True})
    assert out[["region", "value"]].to_dict("records") == [{"region": "KZ-YUZ", "value": 5.0}]


def test_a_missing_part_gives_nan_not_a_partial_sum():
    out = harmonize(panel([("KZ-61", 2017, "grp", 60.0)]), to="KZ-1997").iloc[0]
    assert out["region"] == "KZ-YUZ" and np.isnan(out["value"])
    assert out["flag"] == "missing:parts"


def test_national_rows_pass_through_and_unknown_codes_are_refused():
    out = harmonize(panel([("KZ", 2017, "grp", 1.0), ("KZ-71", 2017, "grp", 2.0)]), to="KZ-1997")
    assert out["region"].tolist() == ["KZ", "KZ-71"]
    with pytest.raises(LayoutError, match="KZ-99"):
        harmonize(panel([("KZ-99", 2017, "grp", 1.0)]), to="KZ-1997")
    with pytest.raises(LayoutError, match="unknown layout"):
        harmonize(panel([("KZ-71", 2017, "grp", 1.0)]), to="KZ-2030")


def test_detect_layout_on_the_bundled_gva(gva_all):
    found = detect_layout(gva_all).set_index("year")
    assert found.loc[2010, "layout"] == "KZ-1997"
    assert (found.loc[2018:2020, "layout"] == "KZ-2018").all()
    assert (found.loc[2021:2025, "layout"] == "KZ-2022").all()  # GVA on 2022 borders from 2021
    mixed = found.loc[2011:2017]
    assert mixed["mixed"].all() and mixed["layout"].eq("").all()
    assert "KZ-61 overlaps KZ-YUZ" in mixed.loc[2014, "message"]
    assert "harmonize" in mixed.loc[2014, "message"]
    with pytest.raises(LayoutError, match="year 2011 mixes layouts"):
        detect_layout(gva_all, strict=True)
    clean = detect_layout(kazakhstan.panel(["gva"]))
    assert not clean["mixed"].any() and (clean["missing"] == "").all()


def test_detect_layout_per_indicator_and_missing_units():
    bundled = kazakhstan.panel(["grp", "employed"], years=[2021])
    by = detect_layout(bundled, by="indicator").set_index("indicator")
    assert by.loc["grp", "layout"] == "KZ-2022"
    assert by.loc["employed", "layout"] == "KZ-2018"  # employment on 2022 borders from 2022
    one = detect_layout(panel([("KZ-71", 2019, "grp", 1.0)])).iloc[0]
    assert one["layout"] == "KZ-2018" and len(one["missing"].split()) == 16


def test_layout_for_year():
    assert [layout_for_year(y) for y in (1997, 2017, 2018, 2021, 2022, 2030)] == [
        "KZ-1997", "KZ-1997", "KZ-2018", "KZ-2018", "KZ-2022", "KZ-2022",
    ]  # fmt: skip
    with pytest.raises(LayoutError, match="1990"):
        layout_for_year(1990)


def test_layout_units():
    assert layout_units("KZ-YUZ", "KZ-2022") == ["KZ-61", "KZ-79"]
    assert layout_units("KZ-33", "KZ-2018") == ["KZ-ALM"]
    assert layout_units("KZ-71", "KZ-1997") == ["KZ-71"]


def test_dissolve_layout_on_the_bundled_polygons():
    from terraplan.territory.boundaries import EQUAL_AREA_CRS, boundaries

    new = boundaries(resolution="simplified")
    old = dissolve_layout(new, "KZ-1997")
    assert len(old) == 16 and list(old.columns) == list(new.columns)
    assert old["code"].is_monotonic_increasing
    by_code = old.set_index("code")
    assert by_code.loc["KZ-YUZ", "name_en"] == "South Kazakhstan Region"
    parts = new.set_index("code")
    assert by_code.loc["KZ-YUZ", "area_km2"] == pytest.approx(
        parts.loc["KZ-61", "area_km2"] + parts.loc["KZ-79", "area_km2"]
    )
    areas = old.to_crs(EQUAL_AREA_CRS).set_index("code").area
    new_areas = new.to_crs(EQUAL_AREA_CRS).set_index("code").area
    assert areas["KZ-KAR"] == pytest.approx(new_areas["KZ-35"] + new_areas["KZ-62"], rel=1e-6)
    # Shymkent was a hole in Turkistan Region; in South Kazakhstan it is filled
    shymkent = parts.loc["KZ-79", "geometry"].representative_point()
    assert by_code.loc["KZ-YUZ", "geometry"].contains(shymkent)
    assert old.geometry.is_valid.all()


def test_boundaries_for_panel_draws_the_layout_the_data_are_on():
    gva = kazakhstan.panel(["grp"])
    # the Bureau publishes GRP of 2011-2017 for Turkistan and Shymkent: drawn on KZ-2018 ...
    assert len(boundaries_for_panel(gva, 2015)) == 17
    # ... and on the 16 units of its time once harmonized
    assert len(boundaries_for_panel(harmonize(gva, to="KZ-1997"), 2015)) == 16
    assert len(boundaries_for_panel(gva, 2019)) == 17
    assert len(boundaries_for_panel(gva, 2021)) == 20  # 2022 borders, although KZ-2018 in law
    employed = kazakhstan.panel(["employed"])
    assert boundaries_for_panel(employed, 2021).attrs["layout"] == "KZ-2018"
    assert boundaries_for_panel(gva.iloc[:0], 2016).attrs["layout"] == "KZ-1997"
    mixed = panel([("KZ-YUZ", 2016, "grp", 1.0), ("KZ-79", 2016, "grp", 1.0)])
    with pytest.raises(LayoutError, match="mixes layouts"):
        boundaries_for_panel(mixed, 2016)
