"""Feature tables per region, the input of typologies, regionalizations and peer searches.

:func:`region_features` turns a tidy panel into one row per region and one column per feature:

* ``indicators`` – the value as published (``unemployment_rate``), column ``<id>``;
* ``per_capita`` – value divided by the region's population of the same year, column
  ``<id>_per_capita``, unit ``<unit> per person``;
* ``shares`` – for a sectoral indicator (``gva``), each sector's share of the sum over the
  sectors published that year, in percent, columns ``<id>_share_<sector>``;
* ``growth`` – average annual growth from ``growth_from`` to ``year``,
  ``((v_year / v_from) ** (1 / years) - 1) * 100``, column ``<id>_growth`` (percent a year);
* ``log`` – natural logarithm of the named columns (all values must be positive); the column
  keeps its name and its transform is recorded.

Missing values are an error that lists every missing (region, feature) pair, unless the caller
opts into ``impute="median"``: the median of the other regions, recorded in
``attrs["imputed"]``. :func:`standardize` gives z-scores (mean 0, standard deviation 1,
``ddof=0``) and keeps the means and standard deviations in ``attrs``.

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({
...     "region": ["A", "B", "A", "B"], "year": 2023, "indicator": ["grp"] * 2 + ["population"] * 2,
...     "sector": "TOTAL", "value": [10.0, 30.0, 5.0, 10.0],
...     "unit": ["million KZT"] * 2 + ["persons"] * 2, "flag": "",
... })
>>> region_features(panel, year=2023, per_capita=["grp"])["grp_per_capita"].tolist()
[2.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from terraplan.analysis.matrices import COARSE_SERVICES, FINE_SERVICES
from terraplan.errors import AnalysisError, InputError

_REQUIRED = ("region", "year", "indicator", "sector", "value", "unit")


def _check_panel(panel: pd.DataFrame, needed: dict[str, list[int]]) -> None:
    problems = []
    missing_cols = [c for c in _REQUIRED if c not in panel.columns]
    if missing_cols:
        raise InputError(
            f"the panel lacks column(s) {', '.join(missing_cols)}. Fix: pass a tidy panel "
            "(region, year, indicator, sector, value, unit, flag), e.g. kazakhstan.panel()."
        )
    for indicator, years in needed.items():
        for year in years:
            if not ((panel["indicator"] == indicator) & (panel["year"] == year)).any():
                problems.append(f"indicator {indicator!r} has no rows for {year}")
    if problems:
        raise InputError(
            "cannot build features:\n"
            + "\n".join(f"  - {p}" for p in sorted(set(problems)))
            + "\nFix: choose a year the indicators cover, or drop the feature."
        )


def _totals(panel: pd.DataFrame, indicator: str, year: int) -> tuple[pd.Series, str]:
    rows = panel[
        (panel["indicator"] == indicator) & (panel["year"] == year) & (panel["sector"] == "TOTAL")
    ]
    if rows.empty:
        raise InputError(
            f"indicator {indicator!r} has no TOTAL rows in {year}. Fix: use shares= for a "
            "sectoral indicator, or pick another indicator."
        )
    return rows.set_index("region")["value"].astype(float), str(rows["unit"].iloc[0])


def _shares(panel: pd.DataFrame, indicator: str, year: int, sectors: Sequence[str] | None):
    """Each sector's share of the sum of the sectors published that year.

    The sum covers the OKED sections and, in the years that publish services only combined
    (GVA 2010-2013), the ``OTHER_SERVICES`` row, so the shares add up to 100 % then too.
    """
    rows = panel[
        (panel["indicator"] == indicator)
        & (panel["year"] == year)
        & (
            (panel["sector"].str.len() == 1)  # OKED sections, not aggregates such as IND
            | (panel["sector"] == COARSE_SERVICES)  # services combined, when not split
        )
    ]
    matrix = rows.pivot(index="region", columns="sector", values="value").astype(float)
    fine = [c for c in matrix.columns if c in FINE_SERVICES]
    if COARSE_SERVICES in matrix.columns and fine:
        both = matrix[COARSE_SERVICES].notna() & matrix[fine].notna().any(axis=1)
        if both.any():
            raise InputError(
                f"{indicator!r} in {year} has services both combined ({COARSE_SERVICES}) and "
                f"as sections ({', '.join(fine)}) for {', '.join(matrix.index[both])}: a share "
                "of their sum would count them twice. Fix: drop one of the two levels."
            )
        matrix = matrix.drop(columns=COARSE_SERVICES if matrix[fine].notna().any().any() else fine)
    total = matrix.sum(axis=1, min_count=matrix.shape[1])
    shares = matrix.div(total, axis=0) * 100.0
    if sectors is not None:
        unknown = sorted(set(sectors) - set(shares.columns))
        if unknown:
            raise InputError(
                f"sector(s) {', '.join(unknown)} of {indicator!r} are not published in {year} "
                f"(published: {', '.join(shares.columns)}). Fix: choose published sectors."
            )
        shares = shares[list(sectors)]
    return shares.rename(columns=lambda s: f"{indicator}_share_{s}")


def region_features(
    panel: pd.DataFrame,
    *,
    year: int,
    indicators: Sequence[str] = (),
    per_capita: Sequence[str] = (),
    shares: str | None = None,
    sectors: Sequence[str] | None = None,
    growth: Sequence[str] = (),
    growth_from: int | None = None,
    log: Sequence[str] = (),
    impute: Literal["median"] | None = None,
    population: str = "population",
) -> pd.DataFrame:
    """One row per region (index ``region``, sorted), one column per feature.

    See the module docstring for the feature kinds. ``attrs`` holds ``method``, ``year``,
    ``features`` (per column: ``unit`` and ``transform``), ``imputed`` (list of
    ``(region, column)``) and ``reference``.

    Example
    -------
    >>> from terraplan.datasets import kazakhstan
    >>> panel = kazakhstan.panel()
    >>> f = region_features(panel, year=2023, per_capita=["grp"], log=["grp_per_capita"])
    >>> f.shape, f.attrs["features"]["grp_per_capita"]["transform"]
    ((20, 1), 'value / population, log')
    """
    if impute not in (None, "median"):
        raise InputError(
            f"impute={impute!r} must be None (missing values are an error) or 'median'."
        )
    if growth and growth_from is None:
        raise InputError("growth= needs growth_from= (the base year). Fix: pass growth_from=2015.")
    if not (indicators or per_capita or shares or growth):
        raise InputError(
            "no features requested. Fix: name at least one of indicators=, per_capita=, "
            "shares=, growth=."
        )
    needed: dict[str, list[int]] = {}
    for ind in [*indicators, *per_capita, *([shares] if shares else [])]:
        needed.setdefault(ind, []).append(year)
    if per_capita:
        needed.setdefault(population, []).append(year)
    for ind in growth:
        needed.setdefault(ind, []).extend([year, int(growth_from)])
    _check_panel(panel, needed)

    columns: dict[str, pd.Series] = {}
    meta: dict[str, dict[str, str]] = {}
    for ind in indicators:
        columns[ind], unit = _totals(panel, ind, year)
        meta[ind] = {"unit": unit, "transform": "value"}
    if per_capita:
        pop, _ = _totals(panel, population, year)
        for ind in per_capita:
            values, unit = _totals(panel, ind, year)
            columns[f"{ind}_per_capita"] = values / pop.where(pop > 0)
            meta[f"{ind}_per_capita"] = {
                "unit": f"{unit} per person",
                "transform": f"value / {population}",
            }
    if shares:
        for name, col in _shares(panel, shares, year, sectors).items():
            columns[name] = col
            meta[name] = {"unit": "percent", "transform": f"share of the sum of {shares} sectors"}
    for ind in growth:
        now, _ = _totals(panel, ind, year)
        then, _ = _totals(panel, ind, int(growth_from))
        span = year - int(growth_from)
        ratio = (now / then).where((now > 0) & (then > 0))
        columns[f"{ind}_growth"] = (ratio ** (1.0 / span) - 1.0) * 100.0
        meta[f"{ind}_growth"] = {
            "unit": "percent a year",
            "transform": f"average annual growth {growth_from}-{year}",
        }
    # the regions of the requested indicators in the target year; a unit found only in the
    # base year or only in the population rows (other borders) is not a row
    requested = [*indicators, *per_capita, *growth, *([shares] if shares else [])]
    rows = panel[(panel["year"] == year) & panel["indicator"].isin(requested)]
    present = sorted(rows["region"].unique())
    frame = pd.DataFrame(columns).reindex(present)
    frame.index.name = "region"

    unknown_log = [c for c in log if c not in frame.columns]
    if unknown_log:
        raise InputError(
            f"log= names unknown column(s) {', '.join(unknown_log)} "
            f"(columns: {', '.join(frame.columns)})."
        )
    bad_log = [
        f"{r}: {c} = {frame.at[r, c]:g}"
        for c in log
        for r in frame.index[frame[c].notna() & (frame[c] <= 0)]
    ]
    if bad_log:
        raise AnalysisError(
            "cannot take the log of values <= 0:\n"
            + "\n".join(f"  - {b}" for b in bad_log)
            + "\nFix: drop these columns from log=."
        )
    for c in log:
        frame[c] = np.log(frame[c])
        meta[c]["transform"] += ", log"
        meta[c]["unit"] = f"log({meta[c]['unit']})"

    missing = frame.isna()
    imputed: list[tuple[str, str]] = []
    if missing.any().any():
        pairs = [(r, c) for c in frame.columns for r in frame.index[missing[c]]]
        if impute is None:
            raise InputError(
                f"{len(pairs)} missing feature value(s) in {year}:\n"
                + "\n".join(f"  - {r}: {c}" for r, c in pairs)
                + "\nFix: pick another year, drop the feature, harmonize the panel to one "
                "layout when borders changed (terraplan.harmonize), or pass impute='median' "
                "(the median of the other regions, recorded in attrs['imputed'])."
            )
        frame = frame.fillna(frame.median())
        imputed = pairs
    frame.attrs = {
        "method": "region features",
        "year": year,
        "growth_from": growth_from,
        "features": meta,
        "imputed": imputed,
        "reference": "regions of the panel in that year",
    }
    return frame


def standardize(features: pd.DataFrame) -> pd.DataFrame:
    """Z-scores of every column (``ddof=0``); ``attrs`` keeps ``mean`` and ``std``.

    A constant column cannot be standardized and is reported, as are missing values.

    Example
    -------
    >>> z = standardize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=["A", "B", "C"]))
    >>> z["x"].round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    values = features.astype(float)
    problems = [f"column {c!r} has missing values" for c in values.columns[values.isna().any()]]
    std = values.std(ddof=0)
    problems += [f"column {c!r} is constant" for c in std.index[~(std > 0)]]
    if problems:
        raise AnalysisError(
            "cannot standardize features:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + "\nFix: drop these columns (or impute missing values in region_features)."
        )
    mean = values.mean()
    z = (values - mean) / std
    z.attrs = {**features.attrs, "standardized": True, "mean": mean.to_dict(), "std": std.to_dict()}
    return z


def kazakhstan_features(panel: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """The default feature set of the CLI for Kazakhstan's regions.

    Log GRP per capita, log investment per capita, unemployment rate, and the GVA shares of
    agriculture (A), mining (B), manufacturing (C), construction (F), trade (G), transport (H)
    and public administration (O).

    Example
    -------
    >>> from terraplan.datasets import kazakhstan
    >>> list(kazakhstan_features(kazakhstan.panel(), year=2023).columns)[:3]
    ['unemployment_rate', 'grp_per_capita', 'investment_per_capita']
    """
    return region_features(
        panel,
        year=year,
        indicators=["unemployment_rate"],
        per_capita=["grp", "investment"],
        shares="gva",
        sectors=["A", "B", "C", "F", "G", "H", "O"],
        log=["grp_per_capita", "investment_per_capita"],
    )
