"""Region × sector matrices: reference universes, sector levels, and refusals of bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from terraplan.analysis.matrices import SectorMatrix, as_matrix, sector_matrix
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError


def tidy(cells: dict[tuple[str, int, str], float], indicator: str = "gva") -> pd.DataFrame:
    """A tidy panel from {(region, year, sector): value}."""
    rows = [
        {"region": r, "year": y, "indicator": indicator, "sector": s, "value": v, "unit": "u"}
        for (r, y, s), v in cells.items()
    ]
    return pd.DataFrame(rows).assign(flag="")


# Three regions, two sectors, one year; totals by hand: A = 10 + 20 + 30 = 60, B = 5 + 15 + 0 = 20.
CELLS = {
    ("R1", 2023, "A"): 10.0,
    ("R1", 2023, "B"): 5.0,
    ("R2", 2023, "A"): 20.0,
    ("R2", 2023, "B"): 15.0,
    ("R3", 2023, "A"): 30.0,
    ("R3", 2023, "B"): 0.0,
}


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return kazakhstan.panel(["gva"], include_national=True)


def test_nation_reference_is_the_sum_of_regions():
    m = sector_matrix(tidy(CELLS), 2023)
    assert m.reference_label == "nation (sum of regions)"
    assert m.regions == ("R1", "R2", "R3")
    assert m.sectors == ("A", "B")
    np.testing.assert_array_equal(m.reference[0], [[60.0, 20.0]] * 3)
    assert m.includes_self.tolist() == [True, True, True]
    assert m.attrs["unit"] == "u" and m.attrs["years"] == [2023]


def test_group_reference_sums_the_members_and_records_membership():
    m = sector_matrix(tidy(CELLS), 2023, reference=["R1", "R2"])
    np.testing.assert_array_equal(m.reference[0], [[30.0, 20.0]] * 3)
    assert m.includes_self.tolist() == [True, True, False]
    assert m.reference_label == "group (R1, R2)"


def test_named_groups_compare_each_region_with_its_own_group():
    m = sector_matrix(tidy(CELLS), 2023, reference={"west": ["R1"], "east": ["R2", "R3"]})
    np.testing.assert_array_equal(m.reference[0], [[10.0, 5.0], [50.0, 15.0], [50.0, 15.0]])
    with pytest.raises(AnalysisError, match="in no group: R3"):
        sector_matrix(tidy(CELLS), 2023, reference={"west": ["R1"], "east": ["R2"]})
    with pytest.raises(AnalysisError, match="more than one group: R2"):
        sector_matrix(tidy(CELLS), 2023, reference={"a": ["R1", "R2"], "b": ["R2", "R3"]})


def test_neighbours_reference_excludes_the_region_itself():
    nb = {"R1": ["R2"], "R2": ["R1", "R3"], "R3": ["R2"]}
    m = sector_matrix(tidy(CELLS), 2023, reference="neighbours", neighbours=nb)
    # R1 against R2 = (20, 15); R2 against R1 + R3 = (40, 5); R3 against R2 = (20, 15)
    np.testing.assert_array_equal(m.reference[0], [[20.0, 15.0], [40.0, 5.0], [20.0, 15.0]])
    assert not m.includes_self.any()
    with pytest.raises(AnalysisError, match="needs a neighbours mapping"):
        sector_matrix(tidy(CELLS), 2023, reference="neighbours")
    with pytest.raises(AnalysisError, match="R3 have no neighbours"):
        sector_matrix(
            tidy(CELLS), 2023, reference="neighbours", neighbours={"R1": ["R2"], "R2": ["R1"]}
        )
    with pytest.raises(AnalysisError, match="not in the panel"):
        sector_matrix(tidy(CELLS), 2023, reference="neighbours", neighbours={**nb, "R3": ["R9"]})


def test_national_row_reference_uses_the_published_row():
    cells = {**CELLS, ("KZ", 2023, "A"): 61.0, ("KZ", 2023, "B"): 21.0}
    m = sector_matrix(tidy(cells), 2023, reference="national-row")
    np.testing.assert_array_equal(m.reference[0], [[61.0, 21.0]] * 3)
    assert "KZ" not in m.regions
    assert m.reference_label == "nation (published national row KZ)"
    # the nation reference ignores the KZ row (no double counting)
    np.testing.assert_array_equal(sector_matrix(tidy(cells), 2023).reference[0, 0], [60.0, 20.0])
    with pytest.raises(AnalysisError, match="include_national=True"):
        sector_matrix(tidy(CELLS), 2023, reference="national-row")


def test_unknown_reference_is_refused():
    with pytest.raises(AnalysisError, match="unknown reference"):
        sector_matrix(tidy(CELLS), 2023, reference="planet")


def test_aggregate_rows_are_left_out():
    cells = {**CELLS, ("R1", 2023, "TOTAL"): 15.0, ("R1", 2023, "IND"): 99.0}
    assert sector_matrix(tidy(cells), 2023).sectors == ("A", "B")


def test_mixed_sector_levels_are_refused_or_aggregated():
    # 2013 publishes services as OTHER_SERVICES (= 7); 2014 as I = 3 and K = 4 (sum 7 by design)
    cells = {
        ("R1", 2013, "A"): 1.0, ("R1", 2013, "OTHER_SERVICES"): 7.0,
        ("R2", 2013, "A"): 2.0, ("R2", 2013, "OTHER_SERVICES"): 8.0,
        ("R1", 2014, "A"): 1.0, ("R1", 2014, "I"): 3.0, ("R1", 2014, "K"): 4.0,
        ("R2", 2014, "A"): 2.0, ("R2", 2014, "I"): 5.0, ("R2", 2014, "K"): 3.0,
    }  # fmt: skip
    with pytest.raises(AnalysisError, match="sector_level='coarse'"):
        sector_matrix(tidy(cells), [2013, 2014])
    with pytest.raises(AnalysisError, match="only as OTHER_SERVICES"):
        sector_matrix(tidy(cells), 2013, sector_level="fine")
    m = sector_matrix(tidy(cells), [2013, 2014], sector_level="coarse")
    assert m.sectors == ("A", "OTHER_SERVICES")
    assert m.sector_level == "coarse"
    np.testing.assert_array_equal(m.values[1], [[1.0, 7.0], [2.0, 8.0]])
    # a single year at either level is fine as it is
    assert sector_matrix(tidy(cells), 2014).sectors == ("A", "I", "K")
    assert sector_matrix(tidy(cells), 2013).sector_level == "coarse"


def test_coarse_refuses_a_region_year_with_both_levels():
    cells = {
        ("R1", 2013, "A"): 1.0,
        ("R1", 2013, "OTHER_SERVICES"): 7.0,
        ("R1", 2013, "I"): 7.0,
        ("R2", 2013, "A"): 1.0,
        ("R2", 2013, "I"): 2.0,
    }
    with pytest.raises(AnalysisError, match="count them twice"):
        sector_matrix(tidy(cells), 2013, sector_level="coarse")


def test_missing_cells_are_refused_filled_or_dropped():
    cells = dict(CELLS)
    del cells[("R3", 2023, "B")]
    with pytest.raises(AnalysisError, match="R3 2023 B"):
        sector_matrix(tidy(cells), 2023)
    filled = sector_matrix(tidy(cells), 2023, missing="zero")
    assert filled.values[0, 2, 1] == 0.0 and "counted as 0" in filled.notes[0]
    dropped = sector_matrix(tidy(cells), 2023, missing="drop")
    assert dropped.sectors == ("A",)
    nan_cells = {**CELLS, ("R3", 2023, "B"): float("nan")}
    with pytest.raises(AnalysisError, match="1 region-year-sector cell"):
        sector_matrix(tidy(nan_cells), 2023)


def test_sector_present_in_one_year_only_is_named():
    cells = {**CELLS, **{(r, 2024, s): v for (r, _, s), v in CELLS.items()}}
    cells[("R1", 2024, "T")] = 1.0
    cells[("R2", 2024, "T")] = 1.0
    cells[("R3", 2024, "T")] = 1.0
    with pytest.raises(AnalysisError, match=r"sector T has no data in \[2023\]"):
        sector_matrix(tidy(cells), [2023, 2024])
    assert sector_matrix(tidy(cells), [2023, 2024], missing="drop").sectors == ("A", "B")


def test_negative_values_and_zero_totals_are_refused():
    cells = {**CELLS, ("R1", 2023, "B"): -1.0}
    with pytest.raises(AnalysisError, match=r"negative value.*R1 2023 B = -1"):
        sector_matrix(tidy(cells), 2023)
    zero = {**CELLS, ("R3", 2023, "A"): 0.0}
    with pytest.raises(AnalysisError, match="zero total over all sectors: R3 2023"):
        sector_matrix(tidy(zero), 2023)


def test_zero_reference_sector_total_is_refused():
    cells = {**CELLS, ("R1", 2023, "B"): 0.0, ("R2", 2023, "B"): 0.0}
    with pytest.raises(AnalysisError, match="zero total in 3 region-year-sector"):
        sector_matrix(tidy(cells), 2023)
    assert sector_matrix(tidy(cells), 2023, sectors=["A"]).sectors == ("A",)


def test_layout_change_is_refused_or_dropped_keeping_the_nation_whole():
    # R3 (A 30, B 2) splits into R4 (A 20, B 1) + R5 (A 10, B 1) in 2024: the nation is unchanged
    cells = {**CELLS, ("R3", 2023, "B"): 2.0}
    cells.update({(r, 2024, s): v for (r, _, s), v in CELLS.items() if r != "R3"})
    cells.update(
        {
            ("R4", 2024, "A"): 20.0,
            ("R4", 2024, "B"): 1.0,
            ("R5", 2024, "A"): 10.0,
            ("R5", 2024, "B"): 1.0,
        }
    )
    with pytest.raises(AnalysisError, match=r"R3 \(2023\).*R4 \(2024\).*harmonize"):
        sector_matrix(tidy(cells), [2023, 2024])
    m = sector_matrix(tidy(cells), [2023, 2024], unmatched="drop")
    assert m.regions == ("R1", "R2")
    # the nation still counts R3 in 2023 and R4 + R5 in 2024: A = 60 both years, B = 22 both
    np.testing.assert_array_equal(m.reference[:, 0, :], [[60.0, 22.0], [60.0, 22.0]])
    assert "R3" in m.notes[0]


def test_former_region_beside_its_successors_is_refused():
    # South Kazakhstan (KZ-YUZ) = Turkistan (KZ-61) + Shymkent (KZ-79) in the registry
    cells = {(r, 2017, s): 1.0 for r in ("KZ-YUZ", "KZ-61", "KZ-79", "KZ-23") for s in "AB"}
    with pytest.raises(AnalysisError, match=r"KZ-YUZ with KZ-61 in \[2017\]"):
        sector_matrix(tidy(cells), 2017)
    del_former = {k: v for k, v in cells.items() if k[0] != "KZ-YUZ"}
    assert sector_matrix(tidy(del_former), 2017).regions == ("KZ-23", "KZ-61", "KZ-79")


def test_duplicates_missing_years_and_indicators_are_refused():
    panel = tidy(CELLS)
    with pytest.raises(InputError, match="R1 2023 A"):
        sector_matrix(pd.concat([panel, panel.iloc[[0]]]), 2023)
    with pytest.raises(AnalysisError, match=r"no data for \[2030\]"):
        sector_matrix(panel, 2030)
    with pytest.raises(AnalysisError, match="no rows of indicator 'grp'"):
        sector_matrix(panel, 2023, indicator="grp")
    with pytest.raises(InputError, match="lacks the column"):
        sector_matrix(panel.drop(columns="sector"), 2023)


def test_input_is_not_mutated_and_long_frame_round_trips():
    panel = tidy(CELLS)
    before = panel.copy()
    m = sector_matrix(panel, 2023)
    pd.testing.assert_frame_equal(panel, before)
    long = m.to_frame()
    assert long["value"].tolist() == [10.0, 5.0, 20.0, 15.0, 30.0, 0.0]
    assert long["reference_value"].tolist() == [60.0, 20.0] * 3
    assert m.frame(2023).loc["R2", "B"] == 15.0


def test_as_matrix_refuses_options_for_a_ready_matrix():
    m = SectorMatrix.from_arrays(
        np.ones((1, 2, 2)), years=[2023], regions=["a", "b"], sectors=["A", "B"]
    )
    assert as_matrix(m, [2023], reference="nation") is not None
    with pytest.raises(AnalysisError, match="reference"):
        as_matrix(m, [2023], reference=["a"])
    with pytest.raises(InputError, match="tidy panel"):
        as_matrix([1, 2], [2023])


def test_bundled_gva_levels(bundled):
    with pytest.raises(AnalysisError, match="sector_level='coarse'"):
        sector_matrix(bundled, [2013, 2014], unmatched="drop")
    m = sector_matrix(bundled, 2023, sector_level="coarse")
    fine = sector_matrix(bundled, 2023)
    services = [fine.sectors.index(s) for s in ("I", "K", "M", "N", "O", "P", "Q", "R", "S")]
    np.testing.assert_allclose(
        m.values[0, :, m.sectors.index("OTHER_SERVICES")], fine.values[0][:, services].sum(1)
    )
    # the sum of regions and the published national row agree (README: regions = national)
    national = sector_matrix(bundled, 2023, reference="national-row")
    np.testing.assert_allclose(national.reference[0, 0], fine.reference[0, 0], rtol=1e-6)
