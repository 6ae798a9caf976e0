"""Monitoring: progress toward target, with answers computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import EXAMPLE, KZ_2022, uniform_population

from terraplan.datasets import kazakhstan
from terraplan.errors import InputError
from terraplan.plan.model import Plan, load_plan, parse_plan
from terraplan.plan.monitor import MONITOR_COLUMNS, STATUSES, monitor


def panel(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


def one_indicator(polarity: str, baseline: float, targets: dict, extra: str = "") -> str:
    return (
        "indicators:\n"
        f"  - {{id: x, name: X, unit: u, polarity: {polarity},\n"
        f"     baseline: {{year: 2020, value: {baseline}}}, targets: {targets}{extra}}}\n"
    )


def test_regional_progress_and_national_rollup_by_sum():
    # national 30 -> 50 by 2024; KZ-11 10 -> 20 and KZ-15 20 -> 30, baselines from the panel (2022)
    plan = parse_plan(
        "indicators:\n"
        "  - id: jobs\n    name: Jobs\n    unit: thousand\n    polarity: positive\n"
        "    baseline: {year: 2022, value: 30}\n    targets: {2024: 50}\n"
        "    aggregation: sum\n"
        "    regional_targets:\n"
        "      - {region: Akmola, targets: {2024: 20}}\n"
        "      - {region: Aktobe, targets: {2024: 30}}\n"
    )
    actual = panel(
        [
            ("KZ-11", 2022, "jobs", 10.0),
            ("KZ-11", 2024, "jobs", 14.0),
            ("KZ-15", 2022, "jobs", 20.0),
            ("KZ-15", 2023, "jobs", 21.0),
            ("KZ-15", 2024, "jobs", 22.0),
        ]
    )
    out = monitor(plan, actual)
    assert list(out.columns) == MONITOR_COLUMNS
    out = out.set_index(["region", "year"])
    # KZ-11: 2023 target on the line 10 -> 20 is 15, no actual; 2024: (14 - 10) / (20 - 10)
    assert out.loc[("KZ-11", 2023), ["target", "status"]].tolist() == [15.0, "no_data"]
    assert out.loc[("KZ-11", 2024), "progress"] == pytest.approx(0.4)
    assert out.loc[("KZ-11", 2024), "baseline_kind"] == "panel"
    # KZ-15: 2023 (21 - 20) / (25 - 20) = 0.2; 2024 (22 - 20) / (30 - 20) = 0.2
    assert out.loc[("KZ-15", 2023), "progress"] == pytest.approx(0.2)
    assert out.loc[("KZ-15", 2024), "status"] == "off_track"
    # nation 2024: 14 + 22 = 36, (36 - 30) / (50 - 30) = 0.3; 2023 lacks KZ-11, so no roll-up
    assert out.loc[("KZ", 2024), ["actual", "actual_kind"]].tolist() == [36.0, "rollup"]
    assert out.loc[("KZ", 2024), "progress"] == pytest.approx(0.3)
    assert out.loc[("KZ", 2023), "status"] == "no_data"


def test_national_rollup_population_weighted():
    # weights 1 everywhere and 2 for KZ-75; actuals 4 everywhere, 7 in KZ-75 -> (19*4 + 2*7)/21
    targets = "".join(f"      - {{region: {c}, targets: {{2024: 4}}}}\n" for c in KZ_2022)
    plan = parse_plan(
        "indicators:\n  - id: u\n    name: U\n    unit: '%'\n    polarity: negative\n"
        "    baseline: {year: 2022, value: 5}\n    targets: {2024: 4}\n"
        "    aggregation: population_weighted_mean\n    regional_targets:\n" + targets
    )
    actual = panel([(c, 2024, "u", 7.0 if c == "KZ-75" else 4.0) for c in KZ_2022])
    out = monitor(plan, actual, population=uniform_population(2024, heavy="KZ-75"))
    national = out[(out["region"] == "KZ") & (out["year"] == 2024)].iloc[0]
    assert national["actual"] == pytest.approx(90 / 21)
    # no regional baseline anywhere: the regions have no baseline
    assert set(out.loc[out["region"] != "KZ", "status"]) == {"no_baseline"}


def test_interpolation_between_declared_targets():
    # 0 (2020) -> 10 (2022) -> 30 (2024): 2021 is 5, 2023 is 20
    plan = parse_plan(one_indicator("positive", 0, {2022: 10, 2024: 30}))
    actual = panel([("KZ", y, "x", 0.0) for y in (2021, 2022, 2023, 2024)])
    out = monitor(plan, actual)
    assert out["target"].tolist() == [5.0, 10.0, 20.0, 30.0]
    assert out["target_kind"].tolist() == ["interpolated", "declared", "interpolated", "declared"]


@pytest.mark.parametrize(
    ("polarity", "value", "progress", "status"),
    [
        ("negative", 4.9, 1.0, "on_track"),
        ("negative", 5.1, 0.0, "off_track"),
        ("positive", 5.1, 1.0, "on_track"),
        ("positive", 4.9, 0.0, "off_track"),
        ("neutral", 5.0, 1.0, "on_track"),
        ("neutral", 5.1, 0.0, "off_track"),
    ],
)
def test_hold_the_level_target(polarity, value, progress, status):
    plan = parse_plan(one_indicator(polarity, 5.0, {2021: 5.0}))
    out = monitor(plan, panel([("KZ", 2021, "x", value)]))
    assert out[["progress", "status"]].iloc[0].tolist() == [progress, status]


@pytest.mark.parametrize(
    ("value", "status"),
    [(4.0, "on_track"), (4.1, "on_track"), (4.5, "at_risk"), (4.6, "off_track")],
)
def test_status_thresholds(value, status):
    # baseline 5, target 4: progress 1, 0.9, 0.5, 0.4
    plan = parse_plan(one_indicator("negative", 5.0, {2021: 4.0}))
    assert monitor(plan, panel([("KZ", 2021, "x", value)]))["status"].item() == status


def test_custom_thresholds_and_their_order():
    plan = parse_plan(one_indicator("negative", 5.0, {2021: 4.0}))
    out = monitor(plan, panel([("KZ", 2021, "x", 4.5)]), on_track=0.5, at_risk=0.2)
    assert out["status"].item() == "on_track"
    with pytest.raises(InputError, match="thresholds out of order"):
        monitor(plan, panel([("KZ", 2021, "x", 4.5)]), on_track=0.3, at_risk=0.5)


def test_panel_indicator_and_sector_mapping():
    plan = parse_plan(
        one_indicator("positive", 0, {2021: 10}, ", panel_indicator: gva, panel_sector: C")
    )
    actual = panel([("KZ", 2021, "gva", 5.0)]).assign(sector="C")
    other = panel([("KZ", 2021, "gva", 9.0)]).assign(sector="A")
    out = monitor(plan, pd.concat([actual, other]))
    assert out["actual"].item() == 5.0 and out["indicator"].item() == "x"


def test_not_monitored_and_bad_panel():
    plan = parse_plan(one_indicator("positive", 0, {2021: 10}))
    out = monitor(plan, panel([("KZ", 2021, "other", 1.0)]))
    assert out.empty and out.attrs["not_monitored"] == ["x"]
    empty = monitor(Plan(), panel([("KZ", 2021, "x", 1.0)]))
    assert empty.empty and list(empty.columns) == MONITOR_COLUMNS
    with pytest.raises(InputError, match="lacks the column"):
        monitor(plan, pd.DataFrame({"region": ["KZ"], "year": [2021]}))
    with pytest.raises(InputError, match="duplicated"):
        monitor(plan, panel([("KZ", 2021, "x", 1.0), ("KZ", 2021, "x", 2.0)]))


values = st.floats(-1e4, 1e4, allow_nan=False).map(lambda v: round(v, 3))
gaps = st.floats(0.5, 1e3).map(lambda v: round(v, 3))


def progress_of(polarity: str, cases: list[tuple[float, float, float]]) -> np.ndarray:
    """Progress of one indicator per (baseline, target, actual), in one monitor call."""
    plan = Plan.model_validate(
        {
            "indicators": [
                {"id": f"x{i}", "name": "X", "unit": "u", "polarity": polarity,
                 "baseline": {"year": 2020, "value": b}, "targets": {2021: t}}
                for i, (b, t, _) in enumerate(cases)
            ]
        }
    )  # fmt: skip
    actual = panel([("KZ", 2021, f"x{i}", a) for i, (_, _, a) in enumerate(cases)])
    out = monitor(plan, actual)
    return (
        out.set_index("indicator").loc[[f"x{i}" for i in range(len(cases))], "progress"].to_numpy()
    )


@settings(max_examples=10)
@given(
    cases=st.lists(st.tuples(values, gaps, values), min_size=1, max_size=12),
    scale=st.floats(0.1, 100),
    shift=values,
)
def test_progress_identity_and_invariances(cases, scale, shift):
    plain = [(b, b + g, a) for b, g, a in cases]
    got = progress_of("positive", plain)
    expected = [(a - b) / (t - b) for b, t, a in plain]
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    # the same plan in other units (affine change) has the same progress
    moved = [(b * scale + shift, t * scale + shift, a * scale + shift) for b, t, a in plain]
    np.testing.assert_allclose(progress_of("positive", moved), got, rtol=1e-6, atol=1e-6)
    # mirrored values with the opposite polarity: the same progress
    mirrored = [(-b, -t, -a) for b, t, a in plain]
    np.testing.assert_allclose(progress_of("negative", mirrored), got, atol=1e-9)


def test_example_on_the_bundled_statistics():
    plan = load_plan(EXAMPLE)
    out = monitor(plan, kazakhstan.panel(include_national=True))
    assert set(out["region"]) == {"KZ", *KZ_2022}
    assert sorted(out["year"].unique()) == [2023, 2024, 2025]
    assert set(out["status"]) <= set(STATUSES)
    assert out.attrs["not_monitored"] == ["emissions_16_largest", "msw_recycling_share"]
    # identity: progress is the share of the distance covered
    share = (out["actual"] - out["baseline"]) / (out["target"] - out["baseline"])
    np.testing.assert_allclose(out["progress"], share, atol=1e-9)
    # actuals are the bundled values (KZ-63 2023 is 3.4 as published)
    assert out.set_index(["region", "year"]).loc[("KZ-63", 2023), "actual"] == 3.4
    assert (out.loc[out["year"] >= 2024, "flag"] == "preliminary").all()
