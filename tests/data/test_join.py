"""join(): every data row and every region is accounted for in the report."""

import pandas as pd
import pytest

from terraplan.data.join import join
from terraplan.errors import InputError, RegionMatchError


def _data():
    # 5 rows by construction: 3 spellings of known regions, 1 typo, 1 unknown, 1 historic unit
    return pd.DataFrame(
        {
            "Область": ["Карагандинская", "г.Астана", "Pavlodr", "Atlantis", "South Kazakhstan"],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )


def test_report_counts_rows_and_regions():
    gdf, report = join(_data(), region_column="Область", report=True)
    assert report.rows_total == 5
    assert report.rows_matched == 3
    assert report.rows_unmatched == 2
    assert report.unmatched["input"].tolist() == ["Atlantis", "South Kazakhstan"]
    assert report.unmatched["row"].tolist() == [4, 5]
    assert report.unmatched["status"].tolist() == ["unmatched", "outside_layout"]
    assert "KZ-61" in report.unmatched.loc[1, "suggestions"]
    assert report.methods == {"exact": 2, "fuzzy": 1}  # BNS labels are official names
    assert len(report.regions_without_data) == 17
    assert "KZ-35" not in report.regions_without_data
    # the result has every region of the layout; those without data carry NaN
    assert len(gdf) == 20 and gdf["code"].is_unique
    values = gdf.set_index("code")["value"]
    assert values[["KZ-35", "KZ-71", "KZ-55"]].tolist() == [1.0, 2.0, 3.0]
    assert values.isna().sum() == 17
    assert gdf.attrs["join_report"]["rows_unmatched"] == 2
    assert "Atlantis" in report.summary()


def test_long_tables_get_a_polygon_per_row():
    data = pd.DataFrame(
        {
            "region": ["KZ-35", "KZ-35", "KZ-62"],
            "year": [2022, 2023, 2023],
            "value": [1.0, 2.0, 3.0],
        }
    )
    gdf = join(data)
    assert len(gdf) == 3 + 18  # 3 data rows + the 18 regions without data
    assert gdf.loc[gdf["code"] == "KZ-35", "year"].tolist() == [2022, 2023]


def test_older_layout_and_strict_mode():
    data = pd.DataFrame({"region": ["South Kazakhstan", "Almaty"], "value": [1.0, 2.0]})
    with pytest.raises(RegionMatchError, match="South Kazakhstan"):
        join(data, strict=True)
    with pytest.raises(InputError, match="no column 'name'"):
        join(data, region_column="name")


def test_fuzzy_matches_are_listed_in_the_join_report():
    data = pd.DataFrame({"region": ["Karaganada", "Atyrau"], "value": [1.0, 2.0]})
    _, report = join(data, report=True)
    assert report.fuzzy[["row", "input", "code"]].values.tolist() == [[1, "Karaganada", "KZ-35"]]
    assert "fuzzy match: row 1: 'Karaganada' -> KZ-35" in report.summary()
    assert report.as_dict()["fuzzy"][0]["code"] == "KZ-35"
