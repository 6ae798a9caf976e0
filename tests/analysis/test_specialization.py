"""Specialization and concentration indices: known answers, identities, properties, real data."""

from __future__ import annotations

from math import log, sqrt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from terraplan.analysis.matrices import SectorMatrix, sector_matrix
from terraplan.analysis.specialization import (
    concentration_indices,
    gini_specialization,
    herfindahl,
    hoover_localization,
    hoover_specialization,
    krugman_concentration,
    krugman_specialization,
    location_quotient,
    locational_gini,
    lq_array,
    lq_log_se,
    shannon_entropy,
    specialization_indices,
)
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError

# Known-answer matrix, built so every share is a round number:
#   R1 = (60, 20, 20) total 100 -> shares (0.6, 0.2, 0.2)
#   R2 = (20, 60, 20) total 100 -> shares (0.2, 0.6, 0.2)
#   R3 = (20, 20, 160) total 200 -> shares (0.1, 0.1, 0.8)
#   nation = (100, 100, 200) total 400 -> shares (0.25, 0.25, 0.5)
X = np.array([[60.0, 20.0, 20.0], [20.0, 60.0, 20.0], [20.0, 20.0, 160.0]])
NATION = np.broadcast_to(X.sum(axis=0), X.shape)
REGIONS, SECTORS = ["R1", "R2", "R3"], ["A", "B", "C"]


def known_matrix() -> SectorMatrix:
    return SectorMatrix.from_arrays(X[None], years=[2023], regions=REGIONS, sectors=SECTORS)


def known_panel() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": np.repeat(REGIONS, 3),
            "year": 2023,
            "indicator": "gva",
            "sector": SECTORS * 3,
            "value": X.ravel(),
            "unit": "u",
            "flag": "",
        }
    )


positive_matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 6), st.integers(2, 7)),
    elements=st.floats(0.5, 1e6, allow_nan=False, allow_infinity=False),
)


# ---------------------------------------------------------------- known answers


def test_location_quotient_known_answers():
    lq = location_quotient(known_panel(), 2023)
    # a / b: R1 (0.6/0.25, 0.2/0.25, 0.2/0.5), R2 (0.2/0.25, 0.6/0.25, 0.2/0.5), R3 (0.1/0.25, ...)
    expected = [2.4, 0.8, 0.4, 0.8, 2.4, 0.4, 0.4, 0.4, 1.6]
    np.testing.assert_allclose(lq["lq"], expected)
    np.testing.assert_allclose(lq["log_lq"], np.log(expected))
    np.testing.assert_allclose(
        lq["symmetric_lq"][[0, 1, 2, 8]], [1.4 / 3.4, -0.2 / 1.8, -0.6 / 1.4, 0.6 / 2.6]
    )
    np.testing.assert_allclose(lq["share"][:3], [0.6, 0.2, 0.2])
    np.testing.assert_allclose(lq["reference_share"][:3], [0.25, 0.25, 0.5])
    assert lq["region"].astype(str).tolist() == list(np.repeat(REGIONS, 3))
    assert lq.attrs["method"] == "location quotient"
    assert lq.attrs["reference"] == "nation (sum of regions)"
    assert lq.attrs["year"] == [2023] and lq.attrs["unit"] == "u"


def test_lq_reliability_known_answers():
    m = known_matrix()
    se = lq_log_se(m)
    # nation contains the region (delta = 1): R1 A, x = 60, x_r = 100, e_s = 100, e = 400, a = 0.6
    assert se[0, 0, 0] == pytest.approx(sqrt(1 / 60 - 1 / 100 + 1 / 100 - 1 / 400 - 2 * 0.4 / 100))
    # counts in thousands: every count is 1000 times larger, so the variance is 1000 times smaller
    assert lq_log_se(m, count_scale=1000)[0, 0, 0] == pytest.approx(se[0, 0, 0] / sqrt(1000))
    # neighbours exclude the region (delta = 0): R1 against R2 = (20, 60, 20), total 100
    nb = sector_matrix(
        known_panel(),
        2023,
        reference="neighbours",
        neighbours={"R1": ["R2"], "R2": ["R1"], "R3": ["R1"]},
    )
    assert lq_log_se(nb)[0, 0, 0] == pytest.approx(sqrt(1 / 60 - 1 / 100 + 1 / 20 - 1 / 100))
    assert "lq_se_log" not in location_quotient(known_panel(), 2023).columns  # opt-in
    lq = location_quotient(known_panel(), 2023, reliability=True, confidence=0.95)
    assert lq.attrs["reliability"].startswith("delta-method")
    z = 1.959963984540054  # standard normal 97.5 % quantile
    row = lq.iloc[0]
    assert row["lq_low"] == pytest.approx(2.4 * np.exp(-z * row["lq_se_log"]))
    assert row["lq_high"] == pytest.approx(2.4 * np.exp(z * row["lq_se_log"]))
    assert row["lq_z"] == pytest.approx(log(2.4) / row["lq_se_log"])


def test_zero_cells_give_zero_lq_and_no_interval():
    x = np.array([[[5.0, 0.0], [5.0, 10.0]]])
    m = SectorMatrix.from_arrays(x, years=[2023], regions=["a", "b"], sectors=["A", "B"])
    lq = location_quotient(m, 2023, reliability=True)
    assert lq.loc[1, "lq"] == 0.0 and lq.loc[1, "log_lq"] == -np.inf
    assert np.isnan(lq.loc[1, "lq_low"]) and np.isnan(lq.loc[1, "lq_z"])
    assert lq.loc[1, "symmetric_lq"] == -1.0


def test_specialization_indices_known_answers():
    out = specialization_indices(known_panel(), 2023)
    # Krugman: R1 |0.6-0.25| + |0.2-0.25| + |0.2-0.5| = 0.7; R2 the same; R3 0.15+0.15+0.3 = 0.6
    np.testing.assert_allclose(out["krugman"], [0.7, 0.7, 0.6])
    np.testing.assert_allclose(out["hoover"], [0.35, 0.35, 0.3])
    # Gini R1: sectors by LQ (C 0.4, B 0.8, A 2.4); cumulated b (0.5, 0.75, 1), a (0.2, 0.4, 1):
    # 1 - (0.5 * 0.2 + 0.25 * 0.6 + 0.25 * 1.4) = 0.4. R3: b (.25, .5, 1), a (.1, .2, 1): 0.3
    np.testing.assert_allclose(out["gini"], [0.4, 0.4, 0.3])
    np.testing.assert_allclose(out["hhi"], [0.44, 0.44, 0.66])
    np.testing.assert_allclose(out["hhi_normalized"], [0.16, 0.16, 0.49])
    e1 = -(0.6 * log(0.6) + 0.4 * log(0.2))
    e3 = -(0.2 * log(0.1) + 0.8 * log(0.8))
    np.testing.assert_allclose(out["entropy"], [e1, e1, e3])
    np.testing.assert_allclose(out["entropy_normalized"], [e1 / log(3), e1 / log(3), e3 / log(3)])
    assert out["n_sectors"].tolist() == [3, 3, 3]
    assert out.attrs["method"] == "specialization indices"


def test_concentration_indices_known_answers():
    out = concentration_indices(known_panel(), 2023)
    # sector A over regions (0.6, 0.2, 0.2) against total shares (0.25, 0.25, 0.5): 0.7;
    # C (0.1, 0.1, 0.8): 0.6
    np.testing.assert_allclose(out["krugman"], [0.7, 0.7, 0.6])
    np.testing.assert_allclose(out["hoover"], [0.35, 0.35, 0.3])
    np.testing.assert_allclose(out["locational_gini"], [0.4, 0.4, 0.3])
    np.testing.assert_allclose(out["hhi"], [0.44, 0.44, 0.66])
    assert out["sector"].astype(str).tolist() == SECTORS
    assert out.attrs["reference"] == "the regions of the panel (their sum)"


def test_array_functions_known_answers():
    assert krugman_specialization(X, NATION).tolist() == pytest.approx([0.7, 0.7, 0.6])
    assert hoover_specialization(X, NATION).tolist() == pytest.approx([0.35, 0.35, 0.3])
    assert gini_specialization(X, NATION).tolist() == pytest.approx([0.4, 0.4, 0.3])
    assert krugman_concentration(X).tolist() == pytest.approx([0.7, 0.7, 0.6])
    assert hoover_localization(X).tolist() == pytest.approx([0.35, 0.35, 0.3])
    assert locational_gini(X).tolist() == pytest.approx([0.4, 0.4, 0.3])
    assert herfindahl(X[0]) == pytest.approx(0.44)
    assert herfindahl(X, axis=0).tolist() == pytest.approx([0.44, 0.44, 0.66])
    assert float(shannon_entropy(np.array([0.0, 1.0]))) == 0.0  # 0 ln 0 = 0
    assert lq_array(X, NATION)[2].tolist() == pytest.approx([0.4, 0.4, 1.6])


def test_against_a_group_and_neighbours():
    # R3 against the group {R1, R2} = (80, 80, 40), shares (0.4, 0.4, 0.2): LQ (0.25, 0.25, 4)
    lq = location_quotient(known_panel(), 2023, reference=["R1", "R2"])
    np.testing.assert_allclose(lq["lq"].to_numpy()[6:], [0.25, 0.25, 4.0])
    assert lq.attrs["reference"] == "group (R1, R2)"


# ---------------------------------------------------------------- identities


def test_lq_invariant_to_scaling_the_whole_matrix():
    base = location_quotient(known_matrix(), 2023)["lq"]
    scaled = SectorMatrix.from_arrays(
        X[None] * 1234.5, years=[2023], regions=REGIONS, sectors=SECTORS
    )
    np.testing.assert_allclose(location_quotient(scaled, 2023)["lq"], base)


def test_krugman_zero_for_identical_and_maximal_for_fully_specialized():
    reference = np.array([10.0, 30.0, 60.0])  # shares (0.1, 0.3, 0.6)
    assert krugman_specialization(reference * 7, reference) == pytest.approx(0.0)
    assert gini_specialization(reference * 7, reference) == pytest.approx(0.0)
    # all in the smallest sector: 2 (1 - 0.1) = 1.8, the largest value any structure can reach
    assert krugman_specialization(np.array([5.0, 0, 0]), reference) == pytest.approx(1.8)
    assert krugman_specialization(np.array([0.0, 0, 5]), reference) == pytest.approx(0.8)


def test_multi_year_results_equal_single_years():
    x = np.stack([X, X[::-1] + 1.0])
    m = SectorMatrix.from_arrays(x, years=[2022, 2023], regions=REGIONS, sectors=SECTORS)
    both = specialization_indices(m, [2022, 2023])
    for year in (2022, 2023):
        one = specialization_indices(m, year).drop(columns=["year"]).reset_index(drop=True)
        part = both[both["year"] == year].drop(columns=["year"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(one, part)


# ---------------------------------------------------------------- properties


@given(positive_matrices, st.floats(1e-3, 1e3))
def test_property_lq_scale_invariance_and_weighted_mean(x, c):
    reference = np.broadcast_to(x.sum(axis=0), x.shape)
    lq = lq_array(x, reference)
    np.testing.assert_allclose(lq_array(c * x, c * reference), lq, rtol=1e-9)
    # the reference-share-weighted mean of a region's LQs is exactly 1
    b = reference / reference.sum(axis=1, keepdims=True)
    np.testing.assert_allclose((b * lq).sum(axis=1), 1.0, rtol=1e-9)
    assert (lq > 0).all()


@given(positive_matrices)
def test_property_bounds_of_specialization_indices(x):
    reference = np.broadcast_to(x.sum(axis=0), x.shape)
    n = x.shape[1]
    k = krugman_specialization(x, reference)
    assert ((k >= -1e-12) & (k < 2)).all()
    np.testing.assert_allclose(hoover_specialization(x, reference), k / 2)
    g = gini_specialization(x, reference)
    assert ((g >= -1e-9) & (g < 1)).all()
    h = herfindahl(x)
    assert ((h >= 1 / n - 1e-12) & (h <= 1 + 1e-12)).all()
    e = shannon_entropy(x)
    assert ((e >= -1e-12) & (e <= log(n) + 1e-9)).all()
    hn = herfindahl(x, normalized=True)
    assert ((hn >= -1e-9) & (hn <= 1 + 1e-9)).all()


@given(positive_matrices, st.randoms(use_true_random=False))
def test_property_concentration_ignores_region_order(x, rnd):
    order = list(range(x.shape[0]))
    rnd.shuffle(order)
    np.testing.assert_allclose(locational_gini(x[order]), locational_gini(x), atol=1e-12)
    np.testing.assert_allclose(krugman_concentration(x[order]), krugman_concentration(x))


@given(
    arrays(np.float64, st.integers(2, 6), elements=st.floats(0.5, 1e4)),
    arrays(np.float64, st.integers(2, 6), elements=st.floats(0.1, 10)),
)
def test_property_proportional_regions_are_not_concentrated(structure, sizes):
    x = np.outer(sizes, structure)  # every region has the same sector structure
    np.testing.assert_allclose(krugman_concentration(x), 0.0, atol=1e-9)
    np.testing.assert_allclose(locational_gini(x), 0.0, atol=1e-9)


# ---------------------------------------------------------------- bundled data


@pytest.fixture(scope="module")
def gva() -> pd.DataFrame:
    return kazakhstan.panel(["gva"])


@pytest.mark.parametrize("year", range(2010, 2026))
def test_bundled_lq_sane_every_year(gva, year):
    lq = location_quotient(gva, year, sector_level="coarse")
    assert lq["lq"].notna().all() and (lq["lq"] >= 0).all()
    mining = lq[(lq["region"] == "KZ-23") & (lq["sector"] == "B")]["lq"].item()
    assert mining > 2.5  # Atyrau: oil and gas
    # Astana and Almaty city: the services sections (G onwards) weigh far more than nationally
    services = lq[~lq["sector"].isin(list("ABCDEF"))]
    for city in ("KZ-71", "KZ-75"):
        rows = services[services["region"] == city]
        ratio = rows["value"].sum() / lq[lq["region"] == city]["value"].sum()
        reference = (rows["reference_share"]).sum()
        assert ratio / reference > 1.25
        assert lq[(lq["region"] == city) & (lq["sector"] == "B")]["lq"].item() < 0.05


def test_bundled_fine_level_refused_across_2013_2014(gva):
    with pytest.raises(AnalysisError, match="OTHER_SERVICES"):
        location_quotient(gva, [2013, 2014])


def test_bundled_indices_all_defined(gva):
    # section T is published for 2025 only: named, never silently mixed
    with pytest.raises(AnalysisError, match=r"sector T has no data in \[2021, 2022, 2023, 2024\]"):
        specialization_indices(gva, [2021, 2022, 2023, 2024, 2025])
    spec = specialization_indices(gva, [2021, 2022, 2023, 2024, 2025], missing="drop")
    assert spec.notna().all().all()
    assert "sector(s) T left out: missing in some region-year" in spec.attrs["notes"]
    assert "flagged values used (preliminary) in [2024, 2025]" in spec.attrs["notes"]
    assert spec.loc[spec["region"] == "KZ-23", "krugman"].min() > spec["krugman"].median()
    conc = concentration_indices(gva, 2023)
    # mining is more concentrated than trade
    by_sector = conc.set_index(conc["sector"].astype(str))
    assert by_sector.loc["B", "locational_gini"] > by_sector.loc["G", "locational_gini"]
