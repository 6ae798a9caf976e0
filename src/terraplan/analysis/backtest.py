"""Does relatedness predict here? Density at the start of a period against entries by its end.

The literature's standard check (Hidalgo et al. 2007; Neffke, Henning & Boschma 2011): for every
region and sector *at risk of entry* (RCA < 1 at the start), does the relatedness density at the
start predict whether the sector is present (RCA ≥ 1) at the end? terraplan reports, per period
and pooled over periods,

* the **AUC** (probability that a sector that entered had a higher density than one that did not;
  0.5 is no predictive power), with a 90 % interval from a bootstrap over regions (seeded);
* a **logistic regression** of entry on standardized density: coefficient (change in log-odds
  per standard deviation), standard error and two-sided p-value (normal approximation);
* the AUC of a naive benchmark, the sector's **ubiquity** (number of regions where it is present
  at the start): density must beat it to be worth more than "what most regions have"; and the
  density coefficient of a regression that controls for ubiquity.

Only information of the start year is used (presence, proximity and density at the start).

Example
-------
>>> import numpy as np
>>> auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1]))
0.75
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from terraplan.analysis.relatedness import at_least, density_array, proximity_array, rca_array
from terraplan.errors import AnalysisError

#: An AUC interval entirely above this says density predicts entries.
NO_SKILL = 0.5


def auc(score: np.ndarray, outcome: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted one half); NaN without both
    outcomes."""
    from scipy.stats import rankdata

    score = np.asarray(score, dtype=float)
    y = np.asarray(outcome).astype(bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def logit(x: np.ndarray, y: np.ndarray, *, iterations: int = 50) -> dict[str, float]:
    """Logistic regression of ``y`` on standardized predictors ``x`` (one column or several,
    with intercept), by Newton-Raphson: ``{coef, se, z, p, odds_ratio}`` of the first predictor,
    per standard deviation (the others are controls).

    >>> x = np.array([0.0, 1, 2, 3, 4, 5, 6, 7])
    >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
    >>> round(logit(x, y)["coef"], 3)
    1.361
    """
    x = np.asarray(x, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    y = np.asarray(y, dtype=float)
    sd = x.std(axis=0)
    if (sd == 0).any() or y.min() == y.max():
        return {"coef": np.nan, "se": np.nan, "z": np.nan, "p": np.nan, "odds_ratio": np.nan}
    design = np.column_stack([np.ones(len(y)), (x - x.mean(axis=0)) / sd])
    beta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        w = np.clip(p * (1 - p), 1e-12, None)
        hessian = design.T @ (design * w[:, None])
        step = np.linalg.solve(hessian, design.T @ (y - p))
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    p = 1.0 / (1.0 + np.exp(-design @ beta))
    cov = np.linalg.inv(design.T @ (design * (p * (1 - p))[:, None]))
    se = float(np.sqrt(cov[1, 1]))
    z = float(beta[1] / se)
    return {
        "coef": float(beta[1]),
        "se": se,
        "z": z,
        "p": 2 * (1 - NormalDist().cdf(abs(z))),
        "odds_ratio": float(np.exp(beta[1])),
    }


@dataclass
class Backtest:
    """The observations (``period, region, sector, density, ubiquity, entry``), the summary per
    period and pooled, and the verdict in words."""

    observations: pd.DataFrame
    summary: pd.DataFrame
    verdict: str
    predictive: bool


def _period_rows(values: np.ndarray, regions, sectors, start: int, end: int, threshold: float):
    m0 = at_least(rca_array(values[0]), threshold)
    m1 = at_least(rca_array(values[1]), threshold) > 0
    dens = density_array(m0, proximity_array(m0))
    at_risk = m0 == 0
    r_idx, s_idx = np.nonzero(at_risk)
    return pd.DataFrame(
        {
            "period": f"{start}-{end}",
            "region": np.asarray(regions, dtype=object)[r_idx],
            "sector": np.asarray(sectors, dtype=object)[s_idx],
            "density": dens[r_idx, s_idx],
            "ubiquity": m0.sum(axis=0)[s_idx],
            "entry": m1[r_idx, s_idx].astype(int),
        }
    )


def _summarize(obs: pd.DataFrame, label: str, n_boot: int, rng: np.random.Generator) -> dict:
    d, u, y = obs["density"].to_numpy(), obs["ubiquity"].to_numpy(), obs["entry"].to_numpy()
    codes, uniques = pd.factorize(obs["region"])
    low = high = np.nan
    if n_boot and y.min() != y.max():
        groups = [np.flatnonzero(codes == g) for g in range(len(uniques))]
        draws = []
        for _ in range(n_boot):
            pick = np.concatenate([groups[g] for g in rng.integers(0, len(groups), len(groups))])
            draws.append(auc(d[pick], y[pick]))
        draws = np.asarray(draws)
        draws = draws[~np.isnan(draws)]
        if draws.size:
            low, high = np.percentile(draws, [5, 95])
    fit = logit(d, y)
    controlled = logit(np.column_stack([d, u]), y)
    return {
        "period": label,
        "at_risk": len(y),
        "entries": int(y.sum()),
        "auc": auc(d, y),
        "auc_low": float(low),
        "auc_high": float(high),
        "auc_ubiquity": auc(u, y),
        "coef": fit["coef"],
        "se": fit["se"],
        "p": fit["p"],
        "odds_ratio": fit["odds_ratio"],
        "coef_given_ubiquity": controlled["coef"],
        "p_given_ubiquity": controlled["p"],
    }


def relatedness_backtest(
    panel: pd.DataFrame,
    periods: Sequence[tuple[int, int]],
    *,
    indicator: str = "gva",
    threshold: float = 1.0,
    n_boot: int = 1000,
    seed: int = 0,
    **options,
) -> Backtest:
    """Back-test relatedness density on ``periods`` of the panel (``[(start, end), ...]``).

    ``options`` go to :func:`~terraplan.analysis.matrices.sector_matrix` (e.g.
    ``sector_level="fine"``). Regions must be the same at both ends of a period: harmonize the
    panel to one layout first (:func:`terraplan.harmonize`).

    >>> from terraplan.datasets import kazakhstan
    >>> from terraplan.data.harmonize import harmonize
    >>> panel = harmonize(kazakhstan.panel(["gva"], years=range(2014, 2024)), to="KZ-2018")
    >>> bt = relatedness_backtest(panel, [(2014, 2017), (2017, 2020)], n_boot=0)
    >>> bt.summary["period"].tolist()
    ['2014-2017', '2017-2020', 'pooled']
    """
    from terraplan.analysis.matrices import sector_matrix

    if not periods:
        raise AnalysisError("give at least one (start, end) period")
    bad = [p for p in periods if int(p[0]) >= int(p[1])]
    if bad:
        raise AnalysisError(f"period(s) {bad} do not end after they start; give (start, end)")
    frames = []
    for start, end in periods:
        m = sector_matrix(panel, [int(start), int(end)], indicator=indicator, **options)
        frames.append(_period_rows(m.values, m.regions, m.sectors, start, end, threshold))
    obs = pd.concat(frames, ignore_index=True)
    rng = np.random.default_rng(seed)
    rows = [_summarize(g, p, n_boot, rng) for p, g in obs.groupby("period", sort=False)]
    rows.append(_summarize(obs, "pooled", n_boot, rng))
    summary = pd.DataFrame(rows)
    pooled = summary.iloc[-1]
    predictive = bool(pooled["auc_low"] > NO_SKILL) if n_boot else bool(pooled["auc"] > NO_SKILL)
    beats = pooled["auc"] > pooled["auc_ubiquity"]
    if predictive:
        verdict = (
            f"density predicts entries: pooled AUC {pooled['auc']:.2f} "
            f"(90 % interval {pooled['auc_low']:.2f}-{pooled['auc_high']:.2f}) on "
            f"{pooled['at_risk']} region-sectors at risk, {pooled['entries']} entries"
        )
    else:
        verdict = (
            f"density has no demonstrable predictive power here: pooled AUC "
            f"{pooled['auc']:.2f} (90 % interval {pooled['auc_low']:.2f}-"
            f"{pooled['auc_high']:.2f}) on {pooled['at_risk']} region-sectors at risk, "
            f"{pooled['entries']} entries"
        )
    verdict += (
        f"; the naive benchmark (ubiquity) scores {pooled['auc_ubiquity']:.2f}, "
        + ("below density" if beats else "as well or better")
        + f"; controlling for ubiquity, density's logit coefficient is "
        f"{pooled['coef_given_ubiquity']:.2f} per SD (p = {pooled['p_given_ubiquity']:.3f})"
    )
    attrs = {
        "method": "back-test of relatedness density against entries (AUC, logit)",
        "indicator": indicator,
        "threshold": threshold,
        "periods": [f"{s}-{e}" for s, e in periods],
        "n_boot": n_boot,
        "seed": seed,
    }
    obs.attrs = summary.attrs = attrs
    return Backtest(obs, summary, verdict, predictive)
