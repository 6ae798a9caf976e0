"""Specialization and concentration indices, vectorized over regions × sectors × years.

Notation: ``x[r, s]`` is the value of region ``r`` in sector ``s`` (gross value added, jobs),
``x[r] = Σ_s x[r, s]`` its total; ``e[r, s]`` and ``e[r]`` are the same for the reference
universe of region ``r`` (the nation, a group, the neighbours; see
:mod:`terraplan.analysis.matrices`). Shares: ``a[r, s] = x[r, s] / x[r]`` (sector structure of
the region) and ``b[r, s] = e[r, s] / e[r]`` (structure of the reference).

The array functions (``krugman_specialization``, ``gini_specialization``, ``herfindahl``, ...)
take NumPy arrays whose last axis is the sectors (specialization) or whose last two axes are
regions × sectors (concentration), and broadcast over any leading axes (years). The table
functions :func:`location_quotient`, :func:`specialization_indices` and
:func:`concentration_indices` take a tidy panel (or a
:class:`~terraplan.analysis.matrices.SectorMatrix`) and return long DataFrames whose ``attrs``
record method, indicator, unit, years and reference.

Example
-------
>>> import numpy as np
>>> krugman_specialization(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
np.float64(1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import NormalDist

import numpy as np
import pandas as pd

from terraplan.analysis.matrices import (
    Missing,
    Reference,
    SectorLevel,
    SectorMatrix,
    Unmatched,
    as_matrix,
    long_frame,
)


def _shares(values: np.ndarray, axis: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values / values.sum(axis=axis, keepdims=True)


def _abs_gap_sum(
    a: np.ndarray, b: np.ndarray, axis: int, out: np.ndarray | None = None
) -> np.ndarray:
    """``Σ |a − b|`` along ``axis``; the gaps go to ``out`` (a scratch buffer of the broadcast
    shape) or to one temporary, made absolute in place."""
    gap = np.subtract(a, b, out=out)
    np.abs(gap, out=gap)
    return gap.sum(axis=axis)


def _sum_of_squares(p: np.ndarray, axis: int, out: np.ndarray | None = None) -> np.ndarray:
    """``Σ p²`` along ``axis`` (the Herfindahl index of shares ``p``); squares go to ``out``."""
    return np.square(p, out=out).sum(axis=axis)


def _normalized_hhi(hhi: np.ndarray, n: int) -> np.ndarray:
    return (hhi - 1.0 / n) / (1.0 - 1.0 / n)


def _entropy_of_shares(p: np.ndarray, axis: int, out: np.ndarray | None = None) -> np.ndarray:
    """``−Σ p ln p`` along ``axis`` with ``0 ln 0 = 0`` (terms where ``p`` is not positive are 0),
    computed in one buffer (``out`` if given): one logarithm pass, a product in place, zeros
    patched if any."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.log(p, out=out)
        terms *= p
    if not p.min(initial=np.inf) > 0:  # some share is 0 (or negative, or NaN)
        terms[~(p > 0)] = 0.0
    return -terms.sum(axis=axis)


def lq_array(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Location quotient ``LQ[r, s] = (x[r, s] / x[r]) / (e[r, s] / e[r]) = a / b``.

    Florence (1939); Isard (1960), *Methods of Regional Analysis*, ch. 7. Sectors are the last
    axis. ``LQ > 1``: the sector's share in the region exceeds its share in the reference.

    Example
    -------
    >>> lq_array(np.array([[3.0, 1.0], [1.0, 3.0]]), np.array([[4.0, 4.0], [4.0, 4.0]]))
    array([[1.5, 0.5],
           [0.5, 1.5]])
    """
    return _shares(values, -1) / _shares(reference, -1)


def krugman_specialization(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Krugman specialization index ``K[r] = Σ_s |a[r, s] − b[r, s]|``, in ``[0, 2)``.

    Krugman (1991), *Geography and Trade*, MIT Press, app. D. 0 when the region has the
    reference's structure; ``2 (1 − b[s])`` when it is wholly in sector ``s``. Sectors are the
    last axis.

    Example
    -------
    >>> float(krugman_specialization(np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0, 2.0])))
    1.5
    """
    return _abs_gap_sum(_shares(values, -1), _shares(reference, -1), -1)


def hoover_specialization(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Hoover coefficient of specialization ``H[r] = ½ Σ_s |a[r, s] − b[r, s]|``, in ``[0, 1)``.

    Hoover (1936), "The measurement of industrial localization", *Review of Economics and
    Statistics* 18(4): 162-171. The share of the region's value that would have to move between
    sectors to give it the reference's structure (half the Krugman index).

    Example
    -------
    >>> float(hoover_specialization(np.array([1.0, 0.0]), np.array([1.0, 1.0])))
    0.5
    """
    return 0.5 * krugman_specialization(values, reference)


def _flat_offsets(shape: tuple[int, ...], lead: tuple[int, ...]) -> np.ndarray:
    """Offsets (shape ``lead + (1,)``) that turn positions along the last axis of a C-ordered
    array of ``shape`` (whose leading axes are ``lead`` or 1) into flat indices."""
    offsets = np.zeros(lead, dtype=np.intp)
    step = shape[-1]
    for axis in reversed(range(len(lead))):  # at most a few axes, not cells
        if shape[axis] != 1:
            axis_shape = [1] * len(lead)
            axis_shape[axis] = lead[axis]
            offsets = offsets + (np.arange(lead[axis], dtype=np.intp) * step).reshape(axis_shape)
        step *= shape[axis]
    return offsets[..., None]


def _argsort_last(ratio: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """``np.argsort(ratio, axis=-1)`` through a plain sort of int64 keys, which is faster.

    A non-negative float64 read as int64 keeps its order; the key replaces the lowest bits of
    the mantissa by the item's position, and the sorted keys give back the positions. A row
    whose keys are all distinct in their upper bits has no ties, so its sorted order is unique
    and equals ``argsort``'s; a row where two neighbours share their upper bits (ties, such as
    zero cells, or values within ~1e-12 of each other) is sorted again by ``argsort``, and so
    is everything when a value is negative or ``-0.0``. The result is always ``argsort``'s.
    ``scratch`` (8-byte items, C-contiguous, the shape of ``ratio``) holds the comparison of
    neighbouring keys instead of a temporary.

    Example
    -------
    >>> r = np.array([[0.5, 0.0, 3.0, 0.0], [3.0, 1.0, 0.5, 0.25], [2.0, 2.0, 1.0, 4.0]])
    >>> _argsort_last(r).tolist() == np.argsort(r, axis=-1).tolist()
    True
    >>> _argsort_last(np.array([[1.0, -1.0, 0.5]])).tolist()
    [[1, 2, 0]]
    """
    n = ratio.shape[-1]
    bits = max(1, (n - 1).bit_length())
    ratio = np.ascontiguousarray(ratio, dtype=float)
    low = (1 << bits) - 1
    keys = ratio.view(np.int64) & ~low
    if keys.size == 0 or keys.min() < 0:  # the sign bit: a negative value or -0.0
        return np.argsort(ratio, axis=-1)
    keys |= np.arange(n, dtype=np.int64)
    keys.sort(axis=-1)
    tied = False
    if n > 1:  # neighbours that differ only in the position bits share their upper bits
        out = None if scratch is None else scratch.view(np.int64)[..., 1:]
        neighbours = np.bitwise_xor(keys[..., 1:], keys[..., :-1], out=out)
        tied = neighbours.min(axis=-1) <= low
        del neighbours
    keys &= low  # the positions
    if np.any(tied):
        keys[tied] = np.argsort(ratio[tied], axis=-1)
    return keys


def _lorenz_gini(y: np.ndarray, x: np.ndarray, axis: int) -> np.ndarray:
    """``1 − Σ_k (X_k − X_{k−1})(Y_k + Y_{k−1})`` with items sorted by ``y / x`` ascending,
    computed as ``1 − Σ_k x_k (2 Y_k − y_k)`` (``x_k = X_k − X_{k−1}``)."""
    y = np.ascontiguousarray(np.moveaxis(_shares(y, axis), axis, -1))
    x = np.ascontiguousarray(np.moveaxis(_shares(x, axis), axis, -1))
    return _lorenz_gini_of_shares(y, x)


def _lorenz_gini_of_shares(
    y: np.ndarray, x: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """:func:`_lorenz_gini` of shares already on the last axis (C-contiguous; ``x`` may have
    length-1 leading axes), in three large buffers: the ratios (``out`` if given; float64 of
    the broadcast shape), reused for the sorted ``y``; a scratch buffer for the key
    comparisons, reused for the sorted ``x``; and the sort order, turned into flat indices
    and then holding the cumulated ``y``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.divide(y, x, out=out)
    scratch = np.empty(ratio.shape)
    # ties need no stable order: tied items lie on one straight piece of the Lorenz curve
    order = _argsort_last(ratio, scratch)
    lead = order.shape[:-1]
    x_offsets = _flat_offsets(x.shape, lead)  # all 0 when x is one row (the reference)
    if x_offsets.any():
        order += x_offsets  # now flat indices into x
    xs = np.take(x.reshape(-1), order, out=scratch, mode="clip")  # indices valid by construction
    order += _flat_offsets(y.shape, lead) - x_offsets  # now flat indices into y
    ys = np.take(y.reshape(-1), order, out=ratio, mode="clip")
    # the order is spent: its 8-byte items take the cumulated shares
    cy = np.cumsum(ys, axis=-1, out=order.view(np.float64) if order.itemsize == 8 else None)
    cy *= 2.0
    cy -= ys
    cy *= xs
    return 1.0 - cy.sum(axis=-1)


def gini_specialization(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Gini coefficient of specialization: twice the area between the region's Lorenz curve and
    the diagonal, with sectors sorted by LQ and the reference shares on the horizontal axis.

    ``G[r] = 1 − Σ_k (B_k − B_{k−1})(A_k + A_{k−1})`` where ``A``, ``B`` are the cumulated
    shares ``a``, ``b`` of sectors sorted by ``LQ = a / b`` ascending. In ``[0, 1)``; 0 when the
    region has the reference's structure. Krugman (1991) app. D; Amiti (1999), "Specialization
    patterns in Europe", *Weltwirtschaftliches Archiv* 135(4): 573-593. Sectors are the last axis.

    Example
    -------
    >>> # shares (0, 0.5, 0.5) against (1/3, 1/3, 1/3): 1 - (0 + 1/6 + 1/2) = 1/3
    >>> round(float(gini_specialization(np.array([0.0, 1, 1]), np.array([1.0, 1, 1]))), 6)
    0.333333
    """
    return _lorenz_gini(np.asarray(values, float), np.asarray(reference, float), axis=-1)


def krugman_concentration(values: np.ndarray) -> np.ndarray:
    """Krugman concentration index of each sector across regions, in ``[0, 2)``.

    ``C[s] = Σ_r |x[r, s] / x[., s] − x[r] / x[., .]|``: how far the sector's distribution over
    regions departs from that of the whole economy. Krugman (1991) app. D; Midelfart-Knarvik,
    Overman, Redding and Venables (2000), *The Location of European Industry*, European
    Commission, Economic Papers 142. The last two axes are regions × sectors; the universe is the
    regions given.

    Example
    -------
    >>> # sector A all in region 1 (which has 1/2 of the total): |1 - 1/2| + |0 - 1/2| = 1
    >>> krugman_concentration(np.array([[2.0, 0.0], [0.0, 2.0]])).tolist()
    [1.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    sector_dist = _shares(values, -2)
    total_dist = _shares(values.sum(axis=-1, keepdims=True), -2)
    return np.abs(sector_dist - total_dist).sum(axis=-2)


def hoover_localization(values: np.ndarray) -> np.ndarray:
    """Hoover coefficient of localization of each sector, ``½ Σ_r |x[r, s]/x[., s] − x[r]/x|``.

    Hoover (1936), *Review of Economics and Statistics* 18(4): 162-171. In ``[0, 1)``: the share
    of the sector that would have to move between regions to match the distribution of the
    whole economy. Regions × sectors are the last two axes.

    Example
    -------
    >>> hoover_localization(np.array([[2.0, 0.0], [0.0, 2.0]])).tolist()
    [0.5, 0.5]
    """
    return 0.5 * krugman_concentration(values)


def locational_gini(values: np.ndarray) -> np.ndarray:
    """Locational Gini of each sector: the Lorenz-curve Gini of the sector's regional shares
    against the regions' shares of the whole economy, regions sorted by LQ.

    ``G[s] = 1 − Σ_k (X_k − X_{k−1})(S_k + S_{k−1})`` where ``S``, ``X`` are the cumulated
    shares ``x[r, s]/x[., s]`` and ``x[r]/x`` over regions sorted by LQ ascending. Krugman (1991)
    app. D; Audretsch and Feldman (1996), "R&D spillovers and the geography of innovation and
    production", *American Economic Review* 86(3): 630-640. Regions × sectors are the last two
    axes.

    Example
    -------
    >>> # sector A: regions with shares of total (1/2, 1/2) hold (0, 1) of A: 1 - (0 + 1/2) = 1/2
    >>> locational_gini(np.array([[0.0, 2.0], [2.0, 0.0]])).tolist()
    [0.5, 0.5]
    """
    values = np.asarray(values, dtype=float)
    return _lorenz_gini(values, values.sum(axis=-1, keepdims=True), axis=-2)


def herfindahl(values: np.ndarray, *, axis: int = -1, normalized: bool = False) -> np.ndarray:
    """Herfindahl-Hirschman index ``HHI = Σ_k p_k²`` of the shares ``p`` along ``axis``.

    Hirschman (1964), "The paternity of an index", *American Economic Review* 54(5): 761;
    Herfindahl (1950). In ``[1/n, 1]`` for ``n`` items; ``normalized=True`` gives
    ``(HHI − 1/n) / (1 − 1/n)`` in ``[0, 1]`` (0 for equal shares, 1 for one item).

    Example
    -------
    >>> float(herfindahl(np.array([1.0, 1.0, 2.0])))
    0.375
    >>> round(float(herfindahl(np.array([1.0, 1.0, 2.0]), normalized=True)), 6)
    0.0625
    """
    hhi = _sum_of_squares(_shares(values, axis), axis)
    if not normalized:
        return hhi
    return _normalized_hhi(hhi, np.shape(values)[axis])


def shannon_entropy(values: np.ndarray, *, axis: int = -1, normalized: bool = False) -> np.ndarray:
    """Shannon entropy ``E = −Σ_k p_k ln p_k`` of the shares along ``axis`` (``0 ln 0 = 0``).

    Shannon (1948), *Bell System Technical Journal* 27: 379-423; as a measure of regional
    diversity, Attaran (1986), "Industrial diversity and economic performance in U.S. areas",
    *Annals of Regional Science* 20(2): 44-54. In ``[0, ln n]``; ``normalized=True`` divides by
    ``ln n`` (1 = all sectors equal, 0 = one sector only).

    Example
    -------
    >>> round(float(shannon_entropy(np.array([1.0, 1.0]))), 6)  # ln 2
    0.693147
    >>> float(shannon_entropy(np.array([1.0, 1.0, 1.0, 1.0]), normalized=True))
    1.0
    """
    entropy = _entropy_of_shares(_shares(values, axis), axis)
    if not normalized:
        return entropy
    return entropy / np.log(np.shape(values)[axis])


def lq_log_se(matrix: SectorMatrix, *, count_scale: float = 1.0) -> np.ndarray:
    """Delta-method standard error of ``ln LQ`` when the values are counts (Poisson cells).

    ``Var(ln LQ) = 1/x[r,s] − 1/x[r] + 1/e[r,s] − 1/e[r] − 2δ (1 − a[r,s]) / e[r,s]`` where
    ``δ = 1`` when the region belongs to its reference universe (the nation) and 0 otherwise
    (neighbours); the covariances come from the region's cells being part of the reference
    totals. At ``LQ = 1`` with ``δ = 1`` this is the variance of Moineddin, Beyene and Boyle
    (2003), "On the location quotient confidence interval", *Geographical Analysis* 35(3):
    249-256. ``count_scale`` converts values to counts (e.g. 1000 for thousands of persons).
    Meaningful for counts (jobs, firms); for money values it is not a sampling error. Zero cells
    have an infinite standard error.

    Example
    -------
    >>> m = SectorMatrix.from_arrays(np.array([[[100.0, 100.0], [100.0, 100.0]]]),
    ...                              years=[2023], regions=["R1", "R2"], sectors=["A", "B"])
    >>> # 1/100 - 1/200 + 1/200 - 1/400 - 2 (1/2) / 200 = 0.0025
    >>> round(float(lq_log_se(m)[0, 0, 0]) ** 2, 10)
    0.0025
    """
    x = matrix.values * count_scale if count_scale != 1 else matrix.values
    e = matrix.compact_reference() * count_scale
    x_r = x.sum(axis=-1, keepdims=True)
    inv_e = 1 / e
    delta = matrix.includes_self
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.divide(1.0, x)
        var -= 1 / x_r
        var += inv_e - 1 / e.sum(axis=-1, keepdims=True)
        if delta.any():  # the covariance term; it is 0 where δ = 0
            # 2 δ as a scalar when every region is in its reference (exact: a power of two)
            twice_delta = 2.0 if delta.all() else 2.0 * delta[:, None]
            correction = np.empty(x.shape[1:])  # one year's worth, reused year by year
            for t in range(x.shape[0]):  # a few years, each a vectorized regions × sectors step
                np.divide(x[t], x_r[t], out=correction)  # a[r, s]
                np.subtract(1.0, correction, out=correction)
                correction *= inv_e[t]
                correction *= twice_delta
                var[t] -= correction
    np.clip(var, 0.0, None, out=var)
    return np.sqrt(var, out=var)


def _frame_attrs(matrix: SectorMatrix, method: str, **params) -> dict[str, object]:
    return {"method": method, **matrix.attrs, "year": list(matrix.years), **params}


def _years(year: int | Sequence[int]) -> list[int]:
    return [int(year)] if np.ndim(year) == 0 else [int(y) for y in year]  # type: ignore[union-attr]


def location_quotient(
    data: pd.DataFrame | SectorMatrix,
    year: int | Sequence[int],
    *,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
    reliability: bool = False,
    confidence: float = 0.95,
    count_scale: float = 1.0,
) -> pd.DataFrame:
    """Location quotients of every region and sector, with their log, symmetric form and, on
    request, a small-cell reliability measure.

    Columns: ``year, region, sector, value, share`` (``a = x[r,s]/x[r]``), ``reference_share``
    (``b = e[r,s]/e[r]``), ``lq = a / b`` (Florence 1939), ``log_lq = ln LQ`` (``-inf`` for a
    zero cell), ``symmetric_lq = (LQ − 1)/(LQ + 1)`` in ``[−1, 1)`` (Dalum, Laursen and
    Villumsen 1998, *International Review of Applied Economics* 12(3): 423-443). Sorted by
    year, region, sector. The options are those of
    :func:`~terraplan.analysis.matrices.sector_matrix`.

    ``reliability=True`` (for counts such as jobs; ``count_scale`` converts the unit to counts)
    adds ``lq_se_log`` (delta-method standard error of ``ln LQ``, see :func:`lq_log_se`),
    ``lq_low, lq_high`` (the ``confidence`` interval ``exp(ln LQ ± z·se)``, NaN for zero cells)
    and ``lq_z = ln LQ / se`` (test of ``LQ = 1``). It is off by default because for money
    values (GVA in million KZT) it is not a sampling error and would look falsely precise.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"], "year": 2023, "indicator": "gva",
    ...     "sector": ["A", "B", "A", "B"], "value": [30.0, 10.0, 20.0, 40.0], "unit": "u"})
    >>> lq = location_quotient(panel, 2023)
    >>> lq["lq"].round(4).tolist()  # R1: 0.75 / 0.5, 0.25 / 0.5; R2: 0.3333 / 0.5, 0.6667 / 0.5
    [1.5, 0.5, 0.6667, 1.3333]
    >>> lq.attrs["reference"]
    'nation (sum of regions)'
    """
    matrix = as_matrix(
        data,
        _years(year),
        indicator=indicator,
        reference=reference,
        neighbours=neighbours,
        sector_level=sector_level,
        missing=missing,
        unmatched=unmatched,
        sectors=sectors,
    )
    x = matrix.values
    share = _shares(x, -1)
    ref_share = _shares(matrix.compact_reference(), -1)
    lq = share / ref_share
    log_lq = np.add(lq, 1.0)  # first the denominator of the symmetric LQ, then ln LQ
    with np.errstate(invalid="ignore"):
        symmetric = np.subtract(lq, 1.0)
        symmetric /= log_lq
    with np.errstate(divide="ignore"):
        np.log(lq, out=log_lq)
    columns = {
        "value": x.copy(),
        "share": share,
        "reference_share": ref_share,
        "lq": lq,
        "log_lq": log_lq,
        "symmetric_lq": symmetric,
    }
    params: dict[str, object] = {"reliability": None}
    if reliability:
        columns |= _reliability_columns(matrix, log_lq, confidence, count_scale)
        params = {
            "reliability": "delta-method standard error of ln LQ for counts "
            "(Moineddin et al. 2003)",
            "confidence": confidence,
            "count_scale": count_scale,
        }
    out = long_frame(matrix, columns)
    out.attrs = _frame_attrs(matrix, "location quotient", **params)
    return out


def _reliability_columns(
    matrix: SectorMatrix, log_lq: np.ndarray, confidence: float, count_scale: float
) -> dict[str, np.ndarray]:
    """``lq_se_log, lq_low, lq_high, lq_z`` (NaN where the cell is zero)."""
    se = lq_log_se(matrix, count_scale=count_scale)
    half_width = NormalDist().inv_cdf(0.5 + confidence / 2) * se
    undefined = matrix.values <= 0
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        low = np.subtract(log_lq, half_width)
        np.exp(low, out=low)
        high = np.add(log_lq, half_width, out=half_width)
        np.exp(high, out=high)
        z = log_lq / se
    if undefined.any():
        low[undefined] = np.nan
        high[undefined] = np.nan
    undefined |= se == 0
    if undefined.any():
        z[undefined] = np.nan
    return {"lq_se_log": se, "lq_low": low, "lq_high": high, "lq_z": z}


def specialization_indices(
    data: pd.DataFrame | SectorMatrix,
    year: int | Sequence[int],
    *,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Specialization and diversity of every region's sector structure.

    Columns: ``year, region, krugman`` (:func:`krugman_specialization`, against the reference),
    ``hoover`` (:func:`hoover_specialization`), ``gini`` (:func:`gini_specialization`),
    ``hhi`` and ``hhi_normalized`` (:func:`herfindahl` of the region's shares), ``entropy`` and
    ``entropy_normalized`` (:func:`shannon_entropy`), ``n_sectors`` (sectors with a positive
    value). Sorted by year, region.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"], "year": 2023, "indicator": "gva",
    ...     "sector": ["A", "B", "A", "B"], "value": [30.0, 10.0, 20.0, 40.0], "unit": "u"})
    >>> specialization_indices(panel, 2023)["krugman"].round(4).tolist()  # 2 |0.75 - 0.5|
    [0.5, 0.3333]
    """
    matrix = as_matrix(
        data,
        _years(year),
        indicator=indicator,
        reference=reference,
        neighbours=neighbours,
        sector_level=sector_level,
        missing=missing,
        unmatched=unmatched,
        sectors=sectors,
    )
    x, e = matrix.values, matrix.compact_reference()
    n_y, n_r, n_s = x.shape
    b = _shares(e, -1)
    krugman, hhi, entropy, gini = (np.empty((n_y, n_r)) for _ in range(4))
    # Year by year (a few vectorized regions × sectors steps): the region's shares are computed
    # once for every index, and the buffers are one year's size, reused, not whole cubes.
    a, work = np.empty((n_r, n_s)), np.empty((n_r, n_s))
    for t in range(n_y):
        np.divide(x[t], x[t].sum(axis=-1, keepdims=True), out=a)
        krugman[t] = _abs_gap_sum(a, b[t], -1, out=work)
        hhi[t] = _sum_of_squares(a, -1, out=work)
        entropy[t] = _entropy_of_shares(a, -1, out=work)
        gini[t] = _lorenz_gini_of_shares(a, b[t], out=work)
    del a, work
    out = pd.DataFrame(
        {
            "year": np.repeat(np.asarray(matrix.years, dtype=np.int64), n_r),
            "region": pd.Categorical.from_codes(
                np.tile(np.arange(n_r, dtype=np.int32), n_y), categories=list(matrix.regions)
            ),
            "krugman": krugman.ravel(),
            "hoover": (0.5 * krugman).ravel(),
            "gini": gini.ravel(),
            "hhi": hhi.ravel(),
            "hhi_normalized": _normalized_hhi(hhi, n_s).ravel(),
            "entropy": entropy.ravel(),
            "entropy_normalized": (entropy / np.log(n_s)).ravel(),
            "n_sectors": (x > 0).sum(axis=-1).ravel(),
        },
        copy=False,
    )
    out.attrs = _frame_attrs(matrix, "specialization indices")
    return out


def concentration_indices(
    data: pd.DataFrame | SectorMatrix,
    year: int | Sequence[int],
    *,
    indicator: str = "gva",
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Geographic concentration of every sector across the regions of the panel.

    Columns: ``year, sector, krugman`` (:func:`krugman_concentration`), ``hoover``
    (:func:`hoover_localization`), ``locational_gini`` (:func:`locational_gini`), ``hhi`` and
    ``hhi_normalized`` (:func:`herfindahl` of the sector's regional shares), ``n_regions``
    (regions with a positive value). The universe is the regions of the matrix (their sum).

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"], "year": 2023, "indicator": "gva",
    ...     "sector": ["A", "B", "A", "B"], "value": [30.0, 10.0, 20.0, 40.0], "unit": "u"})
    >>> # sector A: regional shares (0.6, 0.4) against total shares (0.4, 0.6)
    >>> concentration_indices(panel, 2023)["hoover"].round(4).tolist()
    [0.2, 0.2]
    """
    matrix = as_matrix(
        data,
        _years(year),
        indicator=indicator,
        sector_level=sector_level,
        missing=missing,
        unmatched=unmatched,
        sectors=sectors,
    )
    x = matrix.values
    n_y, n_r, n_s = x.shape
    # each sector's distribution over regions and the whole economy's, computed once
    total_dist = _shares(x.sum(axis=-1, keepdims=True), -2)
    total_by_year = np.ascontiguousarray(np.moveaxis(total_dist, -2, -1))
    krugman, hhi, gini = (np.empty((n_y, n_s)) for _ in range(3))
    # Year by year (a few vectorized regions × sectors steps): each sector's distribution over
    # regions is computed once for every index, in buffers of one year's size, reused.
    sector_dist, work = np.empty((n_r, n_s)), np.empty((n_r, n_s))
    for t in range(n_y):
        np.divide(x[t], x[t].sum(axis=-2, keepdims=True), out=sector_dist)
        krugman[t] = _abs_gap_sum(sector_dist, total_dist[t], -2, out=work)
        hhi[t] = _sum_of_squares(sector_dist, -2, out=work)
        by_sector = work.reshape(n_s, n_r)  # the shares with regions last
        np.copyto(by_sector, sector_dist.T)
        gini[t] = _lorenz_gini_of_shares(
            by_sector,
            total_by_year[t],
            out=sector_dist.reshape(n_s, n_r),  # the shares' memory takes the ratios
        )
    del sector_dist, work
    out = pd.DataFrame(
        {
            "year": np.repeat(np.asarray(matrix.years, dtype=np.int64), n_s),
            "sector": pd.Categorical.from_codes(
                np.tile(np.arange(n_s, dtype=np.int32), n_y), categories=list(matrix.sectors)
            ),
            "krugman": krugman.ravel(),
            "hoover": (0.5 * krugman).ravel(),
            "locational_gini": gini.ravel(),
            "hhi": hhi.ravel(),
            "hhi_normalized": _normalized_hhi(hhi, n_r).ravel(),
            "n_regions": (x > 0).sum(axis=-2).ravel(),
        },
        copy=False,
    )
    out.attrs = {
        **_frame_attrs(matrix, "concentration indices"),
        "reference": "the regions of the panel (their sum)",
    }
    return out
