"""The analyst's data and names through the CLI: --harmonize, names, --data, data diff."""

import io

import pandas as pd
from typer.testing import CliRunner

from terraplan.cli.app import app
from terraplan.errors import AnalysisError

runner = CliRunner()


def test_advantages_across_the_border_change_with_harmonize():
    plain = runner.invoke(app, ["advantages", "Karaganda", "--year", "2023", "--base-year", "2015"])
    # the console script turns a TerraplanError into exit 2 (tests/test_cli_territory.py)
    assert isinstance(plain.exception, AnalysisError) and "harmonize" in str(plain.exception)
    result = runner.invoke(
        app,
        ["advantages", "Караганда", "--year", "2023", "--base-year", "2015", "--harmonize",
         "-f", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert set(table["region"]) == {"KZ-35"} and table["estimated"].all()
    assert set(table["region_name"]) == {"Karaganda Region"}
    assert "harmonized to KZ-2022: estimated splits for KZ-10, KZ-19" in result.stderr
    atyrau = runner.invoke(
        app, ["advantages", "Atyrau", "--year", "2023", "--base-year", "2015", "--harmonize"]
    )
    assert atyrau.exit_code == 0 and "KZ-23" in atyrau.stdout
