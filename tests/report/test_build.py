"""terraplan build: the files, the manifest, byte-identical reruns, no partial output on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from terraplan.report.build import build
from terraplan.territory.registry import layout_regions

CODES = layout_regions("KZ-2022")


def listing(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_every_output(built):
    files = listing(built)
    for code in CODES:
        for fmt in ("html", "md", "json"):
            assert f"profiles/{code}.{fmt}" in files
    for name in (
        "index.html",
        "indicators-offline.html",
        "typology-offline.html",
        "terraplan-tables.xlsx",
        "manifest.json",
        "static/grp_per_capita.png",
        "static/grp_per_capita.svg",
        "static/typology.svg",
        "static/lisa.png",
    ):
        assert name in files, name
    assert "indicators.html" not in files  # offline build: no page that needs the network
    assert not [n for n in files if n.startswith(".")]  # no staging left behind


def test_manifest_records_inputs_outputs_and_parameters(built):
    from terraplan.report.manifest import sha256_bytes

    files = listing(built)
    manifest = json.loads(files["manifest.json"])
    assert manifest["parameters"]["year"] == 2023 and manifest["parameters"]["base_year"] == 2021
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    assert set(outputs) == set(files) - {"manifest.json"}
    for path, digest in outputs.items():
        assert sha256_bytes(files[path]) == digest, path
    inputs = {i["path"] for i in manifest["inputs"]}
    assert "data/regions/stats/gva.csv" in inputs and "data/regions/admin_centres.csv" in inputs
    assert manifest["packages"]["pandas"]


def test_two_builds_are_byte_identical(built, small_config, tmp_path):
    again = tmp_path / "again"
    build(small_config, again, progress=False)
    first, second = listing(built), listing(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_failing_build_leaves_no_partial_files(small_config, tmp_path, monkeypatch):
    import terraplan.report.workbook as workbook

    # maps and JSON profiles are written to the staging folder before the workbook fails
    quick = small_config.model_copy(
        update={
            "outputs": small_config.outputs.model_copy(
                update={"static_maps": False, "profile_formats": ["json"]}
            )
        }
    )
    out = tmp_path / "maps"
    out.mkdir()
    (out / "earlier.txt").write_text("from an earlier run", encoding="utf-8")

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(workbook, "workbook_bytes", broken)  # fails after maps and profiles
    with pytest.raises(RuntimeError, match="disk full"):
        build(quick, out, progress=False)
    assert listing(out) == {"earlier.txt": b"from an earlier run"}
    assert [p.name for p in out.iterdir()] == ["earlier.txt"]  # no hidden staging folder


def test_workbook_of_the_build(built):
    import openpyxl

    wb = openpyxl.load_workbook(built / "terraplan-tables.xlsx")
    for sheet in ("about", "indicators", "location quotients", "shift-share", "typology",
                  "lisa", "sources"):  # fmt: skip
        assert sheet in wb.sheetnames, sheet
    header = [c.value for c in wb["indicators"][1]]
    assert "GRP per capita, thousand KZT per person" in header
    assert wb["indicators"].max_row == 21  # header + 20 regions


def test_index_links_everything(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    for code in CODES:
        assert f'href="profiles/{code}.html"' in page
    assert 'href="indicators-offline.html"' in page


def test_plan_monitoring_adds_a_layer_a_profile_section_and_a_sheet(small_config):
    from terraplan.pipeline import analyze
    from terraplan.report.build import map_layers, workbook_tables
    from terraplan.report.profile import region_profile

    plan = Path(__file__).resolve().parents[2] / "examples" / "plan-kazakhstan-2025.yaml"
    analysis = analyze(small_config.model_copy(update={"plan": plan}))
    monitoring = analysis.tables["monitoring"]
    layers = map_layers(analysis, small_config)["typology"]
    status = layers[-2]  # the last is the forecast's traffic light (test_forecasts.py)
    assert status.name == "Plan monitoring: Unemployment rate, 2023"
    expected = monitoring.query("year == 2023").set_index("region")["status"]
    words = {
        "on_track": "on track",
        "at_risk": "at risk",
        "off_track": "off track",
        "no_data": "no data",
        "no_baseline": "no baseline",
    }  # statuses shown as words
    expected = expected.map(words)
    assert status.values.dropna().to_dict() == expected.reindex(CODES).dropna().to_dict()
    profile = region_profile(analysis, "KZ-35")
    assert profile["monitoring"]["columns"][:2] == ["indicator", "year"]
    assert len(profile["monitoring"]["rows"]) == len(monitoring.query("region == 'KZ-35'"))
    assert "plan monitoring" in workbook_tables(analysis)


def test_output_folder_that_is_a_file_is_a_clear_error(small_config, tmp_path):
    from terraplan.errors import OutputError

    target = tmp_path / "maps"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        build(small_config, target, progress=False)
