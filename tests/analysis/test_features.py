"""Feature tables: values computed by hand on a tiny panel, transforms, missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from terraplan.analysis.features import kazakhstan_features, region_features, standardize
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError


def row(region, year, indicator, value, sector="TOTAL", unit="million KZT"):
    return {
        "region": region,
        "year": year,
        "indicator": indicator,
        "sector": sector,
        "value": value,
        "unit": unit,
        "flag": "",
    }


@pytest.fixture
def panel() -> pd.DataFrame:
    """Two regions, two years; every feature below is worked out by hand in the tests."""
    rows = [
        row("A", 2020, "grp", 100.0),
        row("B", 2020, "grp", 400.0),
        row("A", 2022, "grp", 121.0),  # +10 % a year over 2 years
        row("B", 2022, "grp", 400.0),  # no growth
        row("A", 2022, "population", 11.0, unit="persons"),
        row("B", 2022, "population", 40.0, unit="persons"),
        row("A", 2022, "unemployment_rate", 5.0, unit="percent"),
        row("B", 2022, "unemployment_rate", 7.0, unit="percent"),
        row("A", 2022, "gva", 30.0, "A"),
        row("A", 2022, "gva", 70.0, "C"),
        row("B", 2022, "gva", 10.0, "A"),
        row("B", 2022, "gva", 390.0, "C"),
        row("A", 2022, "gva", 100.0, "TOTAL"),  # totals are not a sector
    ]
    return pd.DataFrame(rows)


def test_each_feature_kind_by_hand(panel):
    before = panel.copy()
    f = region_features(
        panel,
        year=2022,
        indicators=["unemployment_rate"],
        per_capita=["grp"],
        shares="gva",
        growth=["grp"],
        growth_from=2020,
    )
    pd.testing.assert_frame_equal(panel, before)  # input not mutated
    assert f.index.tolist() == ["A", "B"]
    assert f["unemployment_rate"].tolist() == [5.0, 7.0]
    assert f["grp_per_capita"].tolist() == [11.0, 10.0]  # 121 / 11, 400 / 40
    assert f["gva_share_A"].tolist() == [30.0, 2.5]  # 30 / 100, 10 / 400 in percent
    np.testing.assert_allclose(f["gva_share_A"] + f["gva_share_C"], 100.0)
    np.testing.assert_allclose(f["grp_growth"], [10.0, 0.0])
    assert f.attrs["year"] == 2022
    assert f.attrs["features"]["grp_per_capita"]["unit"] == "million KZT per person"
    assert f.attrs["features"]["grp_growth"]["unit"] == "percent a year"


def test_log_transform_is_recorded(panel):
    f = region_features(panel, year=2022, per_capita=["grp"], log=["grp_per_capita"])
    np.testing.assert_allclose(f["grp_per_capita"], np.log([11.0, 10.0]))
    assert f.attrs["features"]["grp_per_capita"]["transform"] == "value / population, log"


def test_missing_values_are_listed_or_imputed_on_request(panel):
    holed = panel[~((panel["region"] == "B") & (panel["indicator"] == "unemployment_rate"))]
    holed = pd.concat([holed, pd.DataFrame([row("C", 2022, "grp", 1.0)])])
    with pytest.raises(InputError) as err:
        region_features(holed, year=2022, indicators=["unemployment_rate", "grp"])
    message = str(err.value)
    # every missing pair, together: B and C have no rate
    assert "B: unemployment_rate" in message and "C: unemployment_rate" in message
    f = region_features(holed, year=2022, indicators=["unemployment_rate", "grp"], impute="median")
    assert f.loc["B", "unemployment_rate"] == 5.0  # median of the other regions (A only)
    assert sorted(f.attrs["imputed"]) == [("B", "unemployment_rate"), ("C", "unemployment_rate")]
    # a region with no row for any requested indicator (other borders) is not a row at all
    only_rate = region_features(holed, year=2022, indicators=["unemployment_rate"])
    assert only_rate.index.tolist() == ["A"]


def test_request_errors(panel):
    with pytest.raises(InputError, match="no rows for 2019"):
        region_features(panel, year=2022, growth=["grp"], growth_from=2019)
    with pytest.raises(InputError, match="growth_from"):
        region_features(panel, year=2022, growth=["grp"])
    with pytest.raises(InputError, match="no features"):
        region_features(panel, year=2022)
    with pytest.raises(InputError, match="not published"):
        region_features(panel, year=2022, shares="gva", sectors=["Z"])
    with pytest.raises(AnalysisError, match="<= 0"):
        region_features(panel, year=2022, growth=["grp"], growth_from=2020, log=["grp_growth"])


@given(st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=30).filter(lambda v: np.ptp(v) > 1e-3))
def test_standardize_gives_zero_mean_unit_sd(values):
    z = standardize(pd.DataFrame({"x": values}))
    assert abs(z["x"].mean()) < 1e-9
    assert z["x"].std(ddof=0) == pytest.approx(1.0)
    assert z.attrs["mean"]["x"] == pytest.approx(float(np.mean(values)))


def test_standardize_refuses_constant_and_missing_columns():
    frame = pd.DataFrame({"c": [1.0, 1.0, 1.0], "m": [1.0, np.nan, 2.0], "ok": [1.0, 2.0, 3.0]})
    with pytest.raises(AnalysisError) as err:
        standardize(frame)
    assert "'c' is constant" in str(err.value) and "'m' has missing" in str(err.value)


def test_kazakhstan_default_features_are_sane():
    f = kazakhstan_features(kazakhstan.panel(), year=2023)
    assert f.shape == (20, 10)
    assert f.notna().all().all()
    shares = f.filter(like="gva_share_")
    assert ((shares >= 0) & (shares <= 100)).all().all()
    # Atyrau (oil) has the highest mining share and the highest GRP per capita
    assert f["gva_share_B"].idxmax() == "KZ-23"
    assert f["grp_per_capita"].idxmax() == "KZ-23"
    # the cities have (almost) no agriculture
    assert f.loc[["KZ-71", "KZ-75"], "gva_share_A"].max() < 1.0


def test_gva_shares_2010_2013_count_the_combined_services_row():
    """Regression (issue 10): the 2012 denominator includes OTHER_SERVICES (I, K, M-S).

    Atyrau 2012 (bundled BNS data): mining 1,712,174.7 of a sector sum of 3,094,722.1 million
    KZT = 55.3 %; without the services row it was 66.2 %.
    """
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel()
    shares = region_features(panel, year=2012, shares="gva")
    assert round(shares.loc["KZ-23", "gva_share_B"], 1) == 55.3
    assert "gva_share_OTHER_SERVICES" in shares.columns
    assert np.allclose(shares.sum(axis=1), 100.0)
    later = region_features(panel, year=2014, shares="gva")
    assert "gva_share_OTHER_SERVICES" not in later.columns
    assert np.allclose(later.sum(axis=1), 100.0)
