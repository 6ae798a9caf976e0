"""Uncertainty and sensitivity analysis of a composite index: rank intervals and Sobol indices.

The choices a framework lists under ``uncertainty`` are varied together in a Monte Carlo run
(a Saltelli design, so the same runs also give Sobol indices):

* ``imputation``, ``normalisation``, ``aggregation``: one alternative drawn per run, each
  equally likely;
* ``weights``: every indicator weight multiplied by ``1 + f u`` with ``u`` uniform in [-1, 1]
  and ``f = weights_perturbation``;
* ``leave_one_out``: each run leaves out one indicator, or none (all equally likely).

A framework without an ``uncertainty`` section gets :func:`default_spec`.

Each run gives a rank per unit (1 = best). The result holds each unit's nominal rank, median
rank and 5-95 % interval, and the first-order and total Sobol index of each unit's rank with
respect to each varied choice; it lists exactly which choices were varied, with what
alternatives, and how many runs were made. Runs are vectorised: every combination of the
discrete choices is prepared once, and all runs sharing it are aggregated in one array step.

Example
-------
>>> import numpy as np, pandas as pd
>>> from terraplan.data.framework import framework_from_dict
>>> fw = framework_from_dict({"id": "d", "pillars": [{"id": "p", "indicators": [
...     {"id": "a"}, {"id": "b"}]}], "uncertainty": {"weights_perturbation": 0.5}})
>>> panel = pd.DataFrame({"unit": list("WXYZ") * 2, "year": 2020,
...     "indicator": ["a"] * 4 + ["b"] * 4, "value": [4.0, 3, 2, 1, 4, 3, 2, 1]})
>>> u = uncertainty(fw, panel, runs=300)
>>> u.ranks["median"].tolist(), u.varied, u.runs
([1.0, 2.0, 3.0, 4.0], {'weights': '±50 % on each weight'}, 300)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from terraplan.analysis.composite.aggregate import copeland_runs, positive, weighted_means
from terraplan.analysis.composite.index import CompositeIndex, build_index
from terraplan.analysis.composite.normalise import normalise, panel_goalposts
from terraplan.analysis.composite.sobol import sobol_confidence, sobol_indices, sobol_sample
from terraplan.analysis.composite.treat import impute, treat_outliers
from terraplan.data.framework import Framework
from terraplan.errors import InputError


@dataclass
class Uncertainty:
    """Result of :func:`uncertainty`."""

    ranks: pd.DataFrame  # unit -> nominal, median, p05, p95, mean
    sobol: pd.DataFrame  # long: unit, factor, first, total
    varied: dict[str, str]
    runs: int
    base_samples: int
    seed: int
    nominal: CompositeIndex
    notes: list[str] = field(default_factory=list)

    def drivers(self) -> pd.DataFrame:
        """Mean first-order and total index of each factor over the units, largest total first."""
        out = self.sobol.groupby("factor")[["first", "total"]].mean()
        return out.sort_values("total", ascending=False, kind="mergesort")


def default_spec(chosen: dict[str, str]) -> dict[str, Any]:
    """What to vary when a framework lists nothing under ``uncertainty``.

    The framework's own normalisation and aggregation plus the common alternatives, weights
    perturbed by ±25 %, and leaving one indicator out.

    >>> default_spec({"normalisation": "rank", "aggregation": "arithmetic"})["normalisation"]
    ['rank', 'minmax', 'zscore']
    """
    norms = [chosen["normalisation"], "minmax", "zscore", "rank"]
    aggs = [chosen["aggregation"], "arithmetic", "geometric", "copeland"]
    return {
        "normalisation": list(dict.fromkeys(norms)),
        "aggregation": list(dict.fromkeys(aggs)),
        "weights_perturbation": 0.25,
        "leave_one_out": True,
    }


def _mean_runs(
    X: np.ndarray, W: np.ndarray, pillars: list[np.ndarray], pw: np.ndarray, method: str
) -> np.ndarray:
    """Index scores (runs x units): weighted means within pillars, then over pillars.

    ``pw`` holds the pillar weights, one row for all units or one row per unit (stage weights).
    """
    scores = np.stack(
        [weighted_means(X[None, :, cols], W[:, None, cols], method) for cols in pillars], axis=-1
    )
    return weighted_means(scores, pw[None, None, :] if pw.ndim == 1 else pw[None], method)


def _ranks(scores: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(-np.nan_to_num(scores, nan=-np.inf), axis=1, method="min")


def uncertainty(
    framework: Framework,
    panel: pd.DataFrame,
    *,
    year: int | None = None,
    runs: int = 1000,
    seed: int = 0,
    groups: pd.Series | None = None,
    units: list[str] | None = None,
    n_boot: int = 100,
) -> Uncertainty:
    """Monte Carlo over the framework's ``uncertainty`` choices (see the module docstring).

    ``runs`` is the total number of index computations (rounded up to fill the design);
    ``n_boot`` bootstrap resamples give 90 % intervals of the Sobol indices (0: none).
    """
    nominal = build_index(framework, panel, year=year, groups=groups, units=units)
    chosen = nominal.choices
    spec = framework.uncertainty or default_spec(chosen)
    imps = spec.get("imputation", [chosen["imputation"]])
    norms = spec.get("normalisation", [chosen["normalisation"]])
    aggs = spec.get("aggregation", [chosen["aggregation"]])
    frac = spec.get("weights_perturbation") or 0.0
    loo = bool(spec.get("leave_one_out", False))
    kept = list(nominal.normalised.columns)
    m, unit_ids = len(kept), list(nominal.index.index)
    factors: list[tuple[str, int]] = []
    varied: dict[str, str] = {}
    for name, options in (("imputation", imps), ("normalisation", norms), ("aggregation", aggs)):
        if len(options) > 1:
            factors.append((name, 1))
            varied[name] = ", ".join(options)
    if frac > 0:
        factors.append(("weights", m))
        varied["weights"] = f"±{frac:.0%} on each weight".replace("%", " %")
    if loo:
        factors.append(("leave_one_out", 1))
        varied["leave_one_out"] = "none or one of " + ", ".join(kept)
    if not factors:
        raise InputError(
            f"framework {framework.id!r} varies no choice: list alternatives under 'uncertainty'"
        )
    if runs < 2 * (len(factors) + 2):
        raise InputError(f"--uncertainty needs at least {2 * (len(factors) + 2)} runs")
    n_base = math.ceil(runs / (len(factors) + 2))
    U = sobol_sample(n_base, [size for _, size in factors], seed=seed)
    cols: dict[str, np.ndarray] = {}
    start = 0
    for name, size in factors:
        cols[name] = U[:, start : start + size]
        start += size
    total_runs = U.shape[0]

    def level(name: str, k: int) -> np.ndarray:
        if name not in cols:
            return np.zeros(total_runs, dtype=int)
        return np.minimum((cols[name][:, 0] * k).astype(int), k - 1)

    imp_i, norm_i = level("imputation", len(imps)), level("normalisation", len(norms))
    agg_i = level("aggregation", len(aggs))
    W = np.tile(nominal.weights.reindex(kept).to_numpy(float), (total_runs, 1))
    if "weights" in cols:
        W = W * (1 + frac * (2 * cols["weights"] - 1))
    if loo:
        drop = level("leave_one_out", m + 1)
        rows = np.flatnonzero(drop < m)
        W[rows, drop[rows]] = 0.0
    pillar_of = framework.pillar_of()
    pids = list(nominal.pillar_weights.index)
    pillar_cols = [np.array([j for j, k in enumerate(kept) if pillar_of[k] == p]) for p in pids]
    pw = nominal.pillar_weights.to_numpy(float)
    overall = pw[[pids.index(pillar_of[k]) for k in kept]]
    pw_units = pw
    if nominal.unit_weights is not None:  # stage weights: each unit its own pillar weights
        pw_units = nominal.unit_weights.reindex(index=unit_ids, columns=pids).to_numpy(float)

    X0 = nominal.raw.copy()
    X0.attrs = {}  # pandas deep-copies attrs on every operation
    sub = panel[panel["indicator"].isin(kept)]
    gp = panel_goalposts(sub)
    for i in framework.indicators:
        if i.goalposts is not None and i.id in gp:
            gp[i.id] = i.goalposts
    polarity = pd.Series({i.id: i.polarity for i in framework.indicators}).reindex(kept)
    targets = pd.Series({i.id: i.target for i in framework.indicators}, dtype=float)
    scores = np.full((total_runs, len(unit_ids)), np.nan)
    prepared: dict[tuple[int, int], np.ndarray] = {}
    data = {}
    for a, method in enumerate(imps):
        filled, _ = impute(X0, method, groups=groups, panel=sub, year=nominal.year)
        data[a] = (filled, treat_outliers(filled, chosen["outliers"])[0])
    for a, b in product(range(len(imps)), range(len(norms))):
        filled, treated = data[a]
        source = filled if norms[b] == "goalposts" else treated
        N = normalise(
            source,
            norms[b],
            polarity,
            goalposts=gp,
            targets=targets,
            reference=framework.reference_region,
        )
        N = N.reindex(index=unit_ids, columns=kept).to_numpy(float)
        prepared[a, b] = N
        for c, method in enumerate(aggs):
            rows = np.flatnonzero((imp_i == a) & (norm_i == b) & (agg_i == c))
            if not len(rows):
                continue
            if method == "copeland":
                scores[rows] = copeland_runs(N, W[rows] * overall)
            else:
                Xc = positive(N)[0] if method in ("geometric", "harmonic") else N
                scores[rows] = _mean_runs(Xc, W[rows], pillar_cols, pw_units, method)
    ranks = _ranks(scores)
    summary = pd.DataFrame(
        {
            "nominal": nominal.rank.reindex(unit_ids).to_numpy(),
            "median": np.median(ranks, axis=0),
            "p05": np.percentile(ranks, 5, axis=0),
            "p95": np.percentile(ranks, 95, axis=0),
            "mean": ranks.mean(axis=0),
        },
        index=pd.Index(unit_ids, name="unit"),
    )
    summary = summary.sort_values(["median", "nominal"], kind="mergesort")
    first, total = sobol_indices(ranks, len(factors))
    names = [name for name, _ in factors]
    sobol = pd.DataFrame(
        {
            "unit": np.tile(unit_ids, len(names)),
            "factor": np.repeat(names, len(unit_ids)),
            "first": first.ravel(),
            "total": total.ravel(),
        }
    )
    if n_boot:
        bounds = sobol_confidence(ranks, len(factors), n_boot=n_boot, seed=seed)
        for col, values in zip(
            ("first_low", "first_high", "total_low", "total_high"), bounds, strict=True
        ):
            sobol[col] = values.ravel()
    notes = []
    if len(imps) > 1 and all(
        np.array_equal(prepared[0, b], prepared[a, b], equal_nan=True)
        for a in range(1, len(imps))
        for b in range(len(norms))
    ):
        notes.append(
            f"imputation was varied ({', '.join(imps)}) but the {nominal.year} values have no "
            "gaps to fill: its alternatives give identical data and its Sobol indices are 0"
        )
    summary.attrs = sobol.attrs = {
        **_record(framework, varied, total_runs, n_base, seed),
        "notes": notes,
    }
    return Uncertainty(summary, sobol, varied, total_runs, n_base, seed, nominal, notes)


def _record(fw: Framework, varied: dict, runs: int, n_base: int, seed: int) -> dict[str, Any]:
    return {
        "step": "uncertainty",
        "framework": fw.id,
        "varied": dict(varied),
        "runs": runs,
        "base_samples": n_base,
        "seed": seed,
        "design": "Saltelli (scrambled Sobol sequence); first order Saltelli 2010, total Jansen",
        "sobol_intervals": "90 % bootstrap (first_low ... total_high)",
    }
