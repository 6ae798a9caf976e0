"""Periods across a border change: bring a panel to the later layout and flag what is estimated.

``advantages`` and ``shift_share`` compare two years; when the regions of the base year are on
other borders than those of the target year (GVA 2015 → 2023: East Kazakhstan, Almaty Region
and Karaganda were split in 2022), they refuse unless asked to ``harmonize=True``. Then the
panel is brought to the layout of the target year with :func:`terraplan.harmonize`: the old
units' values are split by the new units' shares of the same indicator and sector in the first
year the panel has all of them, and flagged ``estimated``. Regions whose borders did not change
keep their published figures, and the split parts add up to the old unit, so the reference
"nation" (the sum of regions) is unchanged. :func:`mark_estimated` carries the flag into the
result table (column ``estimated``) and ``attrs["harmonized"]``.

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({
...     "region": ["KZ-YUZ", "KZ-61", "KZ-79", "KZ-61", "KZ-79"], "year": [2010] + [2011] * 2
...     + [2012] * 2, "indicator": "gva", "sector": "A", "unit": "u",
...     "value": [100.0, 60.0, 20.0, 66.0, 22.0]})
>>> out = harmonized_panel(panel, year=2012, indicator="gva")
>>> out[out["year"] == 2010][["region", "value", "flag"]].values.tolist()
[['KZ-61', 75.0, 'estimated'], ['KZ-79', 25.0, 'estimated']]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from terraplan.data.harmonize import detect_layout, harmonize
from terraplan.errors import AnalysisError

ESTIMATED = "estimated"


def harmonized_panel(
    panel: pd.DataFrame,
    *,
    year: int,
    base_year: int | None = None,
    indicator: str,
    volume_indicator: str | None = None,
) -> pd.DataFrame:
    """The rows of ``indicator`` (and ``volume_indicator``) on the layout of ``year``.

    Only the years from ``base_year`` to ``year`` are used (all years up to ``year`` without
    ``base_year``): the splits take the new units' shares from the first of those years that
    has all of them.

    Published rows on that layout are kept as they are; rows of older units are split (flagged
    ``estimated``). ``attrs`` record the layout, the shares used and the estimated regions.
    """
    if not isinstance(panel, pd.DataFrame):
        raise AnalysisError(
            "harmonize=True needs a tidy panel, not a sector matrix; harmonize the panel "
            "(terraplan.harmonize) before building the matrix"
        )
    wanted = [indicator, *([volume_indicator] if volume_indicator else [])]
    first = int(base_year) if base_year is not None else panel["year"].min()
    rows = panel[panel["indicator"].isin(wanted) & panel["year"].between(first, int(year))]
    target = rows[(rows["indicator"] == indicator) & (rows["year"] == int(year))]
    if target.empty:
        raise AnalysisError(f"the panel has no {indicator!r} rows in {year} to harmonize to")
    layout = str(detect_layout(target, strict=True)["layout"].iloc[0])
    weights = {volume_indicator: indicator} if volume_indicator else None
    out = harmonize(rows, to=layout, weights=weights)
    estimated = out["flag"].str.split(";").map(lambda tokens: ESTIMATED in tokens)
    out.attrs = {
        **out.attrs,
        "estimated_regions": sorted(set(out.loc[estimated, "region"])),
    }
    return out


def mark_estimated(
    result: pd.DataFrame, harmonized: pd.DataFrame, years: Sequence[int], *, indicator: str
) -> pd.DataFrame:
    """Add ``estimated`` (True where a (region, sector) value of ``years`` was split) and
    ``attrs["harmonized"]`` to a result table with ``region`` and ``sector`` columns."""
    rows = harmonized[
        (harmonized["indicator"] == indicator) & harmonized["year"].isin([int(y) for y in years])
    ]
    flagged = rows["flag"].str.split(";").map(lambda tokens: ESTIMATED in tokens)
    keys = pd.MultiIndex.from_frame(rows.loc[flagged, ["region", "sector"]].astype(str))
    mine = pd.MultiIndex.from_frame(result[["region", "sector"]].astype(str))
    out = result.copy()
    out["estimated"] = mine.isin(keys)
    out.attrs = {
        **result.attrs,
        "harmonized": {
            "layout": harmonized.attrs.get("layout"),
            "estimated_regions": sorted(set(rows.loc[flagged, "region"])),
            "shares": harmonized.attrs.get("shares", []),
            "note": "values of regions whose borders changed are estimated splits "
            "(column estimated); other regions and the reference keep published figures",
        },
    }
    return out
