"""The package as a user gets it: a built wheel carries the bundled data and loads it."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_the_data_and_loads_it_outside_the_source_tree(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("terraplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "terraplan/_data/regions/registry.csv",
        "terraplan/_data/regions/stats/gva.csv",
        "terraplan/_data/regions/boundaries/kz-2022-simplified.geojson",
        "terraplan/_data/regions/SOURCES.md",
        "terraplan/_data/regions/oked_sections.csv",
        "terraplan/report/locale/terraplan.pot",
        "terraplan/report/locale/ru/LC_MESSAGES/terraplan.po",
        "terraplan/report/locale/kk/LC_MESSAGES/terraplan.po",
    ):
        assert needed in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import terraplan; from terraplan.datasets import kazakhstan;"
        "from terraplan._resources import data_dir;"
        "assert terraplan.__file__.startswith(sys.argv[1]), terraplan.__file__;"
        "assert str(data_dir()).startswith(sys.argv[1]), data_dir();"
        "print(len(kazakhstan.panel(['grp'], years=[2023])),"
        " len(terraplan.boundaries(resolution='simplified')));"
        "from terraplan.report.i18n import text, unit;"
        "from terraplan.data.sectors import sector_name;"
        "print(text('no_data', 'kk').replace(' ', '_'), unit('persons', 'ru'),"
        " sector_name('F', 'kk'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(target)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["20", "20", "Деректер_жоқ", "человек", "Құрылыс"]
