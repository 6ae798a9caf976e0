"""Forecasts of a panel indicator by region, with intervals that add up to the nation.

:func:`forecast` fits a model to every region's series (and the nation's), forecasts to a target
year with prediction intervals, and reconciles the regions with the nation: for an additive
indicator the regional forecasts add up to the national one, for a rate their weighted mean
(population weights, named) equals it. :func:`backtest` measures, on rolling origins, how good
the forecasts would have been (MASE against the naive and drift methods, coverage of the 80 %
and 95 % intervals); ``method="auto"`` uses it to pick exponential smoothing only when it beats
the naive and drift benchmarks on the indicator's own history.

Honest limits, enforced:

* at least ``min_obs`` (6) values per series, else a refusal that lists every short series;
* no fitting across a break without saying so: a value on old borders (``KZ-VOS``) is never
  used for its successor unless ``harmonize=True`` (then the history is estimated and every
  forecast carries the flag ``estimated``); a break of :mod:`terraplan.data.breaks` (the 2022
  census rebase of population) starts the series after it unless ``allow_breaks=True``
  (flag ``across_break``);
* positive stocks and flows are modelled on the log scale (``log="auto"``), rates as they are.

Example
-------
>>> from terraplan.datasets import kazakhstan
>>> fc = forecast(kazakhstan.panel(["unemployment_rate"], include_national=True),
...               "unemployment_rate", to=2027, harmonize=True)
>>> sorted(fc.table["year"].unique().tolist()), fc.info["reconciliation"]["constraint"]
([2026, 2027], 'population-weighted mean')
>>> fc.coherence() < 1e-6
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from terraplan.analysis.reconcile import reconcile, summing_matrix
from terraplan.analysis.smoothing import METHODS, fit_models
from terraplan.data.breaks import series_breaks
from terraplan.data.panel import NATIONAL, TOTAL, validate_panel
from terraplan.errors import AnalysisError, InputError

__all__ = ["Forecast", "backtest", "forecast"]

_AUTO_CANDIDATES = ("ets", "drift", "naive")
FORECAST_COLUMNS = [
    "region",
    "indicator",
    "sector",
    "year",
    "horizon",
    "mean",
    "median",
    "lo_80",
    "hi_80",
    "lo_95",
    "hi_95",
    "base_mean",
    "method",
    "n_obs",
    "first_year",
    "origin",
    "unit",
    "flag",
]


@dataclass
class Forecast:
    """Forecasts of one indicator: the table, the simulated paths and how they were made.

    ``table`` has one row per series and forecast year (columns :data:`FORECAST_COLUMNS`);
    ``paths`` holds the (reconciled) simulated values, shape ``(series, horizon, n_paths)``, in
    the order of ``series``; ``history`` the values the models were fitted on; ``info`` the
    method chosen and why, the reconciliation, breaks, weights and notes.
    """

    table: pd.DataFrame
    paths: np.ndarray
    series: list[str]
    years: list[int]
    history: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The forecast table (a copy)."""
        return self.table.copy()

    def coherence(self) -> float:
        """Largest relative gap between the national forecast and its regions' (weighted) sum."""
        rec = self.info.get("reconciliation", {})
        if "weights" not in rec or NATIONAL not in self.series:
            return 0.0
        wide = self.table.pivot(index="year", columns="region", values="mean")
        regions = [r for r in self.series if r != NATIONAL]
        w = np.array([rec["weights"][r] for r in regions])
        implied = wide[regions].to_numpy() @ w
        national = wide[NATIONAL].to_numpy()
        return float(np.max(np.abs(implied - national) / np.maximum(np.abs(national), 1e-12)))

    def p_target(self, targets: pd.DataFrame) -> pd.Series:
        """Probability that each target is reached, from the simulated paths.

        ``targets`` has columns ``region``, ``year``, ``target`` and ``polarity``
        (``higher_is_better``: P(value >= target); ``lower_is_better``: P(value <= target);
        ``neutral``: NaN). Rows whose region or year is not forecast get NaN. The result is
        aligned with ``targets`` and never decreases as a higher-is-better target falls.
        """
        out = np.full(len(targets), np.nan)
        row = {r: i for i, r in enumerate(self.series)}
        col = {y: j for j, y in enumerate(self.years)}
        for k, (region, year, target, polarity) in enumerate(
            targets[["region", "year", "target", "polarity"]].itertuples(index=False)
        ):
            i, j = row.get(region), col.get(int(year))
            if i is None or j is None or pd.isna(target):
                continue
            draws = self.paths[i, j]
            if polarity == "higher_is_better":
                out[k] = float(np.mean(draws >= target))
            elif polarity == "lower_is_better":
                out[k] = float(np.mean(draws <= target))
        return pd.Series(out, index=targets.index, name="p_target")

    def __repr__(self) -> str:
        info = self.info
        return (
            f"<Forecast {info.get('indicator')}: {len(self.series)} series, "
            f"{self.years[0]}-{self.years[-1]} from {info.get('origin')}, "
            f"method {info.get('method')}, reconciliation "
            f"{info.get('reconciliation', {}).get('method', 'none')}>"
        )

    def _repr_html_(self) -> str:
        from html import escape

        head = escape(repr(self))
        return f"<p>{head}</p>" + self.table.to_html(index=False, float_format="{:,.4g}".format)


# --------------------------------------------------------------------------- series


def _meta(indicator: str, additive: bool | None, unit: str) -> dict[str, Any]:
    from terraplan.data.catalog import indicator_catalog

    catalog = indicator_catalog()
    if indicator in catalog.index:
        row = catalog.loc[indicator]
        return {
            "additive": bool(row["additive"]) if additive is None else additive,
            "kind": row["kind"],
            "unit": row["unit"] or unit,
            "polarity": row["polarity"],
        }
    return {"additive": bool(additive), "kind": "", "unit": unit, "polarity": "neutral"}


def _select(
    panel: pd.DataFrame,
    indicator: str,
    sector: str,
    *,
    as_of: int | None,
    harmonize: bool,
    additive: bool,
    start: int | None,
    allow_breaks: bool,
) -> tuple[pd.DataFrame, list[str]]:
    from terraplan.territory.registry import layout_regions, regions

    notes: list[str] = []
    rows = panel[(panel["indicator"] == indicator) & (panel["sector"] == sector)]
    if rows.empty:
        raise InputError(
            f"the panel has no rows of indicator {indicator!r} (sector {sector!r}); it holds "
            f"{', '.join(sorted(panel['indicator'].unique())) or 'nothing'}"
        )
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
        if rows.empty:
            raise InputError(f"the panel has no value of {indicator!r} up to {as_of}")
    historic = set(regions(None).index) - set(layout_regions("KZ-2022"))
    if harmonize:
        from terraplan.data.harmonize import harmonize as to_layout

        weights = None if additive else {indicator: "population"}
        national = rows[rows["region"] == NATIONAL]
        moved = to_layout(rows[rows["region"] != NATIONAL], to="KZ-2022", weights=weights)
        rows = pd.concat([national, moved], ignore_index=True)
        if moved["flag"].str.contains("estimated").any():
            notes.append(
                "values on old borders were split onto the 2022 borders (harmonize): the "
                "history of the regions concerned is estimated"
            )
    old = sorted(set(rows["region"]) & historic)
    if old:
        notes.append(
            f"rows on old borders ({', '.join(old)}) are not used: their successors' series start "
            "with the new borders (harmonize=True splits them, flagged estimated)"
        )
        rows = rows[~rows["region"].isin(old)]
    breaks = series_breaks(indicator)
    last = int(rows["year"].max())
    inside = breaks[breaks["year"] <= last]
    if start is not None:
        rows = rows[rows["year"] >= start]
    if not inside.empty:
        b = inside.iloc[-1]
        first = int(rows["year"].min())
        if first < b["year"]:
            if allow_breaks:
                notes.append(f"fitted across the break of {b['year']}: {b['note']}")
                rows = rows.assign(
                    flag=np.where(
                        rows["flag"].str.contains("across_break"),
                        rows["flag"],
                        (rows["flag"] + ";across_break").str.strip(";"),
                    )
                )
            else:
                rows = rows[rows["year"] >= b["year"]]
                notes.append(
                    f"series start in {b['year']}, after the break: {b['note']} "
                    "(allow_breaks=True fits across it, flagged)"
                )
    return rows[rows["value"].notna()], notes


def _wide(rows: pd.DataFrame) -> tuple[np.ndarray, list[str], list[int], pd.DataFrame]:
    years = list(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    series = sorted(rows["region"].unique(), key=lambda r: (r != NATIONAL, r))
    wide = rows.pivot(index="region", columns="year", values="value").reindex(
        index=series, columns=years
    )
    flags = rows.pivot(index="region", columns="year", values="flag").reindex(
        index=series, columns=years
    )
    return wide.to_numpy(dtype=float), series, years, flags


def _check_series(
    y: np.ndarray, series: list[str], years: list[int], min_obs: int, indicator: str
) -> None:
    problems = []
    counts = (~np.isnan(y)).sum(1)
    for name, n, row in zip(series, counts, y, strict=True):
        first = years[int(np.argmax(~np.isnan(row)))]
        if n < min_obs:
            problems.append(f"{name}: {n} value(s) from {first} (need {min_obs})")
        elif np.isnan(row[-1]):
            problems.append(f"{name}: no value in {years[-1]}, the forecast origin")
    if problems:
        raise AnalysisError(
            f"cannot forecast {indicator!r}: "
            + "; ".join(problems)
            + ". Fix: harmonize=True (CLI --harmonize) extends series of regions created in "
            "2022 with estimated values; start=/allow_breaks=True (--allow-breaks) use years "
            "before a break; as_of= moves the origin; min_obs= lowers the minimum (at your own "
            "risk)"
        )


def _use_log(y: np.ndarray, log: bool | str, meta: dict[str, Any]) -> bool:
    if log == "auto":
        return bool(meta["kind"] in ("stock", "flow") and np.nanmin(y) > 0)
    if log and np.nanmin(y) <= 0:
        raise InputError("log=True needs positive values; the series has zeros or negatives")
    return bool(log)


# --------------------------------------------------------------------------- back-test


def _windows(z: np.ndarray, min_obs: int, max_h: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Stack every (origin, series) training window right-aligned, with the actuals after it."""
    n, t = z.shape
    blocks, future, keys = [], [], []
    for origin in range(t - 1):
        train = z[:, : origin + 1]
        ok = ((~np.isnan(train)).sum(1) >= min_obs) & ~np.isnan(train[:, -1])
        if not ok.any():
            continue
        pad = np.full((n, t - origin - 1), np.nan)
        blocks.append(np.hstack([pad, train])[ok])
        ahead = np.full((n, max_h), np.nan)
        stop = min(t, origin + 1 + max_h)
        ahead[:, : stop - origin - 1] = z[:, origin + 1 : stop]
        future.append(ahead[ok])
        keys.extend((origin, i) for i in np.flatnonzero(ok))
    if not blocks:
        return np.empty((0, t)), np.empty((0, max_h)), []
    return np.vstack(blocks), np.vstack(future), keys


def _scores(
    z: np.ndarray,
    log: bool,
    methods: tuple[str, ...],
    horizons: tuple[int, ...],
    min_obs: int,
) -> pd.DataFrame:
    from scipy import stats

    max_h = max(horizons)
    train, ahead, keys = _windows(z, min_obs, max_h)
    if not keys:
        return pd.DataFrame(columns=["method", "horizon", "mase", "coverage_80", "coverage_95"])
    back = np.exp if log else (lambda a: a)
    actual = back(ahead)
    orig = back(train)
    scale = np.nanmean(np.abs(np.diff(orig, axis=1)), axis=1)
    rows = []
    for method in methods:
        fit = fit_models(train, method)
        mu, sd = fit.mean(max_h), np.sqrt(fit.var(max_h))
        df = fit.df()[:, None]
        q80, q95 = stats.t.ppf(0.9, df), stats.t.ppf(0.975, df)
        err = np.abs(back(mu) - actual) / scale[:, None]
        in80 = (back(mu - q80 * sd) <= actual) & (actual <= back(mu + q80 * sd))
        in95 = (back(mu - q95 * sd) <= actual) & (actual <= back(mu + q95 * sd))
        for h in horizons:
            have = ~np.isnan(actual[:, h - 1]) & np.isfinite(err[:, h - 1])
            rows.append(
                {
                    "method": method,
                    "horizon": h,
                    "n": int(have.sum()),
                    "mase": float(np.mean(err[have, h - 1])) if have.any() else np.nan,
                    "coverage_80": float(np.mean(in80[have, h - 1])) if have.any() else np.nan,
                    "coverage_95": float(np.mean(in95[have, h - 1])) if have.any() else np.nan,
                }
            )
    return pd.DataFrame(rows)


def backtest(
    panel: pd.DataFrame,
    indicator: str,
    *,
    sector: str = TOTAL,
    methods: tuple[str, ...] = _AUTO_CANDIDATES,
    horizons: tuple[int, ...] = (1, 2, 3),
    min_obs: int = 6,
    harmonize: bool = False,
    start: int | None = None,
    log: bool | str = "auto",
    additive: bool | None = None,
) -> pd.DataFrame:
    """Rolling-origin back-test of forecasting ``indicator`` (every region and the nation).

    For every year that leaves at least ``min_obs`` values behind it, each method is fitted on
    the values up to that year and forecasts ``horizons`` years ahead. Returns, per method and
    horizon, the number of forecasts ``n``, the mean absolute scaled error ``mase`` (errors
    divided by the mean absolute year-on-year change of the training values: below 1 beats the
    in-sample naive forecast) and the share of actual values inside the 80 % and 95 % intervals.

    >>> from terraplan.datasets import kazakhstan
    >>> bt = backtest(kazakhstan.panel(["unemployment_rate"]), "unemployment_rate")
    >>> sorted(bt["method"].unique())
    ['drift', 'ets', 'naive']
    """
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise InputError(f"unknown method(s) {bad}; use {', '.join(METHODS)}")
    data = validate_panel(panel)
    meta = _meta(indicator, additive, "")
    rows, notes = _select(
        data,
        indicator,
        sector,
        as_of=None,
        harmonize=harmonize,
        additive=meta["additive"],
        start=start,
        allow_breaks=False,
    )
    y, series, years, _ = _wide(rows)
    use_log = _use_log(y, log, meta)
    z = np.log(y) if use_log else y
    out = _scores(z, use_log, tuple(methods), tuple(horizons), min_obs)
    out.insert(0, "indicator", indicator)
    out.attrs = {
        "method": "rolling-origin back-test",
        "indicator": indicator,
        "series": series,
        "years": [years[0], years[-1]],
        "log": use_log,
        "min_obs": min_obs,
        "notes": notes,
    }
    return out


def _choose(scores: pd.DataFrame) -> tuple[str, str]:
    mean = scores.groupby("method")["mase"].mean().dropna()
    if mean.empty:
        return "drift", "too little history for a back-test: drift by default"
    best = str(mean.idxmin())
    text = ", ".join(f"{m} {v:.2f}" for m, v in mean.sort_values().items())
    if best != "ets":
        return best, f"exponential smoothing does not beat {best} in the back-test (MASE {text})"
    return best, f"exponential smoothing beats the benchmarks in the back-test (MASE {text})"


# --------------------------------------------------------------------------- forecast


def _population_weights(
    panel: pd.DataFrame, regions: list[str], year: int, weights: pd.DataFrame | None
) -> dict[str, float]:
    if weights is not None:
        table = weights
    else:
        table = panel[panel["indicator"] == "population"]
        if table.empty:
            from terraplan.datasets import kazakhstan

            table = kazakhstan.panel(["population"])
    table = table[table["region"].isin(regions)]
    have = table[table["year"] <= year]
    if have.empty:
        raise InputError(f"no population (weights) up to {year} for the weighted mean")
    at = have[have["year"] == have["year"].max()].set_index("region")["value"]
    missing = [r for r in regions if r not in at.index or pd.isna(at[r])]
    if missing:
        raise InputError(
            f"no population (weights) in {int(have['year'].max())} for {', '.join(missing)}"
        )
    total = at[regions].sum()
    return {r: float(at[r] / total) for r in regions}


def _draws(
    rng: np.random.Generator, corr: np.ndarray, df: np.ndarray, horizon: int, n_paths: int
) -> np.ndarray:
    """Student t draws, ``(series, horizon, paths)``: correlated normals over independent
    chi-square scales, so each margin is exactly t with its degrees of freedom."""
    m = len(df)
    z = rng.standard_normal((m, horizon, n_paths))
    if not np.array_equal(corr, np.eye(m)):
        chol = np.linalg.cholesky(corr + 1e-12 * np.eye(m))
        z = np.einsum("ij,jhp->ihp", chol, z)
    scale = rng.chisquare(np.broadcast_to(df[:, None, None], z.shape)) / df[:, None, None]
    return z / np.sqrt(scale)


def _correlation(resid: np.ndarray) -> tuple[np.ndarray, int]:
    from terraplan.analysis.reconcile import shrunk_covariance

    m = resid.shape[1]
    e = resid[~np.isnan(resid).any(1)]
    if len(e) < 3 or (e.std(0) == 0).any():
        return np.eye(m), len(e)
    cov, _ = shrunk_covariance(e)
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd), len(e)


def forecast(
    panel: pd.DataFrame,
    indicator: str,
    *,
    to: int | None = None,
    horizon: int | None = None,
    sector: str = TOTAL,
    method: str = "auto",
    log: bool | str = "auto",
    harmonize: bool = False,
    start: int | None = None,
    as_of: int | None = None,
    allow_breaks: bool = False,
    reconciliation: str = "mint",
    additive: bool | None = None,
    weights: pd.DataFrame | None = None,
    levels: tuple[int, int] = (80, 95),
    min_obs: int = 6,
    n_paths: int = 2000,
    random_state: int = 0,
) -> Forecast:
    """Forecast ``indicator`` for every region (and the nation) to ``to`` (see the module doc).

    ``method`` is ``"auto"`` (the best of exponential smoothing, drift and naive in a
    back-test on the indicator's history), or one of ``naive``, ``drift``, ``trend``, ``ses``,
    ``holt``, ``damped``, ``ets``. ``reconciliation`` is ``mint`` (falls back to ``wls`` when
    the error covariance is degenerate), ``wls``, ``ols``, ``bottom_up`` or ``none``. For an
    additive indicator the nation is the sum of the 20 regions; otherwise the
    population-weighted mean (``weights``: a tidy panel of weights, default the population of
    the origin year). Without a national row in the panel the national forecast is the
    regions' sum or weighted mean. Intervals come from ``n_paths`` simulated paths per series
    (seeded by ``random_state``), reconciled path by path.
    """
    from terraplan.territory.registry import layout_regions

    if method != "auto" and method not in METHODS:
        raise InputError(f"unknown method {method!r}; use auto or one of {', '.join(METHODS)}")
    if reconciliation not in ("mint", "wls", "ols", "bottom_up", "none"):
        raise InputError(
            f"unknown reconciliation {reconciliation!r}; use mint, wls, ols, bottom_up or none"
        )
    data = validate_panel(panel)
    unit = (
        str(data.loc[data["indicator"] == indicator, "unit"].iloc[0])
        if (data["indicator"] == indicator).any()
        else ""
    )
    meta = _meta(indicator, additive, unit)
    rows, notes = _select(
        data,
        indicator,
        sector,
        as_of=as_of,
        harmonize=harmonize,
        additive=meta["additive"],
        start=start,
        allow_breaks=allow_breaks,
    )
    y, series, years, flags = _wide(rows)
    _check_series(y, series, years, min_obs, indicator)
    origin = years[-1]
    if to is None and horizon is None:
        horizon = 3
    steps = int(horizon if horizon is not None else int(to) - origin)
    if steps < 1:
        raise InputError(f"the forecast year must be after the origin {origin}; got {to}")
    use_log = _use_log(y, log, meta)
    z = np.log(y) if use_log else y

    choice_note = ""
    scores = pd.DataFrame()
    chosen = method
    if method == "auto":
        scores = _scores(z, use_log, _AUTO_CANDIDATES, (1, 2, 3), min_obs)
        chosen, choice_note = _choose(scores)
    fit = fit_models(z, chosen)
    mu, var = fit.mean(steps), fit.var(steps)
    sd = np.sqrt(var)
    df = fit.df().astype(float)

    methods = fit.method
    regions = [s for s in series if s != NATIONAL]
    complete = set(regions) == set(layout_regions("KZ-2022"))
    reconciled = reconciliation != "none" and complete

    # paths: errors correlated across series as in-sample (only a reconciled sum needs that)
    rng = np.random.default_rng(random_state)
    corr = _correlation((z - fit.fitted).T)[0] if reconciled else np.eye(len(series))
    paths = mu[:, :, None] + sd[:, :, None] * _draws(rng, corr, df, steps, n_paths)
    base_mean = np.exp(mu + var / 2) if use_log else mu
    if use_log:
        paths = np.exp(paths)
    rec_info: dict[str, Any] = {"method": "none"}
    mean = base_mean.copy()
    if reconciled:
        if meta["additive"]:
            w = {r: 1.0 for r in regions}
            constraint = "sum"
        else:
            w = _population_weights(data, regions, origin, weights)
            constraint = "population-weighted mean"
        wv = np.array([w[r] for r in regions])
        S = summing_matrix(len(regions), wv)
        if NATIONAL in series:
            fitted_orig = np.exp(fit.fitted) if use_log else fit.fitted
            resid = (y - fitted_orig).T
            mean, info = reconcile(base_mean, S, method=reconciliation, residuals=resid)
            G = S @ info.pop("P")
            paths = np.einsum("ij,jhp->ihp", G, paths)
        else:
            info = {"method": "bottom_up", "note": "no national series: the regions' aggregate"}
            series = [NATIONAL, *series]
            mean = np.vstack([wv @ base_mean, base_mean])
            base_mean = np.vstack([np.full(steps, np.nan), base_mean])
            paths = np.concatenate([np.einsum("j,jhp->hp", wv, paths)[None], paths])
            methods = np.concatenate([["aggregate"], methods])
            flags = pd.concat([pd.DataFrame(index=[NATIONAL], columns=flags.columns), flags])
        rec_info = {**info, "constraint": constraint, "weights": w}
    elif reconciliation != "none":
        missing = sorted(set(layout_regions("KZ-2022")) - set(regions))
        notes.append(
            "not reconciled: the regions do not cover the country"
            + (f" (missing {', '.join(missing)})" if missing else "")
        )

    out_years = list(range(origin + 1, origin + steps + 1))
    table = _table(
        series=series,
        years=out_years,
        mean=mean,
        base_mean=base_mean,
        paths=paths,
        levels=levels,
        methods=methods,
        y=y,
        flags=flags,
        history_years=years,
        meta=meta,
        indicator=indicator,
        sector=sector,
    )
    history = rows[["region", "year", "value", "flag"]].sort_values(["region", "year"])
    info_all: dict[str, Any] = {
        "indicator": indicator,
        "sector": sector,
        "unit": meta["unit"],
        "origin": origin,
        "method": chosen,
        "method_choice": choice_note,
        "backtest": scores,
        "log": use_log,
        "reconciliation": rec_info,
        "levels": list(levels),
        "n_paths": n_paths,
        "random_state": random_state,
        "min_obs": min_obs,
        "notes": notes,
    }
    table.attrs = {k: v for k, v in info_all.items() if k != "backtest"}
    return Forecast(
        table=table,
        paths=paths,
        series=series,
        years=out_years,
        history=history.reset_index(drop=True),
        info=info_all,
    )


def _table(
    *,
    series: list[str],
    years: list[int],
    mean: np.ndarray,
    base_mean: np.ndarray,
    paths: np.ndarray,
    levels: tuple[int, int],
    methods: np.ndarray,
    y: np.ndarray,
    flags: pd.DataFrame,
    history_years: list[int],
    meta: dict[str, Any],
    indicator: str,
    sector: str,
) -> pd.DataFrame:
    m, h = mean.shape
    qs = [0.5]
    for level in levels:
        qs += [(1 - level / 100) / 2, 1 - (1 - level / 100) / 2]
    quant = np.quantile(paths, qs, axis=2)  # (q, series, horizon)
    n_obs = np.concatenate([[np.nan] * (m - len(y)), (~np.isnan(y)).sum(1)])
    first = []
    hist_flags = []
    offset = m - len(y)
    for i, name in enumerate(series):
        if i < offset:
            first.append(np.nan)
            hist_flags.append("")
            continue
        row = y[i - offset]
        first.append(history_years[int(np.argmax(~np.isnan(row)))])
        tokens = {t for f in flags.loc[name].dropna() for t in str(f).split(";") if t}
        keep = sorted(tokens & {"estimated", "across_break"})
        if "preliminary" in str(flags.loc[name].iloc[-1]):
            keep.append("preliminary_origin")
        hist_flags.append(";".join(keep))
    if offset:
        regional = [f for f in hist_flags[offset:] if f]
        hist_flags[0] = ";".join(sorted({t for f in regional for t in f.split(";")}))
        n_obs[0] = np.nan
    table = pd.DataFrame(
        {
            "region": np.repeat(series, h),
            "indicator": indicator,
            "sector": sector,
            "year": np.tile(years, m),
            "horizon": np.tile(np.arange(1, h + 1), m),
            "mean": mean.ravel(),
            "median": quant[0].ravel(),
            f"lo_{levels[0]}": quant[1].ravel(),
            f"hi_{levels[0]}": quant[2].ravel(),
            f"lo_{levels[1]}": quant[3].ravel(),
            f"hi_{levels[1]}": quant[4].ravel(),
            "base_mean": base_mean.ravel(),
            "method": np.repeat(methods, h),
            "n_obs": np.repeat(n_obs, h),
            "first_year": np.repeat(first, h),
            "origin": history_years[-1],
            "unit": meta["unit"],
            "flag": np.repeat(hist_flags, h),
        }
    )
    return table.astype({"year": int, "horizon": int})
