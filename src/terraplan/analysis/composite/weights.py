"""Weights of indicators within pillars and of pillars: equal, expert, PCA-derived, budget.

Every function returns a Series of indicator weights that sum to one within each pillar (the
pillar weights are kept separately by the caller). ``pca`` weights an indicator by its squared
loading on the first principal component of its pillar's correlation matrix (the handbook's
factor-analysis weights with one factor; loadings of a unit eigenvector, so they sum to one);
``budget`` is the mean share of points experts allocated (budget allocation process).

Example
-------
>>> import pandas as pd
>>> pillar = pd.Series({"a": "p", "b": "p", "c": "q"})
>>> equal_weights(pillar).tolist()
[0.5, 0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from terraplan.errors import AnalysisError


def _within(raw: pd.Series, pillar: pd.Series) -> pd.Series:
    total = raw.groupby(pillar).transform("sum")
    zero = sorted(set(pillar[total <= 0]))
    if zero:
        raise AnalysisError(f"pillar(s) {zero} have weights summing to zero; give a weight > 0")
    return (raw / total).astype(float)


def equal_weights(pillar: pd.Series) -> pd.Series:
    """Equal weights within each pillar (``pillar`` maps indicator -> pillar id)."""
    out = _within(pd.Series(1.0, index=pillar.index), pillar)
    out.attrs = {"step": "weights", "method": "equal"}
    return out


def expert_weights(weights: Mapping[str, float], pillar: pd.Series) -> pd.Series:
    """The framework's (expert) weights, rescaled to sum to one within each pillar.

    >>> import pandas as pd
    >>> expert_weights({"a": 1, "b": 3}, pd.Series({"a": "p", "b": "p"})).tolist()
    [0.25, 0.75]
    """
    out = _within(pd.Series(weights, dtype=float).reindex(pillar.index).fillna(0), pillar)
    out.attrs = {"step": "weights", "method": "expert"}
    return out


def pca_weights(X: pd.DataFrame, pillar: pd.Series) -> pd.Series:
    """Squared first-component loadings of each pillar's correlation matrix.

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, -1, 1, -1], "b": [1.0, -1, 1, -1], "c": [1.0, 1, -1, -1]})
    >>> pca_weights(X, pd.Series({"a": "p", "b": "p", "c": "p"})).round(6).tolist()
    [0.5, 0.5, 0.0]
    """
    out = pd.Series(np.nan, index=pillar.index)
    explained = {}
    for pid, members in pillar.groupby(pillar, sort=False):
        cols = list(members.index)
        if len(cols) == 1:
            out[cols[0]] = 1.0
            explained[pid] = 1.0
            continue
        corr = X[cols].corr().to_numpy()
        if np.isnan(corr).any():
            raise AnalysisError(f"PCA weights of pillar {pid!r}: an indicator has no spread")
        values, vectors = np.linalg.eigh(corr)
        out[cols] = vectors[:, -1] ** 2
        explained[pid] = float(values[-1] / values.sum())
    out.attrs = {"step": "weights", "method": "pca", "explained_variance": explained}
    return out


def budget_weights(allocations: Iterable[Mapping[str, float]], pillar: pd.Series) -> pd.Series:
    """Budget allocation: each expert's points as shares of a pillar, averaged over experts.

    >>> import pandas as pd
    >>> p = pd.Series({"a": "p", "b": "p"})
    >>> budget_weights([{"a": 60, "b": 40}, {"a": 20, "b": 80}], p).round(6).tolist()
    [0.4, 0.6]
    """
    shares = [
        _within(pd.Series(a, dtype=float).reindex(pillar.index).fillna(0), pillar)
        for a in allocations
    ]
    if not shares:
        raise AnalysisError("budget weights need at least one allocation")
    out = pd.concat(shares, axis=1).mean(axis=1)
    out.attrs = {"step": "weights", "method": "budget", "experts": len(shares)}
    return out


def stage_pillar_weights(
    stage: pd.Series,
    stages: tuple[tuple[float | None, dict[str, float]], ...],
    pillars: list[str],
    default: pd.Series,
) -> pd.DataFrame:
    """Pillar weights of each unit by its stage of development (EU RCI 2.0 style).

    ``stages`` is the framework's ``stage_weights``: ``(below, weights)`` with increasing
    ``below`` thresholds on ``stage`` and a last stage for the rest. A unit without a stage value
    gets ``default``. Rows sum to one; ``attrs["stage"]`` gives each unit's stage number.

    >>> import pandas as pd
    >>> st = ((5.0, {"p": 3, "q": 1}), (None, {"p": 1, "q": 1}))
    >>> w = stage_pillar_weights(pd.Series({"A": 2.0, "B": 9.0}), st, ["p", "q"],
    ...                          pd.Series({"p": 0.5, "q": 0.5}))
    >>> w.values.tolist(), w.attrs["stage"]
    ([[0.75, 0.25], [0.5, 0.5]], {'A': 1, 'B': 2})
    """
    table = pd.DataFrame([w for _, w in stages], columns=pillars).fillna(0.0).to_numpy(float)
    thresholds = np.array([b for b, _ in stages[:-1]], dtype=float)
    values = stage.to_numpy(float)
    level = np.searchsorted(thresholds, np.nan_to_num(values, nan=-np.inf), side="right")
    rows = table[level]
    rows = np.where(np.isnan(values)[:, None], default.reindex(pillars).to_numpy(float), rows)
    out = pd.DataFrame(rows / rows.sum(axis=1, keepdims=True), index=stage.index, columns=pillars)
    stage_no = np.where(np.isnan(values), 0, level + 1)
    out.attrs = {
        "step": "stage weights",
        "stage": dict(zip(stage.index, stage_no.tolist(), strict=True)),
    }
    return out
