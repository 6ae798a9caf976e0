"""``terraplan regions --level district`` and ``terraplan match --level district``.

Expected codes are those of the district registry, written out by hand.
"""

import json

from typer.testing import CliRunner

from terraplan.cli.app import app
from terraplan.errors import InputError

runner = CliRunner()


def test_regions_level_district_lists_one_regions_districts():
    result = runner.invoke(
        app, ["regions", "--level", "district", "--region", "Karaganda", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 13 and {r["region"] for r in rows} == {"KZ-35"}
    result = runner.invoke(app, ["regions", "--level", "district", "--format", "csv"])
    assert result.stdout.count("\n") == 225  # header + 224 districts
    result = runner.invoke(app, ["regions", "--level", "district", "--layout", "KZ-2018-D",
                                 "--format", "csv"])  # fmt: skip
    assert result.stdout.count("\n") == 217


def test_match_level_district_with_region_column_and_sections(tmp_path):
    file = tmp_path / "rayons.csv"
    file.write_text(
        "Область,Район\nАкмолинская,Аккольский район\nАлматинская область,Жамбылский р-н\n"
        "Жамбылская,Жамбылский район\n",
        encoding="utf-8",
    )
    args = ["match", str(file), "--column", "Район", "--level", "district", "--format", "csv"]
    result = runner.invoke(app, [*args, "--region-column", "Область"])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[2] for line in result.stdout.splitlines()[1:]] == [
        "113200000",
        "194200000",
        "314000000",
    ]
    result = runner.invoke(app, args)  # without the region column: repeats are ambiguous
    assert result.exit_code == 1
    assert "ambiguous" in result.stderr and "Жамбылский р-н" in result.stderr
    bulletin = tmp_path / "bulletin.csv"
    bulletin.write_text(
        "Name\nАкмолинская область\nАккольский\nЖамбылская область\nЖамбылский район\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["match", str(bulletin), "--column", "Name", "--level",
                                 "district", "--sections", "--format", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "314000000" in result.stdout


def test_bad_level_and_options_are_input_errors(tmp_path):
    """The CLI's entry point turns an InputError into one message and exit code 2."""
    file = tmp_path / "x.csv"
    file.write_text("Name\nАккольский\n", encoding="utf-8")
    for args in (
        ["match", str(file), "--column", "Name", "--level", "oblast"],
        ["match", str(file), "--column", "Name", "--sections"],
        ["regions", "--region", "Karaganda"],
    ):
        result = runner.invoke(app, args)
        assert isinstance(result.exception, InputError), args
