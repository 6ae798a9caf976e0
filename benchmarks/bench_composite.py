"""Speed benchmark of the composite-index uncertainty analysis (run by hand, not by the tests).

Targets (issue 14): 10,000 Monte Carlo runs for 20 regions x 15 indicators in under 5 s, and
for 200 districts x 15 indicators in under 30 s. A synthetic panel (lognormal values from a
fixed seed, 3 pillars of 5 indicators, one year plus two earlier years for panel imputation,
5 % of the latest year's cells missing) goes through :func:`uncertainty` varying every choice:
imputation (none, mean, linear), normalisation (min-max, z-score, rank, goalposts), aggregation
(arithmetic, geometric, harmonic, Copeland), weights (±25 %) and leaving one indicator out.

The first call's imports (SciPy) are excluded by a small warm-up run; the Sobol indices come
with 90 % bootstrap intervals (100 resamples), as in ``terraplan index``.

Usage::

    python benchmarks/bench_composite.py                     # both sizes, 10,000 runs
    python benchmarks/bench_composite.py --units 20 --runs 1000
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from terraplan.analysis.composite.sensitivity import uncertainty
from terraplan.data.framework import framework_from_dict


def synthetic(n_units: int, n_ind: int = 15, seed: int = 0) -> tuple[object, pd.DataFrame]:
    """Framework of 3 pillars and a 3-year long panel with 5 % gaps in the last year."""
    rng = np.random.default_rng(seed)
    ids = [f"i{j:02d}" for j in range(n_ind)]
    pillars = [
        {
            "id": f"p{p}",
            "indicators": [
                {"id": i, "polarity": 1 if k % 4 else -1} for k, i in enumerate(ids[p::3])
            ],
        }
        for p in range(3)
    ]
    fw = framework_from_dict(
        {
            "id": "bench",
            "pillars": pillars,
            "uncertainty": {
                "imputation": ["none", "mean", "linear"],
                "normalisation": ["minmax", "zscore", "rank", "goalposts"],
                "aggregation": ["arithmetic", "geometric", "harmonic", "copeland"],
                "weights_perturbation": 0.25,
                "leave_one_out": True,
            },
        }
    )
    units = [f"U{u:04d}" for u in range(n_units)]
    frames = []
    for year in (2020, 2021, 2022):
        values = rng.lognormal(3, 0.6, size=(n_units, n_ind))
        if year == 2022:
            values[rng.random(values.shape) < 0.05] = np.nan
        frame = pd.DataFrame(values, index=units, columns=ids).stack().rename("value")
        frames.append(
            frame.reset_index().set_axis(["unit", "indicator", "value"], axis=1).assign(year=year)
        )
    return fw, pd.concat(frames, ignore_index=True).dropna()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="*", default=[20, 200])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    fw, panel = synthetic(10)
    uncertainty(fw, panel, year=2022, runs=50)  # warm-up: imports SciPy once, not timed
    for n in args.units:
        fw, panel = synthetic(n)
        start = time.perf_counter()
        u = uncertainty(fw, panel, year=2022, runs=args.runs, seed=0)
        elapsed = time.perf_counter() - start
        print(
            f"{n} units x 15 indicators: {u.runs} runs ({len(u.varied)} choices varied, "
            f"{u.base_samples} base samples) in {elapsed:.2f} s"
        )


if __name__ == "__main__":
    main()
