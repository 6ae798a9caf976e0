"""Statistical audit of a composite index: coherence of its indicators, pillars and index.

On the normalised indicators (polarity applied, so a coherent pillar has positive correlations):

* Pearson correlations between indicators, of each indicator with its pillar and the index, and
  between pillars and the index;
* Cronbach's alpha per pillar, ``k / (k - 1) (1 - sum var_i / var(sum x_i))``;
* PCA per pillar: the eigenvalues of the correlation matrix and the share of variance of the
  first component;
* the effective weight of each indicator: its correlation with the index (and the share of the
  squared correlations), beside its nominal weight;
* warnings: pairs of indicators of one pillar correlated below ``threshold`` (COINr's default
  -0.4), pillars with alpha below 0.6 (not reported for one-indicator pillars).

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8]})
>>> round(cronbach_alpha(X), 6)
0.888889
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from terraplan.analysis.composite.index import CompositeIndex


def cronbach_alpha(X: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``X`` (rows with a gap dropped); NaN for one column."""
    X = X.dropna()
    k = X.shape[1]
    if k < 2 or len(X) < 2:
        return float("nan")
    total = X.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - X.var(ddof=1).sum() / total))


@dataclass
class Audit:
    """Result of :func:`audit`."""

    correlations: pd.DataFrame
    levels: pd.DataFrame
    cronbach: pd.Series
    pca: pd.DataFrame
    effective: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def audit(result: CompositeIndex, *, threshold: float = -0.4, min_alpha: float = 0.6) -> Audit:
    """Audit a :class:`~terraplan.analysis.composite.index.CompositeIndex`.

    >>> import pandas as pd
    >>> from terraplan.data.framework import framework_from_dict
    >>> from terraplan.analysis.composite.index import build_index
    >>> fw = framework_from_dict({"id": "d", "pillars": [{"id": "p", "indicators": [
    ...     {"id": "a"}, {"id": "b"}]}]})
    >>> panel = pd.DataFrame({"unit": list("WXYZ") * 2, "year": 2020,
    ...     "indicator": ["a"] * 4 + ["b"] * 4, "value": [1.0, 2, 3, 4, 4, 3, 2, 1.5]})
    >>> audit(build_index(fw, panel)).warnings[0]
    'pillar p: a and b are negatively correlated (r = -0.99)'
    """
    N = result.normalised
    pillar = pd.Series(result.framework.pillar_of()).reindex(N.columns)
    corr = N.corr()
    levels = pd.concat([result.pillars, result.index.rename("index")], axis=1).corr()
    warnings: list[str] = []
    alpha, pca_rows, eff_rows = {}, [], []
    for pid in pd.unique(pillar.to_numpy()):
        cols = list(pillar.index[pillar == pid])
        alpha[pid] = cronbach_alpha(N[cols])
        sub = corr.loc[cols, cols].to_numpy()
        for i, j in zip(*np.triu_indices(len(cols), 1), strict=True):
            if sub[i, j] < threshold:
                warnings.append(
                    f"pillar {pid}: {cols[i]} and {cols[j]} are negatively correlated "
                    f"(r = {sub[i, j]:.2f})"
                )
        if len(cols) > 1 and not np.isnan(sub).any():
            values = np.linalg.eigvalsh(sub)[::-1]
            explained = float(values[0] / values.sum())
        else:
            values, explained = np.array([1.0]), 1.0
        pca_rows.append(
            {
                "pillar": pid,
                "indicators": len(cols),
                "first_eigenvalue": float(values[0]),
                "explained": explained,
                "eigenvalues": " ".join(f"{v:.3f}" for v in values),
            }
        )
        if len(cols) > 1 and alpha[pid] < min_alpha:
            warnings.append(f"pillar {pid}: Cronbach's alpha {alpha[pid]:.2f} < {min_alpha}")
    with_index = N.corrwith(result.index)
    overall = result.overall_weights()
    for col in N.columns:
        eff_rows.append(
            {
                "indicator": col,
                "pillar": pillar[col],
                "weight": float(overall[col]),
                "corr_pillar": float(N[col].corr(result.pillars[pillar[col]])),
                "corr_index": float(with_index[col]),
            }
        )
    effective = pd.DataFrame(eff_rows).set_index("indicator")
    sq = effective["corr_index"].clip(lower=0) ** 2
    effective["effective_share"] = sq / sq.sum() if sq.sum() > 0 else np.nan
    for col, r in with_index.items():
        if r < 0:
            warnings.append(f"{col} is negatively correlated with the index (r = {r:.2f})")
    cron = pd.Series(alpha, name="cronbach_alpha")
    return Audit(
        corr, levels, cron, pd.DataFrame(pca_rows).set_index("pillar"), effective, warnings
    )
