"""Breaks in series: years from which an indicator is not comparable with earlier years.

``data/regions/breaks.csv`` lists them with their source: for example the census rebase of
population in 2022. Border changes are not listed here: the region key already says which
borders a value is on (``KZ-VOS`` before 2022, ``KZ-63`` after).

Example
-------
>>> from terraplan.data.breaks import series_breaks
>>> b = series_breaks("population")
>>> b[["year", "kind"]].to_dict("records")
[{'year': 2022, 'kind': 'census_rebase'}]
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from terraplan._resources import data_dir

__all__ = ["series_breaks"]


@cache
def _breaks() -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "breaks.csv", dtype=str, keep_default_na=False)
    return frame.astype({"year": int})


def series_breaks(indicator: str, region: str | None = None) -> pd.DataFrame:
    """The breaks of ``indicator`` (for every region, plus those of ``region``), by year."""
    table = _breaks()
    rows = table[(table["indicator"] == indicator) & table["region"].isin(["", region or ""])]
    return rows.sort_values("year", ignore_index=True)
