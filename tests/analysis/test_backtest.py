"""The relatedness back-test: AUC and logit known answers, and the bundled-data check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from terraplan.analysis.backtest import auc, logit, relatedness_backtest
from terraplan.errors import AnalysisError


def test_auc_known_answers():
    """Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 0.8 beats both, 0.35 beats one:
    3 of 4 pairs -> 0.75. A tie counts one half."""
    assert auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == 0.75
    assert auc(np.array([0.5, 0.5]), np.array([0, 1])) == 0.5
    assert np.isnan(auc(np.array([0.5, 0.6]), np.array([1, 1])))


def test_logit_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(5)
    x = rng.normal(size=300)
    y = (rng.random(300) < 1 / (1 + np.exp(-(0.3 + 1.2 * x)))).astype(int)
    ours = logit(x, y)
    z = (x - x.mean()) / x.std()
    ref = sm.Logit(y, sm.add_constant(z)).fit(disp=0)
    assert ours["coef"] == pytest.approx(ref.params[1], rel=1e-8)
    assert ours["se"] == pytest.approx(ref.bse[1], rel=1e-6)


def _panel(cube: np.ndarray, years, regions, sectors) -> pd.DataFrame:
    y, r, s = np.meshgrid(years, regions, sectors, indexing="ij")
    return pd.DataFrame(
        {
            "region": r.ravel(),
            "year": y.ravel(),
            "indicator": "gva",
            "sector": s.ravel(),
            "value": cube.ravel(),
            "unit": "u",
            "flag": "",
        }
    )


def test_entries_follow_density_by_construction():
    """Sectors A-D are a tight cluster (present together in R1-R4); E, F are elsewhere. At the
    end, the regions holding three of A-D gain the fourth (high density), and nothing else
    changes, so every entry has a higher density than every non-entry: AUC = 1."""
    regions = [f"R{i}" for i in range(1, 9)]
    sectors = list("ABCDEF")
    start = np.full((8, 6), 1.0)
    start[0:4, 0:4] = 20.0  # R1-R4 hold the cluster
    start[4:8, 4:6] = 20.0  # R5-R8 hold E, F
    start[0, 3] = 1.0  # R1 lacks D
    start[1, 2] = 1.0  # R2 lacks C
    end = start.copy()
    end[0, 3] = 20.0
    end[1, 2] = 20.0
    panel = _panel(np.stack([start, end]), [2020, 2023], regions, sectors)
    bt = relatedness_backtest(panel, [(2020, 2023)], n_boot=200)
    pooled = bt.summary.iloc[-1]
    assert pooled["entries"] == 2
    assert pooled["auc"] == 1.0
    assert bt.predictive
    assert "predicts" in bt.verdict


def test_bad_periods_are_refused():
    with pytest.raises(AnalysisError, match="end after"):
        relatedness_backtest(pd.DataFrame(), [(2023, 2021)])


def test_bundled_backtest_runs_on_one_layout():
    from terraplan.data.harmonize import harmonize
    from terraplan.datasets import kazakhstan

    panel = harmonize(kazakhstan.panel(["gva"], years=range(2014, 2024)), to="KZ-2018")
    bt = relatedness_backtest(panel, [(2014, 2017), (2017, 2020), (2020, 2023)], n_boot=100)
    pooled = bt.summary.iloc[-1]
    assert pooled["at_risk"] == len(bt.observations)
    assert 0 <= pooled["auc"] <= 1
    assert bt.observations["entry"].isin([0, 1]).all()
    assert (bt.observations["density"].between(0, 1)).all()
