"""Regressions on the bundled data (issue 10, section 4): catalogue caveats and grouped errors."""

from pathlib import Path

import pytest

from terraplan.data.catalog import indicator_info
from terraplan.data.harmonize import harmonize
from terraplan.datasets import kazakhstan
from terraplan.errors import LayoutError


def test_shymkent_unemployment_rows_dropped_by_panel_are_documented():
    """The Bureau publishes Shymkent's rate in 2014, 2016, 2017 beside South Kazakhstan, which
    includes it; panel() drops the part, and the catalogue and docs now say so."""
    years = [2014, 2016, 2017]
    panel = kazakhstan.panel(["unemployment_rate"], years=years)
    assert not panel["region"].eq("KZ-79").any()
    kept = kazakhstan.panel(["unemployment_rate"], years=years, keep_duplicates=True)
    assert sorted(kept.loc[kept["region"].eq("KZ-79"), "year"]) == years
    caveats = indicator_info("unemployment_rate")["caveats"]
    assert "Shymkent (KZ-79) 2014, 2016 and 2017" in caveats and "keep_duplicates" in caveats
    docs = Path(__file__).parents[2] / "docs" / "data.md"
    text = " ".join(docs.read_text(encoding="utf-8").split())
    assert "Shymkent (`KZ-79`) in the unemployment rate of 2014, 2016 and 2017" in text


def test_harmonize_groups_unsplittable_sectors_in_one_line_per_unit():
    """GVA 2015-2020 has no year with Abai, Jetisu, Ulytau: 3 units x 19 sectors used to give
    57 lines; now one line per unit, listing the sectors."""
    panel = kazakhstan.panel(["gva"], years=range(2015, 2021))
    with pytest.raises(LayoutError) as caught:
        harmonize(panel, to="KZ-2022")
    lines = [line for line in str(caught.value).splitlines() if line.startswith("  - ")]
    assert len(lines) == 3
    assert lines[0].startswith("  - cannot split KZ-ALM gva (19 sectors: A, B, C")
    assert "2015-2020, into KZ-19, KZ-33" in lines[0]
