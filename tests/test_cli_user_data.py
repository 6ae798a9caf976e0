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


# --- your own data -----------------------------------------------------------------------

CODES = [
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
]  # fmt: skip
SIDECAR = """indicator = "clinics"
name = "Clinics per 100,000 people"
name_ru = "Поликлиники на 100 000 человек"
name_kk = "100 000 адамға шаққанда емханалар"
unit = "per 100,000 people"
polarity = "lower_is_better"
"""


def user_file(folder):
    """Made-up test values known by construction: region i (codes sorted) has 10 * (i + 1) in
    2023 and 5 * (i + 1) in 2021, so with lower_is_better KZ-10 ranks 1 and KZ-79 ranks 20."""
    rows = ["region,2021,2023"] + [f"{c},{5 * (i + 1)},{10 * (i + 1)}" for i, c in enumerate(CODES)]
    path = folder / "clinics.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "clinics.csv.toml").write_text(SIDECAR, encoding="utf-8")
    return path


SMALL = """indicators = ["grp"]
[typology]
n_stability = 0
[outputs]
maps = false
static_maps = false
profile_formats = ["json"]
"""


def test_build_with_data_marks_the_users_indicator_everywhere(tmp_path):
    import hashlib
    import json

    import openpyxl

    path = user_file(tmp_path)
    config = tmp_path / "terraplan.toml"
    config.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", "--config", str(config), "--data", str(path), "--out", str(out),
              "--no-progress"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "your data: clinics.csv -> clinics (Clinics per 100,000 people" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(i for i in manifest["inputs"] if i.get("user_data"))
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entry["sidecar"] == "clinics.csv.toml" and entry["path"] == "data: clinics.csv"
    assert manifest["parameters"]["user_data"][0]["polarity"] == "lower_is_better"
    profile = json.loads((out / "profiles" / "KZ-10.json").read_text(encoding="utf-8"))
    clinics = next(k for k in profile["key_indicators"] if k["indicator"] == "clinics")
    assert clinics["name"] == "Clinics per 100,000 people (your data)"
    assert (clinics["value"], clinics["rank"], clinics["unit"]) == (10.0, 1, "per 100,000 people")
    assert clinics["change_since_base"] == 100.0  # 5 -> 10, a count: relative change in %
    book = openpyxl.load_workbook(out / "terraplan-tables.xlsx")
    assert "your data" in book.sheetnames
    header = [c.value for c in next(book["indicators"].iter_rows(max_row=1))]
    assert "Rank: Clinics per 100,000 people (your data)" in header


def test_profile_and_map_take_data_and_a_config_data_table(tmp_path):
    path = user_file(tmp_path)
    result = runner.invoke(
        app, ["profile", "Шымкент", "--data", str(path), "--format", "md", "--lang", "ru",
              "--config", str(_small_config(tmp_path))],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    row = "Поликлиники на 100 000 человек (ваши данные) | 200,0 | per 100,000 people | 20 из 20"
    assert row in result.stdout
    svg = tmp_path / "clinics.svg"
    (tmp_path / "conf.toml").write_text(
        '[[data]]\nfile = "clinics.csv"\nindicator = "clinics"\n', encoding="utf-8"
    )
    result = runner.invoke(
        app, ["map", "clinics", "--config", str(tmp_path / "conf.toml"), "--out", str(svg),
              "--year", "2023"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Clinics per 100,000 people (your data)" in svg.read_text(encoding="utf-8")


def _small_config(folder):
    path = folder / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_data_problems_are_reported_together(tmp_path):
    from terraplan.errors import ConfigError, InputError

    user_file(tmp_path)
    (tmp_path / "clinics.csv.toml").write_text('polarity = "up"\ncolour = "red"\n', "utf-8")
    result = runner.invoke(app, ["map", "clinics", "--data", str(tmp_path / "clinics.csv"),
                                 "--out", str(tmp_path / "m.svg")])  # fmt: skip
    assert isinstance(result.exception, (ConfigError, InputError))
    message = str(result.exception)
    assert "polarity: 'up' is not one of" in message and "colour: unknown key" in message
    result = runner.invoke(app, ["map", "x", "--data", str(tmp_path / "missing.csv"),
                                 "--data", str(tmp_path / "missing2.csv"),
                                 "--out", str(tmp_path / "m.svg")])  # fmt: skip
    assert isinstance(result.exception, InputError)
    assert "missing.csv not found" in str(result.exception)
    assert "missing2.csv not found" in str(result.exception)


def test_data_diff_lists_changed_added_and_disappeared_values(tmp_path):
    """A revised release built from the bundled unemployment rate: known by construction."""
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel(["unemployment_rate"], years=[2022, 2023], include_national=True)
    panel.loc[(panel["year"] == 2023) & (panel["region"] == "KZ-23"), "value"] += 0.1
    panel = panel[~((panel["year"] == 2023) & (panel["region"] == "KZ-71"))]
    extra = pd.DataFrame({"region": ["KZ-23"], "year": [2023], "indicator": ["unemployment_rate"],
                          "sector": ["F"], "value": [1.0]})  # fmt: skip
    release = pd.concat([panel, extra], ignore_index=True)
    path = tmp_path / "release.csv"
    release[["region", "year", "indicator", "sector", "value"]].to_csv(path, index=False)
    result = runner.invoke(app, ["data", "diff", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert table[["region", "year", "sector", "status"]].values.tolist() == [
        ["KZ-23", 2023, "F", "added"],
        ["KZ-23", 2023, "TOTAL", "changed"],
        ["KZ-71", 2023, "TOTAL", "disappeared"],
    ]
    assert table.loc[1, "name"] == "Atyrau Region"
    assert round(float(table.loc[1, "change"]), 6) == 0.1
    assert "1 changed, 1 added, 1 disappeared" in result.stderr
