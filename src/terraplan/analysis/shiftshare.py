"""Shift-share analysis: classic, Esteban-Marquillas and dynamic, nominal or real.

Notation for region ``r`` and sector ``s`` between a base year 0 and an end year 1: ``x0, x1``
the region's values; ``e0, e1`` the sector totals of its reference universe (nation, group,
neighbours); ``G = e1[r]/e0[r] − 1`` the reference's total growth, ``g[s] = e1[s]/e0[s] − 1``
its growth in sector ``s``.

Classic (Dunn 1960, "A statistical and analytical technique for regional analysis", *Papers of
the Regional Science Association* 6: 97-112)::

    national_share    = x0 · G
    industry_mix      = x0 · (g[s] − G)
    competitive_shift = x1 − x0 · (1 + g[s])          (= x0 · (r[s] − g[s]))
    national_share + industry_mix + competitive_shift = x1 − x0

Esteban-Marquillas (1972, "A reinterpretation of shift-share analysis", *Regional and Urban
Economics* 2(3): 249-255) splits the competitive shift with the *homothetic* value
``x̂ = x0[r] · e0[s]/e0[r]`` (the region's total with the reference's structure)::

    homothetic_competitive = x̂ · (r[s] − g[s])
    allocation             = (x0 − x̂) · (r[s] − g[s])
    homothetic_competitive + allocation = competitive_shift

Dynamic (Barff and Knight 1988, "Dynamic shift-share analysis", *Growth and Change* 19(2):
1-10): the classic (or Esteban-Marquillas) split for every pair of consecutive years, with that
year's reference growth, summed over the period; the sums still add up to ``x1 − x0``.

``prices="real"`` first converts values to base-year prices with the chained volume indices
(indicator ``gva_volume_index``, % of the previous year), which exist for sections A-H, J, L and
``OTHER_SERVICES`` only, so the sector level is coarse.

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({
...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
...     "value": [10.0, 10.0, 10.0, 10.0, 20.0, 10.0, 10.0, 20.0]})
>>> ss = shift_share(panel, year=2023, base_year=2022)
>>> ss[["region", "sector", "change", "national_share", "industry_mix", "competitive_shift"]]
  region sector  change  national_share  industry_mix  competitive_shift
0     R1      A    10.0             5.0           0.0                5.0
1     R1      B     0.0             5.0           0.0               -5.0
2     R2      A     0.0             5.0           0.0               -5.0
3     R2      B    10.0             5.0           0.0                5.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from terraplan.analysis.matrices import (
    AGGREGATE_SECTORS,
    NATIONAL,
    Missing,
    Reference,
    SectorLevel,
    SectorMatrix,
    Unmatched,
    _apply_sector_level,
    _listing,
    as_matrix,
    long_frame,
)
from terraplan.analysis.periods import harmonized_panel, mark_estimated
from terraplan.errors import AnalysisError
from terraplan.territory.names import region_names

Method = Literal["classic", "esteban-marquillas"]
Prices = Literal["nominal", "real"]

VOLUME_INDICATOR = "gva_volume_index"


def classic_components(
    x0: np.ndarray, x1: np.ndarray, e0: np.ndarray, e1: np.ndarray
) -> dict[str, np.ndarray]:
    """Classic shift-share components (Dunn 1960) for arrays whose last axis is the sectors.

    Returns ``national_share``, ``industry_mix``, ``competitive_shift`` (which add up to
    ``x1 − x0``), ``reference_growth`` (``G``, broadcast) and ``reference_sector_growth``
    (``g[s]``).

    Example
    -------
    >>> c = classic_components(np.array([10.0, 10.0]), np.array([20.0, 10.0]),
    ...                        np.array([20.0, 20.0]), np.array([30.0, 30.0]))
    >>> [c[k].tolist() for k in ("national_share", "industry_mix", "competitive_shift")]
    [[5.0, 5.0], [0.0, 0.0], [5.0, -5.0]]
    """
    big_g = e1.sum(axis=-1, keepdims=True) / e0.sum(axis=-1, keepdims=True) - 1.0
    g = e1 / e0 - 1.0
    return {
        "national_share": x0 * big_g,
        "industry_mix": x0 * (g - big_g),
        "competitive_shift": x1 - x0 * (1.0 + g),
        "reference_growth": np.broadcast_to(big_g, np.shape(g)),
        "reference_sector_growth": g,
    }


def esteban_marquillas_split(
    x0: np.ndarray, e0: np.ndarray, competitive_shift: np.ndarray
) -> dict[str, np.ndarray]:
    """Split a competitive shift into homothetic competitive and allocation effects.

    ``x̂ = x0[r] · e0[s]/e0[r]``; ``homothetic_competitive = x̂ · CS / x0`` (``= x̂ (r − g)``) and
    ``allocation = CS − homothetic_competitive`` (``= (x0 − x̂)(r − g)``). A cell with
    ``x0 = 0`` and ``CS = 0`` (no activity in either year) gets 0 in both; a cell with
    ``x0 = 0`` and ``CS ≠ 0`` (a sector new to the region) has no growth rate, so the split is
    undefined there: the caller must refuse it (see :func:`shift_share`).

    Example
    -------
    >>> s = esteban_marquillas_split(np.array([15.0, 5.0]), np.array([10.0, 10.0]),
    ...                              np.array([3.0, -1.0]))
    >>> s["homothetic_competitive"].tolist(), s["allocation"].tolist()
    ([2.0, -2.0], [1.0, 1.0])
    """
    homothetic = x0.sum(axis=-1, keepdims=True) * e0 / e0.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_gap = np.where(x0 > 0, competitive_shift / x0, 0.0)
    competitive = homothetic * rate_gap
    return {
        "homothetic": homothetic,
        "homothetic_competitive": competitive,
        "allocation": competitive_shift - competitive,
    }


def _components(
    x0: np.ndarray, x1: np.ndarray, e0: np.ndarray, e1: np.ndarray, method: Method
) -> dict[str, np.ndarray]:
    """Classic components, with the Esteban-Marquillas split when ``method`` asks for it."""
    parts = classic_components(x0, x1, e0, e1)
    if method == "esteban-marquillas":
        parts.update(esteban_marquillas_split(x0, e0, parts["competitive_shift"]))
    return parts


def _refuse_new_sectors(matrix: SectorMatrix, x0: np.ndarray, x1: np.ndarray, steps) -> None:
    """Esteban-Marquillas needs a growth rate: refuse cells that start from zero."""
    new = np.argwhere((x0 == 0) & (x1 != 0))
    if len(new) == 0:
        return
    cells = [
        f"{matrix.regions[r]} {matrix.sectors[s]} ({steps[t][0]}: 0 -> {steps[t][1]}: "
        f"{x1[t, r, s]:g})"
        for t, r, s in new[:9]
    ]
    raise AnalysisError(
        f"the Esteban-Marquillas split needs the regional growth rate of each sector, which is "
        f"undefined where a sector starts from zero: {_listing(cells)}. Use method='classic', "
        "other years, or leave these sectors out (sectors=...)"
    )


def _real_panel(
    panel: pd.DataFrame, years: Sequence[int], indicator: str, volume_indicator: str
) -> pd.DataFrame:
    """Values of ``indicator`` for ``years`` in prices of ``years[0]``: base-year values times
    the volume indices chained over every year in between."""
    base, later = years[0], list(range(years[0] + 1, years[-1] + 1))
    rows = panel[(panel["indicator"] == indicator) & (panel["year"] == base)]
    rows = rows[~rows["sector"].astype(str).isin(AGGREGATE_SECTORS)]
    if rows.empty:
        raise AnalysisError(f"the panel has no {indicator!r} rows for the base year {base}")
    rows, _ = _apply_sector_level(rows, "coarse")
    vol = panel[(panel["indicator"] == volume_indicator) & panel["year"].isin(later)]
    vol = vol[~vol["sector"].astype(str).isin(AGGREGATE_SECTORS)]
    if vol.empty:
        raise AnalysisError(
            f"prices='real' needs the volume indices ({volume_indicator!r}, % of previous year) "
            f"for {later}; load them with kazakhstan.panel([{indicator!r}, "
            f"{volume_indicator!r}], include_national=True)"
        )
    factors = vol.pivot_table(
        index=["region", "sector"], columns="year", values="value", aggfunc="first", dropna=False
    ).reindex(columns=later)
    chain = (factors / 100.0).cumprod(axis=1, skipna=False)
    base_values = rows.set_index(["region", "sector"])["value"]
    chain = chain.reindex(base_values.index)
    real = chain.mul(base_values, axis=0)
    real.loc[base_values.eq(0).to_numpy()] = 0.0
    gaps = real.isna().stack()
    gaps = gaps[gaps]
    if len(gaps):
        cells = [f"{r} {s} {y}" for r, s, y in gaps.index]
        raise AnalysisError(
            f"no volume index (or an earlier one missing) for {len(cells)} region-sector-year "
            f"cell(s) with a positive base-year value: {_listing(cells)}. Real values cannot be "
            "chained there; use prices='nominal', other years, or leave the sectors out"
        )
    unit = str(rows["unit"].iloc[0]) if "unit" in rows else ""
    long = real[list(years[1:])].stack().rename("value").reset_index()
    out = pd.concat(
        [rows[["region", "year", "sector", "value"]], long[["region", "year", "sector", "value"]]],
        ignore_index=True,
    )
    out["indicator"] = indicator
    priced = f"constant {base} prices (chained volume indices)"
    out["unit"] = (
        unit.replace("current prices", priced)
        if "current prices" in unit
        else (f"{unit}, {priced}")
    )
    return out


def _matrix(
    data: pd.DataFrame | SectorMatrix,
    years: list[int],
    prices: Prices,
    volume_indicator: str,
    **options,
) -> SectorMatrix:
    if prices == "nominal":
        return as_matrix(data, years, **options)
    if prices != "real":
        raise AnalysisError(f"prices must be 'nominal' or 'real', not {prices!r}")
    if isinstance(data, SectorMatrix):
        raise AnalysisError(
            "prices='real' needs the tidy panel (values and volume indices), not a SectorMatrix"
        )
    if options.get("sector_level") == "fine":
        raise AnalysisError(
            "prices='real' works at the coarse sector level only: the volume indices group "
            "I, K, M-S as OTHER_SERVICES"
        )
    real = _real_panel(data, years, options["indicator"], volume_indicator)
    national = options.get("reference") == "national-row"
    if not national:
        real = real[real["region"] != NATIONAL]
    return as_matrix(real, years, **{**options, "sector_level": "coarse"})


def shift_share(
    data: pd.DataFrame | SectorMatrix,
    *,
    year: int,
    base_year: int,
    method: Method = "classic",
    dynamic: bool = False,
    by_year: bool = False,
    prices: Prices = "nominal",
    indicator: str = "gva",
    volume_indicator: str = VOLUME_INDICATOR,
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
    harmonize: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Shift-share decomposition of every region's change by sector, ``base_year`` → ``year``.

    Parameters
    ----------
    method : ``"classic"`` or ``"esteban-marquillas"``
        Classic three components, or with the competitive shift split into the homothetic
        competitive and allocation effects (refused, with the cells named, where a sector
        starts from zero in a region).
    dynamic : bool
        Year-by-year decomposition (every year between the two must be in the panel), summed
        over the period; ``by_year=True`` returns the annual rows instead of the sums.
    prices : ``"nominal"`` or ``"real"``
        Current prices, or base-year prices from the chained volume indices (coarse sector
        level; the panel must hold ``volume_indicator``). A region-sector with a zero base
        value stays zero in real terms.
    reference, neighbours, sector_level, missing, unmatched, sectors
        As in :func:`~terraplan.analysis.matrices.sector_matrix`; the reference universe
        gives ``G`` and ``g[s]`` (``"neighbours"`` gives a spatial shift-share).
    harmonize : bool
        Bring the panel to the layout of ``year`` first (:mod:`terraplan.analysis.periods`):
        values of regions split since ``base_year`` are estimated, flagged in the column
        ``estimated`` and in ``attrs["harmonized"]``; the reference keeps published figures.
    lang : ``"en"``, ``"ru"`` or ``"kk"``
        Language of ``region_name``, the region's name beside its code.

    Returns
    -------
    DataFrame
        ``region, region_name, sector, base_year, year, base_value, value, change, national_share,
        industry_mix, competitive_shift`` (+ ``homothetic_competitive, allocation``),
        ``reference_growth`` and ``reference_sector_growth`` (fractions; for dynamic sums,
        those of the whole period). ``attrs`` name the method, prices and reference.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
    ...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
    ...     "value": [15.0, 5.0, 5.0, 15.0, 22.0, 5.0, 6.0, 18.0]})
    >>> em = shift_share(panel, year=2023, base_year=2022, method="esteban-marquillas")
    >>> em[["competitive_shift", "homothetic_competitive", "allocation"]].round(4).values.tolist()
    [[1.0, 0.6667, 0.3333], [-0.75, -1.5, 0.75], [-1.0, -2.0, 1.0], [0.75, 0.5, 0.25]]
    """
    if method not in ("classic", "esteban-marquillas"):
        raise AnalysisError(f"method must be 'classic' or 'esteban-marquillas', not {method!r}")
    if int(base_year) >= int(year):
        raise AnalysisError(f"base_year ({base_year}) must come before year ({year})")
    years = list(range(int(base_year), int(year) + 1)) if dynamic else [int(base_year), int(year)]
    harmonized = None
    if harmonize:
        harmonized = harmonized_panel(
            data,
            year=year,
            base_year=base_year,
            indicator=indicator,
            volume_indicator=volume_indicator if prices == "real" else None,
        )
        data = harmonized
    matrix = _matrix(
        data,
        years,
        prices,
        volume_indicator,
        indicator=indicator,
        reference=reference,
        neighbours=neighbours,
        sector_level=sector_level,
        missing=missing,
        unmatched=unmatched,
        sectors=sectors,
    )
    x, e = matrix.values, matrix.compact_reference()
    x0, x1, e0, e1 = x[:-1], x[1:], e[:-1], e[1:]
    steps = list(zip(matrix.years[:-1], matrix.years[1:], strict=True))
    names = ["national_share", "industry_mix", "competitive_shift"]
    if method == "esteban-marquillas":
        _refuse_new_sectors(matrix, x0, x1, steps)
        names += ["homothetic_competitive", "allocation"]
    if by_year:
        parts = _components(x0, x1, e0, e1, method)
        columns = {"base_value": x0.copy(), "value": x1.copy(), "change": x1 - x0}
        columns |= {name: parts[name] for name in names}
        columns["reference_growth"] = parts["reference_growth"]
        columns["reference_sector_growth"] = parts["reference_sector_growth"]
        out = long_frame(matrix, columns, years=matrix.years[1:])
        out.insert(3, "base_year", np.repeat(np.asarray(matrix.years[:-1]), x0[0].size))
    else:
        e_first, e_last = e[0], e[-1]
        columns = {"base_value": x[0].copy(), "value": x[-1].copy(), "change": x[-1] - x[0]}
        # summed over the steps one step at a time, in the order of a sum over the step axis
        sums = _components(x0[0], x1[0], e0[0], e1[0], method)
        sums = {name: sums[name] for name in names}
        for t in range(1, len(steps)):  # a few annual steps, each vectorized
            step = _components(x0[t], x1[t], e0[t], e1[t], method)
            for name in names:
                sums[name] += step[name]
        columns |= sums
        columns["reference_growth"] = (
            e_last.sum(-1, keepdims=True) / e_first.sum(-1, keepdims=True) - 1
        )
        columns["reference_sector_growth"] = e_last / e_first - 1
        out = long_frame(matrix.select_years([matrix.years[-1]]), columns)
        out.insert(3, "base_year", matrix.years[0])
    order = ["region", "sector", "base_year", "year", *columns]
    out = out[order]
    out.attrs = {
        "method": f"shift-share, {method}" + (" (dynamic, summed over years)" if dynamic else ""),
        **matrix.attrs,
        "base_year": int(base_year),
        "year": int(year),
        "prices": (
            "nominal (current prices)"
            if prices == "nominal"
            else f"real ({base_year} prices, chained volume indices {volume_indicator})"
        ),
        "dynamic": dynamic,
    }
    out.insert(1, "region_name", region_names(out["region"], lang).array)
    if harmonized is not None:
        out = mark_estimated(out, harmonized, years, indicator=indicator)
    return out
