"""The bundled statistics of Kazakhstan's regions, as tidy panels.

Figures of the Bureau of National Statistics (BNS), copied as published (see
``data/regions/SOURCES.md``). The Bureau's caveats are encoded, not only described:

* the region key says which borders a row is on: East Kazakhstan, Almaty Region and Karaganda
  are ``KZ-VOS``, ``KZ-ALM``, ``KZ-KAR`` (pre-2022 borders) before 2021 in the GVA tables and
  before 2022 in employment, unemployment and investment; population is on 2022 borders for all
  years; former South Kazakhstan is ``KZ-YUZ``;
* rows of a historic unit that duplicate its successors (South Kazakhstan 2011-2017 beside
  Turkistan + Shymkent) are dropped unless ``keep_duplicates=True``; where a historic unit is
  published beside only part of its successors (employment by sector 2016-2017: South Kazakhstan
  including Shymkent, and Shymkent) the part is dropped, since the whole contains it;
* 2010-2013 services appear only as the coarse ``OTHER_SERVICES`` sector of ``gva`` (sections
  I, K, M-S from 2014); section ``T`` exists only in 2025;
* 2024-2025 carry the flag ``preliminary``; volume-index dashes are NaN flagged ``not_published``.

Example
-------
>>> from terraplan.datasets import kazakhstan
>>> grp = kazakhstan.panel(["grp"], years=[2023])
>>> len(grp), grp["region"].str.startswith("KZ-").all()
(20, np.True_)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd

from terraplan._resources import data_dir
from terraplan.data.catalog import indicator_catalog
from terraplan.data.panel import NATIONAL, PANEL_COLUMNS
from terraplan.errors import InputError

#: bundled table file (in data/regions/stats) -> indicators it holds
_FILES = (
    "gva",
    "gva_volume_index",
    "population",
    "employment",
    "unemployment_rate",
    "investment",
    "gross_output",
    "income",
    "life_expectancy",
    "doctors",
    "grp_per_capita",
    "emissions",
)

#: historic unit -> the units that replaced it
_SUCCESSORS = {
    "KZ-YUZ": ("KZ-61", "KZ-79"),
    "KZ-VOS": ("KZ-63", "KZ-10"),
    "KZ-ALM": ("KZ-19", "KZ-33"),
    "KZ-KAR": ("KZ-35", "KZ-62"),
}


@cache
def _load_all() -> pd.DataFrame:
    folder = data_dir() / "stats"
    frames = [
        pd.read_csv(
            folder / f"{name}.csv",
            dtype={"region": str, "indicator": str, "sector": str, "unit": str, "flag": str},
            keep_default_na=False,
            na_values={"value": [""]},
        )
        for name in _FILES
    ]
    table = pd.concat(frames, ignore_index=True)
    table["year"] = table["year"].astype(int)
    table["value"] = table["value"].astype(float)
    return table


def _overlapping(table: pd.DataFrame) -> pd.Series:
    """Rows that double-count a territory published both as a whole and as parts.

    Decided per year and indicator (not per sector): the source carries zero-valued
    ``OTHER_SERVICES`` rows for South Kazakhstan in 2014-2017 that have no counterpart in its
    successors, and they belong with the rest of that unit's duplicated rows.
    """
    key = ["year", "indicator"]
    present = table.groupby(key)["region"].agg(frozenset)
    drop = pd.Series(False, index=table.index)
    for historic, successors in _SUCCESSORS.items():
        here = present.map(lambda regions, h=historic: h in regions)
        complete = present.map(lambda regions, s=successors: set(s) <= regions)
        partial = present.map(lambda regions, s=successors: bool(set(s) & regions))
        full_keys = present.index[here & complete]
        part_keys = present.index[here & partial & ~complete]
        row_keys = pd.MultiIndex.from_frame(table[key])
        drop |= (table["region"] == historic) & row_keys.isin(full_keys)
        drop |= table["region"].isin(successors) & row_keys.isin(part_keys)
    return drop


class KazakhstanDataset:
    """Kazakhstan's bundled regional statistics (BNS), as tidy panels keyed by ISO region code."""

    name = "kazakhstan"

    def indicators(self) -> pd.DataFrame:
        """The indicator catalogue as a table with an ``id`` column.

        >>> kazakhstan.indicators().set_index("id").loc["population", "unit"]
        'persons'
        """
        return indicator_catalog().reset_index()

    def sources(self) -> pd.DataFrame:
        """The sources of the bundled tables (id, publisher, title, BNS element, route).

        >>> kazakhstan.sources()["id"].str.startswith("bns-").all()
        np.True_
        """
        return pd.read_csv(data_dir() / "sources.csv", dtype=str, keep_default_na=False)

    def panel(
        self,
        indicators: Iterable[str] | str | None = None,
        *,
        years: Iterable[int] | None = None,
        include_national: bool = False,
        keep_duplicates: bool = False,
        with_source: bool = False,
    ) -> pd.DataFrame:
        """Return bundled statistics as a tidy panel.

        Parameters
        ----------
        indicators
            Indicator ids (see :meth:`indicators`); all when ``None``.
        years
            Keep only these years.
        include_national
            Keep the published national rows (region ``"KZ"``).
        keep_duplicates
            Keep rows of a historic unit published beside its successors (they double-count).
        with_source
            Add a ``source`` column (an id of :meth:`sources`).

        >>> p = kazakhstan.panel("gva", years=[2014])
        >>> sorted(p["sector"].unique())[:3], p["region"].nunique()
        (['A', 'B', 'C'], 17)
        """
        table = _load_all()
        if isinstance(indicators, str):
            indicators = [indicators]
        if indicators is not None:
            wanted = list(indicators)
            known = set(indicator_catalog().index)
            unknown = [i for i in wanted if i not in known]
            if unknown:
                raise InputError(
                    f"unknown indicator(s) {unknown}; the bundled indicators are "
                    f"{', '.join(sorted(known))}"
                )
            table = table[table["indicator"].isin(wanted)]
        if years is not None:
            table = table[table["year"].isin(list(years))]
        if not include_national:
            table = table[table["region"] != NATIONAL]
        if not keep_duplicates:
            table = table[~_overlapping(table)]
        columns = [*PANEL_COLUMNS, "source"] if with_source else list(PANEL_COLUMNS)
        out = table[columns].sort_values(
            ["indicator", "sector", "year", "region"], kind="mergesort"
        )
        out = out.reset_index(drop=True)
        out.attrs = {"dataset": self.name, "source": "Bureau of National Statistics (BNS)"}
        return out

    def gva(self, **kwargs) -> pd.DataFrame:
        """Gross value added by OKED section (million KZT, current prices)."""
        return self.panel(["gva"], **kwargs)

    def grp(self, **kwargs) -> pd.DataFrame:
        """Gross regional product (million KZT, current prices)."""
        return self.panel(["grp"], **kwargs)

    def population(self, **kwargs) -> pd.DataFrame:
        """Average annual population (persons), on 2022 borders for all years."""
        return self.panel(["population"], **kwargs)

    def __repr__(self) -> str:
        return "<terraplan bundled dataset: Kazakhstan regional statistics (BNS)>"


kazakhstan = KazakhstanDataset()
