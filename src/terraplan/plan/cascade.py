"""Target cascades: regional targets that add up to a national target, by a declared rule.

Given a national target for a year, :func:`cascade` proposes a target for every region from its
baseline, by one of these rules (``B`` baselines, ``T`` the national target, ``w`` population
shares for a rate, ``P`` population for a sum):

``proportional``
    every region changes by the national relative change: ``t = B · T / B_nation``;
``equal_change``
    every region changes by the same amount: for a rate the same number of points
    (``t = B + (T - B_nation)``); for a sum the same amount per inhabitant
    (``t = B + (T - B_nation) · P / P_nation``);
``convergence``
    every region closes ``gap_closure`` of its gap to the national level (for a sum, the level
    per inhabitant), then all move together so that the nation meets ``T`` (a rate: the same
    shift in points; a sum: the same factor);
``population``
    (sums only) the national target shared by population: ``t = T · P / P_nation``.

By construction the regional targets add up to ``T`` (a sum) or their population-weighted mean
is ``T`` (a rate); both are checked. Each target is then held against the region's own history:
the yearly change it needs (compound growth for a positive sum, points per year for a rate) is
compared with the 5th-95th percentile of the region's year-on-year changes up to the baseline
year, and a target outside that range is flagged ``beyond_history``.

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({"region": ["A", "B"] * 3, "year": [2020] * 2 + [2021] * 2 + [2022] * 2,
...                       "indicator": "x", "value": [10.0, 30.0, 11.0, 31.0, 12.0, 36.0]})
>>> out = cascade(panel, "x", target=60.0, year=2025, base_year=2022, additive=True)
>>> out[["region", "baseline", "target"]].to_dict("records")
[{'region': 'A', 'baseline': 12.0, 'target': 15.0}, {'region': 'B', 'baseline': 36.0, 'target': 45.0}]
"""  # noqa: E501

from __future__ import annotations

import numpy as np
import pandas as pd

from terraplan.data.panel import NATIONAL, TOTAL, validate_panel
from terraplan.errors import InputError

__all__ = ["RULES", "cascade"]

RULES: tuple[str, ...] = ("proportional", "equal_change", "convergence", "population")


def _population(panel: pd.DataFrame, regions: list[str], year: int) -> pd.Series:
    pop = panel[panel["indicator"] == "population"]
    if pop.empty:
        from terraplan.datasets import kazakhstan

        pop = kazakhstan.panel(["population"])
    pop = pop[pop["region"].isin(regions) & (pop["year"] <= year)]
    if pop.empty:
        raise InputError(f"no population up to {year} for the regions; pass weights=")
    at = pop[pop["year"] == pop["year"].max()].set_index("region")["value"]
    missing = [r for r in regions if r not in at.index]
    if missing:
        raise InputError(f"no population in {int(pop['year'].max())} for {', '.join(missing)}")
    return at[regions].astype(float)


def _history(values: pd.DataFrame, base_year: int, relative: bool) -> pd.DataFrame:
    wide = values[values["year"] <= base_year].pivot(index="year", columns="region", values="value")
    wide = wide.reindex(range(int(wide.index.min()), base_year + 1))
    change = wide.pct_change(fill_method=None) if relative else wide.diff()
    return pd.DataFrame(
        {"p5": change.quantile(0.05), "p95": change.quantile(0.95), "n": change.count()}
    )


def cascade(
    panel: pd.DataFrame,
    indicator: str,
    *,
    target: float,
    year: int,
    base_year: int,
    rule: str = "proportional",
    gap_closure: float = 0.5,
    additive: bool | None = None,
    weights: pd.Series | None = None,
    sector: str = TOTAL,
) -> pd.DataFrame:
    """Regional targets for ``indicator`` in ``year`` from a national ``target`` (module doc).

    ``additive`` defaults to the catalogue (a sum) or ``False`` (a rate, whose national value
    is the ``weights``-weighted mean: default population shares of ``base_year``). Returns one
    row per region: ``baseline``, ``target``, ``change``, ``yearly_change`` (compound growth
    for a positive sum, points per year otherwise), ``history_p5``, ``history_p95`` and
    ``plausible``; ``flag`` says ``beyond_history`` where the yearly change leaves the
    region's 5th-95th percentile band, ``short_history`` where fewer than 5 yearly changes
    exist to judge. ``attrs`` record the rule, national baseline and target,
    the weights and the check of the constraint.
    """
    if rule not in RULES:
        raise InputError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    if year <= base_year:
        raise InputError(f"the target year {year} must come after the base year {base_year}")
    if not 0 <= gap_closure <= 1:
        raise InputError(f"gap_closure must lie between 0 and 1, got {gap_closure}")
    data = validate_panel(panel)
    if additive is None:
        from terraplan.data.catalog import indicator_catalog

        catalog = indicator_catalog()
        additive = bool(catalog.loc[indicator, "additive"]) if indicator in catalog.index else False
    rows = data[
        (data["indicator"] == indicator) & (data["sector"] == sector) & data["value"].notna()
    ]
    rows = rows[rows["region"] != NATIONAL]
    base = rows[rows["year"] == base_year].set_index("region")["value"].sort_index()
    if base.empty:
        raise InputError(f"no value of {indicator!r} in the base year {base_year}")
    regions = list(base.index)
    if not additive and rule == "population":
        raise InputError("the population rule shares a sum; for a rate use proportional, ...")
    needs_pop = additive and rule in ("equal_change", "convergence", "population")
    if weights is not None:
        w = weights.reindex(regions).astype(float)
        if w.isna().any():
            raise InputError(f"weights miss {', '.join(w.index[w.isna()])}")
        w = w / w.sum()
        pop = w
    elif not additive or needs_pop:
        pop = _population(data, regions, base_year)
        w = pop / pop.sum()
    else:
        pop = w = pd.Series(1.0, index=regions)
    nation = float(base.sum()) if additive else float((w * base).sum())
    b = base.to_numpy()
    if rule == "proportional":
        if nation == 0:
            raise InputError("the national baseline is 0: the proportional rule is undefined")
        t = b * target / nation
    elif rule == "population":
        t = target * (pop / pop.sum()).to_numpy()
    elif rule == "equal_change":
        share = (pop / pop.sum()).to_numpy() if additive else np.ones(len(b))
        t = b + (target - nation) * share
    else:  # convergence
        if additive:
            per_head = b / pop.to_numpy()
            level = nation / float(pop.sum())
            moved = (per_head + gap_closure * (level - per_head)) * pop.to_numpy()
            t = moved * target / moved.sum()
        else:
            moved = b + gap_closure * (nation - b)
            t = moved + (target - float((w * moved).sum()))
    achieved = float(t.sum()) if additive else float((w.to_numpy() * t).sum())
    years = year - base_year
    relative = bool(additive and (b > 0).all() and (t > 0).all())
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = (t / b) ** (1 / years) - 1 if relative else (t - b) / years
    hist = _history(rows, base_year, relative).reindex(regions)
    beyond = (needed > hist["p95"].to_numpy()) | (needed < hist["p5"].to_numpy())
    short = hist["n"].fillna(0).to_numpy() < 5
    out = pd.DataFrame(
        {
            "region": regions,
            "indicator": indicator,
            "base_year": base_year,
            "baseline": b,
            "year": year,
            "target": t,
            "change": t - b,
            "yearly_change": needed,
            "history_p5": hist["p5"].to_numpy(),
            "history_p95": hist["p95"].to_numpy(),
            "plausible": ~beyond,
            "flag": np.select([short, beyond], ["short_history", "beyond_history"], ""),
            "rule": rule,
        }
    )
    out.attrs = {
        "method": f"target cascade ({rule})",
        "indicator": indicator,
        "national_baseline": nation,
        "national_target": target,
        "achieved": achieved,
        "constraint": "sum" if additive else "population-weighted mean",
        "weights": {r: float(v) for r, v in w.items()} if not additive else None,
        "gap_closure": gap_closure if rule == "convergence" else None,
        "yearly_change": "compound growth" if relative else "points per year",
        "history": f"year-on-year changes up to {base_year}, 5th-95th percentile",
    }
    return out
