"""terraplan.toml: defaults, every problem named by its key, TOML errors, relative plan paths."""

from __future__ import annotations

import pytest

from terraplan.config import BuildConfig, load_config, parse_config
from terraplan.errors import ConfigError


def test_defaults():
    cfg = BuildConfig()
    assert cfg.year is None and cfg.base_year is None  # resolved from the data
    assert cfg.lang == "en" and cfg.reference == "nation"
    assert cfg.outputs.profile_formats == ["html", "md", "json"]
    assert cfg.indicators[0] == "grp_per_capita"


def test_every_problem_is_named_by_its_key():
    with pytest.raises(ConfigError) as info:
        parse_config(
            {"year": "last", "outputs": {"mapz": True}, "map": {"scheme": "jenks"}},
            source="terraplan.toml",
        )
    message = str(info.value)
    assert message.startswith("terraplan.toml: 3 problems:")
    assert "  - year: Input should be a valid integer" in message
    allowed = "  - outputs.mapz: unknown key (allowed: maps, offline, plan_annex, profile_charts, "
    assert allowed in message
    assert "profile_formats, profiles, static_maps" in message
    assert "  - map.scheme: Input should be 'quantiles', 'fisher_jenks'" in message


def test_unknown_top_level_key_lists_allowed_keys():
    with pytest.raises(ConfigError, match=r"yeer: unknown key \(allowed: base_year, data, "):
        parse_config({"yeer": 2023})


def test_consistency_checks():
    with pytest.raises(ConfigError, match="base_year 2023 is after year 2021"):
        parse_config({"year": 2021, "base_year": 2023})
    with pytest.raises(ConfigError, match=r"needs map\.bins"):
        parse_config({"map": {"scheme": "user"}})


def test_load_config_from_toml(tmp_path):
    path = tmp_path / "terraplan.toml"
    path.write_text(
        'year = 2022\nlang = "ru"\nplan = "plan.yaml"\n[outputs]\noffline = true\n',
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert (cfg.year, cfg.lang, cfg.outputs.offline) == (2022, "ru", True)
    assert cfg.plan == tmp_path / "plan.yaml"  # relative to the configuration file


def test_toml_syntax_error_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("year = = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "none.toml")


def test_example_file_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "terraplan.toml.example"
    cfg = load_config(example)
    # the example spells out the defaults (and the years they resolve to on the bundled data)
    assert (cfg.year, cfg.base_year) == (2023, 2021)
    assert cfg.model_copy(update={"year": None, "base_year": None}) == BuildConfig()


def test_indicators_without_regional_totals_are_refused():
    from terraplan.pipeline import analyze

    with pytest.raises(ConfigError, match="indicators: gva, gdp have no regional totals"):
        analyze(parse_config({"indicators": ["grp", "gva", "gdp"]}))
