"""Variance-based sensitivity indices (Sobol) with the Saltelli design, for groups of inputs.

:func:`sobol_sample` draws two independent matrices ``A`` and ``B`` of uniform [0, 1) inputs
(a scrambled Sobol sequence) and, for each factor ``g`` (a group of one or more input columns),
the matrix ``AB_g``: ``A`` with the columns of ``g`` taken from ``B``. The model is run on every
row; :func:`sobol_indices` then estimates, for each factor,

* the first-order index ``S_g = mean(f_B (f_ABg - f_A)) / V`` (Saltelli et al. 2010), and
* the total index ``ST_g = mean((f_A - f_ABg)^2) / (2 V)`` (Jansen 1999),

with ``V`` the variance of ``f_A`` and ``f_B`` together. Outputs may be vectors per run (e.g.
the rank of every region): indices are computed for each output column at once. An output that
does not vary has indices 0.

Example (the Ishigami function, analytic S = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244)
-------
>>> import numpy as np
>>> U = sobol_sample(2**13, [1, 1, 1], seed=1)
>>> x = -np.pi + 2 * np.pi * U
>>> y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
>>> first, total = sobol_indices(y, 3)
>>> (np.round(first, 2) + 0.0).tolist(), np.round(total, 2).tolist()
([0.31, 0.44, 0.0], [0.56, 0.44, 0.24])
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np


def sobol_sample(n: int, sizes: Sequence[int], *, seed: int = 0) -> np.ndarray:
    """Rows ``[A; B; AB_1; ...; AB_G]`` (``n`` each) for factors of ``sizes`` input columns.

    >>> sobol_sample(4, [1, 2]).shape
    (16, 3)
    """
    from scipy.stats import qmc

    d = int(sum(sizes))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # n need not be a power of two
        base = qmc.Sobol(2 * d, scramble=True, seed=seed).random(n)
    A, B = base[:, :d], base[:, d:]
    blocks = [A, B]
    start = 0
    for size in sizes:
        AB = A.copy()
        AB[:, start : start + size] = B[:, start : start + size]
        blocks.append(AB)
        start += size
    return np.vstack(blocks)


def _estimate(
    fA: np.ndarray, fB: np.ndarray, fAB: list[np.ndarray], axis: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    var = np.concatenate([fA, fB], axis=axis).var(axis=axis)
    first = [np.mean(fB * (f - fA), axis=axis) for f in fAB]
    total = [0.5 * np.mean((fA - f) ** 2, axis=axis) for f in fAB]
    with np.errstate(invalid="ignore", divide="ignore"):
        s1 = np.where(var > 0, np.asarray(first) / var, 0.0)
        st = np.where(var > 0, np.asarray(total) / var, 0.0)
    return s1, st


def sobol_confidence(
    y: np.ndarray, n_factors: int, *, n_boot: int = 100, level: float = 0.9, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bootstrap intervals (``level``) of the first-order and total indices.

    Rows of the design are resampled together (the same base sample in ``A``, ``B`` and every
    ``AB_g``). Returns ``first_low, first_high, total_low, total_high``, each shaped like the
    output of :func:`sobol_indices`.

    >>> import numpy as np
    >>> U = sobol_sample(1024, [1, 1], seed=0)
    >>> lo, hi, _, _ = sobol_confidence(U[:, 0] + 0.1 * U[:, 1], 2, n_boot=50)
    >>> bool(lo[0] < 0.99 < hi[0] + 0.02)
    True
    """
    y = np.asarray(y, dtype=float)
    n = y.shape[0] // (n_factors + 2)
    blocks = [y[i * n : (i + 1) * n] for i in range(n_factors + 2)]
    rng = np.random.default_rng(seed)
    s1s, sts = [], []
    for start in range(0, n_boot, 10):
        idx = rng.integers(0, n, size=(min(10, n_boot - start), n))
        s1, st = _estimate(blocks[0][idx], blocks[1][idx], [b[idx] for b in blocks[2:]], axis=1)
        s1s.append(np.moveaxis(s1, 1, 0))
        sts.append(np.moveaxis(st, 1, 0))
    s1b, stb = np.concatenate(s1s), np.concatenate(sts)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    f_lo, f_hi = np.percentile(s1b, q, axis=0)
    t_lo, t_hi = np.percentile(stb, q, axis=0)
    return f_lo, f_hi, t_lo, t_hi


def sobol_indices(y: np.ndarray, n_factors: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices (each ``n_factors`` x outputs) from the runs of the design.

    ``y`` has one row per design row (shape ``(n (G + 2),)`` or ``(n (G + 2), outputs)``).
    """
    y = np.asarray(y, dtype=float)
    n = y.shape[0] // (n_factors + 2)
    if n * (n_factors + 2) != y.shape[0] or n < 2:
        raise ValueError(f"{y.shape[0]} runs do not fit a design of {n_factors} factors")
    fAB = [y[(g + 2) * n : (g + 3) * n] for g in range(n_factors)]
    return _estimate(y[:n], y[n : 2 * n], fAB)
