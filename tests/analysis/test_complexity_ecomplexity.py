"""terraplan against py-ecomplexity (Harvard Growth Lab) on a shared random panel.

The panel is random (seeded lognormal values with about 15 % zeros), so no answer is hard-coded:
both libraries compute every quantity from the same numbers and must agree to 1e-9. Where the
two differ by design (kNN density, the log-supermodularity check), a test shows why.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from terraplan.analysis.complexity_validity import log_supermodularity
from terraplan.analysis.eci import complexity_arrays, complexity_table
from terraplan.analysis.relatedness import density_array, proximity_array

ecomplexity = pytest.importorskip("ecomplexity")

N_LOC, N_PROD, YEARS = 40, 15, (2020, 2021)


@pytest.fixture(scope="module")
def shared():
    """A random ``years × locations × products`` cube, its long form, and py-ecomplexity's
    output on it (rows sorted like terraplan's table)."""
    rng = np.random.default_rng(2024)
    cube = rng.lognormal(3.0, 1.5, size=(len(YEARS), N_LOC, N_PROD))
    cube[rng.random(cube.shape) < 0.15] = 0.0
    locs = [f"L{i:02d}" for i in range(N_LOC)]
    prods = [f"P{j:02d}" for j in range(N_PROD)]
    long = pd.DataFrame(
        {
            "year": np.repeat(YEARS, N_LOC * N_PROD),
            "loc": np.tile(np.repeat(locs, N_PROD), len(YEARS)),
            "prod": np.tile(prods, N_LOC * len(YEARS)),
            "val": cube.ravel(),
        }
    )
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ecomplexity.ecomplexity(long, cols, check_logsupermodularity=False, verbose=False)
    theirs = theirs.sort_values(["year", "loc", "prod"], ignore_index=True)
    ours = complexity_table(cube, years=YEARS, regions=locs, sectors=prods).long()
    return cube, theirs, ours


@pytest.mark.parametrize(
    ("ours_col", "theirs_col"),
    [
        ("rca", "rca"),
        ("mcp", "mcp"),
        ("diversity", "diversity"),
        ("ubiquity", "ubiquity"),
        ("eci", "eci"),
        ("pci", "pci"),
        ("density", "density"),
        ("coi", "coi"),
        ("cog", "cog"),
    ],
)
def test_equal_to_ecomplexity(shared, ours_col, theirs_col):
    _, theirs, ours = shared
    assert ours[["year", "region", "sector"]].astype(object).to_numpy().tolist() == (
        theirs[["year", "loc", "prod"]].to_numpy().tolist()
    )
    np.testing.assert_allclose(
        ours[ours_col].to_numpy(float), theirs[theirs_col].to_numpy(float), rtol=0, atol=1e-9
    )


def test_eci_is_mean_pci_of_present_sectors(shared):
    """The normalization shared with py-ecomplexity keeps ECI[c] = mean PCI of c's sectors."""
    cube, _, _ = shared
    a = complexity_arrays(cube[0])
    np.testing.assert_allclose(a.eci, (a.m @ a.pci) / a.diversity, atol=1e-12)


def test_knn_density_differs_by_design(shared):
    """py-ecomplexity's kNN density sums the presence of the k nearest products without the
    proximity weights (the weights are computed, then unused): it returns integer counts.
    terraplan's kNN density is the proximity-weighted share, in [0, 1]."""
    cube, _, _ = shared
    from ecomplexity.calc_density import calc_density

    a = complexity_arrays(cube[0])
    k = 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = calc_density(a.m, a.proximity, knn=k)
    assert np.allclose(theirs, np.round(theirs))  # counts of present neighbours
    assert theirs.max() > 1
    ours = density_array(a.m, a.proximity, k=k)
    assert ours.min() >= 0 and ours.max() <= 1
    # the unweighted count over the same k neighbours, divided by k, is a share too; terraplan's
    # weighted share equals it when every kept proximity is the same (checked on a toy case)
    m = np.array([[1.0, 0.0, 1.0, 0.0]])
    phi = np.full((4, 4), 0.5)
    np.fill_diagonal(phi, 1.0)
    assert density_array(m, phi, k=3)[0].tolist() == pytest.approx([1 / 3, 2 / 3, 1 / 3, 2 / 3])


def test_log_supermodularity_check_differs_by_design():
    """A matrix log-supermodular by construction (RCA = exp(a_c b_p), a and b increasing) passes
    every comparison in terraplan. py-ecomplexity's check reshapes the (regions × products)
    matrix where it needs a transpose, so on a non-square matrix it compares scrambled cells and
    reports a lower share for the same matrix."""
    a = np.linspace(0.1, 1.0, 6)
    b = np.linspace(0.2, 1.5, 4)
    rca = np.exp(np.outer(a, b))
    eci, pci = a.copy(), b.copy()
    ours = log_supermodularity(rca, eci, pci)
    assert ours["comparisons"] == 1.0
    assert ours["sector_pairs"] == 1.0
    from ecomplexity.log_supermodularity import get_frac_logsupermodular

    theirs = get_frac_logsupermodular(rca, eci, pci)
    # every comparison holds strictly (a and b strictly increasing), so neither their strict
    # inequality nor ties explain the gap: it comes from the scrambled cells
    lx = np.log(rca)
    assert ((lx[1:, 1:] + lx[:-1, :-1]) - (lx[1:, :-1] + lx[:-1, 1:]) > 0).all()
    assert theirs < 0.95


def test_proximity_equals_ecomplexity(shared):
    cube, _, _ = shared
    from ecomplexity.calc_proximity import calc_discrete_proximity

    a = complexity_arrays(cube[1])
    np.testing.assert_allclose(
        proximity_array(a.m), calc_discrete_proximity(a.m, a.ubiquity), atol=1e-12
    )


def test_equal_to_ecomplexity_on_the_lanczos_path():
    """Above LANCZOS_FROM sectors the two leading eigenpairs come from ARPACK, not the full
    decomposition; the results must still equal py-ecomplexity's to 1e-9."""
    from terraplan.analysis.eci import LANCZOS_FROM

    rng = np.random.default_rng(11)
    n_loc, n_prod = 150, LANCZOS_FROM + 20
    cube = rng.lognormal(3.0, 1.5, size=(1, n_loc, n_prod))
    cube[rng.random(cube.shape) < 0.2] = 0.0
    cube[:, :, 0] += 1.0
    locs = [f"L{i:03d}" for i in range(n_loc)]
    prods = [f"P{j:03d}" for j in range(n_prod)]
    long = pd.DataFrame(
        {
            "year": 2020,
            "loc": np.repeat(locs, n_prod),
            "prod": np.tile(prods, n_loc),
            "val": cube.ravel(),
        }
    )
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ecomplexity.ecomplexity(long, cols, check_logsupermodularity=False, verbose=False)
    theirs = theirs.sort_values(["loc", "prod"], ignore_index=True)
    ours = complexity_table(cube, years=[2020], regions=locs, sectors=prods).long()
    for column in ("eci", "pci", "coi", "cog"):
        np.testing.assert_allclose(ours[column], theirs[column], rtol=0, atol=1e-9)
