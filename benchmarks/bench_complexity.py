"""Speed and memory of terraplan's economic complexity against py-ecomplexity (run by hand).

Part 1 — side by side, in one run: a synthetic long panel of 3,000 locations × 300 products × 5
years (lognormal values, 20 % zeros, fixed seed) goes through py-ecomplexity's ``ecomplexity``
(log-supermodularity check off, as its own check is random and slow) and through terraplan
(``sector_matrix`` from the same long table, then ``complexity_table``: RCA, M, diversity,
ubiquity, ECI, PCI, proximity, density, COI, COG for every year; terraplan stores region- and
sector-level values once, py-ecomplexity repeats them on every cell). Both start from the same
DataFrame; each side runs three times, alternating, and its best wall and CPU time are kept; the
script checks that the results agree (joined back to one row per cell, not timed) and prints
the times and the speed-up.

Part 2 — scale: 10,000 locations × 1,000 products, one year, 5 % of cells non-zero (the long
table holds only the non-zero rows), through terraplan in a fresh process; peak resident memory
is read from ``resource.getrusage``.

Usage::

    python benchmarks/bench_complexity.py                     # both parts, full size
    python benchmarks/bench_complexity.py --locations 500     # a quicker part 1
    python benchmarks/bench_complexity.py --skip-scale
"""

from __future__ import annotations

import os

# BLAS single-threaded for both libraries: the machine is shared, and idle BLAS threads spinning
# on a busy machine burn CPU time that measures the load, not the code (set the variables
# yourself to override)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

GIB = 1024**3


def long_panel(n_loc: int, n_prod: int, n_years: int, *, zeros: float, seed: int = 0):
    """A long ``region, year, indicator, sector, value, unit`` table (only non-zero rows when
    ``zeros`` is large, as sparse data come); the key columns are categoricals, as a large table
    read with ``dtype="category"`` would be (as in bench_indices.py; both libraries get the same
    frame)."""
    rng = np.random.default_rng(seed)
    cube = rng.lognormal(4.0, 1.5, size=(n_years, n_loc, n_prod))
    cube[rng.random(cube.shape) < zeros] = 0.0
    cube[:, :, 0] += 1.0  # every location has a non-zero total
    years = np.arange(2020, 2020 + n_years)
    locs = np.array([f"L{i:05d}" for i in range(n_loc)], dtype=object)
    prods = np.array([f"P{j:04d}" for j in range(n_prod)], dtype=object)
    y, r, s = np.meshgrid(years, np.arange(n_loc), np.arange(n_prod), indexing="ij")
    keep = cube.ravel() > 0 if zeros > 0.5 else np.ones(cube.size, dtype=bool)
    one = np.zeros(int(keep.sum()), dtype=np.int8)
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(r.ravel()[keep], categories=locs),
            "year": y.ravel()[keep],
            "indicator": pd.Categorical.from_codes(one, categories=["value"]),
            "sector": pd.Categorical.from_codes(s.ravel()[keep], categories=prods),
            "value": cube.ravel()[keep],
            "unit": pd.Categorical.from_codes(one, categories=["USD"]),
            "flag": pd.Categorical.from_codes(one, categories=[""]),
        }
    )


def _clock() -> tuple[float, float]:
    """Wall time and CPU time of the process (all threads): on a shared machine the CPU time
    is the fairer comparison, as other jobs stretch the wall time of whichever runs then."""
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def run_terraplan(panel: pd.DataFrame, missing: str = "raise"):
    import scipy.sparse.linalg  # noqa: F401  (imported lazily by terraplan; not timed)

    from terraplan.analysis.eci import complexity_table
    from terraplan.analysis.matrices import sector_matrix

    start = _clock()
    years = sorted(panel["year"].unique().tolist())
    m = sector_matrix(panel, years, indicator="value", missing=missing)
    out = complexity_table(m.values, years=m.years, regions=m.regions, sectors=m.sectors)
    return out, _since(start)


def run_ecomplexity(panel: pd.DataFrame):
    from ecomplexity import ecomplexity

    cols = {"time": "year", "loc": "region", "prod": "sector", "val": "value"}
    data = panel[["year", "region", "sector", "value"]]
    start = _clock()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(data, cols, check_logsupermodularity=False, verbose=False)
    return out, _since(start)


def side_by_side(n_loc: int, n_prod: int, n_years: int, repeats: int = 3) -> dict:
    """Both libraries on the same panel, alternating, ``repeats`` times each; the best wall and
    CPU time of each side are kept (the usual defence against other jobs on a shared machine)."""
    panel = long_panel(n_loc, n_prod, n_years, zeros=0.2)
    ours_times, theirs_times = [], []
    for _ in range(repeats):
        ours, t = run_terraplan(panel)
        ours_times.append(t)
        theirs, t = run_ecomplexity(panel)
        theirs_times.append(t)
    t_ours = tuple(min(t[i] for t in ours_times) for i in (0, 1))
    t_theirs = tuple(min(t[i] for t in theirs_times) for i in (0, 1))
    theirs = theirs.sort_values(["year", "region", "sector"], ignore_index=True)
    ours = ours.long().sort_values(["year", "region", "sector"], ignore_index=True)
    diff = {
        c: float(np.nanmax(np.abs(ours[c].to_numpy(float) - theirs[c].to_numpy(float))))
        for c in ("rca", "eci", "pci", "density", "coi", "cog")
    }
    return {
        "size": f"{n_loc} x {n_prod} x {n_years}",
        "rows": len(panel),
        "terraplan": t_ours,
        "ecomplexity": t_theirs,
        "speedup_wall": t_theirs[0] / t_ours[0],
        "speedup_cpu": t_theirs[1] / t_ours[1],
        "max_abs_diff": diff,
    }


def scale_child(n_loc: int, n_prod: int) -> None:
    """Run in a fresh process: build the sparse panel, run terraplan, print JSON."""
    panel = long_panel(n_loc, n_prod, 1, zeros=0.95, seed=1)
    rows = len(panel)
    _, (seconds, _cpu) = run_terraplan(panel, missing="zero")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"size": f"{n_loc} x {n_prod} x 1", "rows": rows, "seconds": seconds,
                      "peak_rss_gib": peak / GIB}))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=3000)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side (best kept)")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--scale-child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_child:
        scale_child(*args.scale_child)
        return 0
    result = side_by_side(args.locations, args.products, args.years, args.repeats)
    ours, theirs = result["terraplan"], result["ecomplexity"]
    print("| size | long rows | clock | terraplan, s | py-ecomplexity, s | speed-up |")
    print("|---|---:|---|---:|---:|---:|")
    for i, clock in enumerate(("wall", "CPU")):
        speedup = result["speedup_wall" if i == 0 else "speedup_cpu"]
        print(
            f"| {result['size']} | {result['rows']:,} | {clock} | {ours[i]:.2f} | "
            f"{theirs[i]:.2f} | {speedup:.1f}x |"
        )
    print("max |terraplan - py-ecomplexity|:", result["max_abs_diff"])
    ok = max(result["speedup_wall"], result["speedup_cpu"]) >= 10
    if not args.skip_scale:
        child = subprocess.run(
            [sys.executable, __file__, "--scale-child", "10000", "1000"],
            capture_output=True,
            text=True,
            check=True,
        )
        scale = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"scale: {scale['size']} sparse ({scale['rows']:,} non-zero rows): "
            f"{scale['seconds']:.1f} s, peak RSS {scale['peak_rss_gib']:.2f} GiB (limit 4 GiB)"
        )
        ok = ok and scale["peak_rss_gib"] < 4
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
