"""Data treatment before normalisation: screening by coverage, imputation, outliers.

* :func:`screen` drops units (and indicators) whose share of available values is below a
  threshold;
* :func:`impute` fills gaps: ``none``; ``mean``/``median`` of the indicator over the units
  (``*_by_group``: over the unit's group, falling back to all units); ``linear`` along the
  years of a panel (interpolation between the nearest years with data, the nearest value
  carried beyond the ends); ``carry`` (last value carried forward, else the next one carried
  back). A unit with one value in the panel gets that value, one with none stays missing:
  imputation never fails. Every filled cell is flagged;
* :func:`treat_outliers` applies the handbook's rule per indicator: while |skewness| > 2 and
  kurtosis > 3.5, winsorise the most extreme value (up to ``max_winsorised`` points); if that
  does not bring the indicator in range, undo it and transform (log or Box-Cox) instead.

Example
-------
>>> import numpy as np, pandas as pd
>>> X = pd.DataFrame({"a": [1.0, np.nan, 3.0]}, index=["R1", "R2", "R3"])
>>> filled, flags = impute(X, "mean")
>>> filled["a"].tolist(), flags.loc["R2", "a"]
([1.0, 2.0, 3.0], 'imputed:mean')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.data.framework import IMPUTATIONS
from terraplan.errors import InputError

SKEW_LIMIT = 2.0
KURT_LIMIT = 3.5


def screen(X: pd.DataFrame, min_coverage: float = 0.66) -> pd.DataFrame:
    """Drop indicators, then units, with a share of available values below ``min_coverage``.

    >>> import numpy as np, pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, np.nan, np.nan]},
    ...                  index=["R1", "R2", "R3"])
    >>> out = screen(X, 0.5)
    >>> list(out.columns), list(out.index), out.attrs["dropped_units"]
    (['a'], ['R1', 'R3'], ['R2'])
    """
    col_cov = X.notna().mean()
    keep_cols = col_cov[col_cov >= min_coverage].index
    out = X[keep_cols]
    row_cov = out.notna().mean(axis=1) if len(keep_cols) else pd.Series(0.0, index=X.index)
    keep_rows = row_cov[row_cov >= min_coverage].index
    out = out.loc[keep_rows].copy()
    out.attrs = {
        "step": "screening",
        "min_coverage": min_coverage,
        "dropped_indicators": [c for c in X.columns if c not in keep_cols],
        "dropped_units": [u for u in X.index if u not in keep_rows],
        "coverage": {str(k): round(float(v), 4) for k, v in row_cov.items()},
    }
    return out


def _panel_fill(panel: pd.DataFrame, year: int, method: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values and flags at ``year`` from the panel, for every (unit, indicator) it has."""
    wide = panel.pivot_table(
        index=["unit", "indicator"], columns="year", values="value", aggfunc="first"
    )
    if year not in wide.columns:
        wide[year] = np.nan
    wide = wide.reindex(columns=sorted(wide.columns))
    years = pd.DataFrame(
        np.where(wide.notna(), wide.columns.to_numpy(float), np.nan),
        index=wide.index,
        columns=wide.columns,
    )
    prev_v, prev_y = wide.ffill(axis=1)[year], years.ffill(axis=1)[year]
    next_v, next_y = wide.bfill(axis=1)[year], years.bfill(axis=1)[year]
    if method == "linear":
        both = prev_v.notna() & next_v.notna() & (next_y > prev_y)
        frac = (year - prev_y) / (next_y - prev_y)
        value = (prev_v + (next_v - prev_v) * frac).where(both, prev_v.fillna(next_v))
        value = value.where(~(prev_y == year), prev_v)
        flag = pd.Series("imputed:linear", index=wide.index).where(
            both, "carried:" + prev_y.fillna(next_y).map(lambda y: f"{y:.0f}")
        )
    else:
        value = prev_v.fillna(next_v)
        flag = "carried:" + prev_y.fillna(next_y).map(lambda y: f"{y:.0f}")
    flag = flag.where(value.notna(), "")
    return value.unstack("indicator"), flag.unstack("indicator")


def impute(
    X: pd.DataFrame,
    method: str = "none",
    *,
    groups: pd.Series | None = None,
    panel: pd.DataFrame | None = None,
    year: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the gaps of ``X`` by ``method``; returns the filled table and a flag table.

    ``panel`` (long: ``unit``, ``year``, ``indicator``, ``value``) and ``year`` are needed for
    ``linear`` and ``carry``; ``groups`` (unit -> group) for ``*_by_group``.

    >>> import numpy as np, pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "A", "B"], "year": [2019, 2021, 2019],
    ...                   "indicator": "x", "value": [1.0, 3.0, 5.0]})
    >>> X = pd.DataFrame({"x": [np.nan, np.nan]}, index=["A", "B"])
    >>> filled, flags = impute(X, "linear", panel=p, year=2020)
    >>> filled["x"].tolist(), flags["x"].tolist()
    ([2.0, 5.0], ['imputed:linear', 'carried:2019'])
    """
    if method not in IMPUTATIONS:
        raise InputError(f"unknown imputation {method!r}; known: {list(IMPUTATIONS)}")
    missing = X.isna()
    filled = X.astype(float).copy()
    flags = pd.DataFrame("", index=X.index, columns=X.columns)
    if method in ("mean", "median"):
        filled = filled.fillna(getattr(filled, method)())
    elif method in ("mean_by_group", "median_by_group"):
        if groups is None:
            raise InputError(f"imputation {method} needs a group for each unit")
        stat = method.split("_")[0]
        by_group = filled.groupby(groups.reindex(X.index)).transform(stat)
        filled = filled.fillna(by_group).fillna(getattr(filled, stat)())
    elif method in ("linear", "carry"):
        if panel is None or year is None:
            raise InputError(f"imputation {method} needs the panel of years and the year")
        values, panel_flags = _panel_fill(panel, year, method)
        values = values.reindex(index=X.index, columns=X.columns)
        panel_flags = panel_flags.reindex(index=X.index, columns=X.columns).fillna("")
        filled = filled.fillna(values)
        flags = flags.mask(missing, panel_flags)
    if method in ("mean", "median", "mean_by_group", "median_by_group"):
        flags = flags.mask(missing & filled.notna(), f"imputed:{method}")
    flags = flags.mask(missing & filled.isna(), "missing")
    filled.attrs = {
        "step": "imputation",
        "method": method,
        "imputed": int((missing & filled.notna()).to_numpy().sum()),
        "still_missing": int(filled.isna().to_numpy().sum()),
    }
    return filled, flags


def _skew_kurt(x: pd.Series) -> tuple[float, float]:
    return float(x.skew()), float(x.kurt())


def _transform(x: pd.Series, skew: float, how: str) -> pd.Series:
    """Log (or Box-Cox) of a shifted series; a left-skewed series is reflected first."""
    v = x if skew > 0 else -x
    v = v - v.min() + 1
    if how == "boxcox":
        from scipy.stats import boxcox

        ok = v.notna()
        t = v.copy()
        t[ok] = boxcox(v[ok].to_numpy())[0]
    else:
        t = np.log(v)
    return t if skew > 0 else -t


def treat_outliers(
    X: pd.DataFrame,
    rule: str = "handbook",
    *,
    max_winsorised: int = 5,
    transform: str = "log",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the outlier rule per indicator; return the treated table and a per-indicator report.

    The report has one row per indicator: skewness and kurtosis before and after, the action
    (``none``, ``winsorised``, ``log``/``boxcox``) and the winsorised units.

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 1000]})
    >>> _, report = treat_outliers(X)
    >>> report.loc["a", "action"], int(report.loc["a", "n_winsorised"])
    ('winsorised', 1)
    """
    if rule not in ("none", "handbook"):
        raise InputError(f"unknown outlier rule {rule!r}; known: none, handbook")
    out = X.astype(float).copy()
    rows = []
    for col in X.columns:
        x = out[col]
        skew, kurt = _skew_kurt(x)
        row = {"indicator": col, "skew_before": skew, "kurt_before": kurt, "action": "none"}
        row["n_winsorised"], row["winsorised"] = 0, ""
        bad = rule == "handbook" and abs(skew) > SKEW_LIMIT and kurt > KURT_LIMIT
        if bad:
            w = x.copy()
            units: list[str] = []
            while abs(skew) > SKEW_LIMIT and kurt > KURT_LIMIT and len(units) < max_winsorised:
                order = w.dropna().sort_values(kind="mergesort")
                if skew > 0:
                    unit, nxt = order.index[-1], order.iloc[-2]
                else:
                    unit, nxt = order.index[0], order.iloc[1]
                w[unit] = nxt
                units.append(str(unit))
                skew, kurt = _skew_kurt(w)
            if abs(skew) > SKEW_LIMIT and kurt > KURT_LIMIT:
                w = _transform(x, row["skew_before"], transform)
                row["action"] = transform
                skew, kurt = _skew_kurt(w)
            else:
                row["action"], row["n_winsorised"] = "winsorised", len(units)
                row["winsorised"] = " ".join(units)
            out[col] = w
        row["skew_after"], row["kurt_after"] = skew, kurt
        rows.append(row)
    report = pd.DataFrame(rows).set_index("indicator")
    out.attrs = {
        "step": "outliers",
        "rule": rule,
        "max_winsorised": max_winsorised,
        "transform": transform,
        "skew_limit": SKEW_LIMIT,
        "kurtosis_limit": KURT_LIMIT,
    }
    return out, report
