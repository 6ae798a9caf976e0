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

import pandas as pd

from terraplan.plan import budget, criteria, hierarchy, targets
from terraplan.plan.model import Plan
from terraplan.plan.rules import FINDING_COLUMNS, RULES, SEVERITIES, Check, check_rules
from terraplan.plan.tables import plan_tables
from terraplan.plan.targets import rollup_findings

__all__ = ["FINDING_COLUMNS", "RULES", "check_plan", "check_rules"]

#: rule id -> check, for every rule but the two roll-up rules
CHECKS: dict[str, Check] = {
    **criteria.CHECKS,
    **hierarchy.CHECKS,
    **targets.CHECKS,
    **budget.CHECKS,
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
    frames = [check(tables, plan) for check in CHECKS.values()]
    frames.append(rollup_findings(tables, plan, population))
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
