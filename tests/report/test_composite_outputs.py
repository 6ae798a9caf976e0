"""The composite index in the build: map, chart, profile section (3 languages), sheets."""

from __future__ import annotations

import json

import pytest

from terraplan.report.composite import profile_section
from terraplan.report.profile import region_profile, render_profile


def test_build_writes_the_composite_outputs(built):
    for name in (
        "composite-offline.html",
        "static/composite-index.png",
        "static/composite-index.svg",
        "static/composite-ranks.png",
        "static/composite-ranks.svg",
    ):
        assert (built / name).is_file(), name
    page = (built / "composite-offline.html").read_text(encoding="utf-8")
    assert "Regional development index" in page and "rank interval" in page


def test_profile_json_carries_the_index_with_its_interval(built):
    profile = json.loads((built / "profiles" / "KZ-35.json").read_text(encoding="utf-8"))
    c = profile["composite"]
    assert c["framework"] == "kz-development" and c["units"] == 20
    assert c["rank_p05"] <= c["median_rank"] <= c["rank_p95"]
    assert {p["pillar"] for p in c["pillars"]} == {
        "economy", "living_standards", "health_environment",
    }  # fmt: skip
    assert "bns-doctors" in {s["id"] for s in profile["sources"]}


@pytest.mark.parametrize(
    ("lang", "heading", "strengths"),
    [
        ("en", "Composite index", "Strengths"),
        ("ru", "Композитный индекс", "Сильные стороны"),
        ("kk", "Композиттік индекс", "Күшті жақтары"),
    ],
)
def test_profile_section_in_three_languages(analysis, lang, heading, strengths):
    profile = region_profile(analysis, "KZ-23", lang=lang)
    for fmt in ("html", "md"):
        rendered = render_profile(profile, fmt)
        assert heading in rendered and strengths in rendered


def test_profile_section_absent_without_index():
    assert profile_section({}, "KZ-23") is None


def test_workbook_has_the_index_sheets(built):
    from openpyxl import load_workbook

    wb = load_workbook(built / "terraplan-tables.xlsx", read_only=True)
    assert {"index", "index sobol", "index audit", "index steps"} <= set(wb.sheetnames)
