"""Words instead of codes: features, deviations, evidence and tables in en, ru and kk."""

from __future__ import annotations

import math

import pandas as pd

from terraplan.report.localize import (
    deviations,
    differences,
    evidence,
    feature_label,
    header,
    localize_frame,
)

ROW = {"lq": 2.66, "lq_base": 2.59, "share": 0.353, "reference_share": 0.133, "growth": 0.239,
       "reference_sector_growth": 0.285, "competitive_shift": -98369.0}  # fmt: skip


def test_feature_names_in_words_with_units():
    assert feature_label("gva_share_B", "en") == "share of mining and quarrying in value added, %"
    assert feature_label("gva_share_B", "ru") == (
        "доля отрасли «Горнодобывающая промышленность и разработка карьеров» в ВДС, %"
    )
    assert feature_label("investment_per_capita", "kk").endswith("адам басына млн теңге")
    assert feature_label("unemployment_rate", "en") == (
        "Unemployment rate, percent of labour force (15+)"
    )
    assert feature_label("my_own_feature", "ru") == "my_own_feature"  # unknown: left as it is


def test_typology_and_peer_texts_lose_their_codes():
    described = "gva_share_O high (+1.2 sd), grp_per_capita low (-1.0 sd)"
    ru = deviations(described, "ru")
    assert "gva_share" not in ru and "sd" not in ru
    assert ru.count("выше среднего (+1,2\xa0σ)") == 1 and "ниже среднего (-1,0\xa0σ)" in ru
    assert differences("gva_share_F (0.3 sd), unemployment_rate (1.9 sd)", "en") == (
        "share of construction in value added, % (0.3\xa0sd); "
        "Unemployment rate, percent of labour force (15+) (1.9\xa0sd)"
    )


def test_evidence_sentence_from_the_numbers_in_each_language():
    assert evidence(ROW, "million KZT", "en") == (
        "LQ 2.66 (base year 2.59); 35.3% of the region's total against 13.3% in the reference; "
        "grew 23.9% against 28.5% in the reference; competitive shift -98,369 million KZT"
    )
    kk = evidence({**ROW, "growth": math.inf, "competitive_shift": 8411.0}, "млн теңге", "kk")
    assert "базалық жылдан бері өңірде жаңа" in kk and kk.endswith("+8\xa0411 млн теңге")


def test_english_evidence_matches_the_analysis_wording():
    """The translated template gives the analysis' own English sentence (same numbers)."""
    from terraplan.analysis.advantages import advantages
    from terraplan.datasets import kazakhstan

    table = advantages(kazakhstan.panel(["gva"]), year=2023, base_year=2021, region="KZ-35")
    rebuilt = localize_frame(table, "en", unit_text="million KZT")
    for ours, theirs in zip(rebuilt[header("evidence")], table["evidence"], strict=True):
        assert ours == theirs


def test_localize_frame_translates_values_and_headers():
    frame = pd.DataFrame({"kind": ["advantage"], "sector": ["C"], "sector_name": ["x"],
                          "trend": ["rising strength"], "status": ["on_track"]})  # fmt: skip
    out = localize_frame(frame, "kk")
    assert out.iloc[0].tolist() == [
        "артықшылық", "C", "Өңдеу өнеркәсібі", "өсіп келе жатқан күшті сала", "жоспар бойынша",
    ]  # fmt: skip
    assert list(out.columns) == ["Түрі", "Сала (ЭҚЖЖ)", "Сала", "Серпін", "Мәртебесі"]


def test_describe_is_in_original_units_on_the_bundled_data():
    """Types of log-transformed features are described by the mean of the original values."""
    import numpy as np

    from terraplan.analysis.features import kazakhstan_features
    from terraplan.analysis.typology import Typology
    from terraplan.datasets import kazakhstan

    X = kazakhstan_features(kazakhstan.panel(), year=2023)
    model = Typology(method="ward", k=3, n_stability=0).fit(X)
    described = model.describe().set_index("cluster")
    original = np.exp(X["grp_per_capita"]).groupby(model.labels_).mean()
    assert np.allclose(described["grp_per_capita"], original.to_numpy())
    assert described["grp_per_capita"].min() > 1.0  # million KZT per person, not a log (~1.5)
    assert described.attrs["back_transformed"] == ["grp_per_capita", "investment_per_capita"]
    assert np.allclose(described["unemployment_rate"],
                       X["unemployment_rate"].groupby(model.labels_).mean().to_numpy())  # fmt: skip
