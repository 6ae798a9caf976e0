"""Opportunities in the reader's language: evidence, shortlist, chart, density map, profile."""

from __future__ import annotations

import pytest

from terraplan.analysis.opportunities import opportunity_table
from terraplan.pipeline import Analysis
from terraplan.report.i18n import text
from terraplan.report.opportunities import (
    density_map,
    evidence_text,
    profile_section,
    quadrant_chart,
    shortlist,
)
from terraplan.report.profile import region_profile, render_profile


@pytest.fixture(scope="module")
def table():
    from terraplan.datasets import kazakhstan

    out = opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)
    out.attrs["complexity_indicative"] = True
    out.attrs["eci_stability_low"] = 0.66
    return out


def test_evidence_in_three_languages(table):
    row = table[table["candidate"]].iloc[0].to_dict()
    texts = {lang: evidence_text(row, lang) for lang in ("en", "ru", "kk")}
    assert len(set(texts.values())) == 3
    assert str(row["peers_present"]) in texts["kk"]
    assert row["related"] in texts["ru"]
    assert texts["en"] == row["evidence"]  # the analysis' English sentence is the same text


def test_shortlist_headers_follow_language(table):
    mine = table[(table["region"] == "KZ-35") & table["candidate"]]
    out = shortlist(mine, "ru", top=3)
    assert out.columns[0] == text("opp_rank", "ru")
    assert len(out) == 3
    assert out.iloc[:, 0].tolist() == [1, 2, 3]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_chart_bytes_are_deterministic(table, fmt):
    first = quadrant_chart(table, "KZ-35", "kk", fmt=fmt)
    assert first == quadrant_chart(table, "KZ-35", "kk", fmt=fmt)


def test_density_map_refuses_unknown_sector(table):
    from terraplan.errors import InputError

    assert density_map(table, "B", "en")[:4] == b"\x89PNG"
    with pytest.raises(InputError, match="sector"):
        density_map(table, "ZZ")


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_profile_section_in_every_language(table, lang):
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel(["grp"])
    analysis = Analysis(panel, 2023, 2021, ["grp"], sorted(set(table["region"])), lang=lang)
    analysis.tables["opportunities"] = table
    section = profile_section(analysis, "KZ-35", lang)
    assert len(section["rows"]) == 5
    assert section["indicative"]
    md = render_profile(region_profile(analysis, "KZ-35", lang=lang), "md")
    assert f"## {text('opportunities', lang)}" in md
    assert section["rows"][0]["evidence"].split(";")[0] in md
    assert section["indicative_note"][:30] in md
    html = render_profile(region_profile(analysis, "KZ-35", lang=lang), "html")
    assert text("opp_evidence", lang) in html
