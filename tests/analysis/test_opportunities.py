"""The opportunity shortlist: scores are weighted percentiles, presets and weights behave, the
evidence matches the components, and the chart is deterministic."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from terraplan.analysis.opportunities import (
    COMPONENTS,
    PRESETS,
    opportunities,
    opportunity_table,
    plot_opportunities,
    resolve_weights,
    structural_peers,
)
from terraplan.errors import InputError


def _panel(cube: np.ndarray, years, regions, sectors, indicator="gva") -> pd.DataFrame:
    y, r, s = np.meshgrid(years, regions, sectors, indexing="ij")
    return pd.DataFrame(
        {
            "region": r.ravel(),
            "year": y.ravel(),
            "indicator": indicator,
            "sector": s.ravel(),
            "value": cube.ravel(),
            "unit": "u",
            "flag": "",
        }
    )


@pytest.fixture(scope="module")
def bundled():
    from terraplan.datasets import kazakhstan

    return opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)


def test_presets_sum_to_one_and_cover_components():
    for weights in PRESETS.values():
        assert set(weights) == set(COMPONENTS)
        assert sum(weights.values()) == pytest.approx(1.0)
    assert PRESETS["low-hanging"]["density"] > PRESETS["long-jumps"]["density"]
    assert PRESETS["long-jumps"]["complexity"] > PRESETS["low-hanging"]["complexity"]


def test_bad_weights_are_refused_together():
    with pytest.raises(InputError) as info:
        resolve_weights("balanced", {"luck": 1.0, "density": -1.0})
    assert "luck" in str(info.value) and "negative" in str(info.value)
    with pytest.raises(InputError, match="preset"):
        resolve_weights("moonshot")


def test_score_is_the_weighted_mean_of_percentiles(bundled):
    """Recompute the score of every candidate from its percentiles and the recorded weights."""
    cand = bundled[bundled["candidate"]]
    weights = bundled.attrs["weights"]
    pct = cand[[f"pct_{c}" for c in weights]].to_numpy()
    w = np.array(list(weights.values()))
    expected = (pct @ w) / w.sum()
    np.testing.assert_allclose(cand["score"], expected, atol=1e-12)
    assert bundled.loc[~bundled["candidate"], "score"].isna().all()
    assert "productivity" in bundled.attrs["components_left_out"]  # no sectoral employment


def test_candidates_are_exactly_the_unspecialized(bundled):
    assert (bundled["candidate"] == (bundled["rca"] < 1)).all()
    per_region = bundled[bundled["candidate"]].groupby("region")["rank"]
    assert (per_region.min() == 1).all()
    assert (per_region.max() == per_region.count()).all()


def test_quadrants_follow_rca_and_median_density(bundled):
    med = bundled.groupby("region")["density"].transform("median")
    fit = bundled["density"] >= med
    assert (bundled.loc[bundled["present"] & fit, "quadrant"] == "strength").all()
    assert (bundled.loc[~bundled["present"] & fit, "quadrant"] == "opportunity").all()
    assert (bundled.loc[~bundled["present"] & ~fit, "quadrant"] == "stretch").all()


def test_evidence_matches_components(bundled):
    row = bundled[bundled["candidate"]].iloc[0]
    assert f"present in {row['peers_present']} of its {row['peers_total']} peers" in row["evidence"]
    assert f"grew {row['growth'] * 100:.0f} % nationally" in row["evidence"]
    mine = bundled[bundled["region"] == row["region"]].set_index("sector")["present"]
    assert all(mine[code] for code in row["related"].split(", "))


def test_known_answer_on_a_constructed_panel():
    """Four regions, four sectors. R1 is specialized in A and B; C always goes with A and B
    elsewhere (R2, R3 hold A, B, C), D only with itself (R4). So for R1, C has the higher
    density, is present in R1's peers, and must outrank D under the low-hanging preset;
    national growth of C (values doubled) makes it win on attractiveness too."""
    regions, sectors = ["R1", "R2", "R3", "R4"], list("ABCD")
    base = np.array(
        [
            [30.0, 30.0, 1.0, 1.0],
            [20.0, 20.0, 20.0, 1.0],
            [20.0, 20.0, 20.0, 1.0],
            [1.0, 1.0, 1.0, 60.0],
        ]
    )
    end = base.copy()
    end[1:3, 2] *= 2.0
    panel = _panel(np.stack([base, end]), [2021, 2023], regions, sectors)
    t = opportunities(
        panel,
        "R1",
        2023,
        2021,
        preset="low-hanging",
        peers={"R1": ["R2", "R3"], "R2": ["R3"], "R3": ["R2"], "R4": ["R1"]},
        neighbours={"R1": ["R2"], "R2": ["R1"], "R3": ["R4"], "R4": ["R3"]},
    )
    assert t["sector"].tolist()[:2] == ["C", "D"]
    c = t.set_index("sector").loc["C"]
    assert c["peers"] == 1.0 and c["peers_present"] == 2 and c["neighbours_present"] == 1
    assert c["related"].startswith(("A", "B"))
    assert c["growth"] > 0


def test_user_pci_and_weights_change_the_order():
    """With all weight on complexity, the ranking is the order of the user's PCI."""
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel(["gva"])
    sectors = sorted(set(panel.loc[panel["year"] == 2023, "sector"]) - {"U"})
    pci = {s: float(i) for i, s in enumerate(sectors)}
    only = {c: 0.0 for c in COMPONENTS} | {"complexity": 1.0}
    t = opportunities(panel, "KZ-35", 2023, 2021, weights=only, pci=pci)
    assert t["complexity"].is_monotonic_decreasing
    assert t.attrs["complexity_source"] == "external PCI (user)"


def test_productivity_is_used_when_sectoral_employment_exists():
    regions, sectors = ["R1", "R2", "R3"], list("ABC")
    values = np.array([[[5.0, 1, 1], [1, 5, 1], [1, 1, 5]]] * 2)
    values[1] *= 1.1
    panel = _panel(values, [2021, 2023], regions, sectors)
    jobs = _panel(np.ones((1, 3, 3)) * [1.0, 2.0, 4.0], [2023], regions, sectors, "employed")
    t = opportunity_table(pd.concat([panel, jobs]), 2023, 2021, neighbours={})
    prod = t.groupby("sector")["productivity"].first()
    # national value per person: every sector has 7 * 1.1 value; A 3 jobs, B 6, C 12
    np.testing.assert_allclose(prod.to_numpy(), [7.7 / 3, 7.7 / 6, 7.7 / 12])
    assert "productivity" not in t.attrs["components_left_out"]


def test_structural_peers_are_the_most_similar():
    v = pd.DataFrame(
        [[9.0, 1, 0], [8, 2, 0], [0, 1, 9], [0, 2, 8]], index=list("WXYZ"), columns=list("ABC")
    )
    assert structural_peers(v, k=1) == {"W": ["X"], "X": ["W"], "Y": ["Z"], "Z": ["Y"]}


def test_region_any_spelling():
    from terraplan.datasets import kazakhstan

    t = opportunities(kazakhstan.panel(["gva"]), "Қарағанды облысы", 2023, 2021, top=2)
    assert t.attrs["region"] == "KZ-35" and len(t) == 2


def test_chart_is_deterministic(bundled):
    def png() -> bytes:
        buf = io.BytesIO()
        plot_opportunities(bundled, "KZ-35").savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    assert png() == png()
