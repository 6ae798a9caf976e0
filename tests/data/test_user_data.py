"""The analyst's files: where the indicator's metadata comes from, and revisions (data_diff).

Values are made up for the tests; each answer follows from the rows written here.
"""

import numpy as np
import pandas as pd

from terraplan.data.user import DataSource, data_diff, read_source


def test_metadata_comes_from_the_caller_then_the_sidecar_then_the_file(tmp_path):
    path = tmp_path / "Beds 2023.csv"
    path.write_text("region,2023\nKZ-35,10\nAtyrau,20\n", encoding="utf-8")
    panel, record = read_source(DataSource(file=path))
    assert record["indicator"] == "beds_2023"  # from the file name
    assert record["polarity"] == "neutral" and not record["polarity_given"]
    assert panel.set_index("region")["value"].to_dict() == {"KZ-23": 20.0, "KZ-35": 10.0}
    (tmp_path / "Beds 2023.csv.toml").write_text(
        'indicator = "beds"\nname = "Hospital beds"\npolarity = "higher_is_better"\n', "utf-8"
    )
    _, record = read_source(DataSource(file=path))
    assert (record["indicator"], record["name_en"], record["polarity"]) == (
        "beds", "Hospital beds", "higher_is_better",
    )  # fmt: skip
    assert record["sidecar"] == "Beds 2023.csv.toml"
    _, record = read_source(DataSource(file=path, name="Beds", polarity="neutral"))
    assert (record["indicator"], record["name_en"], record["polarity"]) == (
        "beds", "Beds", "neutral",
    )  # fmt: skip


def test_a_long_file_names_its_own_indicator(tmp_path):
    path = tmp_path / "anything.csv"
    path.write_text("region,year,indicator,value\nKZ-35,2023,doctors,3\n", encoding="utf-8")
    panel, record = read_source(DataSource(file=path))
    assert record["indicator"] == "doctors" and panel["indicator"].tolist() == ["doctors"]


def test_data_diff_counts_flags_and_missing_values():
    old = pd.DataFrame({"region": ["A", "B", "C"], "year": 2023, "indicator": "x",
                        "value": [1.0, np.nan, 3.0], "flag": ["preliminary", "", ""]})  # fmt: skip
    new = pd.DataFrame({"region": ["A", "B", "C"], "year": 2023, "indicator": "x",
                        "value": [1.0, np.nan, 3.0 + 1e-12], "flag": ["", "", ""]})  # fmt: skip
    exact = data_diff(old, new)
    assert exact[["region", "status"]].values.tolist() == [["A", "changed"], ["C", "changed"]]
    assert exact.attrs["counts"] == {"changed": 2, "added": 0, "disappeared": 0}
    tolerant = data_diff(old, new, rtol=1e-9)
    assert tolerant["region"].tolist() == ["A"]  # the flag changed; B: both missing are equal
    other_years = pd.DataFrame({"region": ["A"], "year": [2010], "indicator": "x", "value": 5.0})
    assert data_diff(pd.concat([old, other_years]), new, rtol=1e-9)["region"].tolist() == ["A"]
