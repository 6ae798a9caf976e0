"""The typology, lisa, regionalize and peers commands on the bundled data, as a user runs them."""

from __future__ import annotations

import io
import json

import pandas as pd
from typer.testing import CliRunner

from terraplan.cli.app import app
from terraplan.errors import InputError

runner = CliRunner()


def test_typology_csv_is_deterministic_and_covers_all_regions():
    args = ["typology", "--year", "2023", "--k", "3", "--method", "ward", "--format", "csv"]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    table = pd.read_csv(io.StringIO(first.stdout))
    assert list(table.columns) == ["region", "name", "cluster"]
    assert len(table) == 20 and set(table["cluster"]) == {1, 2, 3}
    assert "3 types (ward)" in first.stderr and "stability" in first.stderr


def test_typology_scores_and_bad_k():
    result = runner.invoke(app, ["typology", "--show", "scores", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sum(r["chosen"] for r in rows) == 1
    bad = runner.invoke(app, ["typology", "--k", "many"])
    assert isinstance(bad.exception, InputError)


def test_lisa_json_labels():
    result = runner.invoke(
        app,
        [
            "lisa",
            "grp",
            "--per-capita",
            "--year",
            "2023",
            "--permutations",
            "199",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 20
    assert {r["label"] for r in rows} <= {
        "High-High",
        "Low-Low",
        "High-Low",
        "Low-High",
        "Not significant",
    }
    assert "Moran's I" in result.stderr


def test_regionalize_quality_with_population_floor():
    result = runner.invoke(
        app,
        [
            "regionalize",
            "--method",
            "skater",
            "-k",
            "4",
            "--min-population",
            "2000000",
            "--show",
            "quality",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    quality = pd.read_csv(io.StringIO(result.stdout))
    assert quality["contiguous"].all()
    assert (quality["floor_total"] >= 2_000_000).all()


def test_peers_accepts_a_name():
    result = runner.invoke(app, ["peers", "Karaganda", "--k", "3", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table["region"].eq("KZ-35").all() and len(table) == 3
