"""Competitive-advantage table: the rule, the ranking, the evidence, and the bundled data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import terraplan
from terraplan.analysis.advantages import AdvantageRule, advantages
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError

# 2022 values, built so the nation has 100 in every sector (reference shares 0.25):
#   R1 (50, 30, 15, 5)  -> shares (0.5, 0.3, 0.15, 0.05)   LQ (2, 1.2, 0.6, 0.2)
#   R2 (10, 10, 40, 40) -> shares (0.1, 0.1, 0.4, 0.4)     LQ (0.4, 0.4, 1.6, 1.6)
#   R3 (40, 60, 45, 55) -> shares (0.2, 0.3, 0.225, 0.275) LQ (0.8, 1.2, 0.9, 1.1)
# 2021 is the same except R1 A = 40, so the nation's A grew 90 -> 100 (g_A = 1/9) and the
# competitive shift of R1 A is 50 - 40 * 10/9 = +5.56; every other sector has g = 0.
END = {"R1": [50, 30, 15, 5], "R2": [10, 10, 40, 40], "R3": [40, 60, 45, 55]}
SECTORS = ["A", "B", "C", "D"]


def panel(end=END, base_changes=None) -> pd.DataFrame:
    base = {r: list(v) for r, v in end.items()}
    for (r, s), v in (base_changes or {("R1", "A"): 40}).items():
        base[r][SECTORS.index(s)] = v
    rows = [
        {"region": r, "year": y, "indicator": "gva", "sector": s, "value": float(v), "unit": "u"}
        for y, table in ((2021, base), (2022, end))
        for r, values in table.items()
        for s, v in zip(SECTORS, values, strict=True)
    ]
    return pd.DataFrame(rows).assign(flag="")


def test_known_answer_selection_and_ranking():
    adv = advantages(panel(), year=2022, base_year=2021)
    got = list(zip(adv["region"], adv["kind"], adv["rank"], adv["sector"], strict=True))
    assert got == [
        ("R1", "advantage", 1, "A"),  # LQ 2, share 0.5
        ("R1", "disadvantage", 1, "D"),  # deficit 0.25 - 0.05 = 0.20
        ("R1", "disadvantage", 2, "C"),  # deficit 0.10
        ("R2", "advantage", 1, "C"),  # surplus 0.15 (tie with D, broken by code)
        ("R2", "advantage", 2, "D"),
        ("R2", "disadvantage", 1, "A"),
        ("R2", "disadvantage", 2, "B"),
        ("R3", "disadvantage", 1, "A"),  # LQ 0.8, exactly at the threshold
    ]
    first = adv.iloc[0]
    assert first["lq"] == pytest.approx(2.0) and first["share"] == pytest.approx(0.5)
    assert first["reference_share"] == pytest.approx(0.25)
    assert first["surplus"] == pytest.approx(0.25)
    assert first["lq_base"] == pytest.approx((40 / 90) / (90 / 390))
    assert first["growth"] == pytest.approx(0.25)  # 40 -> 50
    assert first["reference_sector_growth"] == pytest.approx(1 / 9)
    assert first["competitive_shift"] == pytest.approx(50 - 40 * 10 / 9)
    assert first["national_share"] + first["industry_mix"] + first["competitive_shift"] == (
        pytest.approx(10.0)
    )
    assert first["trend"] == "rising strength"
    assert first["sector_name"] == "Agriculture, forestry and fishing"
    assert first["evidence"].startswith("LQ 2.00 (base year 1.93); 50.0% of the region's total")
    assert "competitive shift +6 u" in first["evidence"]
    assert adv.attrs["rule"]["min_lq"] == 1.25
    assert adv.attrs["reference"] == "nation (sum of regions)"


def test_rule_options():
    p = panel()
    strict = advantages(
        p, year=2022, base_year=2021, rule=AdvantageRule(require_positive_shift=True)
    )
    # R2 C and D did not gain ground (competitive shift 0): only R1 A is left
    assert strict.loc[strict["kind"] == "advantage", "sector"].tolist() == ["A"]
    loose = advantages(p, year=2022, base_year=2021, rule=AdvantageRule(min_lq=1.15))
    picked = loose[loose["kind"] == "advantage"]
    # B has LQ 1.2 in R1 and R3; R3 D (1.1) stays out
    assert list(zip(picked["region"], picked["sector"], strict=True)) == [
        ("R1", "A"), ("R1", "B"), ("R2", "C"), ("R2", "D"), ("R3", "B"),
    ]  # fmt: skip
    top = advantages(p, year=2022, base_year=2021, rule=AdvantageRule(top=1))
    assert top.groupby(["region", "kind"]).size().max() == 1
    assert top[top["region"] == "R1"]["sector"].tolist() == ["A", "D"]
    with pytest.raises(AnalysisError, match="must be below min_lq"):
        advantages(p, year=2022, base_year=2021, rule=AdvantageRule(min_lq=0.5))
    with pytest.raises(AnalysisError, match="rank_by"):
        AdvantageRule(rank_by="size").check()


def test_input_panel_is_not_mutated():
    p = panel()
    before = p.copy()
    advantages(p, year=2022, base_year=2021)
    pd.testing.assert_frame_equal(p, before)


def test_region_filter_and_errors():
    one = advantages(panel(), year=2022, base_year=2021, region="R2")
    assert set(one["region"]) == {"R2"}
    # the reference is still the whole nation: same rows as in the full table
    full = advantages(panel(), year=2022, base_year=2021)
    pd.testing.assert_frame_equal(
        one.reset_index(drop=True),
        full[full["region"] == "R2"].reset_index(drop=True),
        check_like=True,
    )
    with pytest.raises(AnalysisError, match=r"region\(s\) \['R9'\]"):
        advantages(panel(), year=2022, base_year=2021, region="R9")
    with pytest.raises(AnalysisError, match="must come before"):
        advantages(panel(), year=2021, base_year=2022)


def test_absent_sectors_are_not_named_and_new_ones_have_infinite_growth():
    end = {"R1": [50, 30, 20, 0], "R2": [10, 10, 40, 40], "R3": [40, 60, 45, 55]}
    adv = advantages(panel(end, {("R1", "A"): 40}), year=2022, base_year=2021)
    r1 = adv[adv["region"] == "R1"]
    assert "D" not in r1["sector"].tolist()  # R1 has no D in either year
    # a foothold below 0.5 % of the region's total (0.1 of 100.1) is not named either
    tiny = {"R1": [50, 30, 20, 0.1], "R2": [10, 10, 40, 40], "R3": [40, 60, 45, 55]}
    adv = advantages(panel(tiny, {("R1", "A"): 40}), year=2022, base_year=2021)
    assert adv[adv["region"] == "R1"]["sector"].tolist() == ["A", "C"]
    grown = advantages(panel(END, {("R1", "D"): 0}), year=2022, base_year=2021)
    new = grown[(grown["region"] == "R1") & (grown["sector"] == "D")].iloc[0]
    assert new["growth"] == np.inf and new["trend"] == "new"
    assert "new in the region" in new["evidence"]


def test_top_level_call_and_no_nan_in_ranked_columns():
    bundled = kazakhstan.panel(["gva"])
    adv = terraplan.advantages(bundled, year=2023, base_year=2021)
    ranked = ["region", "kind", "rank", "sector", "share", "reference_share", "surplus", "lq"]
    assert adv[ranked].notna().all().all()
    atyrau = adv[(adv["region"] == "KZ-23") & (adv["kind"] == "advantage")]
    assert atyrau.iloc[0]["sector"] == "B" and atyrau.iloc[0]["lq"] > 2.5
    services = set("GHIJKLMNOPQRS")
    for city in ("KZ-71", "KZ-75"):
        sectors = set(adv[(adv["region"] == city) & (adv["kind"] == "advantage")]["sector"])
        assert sectors and sectors <= services, (city, sectors)
    assert adv.attrs["year"] == 2023 and adv.attrs["base_year"] == 2021


def test_bundled_long_period_needs_a_decision():
    bundled = kazakhstan.panel(["gva"])
    with pytest.raises(AnalysisError, match="sector_level='coarse'"):
        advantages(bundled, year=2023, base_year=2012, unmatched="drop")
    coarse = advantages(bundled, year=2023, base_year=2012, unmatched="drop", sector_level="coarse")
    assert not set(coarse["sector"]) & set("IKMNOPQRS")
    assert coarse.attrs["sector_level"] == "coarse"
    assert any("left out" in note for note in coarse.attrs["notes"])
