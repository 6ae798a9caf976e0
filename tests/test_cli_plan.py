"""The check and monitor commands, as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from terraplan.cli.app import app

runner = CliRunner()
ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "plan-kazakhstan-2025.yaml"
FIXTURES = ROOT / "tests" / "plan" / "fixtures"


def test_check_clean_plan_exits_0():
    result = runner.invoke(app, ["check", str(FIXTURES / "clean.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout == "no findings\n"
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_check_example_exits_1_with_json_findings():
    result = runner.invoke(app, ["check", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} >= {"NP_RESPONSIBILITY", "NP_PRIORITY"}
    assert set(rows[0]) == {"id", "severity", "element", "message", "fix"}
    assert "8 error(s), 0 warning(s)" in result.stderr


def test_check_markdown_escapes_pipes_and_writes_a_file(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "budget:\n  allocations: [{year: 2022, amount: 5, agency: 'A | B'}]\n", encoding="utf-8"
    )
    out = tmp_path / "findings.md"
    result = runner.invoke(app, ["check", str(plan), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "| id | severity | element | message | fix |"
    assert lines[2].startswith("| BUDGET_AGENCY_ONLY | error | budget.allocations[0] |")
    assert "'A \\| B'" in lines[2]


def test_check_broken_table_lists_every_rule():
    result = runner.invoke(app, ["check", str(FIXTURES / "broken.yaml"), "-f", "csv"])
    assert result.exit_code == 1
    assert "BUDGET_UNATTRIBUTED" in result.stdout and "NP_GOAL" in result.stdout


def test_monitor_example_on_bundled_statistics():
    result = runner.invoke(app, ["monitor", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 21 * 3  # the nation and 20 regions, 2023-2025
    assert {r["status"] for r in rows} <= {"on_track", "at_risk", "off_track", "no_data"}


def test_monitor_user_panel(tmp_path):
    # baseline 5 (2022), target 4 (2024): 2023 target 4.5, actual 4.8 -> (4.8 - 5) / -0.5 = 0.4
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "indicators:\n  - {id: u, name: U, unit: '%', polarity: negative,\n"
        "     baseline: {year: 2022, value: 5}, targets: {2024: 4}}\n",
        encoding="utf-8",
    )
    panel = tmp_path / "actual.csv"
    panel.write_text("region,year,value\nKazakhstan,2023,4.8\nKazakhstan,2024,4.2\n", "utf-8")
    result = runner.invoke(
        app, ["monitor", str(plan), "--panel", str(panel), "--indicator", "u", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("KZ,u,2023,5.0,4.5,4.8,0.4,off_track")
    assert lines[2].startswith("KZ,u,2024,5.0,4.0,4.2,0.8,at_risk")


def test_invalid_plan_is_one_clear_message_and_exit_2(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "indicators:\n  - id: u\n    name: U\n    unit: '%'\n    polarity: negative\n"
        "    regional_targets:\n      - {region: Atlantis, targets: {2025: 4}}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-c", "from terraplan.cli import main; main()", "check", str(plan)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: plan file {plan} has 1 problem(s):")
    assert "line 7, indicators[0].regional_targets[0].region: unknown region 'Atlantis'" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr and "pydantic" not in proc.stderr
