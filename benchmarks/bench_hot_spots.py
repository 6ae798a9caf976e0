"""Hot spots of issue 12 side by side with the peers (run by hand, not by the test suite).

* ``moran``: global Moran's I with 999 permutations on a 200 x 200 rook lattice (40,000 units,
  values a seeded smooth trend plus noise): terraplan's :func:`~terraplan.analysis.spatial.moran`
  beside esda's ``Moran`` with the same permutations.
* ``regionalize``: SKATER into 10 groups on the same lattice (two smooth features plus noise),
  the whole ``fit`` including the quality table, beside scikit-learn's exact
  ``silhouette_samples`` (what the quality table computed before) and ``silhouette_score`` with
  ``sample_size`` (its sampled estimate).
* ``sector_matrix``: 2,000 regions x 100 sectors x 5 years (1 million rows) of one indicator
  plus as many rows of another, keys as text and as categoricals, beside pandas' ``pivot_table``
  of the same cells.

Each step prints its wall time and, from a second run, its peak traced memory (tracemalloc sees
NumPy and pandas buffers). Run it once with this checkout's ``src`` on the path and once with an
older one to compare before and after.

Usage::

    nice python benchmarks/bench_hot_spots.py                    # all three
    python benchmarks/bench_hot_spots.py --only moran --side 100  # one, smaller
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

MIB = 2**20


def measure(name: str, func):
    """Run ``func`` twice: once for the wall time, once under tracemalloc for the peak memory
    (tracing slows Python-level allocation, so the two are not measured together)."""
    gc.collect()
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    result = func()
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    print(f"  {name:<58} {elapsed:7.2f} s   peak {peak:8.1f} MiB", flush=True)
    return result


def lattice(side: int):
    """Rook weights of a ``side`` x ``side`` lattice and a seeded trend-plus-noise field."""
    from libpysal.weights import lat2W

    w = lat2W(side, side, rook=True, id_type="string")
    rng = np.random.default_rng(0)
    r, c = np.divmod(np.arange(side * side), side)
    y = pd.Series(
        np.sin(3 * r / side) + np.cos(2 * c / side) + rng.normal(scale=0.5, size=side * side),
        index=w.id_order,
        name="field",
    )
    return w, y


def bench_moran(side: int) -> None:
    from esda.moran import Moran

    from terraplan.analysis.spatial import moran

    w, y = lattice(side)
    w.transform = "r"  # row-standardized, as spatial_weights() returns them
    print(f"moran: {side * side:,} units, 999 permutations, row-standardized weights")
    moran(y.iloc[:9], _small_w(), permutations=9)  # imports and caches outside the timing
    ours = measure("terraplan moran (alignment, esda statistic, permutations)", lambda: moran(y, w))

    def esda_moran():
        np.random.seed(0)
        return Moran(y.to_numpy(), w)

    theirs = measure("esda Moran(permutations=999)", esda_moran)
    print(
        f"  I = {ours['I'].iloc[0]:.6f} (esda {theirs.I:.6f}); p_sim {ours['p_sim'].iloc[0]:.4f} "
        f"(esda {theirs.p_sim:.4f})"
    )


def _small_w():
    from libpysal.weights import lat2W

    return lat2W(3, 3, rook=True, id_type="string")


def bench_regionalize(side: int) -> None:
    from sklearn.metrics import silhouette_samples, silhouette_score

    from terraplan.analysis.regionalize import SkaterRegionalizer

    w, y = lattice(side)
    r, c = np.divmod(np.arange(side * side), side)
    rng = np.random.default_rng(1)
    X = pd.DataFrame(
        {
            "a": y.to_numpy(),
            "b": np.cos(4 * (r - c) / side) + rng.normal(scale=0.3, size=side * side),
        },
        index=w.id_order,
    )
    print(f"regionalize: SKATER into 10 groups, {side * side:,} units")
    model = measure(
        "terraplan SkaterRegionalizer(10).fit (with quality table)",
        lambda: SkaterRegionalizer(10).fit(X, w),
    )
    print(f"  silhouette {model.summary_['silhouette'].iloc[0]:.4f} on: "
          f"{model.summary_.attrs.get('silhouette', 'all units (exact)')}")  # fmt: skip
    Z = ((X - X.mean()) / X.std(ddof=0)).to_numpy()
    labels = model.labels_.reindex(X.index).to_numpy()  # labels_ are in sorted-code order
    exact = measure(
        "scikit-learn silhouette_samples (exact, O(n^2))",
        lambda: silhouette_samples(Z, labels).mean(),
    )
    sampled = measure(
        "scikit-learn silhouette_score(sample_size=1000)",
        lambda: silhouette_score(Z, labels, sample_size=1000, random_state=0),
    )
    print(f"  exact silhouette {exact:.4f}; scikit-learn sampled {sampled:.4f}")


def text_panel(n_regions: int, n_sectors: int, n_years: int) -> pd.DataFrame:
    """Tidy panel with text keys: the indicator asked for and as many rows of another."""
    rng = np.random.default_rng(0)
    n = n_regions * n_sectors * n_years
    region = np.tile(np.repeat([f"R{i:05d}" for i in range(n_regions)], n_sectors), n_years)
    sector = np.tile([f"S{j:03d}" for j in range(n_sectors)], n_regions * n_years)
    year = np.repeat(np.arange(2019, 2019 + n_years), n_regions * n_sectors)
    one = pd.DataFrame(
        {
            "region": region.astype(object),
            "year": year,
            "indicator": "gva",
            "sector": sector.astype(object),
            "value": rng.lognormal(5.0, 1.5, n),
            "unit": "million KZT",
            "flag": "",
        }
    )
    return pd.concat([one, one.assign(indicator="employment")], ignore_index=True)


def bench_sector_matrix(n_regions: int) -> None:
    from terraplan.analysis.matrices import sector_matrix

    panel = text_panel(n_regions, 100, 5)
    keys = ["region", "indicator", "sector", "unit", "flag"]
    categorical = panel.astype({c: "category" for c in keys})
    years = list(range(2019, 2024))
    print(f"sector_matrix: {len(panel):,} rows ({len(panel) // 2:,} of the indicator)")
    sector_matrix(panel.iloc[:1000], years[:1], missing="drop", unmatched="drop")  # warm up
    measure("terraplan sector_matrix, text keys", lambda: sector_matrix(panel, years))
    measure("terraplan sector_matrix, categorical keys", lambda: sector_matrix(categorical, years))

    def pivot():
        rows = panel[panel["indicator"] == "gva"]
        return rows.pivot_table(
            index=["year", "region"], columns="sector", values="value", aggfunc="sum"
        )

    measure("pandas pivot_table of the same cells, text keys", pivot)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["moran", "regionalize", "sector_matrix"])
    parser.add_argument("--side", type=int, default=200, help="lattice side (units = side^2)")
    parser.add_argument("--regions", type=int, default=2000, help="regions of the panel")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.only in (None, "moran"):
        bench_moran(args.side)
    if args.only in (None, "regionalize"):
        bench_regionalize(args.side)
    if args.only in (None, "sector_matrix"):
        bench_sector_matrix(args.regions)


if __name__ == "__main__":
    main()
