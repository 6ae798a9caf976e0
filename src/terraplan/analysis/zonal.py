"""Zonal statistics of rasters over regions: exact cell coverage, windowed reads, NumPy only.

``zonal_stats(raster, layout="KZ-2022")`` summarizes a raster (population grid, night-time
lights, land cover, elevation) per region. Cells on a region's border count with the fraction
of their area inside it (the same *exact* coverage as exactextract), the raster is read once,
in strips of whole blocks, for all regions together, so memory stays bounded whatever its size.

**Why not call exactextract or rasterstats?** Both are checked against in the tests and the
benchmark (``benchmarks/bench_zonal.py``). rasterstats counts a cell wholly in or out (by its
centre), so border regions and small cities come out wrong by up to a cell per border cell;
exactextract is exact, but works feature by feature: Kazakhstan's regions have overlapping
bounding boxes, so each block is read and decompressed several times, and its Python binding
returns per-feature arrays. Here the coverage is computed once from the polygon boundaries
(Green's theorem: only cells the boundary crosses need work; between them a row is wholly in
or out), then each strip of the raster costs a few vectorized reductions.

How the polygon in a cell is measured
-------------------------------------
The area of a polygon inside a cell is an integral over the polygon's boundary. With the
boundary cut into *pieces* at every grid line, the covered area of cell ``(r, c)`` is the sum
over the pieces inside that cell plus the signed heights of the pieces to its left in the same
row::

    coverage(r, c) = sum_{pieces in (r, c)} -dv * (c + 1 - mean u)
                   + sum_{pieces in row r, left of c} -dv

(pixel coordinates ``u`` = column, ``v`` = row, rings oriented counter-clockwise). Between two
boundary cells of a row the second sum is 0 or 1: a *run* of cells wholly inside.

Example
-------
>>> import numpy as np, rasterio, tempfile, os, geopandas as gpd
>>> from shapely.geometry import box
>>> from affine import Affine
>>> path = os.path.join(tempfile.mkdtemp(), "ones.tif")
>>> with rasterio.open(path, "w", driver="GTiff", width=4, height=4, count=1, dtype="float32",
...                    crs="EPSG:32642", transform=Affine(1000, 0, 0, 0, -1000, 4000)) as dst:
...     dst.write(np.ones((1, 4, 4), dtype="float32"))
>>> zones = gpd.GeoDataFrame({"code": ["a"]}, geometry=[box(500, 0, 2000, 4000)], crs=32642)
>>> zonal_stats(path, zones, stats=("sum", "count"))[["code", "sum", "count"]].to_dict("records")
[{'code': 'a', 'sum': 6.0, 'count': 6.0}]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import shapely

from terraplan.errors import GeometryError, InputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["STATS", "zonal_panel", "zonal_stats"]

#: statistics zonal_stats can compute
STATS = ("sum", "mean", "min", "max", "count", "share_valid")

#: coverage below this is float noise from a boundary touching a cell edge
_TINY = 1e-9

#: GDAL block cache while reading (MB): blocks are read once, a cache only holds memory
_CACHE_MB = 64


def _segments(geometries: Sequence, width: float, height: float) -> tuple[np.ndarray, ...]:
    """Ring segments (u0, v0, u1, v1, zone) of CCW-oriented polygons clipped near the grid."""
    geoms = np.asarray(shapely.make_valid(np.asarray(geometries, dtype=object)), dtype=object)
    if np.isfinite(width):
        geoms = shapely.clip_by_rect(geoms, -1.0, -1.0, width + 1.0, height + 1.0)
    parts, zone = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, zone = parts[polygonal], zone[polygonal]
    parts = shapely.orient_polygons(parts, exterior_cw=False)
    rings, owner = shapely.get_rings(parts, return_index=True)
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    start = np.flatnonzero(same)
    u0, v0 = coords[start, 0], coords[start, 1]
    u1, v1 = coords[start + 1, 0], coords[start + 1, 1]
    zones = zone[owner[ring[start]]]
    return u0, v0, u1, v1, zones


def _crossings(lo: np.ndarray, hi: np.ndarray, a0: np.ndarray, da: np.ndarray):
    """Segment index and parameter t of every integer strictly between lo and hi."""
    first = np.floor(lo) + 1
    count = np.maximum(np.ceil(hi) - first, 0).astype(np.int64)
    seg = np.repeat(np.arange(len(lo)), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    k = first[seg] + offset
    return seg, (k - a0[seg]) / da[seg]


def _pieces(u0, v0, u1, v1, *, split_columns: bool) -> tuple[np.ndarray, ...]:
    """Cut segments at integer rows (and columns) -> piece endpoints and owning segment."""
    du, dv = u1 - u0, v1 - v0
    n = len(u0)
    seg_parts = [np.arange(n), np.arange(n)]
    t_parts = [np.zeros(n), np.ones(n)]
    moving = dv != 0
    s, t = _crossings(np.minimum(v0, v1)[moving], np.maximum(v0, v1)[moving], v0[moving],
                      dv[moving])  # fmt: skip
    seg_parts.append(np.flatnonzero(moving)[s])
    t_parts.append(t)
    if split_columns:
        moving = du != 0
        s, t = _crossings(
            np.minimum(u0, u1)[moving], np.maximum(u0, u1)[moving], u0[moving], du[moving]
        )
        seg_parts.append(np.flatnonzero(moving)[s])
        t_parts.append(t)
    seg = np.concatenate(seg_parts)
    t = np.concatenate(t_parts)
    order = np.lexsort((t, seg))
    seg, t = seg[order], t[order]
    keep = seg[1:] == seg[:-1]
    owner = seg[:-1][keep]
    ta, tb = t[:-1][keep], t[1:][keep]
    ua, ub = u0[owner] + ta * du[owner], u0[owner] + tb * du[owner]
    va, vb = v0[owner] + ta * dv[owner], v0[owner] + tb * dv[owner]
    return ua, va, ub, vb, owner


def _polygon_cells(
    geometries: Sequence, width: int, height: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Boundary cells (with exact coverage) and runs of full cells of polygons on a grid.

    ``geometries`` are (multi)polygons in pixel coordinates (``u`` = column, ``v`` = row, cell
    ``(r, c)`` is the unit square with corner ``(c, r)``); zone ``i`` is ``geometries[i]``.
    Returns ``cells`` (``zone, row, col, coverage`` with ``0 < coverage <= 1``) and ``runs``
    (``zone, row, start, end``: cells ``start <= col < end`` of ``row`` wholly inside), both
    sorted by row, clipped to the ``width x height`` grid. Overlapping zones are allowed.
    """
    u0, v0, u1, v1, zones = _segments(geometries, width, height)
    ua, va, ub, vb, owner = _pieces(u0, v0, u1, v1, split_columns=True)
    dv = vb - va
    row = np.floor((va + vb) / 2).astype(np.int64)
    col = np.floor((ua + ub) / 2).astype(np.int64)
    zone = zones[owner]
    use = (row >= 0) & (row < height) & (col < width)
    dv, row, col, zone = dv[use], row[use], np.maximum(col[use], -1), zone[use]
    partial = -dv * (col + 1 - (ua[use] + ub[use]) / 2)
    key = (zone * height + row) * (width + 1) + (col + 1)
    unique, inverse = np.unique(key, return_inverse=True)
    if len(unique) == 0:
        empty = np.zeros(0, dtype=np.int64)
        cells = pd.DataFrame({"zone": empty, "row": empty, "col": empty, "coverage": empty * 0.0})
        return cells, pd.DataFrame({"zone": empty, "row": empty, "start": empty, "end": empty})
    partial = np.bincount(inverse, weights=partial, minlength=len(unique))
    full = np.bincount(inverse, weights=-dv, minlength=len(unique))
    col = unique % (width + 1) - 1
    line = unique // (width + 1)
    zone, row = line // height, line % height
    new_line = np.r_[True, line[1:] != line[:-1]]
    inclusive = np.cumsum(full)
    base = (inclusive - full)[new_line]
    after = inclusive - np.repeat(base, np.diff(np.r_[np.flatnonzero(new_line), len(line)]))
    before = after - full
    coverage = np.clip(partial + before, 0.0, 1.0)
    has_next = np.r_[~new_line[1:], False]
    nxt = np.where(has_next, np.r_[col[1:], width], width)
    start, end = np.maximum(col + 1, 0), np.minimum(nxt, width)
    inside = (after > 0.5) & (end > start)
    cell = (col >= 0) & (coverage > _TINY)
    cells = pd.DataFrame(
        {"zone": zone[cell], "row": row[cell], "col": col[cell], "coverage": coverage[cell]}
    )
    runs = pd.DataFrame(
        {"zone": zone[inside], "row": row[inside], "start": start[inside], "end": end[inside]}
    )
    cells = cells.sort_values(["row", "col", "zone"], kind="stable", ignore_index=True)
    runs = runs.sort_values(["row", "start", "zone"], kind="stable", ignore_index=True)
    return cells, runs


def _row_band_areas(geometries: Sequence, rows: int | None = None) -> pd.DataFrame:
    """Area (in cell units) of each polygon inside each row band ``r <= v < r + 1``.

    Multiplied by the true area of a cell of that row, this gives a polygon's area on a grid
    whose cells differ by row (a raster in longitude/latitude). Returns ``zone, row, area``.

    >>> from shapely.geometry import box
    >>> _row_band_areas([box(0, 0.5, 3, 2)]).to_dict("records")
    [{'zone': 0, 'row': 0, 'area': 1.5}, {'zone': 0, 'row': 1, 'area': 3.0}]
    """
    u0, v0, u1, v1, zones = _segments(geometries, np.inf, np.inf)
    ua, va, ub, vb, owner = _pieces(u0, v0, u1, v1, split_columns=False)
    dv = vb - va
    row = np.floor((va + vb) / 2).astype(np.int64)
    zone = zones[owner]
    frame = pd.DataFrame({"zone": zone, "row": row, "area": dv * (ua + ub) / 2})
    out = frame.groupby(["zone", "row"], as_index=False, sort=True)["area"].sum()
    return out[out["area"].abs() > _TINY].reset_index(drop=True)


def _row_areas_km2(crs, transform, rows: np.ndarray) -> np.ndarray:
    """True area (km²) of one cell in each of ``rows`` of a north-up raster.

    Longitude/latitude rasters: the exact area of the cell on the CRS's ellipsoid (cells shrink
    towards the pole); projected rasters: the planar cell area in the CRS's units.

    >>> from affine import Affine
    >>> round(float(_row_areas_km2("EPSG:4326", Affine(1, 0, 0, 0, -1, 1), np.array([0]))[0]))
    12308
    """
    from pyproj import CRS

    proj = CRS.from_user_input(crs)
    rows = np.asarray(rows, dtype=float)
    if proj.is_geographic:
        ellipsoid = proj.ellipsoid
        a, b = ellipsoid.semi_major_metre, ellipsoid.semi_minor_metre
        ecc = np.sqrt(max(1.0 - (b / a) ** 2, 0.0))

        def band(lat: np.ndarray) -> np.ndarray:
            s = np.sin(np.radians(np.clip(lat, -90.0, 90.0)))
            if ecc == 0:
                return a * a * s
            es = ecc * s
            return b * b / 2 * (s / (1 - es * es) + np.log((1 + es) / (1 - es)) / (2 * ecc))

        top = transform.f + transform.e * rows
        width = np.radians(abs(transform.a))
        return width * np.abs(band(top) - band(top + transform.e)) / 1e6
    factor = proj.axis_info[0].unit_conversion_factor if proj.axis_info else 1.0
    return np.full(rows.shape, abs(transform.a * transform.e) * factor**2 / 1e6)


def _zones(layout, resolution: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if isinstance(layout, str):
        from terraplan.territory.boundaries import boundaries

        return boundaries(layout=layout, resolution=resolution)
    if not isinstance(layout, gpd.GeoDataFrame):
        raise InputError(
            f"zones must be a layout id (e.g. 'KZ-2022') or a GeoDataFrame with a 'code' column, "
            f"got {type(layout).__name__}"
        )
    problems = []
    if "code" not in layout.columns:
        problems.append("it has no 'code' column (one unique key per zone)")
    elif layout["code"].duplicated().any():
        problems.append(f"codes repeat: {sorted(layout.loc[layout['code'].duplicated(), 'code'])}")
    if layout.crs is None:
        problems.append("it has no CRS; set one with zones.set_crs(...)")
    kinds = shapely.get_type_id(layout.geometry.to_numpy())
    bad = ~np.isin(kinds, (3, 6)) | layout.geometry.is_empty.to_numpy()
    if bad.any():
        problems.append(f"{int(bad.sum())} zone(s) are not (multi)polygons or are empty")
    if problems:
        raise GeometryError("the zones GeoDataFrame cannot be used: " + "; ".join(problems))
    return layout


def _mask_reader(src, band: int):
    """Function returning the valid-cell mask of a window (None when every cell is valid)."""
    from rasterio.enums import MaskFlags

    nodata = src.nodatavals[band - 1]
    floating = np.issubdtype(np.dtype(src.dtypes[band - 1]), np.floating)
    flags = src.mask_flag_enums[band - 1]
    own_mask = MaskFlags.per_dataset in flags or MaskFlags.alpha in flags

    def valid(data: np.ndarray, window) -> np.ndarray | None:
        mask = None
        if nodata is not None and not np.isnan(nodata):
            mask = data != nodata
        if floating:
            finite = np.isfinite(data)
            mask = finite if mask is None else np.logical_and(mask, finite, out=mask)
        if own_mask:
            inside = src.read_masks(band, window=window) > 0
            mask = inside if mask is None else np.logical_and(mask, inside, out=mask)
        return None if mask is None or mask.all() else mask

    return valid


class _Totals:
    """Per-zone accumulators of the coverage-weighted sums."""

    def __init__(self, zones: int) -> None:
        self.n = np.zeros(zones)  # covered valid cells
        self.s = np.zeros(zones)  # sum of value x coverage
        self.sa = np.zeros(zones)  # sum of value x coverage x cell area (km²)
        self.na = np.zeros(zones)  # covered valid area (km²)
        self.low = np.full(zones, np.inf)
        self.high = np.full(zones, -np.inf)

    def add(self, zone, weight, total, area, low=None, high=None) -> None:
        size = len(self.n)
        self.n += np.bincount(zone, weights=weight, minlength=size)
        self.s += np.bincount(zone, weights=total, minlength=size)
        self.sa += np.bincount(zone, weights=total * area, minlength=size)
        self.na += np.bincount(zone, weights=weight * area, minlength=size)
        if low is not None:
            np.minimum.at(self.low, zone, low)
            np.maximum.at(self.high, zone, high)


def _read_strips(src, band: int, rows: tuple[int, int], cols: tuple[int, int], max_cells: int):
    """Yield (top, bottom, values, window) strips of whole block rows, each read once.

    GDAL's block cache is kept small while reading: every block is read exactly once, so a
    cache would only hold memory (by default up to 5 % of the machine's RAM).
    """
    import rasterio
    from rasterio.windows import Window

    width = cols[1] - cols[0]
    block = src.block_shapes[band - 1][0]
    height = max(block, (max_cells // max(width, 1)) // block * block)
    height = min(height, rows[1] - rows[0] + block)
    raw = np.empty(height * width, src.dtypes[band - 1])
    with rasterio.Env(GDAL_CACHEMAX=_CACHE_MB):
        for first in range(rows[0] // block * block, rows[1], height):
            top, bottom = max(first, rows[0]), min(first + height, rows[1])
            window = Window(cols[0], top, width, bottom - top)
            data = raw[: (bottom - top) * width].reshape(bottom - top, width)
            src.read(band, window=window, out=data)
            yield top, bottom, data, window


def _accumulate(src, band, cells, runs, row_area, zones, extremes, max_cells) -> _Totals:
    totals = _Totals(zones)
    if cells.empty and runs.empty:
        return totals
    all_rows = np.concatenate([cells["row"].to_numpy(), runs["row"].to_numpy()])
    rows = (int(all_rows.min()), int(all_rows.max()) + 1)
    c_lo = int(np.concatenate([cells["col"].to_numpy(), runs["start"].to_numpy()]).min())
    c_hi = int(np.concatenate([cells["col"].to_numpy() + 1, runs["end"].to_numpy()]).max())
    width = c_hi - c_lo
    valid_of = _mask_reader(src, band)
    run_row, run_zone = runs["row"].to_numpy(), runs["zone"].to_numpy()
    run_start, run_end = runs["start"].to_numpy() - c_lo, runs["end"].to_numpy() - c_lo
    cell_row, cell_zone = cells["row"].to_numpy(), cells["zone"].to_numpy()
    cell_col, cover = cells["col"].to_numpy() - c_lo, cells["coverage"].to_numpy()
    wide = np.empty(0)
    for top, bottom, data, window in _read_strips(src, band, rows, (c_lo, c_hi), max_cells):
        size = data.size
        if wide.size < size + 1:
            wide = np.empty(size + 1)
        valid = valid_of(data, window)
        i0, i1 = np.searchsorted(run_row, [top, bottom])
        if i1 > i0:
            base = (run_row[i0:i1] - top) * width
            index = np.empty(2 * (i1 - i0), dtype=np.int64)
            index[0::2], index[1::2] = base + run_start[i0:i1], base + run_end[i0:i1]
            flat = wide[: size + 1]
            np.copyto(flat[:size], data.ravel())
            flat[size] = 0.0
            if valid is None:
                count = (run_end[i0:i1] - run_start[i0:i1]).astype(float)
            else:
                np.copyto(flat[:size], 0.0, where=~valid.ravel())
            total = np.add.reduceat(flat, index)[0::2]
            if valid is not None:
                np.copyto(flat[:size], valid.ravel())
                count = np.add.reduceat(flat, index)[0::2]
            low = high = None
            if extremes:
                low, high = _run_extremes(data, valid, flat, index)
            area = row_area[run_row[i0:i1]]
            totals.add(run_zone[i0:i1], count, total, area, low, high)
        j0, j1 = np.searchsorted(cell_row, [top, bottom])
        if j1 > j0:
            r, c = cell_row[j0:j1] - top, cell_col[j0:j1]
            value = data[r, c].astype(float)
            ok = np.ones(len(r), bool) if valid is None else valid[r, c]
            weight = cover[j0:j1] * ok
            value = np.where(ok, value, 0.0)
            low = np.where(ok, value, np.inf) if extremes else None
            high = np.where(ok, value, -np.inf) if extremes else None
            area = row_area[cell_row[j0:j1]]
            totals.add(cell_zone[j0:j1], weight, weight * value, area, low, high)
    return totals


def _run_extremes(data, valid, flat, index):
    size = data.size
    out = []
    for fill, reduce in ((np.inf, np.minimum), (-np.inf, np.maximum)):
        np.copyto(flat[:size], data.ravel())
        if valid is not None:
            np.copyto(flat[:size], fill, where=~valid.ravel())
        flat[size] = fill
        out.append(reduce.reduceat(flat, index)[0::2])
    return out


def _zone_areas_km2(pixels, crs, transform, geographic: bool) -> np.ndarray:
    """True area of each zone (km²), measured the way the cells are (row by row)."""
    if not geographic:
        return shapely.area(pixels) * _row_areas_km2(crs, transform, np.zeros(1))[0]
    bands = _row_band_areas(pixels)
    weighted = bands["area"].to_numpy() * _row_areas_km2(crs, transform, bands["row"].to_numpy())
    return np.bincount(bands["zone"].to_numpy(), weights=weighted, minlength=len(pixels))


def _open(raster):
    import contextlib

    import rasterio
    from rasterio.errors import RasterioIOError

    if hasattr(raster, "read") and hasattr(raster, "transform"):
        return contextlib.nullcontext(raster)
    try:
        return rasterio.open(os.fspath(raster))
    except RasterioIOError as exc:
        raise InputError(f"cannot open the raster {os.fspath(raster)!r}: {exc}") from None


def zonal_stats(
    raster,
    layout: str | gpd.GeoDataFrame = "KZ-2022",
    stats: Sequence[str] = STATS,
    *,
    kind: Literal["count", "density"] = "count",
    band: int = 1,
    per_capita: bool = False,
    year: int | None = None,
    resolution: str = "full",
    max_cells: int = 8_000_000,
) -> pd.DataFrame:
    """Summarize a raster per region (or per zone of any GeoDataFrame with a ``code`` column).

    Every cell counts with the exact fraction of its area inside the zone (``coverage``);
    cells that are nodata (or NaN, or masked) are skipped. Zones are reprojected to the
    raster's CRS. The raster is read once, in strips of whole blocks of at most ``max_cells``
    cells, so memory stays bounded (about 14 bytes per cell of a float32 strip) for any raster
    size.

    Statistics (one column each):

    * ``sum``: for ``kind="count"`` (a count per cell, e.g. population) the sum of
      value x coverage; for ``kind="density"`` (a quantity per km²) the sum of value x coverage
      x true cell area in km², i.e. the total. NaN where the zone has no valid cell.
    * ``mean``: the area-weighted mean (coverage x true cell area; in longitude/latitude cells
      shrink towards the pole).
    * ``min``, ``max``: over the valid cells the zone touches.
    * ``count``: valid cells covered (fractional).
    * ``share_valid``: valid covered area / area of the zone; below 1 where the zone has
      nodata or lies partly outside the raster.

    ``per_capita=True`` adds ``population`` (bundled average population of ``year``, on the
    zones' layout) and ``sum_per_capita``; the zones must be registry units.

    Parameters
    ----------
    raster : path or open rasterio dataset
    layout : layout id (``"KZ-2022"``, ``"KZ-2018"``, ``"KZ-1997"``) or a GeoDataFrame of zones
        with a unique ``code`` column and a CRS.
    stats : names from :data:`STATS`.
    kind : ``"count"`` or ``"density"`` (values per km²).
    band : band number (1-based).
    resolution : boundary resolution when ``layout`` is an id (``"full"`` or ``"simplified"``).
    max_cells : cells per read strip (memory bound).

    Returns a DataFrame sorted by ``code`` with ``attrs`` (method, raster, crs, kind, band,
    layout).

    A density of 2 per km² on 1 km cells, zone 1.5 km x 2 km (half a cell on one side):

    >>> import numpy as np, rasterio, tempfile, os, geopandas as gpd
    >>> from affine import Affine
    >>> from shapely.geometry import box
    >>> path = os.path.join(tempfile.mkdtemp(), "density.tif")
    >>> with rasterio.open(path, "w", driver="GTiff", width=3, height=3, count=1, dtype="float32",
    ...                    crs="EPSG:32642", transform=Affine(1000, 0, 0, 0, -1000, 3000)) as dst:
    ...     dst.write(np.full((1, 3, 3), 2.0, dtype="float32"))
    >>> zone = gpd.GeoDataFrame({"code": ["z"]}, geometry=[box(0, 0, 1500, 2000)], crs=32642)
    >>> out = zonal_stats(path, zone, ("sum", "count"), kind="density")
    >>> out[["sum", "count"]].to_dict("records")
    [{'sum': 6.0, 'count': 3.0}]
    """
    wanted = list(dict.fromkeys([stats] if isinstance(stats, str) else stats))
    unknown = [s for s in wanted if s not in STATS]
    if unknown or not wanted:
        raise InputError(f"unknown statistic(s) {unknown}; choose from {', '.join(STATS)}")
    if kind not in ("count", "density"):
        raise InputError(f"kind must be 'count' or 'density', got {kind!r}")
    if per_capita and year is None:
        raise InputError("per_capita=True needs the population year: year=2023")
    zones = _zones(layout, resolution)
    with _open(raster) as src:
        totals, areas = _compute(src, zones, band, {"min", "max"} & set(wanted), max_cells)
        crs, name = src.crs.to_string(), os.path.basename(str(src.name))
    covered = totals.n > 0
    values = {
        "sum": np.where(covered, totals.sa if kind == "density" else totals.s, np.nan),
        "mean": np.where(totals.na > 0, totals.sa / np.where(totals.na > 0, totals.na, 1), np.nan),
        "min": np.where(np.isfinite(totals.low), totals.low, np.nan),
        "max": np.where(np.isfinite(totals.high), totals.high, np.nan),
        "count": totals.n,
        "share_valid": np.clip(totals.na / np.where(areas > 0, areas, np.nan), 0.0, 1.0),
    }
    out = pd.DataFrame({"code": zones["code"].astype(str).to_numpy()})
    if "name_en" in zones.columns:
        out["name_en"] = zones["name_en"].to_numpy()
    for stat in wanted:
        out[stat] = values[stat]
    if per_capita:
        population = _population(out["code"], int(year))
        out["population"] = population
        out["sum_per_capita"] = values["sum"] / population
    out = out.sort_values("code", ignore_index=True)
    out.attrs = {
        "method": "zonal statistics, exact cell coverage (terraplan)",
        "raster": name,
        "crs": crs,
        "kind": kind,
        "band": band,
        "layout": layout if isinstance(layout, str) else "custom zones",
        "stats": wanted,
        "year": year,
    }
    return out


def _compute(src, zones, band: int, extremes, max_cells: int):
    from pyproj import CRS

    transform = src.transform
    if transform.b != 0 or transform.d != 0:
        raise GeometryError(
            f"{src.name}: the raster is rotated or sheared; warp it to a north-up grid first "
            "(gdalwarp)"
        )
    if src.crs is None:
        raise GeometryError(f"{src.name}: the raster has no CRS; assign one (gdal_edit -a_srs)")
    if not 1 <= band <= src.count:
        raise InputError(f"{src.name}: band {band} does not exist (the raster has {src.count})")
    geographic = CRS.from_user_input(src.crs).is_geographic
    geoms = zones.to_crs(src.crs).geometry.to_numpy()
    a, c, e, f = transform.a, transform.c, transform.e, transform.f
    pixels = shapely.transform(
        geoms, lambda xy: np.column_stack(((xy[:, 0] - c) / a, (xy[:, 1] - f) / e))
    )
    cells, runs = _polygon_cells(pixels, src.width, src.height)
    row_area = _row_areas_km2(src.crs, transform, np.arange(src.height))
    totals = _accumulate(src, band, cells, runs, row_area, len(zones), bool(extremes), max_cells)
    return totals, _zone_areas_km2(pixels, src.crs, transform, geographic)


def _population(codes: pd.Series, year: int) -> np.ndarray:
    from terraplan.data.harmonize import harmonize
    from terraplan.datasets import kazakhstan
    from terraplan.territory.registry import LAYOUTS

    bundled = kazakhstan.panel(["population"], years=[year])
    if bundled.empty:
        raise InputError(f"no bundled population for {year}; choose a year the data cover")
    frames = [harmonize(bundled, to=layout) for layout in LAYOUTS]
    table = pd.concat(frames).drop_duplicates("region").set_index("region")["value"]
    missing = sorted(set(codes) - set(table.index))
    if missing:
        raise InputError(
            f"no bundled population for the zone(s) {missing}; per_capita needs registry codes"
        )
    return table.reindex(codes).to_numpy(float)


def zonal_panel(
    result: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    unit: str = "",
    stat: str = "sum",
    partial_below: float = 0.999,
) -> pd.DataFrame:
    """A zonal_stats result as a tidy panel indicator, for maps, profiles and the analysis.

    One row per zone: ``region`` (the zone code), ``year``, ``indicator``, ``sector="TOTAL"``,
    ``value`` (the chosen statistic), ``unit``, ``flag``. Where ``share_valid`` is known and below
    ``partial_below`` (nodata, or the raster covers only part of the zone) the flag is
    ``missing:partial_raster``.

    >>> res = pd.DataFrame({"code": ["KZ-71", "KZ-75"], "sum": [5.0, 7.0],
    ...                     "share_valid": [1.0, 0.5]})
    >>> zonal_panel(res, "lights", 2023, unit="nW")[["region", "value", "flag"]].to_dict("records")
    [{'region': 'KZ-71', 'value': 5.0, 'flag': ''}, {'region': 'KZ-75', 'value': 7.0, 'flag': 'missing:partial_raster'}]
    """  # noqa: E501
    from terraplan.data.panel import validate_panel

    if stat not in result.columns:
        raise InputError(f"the result has no column {stat!r}; it has {list(result.columns)}")
    flag = pd.Series("", index=result.index)
    if "share_valid" in result.columns:
        flag = flag.mask(result["share_valid"].fillna(0) < partial_below, "missing:partial_raster")
    panel = pd.DataFrame(
        {
            "region": result["code"].astype(str),
            "year": int(year),
            "indicator": indicator,
            "sector": "TOTAL",
            "value": result[stat].astype(float),
            "unit": unit,
            "flag": flag,
        }
    )
    out = validate_panel(panel, name="zonal result").reset_index(drop=True)
    out.attrs = {**result.attrs, "indicator": indicator, "unit": unit, "stat": stat}
    return out
