"""A validated plan as flat tables, the form the checks and the monitor compute on.

Every row keeps ``path``, the element path in the plan file, so that a finding can point at it.
National targets are rows of region ``KZ``.

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> from terraplan.plan.tables import plan_tables
>>> plan = parse_plan('''
... indicators:
...   - {id: u, name: Unemployment, unit: "%", polarity: negative,
...      baseline: {year: 2022, value: 4.9}, targets: {2025: 4.5}}
... ''')
>>> plan_tables(plan).targets[["indicator", "region", "year", "value", "baseline"]]
  indicator region  year  value  baseline
0         u     KZ  2025    4.5       4.9
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from terraplan.data.panel import NATIONAL
from terraplan.plan.model import Plan, element_path
from terraplan.territory.registry import layouts

#: Level of a national project in the State Planning System (a level-2 document).
NATIONAL_PROJECT_LEVEL = 2


@dataclass(frozen=True)
class PlanTables:
    """The plan's elements as DataFrames (one row per element, with its ``path``).

    >>> from terraplan.plan.model import Plan
    >>> plan_tables(Plan()).projects.empty
    True
    """

    documents: pd.DataFrame  # documents and national projects: id, kind, level, period, path
    links: pd.DataFrame  # child, parent, path (one row per 'implements' entry)
    priorities: pd.DataFrame
    projects: pd.DataFrame
    project_priorities: pd.DataFrame
    project_regions: pd.DataFrame
    resources: pd.DataFrame
    indicators: pd.DataFrame
    owners: pd.DataFrame  # indicator, owner, path
    targets: pd.DataFrame  # indicator, region, year, value, baseline, path
    allocations: pd.DataFrame
    limits: pd.DataFrame
    totals: pd.DataFrame


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def plan_tables(plan: Plan) -> PlanTables:
    """Flatten ``plan`` into :class:`PlanTables` (pure; the plan is not changed)."""
    docs = [
        {
            "id": d.id,
            "kind": "document",
            "title": d.title,
            "level": d.level,
            "start": d.period.start,
            "end": d.period.end,
            "status": d.status,
            "path": element_path(("documents", i)),
        }
        for i, d in enumerate(plan.documents)
    ] + [
        {
            "id": n.id,
            "kind": "national project",
            "title": n.title,
            "level": NATIONAL_PROJECT_LEVEL,
            "start": n.period.start,
            "end": n.period.end,
            "status": n.status,
            "path": element_path(("national_projects", i)),
        }
        for i, n in enumerate(plan.national_projects)
    ]
    sections = [("documents", d) for d in plan.documents] + [
        ("national_projects", n) for n in plan.national_projects
    ]
    index = {"documents": 0, "national_projects": 0}
    links, owners = [], []
    for section, item in sections:
        i = index[section]
        index[section] += 1
        links += [
            {"child": item.id, "parent": p, "path": element_path((section, i, "implements", j))}
            for j, p in enumerate(item.implements)
        ]
        owners += [
            {"indicator": k, "owner": item.id, "path": element_path((section, i, "indicators", j))}
            for j, k in enumerate(item.indicators)
        ]
    priorities = [
        {
            "id": p.id,
            "name": p.name,
            "start": p.period.start if p.period else pd.NA,
            "end": p.period.end if p.period else pd.NA,
            "path": element_path(("priorities", i)),
        }
        for i, p in enumerate(plan.priorities)
    ]
    projects, project_priorities, project_regions, resources = [], [], [], []
    for i, n in enumerate(plan.national_projects):
        path = element_path(("national_projects", i))
        projects.append(
            {
                "id": n.id,
                "title": n.title,
                "goal": n.goal or "",
                "relevance": n.relevance or "",
                "start": n.period.start,
                "end": n.period.end,
                "completion_year": n.completion_date.year if n.completion_date else pd.NA,
                "completion_date": n.completion_date.isoformat() if n.completion_date else "",
                "estimated_cost": n.estimated_cost,
                "body": (n.responsible.body if n.responsible else None) or "",
                "person": (n.responsible.person if n.responsible else None) or "",
                "beneficiaries": n.beneficiaries or "",
                "person_centred": n.person_centred or "",
                "path": path,
            }
        )
        project_priorities += [
            {"project": n.id, "priority": p, "path": f"{path}.priorities[{j}]"}
            for j, p in enumerate(n.priorities)
        ]
        explicit = [] if n.regions == "all" else n.regions  # 'all' is valid in any period
        project_regions += [
            {
                "project": n.id,
                "region": code,
                "start": n.period.start,
                "end": n.period.end,
                "path": f"{path}.regions[{j}]",
            }
            for j, code in enumerate(explicit)
        ]
        resources += [
            {
                "project": n.id,
                "source": r.source,
                "amount": r.amount,
                "year": r.year if r.year is not None else pd.NA,
                "path": f"{path}.resources[{j}]",
            }
            for j, r in enumerate(n.resources)
        ]
    indicators, targets = [], []
    for i, ind in enumerate(plan.indicators):
        path = element_path(("indicators", i))
        base_year = ind.baseline.year if ind.baseline else pd.NA
        base_value = ind.baseline.value if ind.baseline else float("nan")
        indicators.append(
            {
                "id": ind.id,
                "name": ind.name,
                "unit": ind.unit,
                "polarity": ind.polarity,
                "baseline_year": base_year,
                "baseline_value": base_value,
                "aggregation": ind.aggregation,
                "tolerance": ind.tolerance if ind.tolerance is not None else float("nan"),
                "panel_indicator": ind.panel_indicator or ind.id,
                "panel_sector": ind.panel_sector,
                "illustrative": ind.illustrative,
                "path": path,
            }
        )
        targets += [
            {
                "indicator": ind.id,
                "region": NATIONAL,
                "year": year,
                "value": value,
                "baseline": base_value,
                "path": f"{path}.targets[{year}]",
            }
            for year, value in sorted(ind.targets.items())
        ]
        targets += [
            {
                "indicator": ind.id,
                "region": rt.region,
                "year": year,
                "value": value,
                "baseline": rt.baseline if rt.baseline is not None else float("nan"),
                "path": f"{path}.regional_targets[{j}].targets[{year}]",
            }
            for j, rt in enumerate(ind.regional_targets)
            for year, value in sorted(rt.targets.items())
        ]
    budget_rows = {
        name: [
            {
                "year": x.year,
                "amount": x.amount,
                "priority": x.priority or "",
                "national_project": x.national_project or "",
                "agency": getattr(x, "agency", None) or "",
                "path": element_path(("budget", name, j)),
            }
            for j, x in enumerate(getattr(plan.budget, name))
        ]
        for name in ("allocations", "limits")
    }
    budget_columns = ["year", "amount", "priority", "national_project", "agency", "path"]
    return PlanTables(
        documents=_frame(docs, ["id", "kind", "title", "level", "start", "end", "status", "path"]),
        links=_frame(links, ["child", "parent", "path"]),
        priorities=_frame(priorities, ["id", "name", "start", "end", "path"]),
        projects=_frame(
            projects,
            [
                "id",
                "title",
                "goal",
                "relevance",
                "start",
                "end",
                "completion_year",
                "completion_date",
                "estimated_cost",
                "body",
                "person",
                "beneficiaries",
                "person_centred",
                "path",
            ],
        ),
        project_priorities=_frame(project_priorities, ["project", "priority", "path"]),
        project_regions=_frame(project_regions, ["project", "region", "start", "end", "path"]),
        resources=_frame(resources, ["project", "source", "amount", "year", "path"]),
        indicators=_frame(
            indicators,
            [
                "id",
                "name",
                "unit",
                "polarity",
                "baseline_year",
                "baseline_value",
                "aggregation",
                "tolerance",
                "panel_indicator",
                "panel_sector",
                "illustrative",
                "path",
            ],
        ),
        owners=_frame(owners, ["indicator", "owner", "path"]),
        targets=_frame(targets, ["indicator", "region", "year", "value", "baseline", "path"]),
        allocations=_frame(budget_rows["allocations"], budget_columns),
        limits=_frame(budget_rows["limits"], budget_columns),
        totals=_frame(
            [{"year": y, "amount": a} for y, a in sorted(plan.budget.totals.items())],
            ["year", "amount"],
        ),
    )


def regions_in_force() -> pd.DataFrame:
    """One row per (region, first_year, last_year) span a region is a unit of a layout.

    ``last_year`` is 9999 for the current layout.

    >>> spans = regions_in_force()
    >>> spans[spans["region"] == "KZ-YUZ"][["first_year", "last_year"]].values.tolist()
    [[1997, 2017]]
    """
    return _spans().copy()


@cache
def _spans() -> pd.DataFrame:
    table = layouts().reset_index()
    table["last_year"] = table["last_year"].fillna(9999).astype(int)
    spans = table.explode("units").rename(columns={"units": "region"})
    spans = spans.groupby("region", as_index=False).agg(
        first_year=("first_year", "min"), last_year=("last_year", "max")
    )
    return spans.sort_values("region", ignore_index=True)
