"""Monitoring: how far each region has come from the baseline toward its target.

For every indicator passport of the plan whose actual values are in the panel, every region with
targets (and the nation, ``KZ``) and every year from the year after the baseline to the last
target year, :func:`monitor` computes

* ``target``: the declared target of the year, or, between declared years, the straight line
  from the baseline (or the previous declared target) to the next declared target
  (``target_kind`` says which);
* ``progress = (actual - baseline) / (target - baseline)``: the share of the distance from the
  baseline to the target covered (1 = on target, 0 = no change, negative = moving away). It
  respects polarity because the distance is signed: for a lower-is-better indicator the target
  lies below the baseline. When the target equals the baseline (hold the level), progress is 1
  if the actual is at least as good as the target given the polarity, else 0. Targets and
  progress are rounded to 10 decimals;
* ``status``: ``on_track`` when progress >= 0.9, ``at_risk`` when 0.5 <= progress < 0.9,
  ``off_track`` below 0.5 (the thresholds are parameters), ``no_data`` without an actual value,
  ``no_baseline`` without a baseline.

The regional baseline is the declared ``regional_targets[].baseline`` or, failing that, the
panel's value in the baseline year (``baseline_kind``). The national actual is the panel's
``KZ`` row or, failing that, the regions' actuals rolled up by the indicator's ``aggregation``
when every region with targets has a value (``actual_kind``).

Example
-------
>>> import pandas as pd
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.monitor import monitor
>>> plan = parse_plan('''
... indicators:
...   - {id: u, name: Unemployment, unit: "%", polarity: negative,
...      baseline: {year: 2022, value: 5.0}, targets: {2024: 4.0}}
... ''')
>>> panel = pd.DataFrame({"region": "KZ", "year": [2023, 2024], "indicator": "u",
...                       "value": [4.8, 4.2]})
>>> monitor(plan, panel)[["region", "year", "target", "actual", "progress", "status"]]
  region  year  target  actual  progress     status
0     KZ  2023     4.5     4.8       0.4  off_track
1     KZ  2024     4.0     4.2       0.8    at_risk
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.data.panel import NATIONAL, TOTAL
from terraplan.errors import InputError
from terraplan.plan.model import Plan
from terraplan.plan.tables import plan_tables

MONITOR_COLUMNS = [
    "region",
    "indicator",
    "year",
    "baseline",
    "target",
    "actual",
    "progress",
    "status",
    "unit",
    "polarity",
    "baseline_year",
    "baseline_kind",
    "target_kind",
    "actual_kind",
    "flag",
    "illustrative",
]
STATUSES = ("on_track", "at_risk", "off_track", "no_data", "no_baseline")
#: Columns added by ``monitor(..., forecast=True)``.
FORECAST_COLUMNS = ["forecast", "forecast_lo", "forecast_hi", "p_target", "forecast_status"]
#: Forecast-based statuses: the probability of reaching the target from the forecast.
FORECAST_STATUSES = ("likely", "uncertain", "unlikely", "observed", "no_forecast")
#: Interpolated targets and progress are rounded to this many decimals, so that a progress of
#: exactly 0.5 is not 0.49999999999999994 (floating point) and misclassified.
_DECIMALS = 10
_SIGN = {"higher_is_better": 1.0, "lower_is_better": -1.0, "neutral": 0.0}


def _actuals(panel: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("region", "year", "indicator", "value") if c not in panel.columns]
    if missing:
        raise InputError(
            f"the panel of actual values lacks the column(s) {', '.join(missing)}; a tidy panel "
            "has region, year, indicator, sector, value, unit, flag"
        )
    frame = panel.assign(
        sector=panel.get("sector", TOTAL),
        flag=panel.get("flag", ""),
    )[["region", "year", "indicator", "sector", "value", "flag"]]
    frame = frame.astype({"year": int, "value": float, "region": str, "indicator": str})
    keys = ind[["id", "panel_indicator", "panel_sector"]].rename(
        columns={"panel_indicator": "indicator", "panel_sector": "sector"}
    )
    out = frame.merge(keys, on=["indicator", "sector"]).drop(columns=["indicator", "sector"])
    dup = out.duplicated(["id", "region", "year"])
    if dup.any():
        first = out[dup].iloc[0]
        raise InputError(
            f"the panel holds {int(dup.sum())} duplicated row(s) for one region and year, e.g. "
            f"{first['region']} {first['year']} of '{first['id']}'; drop the duplicates first"
        )
    return out.rename(columns={"id": "indicator", "value": "actual"})


def _weights(population: pd.DataFrame | None, panel: pd.DataFrame) -> pd.DataFrame:
    if population is None:
        population = panel if (panel["indicator"] == "population").any() else None
    if population is None:
        from terraplan.datasets import kazakhstan

        population = kazakhstan.panel(["population"])
    pop = population[population["indicator"] == "population"]
    return pop[["region", "year", "value"]].rename(columns={"value": "weight"})


def _national_rollup(
    actual: pd.DataFrame,
    points: pd.DataFrame,
    ind: pd.DataFrame,
    population: pd.DataFrame | None,
    panel: pd.DataFrame,
) -> pd.DataFrame:
    """National actuals rolled up from the regions with targets, where all of them have one."""
    regional = points[points["region"] != NATIONAL][["indicator", "region"]].drop_duplicates()
    rows = regional.merge(actual, on=["indicator", "region"])
    rows = rows.merge(ind[["id", "aggregation"]].rename(columns={"id": "indicator"}))
    rows = rows[(rows["aggregation"] != "none") & rows["actual"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=["indicator", "year", "actual", "flag"])
    if (rows["aggregation"] == "population_weighted_mean").any():
        rows = rows.merge(_weights(population, panel), on=["region", "year"], how="left")
    else:
        rows["weight"] = np.nan
    rows["w"] = np.where(rows["aggregation"] == "population_weighted_mean", rows["weight"], 1.0)
    rows["wv"] = rows["w"] * rows["actual"]
    g = rows.groupby(["indicator", "year", "aggregation"], as_index=False).agg(
        n=("actual", "size"),
        total=("actual", "sum"),
        wv=("wv", "sum"),
        w=("w", "sum"),
        w_missing=("w", lambda s: s.isna().sum()),
        flag=("flag", lambda s: ";".join(sorted({t for f in s for t in f.split(";") if t}))),
    )
    g = g.merge(regional.groupby("indicator").size().rename("expected"), on="indicator")
    g = g[(g["n"] == g["expected"]) & (g["w_missing"] == 0)]
    g["actual"] = np.select(
        [g["aggregation"] == "sum", g["aggregation"] == "mean"],
        [g["total"], g["total"] / g["n"]],
        g["wv"] / g["w"],
    )
    return g[["indicator", "year", "actual", "flag"]]


def monitor(
    plan: Plan,
    panel: pd.DataFrame,
    *,
    on_track: float = 0.9,
    at_risk: float = 0.5,
    population: pd.DataFrame | None = None,
    forecast: bool = False,
    as_of: int | None = None,
    likely: float = 0.75,
    unlikely: float = 0.25,
    forecast_options: dict | None = None,
) -> pd.DataFrame:
    """Progress toward target for every indicator, region and year (see the module docstring).

    ``as_of`` monitors as of that year: later values of the panel are ignored. With
    ``forecast=True`` every monitored indicator is also forecast from its last year
    (:func:`terraplan.analysis.forecast.forecast`, with ``harmonize=True`` and then
    ``forecast_options``), and each later year gets the reconciled ``forecast``, its 80 %
    interval (``forecast_lo``, ``forecast_hi``), ``p_target`` (the probability of reaching
    the year's target, respecting polarity) and ``forecast_status``: ``likely`` when
    ``p_target >= likely``, ``unlikely`` below ``unlikely``, ``uncertain`` between,
    ``observed`` for a year with a published value and ``no_forecast`` where the indicator
    could not be forecast (the reason is in ``attrs["forecast_notes"]``).

    ``panel`` is a tidy panel of actual values; an indicator passport reads the rows of its
    ``panel_indicator`` (default: its id) and ``panel_sector`` (default ``TOTAL``). Indicators
    with no row in the panel, or without a baseline, are left out and listed in
    ``attrs["not_monitored"]``. ``population`` (a tidy panel) weights a national roll-up by
    population-weighted mean (default: the panel's own ``population`` rows, else the bundled
    statistics). Returns the columns of :data:`MONITOR_COLUMNS`, sorted by indicator, region
    (``KZ`` first) and year; ``attrs`` hold the method, thresholds, indicators, units and years.
    """
    if not 0 <= at_risk <= on_track:
        raise InputError(
            f"thresholds out of order: at_risk={at_risk} must lie between 0 and on_track={on_track}"
        )
    if not 0 <= unlikely <= likely <= 1:
        raise InputError(
            f"probability thresholds out of order: 0 <= unlikely={unlikely} <= likely={likely} <= 1"
        )
    if as_of is not None:
        panel = panel[panel["year"].astype(int) <= as_of]
    t = plan_tables(plan)
    ind = t.indicators[t.indicators["baseline_year"].notna()]
    ind = ind[ind["id"].isin(t.targets["indicator"])]
    actual = _actuals(panel, ind)
    monitored = ind[ind["id"].isin(actual["indicator"])]
    skipped = sorted(set(t.indicators["id"]) - set(monitored["id"]))
    points = t.targets[t.targets["indicator"].isin(monitored["id"])]
    if points.empty:
        return _with_attrs(
            pd.DataFrame(columns=MONITOR_COLUMNS), plan, monitored, skipped, on_track, at_risk
        )
    points = points.merge(
        monitored[["id", "baseline_year"]].rename(columns={"id": "indicator"})
    ).astype({"baseline_year": int})

    # baselines: declared (national passport, regional entry) or the panel's baseline-year value
    base = points.groupby(["indicator", "region"], as_index=False).agg(
        baseline=("baseline", "first"), baseline_year=("baseline_year", "first")
    )
    from_panel = base.merge(
        actual.rename(columns={"year": "baseline_year", "actual": "panel_base"})[
            ["indicator", "region", "baseline_year", "panel_base"]
        ],
        how="left",
    )["panel_base"]
    base["baseline_kind"] = np.where(
        base["baseline"].notna(), "declared", np.where(from_panel.notna(), "panel", "")
    )
    base["baseline"] = base["baseline"].fillna(from_panel)

    # the grid: every year from the baseline year + 1 to the last declared target year
    last = points.groupby(["indicator", "region"])["year"].max().rename("last")
    base = base.merge(last, on=["indicator", "region"])
    span = (base["last"] - base["baseline_year"]).clip(lower=0)
    grid = base.loc[base.index.repeat(span)].copy()
    grid["year"] = grid["baseline_year"] + grid.groupby(level=0).cumcount() + 1
    grid = grid.reset_index(drop=True)

    # targets: declared, else linear between the surrounding anchors (baseline or targets)
    anchors = pd.concat(
        [
            base[["indicator", "region", "baseline_year", "baseline"]].rename(
                columns={"baseline_year": "year", "baseline": "value"}
            ),
            points[["indicator", "region", "year", "value"]],
        ],
        ignore_index=True,
    ).sort_values("year")
    anchors["anchor"] = anchors["year"]
    by = ["indicator", "region"]
    grid = pd.merge_asof(
        grid.sort_values("year"),
        anchors.rename(columns={"value": "v0", "anchor": "year0"}),
        on="year",
        by=by,
        direction="backward",
    )
    grid = pd.merge_asof(
        grid,
        anchors.rename(columns={"value": "v1", "anchor": "year1"}),
        on="year",
        by=by,
        direction="forward",
    )
    exact = grid["year1"] == grid["year"]
    step = (grid["year"] - grid["year0"]) / (grid["year1"] - grid["year0"]).where(~exact)
    line = grid["v0"] + (grid["v1"] - grid["v0"]) * step
    grid["target"] = np.where(exact, grid["v1"], line).round(_DECIMALS)
    grid["target_kind"] = np.where(exact, "declared", "interpolated")

    # actuals: the panel; for the nation, the KZ row or the regions rolled up
    grid = grid.merge(actual, on=["indicator", "region", "year"], how="left")
    grid["actual_kind"] = np.where(grid["actual"].notna(), "panel", "")
    rolled = _national_rollup(actual, points, monitored, population, panel).rename(
        columns={"actual": "rolled", "flag": "rolled_flag"}
    )
    grid = grid.merge(
        rolled.assign(region=NATIONAL), on=["indicator", "region", "year"], how="left"
    )
    use_roll = grid["actual"].isna() & grid["rolled"].notna()
    grid["actual"] = grid["actual"].fillna(grid["rolled"].astype(float))
    grid["flag"] = grid["flag"].where(~use_roll, grid["rolled_flag"]).fillna("")
    grid["actual_kind"] = np.where(use_roll, "rollup", grid["actual_kind"])

    # progress and status
    grid = grid.merge(
        monitored[["id", "unit", "polarity", "illustrative"]].rename(columns={"id": "indicator"})
    )
    sign = grid["polarity"].map(_SIGN)
    distance = grid["target"] - grid["baseline"]
    hold = distance == 0
    held = np.where(
        sign == 0,
        np.isclose(grid["actual"], grid["target"]),
        sign * (grid["actual"] - grid["target"]) >= 0,
    )
    grid["progress"] = np.where(
        hold,
        np.where(held, 1.0, 0.0),
        (grid["actual"] - grid["baseline"]) / distance.where(~hold),
    )
    grid["progress"] = grid["progress"].round(_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    grid.loc[grid["actual"].isna() | grid["baseline"].isna(), "progress"] = np.nan
    grid["status"] = np.select(
        [
            grid["baseline"].isna(),
            grid["actual"].isna(),
            grid["progress"] >= on_track,
            grid["progress"] >= at_risk,
        ],
        ["no_baseline", "no_data", "on_track", "at_risk"],
        "off_track",
    )
    out = (
        grid[MONITOR_COLUMNS]
        .sort_values(["indicator", "region", "year"], ignore_index=True)
        .astype({"year": int, "baseline_year": int, "illustrative": bool})
    )
    out = _with_attrs(out, plan, monitored, skipped, on_track, at_risk)
    if forecast:
        out = _with_forecasts(out, panel, monitored, likely, unlikely, forecast_options or {})
    return out


def _with_forecasts(
    out: pd.DataFrame,
    panel: pd.DataFrame,
    monitored: pd.DataFrame,
    likely: float,
    unlikely: float,
    options: dict,
) -> pd.DataFrame:
    """Add the forecast columns (see :func:`monitor`)."""
    from terraplan.analysis.forecast import forecast
    from terraplan.errors import TerraplanError

    attrs = dict(out.attrs)
    parts = []
    notes: dict[str, str] = {}
    for ind in monitored.itertuples(index=False):
        rows = out[out["indicator"] == ind.id].copy()
        last_year = int(rows["year"].max()) if len(rows) else 0
        fc = None
        try:
            fc = forecast(
                panel,
                ind.panel_indicator,
                sector=ind.panel_sector,
                to=last_year,
                **{"harmonize": True, **options},
            )
        except TerraplanError as err:
            notes[ind.id] = str(err)
        observed = rows["actual"].notna()
        rows["forecast_status"] = np.where(observed, "observed", "no_forecast")
        if fc is not None:
            origin = fc.info["origin"]
            notes.setdefault(ind.id, fc.info["method_choice"] or f"method {fc.info['method']}")
            lo, hi = f"lo_{fc.info['levels'][0]}", f"hi_{fc.info['levels'][0]}"
            table = fc.table[["region", "year", "mean", lo, hi]].rename(
                columns={"mean": "forecast", lo: "forecast_lo", hi: "forecast_hi"}
            )
            rows = rows.merge(table, on=["region", "year"], how="left")
            ahead = rows["year"] > origin
            rows["p_target"] = fc.p_target(rows).where(ahead)
            p = rows["p_target"]
            rows["forecast_status"] = np.select(
                [observed, p.isna(), p >= likely, p < unlikely],
                ["observed", "no_forecast", "likely", "unlikely"],
                "uncertain",
            )
        parts.append(rows)
    result = pd.concat(parts, ignore_index=True) if parts else out.copy()
    result = result.reindex(columns=[*MONITOR_COLUMNS, *FORECAST_COLUMNS])
    result = result.sort_values(["indicator", "region", "year"], ignore_index=True)
    result.attrs = {
        **attrs,
        "forecast": "terraplan.analysis.forecast (reconciled; harmonize=True)",
        "forecast_thresholds": {"likely": likely, "unlikely": unlikely},
        "forecast_notes": notes,
    }
    return result


def _with_attrs(
    out: pd.DataFrame,
    plan: Plan,
    monitored: pd.DataFrame,
    skipped: list[str],
    on_track: float,
    at_risk: float,
) -> pd.DataFrame:
    out.attrs = {
        "method": "progress toward target: (actual - baseline) / (target - baseline)",
        "thresholds": {"on_track": on_track, "at_risk": at_risk},
        "indicator": sorted(monitored["id"]),
        "unit": dict(zip(monitored["id"], monitored["unit"], strict=True)),
        "years": sorted(int(y) for y in out["year"].unique()),
        "reference": "baseline to target, linear between declared targets",
        "not_monitored": skipped,
        "plan": plan.source_file,
    }
    return out
