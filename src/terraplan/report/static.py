"""Static maps for documents: PNG and SVG with matplotlib's Agg backend, no browser needed.

The map uses the same classes, colours and legend as the interactive map
(:class:`terraplan.report.maps.MapLayer`); missing values are grey and hatched. Output bytes are
deterministic: SVG ids come from a fixed ``svg.hashsalt`` and no date is written.

Example
-------
>>> import pandas as pd
>>> from terraplan.report.maps import MapLayer
>>> layer = MapLayer.numeric("GRP", pd.Series({"KZ-71": 1.0, "KZ-75": 2.0}), k=2)
>>> static_map(layer, fmt="svg")[:5]
b'<?xml'
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

from terraplan.errors import OutputError
from terraplan.report.classify import MISSING_COLOR
from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    import geopandas as gpd

    from terraplan.report.maps import MapLayer

FORMATS = ("png", "svg")
#: Legend labels are wrapped at this many characters (typology types describe themselves).
LABEL_WIDTH = 34


def static_map(
    layer: MapLayer,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    fmt: str = "png",
    lang: str = "en",
    centres: bool = True,
    dpi: int = 150,
    width_in: float = 9.0,
) -> bytes:
    """Draw ``layer`` on the region polygons and return the PNG or SVG bytes.

    ``boundaries`` default to the bundled simplified KZ-2022 polygons, drawn in terraplan's
    equal-area projection. ``centres`` marks the administrative centres.

    >>> import pandas as pd
    >>> from terraplan.report.maps import MapLayer
    >>> layer = MapLayer.numeric("x", pd.Series({"KZ-71": 1.0}), k=1)
    >>> static_map(layer, fmt="png")[:4]
    b'\\x89PNG'
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from terraplan.territory.boundaries import EQUAL_AREA_CRS

    check_language(lang)
    if fmt not in FORMATS:
        raise OutputError(f"unknown static map format {fmt!r}; use one of {', '.join(FORMATS)}")
    if boundaries is None:
        from terraplan.territory.boundaries import boundaries as load_boundaries

        boundaries = load_boundaries(resolution="simplified")
    geo = boundaries[["code", "geometry"]].to_crs(EQUAL_AREA_CRS)
    classes = layer.classification.classes.reindex(geo["code"]).fillna(-1).astype(int)
    fills = layer.classification.color_of().reindex(geo["code"]).fillna(MISSING_COLOR)
    missing = (classes == -1).to_numpy()
    minx, miny, maxx, maxy = geo.total_bounds
    aspect = (maxy - miny) / (maxx - minx)
    with matplotlib.rc_context(
        {"svg.hashsalt": "terraplan", "svg.fonttype": "path", "font.size": 9}
    ):
        fig = Figure(figsize=(width_in, width_in * 0.7 * aspect / 0.86), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.68, 0.86))
        paths = _paths(geo.geometry)
        colors = fills.to_numpy()
        for is_missing in (False, True):
            chosen = [p for p, m in zip(paths, missing, strict=True) if m == is_missing]
            if not chosen:
                continue
            ax.add_collection(
                PathCollection(
                    chosen,
                    facecolors=MISSING_COLOR if is_missing else colors[missing == is_missing],
                    edgecolors="#888888" if is_missing else "#555555",
                    linewidths=0.5,
                    hatch="////" if is_missing else None,
                )
            )
        ax.set_xlim(minx, maxx)
        ax.set_ylim(miny, maxy)
        import geopandas as gpd

        from terraplan.report.maps import admin_centres, city_callouts

        cities = city_callouts(lang)
        cities = cities[cities["code"].isin(geo["code"])]
        if centres:
            table = admin_centres(lang)
            table = table[~table["code"].isin(cities["code"])]  # the cities have call-outs
            pts = gpd.GeoSeries(
                gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
            ).to_crs(EQUAL_AREA_CRS)
            ax.scatter(pts.x, pts.y, s=10, c="#ffffff", edgecolors="#222222", linewidths=0.7)
        _city_callouts(ax, cities, layer)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(
                facecolor=item.color,
                edgecolor="#555555",
                hatch="////" if item.missing else None,
                label=textwrap.fill(f"{item.label} ({item.count})", width=LABEL_WIDTH),
            )
            for item in layer.classification.legend()
        ]
        title = f"{layer.name}, {layer.unit}" if layer.unit else layer.name
        notes = []
        if layer.is_numeric and layer.classification.colors:
            notes.append(text("classes_note", lang))
        if layer.flagged().any():
            notes.append(text("flag_note", lang))
        if layer.note:
            notes.append(layer.note)
        fig.legend(
            handles=handles,
            loc="center left",
            bbox_to_anchor=(0.7, 0.5),
            frameon=False,
            title="\n".join(textwrap.fill(n, width=LABEL_WIDTH + 10) for n in notes) or None,
            title_fontsize=7,
        )
        fig.suptitle(title, x=0.02, ha="left", fontsize=11)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()


def _city_callouts(ax, cities, layer: MapLayer) -> None:
    """The cities of national significance as enlarged circles in their class colour, labelled
    (the same call-outs as on the interactive maps)."""
    import geopandas as gpd
    from matplotlib import patheffects

    from terraplan.territory.boundaries import EQUAL_AREA_CRS

    if cities.empty:
        return
    pts = gpd.GeoSeries(gpd.points_from_xy(cities["lon"], cities["lat"]), crs="EPSG:4326").to_crs(
        EQUAL_AREA_CRS
    )
    fills = layer.classification.color_of().reindex(cities["code"]).fillna(MISSING_COLOR)
    ax.scatter(
        pts.x, pts.y, s=95, c=fills.to_list(), edgecolors="#222222", linewidths=1.2, zorder=3
    )
    halo = [patheffects.withStroke(linewidth=2.5, foreground="#ffffff")]
    for x, y, name in zip(pts.x, pts.y, cities["name"], strict=True):
        ax.annotate(
            str(name),
            (x, y),
            xytext=(7, -3),
            textcoords="offset points",
            fontsize=8.5,
            fontweight="bold",
            color="#111111",
            path_effects=halo,
            zorder=4,
        )


def _paths(geometries) -> list:
    """One matplotlib Path per (multi)polygon; holes stay holes (nonzero rule, oriented rings)."""
    import numpy as np
    import shapely
    from matplotlib.path import Path

    out = []
    for geom in shapely.orient_polygons(np.asarray(geometries)):  # holes wind the other way
        vertices, codes = [], []
        for ring in shapely.get_rings(shapely.get_parts(geom)):
            xy = shapely.get_coordinates(ring)
            ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
        out.append(Path(np.concatenate(vertices), np.concatenate(codes)))
    return out
