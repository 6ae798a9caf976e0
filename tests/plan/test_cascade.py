"""Target cascades: every rule adds up to the national target by construction; plausibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.datasets import kazakhstan
from terraplan.errors import InputError
from terraplan.plan.cascade import RULES, cascade


def two_regions(values_a, values_b, years=(2018, 2019, 2020, 2021, 2022)):
    rows = [("A", y, "x", a) for y, a in zip(years, values_a, strict=True)]
    rows += [("B", y, "x", b) for y, b in zip(years, values_b, strict=True)]
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


POP = pd.Series({"A": 1.0, "B": 3.0})


def test_known_answers_for_a_sum():
    """Baselines A 10, B 30 (nation 40), target 60, population 1 : 3."""
    p = two_regions([8, 9, 9, 10, 10], [25, 27, 28, 29, 30])
    kw = {"target": 60.0, "year": 2025, "base_year": 2022, "additive": True, "weights": POP}
    get = {rule: cascade(p, "x", rule=rule, **kw).set_index("region")["target"] for rule in RULES}
    assert get["proportional"].tolist() == pytest.approx([15.0, 45.0])  # x 1.5 each
    assert get["population"].tolist() == pytest.approx([15.0, 45.0])  # 60 x 1/4, 60 x 3/4
    assert get["equal_change"].tolist() == pytest.approx([15.0, 45.0])  # +20 shared 1 : 3
    # per head A 10, B 10: already equal, convergence = proportional
    assert get["convergence"].tolist() == pytest.approx([15.0, 45.0])


def test_convergence_for_a_sum_closes_half_the_gap_per_head():
    """A: 20 for 1 person, B: 20 for 3 (per head 20 and 6.67; nation 10). Half the gap:
    A 15 per head (15), B 8.33 per head (25); then x 60/40: A 22.5, B 37.5."""
    p = two_regions([20] * 5, [20] * 5)
    out = cascade(
        p,
        "x",
        target=60.0,
        year=2025,
        base_year=2022,
        additive=True,
        weights=POP,
        rule="convergence",
    )
    assert out["target"].tolist() == pytest.approx([22.5, 37.5])


def test_known_answers_for_a_rate():
    """Rates A 8 %, B 4 % with weights 1 : 3 (nation 5 %); target 4 %."""
    p = two_regions([8] * 5, [4] * 5)
    kw = {"target": 4.0, "year": 2025, "base_year": 2022, "additive": False, "weights": POP}
    prop = cascade(p, "x", rule="proportional", **kw)["target"]
    assert prop.tolist() == pytest.approx([6.4, 3.2])  # x 0.8
    eq = cascade(p, "x", rule="equal_change", **kw)["target"]
    assert eq.tolist() == pytest.approx([7.0, 3.0])  # -1 point each
    conv = cascade(p, "x", rule="convergence", gap_closure=0.5, **kw)["target"]
    # half the gap: A 6.5, B 4.5 (mean 5.0); shift -1: A 5.5, B 3.5
    assert conv.tolist() == pytest.approx([5.5, 3.5])
    with pytest.raises(InputError, match="population rule shares a sum"):
        cascade(p, "x", rule="population", **kw)


@settings(max_examples=50, deadline=None)
@given(
    base=st.lists(st.floats(1.0, 1e6), min_size=3, max_size=8),
    factor=st.floats(0.5, 2.0),
    rule=st.sampled_from(RULES),
    additive=st.booleans(),
    closure=st.floats(0.0, 1.0),
)
def test_every_rule_meets_the_national_target(base, factor, rule, additive, closure):
    if rule == "population" and not additive:
        return
    codes = [f"R{i}" for i in range(len(base))]
    panel = pd.DataFrame({"region": codes, "year": 2022, "indicator": "x", "value": base})
    weights = pd.Series(np.linspace(1, 2, len(base)), index=codes)
    w = weights / weights.sum()
    nation = sum(base) if additive else float((w * np.array(base)).sum())
    out = cascade(
        panel,
        "x",
        target=nation * factor,
        year=2026,
        base_year=2022,
        rule=rule,
        additive=additive,
        weights=weights,
        gap_closure=closure,
    )
    got = out["target"].sum() if additive else float((w.to_numpy() * out["target"]).sum())
    assert got == pytest.approx(nation * factor, rel=1e-9)
    assert out.attrs["achieved"] == pytest.approx(nation * factor, rel=1e-9)


def test_a_target_beyond_the_regions_history_is_flagged():
    """A grew 10 % a year, B 1 %: a 10 %-a-year national push is plausible for A only."""
    years = range(2012, 2023)
    a = [100 * 1.10**k for k in range(11)]
    b = [100 * 1.01**k for k in range(11)]
    p = two_regions(a, b, years=tuple(years))
    nation = a[-1] + b[-1]
    out = cascade(
        p,
        "x",
        target=nation * 1.10**3,
        year=2025,
        base_year=2022,
        additive=True,
    ).set_index("region")
    assert out.loc["A", "yearly_change"] == pytest.approx(0.10)
    assert not out.loc["B", "plausible"] and out.loc["B", "flag"] == "beyond_history"
    assert out.loc["A", "flag"] in ("", "beyond_history")


def test_unemployment_cascade_on_the_bundled_data():
    """National unemployment 4.5 % in 2029 from 2025: the weighted mean is met."""
    panel = kazakhstan.panel(["unemployment_rate", "population"])
    out = cascade(panel, "unemployment_rate", target=4.5, year=2029, base_year=2025)
    w = pd.Series(out.attrs["weights"])
    assert float((w[out["region"]].to_numpy() * out["target"]).sum()) == pytest.approx(4.5)
    assert len(out) == 20
    assert out.attrs["constraint"] == "population-weighted mean"
    short = out.set_index("region").loc["KZ-10", "flag"]  # Abai: 3 yearly changes since 2022
    assert short == "short_history"


def test_bad_requests():
    p = two_regions([1] * 5, [2] * 5)
    with pytest.raises(InputError, match="unknown rule"):
        cascade(p, "x", target=1, year=2025, base_year=2022, rule="fair")
    with pytest.raises(InputError, match="must come after"):
        cascade(p, "x", target=1, year=2020, base_year=2022)
    with pytest.raises(InputError, match="no value of 'x' in the base year 2030"):
        cascade(p, "x", target=1, year=2031, base_year=2030)
