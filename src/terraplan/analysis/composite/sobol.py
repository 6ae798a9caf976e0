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


def sobol_indices(y: np.ndarray, n_factors: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices (each ``n_factors`` x outputs) from the runs of the design.

    ``y`` has one row per design row (shape ``(n (G + 2),)`` or ``(n (G + 2), outputs)``).
    """
    y = np.asarray(y, dtype=float)
    n = y.shape[0] // (n_factors + 2)
    if n * (n_factors + 2) != y.shape[0] or n < 2:
        raise ValueError(f"{y.shape[0]} runs do not fit a design of {n_factors} factors")
    fA, fB = y[:n], y[n : 2 * n]
    var = np.concatenate([fA, fB]).var(axis=0)
    first, total = [], []
    for g in range(n_factors):
        fAB = y[(g + 2) * n : (g + 3) * n]
        first.append(np.mean(fB * (fAB - fA), axis=0))
        total.append(0.5 * np.mean((fA - fAB) ** 2, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        s1 = np.where(var > 0, np.asarray(first) / var, 0.0)
        st = np.where(var > 0, np.asarray(total) / var, 0.0)
    return s1, st
