"""Files are written with the user's umask (0644 under the usual 022), in every command.

Atomic writes go through a temporary file from ``mkstemp`` (mode 0600); the helpers must give the
file the mode an ordinary ``open()`` would, so colleagues on a shared drive can read the outputs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from terraplan.cli import app
from terraplan.report.sanitize import atomic_write_bytes, atomic_write_text

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set a umask for one test and restore the previous one afterwards."""
    previous = os.umask(0o022)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(previous)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_atomic_writes_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    assert mode(atomic_write_text(tmp_path / "a.txt", "x")) == expected
    assert mode(atomic_write_bytes(tmp_path / "b.bin", b"x")) == expected
    assert mode(atomic_write_text(tmp_path / "a.txt", "again")) == expected  # replacing too


def test_profile_map_harmonize_and_build_write_0644(tmp_path, umask):
    umask(0o022)
    profiles = tmp_path / "profiles"
    result = runner.invoke(app, ["profile", "KZ-71", "--format", "md", "--out", str(profiles)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "map.html"
    result = runner.invoke(app, ["map", "grp", "--offline", "--out", str(page)])
    assert result.exit_code == 0, result.output
    svg = tmp_path / "map.svg"
    result = runner.invoke(app, ["map", "grp", "--out", str(svg)])
    assert result.exit_code == 0, result.output
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "region,year,indicator,sector,value,unit,flag\nKZ-71,2023,grp,TOTAL,1.0,m,\n",
        encoding="utf-8",
    )
    harmonized = tmp_path / "harmonized.csv"
    result = runner.invoke(app, ["harmonize", str(panel), "--out", str(harmonized)])
    assert result.exit_code == 0, result.output
    built = tmp_path / "built"
    config = tmp_path / "terraplan.toml"
    config.write_text(
        'indicators = ["grp"]\n[typology]\nn_stability = 0\n[outputs]\nstatic_maps = false\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["build", "-c", str(config), "--out", str(built), "--offline", "--no-progress",
         "--lang", "kk"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '<html lang="kk">' in (built / "index.html").read_text(encoding="utf-8")  # --lang
    written = [profiles / "KZ-71.md", page, svg, harmonized]
    written += [p for p in built.rglob("*") if p.is_file()]
    modes = {str(p.relative_to(tmp_path)): oct(mode(p)) for p in written}
    assert set(modes.values()) == {oct(0o644)}, modes
    assert len(written) > 4
