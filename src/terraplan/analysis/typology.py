"""Typology: group regions into types on their features (aspatial clustering, scikit-learn).

One estimator, three methods: ``kmeans`` (k-means, 10 starts), ``ward`` (Ward hierarchical,
deterministic) and ``gmm`` (Gaussian mixture, diagonal covariances by default because a country
has few regions, 5 starts). Features are standardized (z-scores) before clustering unless
``standardize=False``.

* ``k="auto"`` fits every k in ``k_range`` and keeps the one with the highest silhouette (ties go
  to the smaller k); ``scores_`` holds silhouette, Calinski-Harabasz and Davies-Bouldin for each k.
* Labels are 1..k, numbered in order of first appearance over the sorted region codes, so the
  same partition always gets the same numbers.
* ``stability_`` is the mean adjusted Rand index between the full solution and ``n_stability``
  refits on random 80 % subsamples (each refit with its own seed), every region being assigned
  to the nearest centre of the refit (``predict`` for ``gmm``). 1 means perfectly stable.
* ``profile_`` describes each type in original units: size, members, the mean of every feature,
  and its distinguishing features (largest deviations from the all-region mean, in standard
  deviations), so that types can be named.

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"x": [0.0, 0.1, 0.2, 5.0, 5.1, 5.2]}, index=list("ABCDEF"))
>>> t = Typology(method="kmeans", k="auto", n_stability=3).fit(X)
>>> t.k_, t.labels_.tolist()
(2, [1, 1, 1, 2, 2, 2])
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from terraplan.analysis.features import standardize as _standardize
from terraplan.errors import AnalysisError, InputError

Method = Literal["kmeans", "ward", "gmm"]
_METHODS = ("kmeans", "ward", "gmm")


def _original_units(features: pd.DataFrame) -> pd.DataFrame:
    """The log-transformed columns of ``features`` (per ``attrs["features"]``) back in their
    original units; other columns are dropped.

    >>> X = pd.DataFrame({"a": [0.0], "b": [1.0]})
    >>> X.attrs["features"] = {"a": {"transform": "value / population, log"}}
    >>> _original_units(X).to_dict("list")
    {'a': [1.0]}
    """
    meta = features.attrs.get("features", {}) or {}
    logged = [
        c
        for c in features.columns
        if str((meta.get(c) or {}).get("transform", "")).replace(" ", "").endswith(",log")
        or str((meta.get(c) or {}).get("transform", "")) == "log"
    ]
    return np.exp(features[logged].astype(float))


def canonical_labels(labels: np.ndarray) -> np.ndarray:
    """Renumber labels 1..k in order of first appearance.

    Example
    -------
    >>> canonical_labels(np.array([7, 7, 3, 9, 3])).tolist()
    [1, 1, 2, 3, 2]
    """
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=int)
    rank[np.argsort(first, kind="stable")] = np.arange(1, len(first) + 1)
    return rank[inverse]


def _cluster(method: str, X: np.ndarray, k: int, seed: int, covariance_type: str):
    """Fit one clustering; return (labels, predictor of labels for new points)."""
    if method == "kmeans":
        from sklearn.cluster import KMeans

        model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X)
        return model.labels_, model.predict
    if method == "gmm":
        from sklearn.mixture import GaussianMixture

        model = GaussianMixture(
            n_components=k, covariance_type=covariance_type, n_init=5, random_state=seed
        ).fit(X)
        return model.predict(X), model.predict
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X)
    centres = np.vstack([X[labels == c].mean(axis=0) for c in range(k)])

    def nearest(Y: np.ndarray) -> np.ndarray:
        return ((Y[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)

    return labels, nearest


class Typology:
    """Group regions into ``k`` types with k-means, Ward or a Gaussian mixture.

    Parameters
    ----------
    method
        ``"kmeans"``, ``"ward"`` or ``"gmm"``.
    k
        Number of types, or ``"auto"`` to choose it by silhouette over ``k_range``.
    k_range
        Smallest and largest k tried by ``k="auto"`` (capped at the number of regions - 1).
    random_state
        Seed of the clustering and of the stability subsamples.
    standardize
        Cluster on z-scores (recommended: features have different units).
    n_stability
        Number of subsample refits for ``stability_`` (0 skips it).
    covariance_type
        Covariance of the Gaussian mixture (``"diag"``, ``"spherical"``, ``"tied"``, ``"full"``).

    Attributes
    ----------
    labels_ : Series
        Type (1..k) of each region, index ``region``.
    centers_ : DataFrame
        Mean of each feature per type, original units (index ``cluster``).
    k_ : int
    scores_ : DataFrame
        ``k, silhouette, calinski_harabasz, davies_bouldin, chosen``.
    stability_ : float
        Mean adjusted Rand index over the subsample refits.
    stability_runs_ : ndarray
    profile_ : DataFrame
        One row per type: ``cluster, size, members, distinguishing`` and the feature means.

    Example
    -------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [0, 0, 1, 9, 9, 10.0], "b": [1, 0, 0, 5, 6, 5.0]},
    ...                  index=["R1", "R2", "R3", "R4", "R5", "R6"])
    >>> t = Typology(method="ward", k=2, n_stability=2).fit(X)
    >>> t.profile_[["cluster", "size", "members"]].to_dict("records")[1]
    {'cluster': 2, 'size': 3, 'members': 'R4, R5, R6'}
    """

    def __init__(
        self,
        method: Method = "kmeans",
        k: int | Literal["auto"] = "auto",
        *,
        k_range: tuple[int, int] = (2, 8),
        random_state: int = 0,
        standardize: bool = True,
        n_stability: int = 20,
        covariance_type: str = "diag",
    ) -> None:
        self.method = method
        self.k = k
        self.k_range = k_range
        self.random_state = random_state
        self.standardize = standardize
        self.n_stability = n_stability
        self.covariance_type = covariance_type

    def _check(self, features: pd.DataFrame) -> list[int]:
        problems = []
        if self.method not in _METHODS:
            problems.append(f"method={self.method!r} is not one of {', '.join(_METHODS)}")
        n = len(features)
        if self.k == "auto":
            lo, hi = self.k_range
            ks = list(range(max(2, lo), min(hi, n - 1) + 1))
            if not ks:
                problems.append(f"k_range={self.k_range} leaves no k between 2 and n-1={n - 1}")
        elif isinstance(self.k, (int, np.integer)) and 2 <= self.k <= n - 1:
            ks = [int(self.k)]
        else:
            ks = []
            problems.append(f"k={self.k!r} must be 'auto' or an integer from 2 to n-1={n - 1}")
        if features.index.has_duplicates:
            dup = sorted(set(features.index[features.index.duplicated()].astype(str)))
            problems.append(f"duplicated regions: {', '.join(dup)}")
        if problems:
            raise InputError(
                "cannot fit the typology:\n"
                + "\n".join(f"  - {p}" for p in problems)
                + "\nFix: pass one row per region and a k that fits the number of regions."
            )
        return ks

    def fit(self, features: pd.DataFrame, y: None = None) -> Typology:
        """Cluster the rows of ``features`` (index: region codes; columns: numeric features).

        Runs with one BLAS/OpenMP thread: a country's regions are a tiny problem, and spinning
        thread pools make it 10-20 times slower on a shared machine.
        """
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return self._fit(features)

    def _fit(self, features: pd.DataFrame) -> Typology:
        from sklearn.metrics import (
            adjusted_rand_score,
            calinski_harabasz_score,
            davies_bouldin_score,
            silhouette_score,
        )

        features = features.sort_index()
        ks = self._check(features)
        Z = _standardize(features) if self.standardize else features.astype(float)
        if Z.isna().any().any():
            raise AnalysisError("features contain missing values; impute or drop them first.")
        X = Z.to_numpy()

        rows, fits = [], {}
        for k in ks:
            labels, _ = _cluster(self.method, X, k, self.random_state, self.covariance_type)
            n_found = len(np.unique(labels))
            ok = 2 <= n_found <= len(X) - 1
            rows.append(
                {
                    "k": k,
                    "silhouette": silhouette_score(X, labels) if ok else np.nan,
                    "calinski_harabasz": calinski_harabasz_score(X, labels) if ok else np.nan,
                    "davies_bouldin": davies_bouldin_score(X, labels) if ok else np.nan,
                }
            )
            fits[k] = labels
        scores = pd.DataFrame(rows)
        if scores["silhouette"].isna().all():
            raise AnalysisError(
                f"{self.method} found fewer than 2 distinct types for every k in {ks}. Fix: "
                "use method='kmeans' or 'ward', or check that the features vary."
            )
        best = int(scores.loc[scores["silhouette"].idxmax(), "k"])
        scores["chosen"] = scores["k"] == best
        labels = canonical_labels(fits[best])

        runs = []
        rng = np.random.default_rng(self.random_state)
        size = max(best + 1, round(0.8 * len(X)))
        for b in range(self.n_stability):
            idx = np.sort(rng.choice(len(X), size=size, replace=False))
            seed = self.random_state + b + 1
            _, predict = _cluster(self.method, X[idx], best, seed, self.covariance_type)
            runs.append(adjusted_rand_score(labels, predict(X)))

        self.k_ = best
        self.scores_ = scores
        self.labels_ = pd.Series(labels, index=features.index.rename("region"), name="cluster")
        self.stability_runs_ = np.array(runs)
        self.stability_ = float(np.mean(runs)) if runs else float("nan")
        self.centers_ = features.groupby(labels).mean().rename_axis("cluster")
        self.profile_ = self._profile(features, Z, labels)
        self.original_centers_ = _original_units(features).groupby(labels).mean()
        self.n_features_in_ = features.shape[1]
        self.feature_names_in_ = np.asarray(features.columns, dtype=object)
        self.year_ = features.attrs.get("year")
        return self

    @staticmethod
    def _profile(features: pd.DataFrame, Z: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
        zc = Z.groupby(labels).mean()
        # deviation of the type mean from the all-region mean, in standard deviations
        dev = (zc - Z.mean()) / Z.std(ddof=0)
        order = np.argsort(-dev.abs().to_numpy(), axis=1, kind="stable")[:, :3]
        names = dev.columns.to_numpy()
        described = [
            ", ".join(
                f"{names[j]} {'high' if dev.iat[i, j] > 0 else 'low'} ({dev.iat[i, j]:+.1f} sd)"
                for j in order[i]
            )
            for i in range(len(dev))
        ]
        groups = pd.Series(features.index.astype(str), index=features.index).groupby(labels)
        profile = pd.DataFrame(
            {
                "cluster": zc.index,
                "size": groups.size().to_numpy(),
                "members": groups.agg(", ".join).to_numpy(),
                "distinguishing": described,
            }
        )
        means = features.groupby(labels).mean().reset_index(drop=True)
        return pd.concat([profile, means], axis=1)

    def to_frame(self) -> pd.DataFrame:
        """Regions and their type, with ``attrs`` (method, k, seed, stability, features).

        Example
        -------
        >>> X = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1]}, index=["A", "B", "C", "D"])
        >>> Typology(k=2, n_stability=0).fit(X).to_frame()["cluster"].tolist()
        [1, 1, 2, 2]
        """
        frame = self.labels_.reset_index()
        frame.attrs = {
            "method": f"typology ({self.method})",
            "k": self.k_,
            "k_rule": "max silhouette" if self.k == "auto" else "given",
            "random_state": self.random_state,
            "standardized": self.standardize,
            "stability_ari": self.stability_,
            "features": list(self.feature_names_in_),
            "year": self.year_,
            "reference": "regions of the feature table",
        }
        return frame

    def describe(self) -> pd.DataFrame:
        """``profile_`` with ``attrs``: one row per type, in original units.

        Log-transformed features (``attrs["features"][name]["transform"]`` ending in ``log``)
        are shown as the type's mean of the original values (``exp`` of each region's value),
        not as a mean of logs; ``attrs["back_transformed"]`` lists them.

        Example
        -------
        >>> X = pd.DataFrame({"x": np.log([1.0, 3.0, 100.0, 300.0])}, index=list("ABCD"))
        >>> X.attrs["features"] = {"x": {"unit": "log(t)", "transform": "value, log"}}
        >>> Typology(method="ward", k=2, n_stability=0).fit(X).describe()["x"].tolist()
        [2.0, 200.0]
        """
        profile = self.profile_.copy()
        logged = [c for c in self.original_centers_.columns if c in profile.columns]
        profile[logged] = self.original_centers_[logged].to_numpy()
        profile.attrs = {**self.to_frame().attrs, "back_transformed": logged}
        return profile

    def __repr__(self) -> str:
        """Parameters, and once fitted the number of types, regions and the stability.

        >>> X = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1]}, index=["A", "B", "C", "D"])
        >>> Typology(k=2, n_stability=0).fit(X)
        <Typology kmeans, k=2: 2 types of 4 regions, stability n/a>
        """
        head = f"<Typology {self.method}, k={self.k!r}"
        if not hasattr(self, "labels_"):
            return head + " (not fitted)>"
        stability = "n/a" if np.isnan(self.stability_) else f"{self.stability_:.2f}"
        return f"{head}: {self.k_} types of {len(self.labels_)} regions, stability {stability}>"

    def _repr_html_(self) -> str:
        """The types as a table (Jupyter): size, members, what distinguishes each."""
        import html

        head = f"<p><b>{html.escape(repr(self))}</b></p>"
        if not hasattr(self, "labels_"):
            return head
        shown = ["cluster", "size", "members", "distinguishing"]
        return head + self.profile_[shown].to_html(index=False, escape=True)
