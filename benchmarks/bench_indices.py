"""Scale benchmark of the competitive-advantage engine (run by hand, not by the test suite).

A synthetic tidy panel of 5,000 regions × 500 sectors × 10 years (25 million rows, lognormal
values from a fixed seed) goes through every index and shift-share variant. The script prints
the wall time of each step, the total, the peak traced memory (tracemalloc, which sees NumPy
and pandas buffers) and the process's peak resident memory (``resource.getrusage``).

Usage::

    nice python benchmarks/bench_indices.py                 # full size
    python benchmarks/bench_indices.py --regions 500        # a quicker, smaller run
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from functools import partial

import numpy as np
import pandas as pd

from terraplan.analysis.advantages import advantages
from terraplan.analysis.matrices import sector_matrix
from terraplan.analysis.shiftshare import shift_share
from terraplan.analysis.specialization import (
    concentration_indices,
    location_quotient,
    specialization_indices,
)

GIB = 1024**3


def synthetic_panel(n_regions: int, n_sectors: int, n_years: int, seed: int = 0) -> pd.DataFrame:
    """Tidy panel with categorical keys (as a large panel read with dtype='category' would be)."""
    rng = np.random.default_rng(seed)
    n = n_regions * n_sectors * n_years
    region_codes = np.tile(np.repeat(np.arange(n_regions, dtype=np.int32), n_sectors), n_years)
    sector_codes = np.tile(np.arange(n_sectors, dtype=np.int32), n_regions * n_years)
    one = np.zeros(n, dtype=np.int8)
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(
                region_codes, categories=[f"R{i:05d}" for i in range(n_regions)]
            ),
            "year": np.repeat(
                np.arange(2014, 2014 + n_years, dtype=np.int64), n_regions * n_sectors
            ),
            "indicator": pd.Categorical.from_codes(one, categories=["gva"]),
            "sector": pd.Categorical.from_codes(
                sector_codes, categories=[f"S{j:03d}" for j in range(n_sectors)]
            ),
            "value": rng.lognormal(mean=5.0, sigma=1.5, size=n),
            "unit": pd.Categorical.from_codes(one, categories=["million KZT"]),
            "flag": pd.Categorical.from_codes(one, categories=[""]),
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=5000)
    parser.add_argument("--sectors", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)

    panel = synthetic_panel(args.regions, args.sectors, args.years)
    years = sorted(int(y) for y in pd.unique(panel["year"]))
    first, last = years[0], years[-1]
    print(
        f"synthetic panel: {args.regions} regions x {args.sectors} sectors x {args.years} years "
        f"= {len(panel):,} rows ({panel.memory_usage(deep=True).sum() / GIB:.2f} GiB)"
    )
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    peaks: dict[str, float] = {}

    def run(name, func):
        tracemalloc.reset_peak()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        timings[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - start_cpu
        peaks[name] = (tracemalloc.get_traced_memory()[1] - baseline) / GIB
        print(
            f"  {name:<42} {timings[name]:6.2f} s wall {cpu[name]:6.2f} s CPU   "
            f"peak {peaks[name]:5.2f} GiB",
            flush=True,
        )
        return result

    matrix = run("panel -> matrix (sector_matrix)", partial(sector_matrix, panel, years))
    del panel
    gc.collect()
    for name, func in (
        ("location quotients (+ log, symmetric)", lambda: location_quotient(matrix, years)),
        (
            "  the same + reliability (se, CI, z)",
            lambda: location_quotient(matrix, years, reliability=True),
        ),
        ("specialization indices (6)", lambda: specialization_indices(matrix, years)),
        ("concentration indices (5)", lambda: concentration_indices(matrix, years)),
        ("shift-share classic", lambda: shift_share(matrix, year=last, base_year=first)),
        (
            "shift-share Esteban-Marquillas",
            lambda: shift_share(matrix, year=last, base_year=first, method="esteban-marquillas"),
        ),
        (
            "shift-share dynamic (summed)",
            lambda: shift_share(matrix, year=last, base_year=first, dynamic=True),
        ),
    ):
        result = run(name, func)
        del result
        gc.collect()
    build = "panel -> matrix (sector_matrix)"
    # the total counts the LQ once, with its reliability columns (a superset of the plain run)
    skip = {build, "location quotients (+ log, symmetric)"}
    wall = sum(t for k, t in timings.items() if k not in skip)
    used = sum(t for k, t in cpu.items() if k not in skip)
    adv = run(
        "advantages table (all regions)", lambda: advantages(matrix, year=last, base_year=first)
    )
    rows = len(adv)
    del adv
    overall_peak = max(peaks.values())
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_gib = rss / GIB if sys.platform == "darwin" else rss * 1024 / GIB
    print(f"all indices + shift-share on the matrix: {wall:.2f} s wall, {used:.2f} s CPU")
    print(
        f"including panel -> matrix:           {wall + timings[build]:.2f} s wall, "
        f"{used + cpu[build]:.2f} s CPU"
    )
    print(f"advantages table ({rows:,} rows): see its line above")
    print(f"peak traced memory above the input panel: {overall_peak:.2f} GiB")
    print(f"peak resident memory of the process (incl. the panel): {rss_gib:.2f} GiB")


if __name__ == "__main__":
    main()
