"""The regions and match commands, as a user runs them."""

import json
import subprocess
import sys

from typer.testing import CliRunner

from terraplan.cli.app import app

runner = CliRunner()


def test_regions_json_lists_the_layout():
    result = runner.invoke(app, ["regions", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 20 and rows[0]["code"] == "KZ-10"
    result = runner.invoke(app, ["regions", "--layout", "all", "--format", "csv"])
    assert result.stdout.count("\n") == 25  # header + 24 units


def test_match_exit_codes_and_report(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("Region;v\nАкмолинская;1\nг.Астана;2\n", encoding="cp1251")
    result = runner.invoke(app, ["match", str(good), "--column", "Region", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "KZ-11" in result.stdout and "KZ-71" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("Region,v\nKaraganda,1\nAtlantis,2\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(bad), "--column", "Region"])
    assert result.exit_code == 1
    assert "Atlantis" in result.stderr


def test_bad_input_is_one_clear_message_and_exit_2(tmp_path):
    file = tmp_path / "x.csv"
    file.write_text("Name\nKaraganda\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from terraplan.cli import main; main()",
            "match",
            str(file),
            "--column",
            "Region",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and "no column 'Region'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from terraplan.cli import app;"
        "from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']);"
        "heavy = [m for m in ('geopandas', 'sklearn', 'pandas', 'folium', 'matplotlib')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_match_reports_two_rows_on_one_region_and_fuzzy_matches(tmp_path):
    """The Bureau's English file: "Аlmaty" (Cyrillic А) is the region beside "Almaty city"."""
    bureau = tmp_path / "bureau.csv"
    bureau.write_text("Region,v\n\u0410lmaty,1\nAlmaty city,2\nKaraganada,3\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(bureau), "--column", "Region", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "KZ-19" in result.stdout and "KZ-75" in result.stdout
    assert "fuzzy match: 'Karaganada' (row 3) -> KZ-35" in result.stderr
    twice = tmp_path / "twice.csv"
    twice.write_text("Region,v\nAlmaty city,1\nKaraganda,2\nг. Алматы,3\n", encoding="utf-8")
    result = runner.invoke(app, ["match", str(twice), "--column", "Region"])
    assert result.exit_code == 1
    assert "'Almaty city' (row 1)" in result.stderr and "'г. Алматы' (row 3)" in result.stderr
