"""Spatial weights between regions: contiguity, nearest neighbours, distance band.

Weights are libpysal ``W`` objects whose ids are the region codes, sorted, so that they plug
straight into esda (Moran, LISA) and spopt (regionalization).

Policies, fixed and documented:

* **Geometry first.** Contiguity is computed on the polygons themselves with a spatial-index
  ``intersects`` test (libpysal ``Graph.build_fuzzy_contiguity``), not on shared vertex lists, so
  an enclave (Astana inside Akmola, Almaty city inside Almaty Region) is a neighbour of the region
  around it whether or not the outer polygon carries a hole, and boundaries digitized separately
  still meet (libpysal#302). ``tolerance`` (metres) widens the test for boundaries with gaps.
* **Points.** ``knn`` and ``distance`` use polygon centroids; units whose centroids coincide
  (a ring-shaped region around its enclave) are all neighbours of each other.
* **Distances in metres.** Geographic coordinates (EPSG:4326) are projected to
  :data:`terraplan.territory.boundaries.EQUAL_AREA_CRS` before any distance, centroid or buffer.
  Geometries without a CRS are taken as planar (synthetic grids).
* **Islands and disconnected parts** (``islands="nearest"``, the default): while the graph has
  more than one connected component, the smallest component is linked to the nearest unit outside
  it (shortest distance between polygons), in both directions. Every added link is announced in a
  ``UserWarning`` and listed in ``w.added_links``. ``islands="raise"`` refuses a disconnected graph
  instead, ``islands="keep"`` leaves it as it is.
* **Row standardization** (``transform="r"``) by default; ``"b"`` keeps binary weights.

Example
-------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> grid = gpd.GeoDataFrame(
...     {"code": ["A", "B", "C"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]
... )
>>> w = spatial_weights(grid, "rook")
>>> w.neighbors["B"], w.weights["B"]
(['A', 'C'], [0.5, 0.5])
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import TYPE_CHECKING, Literal

import numpy as np

from terraplan.errors import GeometryError, InputError

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.weights import W

WeightsKind = Literal["queen", "rook", "knn", "distance"]
IslandPolicy = Literal["nearest", "raise", "keep"]

_KINDS = ("queen", "rook", "knn", "distance")


def _projected(geo: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``geo`` in a CRS whose units are metres (or as is when it has no CRS)."""
    if geo.crs is None or geo.crs.is_projected:
        return geo
    from terraplan.territory.boundaries import EQUAL_AREA_CRS

    return geo.to_crs(EQUAL_AREA_CRS)


def _check_input(geo: gpd.GeoDataFrame, id_column: str, kind: str) -> None:
    problems = []
    if kind not in _KINDS:
        problems.append(f"kind={kind!r} is not one of {', '.join(_KINDS)}")
    if id_column not in geo.columns:
        problems.append(f"column {id_column!r} is missing (columns: {', '.join(geo.columns)})")
    else:
        ids = geo[id_column]
        if ids.isna().any():
            problems.append(f"{int(ids.isna().sum())} row(s) have no {id_column!r}")
        dup = sorted(ids[ids.duplicated()].astype(str).unique())
        if dup:
            problems.append(f"duplicated {id_column!r}: {', '.join(dup)} (dissolve them first)")
        missing_geom = geo.geometry.isna() | geo.geometry.is_empty
        if missing_geom.any():
            bad = ", ".join(sorted(ids[missing_geom].astype(str)))
            problems.append(f"empty or missing geometry for {bad}")
    if problems:
        raise GeometryError(
            "cannot build spatial weights:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\nFix: pass a GeoDataFrame with one non-empty polygon per region and a unique "
            f"{id_column!r} column (e.g. terraplan.territory.boundaries.boundaries())."
        )


def _graph_pairs(geo: gpd.GeoDataFrame, kind: str, k: int, threshold, tolerance: float):
    """Index pairs (i, j) of linked units, i != j (both directions for symmetric kinds)."""
    from libpysal.graph import Graph

    geoms = geo.geometry.reset_index(drop=True)
    if kind == "queen":
        graph = Graph.build_fuzzy_contiguity(
            geoms, buffer=tolerance if tolerance > 0 else None, predicate="intersects"
        )
    elif kind == "rook":
        graph = Graph.build_contiguity(geoms, rook=True, strict=True)
    else:
        points = geoms.centroid
        if kind == "knn":
            if not 0 < k < len(geo):
                raise InputError(
                    f"knn weights need 0 < k < number of regions ({len(geo)}), got k={k}. "
                    "Fix: choose a smaller k."
                )
            graph = Graph.build_knn(points, k=k, coplanar="clique")
        else:
            if threshold is None or threshold <= 0:
                raise InputError(
                    "distance-band weights need threshold= (a positive distance in metres). "
                    "Fix: pass e.g. threshold=300_000."
                )
            graph = Graph.build_distance_band(points, threshold=threshold, binary=True)
    adj = graph.adjacency.reset_index()
    adj = adj[adj["focal"] != adj["neighbor"]]
    return adj["focal"].to_numpy(), adj["neighbor"].to_numpy()


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _connect_components(geo: gpd.GeoDataFrame, i: np.ndarray, j: np.ndarray):
    """Link components to their nearest outside unit until the graph is connected."""
    geoms = geo.geometry.reset_index(drop=True)
    added: list[tuple[int, int]] = []
    labels = _components(len(geo), i, j)
    # one iteration per component: each merges one component into another
    while labels.max() > 0:
        sizes = np.bincount(labels)
        small = int(np.argmin(sizes))
        inside = np.flatnonzero(labels == small)
        outside = np.flatnonzero(labels != small)
        tree_idx, dist = geoms.iloc[outside].sindex.nearest(
            geoms.iloc[inside], return_distance=True, return_all=False
        )
        best = int(np.lexsort((tree_idx[1], tree_idx[0], dist))[0])
        a, b = int(inside[tree_idx[0, best]]), int(outside[tree_idx[1, best]])
        added.append((a, b))
        i, j = np.append(i, [a, b]), np.append(j, [b, a])
        labels = _components(len(geo), i, j)
    return i, j, added


def spatial_weights(
    geo: gpd.GeoDataFrame,
    kind: WeightsKind = "queen",
    *,
    k: int = 4,
    threshold: float | None = None,
    tolerance: float = 0.0,
    islands: IslandPolicy = "nearest",
    transform: Literal["r", "b"] = "r",
    id_column: str = "code",
) -> W:
    """Spatial weights between the regions of ``geo``, keyed by ``geo[id_column]`` (sorted).

    Parameters
    ----------
    geo
        One polygon per region, e.g. ``terraplan.territory.boundaries.boundaries()``.
    kind
        ``"queen"`` (polygons share at least a point), ``"rook"`` (share a stretch of border),
        ``"knn"`` (``k`` nearest centroids) or ``"distance"`` (centroids within ``threshold``).
    k
        Number of neighbours for ``"knn"``.
    threshold
        Distance band in metres for ``"distance"``.
    tolerance
        Queen only: polygons closer than this many metres count as touching (closes gaps
        between boundaries digitized separately).
    islands
        ``"nearest"`` links each disconnected part to its nearest unit and warns;
        ``"raise"`` raises :class:`~terraplan.errors.GeometryError`; ``"keep"`` does nothing.
    transform
        ``"r"`` row-standardized (each row sums to 1) or ``"b"`` binary.
    id_column
        Column holding the region key.

    Returns
    -------
    libpysal.weights.W
        ``w.id_order`` is the sorted list of codes; ``w.added_links`` lists the ``(code, code)``
        pairs added by the island policy (empty when none was needed).

    Example
    -------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> outer = box(0, 0, 3, 3).difference(box(1, 1, 2, 2))
    >>> geo = gpd.GeoDataFrame({"code": ["CITY", "OBLAST"]}, geometry=[box(1, 1, 2, 2), outer])
    >>> spatial_weights(geo).neighbors["CITY"]
    ['OBLAST']
    """
    from libpysal.weights import W

    _check_input(geo, id_column, kind)
    if islands not in ("nearest", "raise", "keep"):
        raise InputError(f"islands={islands!r} must be 'nearest', 'raise' or 'keep'.")
    if transform not in ("r", "b"):
        raise InputError(f"transform={transform!r} must be 'r' (row-standardized) or 'b'.")
    ordered = _projected(geo).sort_values(id_column, kind="stable")
    codes = ordered[id_column].astype(str).to_numpy()
    i, j = _graph_pairs(ordered, kind, k, threshold, tolerance)
    added: list[tuple[int, int]] = []
    n_parts = _components(len(codes), i, j).max() + 1
    if n_parts > 1 and islands == "raise":
        labels = _components(len(codes), i, j)
        parts = [", ".join(codes[labels == c]) for c in range(n_parts)]
        raise GeometryError(
            f"the {kind} graph has {n_parts} disconnected parts: "
            + " | ".join(parts)
            + ". Fix: use islands='nearest' (link each part to its nearest region), a larger "
            "tolerance, or kind='knn'."
        )
    if n_parts > 1 and islands == "nearest":
        i, j, added = _connect_components(ordered, i, j)
        links = ", ".join(f"{codes[a]}-{codes[b]}" for a, b in added)
        warnings.warn(
            f"the {kind} graph had {n_parts} disconnected parts; linked each to its nearest "
            f"region: {links}",
            UserWarning,
            stacklevel=2,
        )
    pairs = sorted({(codes[a], codes[b]) for a, b in zip(i, j, strict=True)})
    neighbors: dict[str, list[str]] = {c: [] for c in codes}
    for a, b in pairs:
        neighbors[a].append(b)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands under islands="keep" are the caller's choice
        w = W(neighbors, id_order=list(codes), silence_warnings=True)
    w.transform = transform
    w.added_links = [(str(codes[a]), str(codes[b])) for a, b in added]
    return w


def neighbours(layout: str = "KZ-2022") -> dict[str, list[str]]:
    """Queen neighbours of every region of ``layout``, as sorted lists of codes.

    Built from :func:`terraplan.territory.boundaries.boundaries`; the enclave cities (Astana,
    Almaty) are neighbours of the regions around them.

    Example
    -------
    >>> nb = neighbours("KZ-2022")
    >>> "KZ-11" in nb["KZ-71"]  # Astana lies inside Akmola
    True
    """
    return {code: list(nb) for code, nb in _queen_neighbours(layout).items()}


@cache
def _queen_neighbours(layout: str) -> dict[str, tuple[str, ...]]:
    """Queen neighbours of a layout, computed once per session (polygons are bundled)."""
    from terraplan.territory.boundaries import boundaries

    w = spatial_weights(boundaries(layout=layout), "queen", transform="b")
    return {code: tuple(sorted(w.neighbors[code])) for code in w.id_order}
