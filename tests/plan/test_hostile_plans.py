"""Plan files built to exhaust the loader, and dates that do not exist (issue 12, items 1, 3, 8).

Each input's right answer is known by construction: a self-referencing alias, a billion-element
alias bomb and an over-size file must be refused with a PlanError (exit 2 from the CLI) quickly
and without a traceback; an impossible calendar date must be reported with its line and path.
"""

import sys
import time

import pytest

from terraplan.cli import main
from terraplan.errors import PlanError
from terraplan.plan import yaml_source
from terraplan.plan.model import load_plan, parse_plan


def _bomb(levels: int = 9, width: int = 9) -> str:
    """``levels`` lists of ``width`` aliases to the level below: width**levels leaves."""
    rows = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    rows += [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)
    ]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "title: &a [*a]",
        "title: &a {x: *a}",
        "indicators: &i [{id: a, name: A, regional_targets: *i}]",
        _bomb(),
    ],
    ids=["list-holds-itself", "mapping-holds-itself", "nested-cycle", "billion-laughs"],
)
def test_alias_bombs_are_refused_fast(text):
    started = time.perf_counter()
    with pytest.raises(PlanError, match="is refused"):
        parse_plan(text, source="bomb.yaml")
    assert time.perf_counter() - started < 2


def test_many_aliases_are_refused():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (yaml_source.MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(PlanError, match="more than 1,000 aliases"):
        parse_plan(text)


def test_deep_nesting_is_refused():
    depth = yaml_source.MAX_DEPTH + 5
    with pytest.raises(PlanError, match="nested more than"):
        parse_plan("title: " + "[" * depth + "]" * depth)


def test_a_few_aliases_still_work():
    """Aliases are legitimate YAML: shared targets are read, and a problem under an alias is
    reported under both paths, at the line where the aliased element is written."""
    plan = parse_plan(
        "indicators:\n"
        "  - {id: a, name: A, unit: '%', polarity: neutral, targets: &t {2025: 5}}\n"
        "  - {id: b, name: B, unit: '%', polarity: neutral, targets: *t}\n"
    )
    assert plan.indicators[1].targets == {2025: 5.0}
    with pytest.raises(PlanError, match=r"line 2, documents\[1\]\.period\.end"):
        parse_plan(
            "documents:\n"
            "  - &d {id: d, title: D, level: 1, type: T, approver: A, period: {start: 2030}}\n"
            "  - *d\n"
        )


def test_cli_check_exits_2_on_an_alias_bomb(tmp_path, monkeypatch, capsys):
    plan = tmp_path / "bomb.yaml"
    plan.write_text("title: &a [*a]\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["terraplan", "check", str(plan)])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "endless document" in capsys.readouterr().err


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01", "0000-01-01"])
def test_impossible_dates_are_reported_with_line_and_path(date):
    text = (
        "national_projects:\n"
        "  - id: p\n"
        "    title: P\n"
        "    period: {start: 2021, end: 2025}\n"
        f"    completion_date: {date}\n"
    )
    with pytest.raises(PlanError) as caught:
        parse_plan(text, source="p.yaml")
    message = str(caught.value)
    assert "line 5, national_projects[0].completion_date" in message
    assert date in message


def test_impossible_dates_are_all_reported_together():
    text = (
        "documents:\n"
        "  - {id: d, title: D, level: 1, type: T, approver: A,\n"
        "     period: {start: 2025-02-30, end: 2025-13-01}}\n"
    )
    with pytest.raises(PlanError, match=r"2 problem\(s\)") as caught:
        parse_plan(text)
    assert "2025-02-30" in str(caught.value) and "2025-13-01" in str(caught.value)


def test_an_impossible_date_in_a_text_field_is_kept_as_text():
    assert parse_plan("title: 2025-02-30").title == "2025-02-30"


def test_over_size_plan_file_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(yaml_source, "MAX_PLAN_BYTES", 1_000)
    monkeypatch.setattr("terraplan.plan.model.MAX_PLAN_BYTES", 1_000)
    plan = tmp_path / "huge.yaml"
    plan.write_text("title: x\n" + "# filler\n" * 200, encoding="utf-8")
    with pytest.raises(PlanError, match=r"huge\.yaml is 1,809 bytes, more than the limit"):
        load_plan(plan)
    with pytest.raises(PlanError, match="more than the limit of 1,000"):
        parse_plan(plan.read_text(encoding="utf-8"))


def test_the_default_size_limit_passes_the_bundled_example_and_stops_50_mb():
    assert 11_000 < yaml_source.MAX_PLAN_BYTES < 50_000_000


def test_plan_path_that_is_a_directory_is_a_plan_error(tmp_path):
    with pytest.raises(PlanError, match="cannot be read"):
        load_plan(tmp_path)
