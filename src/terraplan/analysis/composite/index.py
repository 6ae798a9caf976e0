"""Build a composite index: screening, imputation, outliers, normalisation, weights, aggregation.

:func:`build_index` runs the steps of the JRC/OECD handbook in order, each a pure function of
this package, for one year of a framework's panel, and records every step's parameters in
:attr:`CompositeIndex.steps`. Indicators are aggregated into pillars, pillars into the index
(Copeland is applied to all indicators at once with their overall weights, since it ranks
rather than averages). Rank 1 is the best unit.

Example
-------
>>> import pandas as pd
>>> from terraplan.data.framework import framework_from_dict
>>> fw = framework_from_dict({"id": "d", "pillars": [
...     {"id": "p", "indicators": [{"id": "a"}, {"id": "b", "polarity": "lower_is_better"}]}]})
>>> panel = pd.DataFrame({"unit": ["R1", "R2", "R3"] * 2, "year": 2020,
...                       "indicator": ["a"] * 3 + ["b"] * 3,
...                       "value": [1.0, 2.0, 3.0, 30.0, 20.0, 10.0]})
>>> build_index(fw, panel).rank.to_dict()
{'R1': 3, 'R2': 2, 'R3': 1}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from terraplan.analysis.composite.aggregate import aggregate, positive, weighted_means
from terraplan.analysis.composite.inputs import latest_year, year_matrix
from terraplan.analysis.composite.normalise import normalise, panel_goalposts
from terraplan.analysis.composite.treat import impute, screen, treat_outliers
from terraplan.analysis.composite.weights import (
    budget_weights,
    equal_weights,
    expert_weights,
    pca_weights,
    stage_pillar_weights,
)
from terraplan.data.framework import DEFAULT_CHOICES, Framework
from terraplan.errors import AnalysisError, InputError


@dataclass
class CompositeIndex:
    """The result of :func:`build_index` (tables indexed by unit)."""

    framework: Framework
    year: int
    choices: dict[str, str]
    raw: pd.DataFrame
    flags: pd.DataFrame
    treated: pd.DataFrame
    outliers: pd.DataFrame
    normalised: pd.DataFrame
    weights: pd.Series
    pillar_weights: pd.Series
    pillars: pd.DataFrame
    index: pd.Series
    steps: list[dict[str, Any]] = field(default_factory=list)
    unit_weights: pd.DataFrame | None = None

    @property
    def rank(self) -> pd.Series:
        """Rank of each unit (1 = best; ties share the best rank)."""
        return self.index.rank(ascending=False, method="min").astype(int)

    def overall_weights(self) -> pd.Series:
        """Weight of each indicator in the index (within-pillar weight x pillar weight)."""
        pillar = pd.Series(self.framework.pillar_of()).reindex(self.weights.index)
        w = self.weights * self.pillar_weights.reindex(pillar).to_numpy()
        return w / w.sum()

    def table(self) -> pd.DataFrame:
        """Index, rank and pillar scores per unit, best first."""
        out = self.pillars.copy()
        out.insert(0, "rank", self.rank)
        out.insert(0, "index", self.index)
        out = out.sort_values(["rank", "index"], ascending=[True, False], kind="mergesort")
        out.attrs = {"framework": self.framework.id, "year": self.year, **self.choices}
        return out


def _weights(
    framework: Framework, method: str, normalised: pd.DataFrame, pillar: pd.Series
) -> pd.Series:
    if method == "equal":
        return equal_weights(pillar)
    if method == "expert":
        return expert_weights({i.id: i.weight for i in framework.indicators}, pillar)
    if method == "pca":
        return pca_weights(normalised, pillar)
    return budget_weights(framework.budget, pillar)


def aggregate_hierarchy(
    normalised: pd.DataFrame,
    weights: pd.Series,
    pillar: pd.Series,
    pillar_weights: pd.Series,
    method: str,
    unit_weights: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Pillar scores and the index from normalised indicators (see module docstring).

    ``unit_weights`` (unit x pillar) replaces ``pillar_weights`` unit by unit (stage weights);
    Copeland ignores it (its pairwise votes need one set of weights).

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [0.0, 100.0], "b": [100.0, 0.0], "c": [0.0, 100.0]})
    >>> pil = pd.Series({"a": "p", "b": "p", "c": "q"})
    >>> _, idx = aggregate_hierarchy(X, pd.Series(0.5, index=["a", "b"]).reindex(pil.index)
    ...     .fillna(1.0), pil, pd.Series({"p": 1.0, "q": 1.0}), "arithmetic")
    >>> idx.tolist()
    [25.0, 75.0]
    """
    pillars = {}
    for pid in pd.unique(pillar.to_numpy()):
        cols = list(pillar.index[pillar == pid])
        pillars[pid] = aggregate(normalised[cols], weights[cols], method)
    table = pd.DataFrame(pillars, index=normalised.index)
    if method == "copeland":
        overall = weights * pillar_weights.reindex(pillar).to_numpy()
        index = aggregate(normalised, overall, method)
    elif unit_weights is not None:
        values = table.to_numpy(float)
        if method in ("geometric", "harmonic"):
            values = positive(values)[0]
        w = unit_weights.reindex(index=table.index, columns=table.columns).to_numpy(float)
        index = pd.Series(weighted_means(values, w, method), index=table.index)
        index.attrs = {"step": "aggregation", "method": method, "pillar_weights": "by stage"}
    else:
        index = aggregate(table, pillar_weights.reindex(table.columns), method)
    index.name = "index"
    return table, index


def build_index(
    framework: Framework,
    panel: pd.DataFrame,
    *,
    year: int | None = None,
    choices: dict[str, str] | None = None,
    groups: pd.Series | None = None,
    units: list[str] | None = None,
) -> CompositeIndex:
    """Compute the framework's index for ``year`` (default: latest year with enough coverage).

    ``panel`` is long (``unit``, ``year``, ``indicator``, ``value``; see
    :func:`~terraplan.analysis.composite.inputs.framework_panel`); ``choices`` override the
    framework's methods per step; ``units`` restricts the units (e.g. one layout).
    """
    chosen = {**DEFAULT_CHOICES, **framework.choices, **(choices or {})}
    ids = framework.indicator_ids
    if units is not None:
        panel = panel[panel["unit"].isin(units)]
    if panel.empty:
        raise InputError(f"framework {framework.id!r}: no data for its indicators")
    if year is None:
        year = latest_year(panel, ids, framework.coverage)
    elif year not in set(panel["year"]):
        years = sorted(set(panel["year"]))
        raise InputError(f"no data for year {year}; the data cover {years[0]}-{years[-1]}")
    steps: list[dict[str, Any]] = []
    X = screen(year_matrix(panel, year, ids), framework.coverage)
    steps.append(X.attrs)
    if X.shape[0] < 2 or X.shape[1] == 0:
        raise AnalysisError(
            f"year {year}: after screening {X.shape[0]} unit(s) and {X.shape[1]} indicator(s) "
            "are left; an index needs at least 2 units and 1 indicator"
        )
    kept = list(X.columns)
    imputed, flags = impute(
        X,
        chosen["imputation"],
        groups=groups,
        panel=panel[panel["indicator"].isin(kept)],
        year=year,
    )
    steps.append(imputed.attrs)
    treated, outliers = treat_outliers(imputed, chosen["outliers"])
    steps.append(treated.attrs)
    fw_ind = {i.id: i for i in framework.indicators if i.id in kept}
    polarity = pd.Series({k: i.polarity for k, i in fw_ind.items()})
    method = chosen["normalisation"]
    gp = panel_goalposts(panel[panel["indicator"].isin(kept)])
    for k, i in fw_ind.items():
        if i.goalposts is not None:
            gp[k] = i.goalposts
    normalised = normalise(
        imputed if method == "goalposts" else treated,
        method,
        polarity,
        goalposts=gp,
        targets=pd.Series({k: i.target for k, i in fw_ind.items()}, dtype=float),
        reference=framework.reference_region,
    )
    steps.append(normalised.attrs)
    pillar = pd.Series(framework.pillar_of()).reindex(kept)
    complete = normalised.dropna()
    weights = _weights(framework, chosen["weights"], complete, pillar)
    steps.append({**weights.attrs, "weights": weights.round(6).to_dict()})
    pillar_weights = pd.Series({p.id: p.weight for p in framework.pillars})
    pillar_weights = pillar_weights.reindex(pd.unique(pillar.to_numpy()))
    pillar_weights = pillar_weights / pillar_weights.sum()
    unit_weights = None
    stage = framework.stage_indicator
    if framework.stage_weights and stage in imputed.columns:
        unit_weights = stage_pillar_weights(
            imputed[stage], framework.stage_weights, list(pillar_weights.index), pillar_weights
        )
        steps.append(unit_weights.attrs)
    pillars, index = aggregate_hierarchy(
        normalised, weights, pillar, pillar_weights, chosen["aggregation"], unit_weights
    )
    steps.append({**index.attrs, "pillar_weights": pillar_weights.to_dict()})
    if index.isna().any():
        steps.append({"step": "warning", "units_without_index": list(index.index[index.isna()])})
    return CompositeIndex(
        framework=framework,
        year=int(year),
        choices=chosen,
        raw=X,
        flags=flags,
        treated=treated,
        outliers=outliers,
        normalised=normalised,
        weights=weights,
        pillar_weights=pillar_weights,
        pillars=pillars,
        index=index.astype(float),
        steps=steps,
        unit_weights=unit_weights,
    )


def index_over_years(
    framework: Framework, panel: pd.DataFrame, years: list[int] | None = None, **kwargs
) -> pd.DataFrame:
    """The index of every year (goalposts normalisation keeps the years comparable).

    Returns a long table ``unit, year, index, rank``; years that cannot be computed are left out.
    """
    years = sorted(set(panel["year"])) if years is None else years
    rows = []
    for y in years:
        try:
            res = build_index(framework, panel, year=y, **kwargs)
        except (AnalysisError, InputError):
            continue
        rows.append(
            pd.DataFrame(
                {
                    "unit": res.index.index,
                    "year": y,
                    "index": res.index.values,
                    "rank": res.rank.values,
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["unit", "year", "index", "rank"])
    return pd.concat(rows, ignore_index=True)


__all__ = ["CompositeIndex", "aggregate_hierarchy", "build_index", "index_over_years"]
