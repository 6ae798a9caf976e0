"""CLI of the outputs: terraplan build / profile / map, their errors, and a light --help."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from terraplan.cli.app import app

runner = CliRunner()


def run_main(*args: str) -> subprocess.CompletedProcess:
    """Run the console entry point (with its error handling) in a fresh interpreter."""
    code = "import sys; from terraplan.cli import main; sys.argv[0] = 'terraplan'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from typer.testing import CliRunner; from terraplan.cli import app;"
        "r = CliRunner().invoke(app, ['build', '--help']); assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in ('geopandas', 'sklearn', 'matplotlib', 'folium', 'openpyxl')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_build_with_a_wrong_config_key_exits_2_naming_the_key(tmp_path):
    config = tmp_path / "terraplan.toml"
    config.write_text("[outputs]\nmapz = true\n", encoding="utf-8")
    result = run_main("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "outputs.mapz: unknown key (allowed: maps, offline" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_profile_prints_markdown_for_any_spelling():
    result = runner.invoke(app, ["profile", "Караганда", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Karaganda Region\n")
    assert "## Key indicators" in result.stdout


def test_profile_of_an_unknown_region_is_a_region_match_error():
    from terraplan.errors import RegionMatchError

    result = runner.invoke(app, ["profile", "Atlantis"])
    assert isinstance(result.exception, RegionMatchError)  # main() prints it and exits 2
    assert "could not be matched" in str(result.exception)


def test_profile_writes_files(tmp_path):
    result = runner.invoke(
        app,
        [
            "profile",
            "KZ-71",
            "KZ-75",
            "--format",
            "json",
            "--lang",
            "kk",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["KZ-71.json", "KZ-75.json"]
    assert '"name": "Астана қаласы"' in (tmp_path / "KZ-71.json").read_text(encoding="utf-8")


def test_map_command_html_offline_and_svg(tmp_path):
    page = tmp_path / "map.html"
    result = runner.invoke(
        app, ["map", "grp_per_capita", "unemployment_rate", "--offline", "--out", str(page)]
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.count('class="tp-layer"') == 2
    svg = tmp_path / "map.svg"
    result = runner.invoke(app, ["map", "gva", "--sector", "C", "-k", "3", "--out", str(svg)])
    assert result.exit_code == 0, result.output
    assert svg.read_bytes().startswith(b"<?xml")


def test_map_command_errors():
    from terraplan.errors import ConfigError

    result = runner.invoke(app, ["map", "gdp", "--out", "x.html"])
    assert isinstance(result.exception, ConfigError)
    assert "unknown indicator(s) gdp" in str(result.exception)
    result = runner.invoke(app, ["map", "grp", "--out", "x.pdf"])
    assert isinstance(result.exception, ConfigError)
    assert "use a file ending in .html, .png or .svg" in str(result.exception)
