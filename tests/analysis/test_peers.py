"""Peer regions: distances and rankings known by construction, drivers, errors, KZ data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from terraplan.analysis.features import kazakhstan_features
from terraplan.analysis.peers import peers
from terraplan.datasets import kazakhstan
from terraplan.errors import InputError


def test_distances_and_ranks_by_hand():
    # raw features (no standardization): points on a line at 0, 1, 3, 7
    X = pd.DataFrame({"x": [0.0, 1.0, 3.0, 7.0]}, index=["A", "B", "C", "D"])
    table = peers(X, k=2, standardize=False)
    assert table["region"].tolist() == ["A", "A", "B", "B", "C", "C", "D", "D"]
    assert table["peer"].tolist() == ["B", "C", "A", "C", "B", "A", "C", "B"]
    assert table["distance"].tolist() == [1.0, 3.0, 1.0, 2.0, 2.0, 3.0, 4.0, 6.0]
    assert table["rank"].tolist() == [1, 2] * 4


def test_ties_are_broken_by_code():
    # B and C are both at distance 1 from A (known by construction)
    X = pd.DataFrame({"x": [0.0, 1.0, -1.0]}, index=["A", "C", "B"])
    table = peers(X, "A", k=2, standardize=False)
    assert table["peer"].tolist() == ["B", "C"]


def test_drivers_name_the_close_and_the_far_features():
    # R2 matches R1 exactly on "farm" and differs most on "mining"
    X = pd.DataFrame(
        {"farm": [1.0, 1.0, 5.0, 3.0], "mining": [0.0, 4.0, 9.0, 2.0], "trade": [2, 3, 1, 0.0]},
        index=["R1", "R2", "R3", "R4"],
    )
    table = peers(X, "R1", k=3, n_drivers=1)
    first = table[table["peer"] == "R2"].iloc[0]
    assert first["similar_on"].startswith("farm (0.0 sd)")
    assert first["differs_on"].startswith("mining")
    assert table.attrs["features"] == ["farm", "mining", "trade"]


@given(
    st.lists(
        st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=4, max_size=12, unique=True
    )
)
def test_peer_relation_properties(points):
    X = pd.DataFrame(points, columns=["a", "b"], index=[f"R{i:02d}" for i in range(len(points))])
    assume((X.std(ddof=0) > 0).all())  # standardization needs variation
    table = peers(X, k=2)
    assert (table["region"] != table["peer"]).all()
    # within a region, distances do not decrease with rank
    assert (table.groupby("region")["distance"].diff().dropna() >= 0).all()
    # the distance is symmetric: d(a, b) seen from a equals d(b, a) where both are listed
    pair = table.set_index(["region", "peer"])["distance"]
    for (a, b), d in pair.items():
        if (b, a) in pair.index:
            assert pair[(b, a)] == pytest.approx(d)


def test_errors_are_reported_together():
    X = pd.DataFrame({"x": [0.0, 1.0, 2.0]}, index=["A", "B", "C"])
    with pytest.raises(InputError) as err:
        peers(X, "Z", k=3)
    assert "k=3" in str(err.value) and "'Z'" in str(err.value)


def test_kazakhstan_peers():
    f = kazakhstan_features(kazakhstan.panel(), year=2023)
    table = peers(f, k=3)
    assert len(table) == 60
    # the nearest peer of an oil region (Atyrau) is another oil region
    atyrau = table[(table["region"] == "KZ-23") & (table["rank"] == 1)]["peer"].iloc[0]
    assert atyrau in {"KZ-27", "KZ-47"}
    assert np.isfinite(table["distance"]).all()
