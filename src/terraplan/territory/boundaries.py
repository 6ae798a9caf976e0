"""Region polygons: the bundled boundaries of the 20 units of layout KZ-2022, full or simplified.

The polygons are the dissolve of the 224 districts of the ``geokz`` package (A. Rodionov,
CC BY 4.0, after UN OCHA COD-AB), cleaned into a coverage (no overlaps, no gaps, identical
shared edges; the cities of Astana, Almaty and Shymkent are holes in the region around them) by
``scripts/derive_boundaries.py``, so districts (:mod:`terraplan.territory.districts`) nest in
them exactly; ``data/regions/SOURCES.md`` says how. ``"simplified"`` is a coverage-preserving
simplification for web maps (about 46 KB).

Example
-------
>>> from terraplan.territory.boundaries import boundaries
>>> gdf = boundaries(resolution="simplified")
>>> len(gdf), gdf.crs.to_string(), gdf["code"].iloc[0]
(20, 'EPSG:4326', 'KZ-10')
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from terraplan._resources import data_dir
from terraplan.errors import InputError, LayoutError
from terraplan.territory.layouts import dissolve_layout
from terraplan.territory.registry import LAYOUTS, regions

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["EQUAL_AREA_CRS", "RESOLUTIONS", "boundaries"]

#: Albers equal-area conic centred on Kazakhstan: the projection terraplan computes areas in.
EQUAL_AREA_CRS = "+proj=aea +lat_1=42 +lat_2=52 +lat_0=48 +lon_0=68 +datum=WGS84 +units=m"

#: Bundled resolutions and their files in ``data/regions/boundaries``.
RESOLUTIONS = {"full": "kz-2022-full.geojson", "simplified": "kz-2022-simplified.geojson"}

_BASE_LAYOUT = "KZ-2022"
_COLUMNS = ["code", "name_en", "name_ru", "name_kk", "kind", "area_km2", "geometry"]


@cache
def _read(resolution: str) -> gpd.GeoDataFrame:
    """The bundled KZ-2022 polygons joined with the registry's names (read once per session)."""
    import pyogrio

    path = data_dir() / "boundaries" / RESOLUTIONS[resolution]
    polygons = pyogrio.read_dataframe(path, columns=["code"]).set_crs(
        "EPSG:4326", allow_override=True
    )
    registry = regions(layout=_BASE_LAYOUT)
    codes = set(polygons["code"])
    if codes != set(registry.index) or len(polygons) != len(registry):
        raise LayoutError(
            f"{path}: its codes {sorted(polygons['code'])} are not the {len(registry)} units of "
            f"{_BASE_LAYOUT} in the registry {sorted(registry.index)}. Rerun "
            "scripts/derive_boundaries.py."
        )
    attrs = registry.loc[:, ["name_en", "name_ru", "name_kk", "kind", "area_km2"]]
    frame = polygons.merge(attrs, left_on="code", right_index=True, validate="one_to_one")
    return frame.sort_values("code", ignore_index=True)[_COLUMNS]


def boundaries(layout: str = _BASE_LAYOUT, resolution: str = "full") -> gpd.GeoDataFrame:
    """Polygons of the regions of ``layout`` as a GeoDataFrame in EPSG:4326, sorted by code.

    Columns: ``code, name_en, name_ru, name_kk, kind, area_km2, geometry``. ``area_km2`` is the
    full-resolution area in :data:`EQUAL_AREA_CRS` (also the registry's ``area_km2``). Units of
    another layout (``KZ-1997``, ``KZ-2018``) are dissolved from the 2022 polygons by
    :func:`terraplan.territory.layouts.dissolve_layout`. Each call returns a fresh copy.

    Parameters
    ----------
    layout : {"KZ-2022", "KZ-2018", "KZ-1997"}
        The territorial layout.
    resolution : {"full", "simplified"}
        ``"full"`` (about 1 m coordinates) for analysis, ``"simplified"`` for web maps.

    Examples
    --------
    >>> gdf = boundaries(resolution="simplified")
    >>> gdf.loc[gdf["code"] == "KZ-71", ["name_en", "kind"]].to_numpy().tolist()
    [['Astana', 'city']]
    >>> boundaries(resolution="coarse")
    Traceback (most recent call last):
    terraplan.errors.InputError: unknown resolution 'coarse'; use one of: 'full', 'simplified'
    """
    if resolution not in RESOLUTIONS:
        raise InputError(
            f"unknown resolution {resolution!r}; use one of: "
            + ", ".join(repr(r) for r in RESOLUTIONS)
        )
    if layout not in LAYOUTS:
        raise LayoutError(
            f"unknown layout {layout!r}; use one of: " + ", ".join(repr(x) for x in LAYOUTS)
        )
    frame = _read(resolution).copy()
    if layout == _BASE_LAYOUT:
        return frame
    return dissolve_layout(frame, layout)
