"""Known answers for presence, proximity, density and entries/exits on matrices small enough to
compute by hand (every expected number is derived in the test's docstring or comment)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from terraplan.analysis.relatedness import (
    density,
    density_array,
    entries_exits,
    presence,
    proximity,
    proximity_array,
    rca,
    values_frame,
)
from terraplan.errors import InputError


@pytest.fixture
def values():
    """Three regions × three sectors. Totals: rows 10, 10, 20; columns 10, 15, 15; grand 40.
    RCA[R1, A] = (5/10) / (10/40) = 2; RCA[R1, B] = (5/10)/(15/40) = 4/3; RCA[R1, C] = 0;
    RCA[R2, B] = (10/10)/(15/40) = 8/3; RCA[R3, A] = (5/20)/(10/40) = 1;
    RCA[R3, C] = (15/20)/(15/40) = 2."""
    return pd.DataFrame(
        [[5.0, 5.0, 0.0], [0.0, 10.0, 0.0], [5.0, 0.0, 15.0]],
        index=["R1", "R2", "R3"],
        columns=["A", "B", "C"],
    )


def test_rca_known_answer(values):
    expected = [[2.0, 4 / 3, 0.0], [0.0, 8 / 3, 0.0], [1.0, 0.0, 2.0]]
    np.testing.assert_allclose(rca(values).to_numpy(), expected)


def test_presence_rca_threshold(values):
    assert presence(values).to_numpy().tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    # RCA[R3, A] = 1 exactly: present at threshold 1 (>=), absent at 1.5
    assert presence(values, threshold=1.5).to_numpy().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def test_presence_rpop(values):
    """Population 1, 1, 2 (total 4): nation per head A 10/4, B 15/4, C 15/4.
    RPOP[R1, A] = 5 / 2.5 = 2; RPOP[R3, A] = (5/2)/2.5 = 1; RPOP[R1, B] = 5/3.75 = 4/3."""
    pop = pd.Series({"R1": 1.0, "R2": 1.0, "R3": 2.0})
    got = presence(values, method="rpop", population=pop)
    assert got.to_numpy().tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    with pytest.raises(InputError, match="population"):
        presence(values, method="rpop", population=pd.Series({"R1": 1.0}))


def test_proximity_known_answers():
    """M = [[1,1,0],[1,0,1],[1,1,1]]: k = (3, 2, 2); co-occurrences AB 2, AC 2, BC 1.
    min-conditional AB = min(2/3, 2/2) = 2/3, BC = min(1/2, 1/2) = 1/2;
    cosine AB = 2/sqrt(3*2); Jaccard BC = 1/(2+2-1) = 1/3; association (lift, N = 3)
    BC = 1*3/(2*2) = 3/4; z-score BC: E = 4/3, var = E (1-2/3)(3-2)/2 = 2/9,
    z = -1/3 / sqrt(2/9)."""
    m = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["A", "B", "C"])
    assert proximity(m).loc["A", "B"] == pytest.approx(2 / 3)
    assert proximity(m).loc["B", "C"] == pytest.approx(1 / 2)
    assert proximity(m, measure="cosine").loc["A", "B"] == pytest.approx(2 / np.sqrt(6))
    assert proximity(m, measure="jaccard").loc["B", "C"] == pytest.approx(1 / 3)
    assert proximity(m, measure="association").loc["B", "C"] == pytest.approx(3 / 4)
    z = (1 - 4 / 3) / np.sqrt(2 / 9)
    assert proximity(m, measure="zscore").loc["B", "C"] == pytest.approx(z)
    with pytest.raises(InputError, match="unknown proximity measure"):
        proximity(m, measure="pearson")


def test_pooled_proximity_counts_region_years():
    """Pooling two years stacks six region-year observations: co-occurrence AB = 2 + 1 = 3,
    k_A = 3 + 2 = 5, k_B = 2 + 2 = 4, so min(3/5, 3/4) = 3/5."""
    y1 = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["A", "B", "C"])
    y2 = pd.DataFrame([[1, 1, 0], [0, 1, 1], [1, 0, 1]], columns=["A", "B", "C"])
    pooled = proximity([y1, y2])
    assert pooled.loc["A", "B"] == pytest.approx(3 / 5)
    assert pooled.attrs["observations"] == 6
    with pytest.raises(InputError, match="other sectors"):
        proximity([y1, y2[["B", "A", "C"]]])


def test_density_known_answer():
    """Row (1, 1, 0) with the proximity above: d[A] = (1 + 2/3) / (1 + 2/3 + 2/3) = 5/7,
    d[C] = (2/3 + 1/2) / (2/3 + 1/2 + 1) = 7/13; without the diagonal d[C] = 1 (both
    neighbours present) and d[A] = (2/3) / (4/3) = 1/2."""
    m = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], columns=["A", "B", "C"])
    phi = proximity(m)
    d = density(m, phi)
    assert d.loc[0, "A"] == pytest.approx(5 / 7)
    assert d.loc[0, "C"] == pytest.approx(7 / 13)
    assert density(m, phi, scale="percent").loc[0, "C"] == pytest.approx(700 / 13)
    no_diag = density(m, phi, diagonal=False)
    assert no_diag.loc[0, "C"] == pytest.approx(1.0)
    assert no_diag.loc[0, "A"] == pytest.approx(0.5)


def test_knn_density_uses_the_k_nearest():
    """Sector A's nearest other sector is B (0.9 against 0.1): with k = 1 its density is B's
    presence, whatever C does."""
    phi = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    m = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert density_array(m, phi, k=1)[:, 0].tolist() == [1.0, 0.0]
    with pytest.raises(InputError, match="nearest"):
        density_array(m, phi, k=3)


def test_entries_exits_definitions():
    start = pd.DataFrame([[1, 0, 1], [0, 0, 1]], index=["R1", "R2"], columns=list("ABC"))
    end = pd.DataFrame([[0, 1, 1], [0, 1, 0]], index=["R1", "R2"], columns=list("ABC"))
    out = entries_exits(start, end).set_index(["region", "sector"])
    assert out.loc[("R1", "B"), "entry"] == 1  # 0 -> 1
    assert out.loc[("R2", "A"), "entry"] == 0  # 0 -> 0, at risk, did not enter
    assert pd.isna(out.loc[("R1", "A"), "entry"])  # present at the start: not at risk
    assert out.loc[("R1", "A"), "exit"] == 1  # 1 -> 0
    assert out.loc[("R1", "C"), "exit"] == 0  # 1 -> 1
    assert out["entry"].sum() == 2 and out["exit"].sum() == 2
    with pytest.raises(InputError, match="differ"):
        entries_exits(start, end.drop(columns="C"))


def test_bad_values_are_listed_together():
    bad = pd.DataFrame([[1.0, -2.0], [np.nan, 1.0]], index=["R1", "R2"], columns=["A", "B"])
    with pytest.raises(InputError) as info:
        rca(bad)
    assert "missing" in str(info.value) and "negative" in str(info.value)


def test_values_frame_from_panel_matches_wide(values):
    long = values.stack().rename("value").reset_index()
    long.columns = ["region", "sector", "value"]
    panel = long.assign(year=2023, indicator="gva", unit="u", flag="")
    got = values_frame(panel, 2023)
    np.testing.assert_allclose(got.loc[values.index, values.columns].to_numpy(), values)


@settings(max_examples=60, deadline=None)
@given(arrays(np.int8, (6, 5), elements=st.integers(0, 1)))
def test_proximity_properties(m):
    """Every measure is symmetric; the bounded ones stay in [0, 1]; density stays in [0, 1]."""
    for measure in ("min_conditional", "cosine", "jaccard", "association", "zscore"):
        phi = proximity_array(m, measure)
        np.testing.assert_allclose(phi, phi.T, atol=1e-12)
        if measure in ("min_conditional", "cosine", "jaccard"):
            assert phi.min() >= 0 and phi.max() <= 1 + 1e-12
    d = density_array(m, proximity_array(m))
    assert d.min() >= -1e-12 and d.max() <= 1 + 1e-12
