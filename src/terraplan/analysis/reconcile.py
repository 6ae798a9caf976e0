"""Forecast reconciliation: regional forecasts that add up to the national one.

Forecasts made one by one for 20 regions and the nation do not add up. Reconciliation replaces
the base forecasts ``ŷ`` (nation first, then the regions) by ``S P ŷ`` where ``S`` is the
*summing matrix* (``S = [w'; I]``: the national row is a sum, ``w = 1``, or a weighted mean,
``w`` = weights that sum to 1) and ``P = (S' W⁻¹ S)⁻¹ S' W⁻¹`` (Wickramasuriya, Athanasopoulos &
Hyndman 2019, "Optimal forecast reconciliation", JASA 114:804-819). Choices of ``W``:

``mint``
    MinT with shrinkage: the in-sample one-step error covariance shrunk toward its diagonal
    with the Schäfer-Strimmer intensity (as in hierarchicalforecast's ``mint_shrink``). When
    the covariance is degenerate (an error variance near zero, or fewer than 3 years with every
    series' error) it falls back to ``wls``, and says so.
``wls``
    WLS-structural: ``W = diag(S 1)`` (the number of regions a series sums; 1 for a region).
``ols``
    ``W = I``.
``bottom_up``
    the national forecast is the (weighted) sum of the regional ones.

The result satisfies the constraint exactly (to rounding): for a sum, the reconciled national
forecast equals the sum of the reconciled regional ones.

Example
-------
>>> import numpy as np
>>> S = summing_matrix(2)
>>> base = np.array([[10.0], [4.0], [5.0]])  # nation 10, regions 4 + 5 = 9
>>> out, info = reconcile(base, S, method="ols")
>>> out.round(4).ravel().tolist(), info["method"]
([9.6667, 4.3333, 5.3333], 'ols')
"""

from __future__ import annotations

import numpy as np

__all__ = ["RECONCILIATION_METHODS", "reconcile", "shrunk_covariance", "summing_matrix"]

RECONCILIATION_METHODS: tuple[str, ...] = ("mint", "wls", "ols", "bottom_up")


def summing_matrix(n_regions: int, weights: np.ndarray | None = None) -> np.ndarray:
    """``S`` for a nation over ``n_regions``: its first row is ``weights`` (default all ones).

    >>> summing_matrix(2, np.array([0.25, 0.75]))
    array([[0.25, 0.75],
           [1.  , 0.  ],
           [0.  , 1.  ]])
    """
    top = np.ones(n_regions) if weights is None else np.asarray(weights, dtype=float)
    if top.shape != (n_regions,):
        raise ValueError(f"weights must have {n_regions} entries, got shape {top.shape}")
    return np.vstack([top, np.eye(n_regions)])


def shrunk_covariance(residuals: np.ndarray) -> tuple[np.ndarray, float]:
    """Shrink the error covariance toward its diagonal (Schäfer & Strimmer 2005).

    ``residuals`` is ``(years, series)`` without NaN. Returns the shrunk (uncentred) covariance
    and the shrinkage intensity ``lambda`` in [0, 1].

    >>> e = np.array([[1.0, 2.0], [-1.0, -2.0], [1.0, 2.1], [-1.0, -1.9]])
    >>> w, lam = shrunk_covariance(e)
    >>> w.shape, 0 <= lam <= 1
    ((2, 2), True)
    """
    e = np.asarray(residuals, dtype=float)
    n = e.shape[0]
    cov = e.T @ e / n
    sd = np.sqrt(np.diag(cov))
    xs = e / sd
    corr = cov / np.outer(sd, sd)
    v = (xs**2).T @ (xs**2) - (xs.T @ xs) ** 2 / n
    v *= 1.0 / (n * (n - 1))
    np.fill_diagonal(v, 0.0)
    off = corr.copy()
    np.fill_diagonal(off, 0.0)
    denom = (off**2).sum()
    lam = float(np.clip(v.sum() / denom, 0.0, 1.0)) if denom > 0 else 1.0
    shrunk = lam * np.diag(np.diag(cov)) + (1 - lam) * cov
    return shrunk, lam


def _weights_matrix(
    S: np.ndarray, method: str, residuals: np.ndarray | None
) -> tuple[np.ndarray, dict]:
    info: dict = {"method": method}
    if method == "ols":
        return np.eye(S.shape[0]), info
    structural = np.diag(np.abs(S).sum(1))
    if method == "wls":
        return structural, info
    reason = ""
    if residuals is None:
        reason = "no in-sample errors were given"
    else:
        e = np.asarray(residuals, dtype=float)
        e = e[~np.isnan(e).any(1)]
        if len(e) < 3:
            reason = f"only {len(e)} year(s) have an in-sample error for every series (need 3)"
        else:
            var = (e**2).mean(0)
            if (var <= 1e-12 * max(var.max(), 1e-300)).any() or var.max() == 0:
                reason = "an in-sample error variance is (near) zero"
            else:
                w, lam = shrunk_covariance(e)
                if np.linalg.cond(w) > 1e12:
                    reason = "the shrunk covariance is singular"
                else:
                    info["shrinkage"] = lam
                    info["years"] = len(e)
                    return w, info
    info["method"] = "wls"
    info["fallback"] = f"MinT fell back to WLS-structural: {reason}"
    return structural, info


def reconcile(
    base: np.ndarray,
    S: np.ndarray,
    *,
    method: str = "mint",
    residuals: np.ndarray | None = None,
) -> tuple[np.ndarray, dict]:
    """Reconcile ``base`` forecasts (``(series, …)``, nation first) with summing matrix ``S``.

    ``residuals`` (``(years, series)``, same order) feed MinT. Returns the reconciled array (same
    shape as ``base``) and ``info``: the method used (``mint`` may fall back to ``wls``, with the
    reason in ``info["fallback"]``), the shrinkage intensity and the projection ``P``.
    """
    if method not in RECONCILIATION_METHODS:
        raise ValueError(
            f"unknown reconciliation {method!r}; use one of {', '.join(RECONCILIATION_METHODS)}"
        )
    base = np.asarray(base, dtype=float)
    m, n = S.shape
    if method == "bottom_up":
        P = np.hstack([np.zeros((n, m - n)), np.eye(n)])
        info: dict = {"method": "bottom_up"}
    else:
        W, info = _weights_matrix(S, method, residuals)
        Winv_S = np.linalg.solve(W, S)
        P = np.linalg.solve(S.T @ Winv_S, Winv_S.T)
    G = S @ P
    flat = base.reshape(m, -1)
    out = (G @ flat).reshape(base.shape)
    info["P"] = P
    return out, info
