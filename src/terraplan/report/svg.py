"""Region outlines as SVG paths: the offline map and the profiles' locator maps.

The polygons are projected to terraplan's equal-area projection and scaled into a view box, so
the pages need no script, tile or font from the network.

Example
-------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> squares = [box(60, 45, 61, 46), box(61, 45, 62, 46)]
>>> gdf = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=squares, crs="EPSG:4326")
>>> shapes = project_shapes(gdf, width=200)
>>> sorted(shapes.paths), shapes.paths["A"].startswith("M")
(['A', 'B'], True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class SvgShapes:
    """Projected outlines: ``paths[code]`` is an SVG path ``d``; ``points[code]`` an (x, y)."""

    paths: dict[str, str]
    width: int
    height: int
    points: dict[str, tuple[float, float]]

    @property
    def view_box(self) -> str:
        """The ``viewBox`` attribute value.

        >>> SvgShapes({}, 10, 5, {}).view_box
        '0 0 10 5'
        """
        return f"0 0 {self.width} {self.height}"


def project_shapes(
    gdf: gpd.GeoDataFrame,
    *,
    width: int = 800,
    margin: int = 6,
    points: pd.DataFrame | None = None,
) -> SvgShapes:
    """Project ``gdf`` (column ``code``) into a ``width``-wide view box; rings become paths.

    ``points`` (columns ``code, lat, lon``) are projected the same way (e.g. the administrative
    centres). Coordinates are rounded to 0.1 unit, so the text is small and stable.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"code": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    >>> d = project_shapes(gdf, width=100, margin=0).paths["A"]
    >>> d[0], d.count("L"), d[-1]  # one ring of four corners
    ('M', 3, 'Z')
    """
    import shapely

    from terraplan.territory.boundaries import EQUAL_AREA_CRS

    projected = gdf.to_crs(EQUAL_AREA_CRS)
    minx, miny, maxx, maxy = projected.total_bounds
    scale = (width - 2 * margin) / max(maxx - minx, 1e-9)
    height = int(np.ceil((maxy - miny) * scale)) + 2 * margin

    def to_view(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [margin + (xy[:, 0] - minx) * scale, height - margin - (xy[:, 1] - miny) * scale]
        )

    paths: dict[str, str] = {}
    for code, geom in zip(projected["code"], projected.geometry, strict=True):
        rings = shapely.get_rings(shapely.get_parts(geom))
        parts = []
        for ring in rings:
            xy = to_view(shapely.get_coordinates(ring)[:-1])
            body = "L".join(f"{x:.1f},{y:.1f}" for x, y in xy)
            parts.append(f"M{body}Z")
        paths[str(code)] = "".join(parts)
    located: dict[str, tuple[float, float]] = {}
    if points is not None and len(points):
        import geopandas as gpd

        pts = gpd.GeoSeries(
            gpd.points_from_xy(points["lon"], points["lat"]), crs="EPSG:4326"
        ).to_crs(EQUAL_AREA_CRS)
        xy = to_view(np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()]))
        located = {
            str(c): (round(float(x), 1), round(float(y), 1))
            for c, (x, y) in zip(points["code"], xy, strict=True)
        }
    return SvgShapes(paths, int(width), int(height), located)
