"""Convert the district population bulletin in ../shared/data/kz/more into a bundled table.

Run from the repository root: ``python scripts/import_district_tables.py [SHARED_KZ_DIR]``.
Writes ``data/regions/stats/district_population.csv``: the Bureau's bulletin "Численность
населения Республики Казахстан по полу и типу местности на 1 января 2023 года" (series 18,
sheet 02), every row of it (country, 20 regions, 220 districts; 9 series each), with the
columns ``region`` (the unit's key: KATO code of a district, ISO 3166-2 code of a region, ``KZ``
for the Republic), ``year, indicator, sector, value, unit, flag, source`` and ``level``,
``parent`` (ISO code of the district's region) and ``name_source`` (the bulletin's label).

Figures are copied as published. The only changes: indicator ids (``population_jan1``,
``population_jan1_men`` ...), and flags:

* ``no_kato``: Sauran district (Turkistan Region) is in the bulletin but not in the geokz
  layer, so it has no KATO code; its key is ``KZ-61-SAURAN`` and it has no polygon;
* ``borders_before_split``: the five 2024 districts without a bulletin row (Zharasemey,
  Maqanshy, Alatau, Nura, Turan) were created after 1 January 2023; the districts they were
  carved from (``SPLIT_PARENTS``, read from the crosswalk) carry their population in this
  table, on their borders before the split;
* ``absent``: the bulletin's dash ("phenomenon absent", e.g. no urban population), written 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from terraplan.report.sanitize import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "regions" / "stats" / "district_population.csv"
SOURCE_ID = "bns-bulletin-2023-18-02"
INDICATORS = {
    "population_total": "population_jan1",
    "population_men": "population_jan1_men",
    "population_women": "population_jan1_women",
    "population_urban": "population_jan1_urban",
    "population_urban_men": "population_jan1_urban_men",
    "population_urban_women": "population_jan1_urban_women",
    "population_rural": "population_jan1_rural",
    "population_rural_men": "population_jan1_rural_men",
    "population_rural_women": "population_jan1_rural_women",
}
# 2024 units without a bulletin row -> the 2024 KATO of the district(s) they were carved from,
# read from data/regions/district_crosswalk.csv (areal overlap with the 2018 layer)
SPLIT_PARENTS = {
    "101010000": ("101000000",),  # Zharasemey: the rural part of Semey city administration
    "104500000": ("104600000",),  # Maqanshy: 40 % of Urzhar (2018)
    "191800000": ("196800000", "196200000"),  # Alatau city: from Ile (87 %) and Talgar (13 %)
    "711510000": ("711210000",),  # Nura: 61 % of Esil district of Astana (2018)
    "791910000": ("791110000",),  # Turan: 74 % of Abai district of Shymkent (2018)
}


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "kz"
    frame = pd.read_csv(shared / "more" / "population_by_district_2023-01-01.csv", dtype=str)
    key = frame["kato"].fillna(frame["region_code"].where(frame["level"] != "district"))
    sauran = frame["level"].eq("district") & frame["kato"].isna()
    if frame.loc[sauran, "unit_name_source"].unique().tolist() != ["Сауран ауданы"]:
        raise SystemExit("expected one district without KATO code, Sauran; the source changed")
    key = key.where(~sauran, "KZ-61-SAURAN")
    flags = pd.Series("", index=frame.index)
    flags = flags.mask(sauran, "no_kato")
    parents = frame["kato"].isin({k for ks in SPLIT_PARENTS.values() for k in ks})
    flags = flags.mask(parents, (flags + ";borders_before_split").str.lstrip(";"))
    absent = frame["note"].fillna("").str.contains("phenomenon absent")
    flags = flags.mask(absent, (flags + ";absent").str.lstrip(";"))
    out = pd.DataFrame(
        {
            "region": key,
            "year": frame["year"].astype(int),
            "indicator": frame["indicator"].map(INDICATORS),
            "sector": "TOTAL",
            "value": frame["value"].astype(int),
            "unit": "persons",
            "flag": flags,
            "source": SOURCE_ID,
            "level": frame["level"],
            "parent": frame["region_code"].where(frame["level"] == "district", ""),
            "name_source": frame["unit_name_source"],
        }
    )
    if out["indicator"].isna().any() or out.duplicated(["region", "indicator"]).any():
        raise SystemExit("unknown indicator or repeated key in the source")
    # rows stay in the bulletin's order (Republic, then each region followed by its districts)
    atomic_write_text(OUT, out.to_csv(index=False, lineterminator="\n")).chmod(0o644)
    print(f"{OUT.relative_to(ROOT)}: {len(out)} rows")


if __name__ == "__main__":
    main()
