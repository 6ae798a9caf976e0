"""Aggregation of normalised indicators: arithmetic, geometric, harmonic means and Copeland.

Weights need not sum to one (they are rescaled over the indicators a unit has: a missing value
drops out of that unit's mean, its weight shared by the others). The geometric and harmonic
means need positive values: when a column has a value <= 0 it is shifted to start at 1
(``x - min + 1``), which the result's ``attrs`` record. Copeland is the non-compensatory rule:
unit a beats unit b when the indicators on which a is better weigh more than half of the
weight both have (ties count half); the score is wins minus losses.

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"a": [1.0, 4.0], "b": [4.0, 1.0]}, index=["R1", "R2"])
>>> w = pd.Series({"a": 1.0, "b": 1.0})
>>> aggregate(X, w, "arithmetic").tolist(), aggregate(X, w, "geometric").tolist()
([2.5, 2.5], [2.0, 2.0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.data.framework import AGGREGATIONS
from terraplan.errors import InputError


def positive(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shift each column with a value <= 0 to start at 1; return values and shifts."""
    low = np.nanmin(values, axis=0)
    shift = np.where(low <= 0, 1 - low, 0.0)
    return values + shift, shift


def weighted_means(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Weighted means along the last axis of ``values`` (NaN drops out); weights broadcast.

    ``method`` is ``arithmetic``, ``geometric`` or ``harmonic``; values must be positive for the
    last two. A row whose weights of available values sum to 0 gives NaN.

    >>> import numpy as np
    >>> weighted_means(np.array([[1.0, np.nan, 4.0]]), np.array([1.0, 5.0, 1.0]), "geometric")
    array([2.])
    """
    valid = ~np.isnan(values)
    w = np.where(valid, weights, 0.0)
    total = w.sum(axis=-1)
    x = np.where(valid, values, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = (w * x).sum(axis=-1) / total
        elif method == "geometric":
            out = np.exp((w * np.log(x)).sum(axis=-1) / total)
        else:
            out = total / (w / x).sum(axis=-1)
    return np.where(total > 0, out, np.nan)


def copeland_runs(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Copeland scores (runs x units) of the rows of ``values`` for each row of ``weights``.

    For each pair of units the weighted vote is ``sum_j w_j sign(x_aj - x_bj)`` over the
    indicators both have; its sign says who wins (0: a tie). Pairs are visited once (upper
    triangle) with one matrix product per chunk of runs, and each unit's wins minus losses are
    summed by segments.

    >>> import numpy as np
    >>> X = np.array([[3.0, 3.0], [2.0, 1.0], [1.0, 2.0]])
    >>> copeland_runs(X, np.array([[1.0, 1.0], [2.0, 1.0]])).tolist()
    [[2.0, -1.0, -1.0], [2.0, 0.0, -2.0]]
    """
    n, runs = values.shape[0], weights.shape[0]
    out = np.zeros((runs, n))
    if n < 2:
        return out
    first, second = np.triu_indices(n, 1)
    signs = np.nan_to_num(np.sign(values[first] - values[second]))
    chunk = max(64, 4_000_000 // len(first))  # runs per product: about 32 MB of votes
    starts_first = np.unique(first, return_index=True)[1]
    by_second = np.argsort(second, kind="stable")
    starts_second = np.unique(second[by_second], return_index=True)[1]
    for s in range(0, runs, chunk):
        votes = np.sign(signs @ weights[s : s + chunk].T)
        scores = np.zeros((n, votes.shape[1]))
        scores[:-1] += np.add.reduceat(votes, starts_first, axis=0)
        scores[1:] -= np.add.reduceat(votes[by_second], starts_second, axis=0)
        out[s : s + chunk] = scores.T
    return out


def copeland_scores(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Copeland scores (wins - losses) of the rows of ``values`` (units x indicators).

    >>> import numpy as np
    >>> copeland_scores(np.array([[3.0, 3.0], [2.0, 1.0], [1.0, 2.0]]), np.ones(2)).tolist()
    [2.0, -1.0, -1.0]
    """
    return copeland_runs(values, np.asarray(weights, dtype=float)[None, :])[0]


def aggregate(X: pd.DataFrame, weights: pd.Series, method: str) -> pd.Series:
    """Aggregate the columns of ``X`` with ``weights`` by ``method`` (see module docstring).

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 4.0], "b": [4.0, 1.0]}, index=["R1", "R2"])
    >>> aggregate(X, pd.Series({"a": 1.0, "b": 3.0}), "harmonic").round(3).tolist()
    [2.286, 1.231]
    """
    if method not in AGGREGATIONS:
        raise InputError(f"unknown aggregation {method!r}; known: {list(AGGREGATIONS)}")
    w = weights.reindex(X.columns).fillna(0.0).to_numpy(float)
    values = X.to_numpy(float)
    params: dict = {"method": method, "weights": dict(zip(X.columns, w.tolist(), strict=True))}
    if method == "copeland":
        out = copeland_scores(values, w)
    else:
        if method in ("geometric", "harmonic"):
            values, shift = positive(values)
            params["shift"] = dict(zip(X.columns, shift.tolist(), strict=True))
        out = weighted_means(values, w, method)
    result = pd.Series(out, index=X.index, name="score")
    result.attrs = {"step": "aggregation", **params}
    return result
