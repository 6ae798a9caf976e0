"""Benchmark: zonal sum, mean and count of the 20 regions over a 200-million-cell raster.

terraplan's ``zonal_stats`` against rasterstats and exactextract on the same tiled, compressed
float32 GeoTIFF (10,000 x 20,000 cells over Kazakhstan in EPSG:4326, written once to a temp
folder and reused). Each tool runs in its own process, so its peak memory (max RSS) is its own;
"after setup" subtracts the RSS once the libraries and polygons are loaded.

Run by hand (the machine may be shared: be nice)::

    nice python benchmarks/bench_zonal.py                  # 10,000 x 20,000
    nice python benchmarks/bench_zonal.py --rows 5000 --cols 10000
    nice python benchmarks/bench_zonal.py --tools terraplan exactextract

The raster's values are a smooth field plus integer noise, with nodata (-9999) in a band of
rows, so nodata handling is on the measured path. It is synthetic: no figure of it means
anything about Kazakhstan.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BOUNDS = (46.0, 40.0, 88.0, 56.0)  # west, south, east, north: Kazakhstan and a margin
TOOLS = ("terraplan", "exactextract", "exactextract-raster-sequential", "rasterstats")


def make_raster(path: Path, rows: int, cols: int) -> None:
    """Write the test raster strip by strip (bounded memory), unless it already exists."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_bounds
    from rasterio.windows import Window

    if path.exists():
        return
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": from_bounds(*BOUNDS, cols, rows),
        "nodata": -9999.0,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
    }
    rng = np.random.default_rng(0)
    tmp = path.with_suffix(".part.tif")
    with rasterio.open(tmp, "w", **profile) as dst:
        for top in range(0, rows, 512):
            height = min(512, rows - top)
            y = np.arange(top, top + height, dtype=np.float32)[:, None] / rows
            x = np.arange(cols, dtype=np.float32)[None, :] / cols
            values = (100 * (1 + np.sin(12 * x) * np.cos(7 * y))).astype(np.float32)
            values += rng.integers(0, 8, size=values.shape).astype(np.float32)
            values[(y[:, 0] > 0.40) & (y[:, 0] < 0.41)] = -9999.0
            dst.write(values, 1, window=Window(0, top, cols, height))
    tmp.rename(path)


def run_tool(tool: str, raster: str) -> dict:
    """Run one tool in this process; return time and memory."""
    import resource

    from terraplan.territory.boundaries import boundaries

    zones = boundaries()  # KZ-2022, full resolution, EPSG:4326 like the raster

    def rss_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if tool == "terraplan":
        from terraplan.analysis.zonal import zonal_stats

        base = rss_mib()
        start = time.perf_counter()
        out = zonal_stats(raster, zones, stats=("sum", "mean", "count"))
        sums = out.set_index("code")["sum"]
    elif tool.startswith("exactextract"):
        from exactextract import exact_extract

        strategy = "raster-sequential" if tool.endswith("sequential") else "feature-sequential"
        base = rss_mib()
        start = time.perf_counter()
        out = exact_extract(
            raster,
            zones,
            ["sum", "mean", "count"],
            include_cols=["code"],
            output="pandas",
            strategy=strategy,
        )
        sums = out.set_index("code")["sum"]
    elif tool == "rasterstats":
        from rasterstats import zonal_stats as rs_zonal_stats

        base = rss_mib()
        start = time.perf_counter()
        out = rs_zonal_stats(zones, raster, stats=["sum", "mean", "count"])
        sums = dict(zip(zones["code"], (row["sum"] for row in out), strict=True))
    else:
        raise SystemExit(f"unknown tool {tool}")
    seconds = time.perf_counter() - start
    peak = rss_mib()
    return {
        "tool": tool,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak),
        "after_setup_mib": round(peak - base),
        "sum_KZ-75": float(sums["KZ-75"]),
        "sum_KZ-35": float(sums["KZ-35"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cols", type=int, default=20_000)
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(), "terraplan-bench"))
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--raster", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_tool(args.run, args.raster)))
        return
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    raster = folder / f"bench_{args.rows}x{args.cols}.tif"
    start = time.perf_counter()
    make_raster(raster, args.rows, args.cols)
    print(f"raster {raster} ({args.rows:,} x {args.cols:,} cells, "
          f"{raster.stat().st_size / 2**20:.0f} MiB on disk, ready in "
          f"{time.perf_counter() - start:.1f} s)")  # fmt: skip
    print(f"{'tool':34} {'seconds':>8} {'peak RSS MiB':>13} {'after setup':>12} "
          f"{'sum Almaty city':>16} {'sum Karaganda':>16}")  # fmt: skip
    for tool in args.tools:
        done = subprocess.run(
            [sys.executable, __file__, "--run", tool, "--raster", str(raster)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        line = f"{r['tool']:34} {r['seconds']:8.2f} {r['peak_rss_mib']:13d} "
        line += f"{r['after_setup_mib']:12d} {r['sum_KZ-75']:16.1f} {r['sum_KZ-35']:16.1f}"
        print(line)


if __name__ == "__main__":
    main()
