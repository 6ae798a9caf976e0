"""District data: the bundled district panel, natural zones, the 2018 <-> 2024 crosswalk.

Panels here are the tidy panel of :mod:`terraplan.data.panel` with the district's 9-digit KATO
code in the ``region`` column. Bundled figures (``data/regions/stats/district_population.csv``):
the Bureau's bulletin of the population on 1 January 2023 by district (total, men, women, urban,
rural); computed from them and the polygons: ``district_area``, ``population_density``,
``urban_share``. The district catalogue is ``data/regions/district_indicators.csv``.

Caveats, encoded as flags: Sauran district has no KATO code or polygon (``no_kato``, key
``KZ-61-SAURAN``, left out of :func:`district_panel` unless ``include_unmapped=True``); five
2024 districts were created after the bulletin's date (no rows), and the districts they came
from are on their old borders (``borders_before_split``; their density is computed over the old
territory); the bulletin's dash is 0 flagged ``absent``.

Example
-------
>>> from terraplan.data.districts import district_panel
>>> panel = district_panel(["population_jan1", "population_density"])
>>> panel.set_index(["region", "indicator"]).loc[("113200000", "population_jan1"), "value"]
np.float64(24338.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from terraplan._resources import data_dir
from terraplan.data.panel import PANEL_COLUMNS, add_flag, validate_panel
from terraplan.errors import InputError
from terraplan.territory.districts import CURRENT_DISTRICT_LAYOUT, check_district_layout, districts

__all__ = [
    "aggregate_districts",
    "crosswalk",
    "district_catalog",
    "district_panel",
    "district_population",
    "district_sources",
    "district_zones",
    "harmonize_districts",
    "join_districts",
]

DERIVED = ("district_area", "population_density", "urban_share")


@cache
def _catalog() -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "district_indicators.csv", dtype=str, keep_default_na=False)
    for column in ("additive", "sectoral"):
        frame[column] = frame[column].map({"true": True, "false": False})
    return frame.set_index("id")


def district_catalog() -> pd.DataFrame:
    """The catalogue of bundled district indicators (same columns as the region catalogue).

    >>> district_catalog().loc["population_density", "unit"]
    'persons per km²'
    """
    return _catalog().copy()


@cache
def _population() -> pd.DataFrame:
    frame = pd.read_csv(
        data_dir() / "stats" / "district_population.csv",
        dtype=str,
        keep_default_na=False,
    )
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def district_population(level: str = "district") -> pd.DataFrame:
    """The bundled bulletin rows of ``level`` (``district``, ``region`` or ``country``).

    Columns: the panel columns plus ``source``, ``level``, ``parent`` (ISO code of the
    district's region) and ``name_source`` (the bulletin's label).

    >>> rows = district_population("region")
    >>> rows.loc[rows["indicator"] == "population_jan1", "value"].sum()
    np.float64(19765004.0)
    """
    if level not in ("district", "region", "country"):
        raise InputError(f"unknown level {level!r}; use 'district', 'region' or 'country'")
    frame = _population()
    return frame[frame["level"] == level].reset_index(drop=True)


@cache
def _crosswalk() -> pd.DataFrame:
    frame = pd.read_csv(
        data_dir() / "district_crosswalk.csv", dtype={"kato_2018": str, "kato_2024": str}
    )
    # the file's shares are rounded to 4 decimals: make each unit's shares add up to 1 exactly
    for share, key in (("share_of_2018", "kato_2018"), ("share_of_2024", "kato_2024")):
        frame[share] = frame[share] / frame.groupby(key)[share].transform("sum")
    return frame


def crosswalk() -> pd.DataFrame:
    """The 2018 <-> 2024 district crosswalk (areal overlap; see ``data/regions/SOURCES.md``).

    Columns ``kato_2018, kato_2024, overlap_km2, share_of_2018, share_of_2024, relation``.

    >>> walk = crosswalk()
    >>> walk.loc[walk["kato_2024"] == "104500000", ["kato_2018", "relation"]].values.tolist()
    [['636400000', 'from']]
    """
    return _crosswalk().copy()


def _pre_split_area() -> pd.Series:
    """Area of each flagged district on its borders before the split: its own area plus the
    area of the new units carved from it (each new unit's area divided among the districts it
    came from in proportion to the overlap of their 2018 predecessors)."""
    table = districts(CURRENT_DISTRICT_LAYOUT)
    rows = _population()
    has_data = set(rows.loc[rows["level"] == "district", "region"])
    children = [c for c in table.index if c not in has_data]
    walk = _crosswalk()
    area = table["area_km2"].copy()
    for child in children:
        sources = walk[walk["kato_2024"] == child]
        donors = walk[walk["kato_2018"].isin(sources["kato_2018"]) & walk["kato_2024"].isin(
            has_data
        )]  # fmt: skip
        weight = sources.set_index("kato_2018")["share_of_2024"]
        donor_of = donors.groupby("kato_2018")["kato_2024"].first()
        for ancestor, share in weight.items():
            if ancestor in donor_of.index:
                area[donor_of[ancestor]] += table.loc[child, "area_km2"] * share
    return area


def district_panel(
    indicators: Iterable[str] | str | None = None,
    *,
    include_unmapped: bool = False,
) -> pd.DataFrame:
    """The bundled district indicators of layout KZ-2024-D as a tidy panel (KATO in ``region``).

    ``indicators`` are ids of :func:`district_catalog` (default: all). Rows exist only where
    there is a figure (the five districts created after 1 January 2023 have none).

    >>> p = district_panel("urban_share").set_index("region")["value"]
    >>> p["111800000"].round(1), p["113200000"].round(1)  # Stepnogorsk city, Akkol rayon
    (np.float64(95.7), np.float64(65.2))
    """
    catalog = _catalog()
    wanted = (
        list(catalog.index)
        if indicators is None
        else ([indicators] if isinstance(indicators, str) else list(indicators))
    )
    unknown = [i for i in wanted if i not in catalog.index]
    if unknown:
        raise InputError(
            f"unknown district indicator(s) {unknown}; the bundled ones are "
            + ", ".join(catalog.index)
        )
    rows = district_population("district")
    if not include_unmapped:
        rows = rows[~rows["flag"].str.contains("no_kato")]
    base = rows[list(PANEL_COLUMNS)]
    frames = [base[base["indicator"].isin(wanted)]]
    table = districts(CURRENT_DISTRICT_LAYOUT)
    total = base[base["indicator"] == "population_jan1"].set_index("region")
    if "district_area" in wanted:
        frames.append(
            pd.DataFrame(
                {
                    "region": table.index,
                    "year": 2024,
                    "indicator": "district_area",
                    "sector": "TOTAL",
                    "value": table["area_km2"].to_numpy(),
                    "unit": "km²",
                    "flag": "",
                }
            )
        )
    if "population_density" in wanted:
        mapped = total[total.index.isin(table.index)]
        area = _pre_split_area().reindex(mapped.index)
        frames.append(
            pd.DataFrame(
                {
                    "region": mapped.index,
                    "year": mapped["year"].to_numpy(),
                    "indicator": "population_density",
                    "sector": "TOTAL",
                    "value": (mapped["value"] / area).to_numpy(),
                    "unit": "persons per km²",
                    "flag": mapped["flag"].str.replace("absent", "").str.strip(";").to_numpy(),
                }
            )
        )
    if "urban_share" in wanted:
        urban = base[base["indicator"] == "population_jan1_urban"].set_index("region")
        share = urban["value"] / total["value"].reindex(urban.index) * 100
        frames.append(
            pd.DataFrame(
                {
                    "region": urban.index,
                    "year": urban["year"].to_numpy(),
                    "indicator": "urban_share",
                    "sector": "TOTAL",
                    "value": share.to_numpy(),
                    "unit": "%",
                    "flag": total["flag"].reindex(urban.index).str.replace("absent", "")
                    .str.strip(";").to_numpy(),
                }
            )
        )  # fmt: skip
    panel = pd.concat(frames, ignore_index=True)
    panel = panel.sort_values(["indicator", "region"], ignore_index=True)
    return validate_panel(panel, name="district panel")


def district_zones(layout: str = CURRENT_DISTRICT_LAYOUT) -> pd.DataFrame:
    """Natural zone of each district (geokz, zones of the 2018 districts, 2020).

    For KZ-2024-D the zone is that of the 2018 district covering most of the 2024 district's
    area; ``flag`` is ``estimated`` where the 2018 districts it came from lie in different zones.

    >>> zones = district_zones()
    >>> zones.loc["113200000", ["zone_en", "flag"]].tolist()
    ['Steppe', '']
    """
    check_district_layout(layout)
    zones = pd.read_csv(data_dir() / "district_zones.csv", dtype=str, keep_default_na=False)
    zones = zones.set_index("kato_2018")
    if layout == "KZ-2018-D":
        out = zones.reindex(districts(layout).index)
        out["flag"] = ""
        return out
    walk = _crosswalk().join(zones, on="kato_2018")
    walk = walk.sort_values(["kato_2024", "share_of_2024"], ascending=[True, False])
    first = walk.groupby("kato_2024").first()
    mixed = walk.groupby("kato_2024")["zone_en"].nunique() > 1
    out = first[["zone_en", "zone_ru", "zone_kk"]].reindex(districts(layout).index)
    out["flag"] = np.where(mixed.reindex(out.index, fill_value=False), "estimated", "")
    return out


def harmonize_districts(
    panel: pd.DataFrame, *, to: str = "KZ-2024-D", weights: str = "area"
) -> pd.DataFrame:
    """Move a district panel between KZ-2018-D and KZ-2024-D with the areal crosswalk.

    Additive indicators (``value`` a count) are split by the share of each old unit's area
    lying in each new unit (``weights="area"``) and summed; ratios (any indicator listed as not
    additive in the region or district catalogue, or unknown) are averaged with the overlap
    areas as weights. A new unit whose value comes whole from one old unit that lies wholly in
    it is exact; every other value gets the flag ``estimated``. Units of the input not in the
    source layout raise an :class:`InputError`.

    >>> p = pd.DataFrame({"region": ["636400000"], "year": 2020, "indicator": "population_jan1",
    ...                   "value": 100.0})
    >>> out = harmonize_districts(p)
    >>> out[["region", "value", "flag"]].round(1).values.tolist()
    [['104500000', 40.4, 'estimated'], ['104600000', 59.6, 'estimated']]
    """
    if weights != "area":
        raise InputError(f"weights={weights!r}: only 'area' weights are available for districts")
    check_district_layout(to)
    panel = validate_panel(panel, name="district panel")
    walk = _crosswalk()
    source_col, target_col, share_col = (
        ("kato_2018", "kato_2024", "share_of_2018")
        if to == "KZ-2024-D"
        else ("kato_2024", "kato_2018", "share_of_2024")
    )
    known = set(walk[source_col])
    unknown = sorted(set(panel["region"]) - known)
    if unknown:
        source = "KZ-2018-D" if to == "KZ-2024-D" else "KZ-2024-D"
        raise InputError(
            f"{len(unknown)} unit(s) of the panel are not districts of {source}: "
            f"{', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}"
        )
    additive = _additive_indicators()
    merged = panel.merge(walk, left_on="region", right_on=source_col)
    whole = merged[share_col] > 0.99
    # exact only if the target unit receives from this one source only
    sources_per_target = walk.groupby(target_col)[source_col].nunique()
    single = merged[target_col].map(sources_per_target).eq(1)
    merged["exact"] = whole & single
    is_add = merged["indicator"].isin(additive)
    merged["w"] = np.where(is_add, merged[share_col], merged["overlap_km2"])
    merged["wv"] = merged["w"] * merged["value"]
    keys = [target_col, "year", "indicator", "sector"]
    grouped = merged.groupby(keys, sort=True)
    out = grouped.agg(
        wv=("wv", "sum"),
        w=("w", "sum"),
        exact=("exact", "all"),
        unit=("unit", "first"),
        flag=("flag", lambda f: ";".join(sorted({t for x in f for t in x.split(";") if t}))),
        additive=("indicator", lambda s: s.iloc[0] in additive),
    ).reset_index()
    out["value"] = np.where(out["additive"], out["wv"], out["wv"] / out["w"])
    out = out.rename(columns={target_col: "region"})
    out["flag"] = add_flag(out["flag"], "estimated", ~out["exact"])
    result = out[list(PANEL_COLUMNS)].sort_values(["indicator", "region", "year"])
    result = result.reset_index(drop=True)
    result.attrs = {"method": "areal crosswalk", "to": to, "weights": weights}
    return result


def _additive_indicators() -> set[str]:
    from terraplan.data.catalog import indicator_catalog

    ids = set(_catalog().index[_catalog()["additive"]])
    regional = indicator_catalog()
    return ids | set(regional.index[regional["additive"]])


def aggregate_districts(panel: pd.DataFrame, layout: str = CURRENT_DISTRICT_LAYOUT) -> pd.DataFrame:
    """Sum a district panel of additive indicators to its regions (exact; flags kept).

    The region of each district is its parent in the registry (``KZ-2022`` regions for
    KZ-2024-D, ``KZ-2018`` for KZ-2018-D; Sauran, ``KZ-61-SAURAN``, is Turkistan's).
    Non-additive indicators raise an :class:`InputError` (aggregate their numerator and
    denominator instead).

    >>> regions = aggregate_districts(district_panel("population_jan1"))
    >>> int(regions.set_index("region").loc["KZ-11", "value"])  # the districts of Akmola
    787971
    """
    check_district_layout(layout)
    panel = validate_panel(panel, name="district panel")
    additive = _additive_indicators()
    bad = sorted(set(panel["indicator"]) - additive)
    if bad:
        raise InputError(
            f"aggregate_districts sums counts only; {bad} are not additive. Aggregate their "
            "numerator and denominator and divide."
        )
    parent = districts(layout)["region"]
    if layout == CURRENT_DISTRICT_LAYOUT:  # districts of the bulletin without a KATO code
        rows = _population()
        unmapped = rows[rows["flag"].str.contains("no_kato")].drop_duplicates("region")
        parent = pd.concat([parent, unmapped.set_index("region")["parent"]])
    unknown = sorted(set(panel["region"]) - set(parent.index))
    if unknown:
        raise InputError(
            f"{len(unknown)} unit(s) are not districts of {layout}: {', '.join(unknown[:5])}"
        )
    frame = panel.assign(region=panel["region"].map(parent))
    out = frame.groupby(["region", "year", "indicator", "sector"], as_index=False).agg(
        value=("value", "sum"),
        unit=("unit", "first"),
        flag=("flag", lambda f: ";".join(sorted({t for x in f for t in x.split(";") if t}))),
    )
    return validate_panel(out[list(PANEL_COLUMNS)], name="region panel")


def join_districts(
    data: pd.DataFrame,
    district_column: str = "district",
    *,
    region_column: str | None = None,
    sections: bool = False,
    layout: str = CURRENT_DISTRICT_LAYOUT,
    resolution: str = "full",
    strict: bool = False,
):
    """Attach district polygons to a table whose ``district_column`` names districts.

    Every district of ``layout`` appears in the result (missing values where the data have
    none); rows matched to one district get its ``code`` (KATO), ``region`` and polygon. Rows
    that match no single district (unmatched, or ambiguous because the name repeats across
    regions and no ``region_column``/``sections`` says which) are left out and listed, with
    suggestions, in ``attrs["join_report"]`` (``strict=True`` raises instead).

    >>> t = pd.DataFrame({"district": ["Аккольский р-н", "Жамбылский район"], "v": [1, 2],
    ...                   "oblast": ["Акмолинская", "Жамбылская"]})
    >>> g = join_districts(t, region_column="oblast")
    >>> len(g), int(g["v"].notna().sum()), g.attrs["join_report"]["unmatched"]
    (224, 2, [])
    """
    import geopandas as gpd

    from terraplan.territory.district_names import match_districts
    from terraplan.territory.districts import district_boundaries

    for column in (district_column, region_column):
        if column is not None and column not in data.columns:
            raise InputError(f"the data have no column {column!r} (columns: {list(data.columns)})")
    report = match_districts(
        data[district_column].tolist(),
        regions=None if region_column is None else data[region_column].tolist(),
        sections=sections,
        layout=layout,
        strict=strict,
    )
    table = report.table
    ok = (table["status"] == "matched") & (table["method"] != "section")
    shapes = district_boundaries(layout, resolution)
    rows = data.loc[ok.to_numpy()].copy()
    rows.insert(0, "code", table.loc[ok, "code"].to_numpy())
    merged = shapes[["code", "region", "name_en", "geometry"]].merge(rows, on="code", how="left")
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=shapes.crs)
    problems = table[table["status"] != "matched"]
    listing = problems[["input", "status", "suggestions", "note"]].astype(str)
    listing.insert(0, "row", problems.index + 1)
    out.attrs["join_report"] = {
        "matched": int(ok.sum()),
        "unmatched": listing.to_dict("records"),
    }
    return out


def district_sources() -> pd.DataFrame:
    """The sources of the bundled district data (id, publisher, title, element, route).

    >>> sorted(district_sources()["id"])
    ['bns-bulletin-2023-18-02', 'geokz-1.0.2']
    """
    return pd.read_csv(data_dir() / "district_sources.csv", dtype=str, keep_default_na=False)
