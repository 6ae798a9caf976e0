"""The region registry: Kazakhstan's first-level units, current and historic, and the layouts.

Each unit is keyed by its ISO 3166-2 code (``KZ-35``); historic units on borders that no longer
exist reuse ISO's former alphabetic codes (``KZ-YUZ`` South Kazakhstan, ``KZ-VOS``, ``KZ-ALM``,
``KZ-KAR`` for East Kazakhstan, Almaty Region and Karaganda before 2022). Data live in
``data/regions/registry.csv`` and ``layouts.csv``.

Example
-------
>>> from terraplan.territory.registry import regions, layout_regions, display_name
>>> len(layout_regions("KZ-2022")), len(layout_regions("KZ-2018")), len(layout_regions("KZ-1997"))
(20, 17, 16)
>>> display_name("KZ-35", "ru")
'Карагандинская область'
>>> regions().loc["KZ-71", "kind"]
'city'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from terraplan._resources import data_dir
from terraplan.errors import LayoutError, RegionMatchError

CURRENT_LAYOUT = "KZ-2022"
LANGUAGES = ("en", "ru", "kk")


@cache
def _registry() -> pd.DataFrame:
    frame = pd.read_csv(
        data_dir() / "registry.csv",
        dtype=str,
        keep_default_na=False,
    )
    frame["valid_from"] = frame["valid_from"].astype(int)
    frame["valid_until"] = pd.to_numeric(frame["valid_until"]).astype("Int64")
    frame["area_km2"] = pd.to_numeric(frame["area_km2"])
    return frame.set_index("code")


@cache
def _layouts() -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "layouts.csv", dtype=str, keep_default_na=False)
    frame["first_year"] = frame["first_year"].astype(int)
    frame["last_year"] = pd.to_numeric(frame["last_year"]).astype("Int64")
    frame["units"] = frame["units"].str.split()
    return frame.set_index("layout")


def layouts() -> pd.DataFrame:
    """The territorial layouts (first and last year, units, description), indexed by id.

    >>> layouts().loc["KZ-2018", "first_year"]
    np.int64(2018)
    """
    return _layouts().copy()


LAYOUTS: tuple[str, ...] = ("KZ-1997", "KZ-2018", "KZ-2022")


def layout_regions(layout: str = CURRENT_LAYOUT) -> list[str]:
    """Return the region codes of a layout, sorted.

    >>> layout_regions("KZ-2018")[:3]
    ['KZ-11', 'KZ-15', 'KZ-23']
    """
    table = _layouts()
    if layout not in table.index:
        raise LayoutError(f"unknown layout {layout!r}; known layouts: {', '.join(table.index)}")
    return sorted(table.loc[layout, "units"])


def regions(layout: str | None = CURRENT_LAYOUT) -> pd.DataFrame:
    """Return the registry as a table indexed by code.

    ``layout=None`` returns every unit known, current and historic; otherwise the units of that
    layout (``KZ-1997``, ``KZ-2018``, ``KZ-2022``).

    >>> regions(None).shape[0]
    24
    """
    table = _registry()
    if layout is None:
        return table.copy()
    return table.loc[layout_regions(layout)].copy()


@dataclass(frozen=True)
class Region:
    """One first-level unit of the registry."""

    code: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    name_kk_latn: str
    stat_code: str
    kato: str
    kato_status: str
    admin_centre_en: str
    valid_from: int
    valid_until: int | None
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    area_km2: float | None

    @property
    def historic(self) -> bool:
        """True for a unit whose borders no longer exist."""
        return self.valid_until is not None

    def name(self, lang: str = "en") -> str:
        """The unit's name in ``en``, ``ru`` or ``kk`` (Kazakh, Cyrillic)."""
        return display_name(self.code, lang)


def region_record(code: str) -> Region:
    """Return one unit of the registry by its code (names are resolved by
    :func:`terraplan.territory.names.get_region`).

    >>> region_record("KZ-YUZ").successors
    ('KZ-61', 'KZ-79')
    """
    table = _registry()
    if code not in table.index:
        raise RegionMatchError([f"{code!r} is not a unit of the registry"])
    row = table.loc[code]
    until = row["valid_until"]
    area = row["area_km2"]
    return Region(
        code=code,
        kind=row["kind"],
        name_en=row["name_en"],
        name_ru=row["name_ru"],
        name_kk=row["name_kk"],
        name_kk_latn=row["name_kk_latn"],
        stat_code=row["stat_code"],
        kato=row["kato"],
        kato_status=row["kato_status"],
        admin_centre_en=row["admin_centre_en"],
        valid_from=int(row["valid_from"]),
        valid_until=None if pd.isna(until) else int(until),
        predecessors=tuple(row["predecessors"].split()),
        successors=tuple(row["successors"].split()),
        area_km2=None if pd.isna(area) else float(area),
    )


def display_name(code: str, lang: str = "en") -> str:
    """The name of ``code`` in ``en``, ``ru`` or ``kk``; ``KZ`` is the Republic itself.

    >>> display_name("KZ-75", "kk"), display_name("KZ", "en")
    ('Алматы қаласы', 'Kazakhstan')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    if code == "KZ":
        return {"en": "Kazakhstan", "ru": "Республика Казахстан", "kk": "Қазақстан Республикасы"}[
            lang
        ]
    table = _registry()
    if code not in table.index:
        raise RegionMatchError([f"{code!r} is not a region code of the registry"])
    return str(table.loc[code, f"name_{lang}"])
