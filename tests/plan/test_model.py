"""Plan files: loading, region matching, and one clear message per problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plan_helpers import EXAMPLE, FIXTURES, KZ_2022, build

from terraplan.errors import PlanError
from terraplan.plan.model import element_path, load_plan, parse_plan, plan_schema_text

SCHEMA = Path(__file__).parents[2] / "docs" / "plan.schema.json"


def problems_of(text: str) -> list[str]:
    """The problem lines of the PlanError that ``text`` raises."""
    with pytest.raises(PlanError) as info:
        parse_plan(text, source="bad.yaml")
    exc = info.value
    assert (exc.__cause__ is None and exc.__suppress_context__) or exc.__context__ is None
    message = str(exc)
    assert "bad.yaml" in message and "Traceback" not in message and "pydantic" not in message
    return [line for line in message.splitlines() if line.startswith("  - ")]


def test_clean_fixture_matches_every_spelling_to_its_code():
    plan = load_plan(FIXTURES / "clean.yaml")
    # English, ISO codes and Kazakh names: each list is in registry order, so the codes are too
    for indicator in plan.indicators:
        assert [rt.region for rt in indicator.regional_targets] == KZ_2022
    assert plan.national_projects[0].regions == [
        "KZ-11",
        "KZ-15",
        "KZ-71",
        "KZ-75",
        "KZ-79",
        "KZ-61",
    ]
    assert plan.national_projects[1].regions == "all"
    assert plan.source_file.endswith("clean.yaml")


def test_example_loads_with_its_published_figures():
    plan = load_plan(EXAMPLE)
    strong = next(p for p in plan.national_projects if p.id == "strong-regions")
    # KZT 7.6 trn in all: 4 trn republican, 786 bn local, 2.8 trn private (bn KZT)
    assert strong.estimated_cost == 7600
    assert sorted((r.source, r.amount) for r in strong.resources) == [
        ("local", 786),
        ("private", 2800),
        ("republican", 4000),
    ]
    unemployment = next(i for i in plan.indicators if i.id == "unemployment_rate")
    assert unemployment.illustrative
    assert sorted(rt.region for rt in unemployment.regional_targets) == KZ_2022


def test_polarity_aliases_positive_and_negative():
    plan = parse_plan(
        "indicators:\n"
        "  - {id: a, name: A, unit: x, polarity: positive}\n"
        "  - {id: b, name: B, unit: x, polarity: negative}\n"
    )
    assert [i.polarity for i in plan.indicators] == ["higher_is_better", "lower_is_better"]


def test_malformed_yaml_gives_one_message_with_line():
    with pytest.raises(PlanError) as info:
        parse_plan("documents:\n  - {id: a, title: [x\n", source="bad.yaml")
    message = str(info.value)
    assert message.startswith("plan file bad.yaml is not valid YAML: line 3")
    assert len(message.splitlines()) == 1


def test_key_given_twice():
    [line] = problems_of("indicators:\n  - id: u\n    name: U\n    name: V\n")
    assert "line 3, indicators[0].name: key 'name' is given twice here (line 3 and line 4)" in line


def test_top_level_must_be_a_mapping():
    with pytest.raises(PlanError, match="must hold a mapping of sections"):
        parse_plan("- a\n- b\n", source="bad.yaml")


def test_unknown_key_names_path_and_allowed_keys():
    [line] = problems_of("priorities:\n  - {id: P1, name: X, colour: red}\n")
    assert "line 2, priorities[0].colour: unknown key 'colour'" in line
    assert "allowed keys here: id, name, period, document, source, note" in line


def test_wrong_type_names_path_and_value():
    [line] = problems_of(
        "indicators:\n  - {id: u, name: U, unit: '%', polarity: negative,\n"
        "     baseline: {year: 2022, value: lots}}\n"
    )
    assert "line 3, indicators[0].baseline.value: Input should be a valid number" in line
    assert "got 'lots'" in line


def test_wrong_type_in_a_list_of_regions_is_reported_once_per_item():
    lines = problems_of(
        "national_projects:\n  - {id: p, title: P, period: {start: 2021, end: 2025},\n"
        "     regions: [1]}\n"
    )
    assert (
        len(lines) == 1
        and "national_projects[0].regions[0]: Input should be a valid string" in lines[0]
    )


def test_unknown_region_names_the_element_path():
    lines = problems_of(
        "indicators:\n"
        "  - id: u\n    name: U\n    unit: '%'\n    polarity: negative\n"
        "    regional_targets:\n"
        "      - {region: Karaganda, targets: {2025: 4}}\n"
        "      - {region: Atlantis, targets: {2025: 4}}\n"
    )
    assert len(lines) == 1
    assert "line 8, indicators[0].regional_targets[1].region: unknown region 'Atlantis'" in lines[0]


def test_the_country_is_not_a_region():
    lines = problems_of(
        "national_projects:\n  - {id: p, title: P, period: {start: 2021, end: 2025},\n"
        "     regions: [Karaganda, Kazakhstan]}\n"
    )
    assert len(lines) == 1
    assert "national_projects[0].regions[1]: 'Kazakhstan' is the whole country" in lines[0]


def test_dates_out_of_order_period_and_baseline():
    lines = problems_of(
        "documents:\n"
        "  - {id: d, title: D, level: 1, type: NDP, approver: President,\n"
        "     period: {start: 2025, end: 2021}}\n"
        "indicators:\n"
        "  - {id: u, name: U, unit: '%', polarity: negative,\n"
        "     baseline: {year: 2022, value: 5}, targets: {2020: 4}}\n"
    )
    assert len(lines) == 2
    assert "documents[0].period: dates out of order: start 2025 is after end 2021" in lines[0]
    assert "indicators[0]: dates out of order: target year(s) [2020]" in lines[1]


def test_missing_key_and_several_problems_reported_together():
    lines = problems_of(
        "priorities:\n  - {id: P1}\n"
        "national_projects:\n  - {id: p, title: P, period: {start: x, end: 2025}}\n"
    )
    assert [line.split(":")[0] for line in lines] == [
        "  - line 2, priorities[0].name",
        "  - line 4, national_projects[0].period.start",
    ]


def test_unknown_reference_and_duplicated_id():
    lines = problems_of(
        "priorities:\n  - {id: P1, name: A}\n  - {id: P1, name: B}\n"
        "national_projects:\n  - {id: p, title: P, period: {start: 2021, end: 2025},\n"
        "     priorities: [P9]}\n"
    )
    assert "priorities[1].id: duplicated priority id 'P1'" in lines[0]
    assert "national_projects[0].priorities[0]: unknown priority 'P9'" in lines[1]
    assert "use one of the ids defined: P1" in lines[1]


def test_region_given_twice_in_one_indicator(clean):
    clean["indicators"][0]["regional_targets"][1]["region"] = "Abai"
    with pytest.raises(PlanError, match=r"regional_targets\[1\]\.region: region KZ-10 already"):
        build(clean)


def test_budget_limit_names_exactly_one_key(clean):
    clean["budget"]["limits"][0]["national_project"] = "proj-a"
    with pytest.raises(PlanError, match=r"budget\.limits\[0\]: a budget limit names exactly one"):
        build(clean)


def test_historic_name_resolves_by_year(clean):
    # "East Kazakhstan" of a 2021 target is the unit on pre-2022 borders, of 2025 the current one
    clean["indicators"][0]["regional_targets"][16]["targets"] = {2021: 10, 2025: 10}
    plan = build(clean)
    assert plan.indicators[0].regional_targets[16].region == "KZ-VOS"
    plan = build({"indicators": [clean["indicators"][2]]})
    assert plan.indicators[0].regional_targets[16].region == "KZ-63"


def test_missing_file():
    with pytest.raises(PlanError, match="does not exist"):
        load_plan(FIXTURES / "no-such-plan.yaml")


def test_schema_file_is_current():
    assert SCHEMA.read_text(encoding="utf-8") == plan_schema_text()
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "title", "money_unit", "tolerances", "documents", "priorities", "national_projects",
        "indicators", "budget",
    }  # fmt: skip


@given(
    st.lists(
        st.one_of(st.integers(0, 50), st.from_regex(r"[a-z_]{1,8}", fullmatch=True)), max_size=6
    )
)
def test_element_path_round_trip(parts):
    path = element_path(parts)
    if not parts:
        assert path == "(top level)"
        return
    # every part appears in order, integers in brackets
    rebuilt = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    assert path == rebuilt
