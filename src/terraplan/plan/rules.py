"""The rules of the plan checks: ids, severities, what each asks and where it comes from.

The checks themselves live in :mod:`~terraplan.plan.criteria` (the seven criteria of national
projects), :mod:`~terraplan.plan.hierarchy` (links between documents),
:mod:`~terraplan.plan.targets` (targets and regions) and :mod:`~terraplan.plan.budget`;
:func:`~terraplan.plan.checks.check_plan` runs them all.

Example
-------
>>> from terraplan.plan.rules import RULES
>>> [r.id for r in RULES][:3]
['NP_GOAL', 'NP_RELEVANCE', 'NP_COMPLETION_DATE']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from terraplan.plan.model import Plan
from terraplan.plan.tables import PlanTables

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

#: A check: the plan's tables and the plan in, finding rows out.
Check = Callable[[PlanTables, Plan], pd.DataFrame]


def check_rules() -> pd.DataFrame:
    """The rules :func:`~terraplan.plan.checks.check_plan` applies: ``id, severity, title, basis``.

    >>> rules = check_rules()
    >>> rules.loc[rules["id"] == "NP_PRIORITY", "severity"].item()
    'error'
    """
    return pd.DataFrame([vars(r) for r in RULES], columns=["id", "severity", "title", "basis"])


def finding_rows(
    rule: str,
    element: pd.Series | list[str],
    message: pd.Series | list[str],
    fix: str | pd.Series | list[str],
    severity: pd.Series | list[str] | None = None,
) -> pd.DataFrame:
    """Findings of one rule as rows (``id, severity, element, message, fix``).

    ``fix`` may be one text for all rows; ``severity`` defaults to the rule's.

    >>> rows = finding_rows("NP_PRIORITY", ["national_projects[0]"], ["serves none"], "add one")
    >>> rows["severity"].item()
    'error'
    """
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


def number(value: float) -> str:
    """A number as messages show it: six significant digits, thousands separated.

    >>> number(7586.0), number(4.568588)
    ('7,586', '4.56859')
    """
    return f"{value:,.6g}"
