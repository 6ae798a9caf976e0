"""Normalisation of indicators to a common scale, with polarity applied (higher = better after).

Each method takes a unit x indicator table (NaN = missing) and the polarity of each column
(+1 higher is better, -1 lower is better) and returns the normalised table, whose ``attrs``
record the method and its parameters:

* ``minmax``: ``100 (x - min) / (max - min)``; reversed polarity ``100 (max - x) / (max - min)``;
* ``zscore``: ``polarity (x - mean) / sd`` (sd with n - 1);
* ``rank``: rank among the units, 1 = worst .. n = best (ties share their mean rank);
* ``goalposts``: ``100 (x - low) / (high - low)`` clipped to [0, 100], goalposts fixed (e.g.
  the min and max over all years, so scores of different years are comparable);
* ``target``: distance to target, ``100 (x - worst) / (target - worst)`` capped at 100, with
  ``worst`` the worst observed value;
* ``reference``: distance to a reference unit, ``100 x / x_ref`` (``100 x_ref / x`` for
  reversed polarity); needs positive values.

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 20.0, 40.0]}, index=["R1", "R2", "R3"])
>>> normalise(X, "minmax", pd.Series({"a": 1, "b": -1})).round(1).to_dict("list")
{'a': [0.0, 50.0, 100.0], 'b': [100.0, 66.7, 0.0]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.data.framework import NORMALISATIONS
from terraplan.errors import AnalysisError, InputError


def _polarised(X: pd.DataFrame, polarity: pd.Series) -> pd.DataFrame:
    return X * polarity.reindex(X.columns).fillna(1).to_numpy()


def _spread(lo: np.ndarray, hi: np.ndarray, columns) -> np.ndarray:
    span = hi - lo
    flat = [c for c, s in zip(columns, span, strict=True) if not s > 0]
    if flat:
        raise AnalysisError(
            f"cannot normalise indicator(s) {flat}: no spread (every unit has the same value); "
            "drop them from the framework or use another normalisation"
        )
    return span


def normalise(
    X: pd.DataFrame,
    method: str,
    polarity: pd.Series | None = None,
    *,
    goalposts: pd.DataFrame | None = None,
    targets: pd.Series | None = None,
    reference: str | None = None,
) -> pd.DataFrame:
    """Normalise every column of ``X`` with ``method`` (see the module docstring).

    ``goalposts`` is a table with rows ``low`` and ``high`` per indicator (``goalposts``);
    ``targets`` a value per indicator (``target``); ``reference`` a unit of ``X``.

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=["R1", "R2", "R3"])
    >>> normalise(X, "rank", pd.Series({"a": -1}))["a"].tolist()
    [3.0, 2.0, 1.0]
    """
    if method not in NORMALISATIONS:
        raise InputError(f"unknown normalisation {method!r}; known: {list(NORMALISATIONS)}")
    pol = pd.Series(1, index=X.columns) if polarity is None else polarity.reindex(X.columns)
    pol = pol.fillna(1).astype(int)
    params: dict = {"method": method, "polarity": pol.to_dict()}
    V = _polarised(X.astype(float), pol)
    if method == "minmax":
        lo, hi = V.min().to_numpy(), V.max().to_numpy()
        out = 100 * (V - lo) / _spread(lo, hi, X.columns)
    elif method == "zscore":
        sd = V.std(ddof=1).to_numpy()
        _spread(np.zeros_like(sd), sd, X.columns)
        out = (V - V.mean()) / sd
    elif method == "rank":
        out = V.rank(method="average")
    elif method == "goalposts":
        if goalposts is None:
            raise InputError("goalposts normalisation needs goalposts (rows low, high)")
        gp = goalposts.reindex(columns=X.columns)
        lo, hi = gp.loc["low"].to_numpy(float), gp.loc["high"].to_numpy(float)
        span = _spread(lo, hi, X.columns)
        scaled = 100 * (X.astype(float) - lo) / span
        higher = np.broadcast_to(pol.to_numpy() > 0, X.shape)
        out = scaled.where(higher, 100 - scaled).clip(0, 100)
        params["goalposts"] = gp.to_dict()
    elif method == "target":
        if targets is None or targets.reindex(X.columns).isna().any():
            missing = [] if targets is None else list(targets.reindex(X.columns).isna().index)
            raise InputError(f"distance-to-target normalisation needs a target for {missing}")
        t = _polarised(targets.reindex(X.columns).to_frame().T, pol).iloc[0].to_numpy()
        worst = V.min().to_numpy()
        out = (100 * (V - worst) / _spread(worst, t, X.columns)).clip(upper=100)
        params["targets"] = targets.reindex(X.columns).to_dict()
    else:  # reference
        if reference not in X.index:
            raise InputError(f"reference unit {reference!r} is not among the units")
        Xf = X.astype(float)
        if (Xf <= 0).any().any():
            bad = list(Xf.columns[(Xf <= 0).any()])
            raise AnalysisError(
                f"distance to a reference needs positive values; {bad} have zero or negative ones"
            )
        ratio = 100 * Xf / Xf.loc[reference]
        out = ratio.where(np.broadcast_to(pol.to_numpy() > 0, X.shape), 100 * 100 / ratio)
        params["reference"] = reference
    out = out.astype(float)
    out.attrs = {"step": "normalisation", **params}
    return out


def panel_goalposts(panel: pd.DataFrame) -> pd.DataFrame:
    """Goalposts fixed across years: each indicator's min and max over every unit and year.

    ``panel`` is long (``unit``, ``year``, ``indicator``, ``value``).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "B", "A"], "year": [2020, 2020, 2021],
    ...                   "indicator": "x", "value": [1.0, 3.0, 5.0]})
    >>> panel_goalposts(p).to_dict()
    {'x': {'low': 1.0, 'high': 5.0}}
    """
    stats = panel.groupby("indicator")["value"].agg(["min", "max"])
    return stats.rename(columns={"min": "low", "max": "high"}).T.rename_axis(columns=None)
