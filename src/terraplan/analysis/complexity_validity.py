"""Is ECI meaningful here? Log-supermodularity and the stability of the ECI ranking.

ECI orders regions by the eigenvector of a similarity matrix. With 20 regions and 19 sectors that
eigenvector can be a coin toss. terraplan therefore measures, every time it computes ECI:

* **Log-supermodularity** (Schetter, Diodato, Protzer, Neffke & Hausmann 2024, *A Structural
  Ranking of Economic Complexity*, Growth Lab): ECI and PCI are a structural ranking when, for
  regions ``c`` above ``c'`` in ECI and sectors ``p`` above ``p'`` in PCI,
  ``RCA[c, p] · RCA[c', p'] ≥ RCA[c, p'] · RCA[c', p]``. terraplan reports the share of such
  comparisons that hold (among those with four positive values) and the share of *sector pairs*
  for which they hold more often than not (the log ratio ``log RCA[·, p] / RCA[·, p']`` is
  positively rank-correlated with ECI: Kendall's τ > 0).
* **Stability of the ECI ranking**: Spearman correlation of ECI with the baseline ECI after
  (a) lognormal noise of ``noise`` (default 10 %) on every value, ``n_noise`` seeded draws,
  (b) leaving out one region at a time, (c) leaving out one sector at a time. Reported: the 5th-
  95th percentile interval of the correlation per perturbation, and the share of *sign flips*
  (correlation below zero: the ranking turned upside down).

The result is **stable** when, for every perturbation, the 5th percentile of the correlation is
at least :data:`MIN_RANK_CORRELATION` and sign flips are at most :data:`MAX_SIGN_FLIPS`; otherwise
a warning is attached and profiles call ECI "indicative".

Example
-------
>>> import numpy as np
>>> a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])
>>> float(spearman(a, b))
0.5
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from terraplan.analysis.eci import (
    DEGENERATE_GAP,
    complexity_arrays,
    eigen_complexity,
    is_degenerate,
)
from terraplan.analysis.relatedness import at_least, rca_array

if TYPE_CHECKING:
    from terraplan.analysis.eci import ComplexityArrays

#: Lowest acceptable 5th percentile of the rank correlation with the baseline ECI.
MIN_RANK_CORRELATION = 0.7
#: Highest acceptable share of perturbations that turn the ECI ranking upside down.
MAX_SIGN_FLIPS = 0.01
#: Largest number of regions and sectors compared in the log-supermodularity check
#: (a seeded sample above it keeps the check fast on big matrices).
MAX_CHECKED = 80
#: Leave-one-out runs at most this many regions or sectors (a seeded sample above it).
MAX_LEAVE_OUT = 60
#: Perturbed copies are processed in batches of about this many cells (memory bound).
CHUNK_CELLS = 4_000_000


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis (ties share their mean rank)."""
    from scipy.stats import rankdata

    return rankdata(np.asarray(x, dtype=float), axis=-1)


def spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman rank correlation along the last axis (NaN where one side is constant)."""
    ra, rb = _ranks(a), _ranks(b)
    ra = ra - ra.mean(axis=-1, keepdims=True)
    rb = rb - rb.mean(axis=-1, keepdims=True)
    den = np.sqrt((ra**2).sum(axis=-1) * (rb**2).sum(axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (ra * rb).sum(axis=-1) / den


def log_supermodularity(
    rca: np.ndarray, eci: np.ndarray, pci: np.ndarray, *, seed: int = 0
) -> dict[str, float]:
    """Shares of comparisons and of sector pairs that satisfy log-supermodularity.

    ``comparisons``: share of (region pair, sector pair) comparisons, with four positive RCA
    values, where ``RCA[c,p] RCA[c',p'] ≥ RCA[c,p'] RCA[c',p]`` for ``ECI[c] > ECI[c']`` and
    ``PCI[p] > PCI[p']``. ``sector_pairs``: share of sector pairs whose comparisons hold more
    often than they fail. Above :data:`MAX_CHECKED` regions or sectors a seeded sample is used.

    >>> rca = np.exp(np.outer([1.0, 2.0, 3.0], [1.0, 2.0]))  # log-supermodular by construction
    >>> log_supermodularity(rca, np.array([1.0, 2, 3]), np.array([1.0, 2]))["comparisons"]
    1.0
    """
    rng = np.random.default_rng(seed)
    ok_r = ~np.isnan(eci)
    ok_p = ~np.isnan(pci)
    r_idx, p_idx = np.flatnonzero(ok_r), np.flatnonzero(ok_p)
    if len(r_idx) > MAX_CHECKED:
        r_idx = np.sort(rng.choice(r_idx, MAX_CHECKED, replace=False))
    if len(p_idx) > MAX_CHECKED:
        p_idx = np.sort(rng.choice(p_idx, MAX_CHECKED, replace=False))
    x = rca[np.ix_(r_idx, p_idx)]
    x = x[np.argsort(-eci[r_idx], kind="stable")][:, np.argsort(-pci[p_idx], kind="stable")]
    with np.errstate(divide="ignore"):
        lx = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
    n_r, n_p = lx.shape
    ci, cj = np.triu_indices(n_r, 1)  # ci above cj in ECI
    pi, pj = np.triu_indices(n_p, 1)  # pi above pj in PCI
    # log RCA[c,p] - log RCA[c,p'] for every region and sector pair: regions × sector pairs
    ratio = lx[:, pi] - lx[:, pj]
    diff = ratio[ci] - ratio[cj]  # region pairs × sector pairs
    defined = ~np.isnan(diff)
    holds = (diff >= 0) & defined
    fails = (diff < 0) & defined
    n_defined = int(defined.sum())
    pairs_defined = defined.any(axis=0)
    pair_ok = holds.sum(axis=0) > fails.sum(axis=0)
    return {
        "comparisons": float(holds.sum() / n_defined) if n_defined else float("nan"),
        "sector_pairs": float(pair_ok[pairs_defined].mean()) if pairs_defined.any() else np.nan,
        "n_comparisons": n_defined,
        "n_sector_pairs": int(pairs_defined.sum()),
    }


def _eci_of(values: np.ndarray, threshold: float) -> np.ndarray:
    """Standardized ECI of a stack of ``regions × sectors`` arrays (NaN where undefined),
    computed a few arrays at a time so memory stays near :data:`CHUNK_CELLS` cells."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 3 and values.shape[0] * values[0].size > CHUNK_CELLS:
        step = max(1, CHUNK_CELLS // values[0].size)
        return np.concatenate(
            [_eci_of(values[i : i + step], threshold) for i in range(0, len(values), step)]
        )
    m = at_least(rca_array(values), threshold)
    out = np.full(m.shape[:-1], np.nan)
    ok = (m.sum(axis=-1) > 0).all(axis=-1) & (m.sum(axis=-2) > 0).all(axis=-1)
    if ok.any():
        kc, _, _, leading = eigen_complexity(m[ok])
        std = kc.std(axis=-1, keepdims=True)
        flat = std[..., 0] <= DEGENERATE_GAP * np.abs(kc).max(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            kc = (kc - kc.mean(axis=-1, keepdims=True)) / std
        kc[is_degenerate(leading) | flat] = np.nan
        out[ok] = kc
    return out


def _summary(rho: np.ndarray) -> dict[str, float]:
    rho = rho[~np.isnan(rho)]
    if rho.size == 0:
        return {"low": np.nan, "median": np.nan, "high": np.nan, "sign_flips": np.nan, "n": 0}
    return {
        "low": float(np.percentile(rho, 5)),
        "median": float(np.median(rho)),
        "high": float(np.percentile(rho, 95)),
        "sign_flips": float((rho < 0).mean()),
        "n": int(rho.size),
    }


def eci_stability(
    values: np.ndarray,
    *,
    threshold: float = 1.0,
    n_noise: int = 200,
    noise: float = 0.1,
    seed: int = 0,
    base_eci: np.ndarray | None = None,
) -> dict[str, dict[str, float]]:
    """Spearman correlation of ECI with the baseline under noise, leave-one-region-out and
    leave-one-sector-out: ``{perturbation: {low, median, high, sign_flips, n}}``.

    >>> rng = np.random.default_rng(1)
    >>> s = eci_stability(rng.lognormal(size=(12, 8)), n_noise=20)
    >>> sorted(s)
    ['leave_one_region_out', 'leave_one_sector_out', 'noise']
    """
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    base = _eci_of(values, threshold) if base_eci is None else base_eci
    n_r, n_p = values.shape
    out: dict[str, dict[str, float]] = {}
    if n_noise > 0:
        step = max(1, CHUNK_CELLS // values.size)
        rho_noise = []
        for start in range(0, n_noise, step):
            shocks = rng.normal(0.0, noise, size=(min(step, n_noise - start), n_r, n_p))
            noisy = values[None] * np.exp(shocks - noise**2 / 2)
            rho_noise.append(spearman(_eci_of(noisy, threshold), base[None]))
        out["noise"] = _summary(np.concatenate(rho_noise))
    regions = np.arange(n_r)
    if n_r > MAX_LEAVE_OUT:
        regions = np.sort(rng.choice(n_r, MAX_LEAVE_OUT, replace=False))
    loro = []
    for r in regions:
        keep = np.arange(n_r) != r
        eci = _eci_of(values[keep], threshold)
        loro.append(spearman(eci, base[keep]))
    out["leave_one_region_out"] = _summary(np.asarray(loro, dtype=float))
    sectors = np.arange(n_p)
    if n_p > MAX_LEAVE_OUT:
        sectors = np.sort(rng.choice(n_p, MAX_LEAVE_OUT, replace=False))
    rho = np.full(len(sectors), np.nan)
    for i, p in enumerate(sectors):
        dropped = np.delete(values, p, axis=1)
        if dropped.sum(axis=1).min() > 0:
            rho[i] = spearman(_eci_of(dropped, threshold), base)
    out["leave_one_sector_out"] = _summary(rho)
    return out


def validity(
    values: pd.DataFrame,
    *,
    threshold: float = 1.0,
    n_noise: int = 200,
    noise: float = 0.1,
    seed: int = 0,
    base: ComplexityArrays | None = None,
) -> dict[str, Any]:
    """Every validity check of ECI on a wide ``region × sector`` DataFrame of values.

    Returns ``{log_supermodularity, stability, stable, warnings, thresholds}``; ``stable`` is
    False when a perturbation's 5th-percentile rank correlation is below
    :data:`MIN_RANK_CORRELATION` or its share of sign flips above :data:`MAX_SIGN_FLIPS`.

    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame(rng.lognormal(size=(20, 19)))
    >>> v = validity(frame, n_noise=50)
    >>> v["stable"], 0 <= v["log_supermodularity"]["comparisons"] <= 1
    (False, True)
    """
    arr = values.to_numpy(dtype=float)
    base = base or complexity_arrays(arr, threshold=threshold)
    lsm = log_supermodularity(base.rca, base.eci, base.pci, seed=seed)
    stability = eci_stability(
        arr, threshold=threshold, n_noise=n_noise, noise=noise, seed=seed, base_eci=base.eci
    )
    warnings = []
    for name, s in stability.items():
        words = name.replace("_", "-")
        if not s["n"]:
            continue
        if s["low"] < MIN_RANK_CORRELATION or s["sign_flips"] > MAX_SIGN_FLIPS:
            warnings.append(
                f"ECI ranking unstable under {words}: rank correlation with the baseline "
                f"{s['low']:.2f} to {s['high']:.2f} (5th-95th percentile), sign flips in "
                f"{s['sign_flips']:.0%} of {s['n']} runs"
            )
    if lsm["sector_pairs"] < 0.5:
        warnings.append(
            f"only {lsm['sector_pairs']:.0%} of sector pairs satisfy log-supermodularity: "
            "ECI and PCI are not a structural ranking here"
        )
    stable = not any(w.startswith("ECI ranking unstable") for w in warnings)
    if not stable:
        warnings.append("read ECI and PCI as indicative only")
    return {
        "log_supermodularity": lsm,
        "stability": stability,
        "stable": stable,
        "warnings": warnings,
        "thresholds": {
            "min_rank_correlation": MIN_RANK_CORRELATION,
            "max_sign_flips": MAX_SIGN_FLIPS,
            "noise": noise,
            "n_noise": n_noise,
            "seed": seed,
        },
    }
