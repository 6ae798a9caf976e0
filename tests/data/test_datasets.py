"""The bundled statistics: accounting identities and the Bureau's caveats, encoded."""

import numpy as np
import pandas as pd
import pytest

from terraplan.data.panel import PANEL_COLUMNS, validate_panel
from terraplan.datasets import kazakhstan
from terraplan.errors import InputError
from terraplan.territory.registry import layout_regions, regions


def test_panel_is_valid_and_keyed_by_registry_codes():
    panel = kazakhstan.panel(include_national=True)
    assert tuple(panel.columns) == PANEL_COLUMNS
    validate_panel(panel)  # no duplicated keys, numeric values
    assert set(panel["region"]) <= set(regions(None).index) | {"KZ"}
    assert set(panel["indicator"]) == set(kazakhstan.indicators()["id"])


def test_sections_plus_net_taxes_equal_the_regional_product():
    p = kazakhstan.panel(
        ["gva", "grp", "net_taxes", "fisim"], include_national=True, keep_duplicates=True
    )
    sections = p[p["indicator"] == "gva"].groupby(["region", "year"])["value"].sum()
    totals = p[p["indicator"] != "gva"].pivot_table(
        index=["region", "year"], columns="indicator", values="value", aggfunc="sum"
    )
    computed = sections + totals["net_taxes"] - totals["fisim"].fillna(0.0)
    assert len(computed) == 309  # every region-year published
    np.testing.assert_allclose(computed, totals["grp"], rtol=1e-12)


@pytest.mark.parametrize(
    ("indicator", "rtol"),
    [
        ("gva", 1e-12),
        ("grp", 1e-12),
        ("population", 1e-12),
        ("investment", 1e-6),  # whole millions: rounding of 1
        ("gross_output", 1e-12),
        ("employed", 2e-4),
        ("employed_agriculture", 2e-4),
        ("employed_industry_construction", 2e-4),
        ("employed_services", 2e-4),
    ],
)
def test_regions_add_up_to_the_national_row(indicator, rtol):
    p = kazakhstan.panel([indicator], include_national=True)
    national = p[p["region"] == "KZ"].set_index(["sector", "year"])["value"]
    regional = p[p["region"] != "KZ"].groupby(["sector", "year"])["value"].sum()
    np.testing.assert_allclose(regional.loc[national.index], national, rtol=rtol)


def test_employees_2022_fall_short_because_ulytau_is_missing_in_the_source():
    p = kazakhstan.panel(["employees"], years=[2022], include_national=True)
    assert "KZ-62" not in set(p["region"])
    national = p.loc[p["region"] == "KZ", "value"].item()
    regional = p.loc[p["region"] != "KZ", "value"].sum()
    assert regional / national - 1 == pytest.approx(-0.0135, abs=5e-4)


def test_south_kazakhstan_duplicates_are_dropped_by_default_and_equal_their_successors():
    kept = kazakhstan.panel(["grp"], years=range(2011, 2018), keep_duplicates=True)
    wide = kept.pivot_table(index="year", columns="region", values="value")
    np.testing.assert_allclose(wide["KZ-YUZ"], wide["KZ-61"] + wide["KZ-79"], rtol=1e-12)
    default = kazakhstan.panel(["gva", "grp"], years=range(2011, 2018))
    assert "KZ-YUZ" not in set(default["region"])
    assert "KZ-YUZ" in set(kazakhstan.panel(["grp"], years=[2010])["region"])


def test_employment_by_sector_2016_keeps_the_whole_not_the_part():
    # the source publishes South Kazakhstan (with Shymkent) and Shymkent for 2016-2017
    p = kazakhstan.panel(["employed_services"], years=[2016, 2017])
    assert "KZ-YUZ" in set(p["region"]) and "KZ-79" not in set(p["region"])


def test_each_year_is_on_one_layout():
    layouts = {name: set(layout_regions(name)) for name in ("KZ-1997", "KZ-2018", "KZ-2022")}
    gva = kazakhstan.panel(["grp"])
    by_year = gva.groupby("year")["region"].agg(set)
    assert by_year[2010] == layouts["KZ-1997"]
    assert all(by_year[y] == layouts["KZ-2018"] for y in range(2011, 2021))
    assert all(by_year[y] == layouts["KZ-2022"] for y in range(2021, 2026))
    investment = kazakhstan.panel(["investment"]).groupby("year")["region"].agg(set)
    assert investment[2021] == layouts["KZ-2018"] and investment[2022] == layouts["KZ-2022"]
    population = kazakhstan.panel(["population"]).groupby("year")["region"].agg(set)
    assert all(regions == layouts["KZ-2022"] for regions in population)


def test_coarse_services_only_before_2014_and_section_t_only_in_2025():
    gva = kazakhstan.panel(["gva"])
    coarse_years = set(gva.loc[gva["sector"] == "OTHER_SERVICES", "year"])
    assert coarse_years == {2010, 2011, 2012, 2013}
    assert set(gva.loc[gva["sector"] == "I", "year"]) == set(range(2014, 2026))
    assert set(gva.loc[gva["sector"] == "T", "year"]) == {2025}


def test_preliminary_years_and_volume_index_dashes_are_flagged():
    p = kazakhstan.panel(["grp", "gva_volume_index"])
    preliminary = p["flag"].str.contains("preliminary")
    assert (preliminary == (p["year"] >= 2024)).all()
    vol = p[p["indicator"] == "gva_volume_index"]
    dashes = vol["flag"].str.contains("not_published")
    assert dashes.any() and vol.loc[dashes, "value"].isna().all()
    assert (vol["value"].dropna() > 0).all()


def test_sanity_of_known_facts():
    gva = kazakhstan.panel(["gva"], years=[2023])
    wide = gva.pivot_table(index="region", columns="sector", values="value")
    share_mining = wide["B"] / wide.sum(axis=1)
    assert share_mining.idxmax() == "KZ-23"  # Atyrau: oil
    pop = kazakhstan.population(years=[2023]).set_index("region")["value"]
    assert pop.idxmax() == "KZ-75"  # Almaty is the largest unit by population
    assert 19_000_000 < pop.sum() < 21_000_000


def test_unknown_indicator_is_a_clear_error():
    with pytest.raises(InputError, match=r"unknown indicator.*gdp_per_capita"):
        kazakhstan.panel(["gdp_per_capita"])


def test_panel_returns_fresh_copies():
    first = kazakhstan.panel(["grp"])
    first.loc[:, "value"] = -1.0
    assert (kazakhstan.panel(["grp"])["value"] > 0).all()


def test_validate_panel_reports_all_problems_together():
    bad = pd.DataFrame(
        {
            "region": ["KZ-35", "KZ-35"],
            "year": [2023, 2023],
            "indicator": ["grp", "grp"],
            "value": [1.0, 2.0],
        }
    )
    with pytest.raises(InputError, match="share a \\(region, year, indicator, sector\\) key"):
        validate_panel(bad)
    with pytest.raises(InputError, match="lacks the column"):
        validate_panel(bad.drop(columns="value"))
    words = bad.assign(value=["1", "x"], year=[2023, 2024])
    with pytest.raises(InputError, match="value must be numeric"):
        validate_panel(words)
