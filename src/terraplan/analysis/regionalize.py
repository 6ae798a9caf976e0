"""Regionalization: contiguous macro-regions of similar regions, with a quality table.

Three methods behind one interface (scikit-learn style: parameters in ``__init__``, ``fit``,
learned state with a trailing underscore):

* :class:`SkaterRegionalizer` – SKATER, spanning-tree pruning on the Ward (SSD) objective,
  terraplan's own fast implementation (:mod:`terraplan.analysis.skater`); ``floor`` is a
  minimum of ``floor_values`` (population, or a count of units by default) per group.
* :class:`MaxPRegionalizer` – max-p regions (spopt ``MaxPHeuristic``): as many groups as
  possible, each with ``floor_values`` summing to at least ``floor``. The heuristic draws from
  NumPy's global generator; it is seeded with ``random_state`` and the generator's previous
  state is restored afterwards.
* :class:`WardRegionalizer` – Ward hierarchical clustering restricted to merges of neighbours
  (scikit-learn ``AgglomerativeClustering`` with a connectivity matrix); no floor.

Features are standardized (z-scores) unless ``standardize=False``. Groups are numbered 1..k in
order of first appearance over the sorted region codes. After ``fit``:

* ``labels_`` – group of each region (Series, index ``region``);
* ``quality_`` – one row per group: ``group, n_units, floor_total, ssd, silhouette,
  compactness, contiguous, members``; ``ssd`` is the within-group sum of squared deviations of
  the (standardized) features, ``silhouette`` the mean silhouette of the group's units,
  (exact up to 5,000 units, above that on a seeded stratified sample of units, each against all
  units: :mod:`terraplan.analysis.silhouette`; ``attrs["silhouette"]`` says which),
  ``compactness`` the isoperimetric quotient (esda.shape, 1 = a disc) of the group's dissolved
  polygon when geometry is given, ``contiguous`` whether the group is connected in the weights;
* ``summary_`` – one row: ``method, n_groups, ssd, explained, silhouette, compactness,
  all_contiguous, silhouette_basis`` (``explained`` = 1 - within SSD / total SSD;
  ``silhouette_basis`` says whether the silhouette is exact or sampled).

:func:`regionalize` builds the weights from the boundaries and fits the chosen method.

Example
-------
>>> import geopandas as gpd, pandas as pd
>>> from shapely.geometry import box
>>> grid = gpd.GeoDataFrame({"code": [f"c{i}" for i in range(6)]},
...                         geometry=[box(i, 0, i + 1, 1) for i in range(6)])
>>> X = pd.DataFrame({"x": [0, 0.1, 0.2, 5, 5.1, 5.2]}, index=grid["code"])
>>> r = regionalize(X, grid, method="skater", n_regions=2)
>>> r.labels_.tolist(), bool(r.summary_["all_contiguous"].iloc[0])
([1, 1, 1, 2, 2, 2], True)
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from terraplan.analysis.features import standardize as _standardize
from terraplan.analysis.typology import canonical_labels
from terraplan.errors import AnalysisError, InputError

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.weights import W

RegionMethod = Literal["skater", "maxp", "ward"]


def _binary_adjacency(w: W, ids: list[str]):
    """Binary, symmetric adjacency matrix of ``w`` in the order of ``ids``."""
    from scipy import sparse

    pos = {c: k for k, c in enumerate(ids)}
    graph = {str(k): [str(j) for j in v] for k, v in w.neighbors.items()}
    rows = [pos[a] for a in ids for _ in graph[a]]
    cols = [pos[b] for a in ids for b in graph[a]]
    adj = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    adj = adj.tocsr()
    return ((adj + adj.T) > 0).astype(float)


def group_contiguity(labels: np.ndarray, adjacency) -> np.ndarray:
    """For each group 0..k-1 of ``labels``: is it one connected piece in ``adjacency``?

    Example
    -------
    >>> from scipy.sparse import diags
    >>> path = diags([1.0, 1.0], [-1, 1], shape=(4, 4)).tocsr()
    >>> group_contiguity(np.array([0, 1, 0, 1]), path).tolist()
    [False, False]
    """
    from scipy.sparse import csgraph

    coo = adjacency.tocoo()
    same = labels[coo.row] == labels[coo.col]
    inner = coo.copy()
    inner.data = np.where(same, 1.0, 0.0)
    inner.eliminate_zeros()
    comp = csgraph.connected_components(inner.tocsr(), directed=False)[1]
    pieces = pd.Series(comp).groupby(labels).nunique()
    return (pieces == 1).to_numpy()


class _Regionalizer(ABC):
    """Shared parameters, fitting and quality table of the regionalization methods."""

    method = ""

    def __init__(
        self,
        n_regions: int = 5,
        *,
        floor: float | None = None,
        random_state: int = 0,
        standardize: bool = True,
    ) -> None:
        self.n_regions = n_regions
        self.floor = floor
        self.random_state = random_state
        self.standardize = standardize

    @abstractmethod
    def _solve(self, X: np.ndarray, adjacency, floor_values: np.ndarray) -> np.ndarray:
        """Group of each row of ``X`` (any integer labels)."""

    def fit(
        self,
        features: pd.DataFrame,
        w: W,
        *,
        floor_values: pd.Series | None = None,
        geometry: gpd.GeoSeries | None = None,
    ) -> _Regionalizer:
        """Partition the regions of ``features`` (index: codes) into contiguous groups.

        ``w`` holds the contiguity (any libpysal ``W`` keyed by the same codes);
        ``floor_values`` (Series by region) is what the floor counts, units by default;
        ``geometry`` (GeoSeries by region) enables the compactness column.
        """
        from threadpoolctl import threadpool_limits

        ids = sorted(str(c) for c in features.index)
        w_ids = {str(c) for c in w.id_order}
        problems = []
        if features.index.has_duplicates:
            problems.append("features have duplicated regions")
        if set(ids) != w_ids:
            only_f = sorted(set(ids) - w_ids)
            only_w = sorted(w_ids - set(ids))
            if only_f:
                problems.append(f"regions without weights: {', '.join(only_f)}")
            if only_w:
                problems.append(f"regions of the weights without features: {', '.join(only_w)}")
        if floor_values is not None:
            fv = pd.Series(floor_values).rename(index=str).reindex(ids)
            if fv.isna().any():
                problems.append(f"floor_values missing for {', '.join(fv.index[fv.isna()])}")
        if problems:
            raise InputError(
                f"cannot fit {self.method}:\n"
                + "\n".join(f"  - {p}" for p in problems)
                + "\nFix: pass features, weights and floor values for the same regions."
            )
        features = features.rename(index=str).loc[ids]
        Z = _standardize(features) if self.standardize else features.astype(float)
        X = Z.to_numpy()
        weights = np.ones(len(ids)) if floor_values is None else fv.to_numpy(dtype=float)
        adjacency = _binary_adjacency(w, ids)
        # one thread: small problems, and spinning thread pools crawl on a shared machine
        with threadpool_limits(limits=1):
            labels = canonical_labels(self._solve(X, adjacency, weights))
            self.labels_ = pd.Series(labels, index=pd.Index(ids, name="region"), name="group")
            self.quality_, self.summary_ = self._quality(X, labels, adjacency, weights, geometry)
        self.feature_names_in_ = np.asarray(features.columns, dtype=object)
        self.n_features_in_ = features.shape[1]
        self.year_ = features.attrs.get("year")
        return self

    def _quality(self, X, labels, adjacency, weights, geometry):
        from terraplan.analysis.silhouette import silhouette

        ids = self.labels_.index
        k = int(labels.max())
        groups = pd.Series(labels, index=ids)
        centred = X - pd.DataFrame(X).groupby(labels).transform("mean").to_numpy()
        ssd = pd.Series((centred**2).sum(axis=1)).groupby(labels).sum()
        total = float(((X - X.mean(axis=0)) ** 2).sum())
        sil = silhouette(X, labels, seed=self.random_state)
        compact = pd.Series(np.nan, index=range(1, k + 1))
        if geometry is not None:
            compact = self._compactness(geometry, groups)
        quality = pd.DataFrame(
            {
                "group": np.arange(1, k + 1),
                "n_units": groups.groupby(labels).size().to_numpy(),
                "floor_total": pd.Series(weights).groupby(labels).sum().to_numpy(),
                "ssd": ssd.to_numpy(),
                "silhouette": sil.by_group.reindex(range(1, k + 1)).to_numpy(),
                "compactness": compact.to_numpy(),
                "contiguous": group_contiguity(labels - 1, adjacency),
                "members": pd.Series(ids, index=ids).groupby(labels).agg(", ".join).to_numpy(),
            }
        )
        shape = (
            "isoperimetric quotient of the dissolved polygons"
            if geometry is not None
            else "not computed: needs the regions' polygons (pass geo= or geometry=)"
        )
        quality.attrs = {**self._attrs(), "silhouette": sil.basis, "compactness": shape}
        summary = pd.DataFrame(
            {
                "method": [self.method],
                "n_groups": [k],
                "ssd": [float(ssd.sum())],
                "explained": [1.0 - float(ssd.sum()) / total if total > 0 else float("nan")],
                "silhouette": [sil.overall],
                "compactness": [float(compact.mean())],
                "all_contiguous": [bool(quality["contiguous"].all())],
            }
        )
        summary["silhouette_basis"] = sil.basis
        summary.attrs = {**self._attrs(), "silhouette": sil.basis, "compactness": shape}
        return quality, summary

    @staticmethod
    def _compactness(geometry, groups: pd.Series) -> pd.Series:
        import geopandas as gpd
        from esda.shape import isoperimetric_quotient

        geo = geometry if isinstance(geometry, gpd.GeoSeries) else geometry.geometry
        geo = geo.set_axis(geo.index.astype(str)).reindex(groups.index)
        if geo.crs is not None and not geo.crs.is_projected:
            from terraplan.territory.boundaries import EQUAL_AREA_CRS

            geo = geo.to_crs(EQUAL_AREA_CRS)
        frame = gpd.GeoDataFrame({"group": groups.to_numpy()}, geometry=geo.to_numpy(), crs=geo.crs)
        dissolved = frame.dissolve(by="group").sort_index()
        return pd.Series(isoperimetric_quotient(dissolved.geometry), index=dissolved.index)

    def _attrs(self) -> dict:
        return {
            "method": f"regionalization ({self.method})",
            "n_regions": self.n_regions,
            "floor": self.floor,
            "random_state": self.random_state,
            "standardized": self.standardize,
        }

    def to_frame(self) -> pd.DataFrame:
        """Regions and their group, with ``attrs`` (method, parameters, seed)."""
        frame = self.labels_.reset_index()
        frame.attrs = {
            **self._attrs(),
            "features": list(self.feature_names_in_),
            "year": self.year_,
        }
        return frame

    def __repr__(self) -> str:
        """Method and size, and once fitted the groups and whether all are contiguous."""
        head = f"<{type(self).__name__} n_regions={self.n_regions}"
        if not hasattr(self, "labels_"):
            return head + " (not fitted)>"
        row = self.summary_.iloc[0]
        contiguous = "all contiguous" if bool(row["all_contiguous"]) else "NOT all contiguous"
        return f"{head}: {int(row['n_groups'])} groups of {len(self.labels_)} units, {contiguous}>"

    def _repr_html_(self) -> str:
        """The summary and the quality of every group as tables (Jupyter)."""
        import html

        head = f"<p><b>{html.escape(repr(self))}</b></p>"
        if not hasattr(self, "labels_"):
            return head
        return (
            head
            + self.summary_.to_html(index=False, escape=True)
            + self.quality_.to_html(index=False, escape=True)
        )


class SkaterRegionalizer(_Regionalizer):
    """SKATER: prune the attribute-weighted spanning tree into ``n_regions`` groups.

    Deterministic (no randomness; ``random_state`` is recorded only). ``floor`` is the minimum
    of ``floor_values`` per group.

    Example
    -------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(1, 4, id_type="string")
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 10.0, 11.0]}, index=w.id_order)
    >>> SkaterRegionalizer(2).fit(X, w).labels_.tolist()
    [1, 1, 2, 2]
    """

    method = "skater"

    def _solve(self, X, adjacency, floor_values):
        from terraplan.analysis.skater import skater

        floor = -np.inf if self.floor is None else float(self.floor)
        return skater(X, adjacency, self.n_regions, floor=floor, floor_values=floor_values)


class WardRegionalizer(_Regionalizer):
    """Ward hierarchical clustering where only neighbouring groups may merge.

    Example
    -------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(1, 4, id_type="string")
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 10.0, 11.0]}, index=w.id_order)
    >>> WardRegionalizer(2).fit(X, w).labels_.tolist()
    [1, 1, 2, 2]
    """

    method = "ward"

    def _solve(self, X, adjacency, floor_values):
        from scipy.sparse import csgraph
        from sklearn.cluster import AgglomerativeClustering

        if self.floor is not None:
            raise InputError(
                "Ward regionalization has no floor. Fix: use method='skater' or 'maxp'."
            )
        if csgraph.connected_components(adjacency, directed=False)[0] > 1:
            raise AnalysisError(
                "the weights are disconnected; Ward with contiguity needs one connected graph. "
                "Fix: build weights with islands='nearest'."
            )
        model = AgglomerativeClustering(
            n_clusters=self.n_regions, linkage="ward", connectivity=adjacency
        )
        return model.fit_predict(X)


class MaxPRegionalizer(_Regionalizer):
    """Max-p regions: the largest number of groups whose ``floor_values`` reach ``floor``.

    ``n_regions`` is not used (max-p chooses the number). Seeded by ``random_state``.
    ``n_constructions`` and ``sa_iterations`` are spopt's ``max_iterations_construction`` and
    ``max_iterations_sa``; terraplan's defaults (20 and 2, spopt's are 99 and 10) keep a run on
    a few dozen units to a second or so, where spopt's take minutes.

    Example
    -------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(1, 6, id_type="string")
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 10.0, 11.0, 12.0]}, index=w.id_order)
    >>> r = MaxPRegionalizer(floor=3).fit(X, w)
    >>> r.labels_.tolist()
    [1, 1, 1, 2, 2, 2]
    """

    method = "maxp"

    def __init__(
        self,
        n_regions: int = 5,
        *,
        floor: float | None = None,
        random_state: int = 0,
        standardize: bool = True,
        n_constructions: int = 20,
        sa_iterations: int = 2,
    ) -> None:
        super().__init__(n_regions, floor=floor, random_state=random_state, standardize=standardize)
        self.n_constructions = n_constructions
        self.sa_iterations = sa_iterations

    def _solve(self, X, adjacency, floor_values):
        from libpysal.weights import WSP
        from spopt.region import MaxPHeuristic

        if self.floor is None:
            raise InputError("max-p needs floor= (e.g. a minimum population per group).")
        if floor_values.sum() < self.floor:
            raise AnalysisError(
                f"the floor ({self.floor}) exceeds the total of all regions "
                f"({floor_values.sum():g}); no group can reach it. Fix: lower the floor."
            )
        w = WSP(adjacency.tocsr()).to_W(silence_warnings=True)  # ids 0..n-1, as spopt needs
        cols = [f"f{j}" for j in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=cols)
        frame["floor_value"] = floor_values
        state = np.random.get_state()
        np.random.seed(self.random_state)
        try:
            with warnings.catch_warnings():
                # spopt's own use of a pandas keyword that pandas plans to remove
                warnings.filterwarnings("ignore", "The inplace keyword", FutureWarning)
                warnings.filterwarnings("ignore", "The inplace keyword", DeprecationWarning)
                model = MaxPHeuristic(
                    frame,
                    w,
                    cols,
                    "floor_value",
                    float(self.floor),
                    top_n=2,
                    max_iterations_construction=self.n_constructions,
                    max_iterations_sa=self.sa_iterations,
                )
                model.solve()
        finally:
            np.random.set_state(state)
        return np.asarray(model.labels_)


def _is_layout(w: W, layout: str) -> bool:
    """Whether the units of ``w`` are exactly the regions of ``layout`` (so its boundaries fit)."""
    from terraplan.territory.registry import layout_regions

    return {str(c) for c in w.id_order} == set(layout_regions(layout))


_CLASSES = {"skater": SkaterRegionalizer, "maxp": MaxPRegionalizer, "ward": WardRegionalizer}


def regionalize(
    features: pd.DataFrame,
    geo: gpd.GeoDataFrame | None = None,
    *,
    method: RegionMethod = "skater",
    n_regions: int = 5,
    floor: float | None = None,
    floor_values: pd.Series | None = None,
    w: W | None = None,
    layout: str = "KZ-2022",
    random_state: int = 0,
    standardize: bool = True,
) -> _Regionalizer:
    """Fit a regionalization of the regions of ``features`` and return the fitted estimator.

    ``geo`` (polygons with a ``code`` column) defaults to the layout's boundaries; ``w``
    defaults to their queen contiguity (:func:`terraplan.territory.weights.spatial_weights`).
    Given ``w`` of other units and no ``geo``, nothing is loaded: ``compactness`` is NaN and
    the tables' ``attrs["compactness"]`` say that it needs the polygons.
    Read ``labels_``, ``quality_``, ``summary_`` or ``to_frame()`` from the result.

    Example
    -------
    >>> from terraplan.datasets import kazakhstan
    >>> from terraplan.analysis.features import kazakhstan_features
    >>> r = regionalize(kazakhstan_features(kazakhstan.panel(), year=2023), n_regions=4)
    >>> int(r.summary_["n_groups"].iloc[0]), bool(r.summary_["all_contiguous"].iloc[0])
    (4, True)
    """
    if method not in _CLASSES:
        raise InputError(f"method={method!r} is not one of {', '.join(_CLASSES)}.")
    if w is None and geo is None:
        from libpysal.weights import W as Weights

        from terraplan.territory.weights import neighbours

        w = Weights(neighbours(layout), silence_warnings=True)
    if geo is None and _is_layout(w, layout):
        from terraplan.territory.boundaries import boundaries

        geo = boundaries(layout=layout)
    if w is None:
        from terraplan.territory.weights import spatial_weights

        w = spatial_weights(geo, "queen", transform="b")
    # weights of other units without geo: no polygons to measure (the tables say so)
    geometry = None if geo is None else geo.set_index(geo["code"].astype(str)).geometry
    model = _CLASSES[method](
        n_regions, floor=floor, random_state=random_state, standardize=standardize
    )
    return model.fit(features, w, floor_values=floor_values, geometry=geometry)
