"""Forecasting models for short annual series, fitted to many series at once.

Every model works on a 2-D array ``y`` of shape ``(series, time)`` on a common annual grid; NaN
marks a year without a value (before a series starts, or a gap such as the unpublished 2015).
All series are fitted together (NumPy across series and parameter grids), so 600 series take
about as long as one.

Models, each with its h-step forecast mean and variance (Hyndman et al. 2008, *Forecasting with
exponential smoothing*, class 1; Hyndman & Athanasopoulos, *Forecasting: principles and
practice*, 3rd ed., ch. 5 and 8):

``naive``
    random walk: ``mean_h = y_T``, ``var_h = h s²`` (``s²`` from one-step changes).
``drift``
    random walk with drift: slope ``(y_T - y_1) / (T - 1)``,
    ``var_h = s² h (1 + h / (T - 1))``.
``trend``
    straight line by least squares, ``var_h = s² (1 + 1/n + (t_h - t̄)² / Sxx)``, Student t with
    ``n - 2`` degrees of freedom: exact intervals for a linear trend plus independent noise.
``ses``, ``holt``, ``damped``
    exponential smoothing with additive errors, ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N):
    ``var_h = s² (1 + sum_{j<h} c_j²)``, ``c_j = alpha + beta (phi + … + phi^j)``. Smoothing
    parameters by grid search over fixed grids (deterministic; no optimizer), initial state from
    a line through the first observations.
``ets``
    the exponential smoothing model (``ses``, ``holt``, ``damped`` or ``trend``) with the lowest
    AICc, per series.

A missing year inside a series moves the state forward without an update (the error is 0 and
left out of the sums), the usual treatment of missing values in the innovations form.

Example
-------
>>> import numpy as np
>>> y = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
>>> fit = fit_models(y, "drift")
>>> fit.mean(2).round(6).tolist(), fit.var(1).round(6).tolist()
([[7.0, 8.0]], [[0.0]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["METHODS", "ModelFit", "fit_models"]

METHODS: tuple[str, ...] = ("naive", "drift", "trend", "ses", "holt", "damped", "ets")
_ALPHA = np.array([0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.98])
_BETA_SHARE = np.array([0.02, 0.1, 0.25, 0.5, 0.8])  # beta as a share of alpha (0 < beta < alpha)
_PHI = np.array([0.8, 0.85, 0.9, 0.95, 0.98])
#: parameters counted in the AICc (smoothing parameters and initial states)
_K = {"ses": 2, "holt": 4, "damped": 5, "trend": 2}


@dataclass(frozen=True)
class ModelFit:
    """Fitted models of ``n`` series: the state at the last year and the error scale.

    ``method`` holds each series' model; ``level``, ``slope``, ``alpha``, ``beta``, ``phi`` the
    final state and parameters (NaN where a model has none); ``sigma2`` the error variance;
    ``nobs`` the number of values used; ``aicc`` the small-sample information criterion (NaN for
    ``naive`` and ``drift``); ``fitted`` the one-step in-sample predictions (NaN where there is
    no prediction). For ``trend``, ``tbar``, ``sxx``, ``last`` describe the regression so that
    :meth:`var` gives exact intervals.
    """

    method: np.ndarray
    level: np.ndarray
    slope: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    phi: np.ndarray
    sigma2: np.ndarray
    nobs: np.ndarray
    span: np.ndarray
    aicc: np.ndarray
    fitted: np.ndarray
    tbar: np.ndarray
    sxx: np.ndarray

    def mean(self, horizon: int) -> np.ndarray:
        """Forecast means for steps ``1 … horizon``: shape ``(series, horizon)``."""
        h = np.arange(1, horizon + 1)
        phi = np.where(np.isnan(self.phi), 1.0, self.phi)[:, None]
        damped_sum = np.where(
            phi == 1.0, h, phi * (1 - phi**h) / np.where(phi == 1.0, 0.5, 1 - phi)
        )
        slope = np.nan_to_num(self.slope)[:, None]
        return self.level[:, None] + damped_sum * slope

    def var(self, horizon: int) -> np.ndarray:
        """Forecast variances for steps ``1 … horizon``: shape ``(series, horizon)``."""
        h = np.arange(1, horizon + 1)[None, :].astype(float)
        s2 = self.sigma2[:, None]
        out = np.full((len(self.method), horizon), np.nan)
        m = self.method
        naive = m == "naive"
        out[naive] = (s2 * h)[naive]
        drift = m == "drift"
        span = np.maximum(self.span, 1)[:, None]
        out[drift] = (s2 * h * (1 + h / span))[drift]
        trend = m == "trend"
        n = self.nobs[:, None].astype(float)
        tt = self.span[:, None] + h - self.tbar[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[trend] = (s2 * (1 + 1 / n + tt**2 / self.sxx[:, None]))[trend]
        ets = np.isin(m, ("ses", "holt", "damped"))
        if ets.any():
            alpha = np.nan_to_num(self.alpha)[:, None]
            beta = np.nan_to_num(self.beta)[:, None]
            phi = np.where(np.isnan(self.phi), 1.0, self.phi)[:, None]
            if horizon > 1:
                cum = np.cumsum(phi ** np.arange(1, horizon)[None, :], axis=1)
                c = alpha + beta * cum
                csum = np.concatenate([np.zeros((len(m), 1)), np.cumsum(c**2, axis=1)], axis=1)
            else:
                csum = np.zeros((len(m), 1))
            out[ets] = (s2 * (1 + csum))[ets]
        return out

    def df(self) -> np.ndarray:
        """Degrees of freedom of the Student t predictive distribution.

        The error scale is estimated, so intervals use Student t quantiles: ``n - 1`` degrees of
        freedom for ``naive`` (``n - 1`` changes), ``n - 2`` for ``drift`` and ``trend``, and
        ``n - k`` for exponential smoothing with ``k`` parameters (an approximation there).
        """
        k = np.select(
            [self.method == "naive", np.isin(self.method, ("drift", "trend"))],
            [1, 2],
            np.vectorize(lambda m: _K.get(m, 2))(self.method) if len(self.method) else 2,
        )
        return np.maximum(self.nobs - k, 1).astype(float)


def _positions(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    valid = ~np.isnan(y)
    t = y.shape[1]
    first = np.where(valid.any(1), np.argmax(valid, axis=1), t)
    last = np.where(valid.any(1), t - 1 - np.argmax(valid[:, ::-1], axis=1), -1)
    return valid, first, last


def _take(y: np.ndarray, pos: np.ndarray) -> np.ndarray:
    return y[np.arange(len(y)), np.clip(pos, 0, y.shape[1] - 1)]


def _naive_drift(y: np.ndarray, drift: bool) -> dict[str, np.ndarray]:
    valid, first, last = _positions(y)
    n = valid.sum(1)
    span = (last - first).astype(float)
    y_first, y_last = _take(y, first), _take(y, last)
    slope = (y_last - y_first) / np.where(span > 0, span, np.nan) if drift else np.zeros(len(y))
    # one-step changes between consecutive published years, scaled by the gap length
    t_idx = np.where(valid, np.arange(y.shape[1])[None, :], np.nan)
    prev_y = np.full_like(y, np.nan)
    prev_t = np.full_like(y, np.nan)
    for col in range(1, y.shape[1]):
        carry = valid[:, col - 1]
        prev_y[:, col] = np.where(carry, y[:, col - 1], prev_y[:, col - 1])
        prev_t[:, col] = np.where(carry, t_idx[:, col - 1], prev_t[:, col - 1])
    gap = t_idx - prev_t
    step = y - prev_y
    resid = (step - np.nan_to_num(slope)[:, None] * gap) / np.sqrt(gap)
    m = (~np.isnan(resid)).sum(1)
    ddof = 1 if drift else 0
    sigma2 = np.nansum(resid**2, axis=1) / np.maximum(m - ddof, 1)
    fitted = prev_y + np.nan_to_num(slope)[:, None] * gap
    return {
        "level": y_last,
        "slope": slope,
        "sigma2": sigma2,
        "nobs": n,
        "span": span,
        "fitted": fitted,
    }


def _trend(y: np.ndarray) -> dict[str, np.ndarray]:
    valid, first, last = _positions(y)
    t = np.arange(y.shape[1], dtype=float)[None, :] - first[:, None]
    n = valid.sum(1).astype(float)
    tv = np.where(valid, t, 0.0)
    yv = np.where(valid, y, 0.0)
    tbar = tv.sum(1) / n
    ybar = yv.sum(1) / n
    dt = np.where(valid, t - tbar[:, None], 0.0)
    sxx = (dt**2).sum(1)
    b = (dt * (yv - ybar[:, None])).sum(1) / np.where(sxx > 0, sxx, np.nan)
    a = ybar - b * tbar
    fitted = a[:, None] + b[:, None] * t
    resid = np.where(valid, y - fitted, 0.0)
    sse = (resid**2).sum(1)
    span = (last - first).astype(float)
    return {
        "level": a + b * span,
        "slope": b,
        "sigma2": sse / np.maximum(n - 2, 1),
        "sse": sse,
        "nobs": n,
        "span": span,
        "tbar": tbar,
        "sxx": sxx,
        "fitted": np.where(np.arange(y.shape[1])[None, :] >= first[:, None], fitted, np.nan),
    }


def _grid(kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if kind == "ses":
        return _ALPHA, np.zeros_like(_ALPHA), np.ones_like(_ALPHA)
    a, s = np.meshgrid(_ALPHA, _BETA_SHARE, indexing="ij")
    a, b = a.ravel(), (a * s).ravel()
    if kind == "holt":
        return a, b, np.ones_like(a)
    a2 = np.repeat(a, len(_PHI))
    b2 = np.repeat(b, len(_PHI))
    return a2, b2, np.tile(_PHI, len(a))


def _run(
    y: np.ndarray,
    valid: np.ndarray,
    first: np.ndarray,
    l0: np.ndarray,
    b0: np.ndarray,
    alpha: np.ndarray,
    beta: np.ndarray,
    phi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The innovations recursion for parameter rows ``(c, 1)`` or ``(1, series)``: SSE, final
    level and slope ``(c, series)``, and the one-step predictions ``(c, series, time)`` (kept
    only for a single combination per series)."""
    n_series, n_time = y.shape
    c = max(alpha.shape[0], 1)
    level = np.broadcast_to(l0, (c, n_series)).copy()
    slope = np.broadcast_to(b0, (c, n_series)).copy()
    sse = np.zeros((c, n_series))
    keep = c == 1
    fitted = np.full((c, n_series, n_time), np.nan) if keep else np.empty((0, 0, 0))
    for col in range(n_time):
        started = col >= first
        pred = level + phi * slope
        err = np.where(valid[:, col], y[:, col] - pred, 0.0)
        if keep:
            fitted[:, :, col] = np.where(started, pred, np.nan)
        level = np.where(started, pred + alpha * err, level)
        slope = np.where(started, phi * slope + beta * err, slope)
        sse += err**2
    return sse, level, slope, fitted


def _smooth(y: np.ndarray, kind: str) -> dict[str, np.ndarray]:
    """Grid-search exponential smoothing of every series; the best parameters by SSE."""
    valid, first, _ = _positions(y)
    n_series, n_time = y.shape
    alpha, beta, phi = _grid(kind)
    # initial state: a line through the first (up to) 5 values
    head = valid & (valid.cumsum(1) <= 5)
    t = np.arange(n_time, dtype=float)[None, :] - first[:, None]
    nh = head.sum(1).astype(float)
    th = np.where(head, t, 0.0).sum(1) / nh
    yh = np.where(head, y, 0.0).sum(1) / nh
    dt = np.where(head, t - th[:, None], 0.0)
    sxx = (dt**2).sum(1)
    b0 = np.where(sxx > 0, (dt * np.where(head, y - yh[:, None], 0.0)).sum(1) / sxx, 0.0)
    if kind == "ses":
        b0 = np.zeros(n_series)
        l0 = _take(y, first)
    else:
        l0 = yh - b0 * (th + 1)  # the level one year before the first value
    sse, _, _, _ = _run(y, valid, first, l0, b0, alpha[:, None], beta[:, None], phi[:, None])
    best = np.argmin(np.where(np.isfinite(sse), sse, np.inf), axis=0)
    # the chosen parameters once more, one combination per series, to keep the fitted values
    s, level, slope, fitted = _run(
        y, valid, first, l0, b0, alpha[best][None], beta[best][None], phi[best][None]
    )
    s, level, slope, fitted = s[0], level[0], slope[0], fitted[0]
    n = valid.sum(1).astype(float)
    k = _K[kind]
    return {
        "level": level,
        "slope": slope if kind != "ses" else np.full(n_series, np.nan),
        "alpha": alpha[best],
        "beta": beta[best] if kind != "ses" else np.full(n_series, np.nan),
        "phi": phi[best] if kind == "damped" else np.full(n_series, np.nan),
        "sse": s,
        "sigma2": s / np.maximum(n - k, 1),
        "nobs": n,
        "fitted": fitted,
    }


def _aicc(sse: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        aic = n * np.log(np.maximum(sse, 1e-300) / n) + 2 * (k + 1)
        corr = 2 * (k + 1) * (k + 2) / (n - k - 2)
    return np.where(n - k - 2 > 0, aic + corr, np.inf)


def fit_models(y: np.ndarray, method: str = "ets") -> ModelFit:
    """Fit ``method`` (one of :data:`METHODS`) to every row of ``y`` (series × years).

    Each series needs at least 3 values (the caller enforces stricter minimums); the last
    column is the forecast origin for every series.

    >>> import numpy as np
    >>> y = np.array([[10.0, 12.0, np.nan, 16.0, 18.0, 20.0]])  # a gap in the third year
    >>> fit_models(y, "trend").mean(1).round(6).tolist()
    [[22.0]]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    y = np.asarray(y, dtype=float)
    n_series = len(y)
    _, first, last = _positions(y)
    nan = np.full(n_series, np.nan)
    span = (last - first).astype(float)
    if method in ("naive", "drift"):
        r = _naive_drift(y, method == "drift")
        return ModelFit(
            method=np.full(n_series, method, dtype=object),
            level=r["level"],
            slope=r["slope"],
            alpha=nan,
            beta=nan,
            phi=nan,
            sigma2=r["sigma2"],
            nobs=r["nobs"],
            span=span,
            aicc=nan,
            fitted=r["fitted"],
            tbar=nan,
            sxx=nan,
        )
    candidates = {"trend": _trend(y)} if method in ("trend", "ets") else {}
    for kind in ("ses", "holt", "damped"):
        if method in (kind, "ets"):
            candidates[kind] = _smooth(y, kind)
    names = list(candidates)
    aicc = np.vstack([_aicc(candidates[k]["sse"], candidates[k]["nobs"], _K[k]) for k in names])
    if method == "ets":
        choice = np.argmin(aicc, axis=0)
        # too few values for every criterion: the simplest model
        choice = np.where(np.isinf(aicc).all(0), names.index("ses"), choice)
    else:
        choice = np.zeros(n_series, dtype=int)

    def pick(key: str) -> np.ndarray:
        stack = np.vstack([candidates[k].get(key, nan) for k in names])
        return stack[choice, np.arange(n_series)]

    fitted = np.stack([candidates[k]["fitted"] for k in names])[choice, np.arange(n_series)]
    return ModelFit(
        method=np.array(names, dtype=object)[choice],
        level=pick("level"),
        slope=pick("slope"),
        alpha=pick("alpha"),
        beta=pick("beta"),
        phi=pick("phi"),
        sigma2=pick("sigma2"),
        nobs=pick("nobs"),
        span=span,
        aicc=aicc[choice, np.arange(n_series)],
        fitted=fitted,
        tbar=pick("tbar"),
        sxx=pick("sxx"),
    )
