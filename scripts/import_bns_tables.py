"""Convert the compiled BNS tables in ../shared/data/kz into terraplan's tidy bundled tables.

Run from the repository root: ``python scripts/import_bns_tables.py [SHARED_KZ_DIR]``.
Writes ``data/regions/stats/*.csv`` (region, year, indicator, sector, value, unit, flag, source).
Figures are copied as published; the only changes are the region key (ISO 3166-2, with the
historic keys KZ-YUZ, KZ-VOS, KZ-ALM, KZ-KAR for units on borders that no longer exist), the
indicator ids of terraplan's catalogue, zeros in the volume index turned into missing values
(the Bureau's dash: a volume index is never 0), and the ``preliminary`` flag on 2024-2025.
The package never reads the shared folder: this script is run by hand when the source changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "regions" / "stats"

STAT_TO_ISO = {
    "ABY": "KZ-10",
    "AKM": "KZ-11",
    "AKT": "KZ-15",
    "ALM": "KZ-19",
    "ATY": "KZ-23",
    "ZKO": "KZ-27",
    "ZHM": "KZ-31",
    "ZHT": "KZ-33",
    "KRG": "KZ-35",
    "KST": "KZ-39",
    "KZL": "KZ-43",
    "MNG": "KZ-47",
    "PVL": "KZ-55",
    "SKO": "KZ-59",
    "TRK": "KZ-61",
    "ULT": "KZ-62",
    "VKO": "KZ-63",
    "AST": "KZ-71",
    "ALA": "KZ-75",
    "SHM": "KZ-79",
    "YKO": "KZ-YUZ",
    "national": "KZ",
}
# units whose borders changed in 2022, and their keys on the old borders
OLD_BORDERS = {"VKO": "KZ-VOS", "ALM": "KZ-ALM", "KRG": "KZ-KAR"}
PRELIMINARY_FROM = 2024


def region_key(codes: pd.Series, years: pd.Series, new_borders_from: int | None) -> pd.Series:
    """ISO key of each row; units changed in 2022 get their old key before ``new_borders_from``."""
    key = codes.map(STAT_TO_ISO)
    if key.isna().any():
        raise ValueError(f"unknown region codes: {sorted(codes[key.isna()].unique())}")
    if new_borders_from is not None:
        old = codes.isin(list(OLD_BORDERS)) & (years < new_borders_from)
        key = key.where(~old, codes.map(OLD_BORDERS))
    return key


def tidy(
    raw: pd.DataFrame,
    *,
    indicator: pd.Series,
    sector: pd.Series,
    new_borders_from: int | None,
    source: str,
) -> pd.DataFrame:
    """Build the tidy frame from a source table's columns."""
    out = pd.DataFrame(
        {
            "region": region_key(raw["region_code_src"], raw["year"], new_borders_from),
            "year": raw["year"].astype(int),
            "indicator": indicator,
            "sector": sector,
            "value": raw["value"].astype(float),
            "unit": raw["unit"],
            "flag": "",
            "source": source,
        }
    )
    out.loc[out["year"] >= PRELIMINARY_FROM, "flag"] = "preliminary"
    return out


def main(shared: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tables: dict[str, pd.DataFrame] = {}

    gva = pd.read_csv(shared / "gva_by_region_section_2010_2025.csv", dtype={"value": float})
    code = gva["sector_code"]
    indicator = code.map(
        {"GDP": "grp", "IND": "gva_industry", "NET_TAXES": "net_taxes", "FISIM": "fisim"}
    ).fillna("gva")
    sector = code.where(indicator == "gva", "TOTAL")
    tables["gva"] = tidy(
        gva, indicator=indicator, sector=sector, new_borders_from=2021, source="bns-5927"
    )

    vol = pd.read_csv(shared / "gva_volume_index_by_region_section_2010_2025.csv")
    t = tidy(
        vol,
        indicator=pd.Series("gva_volume_index", index=vol.index),
        sector=vol["item_code"].replace({"GDP": "TOTAL"}),
        new_borders_from=2021,
        source="bns-450904",
    )
    dash = t["value"] == 0
    t.loc[dash, "value"] = float("nan")
    t.loc[dash, "flag"] = (t.loc[dash, "flag"] + ";not_published").str.lstrip(";")
    tables["gva_volume_index"] = t

    # single-indicator tables: output name -> (source file, source id, borders switch year)
    simple = {
        "population": ("population_avg_by_region_2009_2025.csv", "bns-6576", None),
        "employment": ("employment_by_region_2001_2025.csv", "bns-102798", 2022),
        "unemployment_rate": ("unemployment_rate_by_region_2001_2025.csv", "bns-102790", 2022),
        "investment": ("investment_fixed_capital_by_region_2003_2025.csv", "bns-5546", 2022),
        "gross_output": ("gross_output_by_region_section_2022_2025.csv", "bns-81477", 2022),
    }
    renamed = {
        "population_avg_annual": "population",
        "employed_total": "employed",
        "employees_total": "employees",
        "fixed_capital_investment": "investment",
        "gross_output_basic_prices": "gross_output",
    }
    for name, (file, source, new_borders_from) in simple.items():
        raw = pd.read_csv(shared / file)
        tables[name] = tidy(
            raw,
            indicator=raw["indicator"].replace(renamed),
            sector=raw["item_code"].replace({"ALL": "TOTAL"}),
            new_borders_from=new_borders_from,
            source=source,
        )

    for name, frame in tables.items():
        frame = frame.sort_values(["indicator", "sector", "region", "year"], kind="mergesort")
        frame.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "kz")
