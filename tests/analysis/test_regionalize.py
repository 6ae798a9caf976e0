"""Regionalization: contiguous groups on grids, planted blocks, floors, SKATER against spopt."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import lat2W
from shapely.geometry import box
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics import pairwise as skm

from terraplan.analysis.features import kazakhstan_features, region_features
from terraplan.analysis.regionalize import (
    MaxPRegionalizer,
    SkaterRegionalizer,
    WardRegionalizer,
    group_contiguity,
    regionalize,
)
from terraplan.analysis.skater import skater
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError


def grid(n: int) -> gpd.GeoDataFrame:
    """n x n unit squares, codes g000.. in row-major order (matching libpysal's lat2W)."""
    cells = [(r, c) for r in range(n) for c in range(n)]
    return gpd.GeoDataFrame(
        {"code": [f"g{i:03d}" for i in range(n * n)]},
        geometry=[box(c, r, c + 1, r + 1) for r, c in cells],
    )


def quadrant_features(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Four quadrants with means 0, 10, 20, 30 and small noise: the true partition is known."""
    r, c = np.divmod(np.arange(n * n), n)
    truth = (r >= n // 2) * 2 + (c >= n // 2)
    rng = np.random.default_rng(seed)
    x = truth * 10.0 + rng.normal(scale=0.5, size=n * n)
    frame = pd.DataFrame({"x": x, "y": -x}, index=[f"g{i:03d}" for i in range(n * n)])
    return frame, truth


def ssd(X: np.ndarray, labels: np.ndarray) -> float:
    return float(sum(((X[labels == g] - X[labels == g].mean(0)) ** 2).sum() for g in set(labels)))


@pytest.mark.parametrize("method", ["skater", "ward"])
def test_planted_quadrants_are_recovered_as_contiguous_groups(method):
    geo = grid(8)
    X, truth = quadrant_features(8)
    r = regionalize(X, geo, method=method, n_regions=4)
    assert adjusted_rand_score(truth, r.labels_.to_numpy()) == 1.0
    assert r.quality_["contiguous"].all()
    assert r.quality_["n_units"].tolist() == [16, 16, 16, 16]
    assert r.summary_["explained"].iloc[0] > 0.99
    # squares of 4 x 4 unit cells: isoperimetric quotient 4 pi A / P^2 = pi / 4
    np.testing.assert_allclose(r.quality_["compactness"], np.pi / 4)


def test_every_group_is_contiguous_on_random_data():
    geo = grid(10)
    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.normal(size=(100, 3)), index=geo["code"], columns=["a", "b", "c"])
    for method in ("skater", "ward"):
        r = regionalize(X, geo, method=method, n_regions=7)
        assert r.summary_["n_groups"].iloc[0] == 7
        assert r.summary_["all_contiguous"].iloc[0]


def test_quality_table_by_hand():
    # a path of 4 units, values 0, 2 | 10, 12: groups {0, 2} and {10, 12}
    w = lat2W(1, 4, id_type="string")
    X = pd.DataFrame({"x": [0.0, 2.0, 10.0, 12.0]}, index=w.id_order)
    r = SkaterRegionalizer(2, standardize=False).fit(X, w)
    q = r.quality_
    assert q["ssd"].tolist() == [2.0, 2.0]  # (0-1)^2 + (2-1)^2 per group
    # total SSD about the mean 6: 36 + 16 + 16 + 36 = 104
    assert r.summary_["explained"].iloc[0] == pytest.approx(1 - 4 / 104)
    assert q["members"].tolist() == ["id0, id1", "id2, id3"]
    assert np.isnan(q["compactness"]).all()  # no geometry given


def test_group_contiguity_detects_split_groups():
    w = lat2W(1, 5)
    adjacency = w.sparse
    assert group_contiguity(np.array([0, 0, 1, 1, 1]), adjacency).tolist() == [True, True]
    assert group_contiguity(np.array([0, 1, 0, 1, 1]), adjacency).tolist() == [False, False]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("side", "k", "floor"), [(6, 4, -np.inf), (8, 6, 5.0), (7, 3, 10.0)])
def test_skater_reaches_spopt_objective(seed, side, k, floor):
    # same objective (squared Euclidean = SSD), same tree: the greedy cuts must agree
    from spopt.region import Skater

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(side * side, 2))
    w = lat2W(side, side, rook=False)
    frame = pd.DataFrame(X, columns=["a", "b"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = Skater(
            frame,
            w,
            ["a", "b"],
            n_clusters=k,
            floor=floor,
            spanning_forest_kwds={
                "dissimilarity": lambda a, b=None: skm.euclidean_distances(a, b, squared=True)
            },
        )
        ref.solve()
    ours = skater(X, w.sparse, k, floor=floor)
    assert len(set(ours)) == k
    assert ssd(X, ours) <= ssd(X, np.asarray(ref.labels_)) + 1e-9


def test_skater_floor_on_a_variable():
    # path of 6 units; population 1 each except a big unit at the end
    adjacency = lat2W(1, 6).sparse
    X = np.array([[0.0], [0.0], [0.0], [5.0], [5.0], [9.0]])
    pop = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 10.0])
    labels = skater(X, adjacency, 3, floor=2.0, floor_values=pop)
    totals = np.bincount(labels, weights=pop)
    assert (totals >= 2.0).all()
    assert labels.tolist() == [0, 0, 0, 1, 1, 2]
    # floor 5: only the cut before the big unit leaves both parts at 5 or more (5 | 10)
    with pytest.warns(UserWarning, match="stopped at 2 groups"):
        few = skater(X, adjacency, 4, floor=5.0, floor_values=pop)
    assert few.tolist() == [0, 0, 0, 0, 0, 1]


def test_maxp_meets_the_floor_and_is_deterministic():
    # spopt's max-p heuristic is slow (seconds for a few dozen units): keep the grid small
    geo = grid(3)
    X, _ = quadrant_features(3)
    pop = pd.Series(np.arange(1, 10, dtype=float), index=X.index)
    state = np.random.get_state()
    a = regionalize(X, geo, method="maxp", floor=10.0, floor_values=pop, random_state=1)
    b = regionalize(X, geo, method="maxp", floor=10.0, floor_values=pop, random_state=1)
    assert np.array_equal(np.random.get_state()[1], state[1])  # global generator restored
    pd.testing.assert_series_equal(a.labels_, b.labels_)
    assert a.summary_["n_groups"].iloc[0] >= 2  # total 45, floor 10: room for several
    assert (a.quality_["floor_total"] >= 10.0).all()
    assert a.quality_["contiguous"].all()
    assert a.quality_["floor_total"].sum() == pytest.approx(pop.sum())


def test_parameter_errors():
    w = lat2W(1, 4, id_type="string")
    X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]}, index=w.id_order)
    with pytest.raises(InputError, match="floor="):
        MaxPRegionalizer().fit(X, w)
    with pytest.raises(InputError, match="no floor"):
        WardRegionalizer(2, floor=3).fit(X, w)
    with pytest.raises(InputError, match="regions without weights: zz"):
        SkaterRegionalizer(2).fit(pd.concat([X, pd.DataFrame({"x": [1.0]}, index=["zz"])]), w)
    with pytest.raises(AnalysisError, match="exceeds the total"):
        MaxPRegionalizer(floor=100).fit(X, w)
    with pytest.raises(InputError, match="not one of"):
        regionalize(X, method="azp")


def test_kazakhstan_regionalizations_are_contiguous():
    panel = kazakhstan.panel()
    f = kazakhstan_features(panel, year=2023)
    pop = region_features(panel, year=2023, indicators=["population"])["population"]
    skat = regionalize(f, method="skater", n_regions=5, floor=1_500_000, floor_values=pop)
    assert skat.summary_["all_contiguous"].iloc[0]
    assert (skat.quality_["floor_total"] >= 1_500_000).all()
    ward = regionalize(f, method="ward", n_regions=5)
    assert ward.summary_["all_contiguous"].iloc[0]
    # the enclave cities always sit in the group of the region around them or alone
    for city, around in [("KZ-71", "KZ-11"), ("KZ-79", "KZ-61")]:
        labels = skat.labels_
        alone = (labels == labels[city]).sum() == 1
        assert alone or labels[city] == labels[around]
    frame = skat.to_frame()
    assert list(frame.columns) == ["region", "group"]
    assert frame.attrs["method"] == "regionalization (skater)"


@given(
    side=st.integers(3, 7),
    k=st.integers(1, 6),
    seed=st.integers(0, 10_000),
)
@settings(max_examples=25)
def test_skater_properties_on_random_grids(side, k, seed):
    """Any data, any k: k groups, each contiguous, SSD no worse than one group; same twice."""
    X = np.random.default_rng(seed).normal(size=(side * side, 2))
    adjacency = lat2W(side, side).sparse
    labels = skater(X, adjacency, k)
    assert sorted(set(labels)) == list(range(k))
    assert group_contiguity(labels, adjacency).all()
    assert ssd(X, labels) <= ssd(X, np.zeros(side * side, dtype=int)) + 1e-9
    assert np.array_equal(labels, skater(X, adjacency, k))
