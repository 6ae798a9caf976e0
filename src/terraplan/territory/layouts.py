"""Layouts as territory: which regions existed when, and how old units are made of new ones.

Kazakhstan's first-level units changed twice since 1997: in 2018 South Kazakhstan (``KZ-YUZ``)
split into Turkistan Region (``KZ-61``) and the city of Shymkent (``KZ-79``); in 2022 Abai
(``KZ-10``) left East Kazakhstan, Jetisu (``KZ-33``) left Almaty Region and Ulytau (``KZ-62``)
left Karaganda, so the pre-2022 units ``KZ-VOS``, ``KZ-ALM`` and ``KZ-KAR`` are the sums
``KZ-63 + KZ-10``, ``KZ-19 + KZ-33`` and ``KZ-35 + KZ-62``. The layouts are ``KZ-1997``
(16 units, 1997-2017), ``KZ-2018`` (17, 2018-2021) and ``KZ-2022`` (20, from 2022).

Every unit of every layout is a union of 2022 units (its *atoms*, from the registry's
``successors``). Moving a panel between layouts is data work and lives in
:mod:`terraplan.data.harmonize`. Small border changes between these dates (district transfers)
are not represented.

Example
-------
>>> from terraplan.territory.layouts import layout_for_year, layout_units
>>> layout_for_year(2019)
'KZ-2018'
>>> layout_units("KZ-YUZ", "KZ-2022")
['KZ-61', 'KZ-79']
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from terraplan.errors import GeometryError, LayoutError
from terraplan.territory.registry import LAYOUTS, layout_regions, layouts, regions

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "check_layout",
    "dissolve_layout",
    "layout_for_year",
    "layout_sets",
    "layout_units",
    "unit_atoms",
]


@cache
def unit_atoms() -> dict[str, frozenset[str]]:
    """Every registry unit -> the 2022 units it is made of (itself for a current unit)."""
    successors = {code: tuple(text.split()) for code, text in regions(None)["successors"].items()}

    def expand(code: str) -> frozenset[str]:
        parts = successors.get(code, ())
        if not parts:
            return frozenset([code])
        return frozenset().union(*(expand(part) for part in parts))

    return {code: expand(code) for code in successors}


def layout_sets() -> dict[str, frozenset[str]]:
    return {layout: frozenset(layout_regions(layout)) for layout in LAYOUTS}


def check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise LayoutError(
            f"unknown layout {layout!r}; use one of: " + ", ".join(repr(x) for x in LAYOUTS)
        )


def layout_units(code: str, layout: str) -> list[str]:
    """The units of ``layout`` that make up ``code`` (one if ``code`` lies inside one of them).

    >>> layout_units("KZ-VOS", "KZ-2022"), layout_units("KZ-79", "KZ-1997")
    (['KZ-10', 'KZ-63'], ['KZ-YUZ'])
    """
    check_layout(layout)
    atoms = unit_atoms()
    if code not in atoms:
        raise LayoutError(f"{code!r} is not a unit of the registry; `terraplan regions` lists them")
    mine = atoms[code]
    units = sorted(layout_sets()[layout])
    container = [u for u in units if mine <= atoms[u]]
    return container or [u for u in units if atoms[u] <= mine]


def _as_year(value: object) -> str:
    """How a user meant ``value`` as a year, for the message that asks for a number."""
    try:
        return str(int(float(str(value))))
    except (TypeError, ValueError, OverflowError):
        return "2020"


def require_year(year: object) -> None:
    """Raise :class:`~terraplan.errors.LayoutError` unless ``year`` is a whole number.

    >>> require_year(2020)
    """
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise LayoutError(
            f"year must be a whole number such as 2020, got {year!r} ({type(year).__name__}). "
            f"Fix: pass year={_as_year(year)}"
        )


def layout_for_year(year: int) -> str:
    """The layout in force in ``year`` (``data/regions/layouts.csv``).

    >>> layout_for_year(2017), layout_for_year(2018), layout_for_year(2024)
    ('KZ-1997', 'KZ-2018', 'KZ-2022')
    >>> layout_for_year("2020")
    Traceback (most recent call last):
    terraplan.errors.LayoutError: year must be a whole number such as 2020, got '2020' (str). \
Fix: pass year=2020
    """
    require_year(year)
    table = layouts()
    last = table["last_year"].fillna(np.iinfo(np.int32).max)
    hit = table.index[(table["first_year"] <= year) & (last >= year)]
    if len(hit) == 0:
        raise LayoutError(
            f"no layout covers the year {year}; terraplan's layouts start in "
            f"{int(table['first_year'].min())} ({', '.join(table.index)})"
        )
    return str(hit[0])


# --------------------------------------------------------------------------- polygons


def dissolve_layout(gdf_2022: gpd.GeoDataFrame, layout: str) -> gpd.GeoDataFrame:
    """Polygons of ``layout`` built by dissolving the 2022 polygons into the older units.

    Returns the same columns as the input (``code, name_en, name_ru, name_kk, kind, area_km2,
    geometry``), names, kind and ``area_km2`` from the registry (``area_km2`` the sum of the
    parts' areas where the registry has none), sorted by code. Small border changes between
    layouts (district transfers) are not represented: an old unit is exactly the union of the
    2022 units that replaced it.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from terraplan.territory.registry import layout_regions
    >>> codes = layout_regions("KZ-2022")
    >>> g = gpd.GeoDataFrame({"code": codes, "area_km2": 1.0},
    ...                      geometry=[box(i, 0, i + 1, 1) for i in range(20)], crs=4326)
    >>> old = dissolve_layout(g, "KZ-1997")
    >>> len(old), old.set_index("code").loc["KZ-YUZ", "geometry"].area  # two unit squares
    (16, 2.0)
    """
    import geopandas as gpd
    import shapely

    check_layout(layout)
    atoms = unit_atoms()
    codes = set(gdf_2022["code"])
    expected = set(layout_regions("KZ-2022"))
    if codes != expected:
        raise GeometryError(
            f"dissolve_layout needs the 20 units of KZ-2022; missing {sorted(expected - codes)}, "
            f"unexpected {sorted(codes - expected)}"
        )
    registry = regions(None)
    rows = []
    geoms = []
    for unit in layout_regions(layout):
        members = gdf_2022[gdf_2022["code"].isin(atoms[unit])]
        geoms.append(
            members.geometry.iloc[0]
            if len(members) == 1
            else shapely.union_all(members.geometry.to_numpy())
        )
        row = {"code": unit}
        for column in gdf_2022.columns:
            if column in ("code", "geometry"):
                continue
            if column == "area_km2":
                listed = registry.loc[unit, column] if column in registry.columns else np.nan
                row[column] = listed if pd.notna(listed) else members[column].sum(min_count=1)
            elif column in registry.columns:
                row[column] = registry.loc[unit, column]
            elif len(members) == 1:
                row[column] = members[column].iloc[0]
        rows.append(row)
    attrs = pd.DataFrame(rows).reindex(columns=[c for c in gdf_2022.columns if c != "geometry"])
    out = gpd.GeoDataFrame(attrs, geometry=geoms, crs=gdf_2022.crs)
    out = out[list(gdf_2022.columns)].sort_values("code", ignore_index=True)
    out.attrs = {"layout": layout, "method": "dissolved from KZ-2022 polygons"}
    return out
