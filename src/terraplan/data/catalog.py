"""The indicator catalogue: id, names (en/ru/kk), unit, polarity, kind, additivity, source, caveats.

Example
-------
>>> from terraplan.data.catalog import indicator_catalog
>>> cat = indicator_catalog()
>>> cat.loc["unemployment_rate", "polarity"]
'lower_is_better'
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from terraplan._resources import data_dir
from terraplan.errors import InputError

POLARITIES = ("higher_is_better", "lower_is_better", "neutral")


@cache
def _catalog() -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "indicators.csv", dtype=str, keep_default_na=False)
    for column in ("additive", "sectoral"):
        frame[column] = frame[column].map({"true": True, "false": False})
    return frame.set_index("id")


def indicator_catalog() -> pd.DataFrame:
    """Return the catalogue of bundled indicators, indexed by indicator id (a fresh copy)."""
    return _catalog().copy()


def indicator_info(indicator: str) -> pd.Series:
    """Return one catalogue row; an unknown id raises InputError listing the known ids.

    >>> indicator_info("grp")["unit"]
    'million KZT, current prices'
    """
    catalog = _catalog()
    if indicator not in catalog.index:
        raise InputError(
            f"unknown indicator {indicator!r}; the bundled indicators are "
            f"{', '.join(catalog.index)}"
        )
    return catalog.loc[indicator].copy()
