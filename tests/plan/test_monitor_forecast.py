"""Monitoring with forecasts: p_target, the forecast-based status, as_of."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from plan_helpers import EXAMPLE

from terraplan.datasets import kazakhstan
from terraplan.errors import InputError
from terraplan.plan.model import load_plan, parse_plan
from terraplan.plan.monitor import FORECAST_COLUMNS, FORECAST_STATUSES, MONITOR_COLUMNS, monitor


@pytest.fixture(scope="module")
def example_as_of_2023():
    plan = load_plan(EXAMPLE)
    panel = kazakhstan.panel(include_national=True)
    return monitor(plan, panel, forecast=True, as_of=2023)


def test_forecast_columns_and_statuses(example_as_of_2023):
    m = example_as_of_2023
    assert list(m.columns) == [*MONITOR_COLUMNS, *FORECAST_COLUMNS]
    assert set(m["forecast_status"]) <= set(FORECAST_STATUSES)
    assert m["p_target"].dropna().between(0, 1).all()
    ahead = m[m["year"] > 2023]
    assert ahead["actual"].isna().all()  # as_of hides 2024-2025
    assert ahead["p_target"].notna().all() and len(ahead) == 42  # 21 series x 2 years
    assert (m.loc[m["year"] <= 2023, "forecast_status"] == "observed").all()
    p = ahead["p_target"]
    expected = np.select([p >= 0.75, p < 0.25], ["likely", "unlikely"], "uncertain")
    assert ahead["forecast_status"].tolist() == expected.tolist()
    assert "unemployment_rate" in m.attrs["forecast_notes"]


def test_the_national_forecast_is_the_weighted_mean_of_the_regions(example_as_of_2023):
    m = example_as_of_2023[example_as_of_2023["year"] == 2025].set_index("region")
    pop = kazakhstan.panel(["population"], years=[2023]).set_index("region")["value"]
    regions = [r for r in m.index if r != "KZ"]
    w = pop[regions] / pop[regions].sum()
    assert float((w * m.loc[regions, "forecast"]).sum()) == pytest.approx(m.loc["KZ", "forecast"])


def test_an_easier_target_is_likelier():
    """The same forecast against targets 6 % and 3 % (lower is better): 6 % is likelier."""
    text = (
        "indicators:\n"
        "  - id: unemployment_rate\n    name: U\n    unit: '%'\n    polarity: negative\n"
        "    baseline: {year: 2022, value: 4.9}\n    targets: {2026: 4.6}\n"
        "    regional_targets:\n"
        "      - {region: Karaganda, targets: {2026: TARGET}}\n"
    )
    panel = kazakhstan.panel(["unemployment_rate", "population"], include_national=True)
    p = {}
    for target in (6.0, 3.0):
        m = monitor(parse_plan(text.replace("TARGET", str(target))), panel, forecast=True)
        row = m[(m["region"] == "KZ-35") & (m["year"] == 2026)].iloc[0]
        p[target] = row["p_target"]
    assert p[6.0] > 0.9 > 0.1 > p[3.0]


def test_an_indicator_that_cannot_be_forecast_says_why():
    text = (
        "indicators:\n"
        "  - id: population\n    name: P\n    unit: persons\n    polarity: neutral\n"
        "    baseline: {year: 2022, value: 19000000}\n    targets: {2027: 20000000}\n"
    )
    panel = kazakhstan.panel(["population"], include_national=True)
    m = monitor(parse_plan(text), panel, forecast=True)
    assert (m.loc[m["year"] > 2025, "forecast_status"] == "no_forecast").all()
    assert (
        "after the break" in m.attrs["forecast_notes"]["population"]
        or "value(s)" in (m.attrs["forecast_notes"]["population"])
    )


def test_probability_thresholds_must_be_ordered():
    plan = load_plan(EXAMPLE)
    with pytest.raises(InputError, match="probability thresholds"):
        monitor(
            plan,
            pd.DataFrame(columns=["region", "year", "indicator", "value"]),
            forecast=True,
            likely=0.2,
            unlikely=0.5,
        )
