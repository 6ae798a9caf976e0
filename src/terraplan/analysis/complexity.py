"""Economic complexity: diversity, ubiquity, ECI, PCI, complexity outlook (COI) and gain (COG).

The method of reflections in its eigenvector form (Hidalgo & Hausmann 2009, *PNAS* 106;
Hausmann et al. 2014, *The Atlas of Economic Complexity*), on a presence matrix ``M`` (regions ×
sectors, see :mod:`terraplan.analysis.relatedness`):

* diversity ``k_c = Σ_p M[c, p]``, ubiquity ``k_p = Σ_c M[c, p]``;
* PCI: the eigenvector of the second largest eigenvalue of ``M̃ = U⁻¹ Mᵀ D⁻¹ M`` (``D``, ``U``
  the diagonal matrices of diversity and ubiquity); ECI: ``D⁻¹ M PCI`` (the eigenvector of the
  region-side matrix for the same eigenvalue). ``M̃`` is similar to the symmetric
  ``B Bᵀ`` with ``B = U^-½ Mᵀ D^-½``, so terraplan solves the symmetric problem on the smaller
  side (exact eigenvalues, no complex round-off) and maps the vector to the other side;
* the sign makes ECI correlate positively with diversity; ECI is standardized (mean 0, standard
  deviation 1) and PCI is put on the same scale (the py-ecomplexity / Stata convention, which
  keeps ``ECI[c]`` = the mean PCI of the sectors present in ``c`` up to that scale);
* COI ``Σ_p d[c, p] (1 − M[c, p]) PCI⁰[p]``, standardized, and
  COG ``(1 − M[c, p]) Σ_q (1 − M[c, q]) φ[p, q] PCI⁰[q] / Σ_r φ[q, r]``, where ``d`` is the
  density and ``PCI⁰`` is PCI centred on its ubiquity-weighted mean (the raw eigenvector on
  ECI's scale). This is the definition of py-ecomplexity and the Growth Lab's Stata package;
  results agree with py-ecomplexity to 1e-9 (``tests/analysis/test_complexity_ecomplexity.py``).

Regions with no present sector and sectors present nowhere are left out of the eigenvector
problem and get NaN. A bipartite network that falls apart into disconnected blocks has a
repeated eigenvalue 1: ECI is then not defined and the result says so.

The numerical core is :mod:`terraplan.analysis.eci`; the validity checks are in
:mod:`terraplan.analysis.complexity_validity`.

Example
-------
>>> import pandas as pd
>>> m = pd.DataFrame([[1, 1], [1, 0]], index=["R1", "R2"], columns=["A", "B"])
>>> c = complexity(m, presence="matrix", check=False)
>>> c.regions["eci"].tolist(), c.sectors["pci"].round(6).tolist()
([1.0, -1.0], [-1.0, 3.0])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from terraplan.analysis.complexity_validity import validity
from terraplan.analysis.eci import complexity_arrays
from terraplan.analysis.relatedness import (
    PresenceMethod,
    check_values,
    rca_array,
    values_frame,
)
from terraplan.analysis.relatedness import presence as presence_matrix
from terraplan.errors import InputError


@dataclass
class Complexity:
    """Complexity of one year, as tables: ``regions`` (``region, diversity, eci, coi``),
    ``sectors`` (``sector, ubiquity, pci``) and ``cells`` (``region, sector, value, rca, m,
    density, cog``); ``validity`` holds the checks of
    :func:`terraplan.analysis.complexity_validity.validity` when they were run, ``warnings``
    what the reader must know, and ``indicative`` whether ECI must be read as indicative only.
    """

    regions: pd.DataFrame
    sectors: pd.DataFrame
    cells: pd.DataFrame
    proximity: pd.DataFrame
    validity: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    indicative: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)


def complexity(
    data: pd.DataFrame,
    year: int | None = None,
    *,
    presence: PresenceMethod = "rca",
    threshold: float = 1.0,
    population: pd.Series | None = None,
    proximity: pd.DataFrame | None = None,
    check: bool = True,
    n_noise: int = 200,
    noise: float = 0.1,
    seed: int = 0,
    **options,
) -> Complexity:
    """Diversity, ubiquity, ECI, PCI, density, COI and COG of one year, with validity checks.

    ``data`` is a tidy panel (with ``year``; ``options`` such as ``indicator="gva"`` go to
    :func:`~terraplan.analysis.matrices.sector_matrix`), a SectorMatrix or a wide
    ``region × sector`` DataFrame of values. ``check`` runs the validity checks (log-
    supermodularity; stability of the ECI ranking under ``noise`` (lognormal, ``n_noise`` draws,
    seeded), leave-one-region-out and leave-one-sector-out), and below the stated stability the
    result carries a warning and ``indicative=True``. ``presence`` (``"rca"``, ``"rpop"`` with
    ``population``, or ``"matrix"``: ``data`` is the 0/1 presence matrix) is described in
    :func:`terraplan.analysis.relatedness.presence`; the checks need values (``"rca"``).

    >>> import pandas as pd
    >>> values = pd.DataFrame([[9.0, 9, 9, 1], [9, 9, 1, 1], [9, 1, 1, 1], [1, 9, 9, 9]],
    ...     index=["R1", "R2", "R3", "R4"], columns=["A", "B", "C", "D"])
    >>> c = complexity(values, check=False)
    >>> c.regions["diversity"].tolist()
    [3.0, 2.0, 1.0, 3.0]
    """
    if presence == "continuous":
        raise InputError("complexity needs a 0/1 presence: use presence='rca', 'rpop' or 'matrix'")
    frame = values_frame(data, year, **options)
    m = presence_matrix(frame, method=presence, threshold=threshold, population=population)
    if presence != "matrix":
        frame = check_values(frame)
    prox = None
    if proximity is not None:
        prox = proximity.reindex(index=frame.columns, columns=frame.columns)
        if prox.isna().any().any():
            raise InputError("the proximity matrix given does not cover every sector of the data")
        prox = prox.to_numpy()
    arrays = complexity_arrays(m.to_numpy(), presence=True, proximity=prox)
    if presence != "matrix":
        arrays = replace(arrays, rca=rca_array(frame.to_numpy()))
    regions, sectors = frame.index, frame.columns
    attrs = {
        **frame.attrs,
        "method": "economic complexity (eigenvector method; sign by correlation with diversity)",
        "presence": m.attrs.get("presence", ""),
        "eigenvalue": arrays.eigenvalue,
    }
    region_table = pd.DataFrame(
        {
            "region": regions,
            "diversity": arrays.diversity,
            "eci": arrays.eci,
            "coi": arrays.coi,
        }
    )
    sector_table = pd.DataFrame({"sector": sectors, "ubiquity": arrays.ubiquity, "pci": arrays.pci})
    cells = pd.DataFrame(
        {
            "region": np.repeat(regions.to_numpy(), len(sectors)),
            "sector": np.tile(sectors.to_numpy(), len(regions)),
            "value": frame.to_numpy().ravel(),
            "rca": arrays.rca.ravel(),
            "m": arrays.m.ravel().astype(int),
            "density": arrays.density.ravel(),
            "cog": arrays.cog.ravel(),
        }
    )
    prox_frame = pd.DataFrame(arrays.proximity, index=sectors, columns=sectors)
    for table in (region_table, sector_table, cells, prox_frame):
        table.attrs = dict(attrs)
    result = Complexity(region_table, sector_table, cells, prox_frame, attrs=attrs)
    if arrays.degenerate:
        result.warnings.append(
            "ECI and PCI are not defined for these data: the region-sector network is "
            "disconnected, its second eigenvalue is repeated, or every region is alike"
        )
        result.indicative = True
    if check and presence != "rca":
        result.warnings.append("validity checks not run: they perturb values (presence='rca')")
    if check and presence == "rca" and not arrays.degenerate:
        result.validity = validity(
            frame, threshold=threshold, n_noise=n_noise, noise=noise, seed=seed, base=arrays
        )
        result.warnings.extend(result.validity["warnings"])
        result.indicative = not result.validity["stable"]
    for table in (region_table, sector_table, cells):
        table.attrs["indicative"] = result.indicative
        table.attrs["warnings"] = list(result.warnings)
    return result


def external_complexity(
    presence_matrix: pd.DataFrame,
    pci: Mapping[str, float] | pd.Series,
    *,
    values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score regions with a PCI supplied from outside (e.g. an international product space).

    ``eci_external[c]`` is the mean external PCI of the sectors present in ``c`` (the property
    ECI = mean PCI of present products); with ``values``, ``eci_external_weighted`` weighs every
    sector by its share in the region's total. Sectors without an external PCI are refused.

    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1], [0, 1]], index=["R1", "R2"], columns=["A", "B"])
    >>> external_complexity(m, {"A": 2.0, "B": 0.0})["eci_external"].tolist()
    [1.0, 0.0]
    """
    pci = pd.Series(pci, dtype=float)
    missing = [s for s in presence_matrix.columns if s not in pci.index or np.isnan(pci[s])]
    if missing:
        raise InputError(
            f"the external PCI has no value for sector(s) {missing}; give a PCI for every "
            "sector of the matrix (or drop those sectors)"
        )
    p = pci.reindex(presence_matrix.columns).to_numpy()
    m = presence_matrix.to_numpy(dtype=float)
    k = m.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (m @ p) / k
    out = pd.DataFrame({"region": presence_matrix.index, "diversity": k, "eci_external": mean})
    if values is not None:
        v = check_values(values.reindex_like(presence_matrix))
        shares = v.to_numpy() / v.to_numpy().sum(axis=1, keepdims=True)
        out["eci_external_weighted"] = shares @ p
    out.attrs = {"method": "regions scored with an external PCI (mean PCI of present sectors)"}
    return out
