"""Benchmark: match 10,000 region names (repeated spellings, typos, and all-unique strings).

Run by hand: ``python benchmarks/bench_matching.py``. Prints seconds per case.
"""

from __future__ import annotations

import time

import pandas as pd

from terraplan._resources import data_dir
from terraplan.territory.names import match_regions
from terraplan.territory.registry import regions


def main() -> None:
    reg = regions(None)
    aliases = pd.read_csv(data_dir() / "aliases.csv", dtype=str, keep_default_na=False)
    names = list(reg["name_en"]) + list(reg["name_ru"]) + list(aliases["alias"])
    cases = {
        "10,000 names (repeated spellings)": (names * 100)[:10_000],
        "10,000 names with a typo": [n[:-1] if len(n) > 6 else n for n in (names * 100)[:10_000]],
        "10,000 distinct strings": [f"{n} {i}" for i, n in enumerate((names * 100)[:10_000])],
    }
    match_regions(["warm up"])
    for label, values in cases.items():
        start = time.perf_counter()
        report = match_regions(values)
        elapsed = time.perf_counter() - start
        print(f"{label:38s} {elapsed:6.3f} s   {report.summary()}")


if __name__ == "__main__":
    main()
