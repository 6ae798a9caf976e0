"""``terraplan index`` through typer's CliRunner, on the bundled example and on user data."""

from __future__ import annotations

import io
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import terraplan.cli  # noqa: F401  (registers every command module on the app)
from terraplan.cli import main
from terraplan.cli.app import app
from terraplan.errors import InputError

runner = CliRunner()


def test_index_bundled_example_csv():
    result = runner.invoke(app, ["index", "--uncertainty", "70", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns[:7]) == [
        "unit", "name", "index", "rank", "median_rank", "rank_p05", "rank_p95",
    ]  # fmt: skip
    assert len(table) == 20
    assert (table["rank_p05"] <= table["rank_p95"]).all()
    assert (
        "year: 2022" in result.stderr and "runs: 70" in result.stderr
    )  # 10 base samples x (5 + 2)
    assert "drives the ranks most" in result.stderr


def test_index_on_user_units_writes_chart_and_workbook(tmp_path):
    # 30 synthetic district keys, not in the registry: the index works, no map is written
    rng = np.random.default_rng(0)
    units = [f"D-{i:03d}" for i in range(30)]
    rows = [
        {"unit": u, "year": 2023, "indicator": ind, "value": float(v)}
        for ind in ("a", "b", "c")
        for u, v in zip(units, rng.lognormal(2, 0.5, len(units)), strict=True)
    ]
    data = tmp_path / "districts.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    fw = tmp_path / "fw.yaml"
    fw.write_text(
        "id: districts\npillars:\n  - id: p\n    indicators: [{id: a}, {id: b}]\n"
        "  - id: q\n    indicators: [{id: c, polarity: lower_is_better}]\n"
        "uncertainty: {aggregation: [arithmetic, copeland], weights_perturbation: 0.2}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["index", str(fw), "--data", str(data), "-u", "40", "--out", str(out), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "districts-ranks.png", "districts-ranks.svg", "districts.xlsx",
    ]  # fmt: skip
    again = tmp_path / "again"
    runner.invoke(app, [*args[:-3], str(again), "-f", "json"])
    assert (out / "districts-ranks.svg").read_bytes() == (
        again / "districts-ranks.svg"
    ).read_bytes()


def test_index_bad_framework_is_an_input_error(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\npillars: []\n", encoding="utf-8")
    result = runner.invoke(app, ["index", str(bad)])
    assert isinstance(result.exception, InputError)
    monkeypatch.setattr(sys, "argv", ["terraplan", "index", str(bad)])
    with pytest.raises(SystemExit) as code:
        main()
    assert code.value.code == 2
    assert "pillars" in capsys.readouterr().err


def test_index_with_groups_for_group_imputation(tmp_path):
    # unit C lacks b; its group (g1: A, B with b = 2, 4) imputes 3, group g2 would give 10
    rows = [
        ("A", "a", 1.0), ("B", "a", 2.0), ("C", "a", 3.0), ("D", "a", 4.0), ("E", "a", 5.0),
        ("A", "b", 2.0), ("B", "b", 4.0), ("D", "b", 10.0), ("E", "b", 10.0),
    ]  # fmt: skip
    data = tmp_path / "d.csv"
    pd.DataFrame(rows, columns=["unit", "indicator", "value"]).assign(year=2020).to_csv(
        data, index=False
    )
    groups = tmp_path / "g.csv"
    groups.write_text("unit,group\nA,g1\nB,g1\nC,g1\nD,g2\nE,g2\n", encoding="utf-8")
    fw = tmp_path / "fw.yaml"
    fw.write_text(
        "id: g\ncoverage: 0.5\npillars:\n  - id: p\n    indicators: [{id: a}, {id: b}]\n"
        "choices: {imputation: mean_by_group, outliers: none}\n",
        encoding="utf-8",
    )
    args = ["index", str(fw), "--data", str(data), "--groups", str(groups), "-u", "0"]
    result = runner.invoke(app, [*args, "-f", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout)).set_index("unit")
    # min-max: a -> (C) 50; b imputed 3 -> (3 - 2) / 8 = 12.5; index = 31.25
    assert table.loc["C", "index"] == pytest.approx(31.25)
    missing = runner.invoke(app, ["index", str(fw), "--data", str(data), "-u", "0"])
    assert isinstance(missing.exception, InputError)  # group imputation without groups
