"""Forecasts on panels: coherence, refusals, breaks, p_target, back-test and determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.analysis.forecast import backtest, forecast
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError
from terraplan.territory.registry import layout_regions

REGIONS = layout_regions("KZ-2022")


@pytest.fixture(scope="module")
def bundled():
    return kazakhstan.panel(["grp", "unemployment_rate", "population"], include_national=True)


@pytest.fixture(scope="module")
def grp_forecast(bundled):
    return forecast(bundled, "grp", to=2029, harmonize=True)


def synthetic(n_series=20, years=range(2005, 2021), slope=1.0, noise=1.0, seed=0, codes=None):
    """Straight lines plus noise of known variance, one per made-up region code."""
    rng = np.random.default_rng(seed)
    codes = codes or [f"R{i:03d}" for i in range(n_series)]
    years = list(years)
    rows = [
        (code, year, "x", 100 + slope * (year - years[0]) + rng.normal(0, noise))
        for code in codes
        for year in years
    ]
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


def test_additive_forecasts_add_up_to_the_nation(grp_forecast):
    wide = grp_forecast.table.pivot(index="year", columns="region", values="mean")
    assert set(wide.columns) == {"KZ", *REGIONS}
    assert np.allclose(wide[REGIONS].sum(axis=1), wide["KZ"], rtol=1e-9)
    assert grp_forecast.coherence() < 1e-6
    rec = grp_forecast.info["reconciliation"]
    assert rec["constraint"] == "sum"
    assert rec["method"] in ("mint", "wls")


def test_reconciled_paths_are_coherent_path_by_path(grp_forecast):
    paths = grp_forecast.paths
    kz = grp_forecast.series.index("KZ")
    rest = [i for i, s in enumerate(grp_forecast.series) if s != "KZ"]
    assert np.allclose(paths[kz], paths[rest].sum(axis=0), rtol=1e-9)


def test_rates_meet_the_population_weighted_mean(bundled):
    fc = forecast(bundled, "unemployment_rate", to=2027, harmonize=True)
    rec = fc.info["reconciliation"]
    assert rec["constraint"] == "population-weighted mean"
    assert sum(rec["weights"].values()) == pytest.approx(1.0)
    pop = kazakhstan.panel(["population"], years=[2025]).set_index("region")["value"]
    assert rec["weights"]["KZ-75"] == pytest.approx(pop["KZ-75"] / pop[REGIONS].sum())
    assert fc.coherence() < 1e-6


def test_harmonized_history_is_flagged_estimated_all_the_way_to_the_output(grp_forecast):
    flags = grp_forecast.table.set_index("region")["flag"]
    assert "estimated" in flags["KZ-10"].iloc[0]  # Abai: 2010-2020 split from East Kazakhstan
    assert "estimated" not in flags["KZ-71"].iloc[0]  # Astana's borders did not change
    assert any("harmonize" in n for n in grp_forecast.info["notes"])


def test_short_series_are_refused_listing_every_one(bundled):
    with pytest.raises(AnalysisError) as err:
        forecast(bundled, "grp", to=2028)
    text = str(err.value)
    for code in ("KZ-10", "KZ-33", "KZ-62", "KZ-63", "KZ-19", "KZ-35"):
        assert f"{code}: 5 value(s) from 2021 (need 6)" in text
    assert "harmonize=True" in text


def test_a_break_starts_the_series_after_it_unless_allowed(bundled):
    with pytest.raises(AnalysisError, match=r"KZ-71: 4 value\(s\) from 2022"):
        forecast(bundled, "population", to=2027)
    fc = forecast(bundled, "population", to=2027, allow_breaks=True)
    assert fc.table["flag"].str.contains("across_break").all()
    assert any("break of 2022" in n for n in fc.info["notes"])


def test_as_of_moves_the_origin_and_ignores_later_values(bundled):
    fc = forecast(bundled, "unemployment_rate", to=2025, as_of=2023, harmonize=True)
    assert fc.info["origin"] == 2023
    assert sorted(fc.table["year"].unique()) == [2024, 2025]


def test_same_seed_same_numbers_other_seed_other_paths(bundled):
    a = forecast(bundled, "unemployment_rate", to=2027, harmonize=True).table
    b = forecast(bundled, "unemployment_rate", to=2027, harmonize=True).table
    pd.testing.assert_frame_equal(a, b)
    c = forecast(bundled, "unemployment_rate", to=2027, harmonize=True, random_state=1).table
    assert not np.allclose(a["lo_80"], c["lo_80"])
    assert np.allclose(a["mean"], c["mean"])  # the reconciled mean is analytic


def test_without_a_national_row_the_nation_is_the_regions_aggregate():
    panel = synthetic(codes=REGIONS)
    fc = forecast(panel, "x", to=2023, additive=True, method="trend")
    assert fc.series[0] == "KZ"
    wide = fc.table.pivot(index="year", columns="region", values="mean")
    assert np.allclose(wide[REGIONS].sum(axis=1), wide["KZ"])
    assert fc.info["reconciliation"]["method"] == "bottom_up"


def test_made_up_codes_are_forecast_but_not_reconciled():
    fc = forecast(synthetic(), "x", to=2022, method="trend")
    assert fc.info["reconciliation"]["method"] == "none"
    assert any("do not cover the country" in n for n in fc.info["notes"])
    # y = 100 + (year - 2005) + noise: the 2022 forecast is near 117
    assert np.all(np.abs(fc.table.query("year == 2022")["mean"] - 117) < 2.5)


def test_trend_intervals_cover_at_the_nominal_rate_over_many_series():
    """600 series of a line plus N(0, 1): the 80 % and 95 % intervals of the trend model
    (from 4,000 simulated paths) hold the next three values at the nominal rate, within
    3 standard errors."""
    years = range(2000, 2018)
    panel = synthetic(n_series=600, years=years, noise=1.0, seed=3)
    train = panel[panel["year"] <= 2014]
    fc = forecast(train, "x", to=2017, method="trend", reconciliation="none", n_paths=4000)
    got = fc.table.merge(panel.rename(columns={"value": "actual"}), on=["region", "year"])
    for level in (80, 95):
        inside = (got[f"lo_{level}"] <= got["actual"]) & (got["actual"] <= got[f"hi_{level}"])
        p = level / 100
        se = np.sqrt(p * (1 - p) / len(got)) * np.sqrt(3)  # 3 horizons share a series
        assert abs(inside.mean() - p) < 3 * se, (level, inside.mean())


@settings(max_examples=25, deadline=None)
@given(t1=st.floats(3.0, 7.0), t2=st.floats(3.0, 7.0))
def test_p_target_is_monotone_in_the_target_and_respects_polarity(t1, t2):
    fc = _unemployment_forecast()
    lo, hi = sorted((t1, t2))
    rows = pd.DataFrame(
        {
            "region": "KZ-35",
            "year": 2027,
            "target": [lo, hi, lo, hi],
            "polarity": ["lower_is_better"] * 2 + ["higher_is_better"] * 2,
        }
    )
    p = fc.p_target(rows).to_numpy()
    assert p[0] <= p[1]  # a lower-is-better target that is easier (higher) is likelier
    assert p[2] >= p[3]
    assert p[0] + p[2] == pytest.approx(1.0, abs=1e-9)  # continuous draws: no ties


_CACHE: dict = {}


def _unemployment_forecast():
    if "u" not in _CACHE:
        panel = kazakhstan.panel(["unemployment_rate", "population"], include_national=True)
        _CACHE["u"] = forecast(panel, "unemployment_rate", to=2027, harmonize=True)
    return _CACHE["u"]


def test_p_target_is_nan_where_nothing_is_forecast():
    fc = _unemployment_forecast()
    rows = pd.DataFrame(
        {
            "region": ["KZ-35", "KZ-35", "KZ-99"],
            "year": [2030, 2027, 2027],
            "target": [4.0, 4.0, 4.0],
            "polarity": ["lower_is_better", "neutral", "lower_is_better"],
        }
    )
    assert fc.p_target(rows).isna().all()


def test_auto_uses_the_back_test_winner_and_says_why(bundled):
    fc = forecast(bundled, "unemployment_rate", to=2027, harmonize=True)
    bt = fc.info["backtest"]
    best = bt.groupby("method")["mase"].mean().idxmin()
    assert fc.info["method"] == best
    assert "MASE" in fc.info["method_choice"]


def test_backtest_prefers_a_trend_model_on_trending_series_and_naive_on_a_random_walk():
    trending = synthetic(n_series=30, slope=3.0, noise=0.5)
    mase = backtest(trending, "x").groupby("method")["mase"].mean()
    assert mase["naive"] > mase["drift"] and mase["naive"] > mase["ets"]
    rng = np.random.default_rng(4)
    walk = pd.DataFrame(
        [
            (f"R{i}", 2000 + t, "x", v)
            for i in range(30)
            for t, v in enumerate(100 + np.cumsum(rng.normal(0, 1, 20)))
        ],
        columns=["region", "year", "indicator", "value"],
    )
    bt = backtest(walk, "x", horizons=(1,))
    assert set(bt.columns) >= {"mase", "coverage_80", "coverage_95", "n"}
    # no drift in the process: drift's extra parameter does not help
    assert (
        bt.set_index("method").loc["naive", "mase"]
        <= bt.set_index("method").loc["drift", "mase"] * 1.05
    )


def test_bad_requests_are_refused_with_the_fix(bundled):
    with pytest.raises(InputError, match="no rows of indicator 'gdp'"):
        forecast(bundled, "gdp")
    with pytest.raises(InputError, match="after the origin 2025"):
        forecast(bundled, "unemployment_rate", to=2024, harmonize=True)
    with pytest.raises(InputError, match="unknown method"):
        forecast(bundled, "unemployment_rate", method="prophet")
