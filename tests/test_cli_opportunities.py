"""``terraplan opportunities``: the shortlist in three languages, charts, and clean errors."""

from __future__ import annotations

from typer.testing import CliRunner

import terraplan.cli  # noqa: F401  (registers every command module on the app)
from terraplan.cli.app import app
from terraplan.errors import AnalysisError, InputError, RegionMatchError

runner = CliRunner()


def test_shortlist_csv_any_spelling():
    result = runner.invoke(
        app,
        ["opportunities", "Караганда", "--year", "2023", "--base-year", "2021", "--top", "3",
         "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Rank,Sector,Score")
    assert len(lines) == 4
    assert "indicative" in result.stderr


def test_kazakh_table_and_files(tmp_path):
    chart, density = tmp_path / "chart.svg", tmp_path / "density.png"
    result = runner.invoke(
        app,
        ["opportunities", "KZ-47", "--preset", "long-jumps", "--lang", "kk", "--top", "2",
         "--chart", str(chart), "--density-map", "C", "--map-out", str(density)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Негіздеме" in result.stdout
    assert chart.read_bytes().lstrip().startswith(b"<?xml")
    assert density.read_bytes()[:4] == b"\x89PNG"


def test_bad_input_raises_terraplan_errors():
    """``terraplan.cli.main`` turns these into a message and exit code 2 (no traceback)."""
    result = runner.invoke(app, ["opportunities", "Atlantis"])
    assert isinstance(result.exception, RegionMatchError)
    result = runner.invoke(app, ["opportunities", "KZ-47", "--density-map", "C"])
    assert isinstance(result.exception, InputError) and "--map-out" in str(result.exception)
    result = runner.invoke(app, ["opportunities", "KZ-47", "--base-year", "2024", "--year", "2023"])
    assert isinstance(result.exception, AnalysisError)


def test_main_exits_2_without_traceback(monkeypatch, capsys):
    import sys

    import pytest

    from terraplan.cli import main

    monkeypatch.setattr(sys, "argv", ["terraplan", "opportunities", "Atlantis"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_external_pci_file(tmp_path):
    """A PCI file covering every section is accepted; a malformed one is refused with all its
    problems in one message."""
    from terraplan.datasets import kazakhstan

    sectors = sorted(set(kazakhstan.panel(["gva"], years=[2023])["sector"]))
    good = tmp_path / "pci.csv"
    good.write_text("sector,pci\n" + "".join(f"{s},{i}\n" for i, s in enumerate(sectors)))
    result = runner.invoke(app, ["opportunities", "KZ-35", "--pci", str(good), "-f", "csv"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("sector,pci\nA,high\nA,1\n")
    result = runner.invoke(app, ["opportunities", "KZ-35", "--pci", str(bad)])
    assert isinstance(result.exception, InputError)
    assert "non-numeric" in str(result.exception) and "twice" in str(result.exception)
