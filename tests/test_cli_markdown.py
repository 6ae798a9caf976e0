"""``--format markdown`` with missing values and hostile user text (issue 12, item 4).

The inputs are written here, so the expected cells are known: an unmatched name has no code
(an empty cell, not a crash), and user text from a plan file appears escaped, never as raw HTML.
"""

import pandas as pd
from typer.testing import CliRunner

from terraplan.cli.app import app
from terraplan.cli.output import render

runner = CliRunner()


def test_markdown_writes_missing_values_as_empty_cells():
    frame = pd.DataFrame(
        {
            "name": pd.array(["a", None], dtype="string"),
            "x": [1.5, float("nan")],
            "o": ["t", None],
        }
    )
    assert render(frame, "markdown").splitlines()[2:] == ["| a | 1.5 | t |", "|  |  |  |"]


def test_markdown_escapes_html_backslashes_backticks_and_links():
    frame = pd.DataFrame({"<b>": ["<script>alert(1)</script>", "[x](javascript:y) `c` \\ &"]})
    lines = render(frame, "markdown").splitlines()
    assert lines[0] == "| &lt;b&gt; |"
    assert lines[2] == "| &lt;script&gt;alert(1)&lt;/script&gt; |"
    assert lines[3] == "| [x\\](javascript:y) \\`c\\` \\\\ &amp; |"


def test_match_markdown_with_an_unmatched_name(tmp_path):
    table = tmp_path / "names.csv"
    table.write_text("region\nAstana\nNowhere land\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(table), "--column", "region", "-f", "markdown"])
    assert result.exit_code == 1, result.output
    rows = result.stdout.splitlines()
    assert rows[3].startswith("| 2 | Nowhere land |  |")


def test_regions_all_layouts_as_markdown():
    result = runner.invoke(app, ["regions", "--layout", "all", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| KZ-ALM | oblast |" in result.stdout


def test_check_markdown_escapes_user_text(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "budget:\n  allocations: [{year: 2022, amount: 5, agency: '<script>x</script>'}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(plan), "-f", "markdown"])
    assert result.exit_code == 1
    assert "<script>" not in result.stdout
    assert "&lt;script&gt;x&lt;/script&gt;" in result.stdout
