"""Panels between layouts: detect which layout a panel is on, and harmonize it to another.

Every unit of every layout is a union of 2022 units
(:func:`terraplan.territory.layouts.unit_atoms`), so

* aggregating to an older layout is exact (sums, or weighted means for rates);
* splitting an old unit into new ones is an estimate from documented shares, and every such
  value carries the flag token ``estimated``.

Example
-------
>>> import pandas as pd
>>> from terraplan.data.harmonize import harmonize
>>> parts = pd.DataFrame({"region": ["KZ-61", "KZ-79"], "year": 2017, "indicator": "grp",
...                       "value": [2.0, 3.0]})
>>> harmonize(parts, to="KZ-1997")[["region", "value"]].to_dict("records")
[{'region': 'KZ-YUZ', 'value': 5.0}]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from terraplan.data.panel import (
    KEY_COLUMNS,
    NATIONAL,
    PANEL_COLUMNS,
    TOTAL,
    add_flag,
    validate_panel,
)
from terraplan.errors import LayoutError
from terraplan.territory.boundaries import boundaries
from terraplan.territory.layouts import (
    check_layout,
    layout_for_year,
    layout_sets,
    layout_units,
    unit_atoms,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ESTIMATED", "boundaries_for_panel", "detect_layout", "harmonize"]

#: flag token of every value estimated by splitting an old unit into new ones
ESTIMATED = "estimated"

Weights = str | pd.DataFrame | Mapping[str, "str | pd.DataFrame"]


# --------------------------------------------------------------------------- detection


def _overlaps(present: Iterable[str]) -> list[str]:
    atoms = unit_atoms()
    codes = sorted(present)
    out = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if atoms[a] & atoms[b]:
                out.append(f"{a} overlaps {b}")
    return out


def _detect_one(present: frozenset[str], year: int) -> dict[str, object]:
    sets = layout_sets()
    candidates = {name: units for name, units in sets.items() if present <= units}
    overlaps = _overlaps(present)
    if candidates and not overlaps:
        complete = [name for name, units in candidates.items() if units == present]
        in_force = layout_for_year(year) if year >= 1997 else ""
        fewest = min(candidates, key=lambda name: len(candidates[name] - present))
        layout = complete[0] if complete else (in_force if in_force in candidates else fewest)
        missing = sorted(sets[layout] - present)
        message = f"{len(missing)} unit(s) of {layout} missing" if missing else ""
        return {"layout": layout, "missing": " ".join(missing), "extra": "", "mixed": False,
                "message": message}  # fmt: skip
    closest = min(sets, key=lambda name: (len(present - sets[name]), len(sets[name] - present)))
    extra = sorted(present - sets[closest])
    where = {
        code: [name for name, units in sets.items() if code in units] for code in sorted(present)
    }
    described = ", ".join(f"{code} ({'/'.join(where[code]) or 'no layout'})" for code in extra)
    parts = [f"year {year} mixes layouts: closest is {closest}, but it has no {described}"]
    if overlaps:
        parts.append("the same territory appears twice: " + "; ".join(overlaps))
    parts.append(
        "fix: keep one side of each overlap, or bring the panel onto one layout with "
        "terraplan.harmonize(panel, to=...)"
    )
    return {"layout": "", "missing": " ".join(sorted(sets[closest] - present)),
            "extra": " ".join(extra), "mixed": True, "message": "; ".join(parts)}  # fmt: skip


def detect_layout(panel: pd.DataFrame, *, by: str | None = None, strict: bool = False):
    """Per year (and per ``by`` column, e.g. ``"indicator"``): the layout the regions are on.

    Returns a DataFrame with ``year``, ``layout`` (``""`` when the year mixes layouts),
    ``n_regions``, ``missing`` and ``extra`` (space-separated codes against the detected layout,
    or against the closest one when mixed), ``mixed`` and a ``message``. A year mixes layouts
    when its units fit no single layout (e.g. ``KZ-YUZ`` beside ``KZ-10``) or overlap (``KZ-VOS``
    beside ``KZ-63``). Where several layouts fit (a year with few regions), the one in force that
    year is preferred. National rows (``KZ``) are ignored. ``strict=True`` raises
    :class:`~terraplan.errors.LayoutError` listing every mixed year.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"region": ["KZ-VOS", "KZ-10", "KZ-61"], "year": [2020, 2021, 2021],
    ...                   "indicator": "grp", "value": 1.0})
    >>> detect_layout(p)[["year", "layout", "mixed"]].to_dict("records")
    [{'year': 2020, 'layout': 'KZ-2018', 'mixed': False}, {'year': 2021, 'layout': 'KZ-2022', 'mixed': False}]
    """  # noqa: E501
    data = validate_panel(panel)
    data = data[data["region"] != NATIONAL]
    _check_codes(data["region"])
    keys = ["year"] if by is None else [by, "year"]
    rows = []
    for key, group in data.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        present = frozenset(group["region"])
        found = _detect_one(present, int(key[-1]))
        rows.append({**dict(zip(keys, key, strict=True)), "n_regions": len(present), **found})
    columns = [*keys, "layout", "n_regions", "missing", "extra", "mixed", "message"]
    out = pd.DataFrame(rows, columns=columns)
    out = out.astype({"year": int, "n_regions": int, "mixed": bool})
    out.attrs = {"method": "detect_layout", "by": by}
    if strict and out["mixed"].any():
        raise LayoutError("\n".join(out.loc[out["mixed"], "message"]))
    return out


def _check_codes(codes: pd.Series) -> None:
    atoms = unit_atoms()
    unknown = sorted(set(codes) - set(atoms) - {NATIONAL})
    if unknown:
        raise LayoutError(
            f"{len(unknown)} region code(s) are not units of the registry: {unknown}. Match "
            "names to codes first (terraplan.match_regions); historic units are KZ-YUZ, KZ-VOS, "
            "KZ-ALM, KZ-KAR"
        )


# --------------------------------------------------------------------------- harmonize


def _additivity(indicators: Iterable[str], additive: Mapping[str, bool] | None) -> dict:
    from terraplan.data.catalog import indicator_catalog

    catalog = indicator_catalog()
    given = dict(additive or {})
    out, unknown = {}, []
    for indicator in indicators:
        if indicator in given:
            out[indicator] = bool(given[indicator])
        elif indicator in catalog.index:
            out[indicator] = bool(catalog.loc[indicator, "additive"])
        else:
            unknown.append(indicator)
    if unknown:
        raise LayoutError(
            f"harmonize must know whether {unknown} are additive (sums) or rates (weighted "
            "means), and they are not in the indicator catalogue; pass additive={'"
            f"{unknown[0]}': True}} (or False with weights=...)"
        )
    return out


def _weight_table(spec: str | pd.DataFrame, data: pd.DataFrame) -> tuple[pd.Series, str]:
    """A weights source -> Series indexed by (region, year, sector), and its description."""
    if isinstance(spec, str):
        rows = data[data["indicator"] == spec]
        if rows.empty:
            from terraplan.datasets import kazakhstan

            rows = kazakhstan.panel([spec])
            described = f"{spec} (bundled)"
        else:
            described = f"{spec} (from the panel)"
    else:
        rows = validate_panel(spec, name="weights")
        described = "weights panel " + "/".join(sorted(rows["indicator"].unique()))
    table = rows.groupby(["region", "year", "sector"])["value"].sum(min_count=1)
    return table, described


def _weights_for(
    indicator: str, weights: Weights | None, data: pd.DataFrame
) -> tuple[pd.Series, str] | None:
    if weights is None:
        return None
    if isinstance(weights, Mapping):
        if indicator not in weights:
            return None
        return _weight_table(weights[indicator], data)
    return _weight_table(weights, data)


def _lookup(table: pd.Series, frame: pd.DataFrame) -> np.ndarray:
    """Weight of each row of ``frame``: same sector first, else the TOTAL of that region-year."""
    same = table.reindex(pd.MultiIndex.from_frame(frame[["region", "year", "sector"]]))
    total = table.reindex(
        pd.MultiIndex.from_arrays([frame["region"], frame["year"], [TOTAL] * len(frame)])
    )
    return np.where(np.isfinite(same.to_numpy()), same.to_numpy(), total.to_numpy())


def _join_flags(flags: pd.Series) -> str:
    tokens: list[str] = []
    for flag in flags:
        for token in flag.split(";"):
            if token and token not in tokens:
                tokens.append(token)
    return ";".join(tokens)


def _aggregate(parts: pd.DataFrame, additive: dict, weights: Weights | None, data) -> tuple:
    """Sum (or weight-average) parts into their target unit; report what could not be done."""
    atoms = unit_atoms()
    group = ["target", "year", "indicator", "sector"]
    problems: list[str] = []
    frames = []
    for indicator, rows in parts.groupby("indicator", sort=True):
        rows = rows.copy()
        if additive[indicator]:
            rows["num"], rows["den"] = rows["value"], 1.0
        else:
            found = _weights_for(indicator, weights, data)
            if found is None:
                problems.append(
                    f"{indicator} is not additive: aggregating it to the older units needs "
                    f"weights, e.g. harmonize(panel, to=..., weights={{'{indicator}': "
                    "'population'}) (an indicator id or a panel)"
                )
                continue
            table, _ = found
            rows["w"] = _lookup(table, rows)
            lacking = rows[~np.isfinite(rows["w"])]
            if not lacking.empty:
                listed = ", ".join(
                    f"{r.region} {r.year}" for r in lacking.head(6).itertuples(index=False)
                )
                problems.append(
                    f"{indicator}: {len(lacking)} part(s) have no weight ({listed}); give weights "
                    "for every region and year to aggregate"
                )
                continue
            rows["num"], rows["den"] = rows["value"] * rows["w"], rows["w"]
        rows["atoms"] = rows["region"].map(atoms)
        agg = rows.groupby(group, sort=True).agg(
            num=("num", lambda s: s.sum(min_count=len(s))),
            den=("den", "sum"),
            unit=("unit", "first"),
            flag=("flag", _join_flags),
            atoms=("atoms", lambda s: frozenset().union(*s)),
        )
        agg["value"] = agg["num"] if additive[indicator] else agg["num"] / agg["den"]
        targets = agg.index.get_level_values(0)
        complete = [a == atoms[t] for a, t in zip(agg["atoms"], targets, strict=True)]
        agg.loc[~np.array(complete, dtype=bool), ["value", "flag"]] = [np.nan, "missing:parts"]
        frames.append(agg.reset_index().rename(columns={"target": "region"}))
    if not frames:
        return pd.DataFrame(columns=list(PANEL_COLUMNS)), problems
    out = pd.concat(frames, ignore_index=True)
    return out[list(PANEL_COLUMNS)], problems


def _explicit_shares(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    missing = {"region", "share"} - set(table.columns)
    if missing:
        raise LayoutError(f"the shares table lacks the column(s) {sorted(missing)}")
    out: dict[str, dict[str, float]] = {}
    atoms = unit_atoms()
    for region, share in zip(table["region"], table["share"], strict=True):
        whole = [c for c, a in atoms.items() if len(a) > 1 and atoms.get(region, set()) < a]
        for code in whole:
            out.setdefault(code, {})[region] = float(share)
    return out


def _shares(
    wholes: pd.DataFrame, level: pd.DataFrame, shares, data: pd.DataFrame, to: str
) -> tuple[pd.DataFrame, list[str], list[dict]]:
    """Share of each new unit in its old unit, per row of ``wholes`` (long: one row per part)."""
    problems: list[str] = []
    used: list[dict] = []
    rows = []
    unsplit: dict[tuple[str, str, tuple[str, ...]], list] = {}
    if isinstance(shares, pd.DataFrame):
        fixed = _explicit_shares(shares)
    if isinstance(shares, str):
        source, described = _weight_table(shares, data)
        totals = source[source.index.get_level_values("sector") == TOTAL].droplevel("sector")
    by_series = dict(iter(level.groupby(["indicator", "sector"])))
    nearest: dict[str, pd.DataFrame] = {}
    groups = wholes.groupby(["region", "indicator", "sector"], sort=True)["year"]
    for (unit, indicator, sector), years in groups:
        children = _units_map(to)[unit]
        span = _span(years)
        if isinstance(shares, pd.DataFrame):
            got = fixed.get(unit, {})
            if set(got) != set(children) or not np.isclose(sum(got.values()), 1.0):
                problems.append(
                    f"the shares table must give {', '.join(children)} shares of {unit} "
                    f"that sum to 1; it gives {got}"
                )
                continue
            found = {year: ([got[c] for c in children], "shares table") for year in years}
        elif isinstance(shares, str):
            if unit not in nearest:
                nearest[unit] = _complete_years(totals, children)
            wide = nearest[unit]
            if wide.empty:
                problems.append(f"{described} has no year with all of {', '.join(children)}")
                continue
            found = {year: _nearest_year(wide, year, described) for year in years}
        else:
            own = by_series.get((indicator, sector), level.iloc[:0])
            values, basis = _first_year(own, children, indicator, sector)
            if values is None:
                unsplit.setdefault((unit, indicator, tuple(children)), []).append((sector, span))
                continue
            found = {year: (values, basis) for year in years}
        for year, (values, _) in found.items():
            total = float(np.sum(values))
            rows += [
                (unit, year, indicator, sector, child, value / total)
                for child, value in zip(children, values, strict=True)
            ]
        for basis in sorted({basis for _, basis in found.values()}):
            first = next(values for values, b in found.values() if b == basis)
            total = float(np.sum(first))
            used += [
                {
                    "unit": unit,
                    "part": child,
                    "indicator": indicator,
                    "sector": sector,
                    "years": span,
                    "share": float(value / total),
                    "basis": basis,
                }
                for child, value in zip(children, first, strict=True)
            ]
    problems += _unsplit_problems(unsplit)
    columns = ["region", "year", "indicator", "sector", "part", "share"]
    return pd.DataFrame(rows, columns=columns), problems, used


def _unsplit_problems(unsplit: dict[tuple[str, str, tuple[str, ...]], list]) -> list[str]:
    """One line per unit and indicator that could not be split, its sectors grouped."""
    lines = []
    for (unit, indicator, children), found in unsplit.items():
        sectors = [sector for sector, _ in found]
        spans = sorted({span for _, span in found})
        what = (
            f"{indicator}/{sectors[0]}"
            if len(sectors) == 1
            else f"{indicator} ({len(sectors)} sectors: {', '.join(sectors)})"
        )
        lines.append(
            f"cannot split {unit} {what}, {', '.join(spans)}, into {', '.join(children)}: the "
            "panel has no year with all of them; pass shares='population' (or another "
            "indicator id) or a shares table (region, share)"
        )
    return lines


def _span(years: pd.Series) -> str:
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}-{last}"


@cache
def _units_map(to: str) -> dict[str, list[str]]:
    """Every registry unit -> the units of ``to`` that make it up (or the one containing it)."""
    return {code: layout_units(code, to) for code in unit_atoms()}


def _first_year(own: pd.DataFrame, children: list[str], indicator: str, sector: str):
    wide = _complete_years(own.set_index(["year", "region"])["value"], children)
    if wide.empty:
        return None, ""
    first = int(wide.index.min())
    return wide.loc[first].to_numpy(float), f"{indicator}/{sector} {first}"


def _complete_years(totals: pd.Series, children: list[str]) -> pd.DataFrame:
    """Years (rows) in which every one of ``children`` has a value, and the sum is not 0."""
    wide = totals[totals.index.get_level_values("region").isin(children)].unstack("region")
    wide = wide.reindex(columns=children).dropna()
    return wide[wide.sum(axis=1) != 0]


def _nearest_year(wide: pd.DataFrame, year: int, described: str):
    years = wide.index.to_numpy()
    pick = int(years[np.lexsort((-years, np.abs(years - year)))[0]])
    return wide.loc[pick].to_numpy(float), f"{described} {pick}"


def harmonize(
    panel: pd.DataFrame,
    to: str = "KZ-2022",
    weights: Weights | None = None,
    *,
    additive: Mapping[str, bool] | None = None,
    shares: str | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Bring a tidy panel onto one layout (``KZ-2022``, ``KZ-2018`` or ``KZ-1997``).

    * **Aggregation** to an older layout is exact: additive indicators (``additive`` column of
      the catalogue, or the ``additive`` argument for your own indicators) are summed; rates
      and indices are averaged with ``weights``, e.g. ``weights={"unemployment_rate":
      "population"}`` (an indicator id, looked up in the panel and then in the bundled data, or a
      tidy panel of weights; one for all rates or a mapping per indicator). A unit with a part
      missing gets NaN and the flag ``missing:parts``.
    * **Splitting** an old unit into new ones is estimated and flagged ``estimated``. Additive
      values are split by shares: by default the new units' shares of the same indicator and
      sector in the first year the panel has all of them (the Bureau publishes Turkistan and
      Shymkent back to 2011 and Abai, Jetisu, Ulytau from 2021); ``shares="population"`` uses
      the new units' shares of that indicator in the same (or nearest) year; a table with columns
      ``region, share`` fixes them. A rate is carried over unchanged to each part, which keeps
      its weighted mean equal to the old rate, and needs ``weights`` like aggregation; without
      them it raises :class:`~terraplan.errors.LayoutError`.
    * Published values win: a derived value is added only where the panel has no published row
      for that key. Flags of the parts are kept (joined); national rows pass through.

    The shares used are listed in ``result.attrs["shares"]``.

    >>> import pandas as pd
    >>> old = pd.DataFrame({"region": ["KZ-YUZ", "KZ-61", "KZ-79"], "year": [2010, 2011, 2011],
    ...                     "indicator": "grp", "value": [100.0, 60.0, 20.0]})
    >>> out = harmonize(old, to="KZ-2018")
    >>> out[out["year"] == 2010][["region", "value", "flag"]].to_dict("records")
    [{'region': 'KZ-61', 'value': 75.0, 'flag': 'estimated'}, {'region': 'KZ-79', 'value': 25.0, 'flag': 'estimated'}]
    """  # noqa: E501
    check_layout(to)
    data = validate_panel(panel)
    data.attrs = {}  # pandas deep-copies attrs on every operation; the input's are not needed
    _check_codes(data["region"])
    target = layout_sets()[to]
    units = _units_map(to)
    national = data[data["region"] == NATIONAL]
    regional = data[data["region"] != NATIONAL]
    inside = regional["region"].isin(target)
    relation = regional["region"].map(
        lambda c: "same" if c in target else ("part" if len(units[c]) == 1 else "whole")
    )
    published = regional[inside]
    parts = regional[relation == "part"].copy()
    wholes = regional[relation == "whole"]
    needed = sorted(set(parts["indicator"]) | set(wholes["indicator"]))
    kinds = _additivity(needed, additive)
    problems: list[str] = []

    parts["target"] = parts["region"].map(lambda c: units[c][0])
    aggregated, found = _aggregate(parts, kinds, weights, data)
    problems += found
    level = pd.concat([published, _fresh(aggregated, published)], ignore_index=True)

    split, found, used = _split(wholes, level, kinds, weights, shares, data, to)
    problems += found
    if problems:
        raise LayoutError(f"cannot harmonize the panel to {to}:\n  - " + "\n  - ".join(problems))
    out = pd.concat(
        [frame for frame in (national, level, _fresh(split, level)) if not frame.empty],
        ignore_index=True,
    )
    out = out[list(PANEL_COLUMNS)].sort_values(
        ["indicator", "sector", "year", "region"], kind="mergesort", ignore_index=True
    )
    out.attrs = {
        "method": "harmonize",
        "layout": to,
        "indicator": sorted(data["indicator"].unique()),
        "years": sorted(int(y) for y in data["year"].unique()),
        "reference": f"units of {to} (aggregated exactly; splits estimated)",
        "shares": used,
        "weights": _describe_weights(weights),
    }
    for column in ("unit", "flag"):
        out[column] = out[column].astype(str)
    return out


def _describe_weights(weights: Weights | None) -> object:
    if weights is None or isinstance(weights, str):
        return weights
    if isinstance(weights, Mapping):
        return {k: v if isinstance(v, str) else "panel" for k, v in weights.items()}
    return "panel"


def _fresh(derived: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``derived`` whose key is not among the published rows."""
    if derived.empty or published.empty:
        return derived
    key = list(KEY_COLUMNS)
    taken = pd.MultiIndex.from_frame(published[key])
    return derived[~pd.MultiIndex.from_frame(derived[key]).isin(taken)]


def _split(wholes, level, kinds, weights, shares, data, to) -> tuple:
    problems: list[str] = []
    if wholes.empty:
        return pd.DataFrame(columns=list(PANEL_COLUMNS)), problems, []
    rates = sorted(i for i in wholes["indicator"].unique() if not kinds[i])
    for indicator in rates:
        if _weights_for(indicator, weights, data) is None:
            problems.append(
                f"{indicator} is not additive and cannot be split by shares; name its weights "
                f"(weights={{'{indicator}': 'population'}}) to carry the rate over to each new "
                "unit as an estimate"
            )
    additive = wholes[wholes["indicator"].map(kinds)]
    table, found, used = _shares(additive, level, shares, data, to)
    problems += found
    pieces = []
    if not table.empty:
        merged = additive.merge(table, on=["region", "year", "indicator", "sector"])
        merged["value"] = merged["value"] * merged["share"]
        pieces.append(merged.drop(columns=["region", "share"]).rename(columns={"part": "region"}))
    carried = wholes[wholes["indicator"].isin(rates)]
    if not carried.empty:
        rows = carried.assign(part=carried["region"].map(_units_map(to)))
        pieces.append(
            rows.explode("part").drop(columns="region").rename(columns={"part": "region"})
        )
    if not pieces:
        return pd.DataFrame(columns=list(PANEL_COLUMNS)), problems, used
    out = pd.concat(pieces, ignore_index=True)

    out["flag"] = add_flag(out["flag"].astype(str), ESTIMATED)
    return out[list(PANEL_COLUMNS)], problems, used


def boundaries_for_panel(
    panel: pd.DataFrame, year: int, *, resolution: str = "simplified"
) -> gpd.GeoDataFrame:
    """The polygons a map of ``panel`` in ``year`` should draw: the layout its data are on.

    The layout is detected from the regions of that year (:func:`detect_layout`; where several
    fit, the layout in force that year); a year without rows draws the layout in force
    (:func:`layout_for_year`). A year that mixes layouts raises
    :class:`~terraplan.errors.LayoutError` (harmonize the panel first).

    >>> import pandas as pd
    >>> p = pd.DataFrame({"region": ["KZ-YUZ"], "year": [2015], "indicator": "grp", "value": 1.0})
    >>> boundaries_for_panel(p, 2015).attrs["layout"]
    'KZ-1997'
    """
    data = validate_panel(panel)
    rows = data[(data["year"] == year) & (data["region"] != NATIONAL)]
    if rows.empty:
        layout = layout_for_year(year)
    else:
        found = detect_layout(rows, strict=True)
        layout = str(found["layout"].iloc[0])
    out = boundaries(layout=layout, resolution=resolution)
    out.attrs = {**out.attrs, "layout": layout, "year": int(year)}
    return out
