"""The seven criteria of national projects, and the rule that each serves a National Priority.

Each check takes the plan's tables and the plan and returns finding rows; the concrete test of
each criterion is terraplan's reading (see ``docs/planning.md``).

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.tables import plan_tables
>>> plan = parse_plan("national_projects: [{id: p, title: P, period: {start: 2021, end: 2025}}]")
>>> CHECKS["NP_PRIORITY"](plan_tables(plan), plan)["message"].item()
"national project 'p' serves no National Priority"
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.plan.model import Plan
from terraplan.plan.rules import MIN_GOAL_WORDS, Check, finding_rows, number
from terraplan.plan.tables import PlanTables


def _np_goal(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    words = p["goal"].str.split().str.len().fillna(0)
    restated = p["goal"].str.casefold().str.strip(" .") == p["title"].str.casefold().str.strip(" .")
    bad = p[(words < MIN_GOAL_WORDS) | restated]
    why = np.where(
        bad["goal"] == "",
        "states no goal",
        np.where(
            restated[bad.index],
            "states a goal that only restates the title",
            "states a goal of " + words[bad.index].astype(int).astype(str) + " word(s)",
        ),
    )
    message = "national project '" + bad["id"] + "' " + why + ": the goal is not specific"
    fix = (
        f"write the goal as what changes, for whom and by how much ({MIN_GOAL_WORDS}+ words), "
        "e.g. 'raise the share of recycled municipal solid waste to 34% by 2025'"
    )
    return finding_rows("NP_GOAL", bad["path"], message, fix)


def _np_relevance(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    missing = p[p["relevance"] == ""]
    out = [
        finding_rows(
            "NP_RELEVANCE",
            missing["path"],
            "national project '" + missing["id"] + "' does not state the problem it answers",
            "add 'relevance:' with the problem the project answers and the evidence for it",
        )
    ]
    served = t.project_priorities.merge(
        t.priorities.rename(columns={"id": "priority", "path": "priority_path"}), on="priority"
    ).merge(p[["id", "end"]].rename(columns={"id": "project", "end": "project_end"}))
    in_force = (served["start"].isna() | (served["start"] <= served["project_end"])) & (
        served["end"].isna() | (served["end"] >= served["project_end"])
    )
    live = set(served.loc[in_force.astype(bool), "project"])
    expired = p[p["id"].isin(served["project"]) & ~p["id"].isin(live)]
    out.append(
        finding_rows(
            "NP_RELEVANCE",
            expired["path"],
            "national project '"
            + expired["id"]
            + "' ends in "
            + expired["end"].astype(str)
            + ", when none of the priorities it serves is in force",
            "link the project to a priority in force at its end, or shorten its period",
        )
    )
    return pd.concat(out, ignore_index=True)


def _np_completion(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    year = p["completion_year"]
    missing = p[year.isna()]
    inside = year.notna() & (year.fillna(0) >= p["start"]) & (year.fillna(0) <= p["end"])
    outside = p[year.notna() & ~inside]
    return pd.concat(
        [
            finding_rows(
                "NP_COMPLETION_DATE",
                missing["path"],
                "national project '" + missing["id"] + "' has no completion date",
                "add 'completion_date: YYYY-MM-DD' inside the project's period",
            ),
            finding_rows(
                "NP_COMPLETION_DATE",
                outside["path"] + ".completion_date",
                "national project '"
                + outside["id"]
                + "' completes on "
                + outside["completion_date"]
                + ", outside its period "
                + outside["start"].astype(str)
                + "-"
                + outside["end"].astype(str),
                "move the completion date into the period, or extend the period",
            ),
        ],
        ignore_index=True,
    )


def _np_measurable(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    linked = (
        t.owners.merge(p[["id", "start", "end"]], left_on="owner", right_on="id")
        .merge(
            t.indicators.loc[t.indicators["baseline_year"].notna(), ["id"]].rename(
                columns={"id": "indicator"}
            )
        )
        .merge(t.targets[["indicator", "year"]], on="indicator")
    )
    ok = set(
        linked.loc[(linked["year"] >= linked["start"]) & (linked["year"] <= linked["end"]), "owner"]
    )
    bad = p[~p["id"].isin(ok)]
    return finding_rows(
        "NP_MEASURABLE",
        bad["path"],
        "national project '"
        + bad["id"]
        + "' has no measurable result: no indicator passport with a baseline and a target in "
        + bad["start"].astype(str)
        + "-"
        + bad["end"].astype(str),
        "list under 'indicators:' an indicator passport that has 'baseline:' and a target "
        "year inside the project's period",
    )


def _np_achievable(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p, r = (
        t.projects,
        t.resources.merge(t.projects[["id", "start", "end"]], left_on="project", right_on="id"),
    )
    dated = r["year"].notna()
    year = r["year"].fillna(0)
    counted = ~dated | ((year >= r["start"]) & (year <= r["end"]))
    stray = r[~counted]
    cover = r[counted].groupby("project")["amount"].sum()
    available = p["id"].map(cover).fillna(0.0)
    cost = p["estimated_cost"].astype(float)
    tol = plan.tolerances.money
    no_cost = p[cost.isna()]
    short = p[cost.notna() & (available < cost * (1 - tol))]
    unit = plan.money_unit
    return pd.concat(
        [
            finding_rows(
                "NP_ACHIEVABLE",
                no_cost["path"],
                "national project '" + no_cost["id"] + "' declares no estimated cost, so "
                "achievability cannot be judged",
                f"add 'estimated_cost:' in {unit}",
            ),
            finding_rows(
                "NP_ACHIEVABLE",
                short["path"],
                [
                    f"national project '{i}': resources for {s}-{e} ({number(a)} {unit}) do "
                    f"not cover the estimated cost ({number(c)} {unit}); shortfall "
                    f"{number(c - a)} {unit}"
                    for i, s, e, a, c in zip(
                        short["id"],
                        short["start"],
                        short["end"],
                        available[short.index],
                        cost[short.index],
                        strict=True,
                    )
                ],
                "add the missing resources by source and year, or lower the cost and scope",
            ),
            finding_rows(
                "NP_ACHIEVABLE",
                stray["path"],
                "resources of national project '"
                + stray["project"]
                + "' are dated "
                + stray["year"].astype(str)
                + ", outside its period, and are not counted",
                "correct the year or the project's period",
                severity=["warning"] * len(stray),
            ),
        ],
        ignore_index=True,
    )


def _np_person_centred(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    bad = p[(p["beneficiaries"] == "") | (p["person_centred"] == "")]
    lacks = np.where(
        bad["beneficiaries"] == "",
        np.where(bad["person_centred"] == "", "beneficiaries and rationale", "beneficiaries"),
        "rationale",
    )
    return finding_rows(
        "NP_PERSON_CENTRED",
        bad["path"],
        "national project '" + bad["id"] + "' does not state its person-centred " + lacks,
        "add 'beneficiaries:' (who gains) and 'person_centred:' (how their lives change)",
    )


def _np_responsibility(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    bad = p[p["person"] == ""]
    who = np.where(bad["body"] == "", "no one", "only a body ('" + bad["body"] + "')")
    return finding_rows(
        "NP_RESPONSIBILITY",
        bad["path"],
        "national project '" + bad["id"] + "' names " + who + " as responsible, not a person",
        "add 'responsible: {person: <full name>, position: <post>}' beside the body",
    )


def _np_priority(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    bad = p[~p["id"].isin(t.project_priorities["project"])]
    return finding_rows(
        "NP_PRIORITY",
        bad["path"],
        "national project '" + bad["id"] + "' serves no National Priority",
        "add 'priorities: [<priority id>]' naming the National Priority it implements",
    )


#: rule id -> check
CHECKS: dict[str, Check] = {
    "NP_GOAL": _np_goal,
    "NP_RELEVANCE": _np_relevance,
    "NP_COMPLETION_DATE": _np_completion,
    "NP_MEASURABLE": _np_measurable,
    "NP_ACHIEVABLE": _np_achievable,
    "NP_PERSON_CENTRED": _np_person_centred,
    "NP_RESPONSIBILITY": _np_responsibility,
    "NP_PRIORITY": _np_priority,
}
