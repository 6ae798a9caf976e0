"""Moran's I and LISA: checkerboard, planted hot spot, missing values, determinism, KZ data."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from esda.moran import Moran
from libpysal.weights import lat2W

from terraplan.analysis.features import region_features
from terraplan.analysis.spatial import LABELS, lisa, moran
from terraplan.datasets import kazakhstan
from terraplan.errors import AnalysisError, InputError


def lattice(n: int, rook: bool = True):
    """n x n lattice, ids id0..id{n*n-1} row by row (libpysal)."""
    return lat2W(n, n, rook=rook, id_type="string")


def checkerboard(n: int) -> pd.Series:
    w = lattice(n)
    values = [(i // n + i % n) % 2 for i in range(n * n)]
    return pd.Series(values, index=w.id_order, dtype=float, name="chess")


def test_checkerboard_has_moran_minus_one():
    # on an even rook lattice every neighbour of a 1 is a 0 and vice versa: lag = -z exactly
    result = moran(checkerboard(6), lattice(6), permutations=199)
    assert result["I"].iloc[0] == pytest.approx(-1.0)
    assert result["p_sim"].iloc[0] == pytest.approx(1 / 200)  # no permutation is as extreme
    assert result["z_sim"].iloc[0] < -5


def test_moran_matches_esda_statistic():
    rng = np.random.default_rng(5)
    w = lattice(7, rook=False)
    y = pd.Series(rng.normal(size=49), index=w.id_order, name="y")
    ours = moran(y, w, permutations=99)
    w.transform = "r"
    reference = Moran(y.to_numpy(), w, permutations=0)
    assert ours["I"].iloc[0] == pytest.approx(reference.I)
    assert ours["expected_I"].iloc[0] == pytest.approx(-1 / 48)
    assert ours["p_norm"].iloc[0] == pytest.approx(reference.p_norm)


def test_planted_hot_spot_is_high_high():
    w = lattice(9, rook=False)
    y = pd.Series(0.0, index=w.id_order, name="planted")
    # a 3x3 block of high values in the middle of a low field (rows 3-5, columns 3-5)
    block = [f"id{r * 9 + c}" for r in range(3, 6) for c in range(3, 6)]
    y[block] = 10.0
    # a little noise in the field so that not every low cell ties
    y += np.random.default_rng(0).normal(scale=0.01, size=len(y))
    table = lisa(y, w, permutations=999).set_index("region")
    assert table.loc["id40", "label"] == "High-High"  # the centre of the block
    assert (table.loc[block, "quadrant"] == "High-High").all()
    assert set(table["label"].dropna()) <= set(LABELS)
    # far corners are low among low neighbours
    assert table.loc["id0", "quadrant"] == "Low-Low"


def test_missing_values_are_excluded_and_never_labelled():
    w = lattice(4)
    y = pd.Series(np.arange(16, dtype=float), index=w.id_order, name="y")
    y["id5"] = np.nan
    y = y.drop("id10")  # absent from the data altogether
    with pytest.warns(UserWarning, match="id10, id5"):
        table = lisa(y, w, permutations=99)
    assert len(table) == 16
    assert table["region"].tolist() == sorted(w.id_order)  # sorted by code (id10 before id2)
    missing = table.set_index("region").loc[["id5", "id10"]]
    assert missing["label"].isna().all() and missing["local_i"].isna().all()
    assert table["label"].notna().sum() == 14
    assert table.attrs["excluded"] == ["id10", "id5"]
    with pytest.warns(UserWarning):
        glob = moran(y, w, permutations=99)
    assert glob["n"].iloc[0] == 14 and glob["n_excluded"].iloc[0] == 2


def test_region_cut_off_by_missing_neighbours_is_excluded_too():
    w = lat2W(1, 5, rook=True, id_type="string")  # a path id0 - id1 - id2 - id3 - id4
    y = pd.Series([1.0, np.nan, 3.0, 4.0, 8.0], index=w.id_order)
    with pytest.warns(UserWarning, match="no neighbour with a value for id0"):
        table = lisa(y, w, permutations=99)
    id0 = table.set_index("region").loc["id0"]
    assert id0["label"] is pd.NA and np.isnan(id0["local_i"])
    assert id0["value"] == 1.0  # the value is data and stays; only the statistics are missing


def test_same_seed_same_result_and_fdr_is_stricter():
    rng = np.random.default_rng(11)
    w = lattice(8, rook=False)
    y = pd.Series(rng.normal(size=64), index=w.id_order)
    y.iloc[:10] += 3.0
    a = lisa(y, w, permutations=199, seed=3)
    b = lisa(y, w, permutations=199, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert moran(y, w, seed=3).equals(moran(y, w, seed=3))
    corrected = lisa(y, w, permutations=199, seed=3, fdr=True)
    assert (corrected["p_adjusted"] >= corrected["p_sim"] - 1e-12).all()
    assert corrected["significant"].sum() <= a["significant"].sum()
    assert corrected.attrs["fdr"] == "Benjamini-Hochberg"


def test_input_errors():
    w = lattice(3)
    with pytest.raises(InputError, match="without geometry: zz"):
        moran(pd.Series([1.0, 2.0], index=["id0", "zz"]), w)
    with pytest.raises(AnalysisError, match="constant"):
        moran(pd.Series(1.0, index=w.id_order), w)
    with pytest.raises(InputError, match="alpha"):
        lisa(pd.Series(np.arange(9.0), index=w.id_order), w, alpha=5)


def test_kazakhstan_grp_per_capita_runs_on_default_weights():
    values = region_features(kazakhstan.panel(), year=2023, per_capita=["grp"])["grp_per_capita"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 20 regions with data: nothing excluded
        glob = moran(values, permutations=199)
        table = lisa(values, permutations=199)
    assert glob["n"].iloc[0] == 20
    assert -1.0 <= glob["I"].iloc[0] <= 1.0
    assert len(table) == 20 and table["label"].notna().all()
    assert table.attrs["indicator"] == "grp_per_capita"
