"""Checks of a plan: the seven criteria of national projects and the consistency of the plan.

:func:`check_plan` returns one row per finding (``id, severity, element, message, fix``); the
rules are listed, with where each comes from, by :func:`check_rules` and in ``docs/planning.md``.
``severity`` is ``error`` (the plan breaks a rule) or ``warning`` (something to look at).

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.checks import check_plan
>>> plan = parse_plan('''
... priorities: [{id: P10, name: Balanced territorial development}]
... budget:
...   allocations: [{year: 2022, amount: 5.0, agency: Ministry of National Economy}]
... ''')
>>> check_plan(plan)[["id", "severity", "element"]].to_dict("records")
[{'id': 'BUDGET_AGENCY_ONLY', 'severity': 'error', 'element': 'budget.allocations[0]'}]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from terraplan.data.panel import NATIONAL
from terraplan.plan.model import Plan
from terraplan.plan.tables import PlanTables, plan_tables, regions_in_force

FINDING_COLUMNS = ["id", "severity", "element", "message", "fix"]
SEVERITIES = ("error", "warning")
#: A goal shorter than this many words is not specific.
MIN_GOAL_WORDS = 5


@dataclass(frozen=True)
class Rule:
    """One check: its id, default severity, what it asks and where the rule comes from.

    >>> RULES[0].id
    'NP_GOAL'
    """

    id: str
    severity: str
    title: str
    basis: str


_PUBLISHED_CRITERIA = (
    "published criterion (one of the seven criteria of national projects of the 2020 State "
    "Planning System reform, as quoted in terraplan issue 6; the statement itself was not found "
    "verbatim by the research); the concrete test is terraplan's reading"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "NP_GOAL",
        "error",
        f"specific goal: a goal of at least {MIN_GOAL_WORDS} words that does not only restate "
        "the title",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_RELEVANCE",
        "error",
        "relevance: the problem the project answers is stated, and a priority it serves is in "
        "force at the end of the project",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_COMPLETION_DATE",
        "error",
        "completion date: given, and inside the project's period",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_MEASURABLE",
        "error",
        "measurable result: at least one indicator passport with a baseline and a target in "
        "the project's period",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_ACHIEVABLE",
        "error",
        "achievability: resources for the period cover the estimated cost (within the money "
        "tolerance); resources dated outside the period are not counted (warning)",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_PERSON_CENTRED",
        "error",
        "person-centred aim: the beneficiaries and why the project serves them are stated",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_RESPONSIBILITY",
        "error",
        "personal responsibility: a named responsible person, not only a body",
        _PUBLISHED_CRITERIA,
    ),
    Rule(
        "NP_PRIORITY",
        "error",
        "every national project serves at least one National Priority",
        "published: 'each national project should be aimed at implementing a National Priority' "
        "(K. Kelimbetov, primeminister.kz, 2021)",
    ),
    Rule(
        "DOC_ORPHAN",
        "error",
        "no orphan documents: every level-2/3 document and national project implements a "
        "document of the plan",
        "published hierarchy (level 1 sets goals that level 2/3 documents implement; "
        "primeminister.kz, 2021); the test is terraplan's",
    ),
    Rule(
        "DOC_LEVEL",
        "warning",
        "a document implements a document of a higher level (level 1 above 2 above 3)",
        "published hierarchy (levels 1-3 of the State Planning System); the test is terraplan's",
    ),
    Rule(
        "DOC_STATUS",
        "warning",
        "a document in force (or a draft) implements a document that is repealed, expired or "
        "superseded",
        "terraplan (suggested by the research notes, section 6.3: e.g. the State Program of "
        "Regional Development 2020-2025 was repealed in 2022)",
    ),
    Rule(
        "DOC_PERIOD",
        "error",
        "a child's period lies inside its parent's period",
        "terraplan (suggested by the research notes, section 6.3)",
    ),
    Rule(
        "IND_UNUSED",
        "warning",
        "no orphan indicators: every indicator passport is used by a document or project",
        "terraplan",
    ),
    Rule(
        "TARGET_PERIOD",
        "error",
        "every target year lies inside the period of each document that uses the indicator",
        "terraplan (suggested by the research notes, section 6.3)",
    ),
    Rule(
        "TARGET_DIRECTION",
        "warning",
        "a target is not worse than the baseline, given the indicator's polarity",
        "terraplan (suggested by the research notes, section 6.3)",
    ),
    Rule(
        "TARGET_ROLLUP",
        "error",
        "regional targets add up to the national target by the declared rule (sum, mean, "
        "population-weighted mean), within the tolerance",
        "published practice: targets broken down by region (Strategic Map 2018); the test and "
        "the tolerance are terraplan's",
    ),
    Rule(
        "TARGET_ROLLUP_INCOMPLETE",
        "warning",
        "the roll-up of a year cannot be checked: regions in force are missing, there is no "
        "national target, or no population weight",
        "terraplan",
    ),
    Rule(
        "REGION_PERIOD",
        "error",
        "a region is used only in years it exists (e.g. South Kazakhstan, KZ-YUZ, ends in "
        "2017); a project region that exists for part of the period is a warning",
        "published boundary changes of 2018 and 2022 (region registry)",
    ),
    Rule(
        "BUDGET_AGENCY_ONLY",
        "error",
        "money is keyed to a National Priority or a national project, never to an agency alone",
        "published principle: budget limits follow priorities and national projects rather than "
        "agencies (stated in the brief; not found verbatim in the research notes)",
    ),
    Rule(
        "BUDGET_PROJECT_PRIORITY",
        "error",
        "an allocation keyed to a project and a priority names a priority the project serves",
        "terraplan",
    ),
    Rule(
        "BUDGET_TOTAL",
        "error",
        "allocations of a year add up to the declared total of the year (within the money "
        "tolerance)",
        "terraplan",
    ),
    Rule(
        "BUDGET_LIMIT",
        "error",
        "allocations to a priority or project in a year add up to its declared limit (within "
        "the money tolerance)",
        "terraplan",
    ),
    Rule(
        "BUDGET_UNATTRIBUTED",
        "warning",
        "an allocation to a project serving several priorities names none, so it counts toward "
        "no priority limit",
        "terraplan",
    ),
)

_SEVERITY = {r.id: r.severity for r in RULES}


def check_rules() -> pd.DataFrame:
    """The rules :func:`check_plan` applies: ``id, severity, title, basis``.

    >>> rules = check_rules()
    >>> rules.loc[rules["id"] == "NP_PRIORITY", "severity"].item()
    'error'
    """
    return pd.DataFrame([vars(r) for r in RULES], columns=["id", "severity", "title", "basis"])


def _found(
    rule: str,
    element: pd.Series,
    message: pd.Series | list[str],
    fix: str | pd.Series | list[str],
    severity: pd.Series | list[str] | None = None,
) -> pd.DataFrame:
    n = len(element)
    return pd.DataFrame(
        {
            "id": [rule] * n,
            "severity": list(severity) if severity is not None else [_SEVERITY[rule]] * n,
            "element": list(element),
            "message": list(message),
            "fix": [fix] * n if isinstance(fix, str) else list(fix),
        },
        columns=FINDING_COLUMNS,
    )


def _fmt(value: float) -> str:
    return f"{value:,.6g}"


# ---------------------------------------------------------------- the seven criteria


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
    return _found("NP_GOAL", bad["path"], message, fix)


def _np_relevance(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    missing = p[p["relevance"] == ""]
    out = [
        _found(
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
        _found(
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
            _found(
                "NP_COMPLETION_DATE",
                missing["path"],
                "national project '" + missing["id"] + "' has no completion date",
                "add 'completion_date: YYYY-MM-DD' inside the project's period",
            ),
            _found(
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
    return _found(
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
            _found(
                "NP_ACHIEVABLE",
                no_cost["path"],
                "national project '" + no_cost["id"] + "' declares no estimated cost, so "
                "achievability cannot be judged",
                f"add 'estimated_cost:' in {unit}",
            ),
            _found(
                "NP_ACHIEVABLE",
                short["path"],
                [
                    f"national project '{i}': resources for {s}-{e} ({_fmt(a)} {unit}) do not "
                    f"cover the estimated cost ({_fmt(c)} {unit}); shortfall {_fmt(c - a)} {unit}"
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
            _found(
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
    return _found(
        "NP_PERSON_CENTRED",
        bad["path"],
        "national project '" + bad["id"] + "' does not state its person-centred " + lacks,
        "add 'beneficiaries:' (who gains) and 'person_centred:' (how their lives change)",
    )


def _np_responsibility(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    bad = p[p["person"] == ""]
    who = np.where(bad["body"] == "", "no one", "only a body ('" + bad["body"] + "')")
    return _found(
        "NP_RESPONSIBILITY",
        bad["path"],
        "national project '" + bad["id"] + "' names " + who + " as responsible, not a person",
        "add 'responsible: {person: <full name>, position: <post>}' beside the body",
    )


def _np_priority(t: PlanTables, plan: Plan) -> pd.DataFrame:
    p = t.projects
    bad = p[~p["id"].isin(t.project_priorities["project"])]
    return _found(
        "NP_PRIORITY",
        bad["path"],
        "national project '" + bad["id"] + "' serves no National Priority",
        "add 'priorities: [<priority id>]' naming the National Priority it implements",
    )


# ---------------------------------------------------------------- the document hierarchy


def _doc_orphan(t: PlanTables, plan: Plan) -> pd.DataFrame:
    d = t.documents
    bad = d[(d["level"] >= 2) & ~d["id"].isin(t.links["child"])]
    return _found(
        "DOC_ORPHAN",
        bad["path"],
        bad["kind"]
        + " '"
        + bad["id"]
        + "' (level "
        + bad["level"].astype(str)
        + ") implements no document of the plan",
        "add 'implements: [<parent document id>]' naming the document it implements",
    )


def _links(t: PlanTables) -> pd.DataFrame:
    d = t.documents[["id", "kind", "level", "start", "end"]]
    return t.links.merge(d.add_prefix("c_"), left_on="child", right_on="c_id").merge(
        d.add_prefix("p_"), left_on="parent", right_on="p_id"
    )


def _doc_level(t: PlanTables, plan: Plan) -> pd.DataFrame:
    k = _links(t)
    bad = k[k["p_level"] >= k["c_level"]]
    return _found(
        "DOC_LEVEL",
        bad["path"],
        bad["c_kind"]
        + " '"
        + bad["child"]
        + "' (level "
        + bad["c_level"].astype(str)
        + ") implements '"
        + bad["parent"]
        + "' of level "
        + bad["p_level"].astype(str)
        + ", not a higher level",
        "link it to a document of a higher level, or correct the levels",
    )


def _doc_status(t: PlanTables, plan: Plan) -> pd.DataFrame:
    d = t.documents[["id", "status"]]
    k = _links(t).merge(d.add_prefix("c_"), on="c_id").merge(d.add_prefix("p_"), on="p_id")
    live = k["c_status"].isin(["in_force", "draft"])
    dead = k["p_status"].isin(["repealed", "expired", "superseded"])
    bad = k[live & dead]
    return _found(
        "DOC_STATUS",
        bad["path"],
        bad["c_kind"]
        + " '"
        + bad["child"]
        + "' ("
        + bad["c_status"].str.replace("_", " ")
        + ") implements '"
        + bad["parent"]
        + "', which is "
        + bad["p_status"],
        "link it to the document that replaced the parent, or update the statuses",
    )


def _doc_period(t: PlanTables, plan: Plan) -> pd.DataFrame:
    k = _links(t)
    bad = k[(k["c_start"] < k["p_start"]) | (k["c_end"] > k["p_end"])]
    return _found(
        "DOC_PERIOD",
        bad["path"],
        bad["c_kind"]
        + " '"
        + bad["child"]
        + "' runs "
        + bad["c_start"].astype(str)
        + "-"
        + bad["c_end"].astype(str)
        + ", outside the period of '"
        + bad["parent"]
        + "' ("
        + bad["p_start"].astype(str)
        + "-"
        + bad["p_end"].astype(str)
        + ")",
        "shorten the child's period or link it to a parent whose period covers it",
    )


# ---------------------------------------------------------------- indicators and targets


def _ind_unused(t: PlanTables, plan: Plan) -> pd.DataFrame:
    bad = t.indicators[~t.indicators["id"].isin(t.owners["indicator"])]
    return _found(
        "IND_UNUSED",
        bad["path"],
        "indicator '" + bad["id"] + "' is used by no document or national project",
        "list it under 'indicators:' of the document or project it measures, or remove it",
    )


def _target_period(t: PlanTables, plan: Plan) -> pd.DataFrame:
    d = t.documents[["id", "start", "end"]].rename(columns={"id": "owner"})
    k = t.targets.merge(t.owners[["indicator", "owner"]], on="indicator").merge(d, on="owner")
    bad = k[(k["year"] < k["start"]) | (k["year"] > k["end"])]
    return _found(
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
    return _found(
        "TARGET_DIRECTION",
        bad["path"],
        [
            f"{w} target of '{i}' for {y} ({_fmt(v)}) is worse than the baseline of {by} "
            f"({_fmt(b)}): the indicator is {pol.replace('_', ' ')}"
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
            _found(
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
            _found(
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
    return _found(
        "TARGET_ROLLUP",
        bad["path"],
        [
            f"regional targets of '{i}' for {y} roll up ({r}"
            + (f", population of {wy}" if r.startswith("population") else "")
            + f") to {_fmt(x)}, but the national target is {_fmt(v)} "
            f"(difference {_fmt(x - v)}, tolerance {_fmt(tl)})"
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
    return _found(
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


# ---------------------------------------------------------------- budget


def _budget_agency_only(t: PlanTables, plan: Plan) -> pd.DataFrame:
    a = t.allocations
    bad = a[(a["priority"] == "") & (a["national_project"] == "")]
    keyed = np.where(
        bad["agency"] == "", "to nothing", "only to the agency '" + bad["agency"] + "'"
    )
    return _found(
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
    return _found(
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
    return _found(
        "BUDGET_TOTAL",
        "budget.totals[" + bad["year"].astype(str) + "]",
        [
            f"allocations of {y} add up to {_fmt(s)} {unit}, the declared total is "
            f"{_fmt(d)} {unit} (difference {_fmt(s - d)})"
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
    return _found(
        "BUDGET_LIMIT",
        lim.loc[bad, "path"],
        [
            f"allocations to {k} '{x}' in {y} add up to {_fmt(s)} {unit}, the declared limit "
            f"is {_fmt(d)} {unit} (difference {_fmt(s - d)})"
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
    return _found(
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


_Check = Callable[[PlanTables, Plan], pd.DataFrame]

_CHECKS: dict[str, _Check] = {
    "NP_GOAL": _np_goal,
    "NP_RELEVANCE": _np_relevance,
    "NP_COMPLETION_DATE": _np_completion,
    "NP_MEASURABLE": _np_measurable,
    "NP_ACHIEVABLE": _np_achievable,
    "NP_PERSON_CENTRED": _np_person_centred,
    "NP_RESPONSIBILITY": _np_responsibility,
    "NP_PRIORITY": _np_priority,
    "DOC_ORPHAN": _doc_orphan,
    "DOC_LEVEL": _doc_level,
    "DOC_STATUS": _doc_status,
    "DOC_PERIOD": _doc_period,
    "IND_UNUSED": _ind_unused,
    "TARGET_PERIOD": _target_period,
    "TARGET_DIRECTION": _target_direction,
    "REGION_PERIOD": _region_period,
    "BUDGET_AGENCY_ONLY": _budget_agency_only,
    "BUDGET_PROJECT_PRIORITY": _budget_project_priority,
    "BUDGET_TOTAL": _budget_total,
    "BUDGET_LIMIT": _budget_limit,
    "BUDGET_UNATTRIBUTED": _budget_unattributed,
}


def check_plan(plan: Plan, *, population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Run every rule on ``plan``; return the findings (``id, severity, element, message, fix``).

    Errors come first, then warnings; within a severity, rows follow the rule order of
    :data:`RULES` and the element path. ``population`` is a tidy panel holding the indicator
    ``population`` for the population-weighted roll-up (default: the bundled statistics; a
    target year after the last population year uses the last year). ``attrs`` record the
    plan file, the rules applied, the tolerances and the number of errors and warnings.

    >>> from terraplan.plan.model import parse_plan
    >>> check_plan(parse_plan("title: empty")).empty
    True
    """
    tables = plan_tables(plan)
    frames = [check(tables, plan) for check in _CHECKS.values()]
    done, todo = _rollup(tables, plan, population)
    frames += [_target_rollup(done, plan), _target_rollup_incomplete(todo)]
    found = pd.concat(frames, ignore_index=True)
    order = {r.id: i for i, r in enumerate(RULES)}
    found = (
        found.assign(_s=found["severity"].map(SEVERITIES.index), _r=found["id"].map(order))
        .sort_values(["_s", "_r", "element", "message"], kind="stable")
        .drop(columns=["_s", "_r"])
        .reset_index(drop=True)
    )
    found = found.astype(str)
    found.attrs = {
        "method": "terraplan plan checks",
        "plan": plan.source_file,
        "rules": [r.id for r in RULES],
        "tolerances": plan.tolerances.model_dump(),
        "errors": int((found["severity"] == "error").sum()),
        "warnings": int((found["severity"] == "warning").sum()),
    }
    return found
