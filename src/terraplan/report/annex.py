"""What ``terraplan build`` adds for the plan: profile charts, the LISA page and the plan annex.

* :class:`AnnexCollector` draws each profile's charts once, hands the HTML profile its inline
  SVGs and keeps PNGs for the annex; :meth:`AnnexCollector.documents` then writes
  ``plan-annex.docx`` and ``plan-annex.pdf`` (national overview + every profile);
* :func:`lisa_page` writes ``lisa.html``: the Moran scatterplot with the LISA quadrants and the
  clusters of every region.

Example
-------
>>> ANNEX_STEM
'plan-annex'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from terraplan.report.i18n import text
from terraplan.report.i18n import unit as translate_unit

if TYPE_CHECKING:
    import geopandas as gpd

    from terraplan.pipeline import Analysis
    from terraplan.report.maps import MapLayer

ANNEX_STEM = "plan-annex"
#: Resolution of the charts in the Word and PDF documents.
DOCUMENT_DPI = 110


class AnnexCollector:
    """Charts of every profile of a build, drawn once for the HTML profiles and the documents.

    >>> from terraplan.pipeline import Analysis
    >>> import pandas as pd
    >>> collector = AnnexCollector(Analysis(pd.DataFrame(), 2023, 2021, [], []), False, [])
    >>> collector.documents([], boundaries=None)
    {}
    """

    def __init__(self, analysis: Analysis, charts: bool, formats: Sequence[str]) -> None:
        self.analysis = analysis
        self.charts = charts
        self.formats = list(formats)
        self.profiles: list[tuple[dict[str, Any], dict[str, bytes]]] = []

    def add(self, profile: dict[str, Any], *, html: bool = True) -> dict[str, str]:
        """Draw the charts of ``profile``; return their inline SVGs (for the HTML profile)."""
        from terraplan.report.charts import chart_png, profile_chart_svgs, profile_charts

        figures = profile_charts(self.analysis, profile) if self.charts else {}
        svgs = profile_chart_svgs(figures) if html else {}
        if self.formats:
            pngs = {
                name: chart_png(fig, dpi=DOCUMENT_DPI)
                for name, fig in figures.items()
                if fig is not None
            }
            self.profiles.append((profile, pngs))
        return svgs

    def documents(
        self, overview: Sequence[MapLayer], *, boundaries: gpd.GeoDataFrame | None
    ) -> dict[str, bytes]:
        """``plan-annex.<fmt>`` for every format asked: the overview (with a static map of the
        ``overview`` layers and the Moran scatterplot) and the collected profiles."""
        if not self.formats or not self.profiles:
            return {}
        from terraplan.report.charts import chart_png, moran_figure
        from terraplan.report.documents import annex_document
        from terraplan.report.static import static_map

        lang = self.analysis.lang
        images = {
            f"map{i}": static_map(layer, boundaries=boundaries, fmt="png", lang=lang, dpi=110)
            for i, layer in enumerate(overview)
        }
        if self.charts:
            moran = moran_figure(self.analysis, lang=lang)
            if moran is not None:
                images["moran"] = chart_png(moran, dpi=DOCUMENT_DPI)
        return {
            f"{ANNEX_STEM}.{fmt}": annex_document(
                self.analysis, self.profiles, fmt, overview_images=images
            )
            for fmt in self.formats
        }


def lisa_page(analysis: Analysis) -> str:
    """``lisa.html``: the Moran scatterplot and every region's LISA cluster (self-contained).

    >>> from terraplan.config import parse_config
    >>> from terraplan.pipeline import analyze
    >>> page = lisa_page(analyze(parse_config({"indicators": ["grp_per_capita"],
    ...                                         "typology": {"n_stability": 0}})))
    >>> page.count('class="tp-lisa-row"'), "<svg" in page
    (20, True)
    """
    from markupsafe import Markup

    from terraplan.pipeline import indicator_meta
    from terraplan.report.charts import LISA_COLORS, chart_svg, moran_figure
    from terraplan.report.classify import format_number
    from terraplan.report.maps import render_template
    from terraplan.territory.registry import display_name

    lang = analysis.lang
    table = analysis.tables["lisa"]
    meta = indicator_meta(str(table.attrs.get("indicator", "")), lang)
    rows = []
    for row in table.itertuples(index=False):
        label = str(row.label) if isinstance(row.label, str) else ""
        value = float(row.value)
        rows.append(
            {
                "name": display_name(str(row.region), lang),
                "value": format_number(value, 1, lang) if value == value else "–",
                "label": text(f"lisa_{label}", lang) if label else "–",
                "color": LISA_COLORS.get(label, "#ffffff"),
                "p": format_number(float(row.p_sim), 3, lang) if row.p_sim == row.p_sim else "–",
            }
        )
    rows.sort(key=lambda r: r["name"])
    figure = moran_figure(analysis, lang=lang)
    return render_template(
        "lisa.html.j2",
        lang=lang,
        title=f"{text('lisa_page', lang)}: {meta['name']}, {table.attrs.get('year', '')}",
        chart=Markup(chart_svg(figure)) if figure is not None else "",
        rows=rows,
        headers={
            "region": text("region", lang),
            "value": f"{meta['name']}, {translate_unit(meta['unit'], lang)}",
            "cluster": text("lisa_cluster", lang),
            "p": text("p_value", lang),
        },
    )
