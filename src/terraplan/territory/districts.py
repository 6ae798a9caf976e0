"""Districts: the second level (rayons, cities of oblast significance, city districts).

Two layouts, each unit keyed by its 9-digit KATO code: ``KZ-2024-D`` (224 units, January 2024,
nesting in the 20 regions of ``KZ-2022``) and ``KZ-2018-D`` (216 units, June 2018, nesting in
the 17 regions of ``KZ-2018``). ``data/regions/districts.csv`` holds the registry (parent
region, kind, names in en/ru/kk, area, years); the polygons come from the ``geokz`` package
(A. Rodionov, CC BY 4.0, after UN OCHA COD-AB) and are the atoms of the region polygons, so a
district lies exactly inside its region (``scripts/derive_boundaries.py``).

``kind`` is ``rayon``, ``city`` (city of oblast significance with its administered
territory) or ``city_district`` (district of Astana, Almaty or Shymkent).

Example
-------
>>> from terraplan.territory.districts import districts, district_label
>>> table = districts()
>>> len(table), len(districts("KZ-2018-D"))
(224, 216)
>>> table.loc["113200000", ["region", "kind", "name_en"]].tolist()
['KZ-11', 'rayon', 'Akkol']
>>> district_label("113200000", "ru"), district_label("111800000", "kk")
('Аккольский район', 'Степногор қаласы')
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from terraplan._resources import data_dir
from terraplan.errors import InputError, LayoutError, RegionMatchError
from terraplan.territory.registry import LANGUAGES

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "ATTRIBUTION",
    "CURRENT_DISTRICT_LAYOUT",
    "DISTRICT_LAYOUTS",
    "district_boundaries",
    "district_label",
    "district_labels",
    "district_layout_for_year",
    "district_neighbours",
    "district_weights",
    "districts",
]

#: District layout -> the region layout its districts nest in.
DISTRICT_LAYOUTS: dict[str, str] = {"KZ-2018-D": "KZ-2018", "KZ-2024-D": "KZ-2022"}
CURRENT_DISTRICT_LAYOUT = "KZ-2024-D"
#: Credit line the CC BY 4.0 licence of the boundaries asks for; every map shows it.
ATTRIBUTION = "District boundaries: geokz (A. Rodionov), CC BY 4.0, after UN OCHA COD-AB Kazakhstan"
KINDS = ("rayon", "city", "city_district")

_FILES = {
    ("KZ-2024-D", "full"): "kz-2024-districts-full.geojson",
    ("KZ-2024-D", "simplified"): "kz-2024-districts-simplified.geojson",
    ("KZ-2018-D", "simplified"): "kz-2018-districts-simplified.geojson",
}
_COLUMNS = ["code", "region", "name_en", "name_ru", "name_kk", "kind", "area_km2", "geometry"]
_SUFFIX = {
    "rayon": {"en": "{} District", "ru": "{} район", "kk": "{} ауданы"},
    "city": {"en": "{} (city)", "ru": "г. {}", "kk": "{} қаласы"},
    "city_district": {"en": "{} District", "ru": "{} район", "kk": "{} ауданы"},
}


@cache
def _table() -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "districts.csv", dtype=str, keep_default_na=False)
    frame["area_km2"] = pd.to_numeric(frame["area_km2"])
    frame["first_year"] = frame["first_year"].astype(int)
    frame["last_year"] = pd.to_numeric(frame["last_year"]).astype("Int64")
    return frame


def check_district_layout(layout: str) -> None:
    """Raise a :class:`LayoutError` naming the district layouts unless ``layout`` is one."""
    if layout not in DISTRICT_LAYOUTS:
        raise LayoutError(
            f"unknown district layout {layout!r}; use one of: "
            + ", ".join(repr(x) for x in DISTRICT_LAYOUTS)
        )


def districts(layout: str = CURRENT_DISTRICT_LAYOUT, region: str | None = None) -> pd.DataFrame:
    """The district registry of ``layout`` indexed by KATO code (``kato``), sorted.

    Columns: ``region`` (ISO 3166-2 code of the parent, in the region layout the district
    layout nests in), ``kind``, ``name_en``, ``name_ru``, ``name_kk``, ``area_km2``,
    ``first_year``, ``last_year``. ``region`` keeps one region's districts (a code or any name
    :func:`terraplan.territory.names.get_region` knows).

    >>> districts(region="Karaganda").shape[0], districts(region="KZ-71")["kind"].unique().tolist()
    (13, ['city_district'])
    """
    check_district_layout(layout)
    table = _table()
    table = table[table["layout"] == layout].drop(columns="layout").set_index("kato")
    if region is not None:
        table = table[table["region"] == _region_code(region, layout)]
    return table.sort_index().copy()


def _region_code(region: str, layout: str) -> str:
    from terraplan.territory.names import match_regions

    report = match_regions([region], layout=DISTRICT_LAYOUTS[layout])
    report.raise_for_problems(context=f"region of district layout {layout}")
    return str(report.codes.iloc[0])


def district_layout_for_year(year: int) -> str:
    """The district layout for statistics of ``year`` (KZ-2018-D to 2021, KZ-2024-D after).

    >>> district_layout_for_year(2020), district_layout_for_year(2023)
    ('KZ-2018-D', 'KZ-2024-D')
    """
    if year < 2018:
        raise LayoutError(
            f"no district layout covers the year {year}; terraplan's district layouts start in "
            "2018 (KZ-2018-D, KZ-2024-D)"
        )
    return "KZ-2018-D" if year <= 2021 else "KZ-2024-D"


def district_label(code: str, lang: str = "en", layout: str = CURRENT_DISTRICT_LAYOUT) -> str:
    """Display name of a district with its type word ("Аккольский район", "г. Степногорск").

    >>> district_label("751210000"), district_label("111000000"), district_label("711210000", "ru")
    ('Alatau District', 'Kokshetau (city)', 'Есильский район')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    table = districts(layout)
    if code not in table.index:
        raise RegionMatchError([f"{code!r} is not a KATO code of district layout {layout}"])
    row = table.loc[code]
    name = row[f"name_{lang}"]
    if lang == "ru" and row["kind"] != "city" and not name.endswith(("ий", "ый", "ой")):
        return f"район {name}"
    return _SUFFIX[row["kind"]][lang].format(name)


def district_labels(codes, lang: str = "en", layout: str = CURRENT_DISTRICT_LAYOUT) -> pd.Series:
    """:func:`district_label` of many codes at once (a Series aligned with ``codes``).

    >>> district_labels(["113200000", "111800000"], "ru").tolist()
    ['Аккольский район', 'г. Степногорск']
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    table = districts(layout)
    codes = pd.Index(codes)
    unknown = codes.difference(table.index)
    if len(unknown):
        raise RegionMatchError([f"{c!r} is not a KATO code of district layout {layout}"
                                for c in unknown])  # fmt: skip
    rows = table.loc[codes]
    names = rows[f"name_{lang}"]
    out = pd.Series(
        [_SUFFIX[k][lang].format(n) for k, n in zip(rows["kind"], names, strict=True)],
        index=codes,
    )
    if lang == "ru":
        bare = (rows["kind"] != "city") & ~names.str.endswith(("ий", "ый", "ой"))
        out[bare.to_numpy()] = "район " + names[bare.to_numpy()]
    return out


@cache
def _read(layout: str, resolution: str) -> gpd.GeoDataFrame:
    import pyogrio

    path = data_dir() / "boundaries" / _FILES[(layout, resolution)]
    polygons = pyogrio.read_dataframe(path, columns=["code"]).set_crs(
        "EPSG:4326", allow_override=True
    )
    table = districts(layout)
    if set(polygons["code"]) != set(table.index) or len(polygons) != len(table):
        raise LayoutError(
            f"{path}: its codes are not the {len(table)} districts of {layout} in "
            "districts.csv. Rerun scripts/derive_boundaries.py."
        )
    attrs = table[["region", "name_en", "name_ru", "name_kk", "kind", "area_km2"]]
    frame = polygons.merge(attrs, left_on="code", right_index=True, validate="one_to_one")
    return frame.sort_values("code", ignore_index=True)[_COLUMNS]


def district_boundaries(
    layout: str = CURRENT_DISTRICT_LAYOUT,
    resolution: str = "full",
    region: str | None = None,
) -> gpd.GeoDataFrame:
    """District polygons as a GeoDataFrame in EPSG:4326, sorted by KATO ``code``.

    Columns: ``code, region, name_en, name_ru, name_kk, kind, area_km2, geometry``. The 2024
    districts come in ``"full"`` and ``"simplified"`` resolution (both clean coverages whose
    dissolve by ``region`` is the region layer); the 2018 districts only ``"simplified"``
    (their areas, computed at full resolution, are in the registry). ``region`` keeps one
    region's districts. Each call returns a fresh copy.

    >>> gdf = district_boundaries(resolution="simplified", region="KZ-75")
    >>> len(gdf), gdf["kind"].unique().tolist()
    (8, ['city_district'])
    >>> district_boundaries("KZ-2018-D", resolution="full")
    Traceback (most recent call last):
    terraplan.errors.InputError: KZ-2018-D is bundled at 'simplified' resolution only, not 'full'
    """
    check_district_layout(layout)
    available = [res for (lay, res) in _FILES if lay == layout]
    if resolution not in available:
        raise InputError(
            f"{layout} is bundled at "
            + " or ".join(repr(r) for r in available)
            + f" resolution only, not {resolution!r}"
        )
    frame = _read(layout, resolution).copy()
    if region is not None:
        frame = frame[frame["region"] == _region_code(region, layout)].reset_index(drop=True)
    return frame


@cache
def _neighbours(layout: str) -> dict[str, tuple[str, ...]]:
    from terraplan.territory.weights import spatial_weights

    resolution = "full" if (layout, "full") in _FILES else "simplified"
    w = spatial_weights(district_boundaries(layout, resolution), "queen", transform="b")
    return {code: tuple(w.neighbors[code]) for code in w.id_order}


def district_neighbours(
    layout: str = CURRENT_DISTRICT_LAYOUT, region: str | None = None
) -> dict[str, list[str]]:
    """Queen neighbours of every district (computed once per session from the polygons).

    The district graph is connected (no island units: islands in the Caspian and the Aral are
    parts of their district's polygon); a city of oblast significance that is an enclave has
    the district around it as its only neighbour. ``region`` keeps one region's districts and
    their links among themselves.

    >>> district_neighbours()["111000000"]  # Kokshetau city, an enclave in Zerendi district
    ['115600000']
    """
    check_district_layout(layout)
    graph = _neighbours(layout)
    if region is None:
        return {code: list(nb) for code, nb in graph.items()}
    keep = set(districts(layout, region=region).index)
    return {code: [n for n in graph[code] if n in keep] for code in sorted(keep)}


def district_weights(
    layout: str = CURRENT_DISTRICT_LAYOUT,
    region: str | None = None,
    transform: str = "r",
):
    """Queen contiguity weights of the districts as a ``libpysal.weights.W`` (sorted codes).

    >>> w = district_weights(region="KZ-75")
    >>> w.n, w.transform
    (8, 'R')
    """
    from libpysal.weights import W

    w = W(district_neighbours(layout, region), silence_warnings=True)
    w.transform = transform
    return w
