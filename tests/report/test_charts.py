"""Charts: what they draw equals the tables they come from, in the reader's language, same bytes.

Known answers are identities with the analysis tables (bar lengths = shift-share components,
bubble positions = portfolio columns, the Moran line's slope = Moran's I of row-standardized
weights, an index line = value / value in the base year × 100).
"""

from __future__ import annotations

import numpy as np
import pytest

from terraplan.report.charts import (
    chart_png,
    chart_svg,
    moran_figure,
    portfolio_figure,
    shift_share_figure,
    trend_figure,
)
from terraplan.report.i18n import text


def test_shift_share_bars_are_the_components_of_every_sector(analysis):
    table = analysis.tables["shift_share"]
    rows = table[table["region"] == "KZ-35"].sort_values("competitive_shift", kind="mergesort")
    fig = shift_share_figure(analysis, "KZ-35", sector_names={"C": "Обрабатывающая"}, lang="ru")
    national, mix, shift = fig.axes
    for ax, column in ((national, "national_share"), (mix, "industry_mix"),
                       (shift, "competitive_shift")):  # fmt: skip
        widths = [p.get_width() for p in ax.patches]
        np.testing.assert_allclose(widths, rows[column].to_numpy(dtype=float))
        assert ax.get_title() == text(f"ss_{column}", "ru")
    labels = [t.get_text() for t in national.get_yticklabels()]
    assert len(labels) == len(rows)  # all sectors, none cut
    assert "C · Обрабатывающая" in labels


def test_portfolio_bubbles_sit_at_relative_growth_and_lq(analysis):
    from terraplan.analysis.portfolio import portfolio

    table = portfolio(analysis.panel, year=analysis.year, base_year=analysis.base_year)
    rows = table[table["region"] == "KZ-23"]
    rows = rows[np.isfinite(rows["relative_growth"]) & np.isfinite(rows["lq"])]
    fig = portfolio_figure(analysis, "KZ-23", lang="kk")
    offsets = fig.axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], 100 * rows["relative_growth"].to_numpy())
    np.testing.assert_allclose(offsets[:, 1], rows["lq"].to_numpy())
    assert fig.axes[0].get_ylabel() == text("portfolio_y", "kk", year=analysis.year)


def test_moran_line_slope_is_morans_i(analysis):
    from terraplan.analysis.spatial import moran

    lisa = analysis.tables["lisa"]
    fig = moran_figure(analysis, lang="en")
    line = fig.axes[0].lines[-1]
    x, y = line.get_xdata(), line.get_ydata()
    slope = (y[1] - y[0]) / (x[1] - x[0])
    values = lisa.set_index("region")["value"]
    expected = float(moran(values, permutations=99)["I"].iloc[0])
    assert slope == pytest.approx(expected, abs=1e-9)
    drawn = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    assert drawn == lisa["z"].notna().sum() == 20


def test_trend_index_is_value_over_base_year_and_country_line_is_drawn(analysis):
    fig = trend_figure(analysis, ["KZ-35"], lang="en")
    names = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert len(names) == len(analysis.indicators)
    population = fig.axes[analysis.indicators.index("population")]
    region, country = population.lines[0], population.lines[1]
    assert country.get_label() == text("country", "en")
    panel = analysis.panel
    series = panel[(panel["indicator"] == "population") & (panel["region"] == "KZ-35")]
    series = series.set_index("year")["value"].sort_index()
    base = int(region.get_xdata()[0])
    assert population.get_ylabel().replace("\n", " ") == text("index_base", "en", year=base)
    np.testing.assert_allclose(
        region.get_ydata(), (series[series.index >= base] / series[base] * 100).to_numpy()
    )
    # a rate is drawn in its own unit (levels), not as an index
    rate = fig.axes[analysis.indicators.index("unemployment_rate")]
    assert "percent" in rate.get_ylabel()


def test_charts_are_byte_identical_and_carry_no_date(analysis):
    a = chart_svg(trend_figure(analysis, ["KZ-71", "KZ-75"], lang="ru"))
    b = chart_svg(trend_figure(analysis, ["KZ-71", "KZ-75"], lang="ru"))
    assert a == b and "<dc:date>" not in a
    assert "г. Астана" in a and "Казахстан" in a  # text kept as text, in Russian
    png = moran_figure(analysis, lang="kk")
    assert chart_png(png) == chart_png(png)


def test_figures_display_themselves_in_jupyter(analysis):
    fig = portfolio_figure(analysis, "KZ-35", lang="en")
    assert fig._repr_png_()[:4] == b"\x89PNG"


def test_lisa_page_lists_every_region_with_its_cluster(analysis):
    from terraplan.report.annex import lisa_page

    page = lisa_page(analysis)
    assert page.count('class="tp-lisa-row"') == 20
    labels = analysis.tables["lisa"]["label"].astype(str)
    for label in labels.unique():
        assert text(f"lisa_{label}", "en") in page
    assert "<svg" in page
    assert 'src="http' not in page and 'href="http' not in page  # nothing from the network


def test_compare_page_and_command(analysis, tmp_path):
    from typer.testing import CliRunner

    from terraplan.cli.app import app
    from terraplan.report.compare import compare_page

    page = compare_page(analysis, ["Astana", "Almaty city", "Shymkent"], lang="kk")
    assert page.count('class="tp-compare-row"') == len(analysis.indicators)
    for name in ("Астана қаласы", "Алматы қаласы", "Шымкент қаласы", text("trends", "kk")):
        assert name in page
    result = CliRunner().invoke(app, ["compare", "Astana"])
    assert result.exit_code != 0
    out = tmp_path / "two.html"
    result = CliRunner().invoke(
        app, ["compare", "Karaganda", "Pavlodar", "--lang", "ru", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Карагандинская область" in out.read_text(encoding="utf-8")
