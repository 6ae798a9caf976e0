"""Convert the well-being tables of ../shared/data/kz/more into terraplan's tidy bundled tables.

Run from the repository root: ``python scripts/import_more_tables.py [SHARED_KZ_MORE_DIR]``.
Writes ``data/regions/stats/{income,life_expectancy,doctors,grp_per_capita,emissions}.csv``
(region, year, indicator, sector, value, unit, flag, source), in the format of
``scripts/import_bns_tables.py``. Figures are copied as published; the only changes are:

* the region key: the compiled tables give pre-2022 borders their own codes, which become
  terraplan's historic keys (``KZ-63-OLD`` -> ``KZ-VOS``, ``KZ-19-OLD`` -> ``KZ-ALM``,
  ``KZ-35-OLD`` -> ``KZ-KAR``, ``YKO`` -> ``KZ-YUZ``); they are never mapped to a successor;
* the indicator ids of terraplan's catalogue;
* the flag ``preliminary`` where the compiled table's note says the value may be revised.

The package never reads the shared folder: this script is run by hand when the source changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "regions" / "stats"

#: compiled table's code for a unit on pre-2022 borders -> terraplan's historic key
HISTORIC = {"KZ-63-OLD": "KZ-VOS", "KZ-19-OLD": "KZ-ALM", "KZ-35-OLD": "KZ-KAR", "YKO": "KZ-YUZ"}
CURRENT = {
    "KZ",
    *(
        f"KZ-{n}"
        for n in (10, 11, 15, 19, 23, 27, 31, 33, 35, 39, 43, 47, 55, 59, 61, 62, 63, 71, 75, 79)
    ),
}

#: output table -> (source file, {source indicator: terraplan id}, source id)
TABLES = {
    "income": (
        "income_per_capita_nominal_by_region_2000_2024.csv",
        {"income_per_capita_nominal_monthly": "income_per_capita"},
        "bns-48510",
    ),
    "life_expectancy": (
        "life_expectancy_by_region_1999_2022.csv",
        {"life_expectancy_at_birth_total": "life_expectancy"},
        "bns-life-expectancy",
    ),
    "doctors": (
        "health_doctors_hospitals_by_region_2000_2022.csv",
        {"doctors_all_specialties": "doctors"},
        "bns-doctors",
    ),
    "grp_per_capita": (
        "grp_per_capita_by_region_2008_2022.csv",
        {"grp_per_capita_kzt": "grp_per_capita_bns"},
        "bns-grp-per-capita",
    ),
    "emissions": (
        "environment_emissions_expenditure_by_region_2005_2022.csv",
        {"air_emissions_stationary_sources": "air_emissions"},
        "bns-air-emissions",
    ),
}


def region_key(codes: pd.Series) -> pd.Series:
    """terraplan key of each compiled code; an unknown code stops the import."""
    key = codes.map(lambda c: HISTORIC.get(c, c if c in CURRENT else None))
    if key.isna().any():
        raise ValueError(f"unknown region codes: {sorted(codes[key.isna()].unique())}")
    return key


def convert(raw: pd.DataFrame, indicators: dict[str, str], source: str) -> pd.DataFrame:
    """Tidy rows of the wanted indicators of one compiled table."""
    raw = raw[raw["indicator"].isin(list(indicators))]
    note = raw["note"].fillna("")
    flag = note.str.contains("preliminary|may since be revised", regex=True)
    out = pd.DataFrame(
        {
            "region": region_key(raw["region_code"]),
            "year": raw["year"].astype(int),
            "indicator": raw["indicator"].map(indicators),
            "sector": "TOTAL",
            "value": raw["value"].astype(float),
            "unit": raw["unit"],
            "flag": flag.map({True: "preliminary", False: ""}),
            "source": source,
        }
    )
    if out.duplicated(["region", "year", "indicator"]).any():
        raise ValueError(f"{source}: duplicated region-year rows")
    return out


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (file, indicators, source) in TABLES.items():
        raw = pd.read_csv(shared / file, dtype={"region_code": str, "note": str})
        frame = convert(raw, indicators, source)
        wanted = raw[raw["indicator"].isin(list(indicators))]["value"].astype(float)
        assert sorted(frame["value"]) == sorted(wanted), name  # copied exactly
        frame = frame.sort_values(["indicator", "sector", "region", "year"], kind="mergesort")
        frame.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    default = ROOT.parent / "shared" / "data" / "kz" / "more"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
