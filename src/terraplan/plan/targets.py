"""Checks of targets and regions: periods, direction, regions in force, the regional roll-up.

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.tables import plan_tables
>>> plan = parse_plan("indicators: [{id: u, name: U, unit: '%', polarity: negative, "
...                   "baseline: {year: 2022, value: 4.9}, targets: {2025: 5.2}}]")
>>> CHECKS["TARGET_DIRECTION"](plan_tables(plan), plan)["severity"].item()
'warning'
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from terraplan.data.panel import NATIONAL
from terraplan.plan.model import Plan
from terraplan.plan.rules import Check, finding_rows, number
from terraplan.plan.tables import PlanTables, regions_in_force


def _target_period(t: PlanTables, plan: Plan) -> pd.DataFrame:
    d = t.documents[["id", "start", "end"]].rename(columns={"id": "owner"})
    k = t.targets.merge(t.owners[["indicator", "owner"]], on="indicator").merge(d, on="owner")
    bad = k[(k["year"] < k["start"]) | (k["year"] > k["end"])]
    return finding_rows(
        "TARGET_PERIOD",
        bad["path"],
        "target of '"
        + bad["indicator"]
        + "' for "
        + bad["year"].astype(str)
        + " lies outside the period of '"
        + bad["owner"]
        + "' ("
        + bad["start"].astype(str)
        + "-"
        + bad["end"].astype(str)
        + ")",
        "move the target year into the document's period, or correct the period",
    )


def _target_direction(t: PlanTables, plan: Plan) -> pd.DataFrame:
    k = t.targets.merge(
        t.indicators[["id", "polarity", "baseline_year"]], left_on="indicator", right_on="id"
    )
    sign = k["polarity"].map({"higher_is_better": 1.0, "lower_is_better": -1.0, "neutral": 0.0})
    bad = k[(sign * (k["value"] - k["baseline"]) < 0) & k["baseline"].notna()]
    where = np.where(bad["region"] == NATIONAL, "national", "region " + bad["region"])
    return finding_rows(
        "TARGET_DIRECTION",
        bad["path"],
        [
            f"{w} target of '{i}' for {y} ({number(v)}) is worse than the baseline of {by} "
            f"({number(b)}): the indicator is {pol.replace('_', ' ')}"
            for w, i, y, v, by, b, pol in zip(
                where,
                bad["indicator"],
                bad["year"],
                bad["value"],
                bad["baseline_year"],
                bad["baseline"],
                bad["polarity"],
                strict=True,
            )
        ],
        "check the target and the polarity; if a worsening is planned, say why in 'note:'",
    )


def _region_period(t: PlanTables, plan: Plan) -> pd.DataFrame:
    spans = regions_in_force()
    regional = t.targets[t.targets["region"] != NATIONAL].merge(spans, on="region", how="left")
    bad = regional[
        (regional["year"] < regional["first_year"]) | (regional["year"] > regional["last_year"])
    ]
    span_text = (
        bad["first_year"].astype(int).astype(str)
        + "-"
        + bad["last_year"].astype(int).astype(str).replace("9999", "today")
    )
    pr = t.project_regions.merge(spans, on="region", how="left")
    overlap = np.minimum(pr["end"], pr["last_year"]) - np.maximum(pr["start"], pr["first_year"]) + 1
    partial = pr[overlap < pr["end"] - pr["start"] + 1]
    never = overlap[partial.index] <= 0
    p_span = (
        partial["first_year"].astype(int).astype(str)
        + "-"
        + partial["last_year"].astype(int).astype(str).replace("9999", "today")
    )
    return pd.concat(
        [
            finding_rows(
                "REGION_PERIOD",
                bad["path"],
                "target for region "
                + bad["region"]
                + " in "
                + bad["year"].astype(str)
                + ": the region exists only in "
                + span_text,
                "set targets on the regions in force in that year (see `terraplan regions`)",
            ),
            finding_rows(
                "REGION_PERIOD",
                partial["path"],
                "region "
                + partial["region"]
                + " of national project '"
                + partial["project"]
                + "' exists only in "
                + p_span
                + ", not in all of "
                + partial["start"].astype(str)
                + "-"
                + partial["end"].astype(str),
                "name the regions in force during the project (the successors of a former unit)",
                severity=np.where(never, "error", "warning"),
            ),
        ],
        ignore_index=True,
    )


@cache
def _bundled_population() -> pd.DataFrame:
    from terraplan.datasets import kazakhstan

    return _population_weights(kazakhstan.panel(["population"]))


def _population_weights(population: pd.DataFrame | None) -> pd.DataFrame:
    if population is None:
        return _bundled_population()
    pop = population[population["indicator"] == "population"]
    if "sector" in pop:
        pop = pop[pop["sector"] == "TOTAL"]
    return pop[["region", "year", "value"]].rename(columns={"value": "weight"})


def _rollup(
    t: PlanTables, plan: Plan, population: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roll-up of regional targets by indicator and year, and the years it cannot be done."""
    ind = t.indicators[t.indicators["aggregation"] != "none"]
    regional = t.targets[(t.targets["region"] != NATIONAL) & t.targets["indicator"].isin(ind["id"])]
    spans = regions_in_force()
    years = regional[["indicator", "year"]].drop_duplicates()
    expected = years.merge(spans, how="cross")
    expected = expected[
        (expected["year"] >= expected["first_year"]) & (expected["year"] <= expected["last_year"])
    ][["indicator", "year", "region"]]
    have = expected.merge(regional[["indicator", "year", "region", "value"]], how="left")
    weighted = ind.loc[ind["aggregation"] == "population_weighted_mean", "id"]
    if have["indicator"].isin(weighted).any():
        weights = _population_weights(population)
        lo, hi = weights["year"].min(), weights["year"].max()
        have["weight_year"] = have["year"].clip(lower=lo, upper=hi)
        have = have.merge(
            weights.rename(columns={"year": "weight_year"}),
            on=["region", "weight_year"],
            how="left",
        )
    else:
        have["weight_year"], have["weight"] = have["year"], 1.0
    have = have.merge(ind[["id", "aggregation"]].rename(columns={"id": "indicator"}))
    needs_weight = have["aggregation"] == "population_weighted_mean"
    have["missing_value"] = have["value"].isna()
    have["missing_weight"] = needs_weight & have["weight"].isna()
    have["w"] = np.where(needs_weight, have["weight"], 1.0)
    have["wv"] = have["w"] * have["value"]
    g = have.groupby(["indicator", "year", "aggregation"], as_index=False).agg(
        total=("value", "sum"),
        mean=("value", "mean"),
        wv=("wv", "sum"),
        w=("w", "sum"),
        weight_year=("weight_year", "max"),
        missing=("missing_value", "sum"),
        missing_weight=("missing_weight", "sum"),
    )
    missing_regions = (
        have[have["missing_value"] | have["missing_weight"]]
        .groupby(["indicator", "year"])["region"]
        .agg(", ".join)
        .rename("missing_regions")
    )
    g = g.merge(missing_regions, on=["indicator", "year"], how="left")
    g["rollup"] = np.select(
        [g["aggregation"] == "sum", g["aggregation"] == "mean"],
        [g["total"], g["mean"]],
        g["wv"] / g["w"],
    )
    national = t.targets[t.targets["region"] == NATIONAL][["indicator", "year", "value", "path"]]
    g = g.merge(national, on=["indicator", "year"], how="left").merge(
        ind[["id", "tolerance", "path"]].rename(columns={"id": "indicator", "path": "ind_path"})
    )
    complete = (g["missing"] == 0) & (g["missing_weight"] == 0) & g["value"].notna()
    return g[complete], g[~complete]


def _target_rollup(done: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    tol = done["tolerance"].fillna(plan.tolerances.aggregation * done["value"].abs())
    bad = done[(done["rollup"] - done["value"]).abs() > tol + 1e-12]
    tol = tol[bad.index]
    rule = bad["aggregation"].str.replace("_", " ")
    return finding_rows(
        "TARGET_ROLLUP",
        bad["path"],
        [
            f"regional targets of '{i}' for {y} roll up ({r}"
            + (f", population of {wy}" if r.startswith("population") else "")
            + f") to {number(x)}, but the national target is {number(v)} "
            f"(difference {number(x - v)}, tolerance {number(tl)})"
            for i, y, r, wy, x, v, tl in zip(
                bad["indicator"],
                bad["year"],
                rule,
                bad["weight_year"],
                bad["rollup"],
                bad["value"],
                tol,
                strict=True,
            )
        ],
        "correct the regional targets or the national target so that they agree, or change "
        "'aggregation:' if another rule applies",
    )


def _target_rollup_incomplete(todo: pd.DataFrame) -> pd.DataFrame:
    why = np.where(
        todo["value"].isna(),
        "there is no national target for that year",
        np.where(
            todo["missing_weight"] > 0,
            "there is no population weight for " + todo["missing_regions"].fillna(""),
            "regions in force have no target: " + todo["missing_regions"].fillna(""),
        ),
    )
    return finding_rows(
        "TARGET_ROLLUP_INCOMPLETE",
        todo["ind_path"] + ".regional_targets",
        "the regional targets of '"
        + todo["indicator"]
        + "' for "
        + todo["year"].astype(str)
        + " cannot be checked against the nation: "
        + why,
        "give a target to every region in force that year and a national target, or set "
        "'aggregation: none'",
    )


#: rule id -> check (the roll-up rules run through :func:`rollup_findings`)
CHECKS: dict[str, Check] = {
    "TARGET_PERIOD": _target_period,
    "TARGET_DIRECTION": _target_direction,
    "REGION_PERIOD": _region_period,
}


def rollup_findings(t: PlanTables, plan: Plan, population: pd.DataFrame | None) -> pd.DataFrame:
    """Findings of TARGET_ROLLUP and TARGET_ROLLUP_INCOMPLETE (one roll-up computed for both).

    >>> from terraplan.plan.model import Plan
    >>> from terraplan.plan.tables import plan_tables
    >>> rollup_findings(plan_tables(Plan()), Plan(), None).empty
    True
    """
    done, todo = _rollup(t, plan, population)
    return pd.concat(
        [_target_rollup(done, plan), _target_rollup_incomplete(todo)], ignore_index=True
    )
