"""Notebook display: terraplan.map, result objects with _repr_html_ and __repr__, figures.

The inputs are built so the expected content is known: two well-separated groups for the
typology, a name that cannot match for the join, markup in names that must stay text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import terraplan

FIXTURES = Path(__file__).resolve().parents[1] / "plan" / "fixtures"


def test_top_level_map_is_a_folium_map_that_shows_inline_and_offline():
    import folium

    m = terraplan.map(["grp_per_capita", "unemployment_rate"], lang="kk")
    assert isinstance(m, folium.Map)
    shown = m._repr_html_()
    assert "<iframe" in shown
    page = m.get_root().render()
    assert "Leaflet 1.9.4" in page and "<link " not in page and 'src="http' not in page
    assert page.count('"type": "FeatureCollection"') == 2
    series = pd.Series({"KZ-35": 1.0, "KZ-71": 5.0}, name="my <b>index</b>")
    page = terraplan.map(series, k=2).get_root().render()
    assert "my &lt;b&gt;index&lt;/b&gt;" in page


def test_typology_repr_and_html_name_the_types():
    # two groups by construction: {A, B} near 0 and {C, D} near 5
    X = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.1]}, index=["A", "B", "C", "D"])
    t = terraplan.Typology(method="ward", k=2, n_stability=0)
    assert repr(t) == "<Typology ward, k=2 (not fitted)>"
    t.fit(X)
    assert repr(t) == "<Typology ward, k=2: 2 types of 4 regions, stability n/a>"
    shown = t._repr_html_()
    assert "<table" in shown and "A, B" in shown and "C, D" in shown


def test_regionalization_repr_and_html_show_the_groups():
    from terraplan.analysis.features import kazakhstan_features
    from terraplan.datasets import kazakhstan

    X = kazakhstan_features(kazakhstan.panel(), year=2023)
    r = terraplan.regionalize(X, method="skater", n_regions=4)
    assert repr(r) == "<SkaterRegionalizer n_regions=4: 4 groups of 20 units, all contiguous>"
    shown = r._repr_html_()
    assert shown.count("<table") == 2 and "all_contiguous" in shown


def test_match_and_join_reports_escape_what_they_show():
    report = terraplan.match_regions(["Karaganda", "<script>x</script>"])
    assert repr(report) == "<MatchReport 2 inputs: 1 matched, 1 unmatched>"
    assert "<script>" not in report._repr_html_()
    data = pd.DataFrame({"region": ["Karaganda", "<b>Atlantis</b>"], "value": [1.0, 2.0]})
    _gdf, join_report = terraplan.join(data, report=True)
    assert repr(join_report) == "<JoinReport 1/2 rows matched>"
    shown = join_report._repr_html_()
    assert "&lt;b&gt;Atlantis&lt;/b&gt;" in shown and "<b>Atlantis" not in shown
    assert "1 rows NOT joined" in shown


def test_plan_check_result_displays_as_a_table():
    plan = terraplan.load_plan(FIXTURES / "broken.yaml")
    result = terraplan.check_plan(plan)
    assert len(result) > 0
    assert "<table" in result._repr_html_()


def test_portfolio_plot_displays_without_the_inline_backend():
    from terraplan.datasets import kazakhstan

    table = terraplan.portfolio(kazakhstan.panel(["gva"]), year=2023, base_year=2021)
    fig = terraplan.plot_portfolio(table, "KZ-35")
    assert fig._repr_png_()[:4] == b"\x89PNG"


def test_build_progress_is_tqdm_auto_and_quiet_unless_asked():
    from tqdm.auto import tqdm

    from terraplan.report.build import _progress

    bar = _progress(3, None)  # stderr is not a terminal under pytest (nor in a notebook)
    assert isinstance(bar, tqdm) and bar.disable
    bar.close()
    asked = _progress(3, True)
    assert not asked.disable
    asked.close()
