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
from typing import TYPE_CHECKING

from terraplan.errors import OutputError
from terraplan.report.classify import MISSING_COLOR
from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    import geopandas as gpd

    from terraplan.report.maps import MapLayer

FORMATS = ("png", "svg")


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
        present = geo[~missing]
        if len(present):
            present.plot(ax=ax, color=fills.to_numpy()[~missing], edgecolor="#555555", linewidth=0.5)
        if missing.any():
            geo[missing].plot(
                ax=ax, color=MISSING_COLOR, edgecolor="#888888", linewidth=0.5, hatch="////"
            )
        if centres:
            import geopandas as gpd

            from terraplan.report.maps import admin_centres

            table = admin_centres(lang)
            pts = gpd.GeoSeries(
                gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
            ).to_crs(EQUAL_AREA_CRS)
            ax.scatter(pts.x, pts.y, s=10, c="#ffffff", edgecolors="#222222", linewidths=0.7)
        ax.set_axis_off()
        ax.set_aspect("equal")
        handles = [
            Patch(
                facecolor=item.color,
                edgecolor="#555555",
                hatch="////" if item.missing else None,
                label=item.label,
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
            title="\n".join(notes) if notes else None,
            title_fontsize=7,
        )
        fig.suptitle(title, x=0.02, ha="left", fontsize=11)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
