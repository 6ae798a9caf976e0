"""Sanity checks of the bundled well-being tables (income, life expectancy, doctors, GRP per
capita, emissions) against identities the published figures must satisfy."""

from __future__ import annotations

import pandas as pd
import pytest

from terraplan.datasets import kazakhstan

NEW = ["income_per_capita", "life_expectancy", "doctors", "grp_per_capita_bns", "air_emissions"]


def test_doctors_regions_add_up_to_the_national_row_every_year():
    # the compilation checked this identity exactly; the conversion must keep it
    p = kazakhstan.panel("doctors", include_national=True)
    national = p[p.region == "KZ"].set_index("year")["value"]
    regions = p[p.region != "KZ"].groupby("year")["value"].sum()
    pd.testing.assert_series_equal(regions, national.reindex(regions.index), check_names=False)


def test_border_keys_switch_in_2022_and_are_never_successors():
    for indicator in NEW:
        p = kazakhstan.panel(indicator)
        old = p[p.region.isin(["KZ-VOS", "KZ-ALM", "KZ-KAR"])]
        new = p[p.region.isin(["KZ-10", "KZ-33", "KZ-62"])]
        assert old["year"].max() == 2021, indicator
        assert new["year"].min() == 2022, indicator
        # East Kazakhstan's own code appears only on the new borders
        assert p[p.region == "KZ-63"]["year"].min() == 2022, indicator


@pytest.mark.parametrize(
    ("indicator", "low", "high"),
    [
        ("life_expectancy", 60, 80),  # years
        ("income_per_capita", 1_000, 400_000),  # KZT per person per month
        ("grp_per_capita_bns", 100, 30_000),  # thousand KZT per person
    ],
)
def test_values_in_a_plausible_range(indicator, low, high):
    values = kazakhstan.panel(indicator)["value"]
    assert values.between(low, high).all()


def test_preliminary_flags_where_the_source_says_so():
    income = kazakhstan.panel("income_per_capita")
    assert set(income.loc[income.flag == "preliminary", "year"]) == {2024}
    grp = kazakhstan.panel("grp_per_capita_bns")
    assert set(grp.loc[grp.flag == "preliminary", "year"]) == {2022}
