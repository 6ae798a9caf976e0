"""Per unit: strengths and weaknesses, trends (CAGR) and peers at a similar stage.

* :func:`strengths_weaknesses`: each unit's best and worst indicators by rank among the units
  (rank 1 = best, polarity applied);
* :func:`cagr`: compound annual growth rate ``(last / first) ** (1 / years) - 1`` of each unit
  and indicator over the years it has (positive values only);
* :func:`stage_peers`: the units closest on a stage-of-development indicator (e.g. GRP per
  capita, compared in logs), as in the EU Regional Competitiveness Index's peer groups;
* :func:`peer_scorecard`: each unit's indicators against the median of its peers (better,
  similar or worse, polarity applied), the EU RCI's peer scorecard.

Example
-------
>>> import pandas as pd
>>> p = pd.DataFrame({"unit": ["A", "A"], "year": [2020, 2022], "indicator": "x",
...                   "value": [100.0, 121.0]})
>>> round(float(cagr(p).loc["A", "x"]), 4)
0.1
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def indicator_ranks(X: pd.DataFrame, polarity: pd.Series) -> pd.DataFrame:
    """Rank of each unit on each indicator (1 = best, ties share the best rank)."""
    signed = X * polarity.reindex(X.columns).fillna(1).to_numpy()
    return signed.rank(ascending=False, method="min")


def strengths_weaknesses(X: pd.DataFrame, polarity: pd.Series, n: int = 2) -> pd.DataFrame:
    """The ``n`` best and worst indicators of each unit by rank (long table).

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [2.0, 1.0], "b": [5.0, 1.0], "c": [3.0, 4.0]}, index=["R1", "R2"])
    >>> t = strengths_weaknesses(X, pd.Series({"a": 1, "b": -1, "c": 1}), n=1)
    >>> t[t.unit == "R1"][["kind", "indicator", "rank"]].values.tolist()
    [['strength', 'a', 1], ['weakness', 'b', 2]]
    """
    ranks = indicator_ranks(X, polarity)
    long = ranks.stack().dropna().rename("rank").reset_index()  # a gap has no rank
    long.columns = ["unit", "indicator", "rank"]
    order = {c: i for i, c in enumerate(X.columns)}
    long["pos"] = long["indicator"].map(order)
    best = long.sort_values(["unit", "rank", "pos"], kind="mergesort").groupby("unit").head(n)
    worst = (
        long.sort_values(["unit", "rank", "pos"], ascending=[True, False, True], kind="mergesort")
        .groupby("unit")
        .head(n)
    )
    out = pd.concat([best.assign(kind="strength"), worst.assign(kind="weakness")])
    out = out.sort_values(["unit", "kind"], kind="mergesort")
    out["rank"] = out["rank"].astype(int)
    out["value"] = [X.at[u, i] for u, i in zip(out["unit"], out["indicator"], strict=True)]
    return out[["unit", "kind", "indicator", "rank", "value"]].reset_index(drop=True)


def cagr(panel: pd.DataFrame, *, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """CAGR per unit (rows) and indicator (columns) between its first and last year in range."""
    p = panel.dropna(subset=["value"])
    if start is not None:
        p = p[p["year"] >= start]
    if end is not None:
        p = p[p["year"] <= end]
    p = p.sort_values("year", kind="mergesort")
    g = p.groupby(["unit", "indicator"])
    first, last = g.first(), g.last()
    years = last["year"] - first["year"]
    ok = (years > 0) & (first["value"] > 0) & (last["value"] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (last["value"] / first["value"]) ** (1 / years) - 1
    out = rate.where(ok).unstack("indicator")
    out.attrs = {"method": "cagr", "start": start, "end": end}
    return out


def stage_peers(stage: pd.Series, k: int = 3, *, log: bool = True) -> pd.DataFrame:
    """The ``k`` units closest to each unit on ``stage`` (long: unit, rank, peer, distance).

    >>> import pandas as pd
    >>> s = pd.Series({"A": 1.0, "B": 2.0, "C": 8.0})
    >>> stage_peers(s, k=1, log=False)[["unit", "peer"]].to_dict("records")
    [{'unit': 'A', 'peer': 'B'}, {'unit': 'B', 'peer': 'A'}, {'unit': 'C', 'peer': 'B'}]
    """
    s = stage.dropna().astype(float)
    v = np.log(s.to_numpy()) if log and (s > 0).all() else s.to_numpy()
    d = np.abs(v[:, None] - v[None, :])
    np.fill_diagonal(d, np.inf)
    names = s.index.to_numpy()
    order = np.lexsort((np.broadcast_to(np.arange(len(s)), d.shape), d), axis=1)[:, :k]
    rows = [
        {"unit": names[i], "rank": r + 1, "peer": names[j], "distance": float(d[i, j])}
        for i in range(len(s))
        for r, j in enumerate(order[i])
        if np.isfinite(d[i, j])
    ]
    return pd.DataFrame(rows, columns=["unit", "rank", "peer", "distance"])


def peer_scorecard(
    X: pd.DataFrame, polarity: pd.Series, peers: pd.DataFrame, *, tolerance: float = 0.05
) -> pd.DataFrame:
    """Each unit's value of each indicator against its peers' median.

    ``peers`` is a :func:`stage_peers` table. ``gap`` is ``polarity (value - median) /
    |median|``; ``status`` is ``better`` above ``tolerance``, ``worse`` below ``-tolerance``,
    else ``similar``.

    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [9.0, 8.0, 12.0]}, index=["A", "B", "C"])
    >>> p = pd.DataFrame({"unit": ["A", "A"], "rank": [1, 2], "peer": ["B", "C"]})
    >>> t = peer_scorecard(X, pd.Series({"a": -1}), p)  # lower is better: 9 beats median 10
    >>> t[["peer_median", "gap", "status"]].values.tolist()
    [[10.0, 0.1, 'better']]
    """
    values = X.rename_axis(index="peer", columns="indicator").stack().rename("v").reset_index()
    median = (
        peers[["unit", "peer"]]
        .merge(values, on="peer")
        .groupby(["unit", "indicator"])["v"]
        .median()
        .rename("peer_median")
        .reset_index()
    )
    own = X.rename_axis(index="unit", columns="indicator").stack().rename("value").reset_index()
    out = median.merge(own, on=["unit", "indicator"], how="left")
    sign = out["indicator"].map(polarity).fillna(1)
    denom = out["peer_median"].abs().where(out["peer_median"] != 0)
    out["gap"] = sign * (out["value"] - out["peer_median"]) / denom
    out["status"] = np.select(
        [out["gap"] > tolerance, out["gap"] < -tolerance, out["gap"].notna()],
        ["better", "worse", "similar"],
        default="",
    )
    order = {c: i for i, c in enumerate(X.columns)}
    out = out.sort_values(
        ["unit", "indicator"],
        key=lambda c: c.map(order) if c.name == "indicator" else c,
        kind="mergesort",
    )
    return out[["unit", "indicator", "value", "peer_median", "gap", "status"]].reset_index(
        drop=True
    )
