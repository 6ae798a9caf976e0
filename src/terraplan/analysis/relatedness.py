"""Relatedness: presence of sectors in regions, proximity of sectors, density, entries, exits.

Everything here works on a wide ``region × sector`` DataFrame of non-negative values (one year of
a :class:`~terraplan.analysis.matrices.SectorMatrix`, :func:`values_frame` builds it from a tidy
panel) and returns labelled DataFrames whose ``attrs`` record the method and parameters.

* **Presence** ``M[c, p]``: the revealed comparative advantage (Balassa 1965; RCA is terraplan's
  location quotient against the sum of regions) at or above a threshold (default 1); the
  population-based RPOP (value per head against the nation's value per head, Growth Lab);
  continuous RCA; or a presence matrix given by the user.
* **Proximity** ``φ[p, q]`` between sectors from co-occurrence ``C = MᵀM`` across regions, with
  ``k_p`` the number of regions where ``p`` is present and ``N`` the number of regions:
  minimum conditional probability ``min(C/k_p, C/k_q)`` (Hidalgo et al. 2007, *Science* 317);
  cosine ``C/√(k_p k_q)``; Jaccard ``C/(k_p + k_q − C)``; association (observed over expected
  co-occurrence, ``C·N/(k_p k_q)``, EconGeo's probability index) and its hypergeometric
  z-score (Teece et al. 1994). Several years can be pooled: each region-year is one observation,
  which steadies proximities estimated from 20 regions.
* **Density** ``d[c, p] = Σ_q M[c, q] φ[p, q] / Σ_q φ[p, q]`` (Hidalgo et al. 2007), on a 0-1 or
  EconGeo's 0-100 scale; the diagonal (``φ[p, p] = 1`` in the Hidalgo measure) is kept by
  default, as py-ecomplexity does, and can be dropped as EconGeo does.
* **Entries and exits** between two years (Neffke, Henning & Boschma 2011, *Economic Geography*
  87): an *entry* is a sector absent (RCA < 1) at the start and present at the end; regions at
  risk of entry are those where the sector was absent at the start. An *exit* is a sector present
  at the start and absent at the end.

Example
-------
>>> import pandas as pd
>>> values = pd.DataFrame([[5.0, 5.0, 0.0], [0.0, 5.0, 5.0], [5.0, 0.0, 5.0]],
...                       index=["R1", "R2", "R3"], columns=["A", "B", "C"])
>>> m = presence(values)
>>> m.to_numpy().tolist()
[[1, 1, 0], [0, 1, 1], [1, 0, 1]]
>>> float(proximity(m).loc["A", "B"])
0.5
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from terraplan.errors import AnalysisError, InputError

PresenceMethod = Literal["rca", "rpop", "continuous", "matrix"]
ProximityMeasure = Literal["min_conditional", "cosine", "jaccard", "association", "zscore"]
PROXIMITY_MEASURES: tuple[str, ...] = (
    "min_conditional",
    "cosine",
    "jaccard",
    "association",
    "zscore",
)
PANEL_KEYS = ("region", "year", "indicator", "sector", "value")
#: RCA within this of the threshold counts as at the threshold: a uniform matrix has RCA = 1
#: exactly in theory but 0.9999999999999998 or 1.0000000000000002 after rounding.
THRESHOLD_TOLERANCE = 1e-10


def at_least(ratio: np.ndarray, threshold: float) -> np.ndarray:
    """0/1 floats: ``ratio ≥ threshold`` up to rounding (:data:`THRESHOLD_TOLERANCE`).

    >>> at_least(np.array([0.9999999999999998, 0.99, 1.5]), 1.0).tolist()
    [1.0, 0.0, 1.0]
    """
    return (np.asarray(ratio) >= threshold - THRESHOLD_TOLERANCE).astype(float)


def values_frame(data: pd.DataFrame, year: int | None = None, **options) -> pd.DataFrame:
    """The wide ``region × sector`` values of one year.

    ``data`` is a tidy panel (then ``year`` is required and ``options`` go to
    :func:`terraplan.analysis.matrices.sector_matrix`, e.g. ``indicator="gva"``), a
    :class:`~terraplan.analysis.matrices.SectorMatrix`, or already a wide DataFrame (checked:
    numbers, no NaN, no negative value, no empty row).

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"region": ["R1", "R1", "R2", "R2"], "year": 2023,
    ...     "indicator": "gva", "sector": ["A", "B", "A", "B"], "value": [3.0, 1.0, 1.0, 3.0],
    ...     "unit": "u", "flag": ""})
    >>> values_frame(panel, 2023).to_numpy().tolist()
    [[3.0, 1.0], [1.0, 3.0]]
    """
    from terraplan.analysis.matrices import SectorMatrix, sector_matrix

    if isinstance(data, SectorMatrix):
        if year is None:
            if len(data.years) != 1:
                raise AnalysisError(f"the matrix holds years {list(data.years)}; choose a year")
            year = data.years[0]
        return data.frame(year)
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"expected a tidy panel, a SectorMatrix or a region × sector DataFrame, got "
            f"{type(data).__name__}"
        )
    if set(PANEL_KEYS) <= set(data.columns):
        if year is None:
            raise AnalysisError("a tidy panel needs a year; pass year=...")
        return sector_matrix(data, int(year), **options).frame(int(year))
    return check_values(data)


def check_values(values: pd.DataFrame, *, what: str = "values") -> pd.DataFrame:
    """Refuse a wide matrix with non-numbers, NaN, negative values, or an all-zero row, naming
    every problem; return it as floats.

    >>> import pandas as pd
    >>> check_values(pd.DataFrame({"A": [1, 2]}, index=["R1", "R2"]))["A"].tolist()
    [1.0, 2.0]
    """
    problems = []
    try:
        out = values.astype(float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: the matrix must hold numbers only ({exc})") from None
    arr = out.to_numpy()
    if arr.size == 0:
        raise InputError(f"{what}: the matrix is empty; give at least one region and sector")
    if np.isnan(arr).any():
        cells = [f"{out.index[r]}/{out.columns[c]}" for r, c in np.argwhere(np.isnan(arr))[:8]]
        problems.append(f"{int(np.isnan(arr).sum())} missing value(s), e.g. {', '.join(cells)}")
    if (arr < 0).any():
        cells = [f"{out.index[r]}/{out.columns[c]}" for r, c in np.argwhere(arr < 0)[:8]]
        problems.append(f"{int((arr < 0).sum())} negative value(s), e.g. {', '.join(cells)}")
    if not problems:
        empty = out.index[arr.sum(axis=1) == 0]
        if len(empty):
            problems.append(f"region(s) with a zero total: {', '.join(map(str, empty[:8]))}")
    if problems:
        raise InputError(
            f"{what}: cannot use this region × sector matrix:\n  - "
            + "\n  - ".join(problems)
            + "\nfill or drop these cells, or leave these regions out"
        )
    return out


def rca_array(values: np.ndarray) -> np.ndarray:
    """Balassa's RCA of a ``... × regions × sectors`` array (sectors the last axis; 0 where a
    sector total is zero).

    >>> rca_array(np.array([[3.0, 1.0], [1.0, 3.0]])).tolist()
    [[1.5, 0.5], [0.5, 1.5]]
    """
    values = np.asarray(values, dtype=float)
    region_total = values.sum(axis=-1, keepdims=True)
    sector_total = values.sum(axis=-2, keepdims=True)
    grand = sector_total.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (values / region_total) / (sector_total / grand)
    return np.nan_to_num(out, nan=0.0, posinf=0.0)


def rpop_array(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """RPOP: value per head of the region over the nation's value per head, per sector.

    >>> rpop_array(np.array([[3.0, 1.0], [1.0, 3.0]]), np.array([1.0, 3.0])).tolist()
    [[3.0, 1.0], [0.3333333333333333, 1.0]]
    """
    values = np.asarray(values, dtype=float)
    pop = np.asarray(population, dtype=float)
    per_head_nation = values.sum(axis=-2, keepdims=True) / pop.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (values / pop[:, None]) / per_head_nation
    return np.nan_to_num(out, nan=0.0, posinf=0.0)


def _like(values: pd.DataFrame, data: np.ndarray, **attrs) -> pd.DataFrame:
    out = pd.DataFrame(data, index=values.index, columns=values.columns)
    out.attrs = {**values.attrs, **attrs}
    return out


def rca(values: pd.DataFrame) -> pd.DataFrame:
    """Revealed comparative advantage (Balassa) of every region in every sector.

    RCA is the location quotient against the sum of the regions of the matrix.

    >>> import pandas as pd
    >>> values = pd.DataFrame([[3.0, 1.0], [1.0, 3.0]], index=["R1", "R2"], columns=["A", "B"])
    >>> rca(values).loc["R1"].tolist()
    [1.5, 0.5]
    """
    values = check_values(values)
    return _like(values, rca_array(values.to_numpy()), method="RCA (Balassa 1965)")


def presence(
    values: pd.DataFrame,
    *,
    method: PresenceMethod = "rca",
    threshold: float = 1.0,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """The presence matrix ``M[c, p]`` used by proximity, density and complexity.

    ``method``: ``"rca"`` (1 where RCA ≥ ``threshold``), ``"rpop"`` (1 where RPOP ≥ ``threshold``,
    needs ``population`` indexed by region), ``"continuous"`` (the RCA itself) or ``"matrix"``
    (``values`` is already a presence matrix of numbers in [0, 1]).

    >>> import pandas as pd
    >>> values = pd.DataFrame([[3.0, 1.0], [1.0, 3.0]], index=["R1", "R2"], columns=["A", "B"])
    >>> presence(values, population=pd.Series({"R1": 1.0, "R2": 3.0}), method="rpop").values
    array([[1, 1],
           [0, 1]])
    """
    if method == "matrix":
        arr = values.astype(float).to_numpy()
        if np.isnan(arr).any() or (arr < 0).any() or (arr > 1).any():
            raise InputError(
                "a presence matrix (method='matrix') holds numbers in [0, 1] without NaN; "
                "give 1 for present, 0 for absent"
            )
        return _like(values, arr, presence="user matrix")
    values = check_values(values)
    if method == "rca":
        data = at_least(rca_array(values.to_numpy()), threshold).astype(np.int64)
        return _like(values, data, presence=f"RCA >= {threshold:g}")
    if method == "continuous":
        return _like(values, rca_array(values.to_numpy()), presence="continuous RCA")
    if method == "rpop":
        if population is None:
            raise InputError("presence method 'rpop' needs population=Series indexed by region")
        pop = pd.Series(population, dtype=float).reindex(values.index)
        missing = pop.index[pop.isna() | (pop <= 0)]
        if len(missing):
            raise InputError(
                f"population is missing or not positive for: {', '.join(map(str, missing))}"
            )
        data = at_least(rpop_array(values.to_numpy(), pop.to_numpy()), threshold).astype(np.int64)
        return _like(values, data, presence=f"RPOP >= {threshold:g}")
    raise InputError(f"unknown presence method {method!r}; use rca, rpop, continuous or matrix")


def proximity_array(m: np.ndarray, measure: str = "min_conditional") -> np.ndarray:
    """Proximity between the columns (sectors) of a ``observations × sectors`` presence array.

    Sectors present nowhere get proximity 0 with every sector (1 with themselves under
    ``min_conditional``, ``cosine`` and ``jaccard``).

    >>> proximity_array(np.array([[1, 1], [1, 0]])).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    m = np.asarray(m, dtype=float)
    n = m.shape[0]
    if n < 2**24 and ((m == 0) | (m == 1)).all():
        # counts below 2**24 are exact in float32, at half the cost of the float64 product
        m32 = m.astype(np.float32)
        co = (np.ascontiguousarray(m32.T) @ m32).astype(float)
    else:
        co = m.T @ m
    k = m.sum(axis=0)  # for a 0/1 presence, the number of observations holding the sector
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "min_conditional":
            cond = co / k[None, :]  # P(p | q)
            out = np.minimum(cond, cond.T)
        elif measure == "cosine":
            norms = np.sqrt(np.diag(co))
            out = co / np.outer(norms, norms)
        elif measure == "jaccard":
            out = co / (k[:, None] + k[None, :] - co)
        elif measure == "association":
            out = co * n / np.outer(k, k)
        elif measure == "zscore":
            expected = np.outer(k, k) / n
            var = expected * (1 - k[:, None] / n) * (n - k[None, :]) / max(n - 1, 1)
            out = (co - expected) / np.sqrt(var)
        else:
            raise InputError(
                f"unknown proximity measure {measure!r}; use one of {', '.join(PROXIMITY_MEASURES)}"
            )
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    if measure in ("min_conditional", "cosine", "jaccard"):
        np.fill_diagonal(out, 1.0)
    return out


def proximity(
    presence_matrix: pd.DataFrame | Sequence[pd.DataFrame],
    *,
    measure: ProximityMeasure = "min_conditional",
) -> pd.DataFrame:
    """Proximity between every pair of sectors, from the regions where they are present together.

    ``presence_matrix`` is one ``region × sector`` presence matrix, or a list of them (one per
    year, same sectors): the years are *pooled*, each region-year counting as one observation.

    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["A", "B", "C"])
    >>> proximity(m).round(3).values.tolist()
    [[1.0, 0.667, 0.667], [0.667, 1.0, 0.5], [0.667, 0.5, 1.0]]
    >>> float(proximity(m, measure="jaccard").loc["B", "C"])
    0.3333333333333333
    """
    frames = [presence_matrix] if isinstance(presence_matrix, pd.DataFrame) else presence_matrix
    frames = list(frames)
    if not frames:
        raise InputError("no presence matrix given")
    sectors = frames[0].columns
    differ = [i for i, f in enumerate(frames) if not f.columns.equals(sectors)]
    if differ:
        raise InputError(
            f"pooled presence matrices {differ} have other sectors than the first "
            f"({list(sectors)}); give every year the same sectors"
        )
    stacked = np.vstack([f.to_numpy(dtype=float) for f in frames])
    out = pd.DataFrame(proximity_array(stacked, measure), index=sectors, columns=sectors)
    out.index.name = out.columns.name = "sector"
    out.attrs = {
        "method": f"proximity: {measure}",
        "measure": measure,
        "observations": int(stacked.shape[0]),
        "pooled_matrices": len(frames),
        "presence": frames[0].attrs.get("presence", ""),
    }
    return out


def density_array(
    m: np.ndarray,
    phi: np.ndarray,
    *,
    diagonal: bool = True,
    k: int | None = None,
) -> np.ndarray:
    """Density ``d[c, p] = Σ_q M[c, q] φ[p, q] / Σ_q φ[p, q]`` (0-1 for a 0/1 presence).

    Negative proximities (z-scores) count as 0. ``diagonal=False`` drops ``φ[p, p]``; ``k``
    keeps, for every sector, only its ``k`` most proximate other sectors (a weighted density over
    those neighbours, not a count).

    >>> m = np.array([[1.0, 0.0, 0.0]])
    >>> phi = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.25], [0.0, 0.25, 1.0]])
    >>> density_array(m, phi).round(3).tolist()
    [[0.667, 0.286, 0.0]]
    """
    w = np.clip(np.asarray(phi, dtype=float), 0.0, None)
    if not diagonal or k is not None:
        w = w.copy()
        np.fill_diagonal(w, 0.0)
    if k is not None:
        if not 1 <= k < w.shape[0]:
            raise InputError(f"k = {k}: choose between 1 and {w.shape[0] - 1} nearest sectors")
        order = np.argsort(-w, axis=1, kind="stable")
        keep = np.zeros_like(w, dtype=bool)
        np.put_along_axis(keep, order[:, :k], True, axis=1)
        w = np.where(keep, w, 0.0)
    total = w.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(m, dtype=float) @ (w.T / total[None, :])
    return np.nan_to_num(out, nan=0.0)


def density(
    presence_matrix: pd.DataFrame,
    proximity_matrix: pd.DataFrame,
    *,
    scale: Literal["unit", "percent"] = "unit",
    diagonal: bool = True,
    k: int | None = None,
) -> pd.DataFrame:
    """Relatedness density of every region in every sector.

    ``scale="percent"`` gives EconGeo's 0-100 scale; ``diagonal=False`` leaves a sector's own
    presence out (EconGeo); ``k`` restricts each sector to its ``k`` most proximate sectors.

    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["A", "B", "C"])
    >>> density(m, proximity(m), scale="percent").round(1).loc[0].tolist()
    [71.4, 76.9, 53.8]
    """
    prox = proximity_matrix.reindex(index=presence_matrix.columns, columns=presence_matrix.columns)
    if prox.isna().any().any():
        missing = sorted(set(presence_matrix.columns) - set(proximity_matrix.columns))
        raise InputError(f"the proximity matrix has no row/column for sector(s) {missing}")
    data = density_array(presence_matrix.to_numpy(float), prox.to_numpy(), diagonal=diagonal, k=k)
    if scale == "percent":
        data = data * 100.0
    elif scale != "unit":
        raise InputError(f"unknown density scale {scale!r}; use 'unit' (0-1) or 'percent'")
    return _like(
        presence_matrix,
        data,
        method="relatedness density (Hidalgo et al. 2007)",
        proximity=proximity_matrix.attrs.get("measure", "user"),
        scale=scale,
        diagonal=diagonal,
        k=k,
    )


def entries_exits(start: pd.DataFrame, end: pd.DataFrame) -> pd.DataFrame:
    """Entries and exits between two presence matrices (Neffke, Henning & Boschma 2011).

    One row per region and sector: ``present_start, present_end``, ``entry`` (1 if absent at the
    start and present at the end, 0 if absent at both, NA if present at the start) and ``exit``
    (1 if present at the start and absent at the end, 0 if present at both, NA if absent at the
    start), as EconGeo's ``entry.list`` and ``exit.list``.

    >>> import pandas as pd
    >>> a = pd.DataFrame([[1, 0], [0, 1]], index=["R1", "R2"], columns=["A", "B"])
    >>> b = pd.DataFrame([[1, 1], [0, 0]], index=["R1", "R2"], columns=["A", "B"])
    >>> entries_exits(a, b)[["region", "sector", "entry", "exit"]].values.tolist()
    [['R1', 'A', <NA>, 0], ['R1', 'B', 1, <NA>], ['R2', 'A', 0, <NA>], ['R2', 'B', <NA>, 1]]
    """
    if not (start.index.equals(end.index) and start.columns.equals(end.columns)):
        regions = sorted(set(start.index) ^ set(end.index))
        sectors = sorted(set(start.columns) ^ set(end.columns))
        raise InputError(
            "the two presence matrices differ in regions or sectors "
            f"(regions only in one: {regions}; sectors only in one: {sectors}); harmonize "
            "the panel to one layout and sector level first"
        )
    s = start.to_numpy() > 0.5
    e = end.to_numpy() > 0.5
    entry = pd.array(np.where(s, 0, e.astype(int)).ravel(), dtype="Int64")
    entry[s.ravel()] = pd.NA
    leave = pd.array(np.where(s, (~e).astype(int), 0).ravel(), dtype="Int64")
    leave[~s.ravel()] = pd.NA
    out = pd.DataFrame(
        {
            "region": np.repeat(start.index.to_numpy(), start.shape[1]),
            "sector": np.tile(start.columns.to_numpy(), start.shape[0]),
            "present_start": s.ravel().astype(int),
            "present_end": e.ravel().astype(int),
            "entry": entry,
            "exit": leave,
        }
    )
    out.attrs = {"method": "entries and exits (Neffke, Henning & Boschma 2011)"}
    return out
