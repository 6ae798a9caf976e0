"""``terraplan forecast``, ``terraplan cascade`` and ``terraplan monitor --forecast``."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

import terraplan.cli  # noqa: F401  (registers the commands)
from terraplan.cli.app import app

runner = CliRunner()


def test_forecast_csv_adds_up_and_explains_itself():
    result = runner.invoke(
        app, ["forecast", "grp", "--to", "2027", "--harmonize", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    wide = table.pivot(index="year", columns="region", values="mean")
    regions = [c for c in wide.columns if c != "KZ"]
    assert len(regions) == 20
    assert ((wide[regions].sum(axis=1) - wide["KZ"]).abs() / wide["KZ"]).max() < 1e-6
    assert "reconciliation: " in result.stderr
    assert "MASE" in result.stderr


def test_forecast_backtest_table():
    result = runner.invoke(
        app, ["forecast", "unemployment_rate", "--backtest", "--harmonize", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["method"]) == {"ets", "drift", "naive"}
    assert set(table["horizon"]) == {1, 2, 3}


def test_a_short_series_exits_2_with_the_fix():
    done = subprocess.run(
        [sys.executable, "-c", "from terraplan.cli import main; main()", "forecast", "grp"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "KZ-10: 5 value(s) from 2021" in done.stderr
    assert "--harmonize" in done.stderr
    assert "Traceback" not in done.stderr


def test_cascade_meets_the_target_and_exits_1_when_a_target_is_implausible():
    ok = runner.invoke(
        app,
        ["cascade", "unemployment_rate", "--target", "4.3", "--year", "2029", "--base-year",
         "2025", "-f", "csv"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    table = pd.read_csv(io.StringIO(ok.stdout))
    assert len(table) == 20 and "achieved 4.3" in ok.stderr
    hard = runner.invoke(
        app,
        ["cascade", "unemployment_rate", "--target", "0.5", "--year", "2027", "--base-year",
         "2025", "-f", "csv"],
    )  # fmt: skip
    assert hard.exit_code == 1
    assert "beyond history" in hard.stderr


def test_monitor_with_forecast_as_of():
    result = runner.invoke(
        app,
        ["monitor", "examples/plan-kazakhstan-2025.yaml", "--as-of", "2023", "--forecast",
         "-f", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert {"forecast", "p_target", "forecast_status"} <= set(table.columns)
    assert table.loc[table["year"] == 2025, "p_target"].notna().all()
    assert "forecast: " in result.stderr
