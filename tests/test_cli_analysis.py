"""``terraplan indices`` and ``terraplan advantages`` through typer's CliRunner."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import terraplan.cli  # noqa: F401  (registers every command module on the app)
from terraplan.cli.app import app
from terraplan.errors import AnalysisError, InputError

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_indices_lq_csv():
    result = invoke("indices", "--year", "2023", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == [
        "year", "region", "sector", "value", "share", "reference_share", "lq",
    ]  # fmt: skip
    assert len(table) == 20 * 19  # 20 regions of 2023, sections A-S
    atyrau_b = table[(table["region"] == "KZ-23") & (table["sector"] == "B")]["lq"].item()
    assert atyrau_b > 2.5
    assert "reference: nation (sum of regions)" in result.stderr


def test_indices_regions_and_sectors_json():
    regions = invoke("indices", "--year", "2023", "--table", "regions", "-f", "json")
    assert regions.exit_code == 0, regions.output
    rows = json.loads(regions.stdout)
    assert len(rows) == 20 and {"krugman", "gini", "hhi", "entropy"} <= set(rows[0])
    sectors = invoke("indices", "--year", "2012", "--table", "sectors", "-f", "json")
    assert sectors.exit_code == 0, sectors.output
    assert "OTHER_SERVICES" in {row["sector"] for row in json.loads(sectors.stdout)}


def test_indices_reference_file_and_national_row(tmp_path):
    groups = tmp_path / "groups.csv"
    codes = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35",
             "KZ-39", "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71",
             "KZ-75", "KZ-79"]  # fmt: skip
    west = {"KZ-15", "KZ-23", "KZ-27", "KZ-47"}
    pd.DataFrame(
        {"region": codes, "group": ["west" if c in west else "rest" for c in codes]}
    ).to_csv(groups, index=False)
    result = invoke("indices", "--year", "2023", "--reference", str(groups), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "groups (rest:" in result.stderr and "west: KZ-15, KZ-23, KZ-27, KZ-47" in result.stderr
    national = invoke("indices", "--year", "2023", "--reference", "national-row", "-f", "csv")
    assert national.exit_code == 0 and "published national row" in national.stderr
    missing = invoke("indices", "--year", "2023", "--reference", str(tmp_path / "none.csv"))
    assert isinstance(missing.exception, InputError)


def test_indices_neighbours():
    result = invoke("indices", "--year", "2023", "--reference", "neighbours", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "neighbours" in result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table["lq"].notna().all() and (table["lq"] >= 0).all()


def test_advantages_one_region_by_name():
    result = invoke("advantages", "Atyrau", "--year", "2023", "--base-year", "2021", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["region"] for row in rows} == {"KZ-23"}
    assert rows[0]["kind"] == "advantage" and rows[0]["sector"] == "B"
    assert "evidence" in rows[0] and "competitive_shift" in rows[0]


def test_advantages_table_options_and_errors():
    result = invoke(
        "advantages", "--year", "2023", "--base-year", "2021", "--top", "1", "--min-lq", "1.5",
        "--prices", "real",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "prices: real (2021 prices" in result.stderr
    mixed = invoke("advantages", "--year", "2023", "--base-year", "2012", "--drop-unmatched")
    assert isinstance(mixed.exception, AnalysisError)
    assert "sector_level='coarse'" in str(mixed.exception)


@pytest.mark.parametrize("command", ["indices", "advantages"])
def test_help_has_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example: terraplan" in result.stdout
