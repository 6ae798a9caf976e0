"""Every table of a composite index in one call: the index with rank intervals, Sobol indices,
the audit, outlier treatment, strengths and weaknesses, trends, peers and the recorded steps.

Used by ``terraplan index``, ``terraplan build`` (the bundled example) and the workbook.

Example
-------
>>> import pandas as pd
>>> from terraplan.data.framework import framework_from_dict
>>> fw = framework_from_dict({"id": "d", "pillars": [{"id": "p", "indicators": [
...     {"id": "a"}, {"id": "b"}]}], "uncertainty": {"weights_perturbation": 0.2}})
>>> panel = pd.DataFrame({"unit": list("WXYZ") * 2, "year": 2020,
...     "indicator": ["a"] * 4 + ["b"] * 4, "value": [4.0, 3, 2, 1, 1, 3, 2, 4]})
>>> tables = composite_tables(fw, panel, runs=60)
>>> sorted(tables)[:4]
['audit', 'drivers', 'history', 'index']
"""

from __future__ import annotations

import json

import pandas as pd

from terraplan.analysis.composite.audit import audit
from terraplan.analysis.composite.index import build_index, index_over_years
from terraplan.analysis.composite.sensitivity import uncertainty
from terraplan.analysis.composite.units import (
    cagr,
    peer_scorecard,
    stage_peers,
    strengths_weaknesses,
)
from terraplan.data.framework import Framework


def composite_tables(
    framework: Framework,
    panel: pd.DataFrame,
    *,
    year: int | None = None,
    runs: int = 1000,
    seed: int = 0,
    units: list[str] | None = None,
    history_years: int = 10,
    groups: pd.Series | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of a composite index (``runs = 0`` skips the uncertainty analysis).

    ``groups`` (unit -> group) serves the ``mean_by_group`` and ``median_by_group`` imputations.

    Keys: ``index`` (unit, index, rank, median_rank, rank_p05, rank_p95, pillar scores),
    ``sobol``, ``drivers``, ``audit``, ``pillars``, ``outliers``, ``strengths``, ``peers``,
    ``scorecard`` (indicators against the peers' median),
    ``trends`` (CAGR), ``history`` (index per year on fixed goalposts), ``labels`` (names of
    pillars and indicators in en/ru/kk), ``warnings``, ``steps``.
    """
    if units is not None:
        panel = panel[panel["unit"].isin(units)]
    if runs:
        u = uncertainty(framework, panel, year=year, runs=runs, seed=seed, groups=groups)
        res = u.nominal
    else:
        u, res = None, build_index(framework, panel, year=year, groups=groups)
    table = res.table().rename_axis("unit").reset_index()
    attrs = {"framework": framework.id, "year": res.year, **res.choices}
    if u is not None:
        ranks = u.ranks.rename(
            columns={"median": "median_rank", "p05": "rank_p05", "p95": "rank_p95"}
        )
        table = table.merge(
            ranks[["median_rank", "rank_p05", "rank_p95"]].reset_index(), on="unit", how="left"
        )
        first = ["unit", "index", "rank", "median_rank", "rank_p05", "rank_p95"]
        table = table[first + [c for c in table.columns if c not in first]]
        attrs |= {
            "runs": u.runs,
            "varied": "; ".join(f"{k}: {v}" for k, v in u.varied.items()),
            "factors": " ".join(u.varied),
            "notes": list(u.notes),
        }
    table.attrs = attrs
    out: dict[str, pd.DataFrame] = {"index": table}
    if u is not None:
        out["sobol"] = u.sobol.round(4)
        out["drivers"] = u.drivers().round(4).reset_index()
    report = audit(res)
    out["audit"] = report.effective.round(4).reset_index()
    out["pillars"] = report.pca.join(report.cronbach).round(4).reset_index()
    out["outliers"] = res.outliers.round(4).reset_index()
    polarity = pd.Series({i.id: i.polarity for i in framework.indicators})
    out["strengths"] = strengths_weaknesses(res.raw, polarity)
    stage = framework.stage_indicator
    if stage and stage in res.raw.columns:
        out["peers"] = stage_peers(res.raw[stage]).round(4)
        out["scorecard"] = peer_scorecard(res.raw, polarity, out["peers"]).round(4)
    current = panel[panel["unit"].isin(res.index.index) & (panel["year"] <= res.year)]
    trends = cagr(current, start=res.year - history_years, end=res.year)
    out["trends"] = trends.stack().rename("cagr").round(6).reset_index()
    years = sorted(y for y in set(panel["year"]) if res.year - history_years <= y <= res.year)
    history = index_over_years(
        framework, panel, years, choices={"normalisation": "goalposts"}, groups=groups
    )
    out["history"] = history[history["unit"].isin(res.index.index)].round(4)
    out["labels"] = pd.DataFrame(framework.labels())
    out["warnings"] = pd.DataFrame({"warning": report.warnings}, dtype=str)
    out["steps"] = pd.DataFrame(
        {
            "step": [s.get("step", "") for s in res.steps],
            "parameters": [
                json.dumps({k: v for k, v in s.items() if k != "step"}, default=str, sort_keys=True)
                for s in res.steps
            ],
        }
    )
    return out
