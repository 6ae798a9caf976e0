"""The framework's indicators as a long panel (``unit``, ``year``, ``indicator``, ``value``).

Plain indicators are read as they are; ratios are ``numerator / denominator * scale`` of the
same unit and year. A historic unit with no denominator of its own (e.g. ``KZ-VOS``, East
Kazakhstan on its pre-2022 borders, where population is published on 2022 borders only) gets
the sum of its successors' denominators, which is the same territory; a unit whose successors
are not all present gets no ratio. Works on any unit keys (regions, districts).

Example
-------
>>> import pandas as pd
>>> from terraplan.data.framework import framework_from_dict
>>> fw = framework_from_dict({"id": "d", "pillars": [{"id": "p", "indicators": [
...     {"id": "x_pc", "numerator": "x", "denominator": "pop", "scale": 10}]}]})
>>> data = pd.DataFrame({"region": ["A", "A"], "year": 2020, "indicator": ["x", "pop"],
...                      "value": [3.0, 30.0]})
>>> framework_panel(fw, data)[["unit", "indicator", "value"]].to_dict("records")
[{'unit': 'A', 'indicator': 'x_pc', 'value': 1.0}]
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from terraplan.data.framework import Framework
from terraplan.errors import InputError

PANEL = ["unit", "year", "indicator", "value"]


def _successors() -> dict[str, tuple[str, ...]]:
    from terraplan.territory.registry import regions

    table = regions(None)
    return {
        code: tuple(row.split())
        for code, row in table["successors"].items()
        if isinstance(row, str) and row.strip()
    }


def _denominator(den: pd.DataFrame, successors: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    wide = den.pivot_table(index="unit", columns="year", values="value", aggfunc="first")
    extra = {}
    for unit, parts in successors.items():
        if unit not in wide.index and set(parts) <= set(wide.index):
            extra[unit] = wide.loc[list(parts)].sum(min_count=len(parts))
    if extra:
        wide = pd.concat([wide, pd.DataFrame(extra).T])
    return wide.stack().rename("den").reset_index().rename(columns={"level_0": "unit"})


def framework_panel(
    framework: Framework,
    data: pd.DataFrame | None = None,
    *,
    successors: Mapping[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """The long panel of the framework's indicators from ``data`` (default: bundled data).

    ``data`` is a tidy panel with ``region`` (or ``unit``), ``year``, ``indicator``, ``value``
    (other columns ignored; a ``sector`` column keeps only ``TOTAL`` rows).
    """
    if data is None:
        from terraplan.data.datasets import kazakhstan

        needed = sorted({x for i in framework.indicators for x in i.inputs})
        data = kazakhstan.panel(needed)
    successors = _successors() if successors is None else successors
    frame = data
    if "region" in frame.columns:  # a tidy panel: its ``unit`` is the unit of measure
        frame = frame.drop(columns=["unit"], errors="ignore").rename(columns={"region": "unit"})
    if "sector" in frame.columns:
        frame = frame[frame["sector"] == "TOTAL"]
    missing_cols = [c for c in PANEL if c not in frame.columns]
    if missing_cols:
        raise InputError(f"indicator data lack column(s) {missing_cols} (need {PANEL})")
    frame = frame[PANEL].dropna(subset=["value"])
    have = set(frame["indicator"])
    absent = sorted({x for i in framework.indicators for x in i.inputs if x not in have})
    if absent:
        raise InputError(
            f"framework {framework.id!r} uses indicator(s) {absent} that the data do not have"
        )
    parts = []
    for ind in framework.indicators:
        if ind.numerator:
            num = frame[frame["indicator"] == ind.numerator]
            den = _denominator(frame[frame["indicator"] == ind.denominator], successors)
            both = num.merge(den, on=["unit", "year"])
            values = both["value"] / both["den"] * ind.scale
            part = both[["unit", "year"]].assign(indicator=ind.id, value=values.to_numpy())
        else:
            part = frame[frame["indicator"] == ind.id].assign(
                value=lambda f, s=ind.scale: f["value"] * s
            )
        parts.append(part[PANEL])
    out = pd.concat(parts, ignore_index=True)
    out = out[out["value"].notna() & (out["value"] != float("inf"))]
    out["year"] = out["year"].astype(int)
    out = out.sort_values(["indicator", "unit", "year"], kind="mergesort").reset_index(drop=True)
    out.attrs = {"framework": framework.id}
    return out


def year_matrix(panel: pd.DataFrame, year: int, indicators: list[str]) -> pd.DataFrame:
    """Units x indicators of one year (units with at least one value that year).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "B"], "year": 2020, "indicator": "x", "value": [1.0, 2]})
    >>> year_matrix(p, 2020, ["x", "y"]).shape
    (2, 2)
    """
    sub = panel[panel["year"] == year]
    wide = sub.pivot_table(index="unit", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=indicators).sort_index()
    wide.columns.name = None
    wide.index.name = "unit"
    return wide


def latest_year(panel: pd.DataFrame, indicators: list[str], min_coverage: float) -> int:
    """The latest year where every indicator covers ``min_coverage`` of the most units a year has.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "B", "A"], "year": [2020, 2020, 2021],
    ...                   "indicator": "x", "value": 1.0})
    >>> latest_year(p, ["x"], 0.9)
    2020
    """
    counts = panel.groupby(["year", "indicator"])["unit"].nunique().unstack()
    counts = counts.reindex(columns=indicators)
    units = panel.groupby("year")["unit"].nunique().max()
    ok = counts.ge(units * min_coverage).all(axis=1)
    if not ok.any():
        raise InputError(
            f"no year has every indicator for {min_coverage:.0%} of the units; "
            "lower the framework's coverage or give --year"
        )
    return int(ok[ok].index.max())
