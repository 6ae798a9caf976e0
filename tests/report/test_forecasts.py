"""Forecasts in the outputs: fan charts in profiles, the p_target traffic light, the sheet."""

from __future__ import annotations

from pathlib import Path

from terraplan.report.fanchart import fan_chart_svg
from terraplan.territory.registry import layout_regions

CODES = layout_regions("KZ-2022")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plan-kazakhstan-2025.yaml"


def test_fan_chart_escapes_text_and_draws_both_bands():
    history = [{"year": 2020, "value": 4.0}, {"year": 2021, "value": 5.0}]
    ahead = [
        {"year": 2022, "mean": 5.5, "lo_80": 5.0, "hi_80": 6.0, "lo_95": 4.5, "hi_95": 6.5},
        {"year": 2023, "mean": 6.0, "lo_80": 5.2, "hi_80": 6.8, "lo_95": 4.6, "hi_95": 7.4},
    ]
    svg = str(fan_chart_svg(history, ahead, title="<script>x</script>", lang="ru"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<polygon") == 2 and svg.count("<polyline") == 2
    assert "интервалы 80 % и 95 %" in svg
    assert fan_chart_svg(history, [], title="t") == ""


def test_profiles_carry_fan_charts_in_every_language(analysis):
    from terraplan.report.profile import region_profile, render_profile

    assert set(analysis.tables["forecasts"]["indicator"]) == {"grp", "unemployment_rate"}
    for lang, heading in (("en", "Forecasts"), ("ru", "Прогнозы"), ("kk", "Болжамдар")):
        profile = region_profile(analysis, "KZ-35", lang=lang)
        assert [f["indicator"] for f in profile["forecasts"]] == ["grp", "unemployment_rate"]
        page = render_profile(profile, "html")
        assert heading in page and page.count('class="tp-fan"') == 2
        md = render_profile(profile, "md")
        assert f"## {heading}" in md
    grp = region_profile(analysis, "KZ-35")["forecasts"][0]
    assert [r["year"] for r in grp["rows"]] == [2026, 2027, 2028, 2029]
    assert all(
        r["lo_95"] <= r["lo_80"] <= r["mean"] <= r["hi_80"] <= r["hi_95"] for r in grp["rows"]
    )
    assert any("estimated" in n for n in grp["notes"])  # Karaganda's pre-2022 history


def test_the_forecast_sheet_adds_up(analysis):
    from terraplan.report.build import workbook_tables

    sheet = workbook_tables(analysis)["forecasts"]
    grp = sheet[sheet["indicator"] == "grp"].pivot(index="year", columns="region", values="mean")
    assert ((grp[CODES].sum(axis=1) - grp["KZ"]).abs() / grp["KZ"]).max() < 1e-6


def test_plan_monitoring_gets_a_traffic_light_layer(small_config):
    from terraplan.pipeline import analyze
    from terraplan.report.build import map_layers

    analysis = analyze(small_config.model_copy(update={"plan": EXAMPLE, "lang": "ru"}))
    monitoring = analysis.tables["monitoring"]
    assert {"p_target", "forecast_status"} <= set(monitoring.columns)
    light = map_layers(analysis, small_config.model_copy(update={"lang": "ru"}))["typology"][-1]
    assert light.name == "Вероятность достижения цели: Уровень безработицы, 2025"
    # 2025 is published in the bundled data: every region's value is known
    assert set(light.values.dropna()) == {"фактическое значение известно"}


def test_forecasts_can_be_switched_off(small_config):
    from terraplan.pipeline import analyze

    config = small_config.model_copy(
        update={"forecast": small_config.forecast.model_copy(update={"enabled": False})}
    )
    analysis = analyze(config)
    assert "forecasts" not in analysis.tables
