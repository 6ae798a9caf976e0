"""The numerical core of economic complexity: eigenvectors, ECI/PCI, density, COI and COG.

:func:`complexity_arrays` computes one year on NumPy arrays; :func:`complexity_table` runs it on
every year of a cube and returns tidy tables (``.long()`` gives py-ecomplexity's layout).
The definitions are in
:mod:`terraplan.analysis.complexity`; the validity checks in
:mod:`terraplan.analysis.complexity_validity`.

Example
-------
>>> import numpy as np
>>> m = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]])
>>> complexity_arrays(m, presence=True).eci.round(4).tolist()
[1.2247, 0.0, -1.2247]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from terraplan.analysis.relatedness import at_least, proximity_array, rca_array
from terraplan.errors import InputError

#: The second eigenvalue closer than this to the first (a disconnected network) or to the third
#: (the eigenvector is not unique) leaves ECI undefined.
DEGENERATE_GAP = 1e-9
#: Matrices larger than this use Lanczos for the two leading eigenpairs.
LANCZOS_FROM = 60


@dataclass(frozen=True)
class ComplexityArrays:
    """Every complexity quantity of one year as arrays (regions × sectors where two-dimensional).

    ``eigenvalue`` is the second largest eigenvalue; ``degenerate`` is true when ECI is not
    defined: a disconnected network, a repeated second eigenvalue, or no variation in ECI (every
    region alike); ECI, PCI, COI and COG are then NaN.
    """

    rca: np.ndarray
    m: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    eigenvalue: float
    degenerate: bool


def _leading(sym: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The three largest eigenvalues (ascending) and their eigenvectors of a symmetric matrix,
    or of a stack of them (fewer for a 2 × 2 matrix). One large matrix: Lanczos (ARPACK) from a
    fixed start vector computes only those, to machine precision (two orders of magnitude faster
    than the full decomposition at 300 sectors); the full decomposition is the fallback."""
    n = sym.shape[-1]
    if sym.ndim == 2 and n > LANCZOS_FROM:
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        start = np.random.default_rng(0).random(n)
        try:
            values, vectors = eigsh(sym, k=3, which="LA", v0=start, tol=0)
        except ArpackNoConvergence:
            pass
        else:
            order = np.argsort(values)
            return values[order], vectors[:, order]
    values, vectors = np.linalg.eigh(sym)
    return values[..., -3:], vectors[..., :, -3:]


def is_degenerate(leading: np.ndarray) -> np.ndarray:
    """True where ECI is not defined by the eigenvalues: the second equals the first (the
    network is disconnected) or the third (the eigenvector is not unique).

    >>> is_degenerate(np.array([0.2, 0.5, 1.0])), is_degenerate(np.array([0.5, 0.5, 1.0]))
    (np.False_, np.True_)
    """
    leading = np.asarray(leading, dtype=float)
    second = leading[..., -2]
    out = second > 1.0 - DEGENERATE_GAP
    if leading.shape[-1] >= 3:
        out = out | (second - leading[..., -3] < DEGENERATE_GAP)
    return out


def eigen_complexity(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Raw ECI and PCI eigenvectors of a 0/1 presence array without empty rows or columns.

    Returns ``(kc, kp, eigenvalue, leading)``: ``kp`` is the unit-length eigenvector of
    ``U⁻¹ Mᵀ D⁻¹ M`` for the second largest eigenvalue, ``kc = D⁻¹ M kp``, signed so that
    ``kc`` correlates positively with diversity. Works on a stack (``... × regions × sectors``).

    >>> kc, kp, lam, _ = eigen_complexity(np.array([[1.0, 1.0], [1.0, 0.0]]))
    >>> round(float(lam), 6), kc.round(4).tolist(), kp.round(4).tolist()
    (0.25, [0.2236, -0.4472], [-0.4472, 0.8944])
    """
    m = np.asarray(m, dtype=float)
    kc0 = m.sum(axis=-1)
    kp0 = m.sum(axis=-2)
    n_r, n_p = m.shape[-2:]
    if m.ndim == 2 and n_p <= n_r:
        # M' D^-1 M with both operands contiguous (BLAS's fast layout), then U^-1/2 on both sides
        gram = np.ascontiguousarray(m.T) @ (m / kc0[:, None])
        scale = 1.0 / np.sqrt(kp0)
        values, vectors = _leading(gram * scale[:, None] * scale[None, :])
        kp = vectors[:, -2] * scale
    elif n_p <= n_r:
        b = m / np.sqrt(kc0)[..., :, None] / np.sqrt(kp0)[..., None, :]
        sym = np.swapaxes(b, -1, -2) @ b  # U^-1/2 M' D^-1 M U^-1/2, sectors × sectors
        values, vectors = _leading(sym)
        kp = vectors[..., :, -2] / np.sqrt(kp0)
    else:
        b = m / np.sqrt(kc0)[..., :, None] / np.sqrt(kp0)[..., None, :]
        sym = b @ np.swapaxes(b, -1, -2)  # D^-1/2 M U^-1 M' D^-1/2, regions × regions
        values, vectors = _leading(sym)
        kc_side = vectors[..., :, -2] / np.sqrt(kc0)
        kp = (np.swapaxes(m, -1, -2) @ kc_side[..., None])[..., 0] / kp0
    kp = kp / np.linalg.norm(kp, axis=-1, keepdims=True)
    kc = (m @ kp[..., None])[..., 0] / kc0
    kc_c = kc - kc.mean(axis=-1, keepdims=True)
    d_c = kc0 - kc0.mean(axis=-1, keepdims=True)
    sign = np.sign((kc_c * d_c).sum(axis=-1, keepdims=True))
    sign = np.where(sign == 0, 1.0, sign)
    return kc * sign, kp * sign, values[..., -2], values


def complexity_arrays(
    values: np.ndarray,
    *,
    threshold: float = 1.0,
    presence: bool = False,
    proximity: np.ndarray | None = None,
) -> ComplexityArrays:
    """All complexity quantities of one ``regions × sectors`` array of values.

    ``presence=True`` takes ``values`` as the 0/1 presence matrix itself; otherwise presence is
    RCA ≥ ``threshold``. ``proximity`` overrides the minimum-conditional-probability proximity
    computed from this year's presence (e.g. a pooled or international one).
    """
    values = np.asarray(values, dtype=float)
    rca = values.copy() if presence else rca_array(values)
    m = (values > 0.5).astype(float) if presence else at_least(rca, threshold)
    diversity = m.sum(axis=1)
    ubiquity = m.sum(axis=0)
    rows, cols = diversity > 0, ubiquity > 0
    eci = np.full(m.shape[0], np.nan)
    pci = np.full(m.shape[1], np.nan)
    kc_full = np.full(m.shape[0], np.nan)
    kp_full = np.full(m.shape[1], np.nan)
    sub = m if rows.all() and cols.all() else m[np.ix_(rows, cols)]
    eigenvalue, degenerate = np.nan, True
    if sub.shape[0] >= 2 and sub.shape[1] >= 2:
        kc, kp, eigenvalue, leading = eigen_complexity(sub)
        eigenvalue = float(eigenvalue)
        degenerate = bool(is_degenerate(leading)) or kc.std() <= DEGENERATE_GAP * np.abs(kc).max()
        if not degenerate:
            mean, std = kc.mean(), kc.std()
            eci[rows] = (kc - mean) / std
            pci[cols] = (kp - mean) / std
            kc_full[rows], kp_full[cols] = kc / std, kp / std
    phi = proximity_array(m) if proximity is None else np.asarray(proximity, dtype=float)
    absent = 1.0 - m
    pci0 = np.nan_to_num(kp_full)
    # density (relatedness.density_array) and the COG sum (1 - M) @ X = colsum(X) - M @ X
    # share one product with M
    w = np.clip(phi, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        dens_weights = np.nan_to_num(w.T / w.sum(axis=1)[None, :])
    n_s = m.shape[1]
    gain = phi / phi.sum(axis=1)[:, None] * pci0[:, None]
    both = m @ np.hstack([dens_weights, gain])
    dens = both[:, :n_s]
    cog = absent * (gain.sum(axis=0)[None, :] - both[:, n_s:])
    coi_raw = (dens * absent * pci0).sum(axis=1)
    coi = (coi_raw - coi_raw.mean()) / coi_raw.std() if coi_raw.std() > 0 else coi_raw * 0.0
    if degenerate:
        coi = np.full_like(coi, np.nan)
        cog = np.full_like(cog, np.nan)
    return ComplexityArrays(
        rca=rca,
        m=m,
        diversity=diversity,
        ubiquity=ubiquity,
        eci=eci,
        pci=pci,
        proximity=phi,
        density=dens,
        coi=coi,
        cog=cog,
        eigenvalue=eigenvalue,
        degenerate=bool(degenerate),
    )


@dataclass(frozen=True)
class ComplexityTables:
    """Complexity of every year as three tidy tables: ``cells`` (``year, region, sector, value,
    rca, mcp, density, cog``), ``regions`` (``year, region, diversity, eci, coi``) and
    ``sectors`` (``year, sector, ubiquity, pci``). :meth:`long` joins them into
    py-ecomplexity's one-row-per-cell layout."""

    cells: pd.DataFrame
    regions: pd.DataFrame
    sectors: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """One row per year, region and sector with every column (py-ecomplexity's layout)."""
        out = self.cells.merge(self.regions, on=["year", "region"], how="left")
        return out.merge(self.sectors, on=["year", "sector"], how="left")


def complexity_table(
    values: np.ndarray,
    *,
    years: list[int] | tuple[int, ...],
    regions: list[str] | tuple[str, ...],
    sectors: list[str] | tuple[str, ...],
    threshold: float = 1.0,
) -> ComplexityTables:
    """Every complexity quantity of a ``years × regions × sectors`` cube (one year at a time).

    Region-level values (diversity, ECI, COI) and sector-level values (ubiquity, PCI) are stored
    once per region or sector, not repeated on every cell. No validity checks: use
    :func:`terraplan.analysis.complexity.complexity` for one year with them.

    >>> cube = np.array([[[9.0, 9, 1], [9, 1, 1], [1, 9, 9]]])
    >>> t = complexity_table(cube, years=[2023], regions=["R1", "R2", "R3"], sectors=list("ABC"))
    >>> t.regions["diversity"].tolist(), len(t.long())
    ([2.0, 1.0, 2.0], 9)
    """
    cube = np.asarray(values, dtype=float)
    if cube.ndim != 3 or cube.shape != (len(years), len(regions), len(sectors)):
        raise InputError(
            f"values have shape {cube.shape}; the labels give "
            f"{(len(years), len(regions), len(sectors))}"
        )
    n_y, n_r, n_s = cube.shape
    names = ("value", "rca", "mcp", "density", "cog")
    # one float block, filled in place: a DataFrame over it needs no consolidation copy
    block = np.empty((len(names), *cube.shape))
    block[0] = cube
    per_region = np.empty((3, n_y, n_r))
    per_sector = np.empty((2, n_y, n_s))
    for t in range(n_y):
        a = complexity_arrays(cube[t], threshold=threshold)
        block[1, t], block[2, t], block[3, t], block[4, t] = a.rca, a.m, a.density, a.cog
        per_region[:, t] = a.diversity, a.eci, a.coi
        per_sector[:, t] = a.ubiquity, a.pci
    year_labels = np.asarray(years, dtype=np.int64)
    cells = pd.DataFrame(block.reshape(len(names), -1).T, columns=list(names), copy=False)
    cells.insert(0, "year", np.repeat(year_labels, n_r * n_s))
    cells.insert(1, "region", _codes(regions, cube.shape, axis=1))
    cells.insert(2, "sector", _codes(sectors, cube.shape, axis=2))
    region_table = pd.DataFrame(
        {
            "year": np.repeat(year_labels, n_r),
            "region": _codes(regions, (n_y, n_r), axis=1),
            "diversity": per_region[0].ravel(),
            "eci": per_region[1].ravel(),
            "coi": per_region[2].ravel(),
        }
    )
    sector_table = pd.DataFrame(
        {
            "year": np.repeat(year_labels, n_s),
            "sector": _codes(sectors, (n_y, n_s), axis=1),
            "ubiquity": per_sector[0].ravel(),
            "pci": per_sector[1].ravel(),
        }
    )
    attrs = {"method": "economic complexity (eigenvector method)", "threshold": threshold}
    for table in (cells, region_table, sector_table):
        table.attrs = dict(attrs)
    return ComplexityTables(cells, region_table, sector_table)


def _codes(labels, shape: tuple[int, ...], axis: int) -> pd.Categorical:
    """Categorical of ``labels`` laid along ``axis`` of a C-ordered cube, codes written once in
    the smallest integer type (valid by construction, so not validated again)."""
    n = len(labels)
    dtype = np.int16 if n < 32767 else np.int32
    along = [1] * len(shape)
    along[axis] = n
    codes = np.broadcast_to(np.arange(n, dtype=dtype).reshape(along), shape).ravel()
    return pd.Categorical.from_codes(codes, categories=list(labels), validate=False)
