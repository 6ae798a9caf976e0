"""Reconciliation: coherence by construction, known answers, MinT's fallback."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from terraplan.analysis.reconcile import reconcile, shrunk_covariance, summing_matrix


def test_ols_splits_the_gap_equally_among_the_three_series():
    """Nation 10 against regions 4 + 5: OLS moves each of the three by a third of the gap 1."""
    out, info = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), method="ols")
    assert out == pytest.approx([29 / 3, 13 / 3, 16 / 3])
    assert info["method"] == "ols"


def test_bottom_up_keeps_the_regions():
    out, _ = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), method="bottom_up")
    assert out.tolist() == [9.0, 4.0, 5.0]


def test_wls_structural_weights_the_nation_by_its_number_of_regions():
    """W = diag(2, 1, 1): the nation's error counts half; the gap 1 is shared 1/2, 1/4, 1/4."""
    out, _ = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), method="wls")
    assert out == pytest.approx([9.5, 4.25, 5.25])


def test_mint_with_diagonal_errors_weights_by_error_variance():
    """Orthogonal errors with variances 4, 1, 1 (nation, regions): MinT is WLS with W =
    diag(4, 1, 1). By hand: the gap 1 is shared in proportion to the variances, 4/6 to the
    nation and 1/6 to each region: 10 - 2/3, 4 + 1/6, 5 + 1/6."""
    e = np.array([[2.0, 1.0, 1.0], [-2.0, 1.0, -1.0], [2.0, -1.0, -1.0], [-2.0, -1.0, 1.0]])
    assert np.allclose(e.T @ e / 4, np.diag([4.0, 1.0, 1.0]))
    out, info = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), residuals=e)
    assert out == pytest.approx([10 - 2 / 3, 4 + 1 / 6, 5 + 1 / 6])
    assert info["method"] == "mint"


def test_mint_falls_back_to_wls_on_a_degenerate_covariance():
    e = np.array([[1.0, 0.0, 1.0], [2.0, 0.0, -1.0], [-1.0, 0.0, 1.0]])  # a region never errs
    out, info = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), residuals=e)
    assert info["method"] == "wls"
    assert "near) zero" in info["fallback"]
    assert out == pytest.approx([9.5, 4.25, 5.25])
    _, info = reconcile(np.array([10.0, 4.0, 5.0]), summing_matrix(2), residuals=e[:2])
    assert "only 2 year(s)" in info["fallback"]


def test_shrinkage_intensity_is_one_for_pure_noise_correlations_and_low_for_strong_ones():
    rng = np.random.default_rng(0)
    strong = rng.normal(size=(200, 1)) + 0.05 * rng.normal(size=(200, 4))
    _, lam = shrunk_covariance(strong)
    assert lam < 0.05


@settings(max_examples=60, deadline=None)
@given(
    base=arrays(np.float64, 5, elements=st.floats(-1e6, 1e6)),
    weights=arrays(np.float64, 4, elements=st.floats(0.01, 10)),
    method=st.sampled_from(["ols", "wls", "bottom_up", "mint"]),
    weighted=st.booleans(),
)
def test_reconciled_forecasts_are_coherent(base, weights, method, weighted):
    """Whatever the base forecasts, the reconciled nation is the (weighted) sum of its regions."""
    w = weights / weights.sum() if weighted else None
    S = summing_matrix(4, w)
    rng = np.random.default_rng(1)
    out, _ = reconcile(base, S, method=method, residuals=rng.normal(size=(10, 5)))
    top = (w if w is not None else np.ones(4)) @ out[1:]
    assert out[0] == pytest.approx(top, rel=1e-9, abs=1e-6)


def test_a_coherent_base_is_left_unchanged():
    S = summing_matrix(3)
    base = S @ np.array([1.0, 2.0, 3.0])
    for method in ("ols", "wls", "bottom_up"):
        out, _ = reconcile(base, S, method=method)
        assert out == pytest.approx(base)


def test_unknown_method_and_bad_weights_are_refused():
    with pytest.raises(ValueError, match="unknown reconciliation"):
        reconcile(np.ones(3), summing_matrix(2), method="magic")
    with pytest.raises(ValueError, match="2 entries"):
        summing_matrix(2, np.ones(3))
