"""Region profiles: ranks and shares checked against the panel, sections, escaping, formats."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from terraplan.errors import RegionMatchError
from terraplan.pipeline import Analysis
from terraplan.report.profile import SCHEMA, region_profile, render_profile, resolve_region
from terraplan.territory.registry import layout_regions

CODES = layout_regions("KZ-2022")
PAYLOAD = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def karaganda(analysis):
    return region_profile(analysis, "Karaganda")


def test_names_resolve_in_any_spelling():
    assert resolve_region("Karaganda") == "KZ-35"
    assert resolve_region("Қарағанды облысы") == "KZ-35"
    assert resolve_region("KZ-79") == "KZ-79"
    with pytest.raises(RegionMatchError):
        resolve_region("Atlantis")


def test_rank_and_value_agree_with_the_panel(analysis, karaganda):
    panel = analysis.panel
    rows = panel[
        (panel["indicator"] == "grp_per_capita")
        & (panel["year"] == analysis.year)
        & panel["region"].isin(CODES)
    ].set_index("region")["value"]
    key = {k["indicator"]: k for k in karaganda["key_indicators"]}
    gpc = key["grp_per_capita"]
    assert gpc["value"] == pytest.approx(rows["KZ-35"])
    # rank 1 = highest: one plus the number of regions with a larger value
    assert gpc["rank"] == 1 + int((rows > rows["KZ-35"]).sum())
    assert gpc["ranked"] == 20
    # unemployment: lower is better, rank 1 = lowest
    ur = panel[
        (panel["indicator"] == "unemployment_rate")
        & (panel["year"] == analysis.year)
        & panel["region"].isin(CODES)
    ].set_index("region")["value"]
    assert key["unemployment_rate"]["rank"] == 1 + int((ur < ur["KZ-35"]).sum())


def test_trend_and_flags(karaganda):
    trend = next(k for k in karaganda["key_indicators"] if k["indicator"] == "grp_per_capita")
    years = [t["year"] for t in trend["trend"]]
    assert years == sorted(years) and years[0] == 2021  # KZ-35 exists on 2022 borders from 2021
    flags = {t["year"]: t["flag"] for t in trend["trend"]}
    assert flags[2023] == "" and "preliminary" in flags[2024]


def test_structure_shares_sum_to_one_hundred_and_lq_is_their_ratio(karaganda):
    sectors = karaganda["structure"]["sectors"]
    assert sum(s["share_pct"] for s in sectors) == pytest.approx(100.0)
    assert sum(s["country_share_pct"] for s in sectors) == pytest.approx(100.0)
    for s in sectors:
        assert s["lq"] == pytest.approx(s["share_pct"] / s["country_share_pct"])


def test_sections_from_the_other_modules(analysis, karaganda):
    assert karaganda["schema"] == SCHEMA
    assert karaganda["region"]["code"] == "KZ-35"
    assert "KZ-62" in {n["code"] for n in karaganda["neighbours"]}  # Ulytau borders Karaganda
    assert karaganda["typology"]["type"] >= 1
    for section in ("advantages", "peers", "shift_share"):
        if section in analysis.tables:
            assert karaganda[section]["rows"], section
        else:
            assert section in karaganda["notes"], section


def test_missing_sections_are_left_out_with_a_note(analysis):
    bare = dataclasses.replace(
        analysis,
        tables={},
        notes={"advantages": "competitive advantages left out: No module named 'x'"},
        neighbours={},
    )
    profile = region_profile(bare, "KZ-35")
    assert profile["advantages"] is None and profile["typology"] is None
    page = render_profile(profile, "html")
    assert "Section not available: competitive advantages left out" in page
    assert "Section not available" in render_profile(profile, "md")


def test_json_round_trips_and_is_stable(karaganda):
    text = render_profile(karaganda, "json")
    assert json.loads(text) == json.loads(json.dumps(karaganda))
    assert text == render_profile(karaganda, "json")
    assert "NaN" not in text


def test_languages(analysis):
    ru = region_profile(analysis, "KZ-35", lang="ru")
    assert ru["region"]["name"] == "Карагандинская область"
    page = render_profile(ru, "html")
    assert "Ключевые показатели" in page and 'lang="ru"' in page


def synthetic_analysis() -> Analysis:
    # one indicator whose id, unit and flag are a script tag: values 1..20 in code order
    panel = pd.DataFrame(
        {
            "region": CODES,
            "year": 2023,
            "indicator": PAYLOAD,
            "sector": "TOTAL",
            "value": np.arange(1.0, 21.0),
            "unit": PAYLOAD,
            "flag": PAYLOAD,
        }
    )
    return Analysis(panel=panel, year=2023, base_year=2023, indicators=[PAYLOAD], regions=CODES)


def test_user_text_is_escaped_in_html_and_markdown():
    profile = region_profile(synthetic_analysis(), "KZ-79")
    key = profile["key_indicators"][0]
    assert key["rank"] == 1 and key["value"] == 20.0  # KZ-79 is last in code order
    page = render_profile(profile, "html")
    md = render_profile(profile, "md")
    assert PAYLOAD not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert PAYLOAD not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert json.loads(render_profile(profile, "json"))["key_indicators"][0]["unit"] == PAYLOAD


def test_markdown_table_syntax_is_escaped():
    analysis = synthetic_analysis()
    analysis.panel["unit"] = "a | b *c*"
    md = render_profile(region_profile(analysis, "KZ-35"), "md")
    assert "a \\| b \\*c\\*" in md


def test_html_profile_with_locator_map(analysis, geo):
    from terraplan.report.svg import project_shapes

    shapes = project_shapes(geo, width=300)
    page = render_profile(region_profile(analysis, "KZ-35"), "html", shapes=shapes)
    assert page.count("<path ") == 20
    assert page.count('class="tp-self"') == 1
    assert "<script" not in page  # the profile needs no script at all


def test_a_rate_changes_by_percentage_points(analysis):
    """Regression (issue 10): unemployment Atyrau 2021-2023 (bundled BNS data: 4.9 % -> 4.8 %)
    is -0.1 pp in the profile, not the relative -2.0 %."""
    shifted = dataclasses.replace(analysis, base_year=2021, year=2023, cache={})
    profile = region_profile(shifted, "Atyrau")
    rate = next(k for k in profile["key_indicators"] if k["indicator"] == "unemployment_rate")
    assert rate["change_unit"] == "pp" and round(rate["change_since_base"], 1) == -0.1
    assert round(rate["change_since_base_pct"], 1) == -2.0  # the relative change, kept as is
    grp = next(k for k in profile["key_indicators"] if k["indicator"] == "grp_per_capita")
    assert grp["change_unit"] == "%" and grp["change_since_base"] == grp["change_since_base_pct"]
    markdown = render_profile(profile, "md")
    assert "-0.1 pp" in markdown.replace("−", "-") and "Change 2021–2023" in markdown
    russian = render_profile(region_profile(shifted, "Atyrau", lang="ru"), "md")
    assert "п.п." in russian
