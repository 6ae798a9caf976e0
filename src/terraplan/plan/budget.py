"""Checks of the budget: money keyed to priorities and projects, totals and limits that add up.

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.tables import plan_tables
>>> plan = parse_plan("budget: {totals: {2022: 10}, allocations: [{year: 2022, amount: 4, "
...                   "agency: Ministry of Finance}]}")
>>> sorted(CHECKS["BUDGET_TOTAL"](plan_tables(plan), plan)["message"])
['allocations of 2022 add up to 4 bn KZT, the declared total is 10 bn KZT (difference -6)']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.plan.model import Plan
from terraplan.plan.rules import Check, finding_rows, number
from terraplan.plan.tables import PlanTables


def _budget_agency_only(t: PlanTables, plan: Plan) -> pd.DataFrame:
    a = t.allocations
    bad = a[(a["priority"] == "") & (a["national_project"] == "")]
    keyed = np.where(
        bad["agency"] == "", "to nothing", "only to the agency '" + bad["agency"] + "'"
    )
    return finding_rows(
        "BUDGET_AGENCY_ONLY",
        bad["path"],
        "allocation of " + bad["year"].astype(str) + " is keyed " + keyed,
        "key it to the National Priority ('priority:') or national project "
        "('national_project:') it finances; the agency may stay as 'agency:'",
    )


def _effective_priority(t: PlanTables) -> pd.Series:
    """The priority an allocation counts toward: its own, else its project's only priority."""
    a = t.allocations
    n_pri = t.project_priorities.groupby("project")["priority"].agg(["count", "first"])
    single = n_pri.loc[n_pri["count"] == 1, "first"]
    known = a["national_project"].isin(single.index)
    implied = pd.Series(np.where(known, a["national_project"].map(single), ""), index=a.index)
    return a["priority"].where(a["priority"] != "", implied)


def _budget_project_priority(t: PlanTables, plan: Plan) -> pd.DataFrame:
    a = t.allocations
    both = a[(a["priority"] != "") & (a["national_project"] != "")]
    served = set(
        zip(t.project_priorities["project"], t.project_priorities["priority"], strict=True)
    )
    ok = [(x, y) in served for x, y in zip(both["national_project"], both["priority"], strict=True)]
    bad = both[~np.array(ok, dtype=bool)]
    return finding_rows(
        "BUDGET_PROJECT_PRIORITY",
        bad["path"],
        "allocation of "
        + bad["year"].astype(str)
        + " is keyed to project '"
        + bad["national_project"]
        + "' and priority '"
        + bad["priority"]
        + "', which the project does not serve",
        "name a priority the project serves, or add the priority to the project's 'priorities:'",
    )


def _budget_total(t: PlanTables, plan: Plan) -> pd.DataFrame:
    spent = t.allocations.groupby("year")["amount"].sum()
    k = t.totals.assign(allocated=t.totals["year"].map(spent).fillna(0.0))
    bad = k[(k["allocated"] - k["amount"]).abs() > plan.tolerances.money * k["amount"]]
    unit = plan.money_unit
    return finding_rows(
        "BUDGET_TOTAL",
        "budget.totals[" + bad["year"].astype(str) + "]",
        [
            f"allocations of {y} add up to {number(s)} {unit}, the declared total is "
            f"{number(d)} {unit} (difference {number(s - d)})"
            for y, s, d in zip(bad["year"], bad["allocated"], bad["amount"], strict=True)
        ],
        "correct the allocations or the declared total of the year",
    )


def _budget_limit(t: PlanTables, plan: Plan) -> pd.DataFrame:
    a = t.allocations.assign(eff=_effective_priority(t))
    by_pri = a.groupby(["eff", "year"])["amount"].sum()
    by_proj = a.groupby(["national_project", "year"])["amount"].sum()
    lim = t.limits
    is_pri = lim["priority"] != ""
    key = lim["priority"].where(is_pri, lim["national_project"])
    pri_sum = pd.Series(list(zip(key, lim["year"], strict=True)), index=lim.index).map(by_pri)
    proj_sum = pd.Series(list(zip(key, lim["year"], strict=True)), index=lim.index).map(by_proj)
    allocated = pri_sum.where(is_pri, proj_sum).fillna(0.0).astype(float)
    bad = (allocated - lim["amount"]).abs() > plan.tolerances.money * lim["amount"]
    unit = plan.money_unit
    kind = np.where(is_pri, "priority", "national project")
    return finding_rows(
        "BUDGET_LIMIT",
        lim.loc[bad, "path"],
        [
            f"allocations to {k} '{x}' in {y} add up to {number(s)} {unit}, the declared limit "
            f"is {number(d)} {unit} (difference {number(s - d)})"
            for k, x, y, s, d in zip(
                kind[bad.to_numpy()],
                key[bad],
                lim.loc[bad, "year"],
                allocated[bad],
                lim.loc[bad, "amount"],
                strict=True,
            )
        ],
        "correct the allocations or the declared limit",
    )


def _budget_unattributed(t: PlanTables, plan: Plan) -> pd.DataFrame:
    a = t.allocations
    n_pri = a["national_project"].map(t.project_priorities.groupby("project").size()).fillna(0)
    limit_years = set(t.limits.loc[t.limits["priority"] != "", "year"])
    bad = a[(a["priority"] == "") & (n_pri > 1) & a["year"].isin(limit_years)]
    return finding_rows(
        "BUDGET_UNATTRIBUTED",
        bad["path"],
        "allocation of "
        + bad["year"].astype(str)
        + " to project '"
        + bad["national_project"]
        + "', which serves several priorities, names no priority and counts toward no "
        "priority limit",
        "add 'priority:' (split the amount if it serves several priorities)",
    )


#: rule id -> check
CHECKS: dict[str, Check] = {
    "BUDGET_AGENCY_ONLY": _budget_agency_only,
    "BUDGET_PROJECT_PRIORITY": _budget_project_priority,
    "BUDGET_TOTAL": _budget_total,
    "BUDGET_LIMIT": _budget_limit,
    "BUDGET_UNATTRIBUTED": _budget_unattributed,
}
