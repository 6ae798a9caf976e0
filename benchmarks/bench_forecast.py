"""Benchmark of forecasting (run by hand, not by the test suite).

1. Speed: 20 regions + the nation × 30 indicators, 16 annual values each, forecast 4 years
   ahead with ``method="auto"`` (which runs a rolling-origin back-test of three methods per
   indicator), 2,000 simulated paths and MinT reconciliation. The series are synthetic: each
   region follows a random walk with its own drift on the log scale (seeded), and the nation is
   the sum of the regions plus a small discrepancy, so that there is something to reconcile.
   Target: under 10 s in all.
2. The back-test table on the bundled data: for every bundled indicator with regional totals
   (series on the 2022 borders, harmonized where the borders changed), MASE and the coverage of
   the 80 % and 95 % intervals at horizons 1-3, per method.

Usage::

    python benchmarks/bench_forecast.py            # both parts
    python benchmarks/bench_forecast.py --no-backtest
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from terraplan.analysis.forecast import backtest, forecast
from terraplan.datasets import kazakhstan
from terraplan.territory.registry import layout_regions


def synthetic_panel(n_indicators: int = 30, years: range = range(2010, 2026)) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    regions = layout_regions("KZ-2022")
    frames = []
    for k in range(n_indicators):
        drift = rng.normal(0.05, 0.03, len(regions))
        steps = drift[:, None] + rng.normal(0, 0.05, (len(regions), len(years)))
        level = np.exp(np.log(rng.uniform(100, 10_000, len(regions)))[:, None] + steps.cumsum(1))
        nation = level.sum(0) * (1 + rng.normal(0, 0.002, len(years)))
        values = np.vstack([nation, level])
        codes = ["KZ", *regions]
        frames.append(
            pd.DataFrame(
                {
                    "region": np.repeat(codes, len(years)),
                    "year": np.tile(list(years), len(codes)),
                    "indicator": f"x{k:02d}",
                    "value": values.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def speed() -> None:
    panel = synthetic_panel()
    forecast(panel, "x00", horizon=4, additive=True)  # warm-up: imports
    start, cpu = time.perf_counter(), time.process_time()
    gaps = []
    for indicator in sorted(panel["indicator"].unique()):
        fc = forecast(panel, indicator, horizon=4, additive=True)
        gaps.append(fc.coherence())
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"30 indicators x 21 series, auto method with back-test, 2,000 paths, MinT: "
        f"{elapsed:.2f} s wall, {cpu:.2f} s CPU (largest incoherence {max(gaps):.1e})"
    )


def bundled_backtest() -> None:
    panel = kazakhstan.panel(include_national=True)
    totals = panel[panel["sector"] == "TOTAL"]
    rows = []
    for indicator in sorted(totals["indicator"].unique()):
        try:
            bt = backtest(panel, indicator, harmonize=True)
        except Exception as err:  # a table without enough history is reported, not fatal
            print(f"{indicator}: {err}")
            continue
        rows.append(bt)
    table = pd.concat(rows, ignore_index=True)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.round(3).to_string(index=False))
        summary = table.groupby("method")[["mase", "coverage_80", "coverage_95"]].mean()
        print("\nmean over indicators and horizons:")
        print(summary.round(3).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-backtest", action="store_true")
    args = parser.parse_args()
    speed()
    if not args.no_backtest:
        bundled_backtest()


if __name__ == "__main__":
    main()
