"""Spatial autocorrelation: global Moran's I and local Moran (LISA), seeded and NaN-safe.

Conventions, fixed and documented:

* **Input** is a Series of values indexed by region code (its ``name`` is the indicator) and
  spatial weights from :func:`terraplan.territory.weights.spatial_weights` (queen contiguity of
  the layout's boundaries when ``w`` is not given).
* **Missing values** (NaN, or a region of the weights absent from the Series) are excluded with a
  ``UserWarning``: the weights are restricted to the regions with data and row-standardized
  again. A region left without any neighbour that has data is excluded too (its spatial lag
  would be undefined). Excluded regions stay in the LISA table with NaN statistics and a
  missing label; they are never labelled as a cluster.
* **Inference** is by conditional permutation with a fixed ``seed`` (default 0). Pseudo p-values
  are one-sided, folded towards the nearer tail, as in esda: ``(min(larger, P - larger) + 1) /
  (P + 1)``. The global statistic is permuted here with NumPy's seeded generator (esda's
  ``Moran`` draws from NumPy's global state); the local one uses esda's seeded ``Moran_Local``.
* **Labels** (one set, in English): ``High-High``, ``Low-Low``, ``High-Low`` (high value, low
  neighbours), ``Low-High`` and ``Not significant``. A region is significant when its p-value
  (Benjamini-Hochberg adjusted when ``fdr=True``) is below ``alpha``. ``quadrant`` gives the
  quadrant of the Moran scatter plot whatever the significance.

Example
-------
>>> import geopandas as gpd, pandas as pd
>>> from shapely.geometry import box
>>> from terraplan.territory.weights import spatial_weights
>>> cells = [(c, r) for r in range(4) for c in range(4)]
>>> grid = gpd.GeoDataFrame({"code": [f"{c}{r}" for c, r in cells]},
...                         geometry=[box(c, r, c + 1, r + 1) for c, r in cells])
>>> chess = pd.Series([(c + r) % 2 for c, r in cells], index=grid["code"], dtype=float)
>>> round(float(moran(chess, spatial_weights(grid, "rook"))["I"].iloc[0]), 6)
-1.0
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from terraplan.errors import AnalysisError, InputError

if TYPE_CHECKING:
    from libpysal.weights import W

LABELS = ("High-High", "Low-Low", "High-Low", "Low-High", "Not significant")
# esda quadrant codes (geoda_quads=False): 1 HH, 2 LH, 3 LL, 4 HL
_QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}


def _default_weights(layout: str) -> W:
    """Queen contiguity of the layout's boundaries (computed once per session)."""
    from libpysal.weights import W as Weights

    from terraplan.territory.weights import neighbours

    w = Weights(neighbours(layout), silence_warnings=True)
    w.transform = "r"
    return w


def _prepare(values: pd.Series, w: W):
    """Align ``values`` with ``w``; return (y, restricted W, kept codes, excluded codes)."""
    from libpysal.weights import W as Weights

    if not isinstance(values, pd.Series):
        raise InputError(
            "values must be a pandas Series indexed by region code (e.g. "
            "features['grp_per_capita'])."
        )
    ids = [str(i) for i in w.id_order]
    graph = {str(k): {str(j) for j in v} for k, v in w.neighbors.items()}
    values = values.copy()
    values.index = values.index.astype(str)
    unknown = sorted(set(values.index) - set(ids))
    if unknown or values.index.has_duplicates:
        dup = sorted(set(values.index[values.index.duplicated()]))
        raise InputError(
            "values do not fit the spatial weights: "
            + (f"regions without geometry: {', '.join(unknown)}. " if unknown else "")
            + (f"duplicated regions: {', '.join(dup)}. " if dup else "")
            + "Fix: use the same layout for data and boundaries (terraplan.harmonize)."
        )
    y = pd.to_numeric(values.reindex(ids), errors="coerce").astype(float)
    keep = set(y.index[y.notna()])
    excluded_no_data = sorted(set(ids) - keep)
    # drop regions that have data but no neighbour with data, until none is left
    while True:
        lonely = {i for i in keep if not keep.intersection(graph[i])}
        if not lonely:
            break
        keep -= lonely
    kept = [i for i in ids if i in keep]
    excluded_isolated = sorted(set(ids) - keep - set(excluded_no_data))
    if excluded_no_data or excluded_isolated:
        parts = []
        if excluded_no_data:
            parts.append(f"no value for {', '.join(excluded_no_data)}")
        if excluded_isolated:
            parts.append(f"no neighbour with a value for {', '.join(excluded_isolated)}")
        warnings.warn(
            f"excluded from the spatial statistics ({'; '.join(parts)}); they are shown as "
            "missing.",
            UserWarning,
            stacklevel=3,
        )
    if len(kept) < 3:
        raise AnalysisError(
            f"only {len(kept)} region(s) have a value and a neighbour with a value; "
            "spatial autocorrelation needs at least 3. Fix: choose a year with data."
        )
    if len(kept) == len(ids) and all(isinstance(i, str) for i in w.id_order):
        if str(w.transform).lower() == "r":  # nothing excluded, row-standardized: use it as is
            sub = w
        else:  # the caller's graph, row-standardized in a new W (never the caller's in place)
            sub = Weights(w.neighbors, w.weights, id_order=ids, silence_warnings=True)
            sub.transform = "r"
    else:
        neighbors = {i: sorted(keep.intersection(graph[i])) for i in kept}
        sub = Weights(neighbors, id_order=kept, silence_warnings=True)
        sub.transform = "r"
    yk = y.loc[kept].to_numpy()
    if np.ptp(yk) == 0:
        raise AnalysisError("all values are equal; Moran's I is undefined for a constant.")
    return yk, sub, kept, sorted(set(ids) - keep)


def _permuted_moran(z: np.ndarray, w, permutations: int, seed: int) -> np.ndarray:
    """``zp @ (w @ zp)`` for ``permutations`` seeded permutations ``zp`` of ``z``.

    The permutations are drawn one at a time from ``numpy.random.default_rng(seed)``: the same
    numbers, and the same sums, as the one dense ``rng.permuted(np.tile(z, (permutations, 1)),
    axis=1)`` array that terraplan 0.1 built, in memory for one permutation instead of all.

    >>> import scipy.sparse as sp
    >>> w = sp.csr_matrix(np.array([[0, 1.0], [1.0, 0]]))
    >>> _permuted_moran(np.array([1.0, -1.0]), w, 3, 0).tolist()
    [-2.0, -2.0, -2.0]
    """
    rng = np.random.default_rng(seed)
    out = np.empty(permutations)
    for i in range(permutations):
        zp = rng.permutation(z)
        out[i] = (zp * (w @ zp)).sum()
    return out


def _folded_p(sim: np.ndarray, observed: np.ndarray, permutations: int) -> np.ndarray:
    larger = (sim >= observed).sum(axis=0)
    larger = np.minimum(larger, permutations - larger)
    return (larger + 1.0) / (permutations + 1.0)


def moran(
    values: pd.Series,
    w: W | None = None,
    *,
    permutations: int = 999,
    seed: int = 0,
    layout: str = "KZ-2022",
) -> pd.DataFrame:
    """Global Moran's I of ``values`` on row-standardized weights ``w``.

    Returns one row: ``indicator, I, expected_I, z_norm, p_norm, p_sim, z_sim, n,
    n_excluded`` with ``attrs`` (method, weights, permutations, seed, excluded regions).
    ``p_norm`` is two-sided under normality; ``p_sim`` is the folded pseudo p-value of the
    seeded permutations.

    Example
    -------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(1, 4, rook=True, id_type="string")
    >>> y = pd.Series([1.0, 2.0, 3.0, 4.0], index=w.id_order, name="x")
    >>> float(moran(y, w, permutations=99)["I"].round(4).iloc[0])
    0.4
    """
    from esda.moran import Moran

    w = _default_weights(layout) if w is None else w
    y, sub, kept, excluded = _prepare(values, w)
    stat = Moran(y, sub, transformation="r", permutations=0)
    z = y - y.mean()
    sim = _permuted_moran(z, sub.sparse, permutations, seed) * (len(z) / sub.s0) / (z @ z)
    p_sim = float(_folded_p(sim[:, None], np.array([stat.I]), permutations)[0])
    sd = sim.std()
    frame = pd.DataFrame(
        {
            "indicator": [str(values.name) if values.name is not None else "value"],
            "I": [float(stat.I)],
            "expected_I": [float(stat.EI)],
            "z_norm": [float(stat.z_norm)],
            "p_norm": [float(stat.p_norm)],
            "p_sim": [p_sim],
            "z_sim": [float((stat.I - sim.mean()) / sd) if sd > 0 else float("nan")],
            "n": [len(kept)],
            "n_excluded": [len(excluded)],
        }
    )
    frame.attrs = {
        "method": "global Moran's I",
        "indicator": frame["indicator"].iloc[0],
        "weights": "row-standardized",
        "permutations": permutations,
        "seed": seed,
        "excluded": excluded,
        "reference": "regions with data",
    }
    return frame


def lisa(
    values: pd.Series,
    w: W | None = None,
    *,
    permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
    fdr: bool = False,
    layout: str = "KZ-2022",
) -> pd.DataFrame:
    """Local Moran (LISA) of every region, with cluster labels ready for a map.

    Returns one row per region of ``w`` (sorted by code): ``region, value, z, lag, local_i, p_sim,
    p_adjusted, quadrant, significant, label``. ``z`` is the standardized value, ``lag`` the
    row-standardized spatial lag of ``z``; ``p_adjusted`` equals ``p_sim`` unless ``fdr=True``
    (Benjamini-Hochberg). Excluded regions keep their ``value`` (NaN when they have none) and
    have NaN statistics and a missing ``label``.

    Example
    -------
    >>> import pandas as pd
    >>> from libpysal.weights import lat2W
    >>> w = lat2W(5, 5, rook=False, id_type="string")
    >>> y = pd.Series(0.0, index=w.id_order)
    >>> y[["id0", "id1", "id5", "id6"]] = 10.0  # a hot corner
    >>> t = lisa(y, w, permutations=199)
    >>> t.set_index("region").loc["id0", "label"]
    'High-High'
    """
    from esda.moran import Moran_Local
    from scipy.stats import false_discovery_control

    if not 0 < alpha < 1:
        raise InputError(f"alpha={alpha} must be between 0 and 1 (e.g. 0.05).")
    w = _default_weights(layout) if w is None else w
    all_ids = [str(i) for i in w.id_order]
    y, sub, kept, excluded = _prepare(values, w)
    with warnings.catch_warnings():
        # esda announces a future two-sided default; terraplan keeps the folded p (see above)
        warnings.filterwarnings("ignore", "The alternative hypothesis", DeprecationWarning)
        # esda divides by the spread of the simulations, zero for a unit whose lag cannot vary
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        local = Moran_Local(
            y, sub, transformation="r", permutations=permutations, seed=seed, keep_simulations=False
        )
    p = np.asarray(local.p_sim, dtype=float)
    p_adj = false_discovery_control(p, method="bh") if fdr else p
    significant = p_adj < alpha
    quadrant = pd.Series(local.q, dtype=int).map(_QUADRANTS).to_numpy()
    z = np.asarray(local.z, dtype=float)
    result = pd.DataFrame(
        {
            "region": kept,
            "value": y,
            "z": z,
            "lag": sub.sparse @ z,
            "local_i": np.asarray(local.Is, dtype=float),
            "p_sim": p,
            "p_adjusted": p_adj,
            "quadrant": quadrant,
            "significant": significant,
            "label": np.where(significant, quadrant, "Not significant"),
        }
    )
    frame = result.set_index("region").reindex(sorted(all_ids)).rename_axis("region").reset_index()
    # an excluded region keeps its value (if any); only its statistics are missing
    given = pd.to_numeric(values.rename(index=str), errors="coerce")
    frame["value"] = frame["region"].map(given).astype(float)
    frame["significant"] = frame["significant"].astype("boolean")
    frame["label"] = frame["label"].astype("string")
    frame["quadrant"] = frame["quadrant"].astype("string")
    frame.attrs = {
        "method": "local Moran (LISA)",
        "indicator": str(values.name) if values.name is not None else "value",
        "weights": "row-standardized",
        "permutations": permutations,
        "seed": seed,
        "alpha": alpha,
        "fdr": "Benjamini-Hochberg" if fdr else "none",
        "labels": list(LABELS),
        "excluded": excluded,
        "reference": "regions with data",
    }
    return frame
