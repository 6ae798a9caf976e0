"""Benchmark: region name matching, side by side with ``pandas.Series.map``.

Run by hand: ``python benchmarks/bench_matching.py`` (``--rows 200000`` for a quicker run).
Cases: 10,000 names (repeated spellings, a typo, all-unique strings) and one million repeated
names (the shape of a long table), where ``match_regions`` matches each distinct spelling
once and maps the results back; the floor it is compared with is ``Series.map`` of a dict that
already holds every answer. ``join`` calls ``match_regions`` once and inherits the figure.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from terraplan._resources import data_dir
from terraplan.territory.names import match_regions
from terraplan.territory.registry import regions


def _best(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
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

    current = regions("KZ-2022")
    spellings = list(current["name_en"]) + list(current["name_ru"]) + list(current.index)
    many = (spellings * (args.rows // len(spellings) + 1))[: args.rows]
    seconds, report = _best(lambda: match_regions(many), repeat=1)
    answers = dict(zip(spellings, match_regions(spellings).codes, strict=True))
    series = pd.Series(many, dtype=object)
    floor, _ = _best(lambda: series.map(answers))
    print(
        f"{args.rows:,} repeated names: match_regions {seconds:.3f} s, Series.map of a ready dict "
        f"{floor:.3f} s ({seconds / floor:.1f}x)   {report.summary()}"
    )


if __name__ == "__main__":
    main()
