"""Composite indices: known answers for every method, Sobol on Ishigami, invariances, audit.

Every constructed data set below makes the right answer known by construction (hand-computed
values are written next to the assertion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.analysis.composite.aggregate import aggregate, copeland_runs, copeland_scores
from terraplan.analysis.composite.audit import audit, cronbach_alpha
from terraplan.analysis.composite.index import build_index
from terraplan.analysis.composite.inputs import framework_panel
from terraplan.analysis.composite.normalise import normalise
from terraplan.analysis.composite.sensitivity import uncertainty
from terraplan.analysis.composite.sobol import sobol_indices, sobol_sample
from terraplan.analysis.composite.treat import impute, screen, treat_outliers
from terraplan.analysis.composite.units import cagr, stage_peers, strengths_weaknesses
from terraplan.analysis.composite.weights import (
    budget_weights,
    equal_weights,
    expert_weights,
    pca_weights,
)
from terraplan.data.framework import bundled_framework, framework_from_dict, load_framework
from terraplan.errors import AnalysisError, InputError

UNITS = ["R1", "R2", "R3", "R4"]


def _frame(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols, index=UNITS[: len(next(iter(cols.values())))], dtype=float)


def _panel(X: pd.DataFrame, year: int = 2020) -> pd.DataFrame:
    long = X.stack().rename("value").reset_index()
    long.columns = ["unit", "indicator", "value"]
    return long.assign(year=year)


def _fw(pillars: dict[str, list], **extra) -> object:
    return framework_from_dict(
        {
            "id": "t",
            "pillars": [{"id": p, "indicators": ind} for p, ind in pillars.items()],
            **extra,
        }
    )


# --- normalisation: known answers -------------------------------------------------------------

X3 = _frame(a=[2.0, 4.0, 6.0, 10.0])


def test_minmax_known_answer():
    # (x - 2) / 8 * 100
    assert normalise(X3, "minmax")["a"].tolist() == [0.0, 25.0, 50.0, 100.0]
    assert normalise(X3, "minmax", pd.Series({"a": -1}))["a"].tolist() == [100.0, 75.0, 50, 0]


def test_zscore_known_answer():
    # mean 5.5, sd (n-1) = sqrt((12.25 + 2.25 + 0.25 + 20.25) / 3) = sqrt(35/3)
    sd = np.sqrt(35 / 3)
    expected = [(v - 5.5) / sd for v in [2, 4, 6, 10]]
    assert np.allclose(normalise(X3, "zscore")["a"], expected)
    assert np.allclose(normalise(X3, "zscore", pd.Series({"a": -1}))["a"], -np.array(expected))


def test_rank_known_answer_with_ties():
    X = _frame(a=[5.0, 1.0, 5.0, 3.0])
    assert normalise(X, "rank")["a"].tolist() == [3.5, 1.0, 3.5, 2.0]


def test_goalposts_fixed_and_clipped():
    gp = pd.DataFrame({"a": [0.0, 8.0]}, index=["low", "high"])
    # 2/8, 4/8, 6/8, 10/8 -> clipped at 100
    assert normalise(X3, "goalposts", goalposts=gp)["a"].tolist() == [25.0, 50.0, 75.0, 100.0]
    rev = normalise(X3, "goalposts", pd.Series({"a": -1}), goalposts=gp)["a"].tolist()
    assert rev == [75.0, 50.0, 25.0, 0.0]


def test_distance_to_target():
    # worst = 2, target 6: (x - 2) / 4 capped at 100
    out = normalise(X3, "target", targets=pd.Series({"a": 6.0}))["a"].tolist()
    assert out == [0.0, 50.0, 100.0, 100.0]


def test_distance_to_reference():
    out = normalise(X3, "reference", reference="R2")["a"].tolist()
    assert out == [50.0, 100.0, 150.0, 250.0]
    rev = normalise(X3, "reference", pd.Series({"a": -1}), reference="R2")["a"].tolist()
    assert np.allclose(rev, [200.0, 100.0, 100 * 4 / 6, 40.0])


def test_flat_indicator_is_a_clear_error():
    with pytest.raises(AnalysisError, match="no spread"):
        normalise(_frame(a=[1.0, 1.0, 1.0]), "minmax")


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=12, unique=True),
    scale=st.floats(1e-3, 1e3),
    shift=st.floats(-1e3, 1e3),
)
def test_minmax_invariant_to_positive_affine_change(values, scale, shift):
    X = pd.DataFrame({"a": values})
    if X["a"].max() - X["a"].min() < 1e-3:
        return
    assert np.allclose(normalise(X, "minmax"), normalise(X * scale + shift, "minmax"), atol=1e-6)


# --- weights ----------------------------------------------------------------------------------

PILLAR = pd.Series({"a": "p", "b": "p", "c": "p", "d": "q"})


def test_equal_and_expert_weights():
    assert equal_weights(PILLAR).round(6).tolist() == [0.333333, 0.333333, 0.333333, 1.0]
    w = expert_weights({"a": 1, "b": 1, "c": 2, "d": 5}, PILLAR)
    assert w.tolist() == [0.25, 0.25, 0.5, 1.0]


def test_pca_weights_known_answer():
    # a = b exactly, c orthogonal to both: correlation eigenvalues 2, 1, 0; first PC (1, 1, 0)/√2
    X = pd.DataFrame({"a": [1.0, -1, 1, -1], "b": [1.0, -1, 1, -1], "c": [1.0, 1, -1, -1]})
    w = pca_weights(X, pd.Series({"a": "p", "b": "p", "c": "p"}))
    assert np.allclose(w, [0.5, 0.5, 0.0])
    assert w.attrs["explained_variance"]["p"] == pytest.approx(2 / 3)


def test_budget_weights_known_answer():
    # shares (0.5, 0.3, 0.2) and (0.1, 0.3, 0.6) average to (0.3, 0.3, 0.4)
    alloc = [{"a": 50, "b": 30, "c": 20, "d": 1}, {"a": 10, "b": 30, "c": 60, "d": 9}]
    assert np.allclose(budget_weights(alloc, PILLAR), [0.3, 0.3, 0.4, 1.0])


# --- aggregation ------------------------------------------------------------------------------

AX = pd.DataFrame({"a": [1.0, 4.0], "b": [4.0, 1.0]}, index=["R1", "R2"])


def test_means_known_answers():
    w = pd.Series({"a": 1.0, "b": 3.0})
    # (1 + 12) / 4 = 3.25; (4 + 3) / 4 = 1.75
    assert aggregate(AX, w, "arithmetic").tolist() == [3.25, 1.75]
    # 1^0.25 4^0.75 = 2.828...; 4^0.25 = 1.414...
    assert np.allclose(aggregate(AX, w, "geometric"), [4**0.75, 4**0.25])
    # 4 / (1 + 3/4) = 2.2857; 4 / (1/4 + 3) = 1.2308
    assert np.allclose(aggregate(AX, w, "harmonic"), [4 / 1.75, 4 / 3.25])


def test_missing_value_drops_out_of_the_mean():
    X = pd.DataFrame({"a": [2.0, np.nan], "b": [4.0, 6.0]}, index=["R1", "R2"])
    assert aggregate(X, pd.Series({"a": 1.0, "b": 1.0}), "arithmetic").tolist() == [3.0, 6.0]


def test_geometric_shifts_non_positive_columns():
    X = pd.DataFrame({"a": [0.0, 3.0], "b": [1.0, 1.0]})
    out = aggregate(X, pd.Series({"a": 1.0, "b": 1.0}), "geometric")
    # a shifted to 1, 4: sqrt(1 * 1) and sqrt(4 * 1)
    assert out.tolist() == [1.0, 2.0]
    assert out.attrs["shift"] == {"a": 1.0, "b": 0.0}


def test_copeland_known_answer():
    # R1 beats both on both indicators; R2 vs R3 split 1:1 with equal weights (tie)
    X = np.array([[3.0, 3.0], [2.0, 1.0], [1.0, 2.0]])
    assert copeland_scores(X, np.ones(2)).tolist() == [2.0, -1.0, -1.0]
    # weight on the first indicator breaks the tie for R2
    assert copeland_scores(X, np.array([2.0, 1.0])).tolist() == [2.0, 0.0, -2.0]


def test_copeland_is_non_compensatory():
    # R1 is far better on one indicator, R2 slightly better on two: R2 wins under Copeland
    X = pd.DataFrame({"a": [100.0, 0.0], "b": [0.0, 1.0], "c": [0.0, 1.0]}, index=["R1", "R2"])
    w = pd.Series(1.0, index=["a", "b", "c"])
    assert aggregate(X, w, "arithmetic").idxmax() == "R1"
    assert aggregate(X, w, "copeland").idxmax() == "R2"


# --- treatment --------------------------------------------------------------------------------


def test_screen_drops_low_coverage():
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, np.nan]}, index=UNITS[:3])
    out = screen(X, 0.9)
    assert out.attrs["dropped_indicators"] == ["a", "b"] and out.empty
    assert screen(X, 0.5).shape == (3, 2)


def test_imputation_never_fails_on_sparse_units():
    # A has 2019 and 2021 (interpolated 2020 = 2); B has one value (carried); C has none
    panel = pd.DataFrame(
        {
            "unit": ["A", "A", "B", "D", "D"],
            "year": [2019, 2021, 2022, 2020, 2020],
            "indicator": ["x", "x", "x", "y", "x"],
            "value": [1.0, 3.0, 7.0, 1.0, 4.0],
        }
    )
    X = pd.DataFrame({"x": [np.nan, np.nan, np.nan, 4.0]}, index=["A", "B", "C", "D"])
    for method in ("linear", "carry"):
        filled, flags = impute(X, method, panel=panel, year=2020)
        assert filled.loc["B", "x"] == 7.0 and flags.loc["B", "x"] == "carried:2022"
        assert np.isnan(filled.loc["C", "x"]) and flags.loc["C", "x"] == "missing"
        assert filled.loc["D", "x"] == 4.0 and flags.loc["D", "x"] == ""
    assert impute(X, "linear", panel=panel, year=2020)[0].loc["A", "x"] == 2.0
    assert impute(X, "carry", panel=panel, year=2020)[1].loc["A", "x"] == "carried:2019"


def test_group_imputation():
    X = pd.DataFrame({"x": [1.0, 3.0, np.nan, 10.0, np.nan]}, index=list("ABCDE"))
    groups = pd.Series({"A": "g", "B": "g", "C": "g", "D": "h", "E": "k"})
    filled, _ = impute(X, "mean_by_group", groups=groups)
    # C: mean of its group (1, 3) = 2; E: its group has no value -> overall mean 14/3
    assert filled.loc["C", "x"] == 2.0
    assert filled.loc["E", "x"] == pytest.approx(14 / 3)


def test_outlier_rule_winsorises_then_transforms():
    X = pd.DataFrame(
        {
            "one": [float(i) for i in range(1, 36)] + [1000.0],  # one point: winsorised
            "heavy": [1.0] * 30 + [1e2, 1e3, 1e4, 1e5, 1e6, 1e7],  # too many for 3: log
            "fine": [float(i) for i in range(18)] * 2,
        }
    )
    treated, report = treat_outliers(X, max_winsorised=3)
    assert report.loc["one", "action"] == "winsorised"
    assert treated["one"].max() == 35.0 and report.loc["one", "winsorised"] == "35"
    assert report.loc["heavy", "action"] == "log"
    assert report.loc["fine", "action"] == "none"
    assert (treated["fine"] == X["fine"]).all()
    # the log transform keeps the order of the values
    assert (treated["heavy"].rank() == X["heavy"].rank()).all()


# --- framework --------------------------------------------------------------------------------


def test_framework_reports_every_problem_at_once():
    raw = {
        "pillars": [
            {"id": "p", "indicators": [{"id": "a", "polarity": "up", "weight": "x"}, {"id": "b"}]},
            {"id": "r", "indicators": [{"id": "b"}]},
            {"id": "q", "indicators": []},
        ],
        "choices": {"normalisation": "magic"},
        "uncertainty": {"aggregation": ["arithmetic", "max"]},
        "colour": "red",
    }
    with pytest.raises(InputError) as err:
        framework_from_dict(raw)
    msg = str(err.value)
    for part in (
        "id: missing",
        "polarity",
        "weight",
        "repeated: ['b']",
        "pillars[2].indicators",
        "magic",
        "'max'",
        "colour",
    ):
        assert part in msg


def test_framework_yaml_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_framework(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_framework(tmp_path / "none.yaml")
    # the safe loader refuses Python objects
    evil = tmp_path / "evil.yaml"
    evil.write_text("id: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_framework(evil)


# --- the pipeline: invariances ----------------------------------------------------------------

RNG = np.random.default_rng(7)
BASE = pd.DataFrame(
    RNG.normal(50, 10, size=(12, 4)), columns=list("abcd"), index=[f"U{i:02d}" for i in range(12)]
)


def _two_pillars(**kw):
    return _fw(
        {"p": [{"id": "a"}, {"id": "b"}], "q": [{"id": "c"}, {"id": "d"}]},
        choices={"outliers": "none", **kw},
    )


def test_scaling_an_indicator_does_not_change_minmax_results():
    fw = _two_pillars()
    scaled = BASE.assign(a=BASE["a"] * 1000 + 7)
    first = build_index(fw, _panel(BASE))
    second = build_index(fw, _panel(scaled))
    assert np.allclose(first.index, second.index)
    assert (first.rank == second.rank).all()


def test_reversing_polarity_reverses_ranks():
    # one indicator: its rank order flips exactly when its polarity flips
    up = _fw({"p": [{"id": "a"}]}, choices={"outliers": "none"})
    down = _fw({"p": [{"id": "a", "polarity": "lower_is_better"}]}, choices={"outliers": "none"})
    data = _panel(BASE[["a"]])
    r_up, r_down = build_index(up, data).rank, build_index(down, data).rank
    assert (r_up + r_down == len(BASE) + 1).all()


def test_reversing_every_polarity_reverses_arithmetic_minmax_ranks():
    # min-max: reversed score = 100 - score for every indicator, so index' = 100 - index
    fw = _two_pillars()
    rev = _fw(
        {
            "p": [{"id": "a", "polarity": -1}, {"id": "b", "polarity": -1}],
            "q": [{"id": "c", "polarity": -1}, {"id": "d", "polarity": -1}],
        },
        choices={"outliers": "none"},
    )
    a, b = build_index(fw, _panel(BASE)), build_index(rev, _panel(BASE))
    assert np.allclose(a.index + b.index, 100)
    assert (a.rank + b.rank == len(BASE) + 1).all()


def test_every_method_runs_and_records_its_parameters():
    fw = _two_pillars()
    for norm in ("minmax", "zscore", "rank", "goalposts"):
        for agg in ("arithmetic", "geometric", "harmonic", "copeland"):
            for weights in ("equal", "expert", "pca"):
                res = build_index(
                    fw,
                    _panel(BASE),
                    choices={"normalisation": norm, "aggregation": agg, "weights": weights},
                )
                assert res.index.notna().all()
                steps = {s["step"]: s for s in res.steps}
                assert steps["normalisation"]["method"] == norm
                assert steps["aggregation"]["method"] == agg
                assert steps["weights"]["method"] == weights


# --- audit ------------------------------------------------------------------------------------


def test_cronbach_known_answer():
    # two identical columns: alpha = 2 (1 - 2 var / 4 var) = 1
    X = pd.DataFrame({"a": [1.0, 2, 3, 5], "b": [1.0, 2, 3, 5]})
    assert cronbach_alpha(X) == pytest.approx(1.0)
    # b = -a: the sum is constant, var(sum) = 0 -> alpha undefined (NaN), not a crash
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2, 3], "b": [-1.0, -2, -3]})))


def test_audit_flags_planted_negative_correlation():
    # d is planted as -c plus small noise: r(c, d) ~ -0.99 inside pillar q; pillar p is coherent
    data = BASE.copy()
    data["b"] = data["a"] + RNG.normal(0, 1, len(data))
    data["d"] = -data["c"] + RNG.normal(0, 1, len(data))
    res = build_index(_two_pillars(), _panel(data))
    report = audit(res)
    flagged = [w for w in report.warnings if "negatively correlated (r" in w and "pillar" in w]
    assert len(flagged) == 1 and "pillar q: c and d" in flagged[0]
    assert report.cronbach["p"] > 0.9
    assert report.cronbach["q"] < 0.6
    assert report.pca.loc["p", "explained"] > 0.9
    assert set(report.effective.index) == set("abcd")


# --- sensitivity ------------------------------------------------------------------------------


def test_ishigami_sobol_indices_reproduced():
    # analytic (a = 7, b = 0.1): S = (0.3139, 0.4424, 0); ST = (0.5576, 0.4424, 0.2437)
    U = sobol_sample(2**14, [1, 1, 1], seed=3)
    x = -np.pi + 2 * np.pi * U
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    first, total = sobol_indices(y, 3)
    assert np.allclose(first, [0.3139, 0.4424, 0.0], atol=0.02)
    assert np.allclose(total, [0.5576, 0.4424, 0.2437], atol=0.02)


def test_grouped_sobol_on_additive_model():
    # y = x1 + (x2 + x3): variances 1/12 and 2/12; group {x2, x3} has S = ST = 2/3
    U = sobol_sample(2**12, [1, 2], seed=0)
    y = U.sum(axis=1)
    first, total = sobol_indices(y, 2)
    assert np.allclose(first, [1 / 3, 2 / 3], atol=0.02)
    assert np.allclose(total, [1 / 3, 2 / 3], atol=0.02)


def test_uncertainty_lists_choices_and_runs():
    fw = _fw(
        {"p": [{"id": "a"}, {"id": "b"}], "q": [{"id": "c"}, {"id": "d"}]},
        choices={"outliers": "none"},
        uncertainty={
            "normalisation": ["minmax", "rank"],
            "aggregation": ["arithmetic", "copeland"],
            "weights_perturbation": 0.2,
            "leave_one_out": True,
        },
    )
    u = uncertainty(fw, _panel(BASE), runs=600, seed=1)
    assert set(u.varied) == {"normalisation", "aggregation", "weights", "leave_one_out"}
    assert u.runs == u.base_samples * 6 and u.runs >= 600
    assert u.ranks.attrs["runs"] == u.runs
    assert ((u.ranks["p05"] <= u.ranks["median"]) & (u.ranks["median"] <= u.ranks["p95"])).all()
    assert set(u.sobol["factor"]) == set(u.varied)
    # same seed, same result
    again = uncertainty(fw, _panel(BASE), runs=600, seed=1)
    pd.testing.assert_frame_equal(u.ranks, again.ranks)


def test_uncertainty_of_an_unambiguous_ranking_is_zero():
    # every indicator orders the units the same way: every choice gives the same ranks
    X = pd.DataFrame(
        {"a": [1.0, 2, 3, 4], "b": [10.0, 20, 30, 45], "c": [0.1, 0.5, 0.7, 0.9]},
        index=list("WXYZ"),
    )
    fw = _fw(
        {"p": [{"id": "a"}, {"id": "b"}], "q": [{"id": "c"}]},
        choices={"outliers": "none"},
        uncertainty={
            "normalisation": ["minmax", "zscore", "rank"],
            "aggregation": ["arithmetic", "geometric", "copeland"],
            "weights_perturbation": 0.3,
        },
    )
    u = uncertainty(fw, _panel(X), runs=200)
    assert (u.ranks["p05"] == u.ranks["p95"]).all()
    assert u.ranks["median"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert (u.sobol[["first", "total"]] == 0).all().all()


# --- per unit ---------------------------------------------------------------------------------


def test_strengths_cagr_peers():
    X = pd.DataFrame({"a": [3.0, 1.0, 2.0], "b": [1.0, 3.0, 2.0]}, index=["A", "B", "C"])
    sw = strengths_weaknesses(X, pd.Series({"a": 1, "b": 1}), n=1)
    a = sw[sw.unit == "A"].set_index("kind")
    assert a.loc["strength", "indicator"] == "a" and a.loc["weakness", "indicator"] == "b"
    p = pd.DataFrame(
        {
            "unit": ["A", "A", "A"],
            "year": [2010, 2011, 2013],
            "indicator": "x",
            "value": [1.0, 5.0, 8.0],
        }
    )
    assert cagr(p).loc["A", "x"] == pytest.approx(1.0)  # 8 = 1 * 2^3
    peers = stage_peers(pd.Series({"A": 1.0, "B": 10.0, "C": 100.0, "D": 1000.0}), k=2)
    assert peers[peers.unit == "B"]["peer"].tolist() == ["A", "C"]  # equal log-distance: order


# --- the bundled example ----------------------------------------------------------------------


def test_bundled_example_index_on_real_data():
    fw = bundled_framework()
    panel = framework_panel(fw)
    res = build_index(fw, panel)
    assert res.year == 2022
    assert len(res.index) == 20 and res.index.notna().all()
    # sanity: the capital leads, on published GRP per capita, income and doctors
    assert res.rank["KZ-71"] <= 3
    # doctors per 10,000 people in a plausible range (national about 40)
    d = res.raw["doctors_per_10k"]
    assert d.min() > 15 and d.max() < 120
    # historic units get ratios from their successors' population (same territory)
    old = panel[(panel.unit == "KZ-VOS") & (panel.indicator == "doctors_per_10k")]
    assert len(old) > 10


def test_bundled_ratios_use_successor_population_for_historic_keys():
    from terraplan.datasets import kazakhstan

    fw = bundled_framework()
    panel = framework_panel(fw)
    pop = kazakhstan.panel("population", years=[2015]).set_index("region")["value"]
    doc = kazakhstan.panel("doctors", years=[2015]).set_index("region")["value"]
    got = panel[
        (panel.unit == "KZ-VOS") & (panel.year == 2015) & (panel.indicator == "doctors_per_10k")
    ]["value"].item()
    assert got == pytest.approx(doc["KZ-VOS"] / (pop["KZ-63"] + pop["KZ-10"]) * 10000)


def test_goalposts_keep_scores_comparable_across_years():
    # U00 has the same values in both years; the others grow. On fixed goalposts U00's score is
    # the same in both years, while min-max (re-scaled each year) moves it.
    y1 = BASE
    y2 = BASE * 1.5
    y2.loc["U00"] = BASE.loc["U00"]
    panel = pd.concat([_panel(y1, 2020), _panel(y2, 2021)], ignore_index=True)
    fw = _two_pillars(normalisation="goalposts")
    from terraplan.analysis.composite.index import index_over_years

    hist = index_over_years(fw, panel).set_index(["unit", "year"])["index"]
    assert hist[("U00", 2020)] == pytest.approx(hist[("U00", 2021)])
    minmax = index_over_years(_two_pillars(), panel).set_index(["unit", "year"])["index"]
    assert minmax[("U00", 2020)] != pytest.approx(minmax[("U00", 2021)])


@settings(max_examples=25, deadline=None)
@given(power=st.floats(0.2, 5.0), seed=st.integers(0, 10_000))
def test_rank_and_copeland_invariant_to_increasing_transforms(power, seed):
    # ranks and Copeland depend only on the order of the values of each indicator
    X = pd.DataFrame(np.random.default_rng(seed).uniform(1, 10, size=(8, 3)), columns=list("abc"))
    T = X.assign(a=X["a"] ** power, b=np.log(X["b"]))
    w = pd.Series(1.0, index=list("abc"))
    assert (normalise(X, "rank") == normalise(T, "rank")).all().all()
    assert (aggregate(X, w, "copeland") == aggregate(T, w, "copeland")).all()


def test_uncertainty_without_a_spec_uses_the_documented_default():
    fw = _two_pillars()
    u = uncertainty(fw, _panel(BASE), runs=120)
    assert set(u.varied) == {"normalisation", "aggregation", "weights", "leave_one_out"}
    assert u.varied["normalisation"] == "minmax, zscore, rank"


def test_a_varied_choice_without_effect_is_reported_not_skipped_silently():
    # no gaps: the imputation alternatives give identical data, which the result says
    fw = _fw(
        {"p": [{"id": "a"}, {"id": "b"}]},
        choices={"outliers": "none"},
        uncertainty={"imputation": ["none", "mean"], "weights_perturbation": 0.2},
        coverage=0.4,  # keep the unit with one gap (1 of 2 values)
    )
    u = uncertainty(fw, _panel(BASE[["a", "b"]]), runs=80)
    assert "imputation" in u.varied and "no gaps" in u.notes[0]
    assert (u.sobol.loc[u.sobol.factor == "imputation", ["first", "total"]] == 0).all().all()
    # with a gap the note disappears
    gappy = BASE[["a", "b"]].copy()
    gappy.iloc[0, 0] = np.nan
    assert uncertainty(fw, _panel(gappy).dropna(), runs=80).notes == []


def test_sobol_intervals_cover_the_estimates():
    fw = _two_pillars()
    u = uncertainty(fw, _panel(BASE), runs=600, n_boot=50)
    s = u.sobol
    assert ((s["first_low"] <= s["first_high"]) & (s["total_low"] <= s["total_high"])).all()
    # the point estimate lies inside its bootstrap interval for nearly every unit and factor
    inside = (s["total_low"] - 1e-9 <= s["total"]) & (s["total"] <= s["total_high"] + 1e-9)
    assert inside.mean() > 0.9


def _copeland_reference(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland by the definition, pair by pair (slow, for checking only)."""
    n = len(X)
    out = np.zeros(n)
    for a in range(n):
        for b in range(n):
            both = ~np.isnan(X[a]) & ~np.isnan(X[b])
            if a == b or w[both].sum() == 0:
                continue
            better = w[both & (X[a] > X[b])].sum() + 0.5 * w[both & (X[a] == X[b])].sum()
            out[a] += np.sign(better / w[both].sum() - 0.5)
    return out


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 9))
def test_vectorised_copeland_matches_the_definition(seed, n):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(n, 4)).astype(float)  # small integers: many ties
    X[rng.random(X.shape) < 0.15] = np.nan
    W = rng.uniform(0.1, 2.0, size=(3, 4))
    got = copeland_runs(X, W)
    for r in range(3):
        assert np.allclose(got[r], _copeland_reference(X, W[r]))


def test_strengths_skip_missing_values():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, 1.0]}, index=["R1", "R2"])
    sw = strengths_weaknesses(X, pd.Series({"a": 1, "b": 1}), n=2)
    assert set(sw.loc[sw.unit == "R1", "indicator"]) == {"a"}


def test_peer_scorecard_known_answer():
    # A's peers B, C: medians a = 15, b = 3; A: a = 18 (+20 %, better), b = 3 (similar);
    # B's peer A: a 12 vs 18 -> -33 % worse; b lower is better: 2 vs 3 -> +33 % better
    X = pd.DataFrame({"a": [18.0, 12.0, 18.0], "b": [3.0, 2.0, 4.0]}, index=["A", "B", "C"])
    peers = pd.DataFrame({"unit": ["A", "A", "B"], "peer": ["B", "C", "A"]})
    from terraplan.analysis.composite.units import peer_scorecard

    t = peer_scorecard(X, pd.Series({"a": 1, "b": -1}), peers).set_index(["unit", "indicator"])
    assert (
        t.loc[("A", "a"), "gap"] == pytest.approx(0.2) and t.loc[("A", "a"), "status"] == "better"
    )
    assert t.loc[("A", "b"), "status"] == "similar"
    assert t.loc[("B", "a"), "status"] == "worse"
    assert (
        t.loc[("B", "b"), "gap"] == pytest.approx(1 / 3) and t.loc[("B", "b"), "status"] == "better"
    )


def test_stage_weights_known_answer_and_agreement_with_monte_carlo():
    # stage indicator s: below 50 -> pillar p only; else pillar q only (EU RCI 2.0 style)
    X = BASE.assign(s=np.linspace(10, 100, len(BASE)))
    fw = _fw(
        {"p": [{"id": "a"}, {"id": "b"}], "q": [{"id": "c"}, {"id": "d"}, {"id": "s"}]},
        choices={"outliers": "none"},
        stage_indicator="s",
        stage_weights=[{"below": 50, "weights": {"p": 1, "q": 0}}, {"weights": {"p": 0, "q": 1}}],
        uncertainty={"weights_perturbation": 1e-6},
    )
    res = build_index(fw, _panel(X))
    low = X.index[X["s"] < 50]
    high = X.index[X["s"] >= 50]
    assert np.allclose(res.index[low], res.pillars.loc[low, "p"])
    assert np.allclose(res.index[high], res.pillars.loc[high, "q"])
    # the vectorised Monte Carlo uses the same unit weights: a negligible perturbation
    # reproduces the nominal ranks exactly
    u = uncertainty(fw, _panel(X), runs=40)
    assert (u.ranks["median"] == u.ranks["nominal"]).all()


def test_stage_weights_validation():
    with pytest.raises(InputError) as err:
        _fw(
            {"p": [{"id": "a"}]},
            stage_weights=[{"below": 5, "weights": {"x": 1}}, {"below": 3, "weights": {"p": 1}}],
        )
    msg = str(err.value)
    assert "needs stage_indicator" in msg and "unknown pillar(s) ['x']" in msg
    assert "last stage has no 'below'" in msg
