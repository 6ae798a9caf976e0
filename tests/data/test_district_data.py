"""Tests of the bundled district data, the crosswalk harmonization and upward aggregation.

Identities checked on the real bundled bulletin (its districts add up to its region rows, the
regions to the Republic); known answers built by hand for the crosswalk (a unit panel of ones,
areas pushed forward and back); and the documented disagreement with the region panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.data.districts import (
    aggregate_districts,
    crosswalk,
    district_catalog,
    district_panel,
    district_population,
    district_zones,
    harmonize_districts,
)
from terraplan.datasets import kazakhstan
from terraplan.errors import InputError
from terraplan.territory.districts import districts

SERIES = [
    "population_jan1", "population_jan1_men", "population_jan1_women", "population_jan1_urban",
    "population_jan1_urban_men", "population_jan1_urban_women", "population_jan1_rural",
    "population_jan1_rural_men", "population_jan1_rural_women",
]  # fmt: skip


def test_bulletin_districts_add_up_to_regions_and_regions_to_the_republic():
    dist = district_population("district")
    reg = district_population("region")
    country = district_population("country").set_index("indicator")["value"]
    sums = dist.groupby(["parent", "indicator"])["value"].sum()
    expected = reg.set_index(["region", "indicator"])["value"]
    pd.testing.assert_series_equal(
        sums.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
    assert (reg.groupby("indicator")["value"].sum() == country.loc[SERIES].sort_index()).all()
    totals = dist.pivot(index="region", columns="indicator", values="value")
    assert (totals["population_jan1_men"] + totals["population_jan1_women"]
            == totals["population_jan1"]).all()  # fmt: skip
    assert (totals["population_jan1_urban"] + totals["population_jan1_rural"]
            == totals["population_jan1"]).all()  # fmt: skip


def test_aggregation_reproduces_the_bulletin_regions_exactly():
    panel = district_panel(SERIES, include_unmapped=True)
    regions = aggregate_districts(panel).set_index(["region", "indicator"])["value"]
    expected = district_population("region").set_index(["region", "indicator"])["value"]
    pd.testing.assert_series_equal(regions.sort_index(), expected.sort_index(), check_names=False)
    # without Sauran (no polygon), Turkistan falls short by exactly Sauran's population
    short = aggregate_districts(district_panel("population_jan1")).set_index("region")["value"]
    sauran = (
        district_population("district")
        .query("region == 'KZ-61-SAURAN' and indicator == 'population_jan1'")["value"]
        .iloc[0]
    )
    gap = expected.xs("population_jan1", level="indicator") - short
    assert gap["KZ-61"] == sauran and (gap.drop("KZ-61") == 0).all()


def test_documented_difference_from_the_annual_average_population():
    """The region panel's 2023 population is the annual average (another measure): the
    bulletin's 1 January figures differ by -2.8 % to +0.4 % (table in docs/districts.md)."""
    jan1 = district_population("region").query("indicator == 'population_jan1'")
    jan1 = jan1.set_index("region")["value"]
    average = kazakhstan.panel(["population"], years=[2023]).set_index("region")["value"]
    ratio = (jan1 / average.reindex(jan1.index) - 1) * 100
    assert ratio.between(-2.8, 0.4).all(), ratio.round(2).to_dict()
    assert ratio.idxmin() == "KZ-71"  # Astana grows fastest: 1 January is far below average


def test_panel_indicators_units_and_flags():
    panel = district_panel()
    assert set(panel["indicator"]) == set(district_catalog().index)
    assert set(panel["region"]) <= set(districts().index)
    density = panel[panel["indicator"] == "population_density"].set_index("region")
    # Almaty's city districts are the densest, desert rayons the emptiest
    assert density["value"].idxmax().startswith("75")
    assert density["value"].min() < 1
    split = density[density["flag"].str.contains("borders_before_split")].index
    assert sorted(split) == [
        "101000000", "104600000", "196200000", "196800000", "711210000", "791110000"
    ]  # fmt: skip
    # the five units created after 1 January 2023 have area but no population
    area = panel[panel["indicator"] == "district_area"]
    assert len(area) == 224
    missing = set(area["region"]) - set(density.index)
    assert missing == {"101010000", "104500000", "191800000", "711510000", "791910000"}
    share = panel[panel["indicator"] == "urban_share"]["value"]
    assert share.between(0, 100).all()


def test_density_over_the_old_territory_for_split_districts():
    """Urzhar's figure covers Urzhar and Maqanshy: its density is population over both areas
    (the whole of Maqanshy came from Urzhar, share 1 in the crosswalk)."""
    table = districts()
    pop = district_panel("population_jan1").set_index("region")["value"]
    density = district_panel("population_density").set_index("region")["value"]
    combined = table.loc["104600000", "area_km2"] + table.loc["104500000", "area_km2"]
    assert density["104600000"] == pytest.approx(pop["104600000"] / combined)
    assert density["113200000"] == pytest.approx(
        pop["113200000"] / table.loc["113200000", "area_km2"]
    )


def test_harmonize_round_trip_and_known_answers():
    old = districts("KZ-2018-D")
    panel = pd.DataFrame({"region": old.index, "year": 2020, "indicator": "district_area",
                          "value": old["area_km2"].to_numpy(), "unit": "km²"})  # fmt: skip
    forward = harmonize_districts(panel, to="KZ-2024-D")
    new_area = districts()["area_km2"]
    got = forward.set_index("region")["value"]
    # area pushed by area shares lands on the 2024 areas (two drawings: within 3 % each,
    # city units whose territory changed excepted) and the total is kept exactly
    assert got.sum() == pytest.approx(old["area_km2"].sum())
    rel = (got / new_area.reindex(got.index) - 1).abs()
    assert (rel[~got.index.str[:2].isin(["71", "75", "79"])] < 0.03).mean() > 0.97
    back = harmonize_districts(forward, to="KZ-2018-D").set_index("region")["value"]
    np.testing.assert_allclose(back[old.index], old["area_km2"], rtol=0.02)
    # units that did not change are exact; a split is flagged estimated
    flags = forward.set_index("region")["flag"]
    same = crosswalk().query("relation == 'same'")["kato_2024"]
    unchanged = [c for c in same if (crosswalk()["kato_2024"] == c).sum() == 1]
    assert (flags[unchanged] == "").all() and flags["104500000"] == "estimated"


def test_harmonize_averages_ratios_and_rejects_unknown_units():
    walk = crosswalk()
    parts = walk[walk["kato_2024"] == "191800000"]  # Alatau city: from Ile and Talgar
    values = np.array([10.0, 50.0])
    assert len(parts) == 2
    panel = pd.DataFrame({"region": parts["kato_2018"], "year": 2020,
                          "indicator": "urban_share", "value": values})  # fmt: skip
    out = harmonize_districts(panel).set_index("region")
    w = parts["overlap_km2"].to_numpy()
    expected = (w * values).sum() / w.sum()
    assert out.loc["191800000", "value"] == pytest.approx(expected)
    with pytest.raises(InputError, match="not districts of KZ-2018-D"):
        harmonize_districts(pd.DataFrame({"region": ["KZ-35"], "year": 2020,
                                          "indicator": "x", "value": 1.0}))  # fmt: skip
    with pytest.raises(InputError, match="not additive"):
        aggregate_districts(district_panel("urban_share"))


def test_every_district_has_a_natural_zone():
    zones = district_zones()
    assert zones.index.tolist() == sorted(districts().index)
    assert zones["zone_en"].notna().all() and (zones["zone_en"] != "").all()
    assert set(zones["flag"]) <= {"", "estimated"}
    old = district_zones("KZ-2018-D")
    assert len(old) == 216 and old["zone_en"].notna().all()


def test_every_catalogue_source_is_listed():
    from terraplan.data.districts import district_sources

    assert set(district_catalog()["source"]) <= set(district_sources()["id"])


@settings(max_examples=10, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=216, max_size=216))
def test_harmonize_keeps_the_total_of_any_count(values):
    """Property: an additive indicator moved 2018 -> 2024 keeps its national total (the area
    shares of every 2018 unit add up to 1), and moving it back keeps it again."""
    old = districts("KZ-2018-D").index
    panel = pd.DataFrame({"region": old, "year": 2020, "indicator": "population_jan1",
                          "value": values})  # fmt: skip
    forward = harmonize_districts(panel)
    assert forward["value"].sum() == pytest.approx(sum(values), rel=1e-6, abs=1e-6)
    back = harmonize_districts(forward, to="KZ-2018-D")
    assert back["value"].sum() == pytest.approx(sum(values), rel=1e-6, abs=1e-6)
