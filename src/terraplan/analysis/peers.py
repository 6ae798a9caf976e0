"""Peer regions: for each region, the most similar regions on standardized features.

Similarity is the Euclidean distance between z-scores (each feature weighs the same, whatever its
unit). For every pair the table names the features that drive the similarity (the smallest
absolute differences, in standard deviations) and those that set the two apart (the largest).
Ties in distance are broken by the peer's code, so the table is the same on every run.

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"a": [0.0, 0.1, 3.0, 3.2], "b": [1.0, 1.0, 0.0, 0.5]},
...                  index=["R1", "R2", "R3", "R4"])
>>> peers(X, "R1", k=2)[["region", "rank", "peer"]].to_dict("records")
[{'region': 'R1', 'rank': 1, 'peer': 'R2'}, {'region': 'R1', 'rank': 2, 'peer': 'R4'}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.analysis.features import standardize as _standardize
from terraplan.errors import InputError, RegionMatchError
from terraplan.territory.names import region_codes, region_names


def _describe(names: np.ndarray, diffs: np.ndarray, order: np.ndarray) -> list[str]:
    """Join ``name (x.x sd)`` for the feature positions in each row of ``order``."""
    return [
        ", ".join(f"{names[j]} ({diffs[r, j]:.1f} sd)" for j in order[r])
        for r in range(order.shape[0])
    ]


def peers(
    features: pd.DataFrame,
    region: str | None = None,
    *,
    k: int = 5,
    standardize: bool = True,
    n_drivers: int = 3,
    lang: str = "en",
) -> pd.DataFrame:
    """The ``k`` nearest regions of each region (or of ``region`` only).

    ``region`` is a code of ``features`` or a name in any spelling
    :func:`~terraplan.territory.names.match_regions` accepts ("Караганда").
    Returns a long table ``region, region_name, rank, peer, peer_name, distance, similar_on,
    differs_on`` (names in ``lang``) sorted by region and rank; ``distance`` is Euclidean on
    z-scores; ``attrs`` records the method, ``k``, the features and the reference (the regions
    of ``features``).

    Example
    -------
    >>> from terraplan.datasets import kazakhstan
    >>> from terraplan.analysis.features import kazakhstan_features
    >>> p = peers(kazakhstan_features(kazakhstan.panel(), year=2023), "KZ-23", k=3)
    >>> len(p), p["region"].unique().tolist()
    (3, ['KZ-23'])
    """
    features = features.rename(index=str).sort_index()
    n = len(features)
    problems = []
    if features.index.has_duplicates:
        problems.append("features have duplicated regions")
    if not 1 <= k <= n - 1:
        problems.append(f"k={k} must be between 1 and the number of regions - 1 ({n - 1})")
    if region is not None and region not in features.index:
        try:
            (region,) = region_codes(region, features.index, where="the features")
        except RegionMatchError as exc:
            problems.append(
                f"region {region!r} is not in the features ({'; '.join(exc.problems)}; "
                f"known: {', '.join(features.index)})"
            )
    if problems:
        raise InputError(
            "cannot find peers:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\nFix: pass one row per region, an existing region code and a smaller k."
        )
    Z = _standardize(features) if standardize else features.astype(float)
    X = Z.to_numpy()
    codes = features.index.to_numpy()
    focal = np.arange(n) if region is None else np.array([codes.tolist().index(region)])
    dist = np.sqrt(((X[focal, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    dist[np.arange(len(focal)), focal] = np.inf  # a region is not its own peer
    # rank by distance, ties by code (codes are sorted, so by column position)
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]
    rows = np.repeat(focal, k)
    cols = order.ravel()
    diffs = np.abs(X[rows] - X[cols])
    n_drv = min(n_drivers, X.shape[1])
    by_diff = np.argsort(diffs, axis=1, kind="stable")
    names = Z.columns.to_numpy()
    result = pd.DataFrame(
        {
            "region": codes[rows],
            "rank": np.tile(np.arange(1, k + 1), len(focal)),
            "peer": codes[cols],
            "distance": dist[np.repeat(np.arange(len(focal)), k), cols],
            "similar_on": _describe(names, diffs, by_diff[:, :n_drv]),
            "differs_on": _describe(names, diffs, by_diff[:, ::-1][:, :n_drv]),
        }
    )
    result.insert(1, "region_name", region_names(result["region"], lang).array)
    result.insert(4, "peer_name", region_names(result["peer"], lang).array)
    result.attrs = {
        "method": "peer regions (Euclidean distance on z-scores)"
        if standardize
        else "peer regions (Euclidean distance)",
        "k": k,
        "features": list(features.columns),
        "year": features.attrs.get("year"),
        "reference": "regions of the feature table",
    }
    return result
