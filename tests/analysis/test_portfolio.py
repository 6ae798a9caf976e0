"""Portfolio: LQ × relative growth × size, quadrant labels and the plotting helper."""

from __future__ import annotations

from math import sqrt

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from terraplan.analysis.portfolio import classify, plot_portfolio, portfolio
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError

# 2020 -> 2022 (two years, so growth rates are annualized with a square root):
#   R1: A 40 -> 60, B 10 -> 12, C absent, D 0 -> 3 (new);  R2: A 10 -> 30, B 40 -> 48, C 2 -> 4,
#   D 5 -> 5. Nation: A 50 -> 90, B 50 -> 60, C 2 -> 4, D 5 -> 8.
#   Totals 2022: R1 75, R2 87, nation 162.
SERIES = {
    ("R1", "A"): (40.0, 60.0),
    ("R1", "B"): (10.0, 12.0),
    ("R1", "C"): (0.0, 0.0),
    ("R1", "D"): (0.0, 3.0),
    ("R2", "A"): (10.0, 30.0),
    ("R2", "B"): (40.0, 48.0),
    ("R2", "C"): (2.0, 4.0),
    ("R2", "D"): (5.0, 5.0),
}


def panel() -> pd.DataFrame:
    rows = [
        {"region": r, "year": y, "indicator": "gva", "sector": s, "value": v, "unit": "u"}
        for (r, s), pair in SERIES.items()
        for y, v in zip((2020, 2022), pair, strict=True)
    ]
    return pd.DataFrame(rows).assign(flag="")


def test_portfolio_known_answer():
    table = portfolio(panel(), year=2022, base_year=2020)
    r1a = table.iloc[0]
    assert r1a["growth_rate"] == pytest.approx(sqrt(1.5) - 1)
    assert r1a["reference_growth_rate"] == pytest.approx(sqrt(1.8) - 1)
    assert r1a["relative_growth"] == pytest.approx(sqrt(1.5) - sqrt(1.8))
    # LQ 2022: R1 A = (60/75) / (90/162)
    assert r1a["lq"] == pytest.approx((60 / 75) / (90 / 162))
    assert r1a["share"] == pytest.approx(60 / 75)
    # R1 A: LQ 1.44 > 1, slower than the nation -> declining strength
    # R1 B: LQ (12/75)/(60/162) = 0.43, same growth as the nation (relative 0) -> emerging
    # R1 C: 0 in both years -> absent;  R1 D: 0 -> 3 -> new
    # R2 A: LQ (30/87)/(90/162) = 0.62, sqrt(3) > sqrt(1.8) -> emerging
    # R2 B: LQ (48/87)/(60/162) = 1.49, relative 0 -> rising strength
    # R2 C: LQ (4/87)/(4/162) = 1.86, same growth -> rising strength
    # R2 D: LQ (5/87)/(8/162) = 1.16, 0 against sqrt(1.6) - 1 -> declining strength
    assert table["quadrant"].tolist() == [
        "declining strength",
        "emerging",
        "absent",
        "new",
        "emerging",
        "rising strength",
        "rising strength",
        "declining strength",
    ]
    assert table.loc[3, "relative_growth"] == np.inf
    assert np.isnan(table.loc[2, "relative_growth"])
    assert table.attrs["lq_threshold"] == 1.0 and table.attrs["base_year"] == 2020


def test_thresholds_move_the_quadrants():
    table = portfolio(panel(), year=2022, base_year=2020, lq_threshold=2.0, growth_threshold=0.1)
    # nothing reaches LQ 2; only R2 A grows 0.1 a year faster than the nation
    assert table["quadrant"].tolist() == [
        "lagging", "lagging", "absent", "new", "emerging", "lagging", "lagging", "lagging",
    ]  # fmt: skip


def test_classify_table():
    labels = classify(
        np.array([1.0, 1.0, 0.99, 0.99, 5.0, 0.0]),
        np.array([0.0, -0.01, 0.0, -0.01, np.inf, np.nan]),
        np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0]),
        np.array([1.0, 1.0, 1.0, 1.0, 2.0, 0.0]),
    )
    assert labels.tolist() == [
        "rising strength", "declining strength", "emerging", "lagging", "new", "absent",
    ]  # fmt: skip


def test_plot_portfolio_returns_an_agg_figure():
    table = portfolio(panel(), year=2022, base_year=2020)
    fig = plot_portfolio(table, "R1")
    assert isinstance(fig, Figure)
    assert isinstance(fig.canvas, FigureCanvasAgg)
    ax = fig.axes[0]
    assert len(ax.collections[0].get_offsets()) == 2  # A and B; C absent and D new are listed
    assert "not plotted" in ax.get_xlabel() and "D (new)" in ax.get_xlabel()
    assert "R1" in ax.get_title()
    with pytest.raises(AnalysisError, match="region 'R9'"):
        plot_portfolio(table, "R9")


def test_bundled_portfolio_real_and_nominal():
    bundled = kazakhstan.panel(["gva", "gva_volume_index"])
    nominal = portfolio(bundled, year=2023, base_year=2021)
    atyrau_mining = nominal[(nominal["region"] == "KZ-23") & (nominal["sector"] == "B")].iloc[0]
    assert atyrau_mining["quadrant"] in ("rising strength", "declining strength")
    real = portfolio(bundled, year=2023, base_year=2021, prices="real")
    assert real.attrs["sector_level"] == "coarse"
    assert "LQ and shares at current prices" in real.attrs["prices"]
    assert set(real["quadrant"]) <= {
        "rising strength", "declining strength", "emerging", "lagging", "new", "absent",
    }  # fmt: skip
