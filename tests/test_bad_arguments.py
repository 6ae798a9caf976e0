"""Arguments that used to end in a traceback: typed terraplan errors instead (issue 12, item 3).

Each input is made here (a folder, a cp1251-encoded file, a year given as text), so the expected
error is known: it names the input and says how to fix it.
"""

import sys

import numpy as np
import pytest

from terraplan.cli import main
from terraplan.config import load_config, parse_config
from terraplan.errors import ConfigError, LayoutError
from terraplan.territory.layouts import layout_for_year
from terraplan.territory.names import match_regions


def test_config_that_is_a_folder(tmp_path):
    with pytest.raises(ConfigError, match="is a folder, not a configuration file"):
        load_config(tmp_path)


def test_config_in_cp1251(tmp_path):
    path = tmp_path / "terraplan.toml"
    path.write_bytes('title = "Алматы"\n'.encode("cp1251"))
    with pytest.raises(ConfigError, match=r"terraplan\.toml: not UTF-8 text .*save the file as"):
        load_config(path)


def test_cli_build_with_a_folder_as_config_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        sys, "argv", ["terraplan", "build", "--config", str(tmp_path), "--out", str(tmp_path)]
    )
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert "is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("year", ["2020", 2020.0, True])
def test_year_that_is_not_a_whole_number(year):
    with pytest.raises(LayoutError, match="year must be a whole number"):
        match_regions(["Astana"], year=year)
    with pytest.raises(LayoutError, match="year must be a whole number"):
        layout_for_year(year)


def test_numpy_years_and_no_year_are_accepted():
    assert match_regions(["Astana"], year=None).codes.tolist() == ["KZ-71"]
    assert layout_for_year(np.int64(2019)) == "KZ-2018"
    assert match_regions(["East Kazakhstan"], year=np.int32(2019)).codes.tolist() == ["KZ-VOS"]


@pytest.mark.parametrize("bad", ["a/b", "../up", "", ".hidden", "x" * 101, "a\\b", "a b"])
def test_indicator_ids_that_cannot_name_files_are_refused(bad):
    """Indicator ids become file names (``static/<id>.png``): issue 12, item 7."""
    with pytest.raises(ConfigError, match="cannot name a file"):
        parse_config({"indicators": ["grp", bad]})
    with pytest.raises(ConfigError, match="cannot name a file"):
        parse_config({"sectors_indicator": bad})


def test_build_refuses_unusable_ids_before_writing(tmp_path):
    """A configuration changed without validation (``model_copy``) is checked again."""
    from terraplan.report.build import build

    config = parse_config({}).model_copy(update={"indicators": ["grp", "a/b"]})
    with pytest.raises(ConfigError, match="'a/b' cannot name a file"):
        build(config, tmp_path / "maps", progress=False)
    assert list(tmp_path.iterdir()) == []
