"""Typology: planted clusters are recovered, k is chosen right, results are deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from terraplan.analysis.features import kazakhstan_features
from terraplan.analysis.typology import Typology, canonical_labels
from terraplan.datasets import kazakhstan
from terraplan.errors import InputError


def planted(n_per: int = 8, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Three tight blobs far apart (centres 10 units apart, noise sd 0.3): truth is known."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 5.0], [0.0, 10.0, -5.0]])
    truth = np.repeat(np.arange(3), n_per)
    X = centres[truth] + rng.normal(scale=0.3, size=(len(truth), 3))
    codes = [f"R{i:02d}" for i in range(len(truth))]
    # shuffle rows so that recovering the truth does not depend on row order
    order = rng.permutation(len(truth))
    frame = pd.DataFrame(X[order], index=[codes[i] for i in order], columns=["a", "b", "c"])
    return frame, pd.Series(truth[order], index=frame.index).sort_index().to_numpy()


@pytest.mark.parametrize("method", ["kmeans", "ward", "gmm"])
def test_planted_clusters_are_recovered_with_auto_k(method):
    X, truth = planted()
    t = Typology(method=method, k="auto", n_stability=5).fit(X)
    assert t.k_ == 3
    assert adjusted_rand_score(truth, t.labels_.to_numpy()) == 1.0
    assert t.stability_ == pytest.approx(1.0)
    assert t.scores_["chosen"].sum() == 1
    assert set(t.scores_.columns) == {
        "k",
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "chosen",
    }


def test_same_labels_in_two_runs_and_canonical_numbering():
    X, _ = planted()
    first = Typology(method="kmeans", k=3, n_stability=4).fit(X)
    second = Typology(method="kmeans", k=3, n_stability=4).fit(X.sample(frac=1.0, random_state=7))
    pd.testing.assert_series_equal(first.labels_, second.labels_)
    assert first.stability_ == second.stability_
    # numbering follows first appearance over sorted codes: the first region is type 1
    assert first.labels_.iloc[0] == 1
    assert canonical_labels(np.array([2, 0, 2, 1])).tolist() == [1, 2, 1, 3]


def test_profile_in_original_units_names_the_distinguishing_feature():
    # type 2 differs from the rest only in "mining" (known by construction)
    X = pd.DataFrame(
        {
            "mining": [1.0, 1.2, 0.8, 1.1, 40.0, 41.0, 39.0],
            "farm": [5.0, 5.5, 4.5, 5.2, 5.1, 4.9, 5.3],
        },
        index=[f"R{i}" for i in range(7)],
    )
    t = Typology(method="ward", k=2, n_stability=0).fit(X)
    profile = t.describe()
    mining = profile.set_index("cluster")
    assert mining.loc[2, "mining"] == pytest.approx(40.0)  # mean of 40, 41, 39, original units
    assert mining.loc[2, "members"] == "R4, R5, R6"
    assert mining.loc[2, "distinguishing"].startswith("mining high")
    assert t.centers_.loc[1, "mining"] == pytest.approx(1.025)
    assert profile.attrs["method"] == "typology (ward)"


def test_to_frame_carries_method_and_seed():
    X, _ = planted()
    frame = Typology(method="gmm", k=3, random_state=4, n_stability=2).fit(X).to_frame()
    assert list(frame.columns) == ["region", "cluster"]
    assert frame.attrs["random_state"] == 4 and frame.attrs["k"] == 3
    assert frame["region"].is_monotonic_increasing


def test_bad_parameters_reported_together():
    X, _ = planted(n_per=2)
    with pytest.raises(InputError) as err:
        Typology(method="dbscan", k=10).fit(X)
    assert "dbscan" in str(err.value) and "k=10" in str(err.value)


def test_kazakhstan_typology_end_to_end():
    f = kazakhstan_features(kazakhstan.panel(), year=2023)
    t = Typology(method="kmeans", n_stability=5).fit(f)
    assert 2 <= t.k_ <= 8
    assert t.labels_.index.tolist() == sorted(f.index)
    # the oil regions (Atyrau, West Kazakhstan, Mangystau) share a type
    assert t.labels_[["KZ-23", "KZ-27", "KZ-47"]].nunique() == 1
    assert 0.0 <= t.stability_ <= 1.0
