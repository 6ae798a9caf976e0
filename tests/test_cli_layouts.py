"""The ``terraplan harmonize`` and ``terraplan zonal`` commands, end to end."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from typer.testing import CliRunner

import terraplan.cli  # noqa: F401  (registers the commands)
from terraplan.cli.app import app
from terraplan.errors import InputError

runner = CliRunner()

PANEL = (
    "region,year,indicator,sector,value,unit,flag\n"
    "KZ-YUZ,2010,grp,TOTAL,100,million KZT,\n"
    "KZ-61,2011,grp,TOTAL,60,million KZT,\n"
    "KZ-79,2011,grp,TOTAL,20,million KZT,preliminary\n"
)


@pytest.fixture
def panel_file(tmp_path):
    path = tmp_path / "grp.csv"
    path.write_text(PANEL, encoding="utf-8")
    return path


def test_harmonize_to_stdout(panel_file):
    # 2010 South Kazakhstan split by the 2011 shares 60:20 -> 75 and 25, flagged estimated
    result = runner.invoke(app, ["harmonize", str(panel_file), "--to", "KZ-2018"])
    assert result.exit_code == 0, result.output
    out = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    rows = out[out["year"] == 2010].set_index("region")
    assert rows["value"].to_dict() == {"KZ-61": 75.0, "KZ-79": 25.0}
    assert rows["flag"].eq("estimated").all()


def test_harmonize_to_a_file(panel_file, tmp_path):
    target = tmp_path / "out" / "grp-1997.csv"
    target.parent.mkdir()
    result = runner.invoke(
        app, ["harmonize", str(panel_file), "--to", "KZ-1997", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(target, keep_default_na=False)
    assert out[["region", "year", "value", "flag"]].to_dict("records") == [
        {"region": "KZ-YUZ", "year": 2010, "value": 100.0, "flag": ""},
        {"region": "KZ-YUZ", "year": 2011, "value": 80.0, "flag": "preliminary"},
    ]


@pytest.fixture
def raster(tmp_path):
    # 0.5° cells of value 2 over all of Kazakhstan (and a margin)
    path = tmp_path / "twos.tif"
    profile = {"driver": "GTiff", "width": 84, "height": 32, "count": 1, "dtype": "float32"}
    with rasterio.open(
        path, "w", crs="EPSG:4326", transform=Affine(0.5, 0, 46, 0, -0.5, 56), **profile
    ) as dst:
        dst.write(np.full((1, 32, 84), 2.0, dtype="float32"))
    return path


def test_zonal_on_zones_file(raster, tmp_path):
    # one zone = a 2 x 1 block of cells (60-61E, 50-50.5N): sum = 2 cells x 2 = 4
    zones = tmp_path / "zones.geojson"
    ring = [[60, 50], [61, 50], [61, 50.5], [60, 50.5], [60, 50]]
    feature = {
        "type": "Feature",
        "properties": {"code": "box"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    zones.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = runner.invoke(
        app, ["zonal", str(raster), "--zones", str(zones), "-s", "sum", "-s", "count", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"code": "box", "sum": 4.0, "count": 2.0}]


def test_zonal_as_panel_for_a_layout(raster):
    result = runner.invoke(
        app,
        ["zonal", str(raster), "--layout", "KZ-2018", "--stat", "sum", "--resolution", "simplified",
         "--indicator", "twos", "--year", "2020", "--unit", "cells", "-f", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(out.columns) == ["region", "year", "indicator", "sector", "value", "unit", "flag"]
    assert len(out) == 17 and "KZ-VOS" in set(out["region"])
    assert out["sector"].eq("TOTAL").all() and out["unit"].eq("cells").all()


def test_zonal_errors(raster, tmp_path):
    result = runner.invoke(app, ["zonal", str(raster), "--indicator", "x"])
    assert isinstance(result.exception, InputError)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from terraplan.cli import main; main()",
            "zonal",
            str(tmp_path / "none.tif"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "cannot open the raster" in done.stderr
