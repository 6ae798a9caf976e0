"""Benchmark: match 100,000 district names (repeated spellings, typos; with and without parents).

Run by hand: ``python benchmarks/bench_district_matching.py``. Prints seconds per case; the
target is under 1 s for each 100,000-name case.
"""

from __future__ import annotations

import time

import numpy as np

from terraplan.data.districts import _population
from terraplan.territory.district_names import match_districts
from terraplan.territory.districts import districts


def spellings() -> tuple[list[str], list[str]]:
    """Every district in five spellings (en, ru, ru + "район"/"г.", kk + "ауданы", KATO)."""
    table = districts()
    names, parents = [], []
    for code, row in table.iterrows():
        city = row["kind"] == "city"
        forms = [
            row["name_en"],
            row["name_ru"],
            f"г. {row['name_ru']}" if city else f"{row['name_ru']} район",
            f"{row['name_kk']} {'қ.ә.' if city else 'ауданы'}",
            code,
        ]
        names += forms
        parents += [row["region"]] * len(forms)
    return names, parents


def typo(name: str, i: int) -> str:
    """Drop one letter inside a long name (deterministic position)."""
    if len(name) < 7 or name.isdigit():
        return name
    cut = 2 + i % (len(name) - 4)
    return name[:cut] + name[cut + 1 :]


def main() -> None:
    names, parents = spellings()
    reps = -(-100_000 // len(names))
    many = (names * reps)[:100_000]
    many_parents = (parents * reps)[:100_000]
    typos = [typo(n, i) for i, n in enumerate(many)]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(many))
    cases = {
        "100,000 names (repeats)": ([many[i] for i in order], None),
        "100,000 names with parents": ([many[i] for i in order], [many_parents[i] for i in order]),
        "100,000 names, every one with a typo": ([typos[i] for i in order], None),
        "100,000 typos with parents": (
            [typos[i] for i in order],
            [many_parents[i] for i in order],
        ),
    }
    match_districts(["warm up"])
    for label, (values, regions) in cases.items():
        start = time.perf_counter()
        report = match_districts(values, regions=regions)
        elapsed = time.perf_counter() - start
        print(f"{label:40s} {elapsed:6.3f} s   {report.summary()}")
    bulletin = _population()
    rows = bulletin.loc[bulletin["indicator"] == "population_jan1", "name_source"].tolist()
    pages = (rows * (-(-100_000 // len(rows))))[:100_000]
    start = time.perf_counter()
    report = match_districts(pages, sections=True)
    elapsed = time.perf_counter() - start
    print(f"{'100,000 bulletin rows, section headers':40s} {elapsed:6.3f} s   {report.summary()}")


if __name__ == "__main__":
    main()
