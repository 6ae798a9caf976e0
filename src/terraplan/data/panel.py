"""The tidy panel: terraplan's interchange format.

One row per region, year, indicator and sector::

    region  year  indicator  sector  value  unit  flag

``region`` is an ISO 3166-2 code (``KZ-35``; ``KZ`` for a published national row), ``sector``
is ``"TOTAL"`` for indicators without a sector breakdown, ``value`` is a float (NaN = missing)
and ``flag`` holds ``;``-joined tokens (``preliminary``, ``estimated``, ``not_published``,
``missing:<marker>``) or ``""``.

Example
-------
>>> import pandas as pd
>>> from terraplan.data.panel import validate_panel
>>> df = pd.DataFrame({"region": ["KZ-35"], "year": [2023], "indicator": ["grp"],
...                    "sector": ["TOTAL"], "value": [1.0], "unit": ["million KZT"], "flag": [""]})
>>> list(validate_panel(df).columns)
['region', 'year', 'indicator', 'sector', 'value', 'unit', 'flag']
"""

from __future__ import annotations

import pandas as pd

from terraplan.errors import InputError

PANEL_COLUMNS: tuple[str, ...] = ("region", "year", "indicator", "sector", "value", "unit", "flag")
KEY_COLUMNS: tuple[str, ...] = ("region", "year", "indicator", "sector")
TOTAL = "TOTAL"
NATIONAL = "KZ"


def validate_panel(panel: pd.DataFrame, *, name: str = "panel") -> pd.DataFrame:
    """Check that ``panel`` is a tidy panel and return a normalized copy.

    Missing optional columns are filled (``sector`` with ``"TOTAL"``, ``unit`` and ``flag`` with
    ``""``); ``year`` becomes ``int``, ``value`` ``float``; the seven panel columns come first.
    Raises :class:`~terraplan.errors.InputError` naming every problem: missing required columns,
    years or values that are not numbers, and duplicated ``(region, year, indicator, sector)``
    rows (with the duplicated keys).
    """
    if not isinstance(panel, pd.DataFrame):
        raise InputError(f"{name} must be a pandas DataFrame, got {type(panel).__name__}")
    missing = [c for c in ("region", "year", "indicator", "value") if c not in panel.columns]
    if missing:
        raise InputError(
            f"{name} lacks the column(s) {missing}; a tidy panel has the columns "
            f"{list(PANEL_COLUMNS)} (sector, unit and flag are optional)"
        )
    out = panel.copy()
    for column, default in (("sector", TOTAL), ("unit", ""), ("flag", "")):
        if column not in out.columns:
            out[column] = default
        out[column] = out[column].fillna(default).astype(str)
    problems: list[str] = []
    years = pd.to_numeric(out["year"], errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        bad = out.loc[years.isna() | (years % 1 != 0), "year"].unique()[:5]
        problems.append(f"year must be a whole number; found {list(map(str, bad))}")
    values = pd.to_numeric(out["value"], errors="coerce")
    not_numbers = values.isna() & out["value"].notna()
    if not_numbers.any():
        rows = list(out.index[not_numbers][:5])
        problems.append(
            f"value must be numeric; {int(not_numbers.sum())} cell(s) are not, e.g. at rows {rows}"
        )
    if not problems:
        out["year"] = years.astype(int)
        out["value"] = values.astype(float)
        out["region"] = out["region"].astype(str)
        out["indicator"] = out["indicator"].astype(str)
        dup = out.duplicated(list(KEY_COLUMNS), keep=False)
        if dup.any():
            keys = out.loc[dup, list(KEY_COLUMNS)].drop_duplicates().head(5)
            listed = "; ".join(" / ".join(map(str, k)) for k in keys.itertuples(index=False))
            problems.append(
                f"{int(dup.sum())} rows share a (region, year, indicator, sector) key, e.g. "
                f"{listed}; keep one row per key (sum or drop the duplicates first)"
            )
    if problems:
        raise InputError(f"{name} is not a valid tidy panel:\n  - " + "\n  - ".join(problems))
    rest = [c for c in out.columns if c not in PANEL_COLUMNS]
    return out[[*PANEL_COLUMNS, *rest]]


def add_flag(flags: pd.Series, token: str, where: pd.Series | None = None) -> pd.Series:
    """Return ``flags`` with ``token`` added (``;``-joined, no repeats) where ``where`` is true.

    >>> import pandas as pd
    >>> add_flag(pd.Series(["", "preliminary", "estimated"]), "estimated").tolist()
    ['estimated', 'preliminary;estimated', 'estimated']
    """
    where = pd.Series(True, index=flags.index) if where is None else where
    has = flags.str.split(";").map(lambda tokens: token in tokens)
    target = where & ~has
    joined = (flags + ";" + token).str.lstrip(";")
    return flags.where(~target, joined)
