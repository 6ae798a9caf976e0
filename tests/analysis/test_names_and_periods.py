"""Names everywhere and periods across the 2022 border change (issue 10, section 3).

Known answers come from the bundled BNS panel itself: a region named in any spelling gives the
same rows as its code; after harmonizing, unchanged regions keep the published values and the
reference (the sum of regions) keeps the published totals, because the split parts add up to
the old unit.
"""

import numpy as np
import pandas as pd
import pytest

from terraplan.analysis.advantages import advantages
from terraplan.analysis.features import kazakhstan_features
from terraplan.analysis.peers import peers
from terraplan.analysis.portfolio import plot_portfolio, portfolio
from terraplan.analysis.shiftshare import shift_share
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError

GVA = kazakhstan.panel(["gva"])
SPLIT = {"KZ-10", "KZ-19", "KZ-33", "KZ-35", "KZ-62", "KZ-63"}


def test_advantages_take_any_spelling_and_carry_names_in_the_language():
    by_code = advantages(GVA, year=2023, base_year=2021, region="KZ-23")
    by_name = advantages(GVA, year=2023, base_year=2021, region="Atyrau")
    pd.testing.assert_frame_equal(by_code, by_name)
    assert set(by_name["region_name"]) == {"Atyrau Region"}
    ru = advantages(GVA, year=2023, base_year=2021, region=["Атырауская", "KZ-35"], lang="ru")
    assert set(ru["region_name"]) == {"Атырауская область", "Карагандинская область"}
    with pytest.raises(AnalysisError, match="Atlantis"):
        advantages(GVA, year=2023, base_year=2021, region="Atlantis")


def test_peers_and_portfolio_plots_take_names():
    features = kazakhstan_features(kazakhstan.panel(), year=2023)
    by_name = peers(features, "Караганда", k=3, lang="kk")
    pd.testing.assert_frame_equal(by_name, peers(features, "KZ-35", k=3, lang="kk"))
    assert by_name["region_name"].unique().tolist() == ["Қарағанды облысы"]
    assert by_name["peer_name"].str.len().gt(0).all()
    with pytest.raises(InputError, match="Mordor"):
        peers(features, "Mordor")
    pf = portfolio(GVA, year=2023, base_year=2021)
    assert pf.loc[pf["region"] == "KZ-23", "region_name"].unique().tolist() == ["Atyrau Region"]
    fig = plot_portfolio(pf, "Atyrau")
    assert "KZ-23" in fig.axes[0].get_title()


def test_a_period_across_the_border_change_needs_harmonize():
    with pytest.raises(AnalysisError, match="harmonize"):
        advantages(GVA, year=2023, base_year=2015)


def test_harmonize_flags_splits_and_keeps_published_figures_exact():
    adv = advantages(GVA, year=2023, base_year=2015, harmonize=True)
    assert set(adv.loc[adv["estimated"], "region"]) <= SPLIT
    assert not adv.loc[~adv["region"].isin(SPLIT), "estimated"].any()
    assert adv.attrs["harmonized"]["layout"] == "KZ-2022"
    assert set(adv.attrs["harmonized"]["estimated_regions"]) == SPLIT

    ss = shift_share(GVA, year=2023, base_year=2015, harmonize=True)
    assert ss.loc[ss["region"].isin(SPLIT), "estimated"].all()
    assert not ss.loc[~ss["region"].isin(SPLIT), "estimated"].any()
    # unchanged regions: the published values of both years
    published = GVA.set_index(["region", "year", "sector"])["value"]
    atyrau = ss[ss["region"] == "KZ-23"].set_index("sector")
    for sector, row in atyrau.iterrows():
        assert row["base_value"] == published[("KZ-23", 2015, sector)]
        assert row["value"] == published[("KZ-23", 2023, sector)]
    # the reference "nation" (sum of regions) is the published one: the splits add up
    regional = GVA[GVA["region"] != "KZ"]
    by_year = regional.groupby(["year", "sector"])["value"].sum().unstack("year")
    expected = (by_year[2023] / by_year[2015] - 1).reindex(atyrau.index)
    assert np.allclose(atyrau["reference_sector_growth"], expected, rtol=1e-12)
    # and the split parts add up to the old units in the base year
    base = ss[ss["region"].isin(["KZ-35", "KZ-62"])].groupby("sector")["base_value"].sum()
    old = published.xs(("KZ-KAR", 2015), level=["region", "year"]).reindex(base.index)
    assert np.allclose(base, old, rtol=1e-12)
