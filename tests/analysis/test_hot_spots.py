"""Moran permutations, regionalization quality and weights without geometry (issue 12, items 9,
10 and 13).

Known answers by construction: the permutations must be the very numbers of the former dense
computation (same seed, same sums); the exact silhouette must equal scikit-learn's; a sample
that takes every unit must equal the exact value; weights of a toy lattice have no polygons, so
no boundary file may be read and the tables must say that compactness needs them.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import lat2W

from terraplan.analysis import silhouette as sil
from terraplan.analysis.regionalize import regionalize
from terraplan.analysis.spatial import _permuted_moran, lisa, moran


@pytest.mark.parametrize(("side", "seed"), [(3, 0), (10, 1), (40, 12345)])
def test_permutations_are_the_former_dense_ones(side, seed):
    w = lat2W(side, side)
    w.transform = "r"
    z = np.random.default_rng(side).normal(size=side * side)
    z -= z.mean()
    perms = np.random.default_rng(seed).permuted(np.tile(z, (199, 1)), axis=1)
    dense = (perms * (w.sparse @ perms.T).T).sum(axis=1)  # terraplan 0.1, one dense array
    np.testing.assert_array_equal(_permuted_moran(z, w.sparse, 199, seed), dense)


@pytest.mark.parametrize("statistic", [moran, lisa])
def test_memory_does_not_grow_with_permutations(statistic):
    import tracemalloc

    w = lat2W(30, 30, id_type="string")
    y = pd.Series(np.random.default_rng(0).normal(size=900), index=w.id_order)
    statistic(y, w, permutations=9)  # warm up imports and caches
    peaks = []
    for permutations in (99, 999):
        tracemalloc.start()
        statistic(y, w, permutations=permutations)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # all simulations at once were 999 x 900 x 8 bytes = 7.2 MB (moran: twice, with the lags)
    assert peaks[1] < peaks[0] + 1_000_000


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(4, 60),
    k=st.integers(2, 4),
    seed=st.integers(0, 10_000),
)
def test_exact_silhouette_equals_scikit_learn(n, k, seed):
    from sklearn.metrics import silhouette_samples

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    labels = np.r_[np.arange(1, k + 1), rng.integers(1, k + 1, n - k)]  # every group present
    if k > n - 1:
        return
    ours = sil.silhouette(X, labels)
    ref = silhouette_samples(X, labels)
    expected = pd.Series(ref).groupby(labels).mean()
    np.testing.assert_allclose(ours.by_group.to_numpy(), expected.to_numpy(), atol=1e-9)
    assert ours.overall == pytest.approx(ref.mean(), abs=1e-9)
    assert ours.basis == f"all {n} units"


def test_sampled_silhouette_says_so_and_estimates_the_exact_one(monkeypatch):
    rng = np.random.default_rng(0)
    labels = rng.integers(1, 5, 3000)
    X = rng.normal(size=(3000, 2)) + labels[:, None] * 1.5
    exact = sil.silhouette(X, labels)
    monkeypatch.setattr(sil, "EXACT_UP_TO", 100)
    sampled = sil.silhouette(X, labels, seed=3)
    assert sampled.basis.startswith("stratified sample of ")
    assert sampled.overall == pytest.approx(exact.overall, abs=0.03)
    monkeypatch.setattr(sil, "SAMPLE_SIZE", 3000)  # a "sample" of every unit is exact
    everything = sil.silhouette(X, labels)
    np.testing.assert_allclose(everything.by_group, exact.by_group, atol=1e-12)


def test_regionalize_quality_says_how_the_silhouette_was_computed(monkeypatch):
    w = lat2W(10, 10, id_type="string")
    X = pd.DataFrame(
        {"x": np.repeat(np.arange(10.0), 10), "y": np.tile(np.arange(10.0), 10)}, index=w.id_order
    )
    monkeypatch.setattr(sil, "EXACT_UP_TO", 50)
    r = regionalize(X, w=w, n_regions=4)
    assert r.quality_.attrs["silhouette"].startswith("stratified sample of ")
    assert r.summary_["silhouette_basis"].iloc[0] == r.quality_.attrs["silhouette"]


def test_regionalize_with_weights_of_other_units_reads_no_boundaries(monkeypatch):
    import terraplan.territory.boundaries as boundaries

    def refuse(*_args, **_kwargs):
        raise AssertionError("Kazakhstan's boundaries were loaded for a toy lattice")

    monkeypatch.setattr(boundaries, "boundaries", refuse)
    w = lat2W(4, 4, id_type="string")
    X = pd.DataFrame({"x": np.r_[np.zeros(8), np.full(8, 10.0)]}, index=w.id_order)
    r = regionalize(X, w=w, n_regions=2)
    assert r.labels_.nunique() == 2
    assert r.quality_["compactness"].isna().all()
    assert "needs the regions' polygons" in r.quality_.attrs["compactness"]


def test_regionalize_with_kazakhstan_weights_measures_compactness():
    from libpysal.weights import W

    from terraplan.analysis.features import kazakhstan_features
    from terraplan.datasets import kazakhstan
    from terraplan.territory.weights import neighbours

    w = W(neighbours("KZ-2022"), silence_warnings=True)
    r = regionalize(kazakhstan_features(kazakhstan.panel(), year=2023), w=w, n_regions=4)
    assert r.quality_["compactness"].between(0, 1).all()
    assert r.quality_.attrs["compactness"].startswith("isoperimetric")


def test_sector_matrix_from_text_keys_equals_categorical_keys():
    """Factorizing text keys once (issue 12, item 12) changes nothing in the result: the same
    panel with text and with categorical keys gives identical matrices."""
    from terraplan.analysis.matrices import sector_matrix

    rng = np.random.default_rng(4)
    rows = [
        (f"R{r}", year, ind, f"S{s}", float(rng.lognormal()), "m", "p" if year == 2023 else "")
        for r in range(7)
        for year in (2021, 2022, 2023)
        for ind in ("gva", "other")
        for s in range(5)
    ]
    text = pd.DataFrame(
        rows, columns=["region", "year", "indicator", "sector", "value", "unit", "flag"]
    )
    cat = text.astype({c: "category" for c in ("region", "indicator", "sector", "unit", "flag")})
    a = sector_matrix(text, [2021, 2023])
    b = sector_matrix(cat, [2021, 2023])
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.reference, b.reference)
    assert (a.regions, a.sectors, a.unit, a.notes) == (b.regions, b.sectors, b.unit, b.notes)
    assert a.notes and "p" in a.notes[0]
    with pytest.raises(Exception, match="no rows of indicator 'nope'"):
        sector_matrix(text, 2023, indicator="nope")
