"""Shift-share: classic, Esteban-Marquillas, dynamic, spatial and real, with exact identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from terraplan.analysis.matrices import SectorMatrix
from terraplan.analysis.shiftshare import (
    classic_components,
    esteban_marquillas_split,
    shift_share,
)
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError

# Two regions, two sectors, three years (values chosen so every growth rate is a round number):
#   R1: A 40 -> 50 -> 60, B 10 -> 10 -> 12;  R2: A 10 -> 20 -> 30, B 40 -> 40 -> 48
#   nation: A 50 -> 70 -> 90, B 50 -> 50 -> 60, total 100 -> 120 -> 150
SERIES = {
    ("R1", "A"): [40.0, 50.0, 60.0],
    ("R1", "B"): [10.0, 10.0, 12.0],
    ("R2", "A"): [10.0, 20.0, 30.0],
    ("R2", "B"): [40.0, 40.0, 48.0],
}
YEARS = [2020, 2021, 2022]
COMPONENTS = ["national_share", "industry_mix", "competitive_shift"]


def panel_of(series=SERIES, years=YEARS, indicator="gva") -> pd.DataFrame:
    rows = [
        {"region": r, "year": y, "indicator": indicator, "sector": s, "value": v, "unit": "u"}
        for (r, s), values in series.items()
        for y, v in zip(years, values, strict=True)
    ]
    return pd.DataFrame(rows).assign(flag="")


def test_classic_known_answer():
    ss = shift_share(panel_of(), year=2022, base_year=2020)
    # G = 150/100 - 1 = 0.5; g_A = 90/50 - 1 = 0.8; g_B = 60/50 - 1 = 0.2
    # R1 A: NS 40*0.5 = 20, IM 40*(0.8-0.5) = 12, CS 60 - 40*1.8 = -12 (sum 20)
    # R1 B: 5, 10*(0.2-0.5) = -3, 12 - 12 = 0;  R2 A: 5, 3, 30 - 18 = 12;  R2 B: 20, -12, 0
    np.testing.assert_allclose(ss["national_share"], [20, 5, 5, 20])
    np.testing.assert_allclose(ss["industry_mix"], [12, -3, 3, -12])
    np.testing.assert_allclose(ss["competitive_shift"], [-12, 0, 12, 0], atol=1e-12)
    np.testing.assert_allclose(ss["change"], [20, 2, 20, 8])
    np.testing.assert_allclose(ss["reference_growth"], 0.5)
    np.testing.assert_allclose(ss["reference_sector_growth"], [0.8, 0.2, 0.8, 0.2])
    assert ss["region"].astype(str).tolist() == ["R1", "R1", "R2", "R2"]
    assert ss.attrs["method"] == "shift-share, classic"
    assert ss.attrs["prices"] == "nominal (current prices)"
    assert ss.attrs["base_year"] == 2020 and ss.attrs["year"] == 2022


def test_esteban_marquillas_known_answer():
    ss = shift_share(panel_of(), year=2022, base_year=2020, method="esteban-marquillas")
    # homothetic values: region total 50 times the nation's base shares (0.5, 0.5) = 25
    # R1 A: r - g = -12/40 = -0.3: competitive 25 * -0.3 = -7.5, allocation 15 * -0.3 = -4.5
    # R2 A: r - g = 12/10 = 1.2: competitive 25 * 1.2 = 30, allocation (10 - 25) * 1.2 = -18
    np.testing.assert_allclose(ss["homothetic_competitive"], [-7.5, 0, 30, 0], atol=1e-12)
    np.testing.assert_allclose(ss["allocation"], [-4.5, 0, -18, 0], atol=1e-12)
    np.testing.assert_allclose(
        ss["homothetic_competitive"] + ss["allocation"], ss["competitive_shift"]
    )


def test_dynamic_known_answer():
    ss = shift_share(panel_of(), year=2022, base_year=2020, dynamic=True)
    # 2020-21: G 0.2, g_A 0.4, g_B 0; 2021-22: G 0.25, g_A 2/7, g_B 0.2
    # R1 A: NS 8 + 12.5; IM 8 + 50 (2/7 - 1/4); CS (50 - 56) + (60 - 50 * 9/7)
    assert ss.loc[0, "national_share"] == pytest.approx(20.5)
    assert ss.loc[0, "industry_mix"] == pytest.approx(8 + 50 / 28)
    assert ss.loc[0, "competitive_shift"] == pytest.approx(-6 + 60 - 50 * 9 / 7)
    # R2 A: NS 2 + 5; IM 2 + 20/28; CS (20 - 14) + (30 - 20 * 9/7)
    assert ss.loc[2, "national_share"] == pytest.approx(7)
    assert ss.loc[2, "industry_mix"] == pytest.approx(2 + 20 / 28)
    assert ss.loc[2, "competitive_shift"] == pytest.approx(6 + 30 - 20 * 9 / 7)
    np.testing.assert_allclose(ss[COMPONENTS].sum(axis=1), ss["change"])
    assert "dynamic" in ss.attrs["method"]
    annual = shift_share(panel_of(), year=2022, base_year=2020, dynamic=True, by_year=True)
    assert len(annual) == 8 and sorted(set(annual["year"])) == [2021, 2022]
    assert annual.loc[0, "base_year"] == 2020
    sums = annual.groupby(["region", "sector"], observed=True)[COMPONENTS].sum().to_numpy()
    np.testing.assert_allclose(sums, ss[COMPONENTS].to_numpy())


def test_spatial_shift_share_with_neighbours():
    nb = {"R1": ["R2"], "R2": ["R1"]}
    ss = shift_share(panel_of(), year=2022, base_year=2020, reference="neighbours", neighbours=nb)
    # R1 against R2: G = 78/50 - 1 = 0.56, g_A = 30/10 - 1 = 2
    # R1 A: NS 40 * 0.56 = 22.4, IM 40 * (2 - 0.56) = 57.6, CS 60 - 40 * 3 = -60
    np.testing.assert_allclose(ss.loc[0, COMPONENTS].astype(float), [22.4, 57.6, -60.0])
    assert ss.attrs["reference"].startswith("neighbours")


def test_esteban_marquillas_refuses_sectors_new_to_a_region():
    series = {**SERIES, ("R1", "C"): [0.0, 0.0, 5.0], ("R2", "C"): [1.0, 1.0, 1.0]}
    with pytest.raises(AnalysisError, match=r"R1 C \(2021: 0 -> 2022: 5\)"):
        shift_share(panel_of(series), year=2022, base_year=2021, method="esteban-marquillas")
    # the classic split is defined: the whole new value is competitive shift
    ss = shift_share(panel_of(series), year=2022, base_year=2021)
    row = ss[(ss["region"] == "R1") & (ss["sector"] == "C")].iloc[0]
    assert row["competitive_shift"] == 5.0 and row["national_share"] == 0.0
    # no activity in either year: both Esteban-Marquillas effects are 0
    quiet = {**SERIES, ("R1", "C"): [0.0, 0.0, 0.0], ("R2", "C"): [1.0, 2.0, 3.0]}
    em = shift_share(panel_of(quiet), year=2022, base_year=2020, method="esteban-marquillas")
    row = em[(em["region"] == "R1") & (em["sector"] == "C")].iloc[0]
    assert row["homothetic_competitive"] == 0.0 and row["allocation"] == 0.0


def test_bad_periods_are_refused():
    with pytest.raises(AnalysisError, match="must come before"):
        shift_share(panel_of(), year=2020, base_year=2022)
    with pytest.raises(AnalysisError, match="method must be"):
        shift_share(panel_of(), year=2022, base_year=2020, method="arcelus")
    gappy = panel_of()[lambda p: p["year"] != 2021]
    with pytest.raises(AnalysisError, match=r"no data for \[2021\]"):
        shift_share(gappy, year=2022, base_year=2020, dynamic=True)


# ---------------------------------------------------------------- real prices


def real_panel() -> pd.DataFrame:
    # base-year values as SERIES in 2020; volume indices (% of previous year) for 2021 and 2022:
    #   R1 A 110, 120 -> real 2022 = 40 * 1.1 * 1.2 = 52.8;  R1 B 100, 100 -> 10
    #   R2 A 150, 100 -> 10 * 1.5 = 15;                      R2 B 100, 50 -> 40 * 0.5 = 20
    volume = {("R1", "A"): [110.0, 120.0], ("R1", "B"): [100.0, 100.0],
              ("R2", "A"): [150.0, 100.0], ("R2", "B"): [100.0, 50.0]}  # fmt: skip
    return pd.concat(
        [panel_of(), panel_of(volume, [2021, 2022], indicator="gva_volume_index")],
        ignore_index=True,
    )


def test_real_prices_chain_every_year_in_between():
    ss = shift_share(real_panel(), year=2022, base_year=2020, prices="real")
    np.testing.assert_allclose(ss["value"], [52.8, 10.0, 15.0, 20.0])
    np.testing.assert_allclose(ss["base_value"], [40.0, 10.0, 10.0, 40.0])
    # nation in 2020 prices: A 50 -> 67.8, B 50 -> 30; total 100 -> 97.8
    np.testing.assert_allclose(ss["reference_sector_growth"], [0.356, -0.4, 0.356, -0.4])
    np.testing.assert_allclose(ss[COMPONENTS].sum(axis=1), ss["change"])
    assert "constant 2020 prices" in ss.attrs["unit"]
    assert ss.attrs["prices"].startswith("real (2020 prices")
    assert ss.attrs["sector_level"] == "coarse"
    dyn = shift_share(real_panel(), year=2022, base_year=2020, prices="real", dynamic=True)
    np.testing.assert_allclose(dyn["change"], ss["change"])


def test_real_prices_need_the_indices():
    with pytest.raises(AnalysisError, match="needs the volume indices"):
        shift_share(panel_of(), year=2022, base_year=2020, prices="real")
    broken = real_panel()
    broken.loc[
        broken["indicator"].eq("gva_volume_index")
        & broken["region"].eq("R2")
        & broken["sector"].eq("B")
        & broken["year"].eq(2021),
        "value",
    ] = np.nan
    with pytest.raises(AnalysisError, match="R2 B 2021"):
        shift_share(broken, year=2022, base_year=2020, prices="real")
    with pytest.raises(AnalysisError, match="coarse sector level only"):
        shift_share(real_panel(), year=2022, base_year=2020, prices="real", sector_level="fine")


# ---------------------------------------------------------------- properties

cube = arrays(
    np.float64,
    st.tuples(st.integers(2, 4), st.integers(2, 5), st.integers(2, 5)),
    elements=st.floats(0.5, 1e6, allow_nan=False),
)


@settings(max_examples=40)
@given(cube)
def test_property_components_add_up_and_competitive_shifts_cancel(x):
    years = list(range(2000, 2000 + x.shape[0]))
    m = SectorMatrix.from_arrays(
        x,
        years=years,
        regions=[f"r{i}" for i in range(x.shape[1])],
        sectors=[f"s{i}" for i in range(x.shape[2])],
    )
    for dynamic in (False, True):
        ss = shift_share(
            m, year=years[-1], base_year=years[0], dynamic=dynamic, method="esteban-marquillas"
        )
        scale = np.abs(x).max()
        np.testing.assert_allclose(
            ss[COMPONENTS].sum(axis=1), ss["change"], rtol=0, atol=1e-9 * scale
        )
        np.testing.assert_allclose(
            ss["homothetic_competitive"] + ss["allocation"],
            ss["competitive_shift"],
            rtol=0,
            atol=1e-9 * scale,
        )
        # against the sum of regions, competitive shifts cancel out in every sector
        by_sector = ss.groupby("sector", observed=True)["competitive_shift"].sum()
        np.testing.assert_allclose(by_sector, 0.0, atol=1e-8 * scale)


values = st.one_of(st.just(0.0), st.floats(0.01, 1e4))


@given(
    arrays(np.float64, (3, 4), elements=values),
    arrays(np.float64, (3, 4), elements=values),
    arrays(np.float64, (3, 4), elements=st.floats(1.0, 1e4)),
    arrays(np.float64, (3, 4), elements=st.floats(1.0, 1e4)),
)
def test_property_array_components(x0, x1, e0, e1):
    parts = classic_components(x0, x1, e0, e1)
    total = sum(parts[k] for k in COMPONENTS)
    np.testing.assert_allclose(total, x1 - x0, rtol=0, atol=1e-7)
    split = esteban_marquillas_split(x0, e0, parts["competitive_shift"])
    # the two effects may be large and opposite (small base values): compare at their scale
    scale = max(1.0, np.abs(split["homothetic_competitive"]).max())
    np.testing.assert_allclose(
        split["homothetic_competitive"] + split["allocation"],
        parts["competitive_shift"],
        rtol=0,
        atol=1e-12 * scale,
    )


# ---------------------------------------------------------------- bundled data


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return kazakhstan.panel(["gva", "gva_volume_index"], include_national=True)


def test_bundled_shift_share_nominal_and_real(bundled):
    nominal = shift_share(bundled, year=2023, base_year=2021)
    np.testing.assert_allclose(
        nominal[COMPONENTS].sum(axis=1), nominal["change"], rtol=1e-12, atol=1e-6
    )
    real = shift_share(bundled, year=2023, base_year=2021, prices="real", dynamic=True)
    assert real.attrs["sector_level"] == "coarse"
    assert "OTHER_SERVICES" in set(real["sector"].astype(str))
    # national real growth of GVA 2021-2023 is positive but far below nominal growth
    assert 0 < real["reference_growth"].iloc[0] < nominal["reference_growth"].iloc[0]
    with pytest.raises(AnalysisError, match="harmonize"):
        shift_share(bundled, year=2023, base_year=2014)
    dropped = shift_share(bundled, year=2023, base_year=2014, unmatched="drop")
    assert "KZ-23" in set(dropped["region"].astype(str))
    assert "KZ-VOS" not in set(dropped["region"].astype(str))
