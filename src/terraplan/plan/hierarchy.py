"""Checks of the links between documents: orphans, levels, statuses, periods, unused indicators.

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.tables import plan_tables
>>> plan = parse_plan("documents: [{id: c, title: C, level: 2, type: Concept, "
...                   "approver: Government, period: {start: 2023, end: 2027}}]")
>>> CHECKS["DOC_ORPHAN"](plan_tables(plan), plan)["element"].item()
'documents[0]'
"""

from __future__ import annotations

import pandas as pd

from terraplan.plan.model import Plan
from terraplan.plan.rules import Check, finding_rows
from terraplan.plan.tables import PlanTables


def _doc_orphan(t: PlanTables, plan: Plan) -> pd.DataFrame:
    d = t.documents
    bad = d[(d["level"] >= 2) & ~d["id"].isin(t.links["child"])]
    return finding_rows(
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
    return finding_rows(
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
    return finding_rows(
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
    return finding_rows(
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
    return finding_rows(
        "IND_UNUSED",
        bad["path"],
        "indicator '" + bad["id"] + "' is used by no document or national project",
        "list it under 'indicators:' of the document or project it measures, or remove it",
    )


#: rule id -> check
CHECKS: dict[str, Check] = {
    "DOC_ORPHAN": _doc_orphan,
    "DOC_LEVEL": _doc_level,
    "DOC_STATUS": _doc_status,
    "DOC_PERIOD": _doc_period,
    "IND_UNUSED": _ind_unused,
}
