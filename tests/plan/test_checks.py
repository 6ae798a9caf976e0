"""The checks: every rule has a plan that triggers it and passes on the clean plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_helpers import EXAMPLE, FIXTURES, build, clean_data, uniform_population

from terraplan.plan.checks import FINDING_COLUMNS, RULES, check_plan, check_rules
from terraplan.plan.model import load_plan

# indices in clean.yaml: national_projects 0 = proj-a, 1 = proj-b; indicators 0 = jobs (sum),
# 1 = water (mean), 2 = unemployment (population-weighted mean); documents 1 = tdp,
# 2 = concept, 3 = oblast-plan; budget allocations 0 = proj-a, 1 = proj-b.


def _set(path: str, value) -> Callable[[dict], None]:
    def apply(data: dict) -> None:
        *head, last = path.split(".")
        node = data
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return apply


_DELETE = object()

#: rule id -> (what breaks it, element the finding names)
BREAKS: dict[str, list[tuple[Callable[[dict], None], str]]] = {
    "NP_GOAL": [
        (_set("national_projects.0.goal", "Jobs"), "national_projects[0]"),
        (_set("national_projects.0.goal", "Jobs in every region."), "national_projects[0]"),
        (_set("national_projects.0.goal", _DELETE), "national_projects[0]"),
    ],
    "NP_RELEVANCE": [
        (_set("national_projects.0.relevance", _DELETE), "national_projects[0]"),
        # P1 ends in 2023, proj-a (serving only P1) in 2025
        (_set("priorities.0.period.end", 2023), "national_projects[0]"),
    ],
    "NP_COMPLETION_DATE": [
        (
            _set("national_projects.0.completion_date", dt.date(2027, 1, 1)),
            "national_projects[0].completion_date",
        ),
        (_set("national_projects.0.completion_date", _DELETE), "national_projects[0]"),
    ],
    "NP_MEASURABLE": [
        (_set("indicators.0.baseline", _DELETE), "national_projects[0]"),
        (_set("national_projects.0.indicators", []), "national_projects[0]"),
    ],
    "NP_ACHIEVABLE": [
        # resources 60 + 40 = 100 < 150 * (1 - 0.01)
        (_set("national_projects.0.estimated_cost", 150), "national_projects[0]"),
        (_set("national_projects.0.estimated_cost", _DELETE), "national_projects[0]"),
        # the republican 60 dated 2030 falls outside 2021-2025: a warning, and 40 < 100
        (_set("national_projects.0.resources.0.year", 2030), "national_projects[0].resources[0]"),
    ],
    "NP_PERSON_CENTRED": [
        (_set("national_projects.0.beneficiaries", _DELETE), "national_projects[0]"),
        (_set("national_projects.0.person_centred", _DELETE), "national_projects[0]"),
    ],
    "NP_RESPONSIBILITY": [
        (_set("national_projects.0.responsible", {"body": "Ministry"}), "national_projects[0]"),
        (_set("national_projects.0.responsible", _DELETE), "national_projects[0]"),
    ],
    "NP_PRIORITY": [(_set("national_projects.1.priorities", []), "national_projects[1]")],
    "DOC_ORPHAN": [
        (_set("documents.2.implements", []), "documents[2]"),
        (_set("national_projects.0.implements", []), "national_projects[0]"),
    ],
    "DOC_LEVEL": [(_set("documents.3.level", 2), "documents[3].implements[0]")],
    "DOC_STATUS": [
        (_set("documents.2.status", "repealed"), "documents[3].implements[0]"),
        (_set("documents.0.status", "superseded"), "national_projects[0].implements[0]"),
    ],
    "DOC_PERIOD": [(_set("documents.3.period.end", 2027), "documents[3].implements[0]")],
    "IND_UNUSED": [(_set("documents.1.indicators", []), "indicators[2]")],
    "TARGET_PERIOD": [
        (_set("indicators.0.targets.2026", 210), "indicators[0].targets[2026]"),
        (
            _set("indicators.0.regional_targets.0.targets.2026", 10),
            "indicators[0].regional_targets[0].targets[2026]",
        ),
    ],
    "TARGET_DIRECTION": [
        (_set("indicators.1.targets.2023", 85), "indicators[1].targets[2023]"),
        (
            _set("indicators.1.regional_targets.0.baseline", 99),
            "indicators[1].regional_targets[0].targets[2024]",
        ),
    ],
    "TARGET_ROLLUP": [
        (_set("indicators.0.regional_targets.0.targets.2025", 30), "indicators[0].targets[2025]"),
        (_set("indicators.1.targets.2024", 96), "indicators[1].targets[2024]"),
    ],
    "TARGET_ROLLUP_INCOMPLETE": [
        (_set("indicators.0.regional_targets.19", _DELETE), "indicators[0].regional_targets"),
        (_set("indicators.0.regional_targets.0.targets.2024", 8), "indicators[0].regional_targets"),
    ],
    "REGION_PERIOD": [
        (
            lambda d: d["indicators"][1]["regional_targets"].append(
                {"region": "South Kazakhstan", "targets": {2024: 95}}
            ),
            "indicators[1].regional_targets[20].targets[2024]",
        ),
        (
            lambda d: d["national_projects"][0]["regions"].append("South Kazakhstan"),
            "national_projects[0].regions[6]",
        ),
        (
            lambda d: d["national_projects"][0]["regions"].append("Abai"),
            "national_projects[0].regions[6]",
        ),
    ],
    "BUDGET_AGENCY_ONLY": [
        (_set("budget.allocations.0.national_project", _DELETE), "budget.allocations[0]"),
    ],
    "BUDGET_PROJECT_PRIORITY": [
        (_set("budget.allocations.0.priority", "P2"), "budget.allocations[0]"),
    ],
    "BUDGET_TOTAL": [(_set("budget.totals.2022", 120), "budget.totals[2022]")],
    "BUDGET_LIMIT": [
        (_set("budget.limits.0.amount", 70), "budget.limits[0]"),
        (_set("budget.limits.1.amount", 30), "budget.limits[1]"),
    ],
    "BUDGET_UNATTRIBUTED": [
        (_set("budget.allocations.1.priority", _DELETE), "budget.allocations[1]"),
    ],
}

CASES = [(rule, i) for rule, breaks in BREAKS.items() for i in range(len(breaks))]


def test_every_rule_has_a_break():
    assert sorted(BREAKS) == sorted(r.id for r in RULES)
    assert list(check_rules()["id"]) == [r.id for r in RULES]


def test_clean_plan_has_no_finding():
    found = check_plan(load_plan(FIXTURES / "clean.yaml"))
    assert list(found.columns) == FINDING_COLUMNS
    assert found.empty
    assert found.attrs["errors"] == 0 and found.attrs["warnings"] == 0


@pytest.fixture(scope="module")
def clean_findings():
    return check_plan(load_plan(FIXTURES / "clean.yaml"))


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_passes_on_the_clean_plan(clean_findings, rule):
    assert rule not in set(clean_findings["id"])


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_rule_is_triggered(clean, rule, case):
    breaks, element = BREAKS[rule][case]
    breaks(clean)
    found = check_plan(build(clean))
    hits = found[found["id"] == rule]
    assert element in set(hits["element"]), found.to_string()
    assert (hits["message"].str.len() > 20).all() and (hits["fix"].str.len() > 10).all()


def test_broken_copy_triggers_every_rule():
    found = check_plan(load_plan(FIXTURES / "broken.yaml"))
    assert set(found["id"]) == {r.id for r in RULES}
    assert found.attrs["errors"] == int((found["severity"] == "error").sum()) > 0


def test_findings_sorted_errors_first():
    found = check_plan(load_plan(FIXTURES / "broken.yaml"))
    severity = found["severity"].tolist()
    assert severity == sorted(severity, key=("error", "warning").index)


def test_rollup_sum_known_answer(clean):
    # 19 regions at 10 and Abai at 30 add up to 220, against the national 200
    clean["indicators"][0]["regional_targets"][0]["targets"][2025] = 30
    found = check_plan(build(clean))
    [message] = found.loc[found["id"] == "TARGET_ROLLUP", "message"]
    assert (
        "roll up (sum) to 220, but the national target is 200 (difference 20, tolerance 1)"
        in message
    )


def test_rollup_mean_known_answer(clean):
    # 10 regions at 94 and 10 at 96: mean 95, within 0.5% of a national 95.4 (tolerance 0.477)
    clean["indicators"][1]["targets"][2024] = 95.4
    assert "TARGET_ROLLUP" not in set(check_plan(build(clean))["id"])
    clean["indicators"][1]["targets"][2024] = 95.5
    found = check_plan(build(clean))
    [message] = found.loc[found["id"] == "TARGET_ROLLUP", "message"]
    assert "roll up (mean) to 95, but the national target is 95.5" in message


def test_rollup_population_weighted_known_answer(clean):
    # weights 1 everywhere, 2 for Almaty city (KZ-75, entry 18): (19 * 4.5 + 2 * 6.6) / 21 = 4.7
    clean["indicators"][2]["regional_targets"][18]["targets"][2025] = 6.6
    population = uniform_population(2020, heavy="KZ-75")
    found = check_plan(build(clean), population=population)
    [message] = found.loc[found["id"] == "TARGET_ROLLUP", "message"]
    # the 2025 target is weighted with the last population year given, 2020
    assert "(population weighted mean, population of 2020) to 4.7, but the national" in message
    # with equal weights the weighted mean is the plain mean: 4.5 + 2.1 / 20 = 4.605
    found = check_plan(build(clean), population=uniform_population(2020))
    [message] = found.loc[found["id"] == "TARGET_ROLLUP", "message"]
    assert "to 4.605," in message


def test_rollup_population_weighted_uniform_targets_pass_with_bundled_population(clean):
    # all regions at 4.5: any positive weights give 4.5, the national target
    found = check_plan(build(clean))
    assert found.empty


def test_rollup_missing_population_weight(clean):
    population = uniform_population(2020)
    population = population[population["region"] != "KZ-62"]
    found = check_plan(build(clean), population=population)
    [message] = found.loc[found["id"] == "TARGET_ROLLUP_INCOMPLETE", "message"]
    assert "no population weight for KZ-62" in message


def test_rollup_tolerance_is_declared_per_indicator(clean):
    clean["indicators"][0]["regional_targets"][0]["targets"][2025] = 30  # sum 220 vs 200
    clean["indicators"][0]["tolerance"] = 20
    assert "TARGET_ROLLUP" not in set(check_plan(build(clean))["id"])


def test_region_period_severity(clean):
    clean["national_projects"][0]["regions"] += ["South Kazakhstan", "Abai"]
    found = check_plan(build(clean)).set_index("element")
    # South Kazakhstan ends in 2017, before 2021-2025: error; Abai exists from 2022: warning
    assert found.loc["national_projects[0].regions[6]", "severity"] == "error"
    assert found.loc["national_projects[0].regions[7]", "severity"] == "warning"
    assert "exists only in 2022-today" in found.loc["national_projects[0].regions[7]", "message"]


def test_budget_limit_counts_a_projects_only_priority(clean):
    # proj-a (priority P1 only) gets 60 without naming P1: the P1 limit of 60 is met; raising
    # the allocation to 65 breaks both the P1 limit and the year total of 100
    clean["budget"]["allocations"][0]["amount"] = 65
    found = check_plan(build(clean))
    assert set(found["id"]) == {"BUDGET_LIMIT", "BUDGET_TOTAL"}
    [limit] = found.loc[found["id"] == "BUDGET_LIMIT", "message"]
    assert "priority 'P1' in 2022 add up to 65 bn KZT, the declared limit is 60 bn KZT" in limit


def test_example_findings_are_the_gaps_in_the_published_facts():
    found = check_plan(load_plan(EXAMPLE))
    pairs = set(zip(found["id"], found["element"], strict=True))
    # strong-regions (national_projects[0]): no published indicator passport, beneficiaries or
    # named person; green-kazakhstan ([1]): no published priority link, relevance, resources
    # split, beneficiaries or named person
    assert pairs == {
        ("NP_MEASURABLE", "national_projects[0]"),
        ("NP_PERSON_CENTRED", "national_projects[0]"),
        ("NP_RESPONSIBILITY", "national_projects[0]"),
        ("NP_RELEVANCE", "national_projects[1]"),
        ("NP_ACHIEVABLE", "national_projects[1]"),
        ("NP_PERSON_CENTRED", "national_projects[1]"),
        ("NP_RESPONSIBILITY", "national_projects[1]"),
        ("NP_PRIORITY", "national_projects[1]"),
    }


def test_check_plan_does_not_change_the_plan(clean):
    plan = build(clean)
    before = plan.model_dump()
    check_plan(plan)
    assert plan.model_dump() == before


OPTIONAL = [
    "national_projects.0.goal", "national_projects.0.relevance", "national_projects.0.priorities",
    "national_projects.0.completion_date", "national_projects.0.indicators",
    "national_projects.0.resources", "national_projects.0.estimated_cost",
    "national_projects.0.responsible", "national_projects.1.priorities",
    "national_projects.1.regions", "documents.2.implements", "documents.1.indicators",
    "indicators.0.baseline", "indicators.0.targets", "indicators.0.regional_targets",
    "indicators.1.targets", "indicators.2.regional_targets", "priorities.0.period",
    "budget.totals", "budget.limits", "budget.allocations.0.national_project",
    "budget.allocations.1.priority",
]  # fmt: skip


@settings(max_examples=8)
@given(st.sets(st.sampled_from(OPTIONAL)))
def test_any_subset_of_optional_fields_gives_a_finding_table(drop):
    data = clean_data()
    for path in sorted(drop, reverse=True):
        _set(path, _DELETE)(data)
    found = check_plan(build(data))
    assert list(found.columns) == FINDING_COLUMNS
    assert set(found["severity"]) <= {"error", "warning"}
    assert set(found["id"]) <= {r.id for r in RULES}
    # any finding names an element of the file
    assert (
        found["element"]
        .str.match(r"^(documents|priorities|national_projects|indicators|budget)")
        .all()
    )
