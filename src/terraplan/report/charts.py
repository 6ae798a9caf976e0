"""Charts of the profiles, the LISA page and the comparison page (matplotlib, offline, same bytes).

* :func:`trend_figure` – the key indicators of one or more regions over time against the
  country: levels for rates and per-person values, an index (first common year = 100) for
  totals, whose national level would flatten the regional line;
* :func:`shift_share_figure` – the three shift-share components of every sector as diverging
  bars with the sectors' names (all sectors, largest competitive shift first);
* :func:`portfolio_figure` – the portfolio bubble chart: relative growth (x) × location
  quotient (y), circle area = the sector's share of the region's value added;
* :func:`moran_figure` – the Moran scatterplot (standardized value × spatial lag) with the
  LISA quadrants and clusters.

Every figure is a :class:`~terraplan.analysis.figure.ChartFigure` (shows itself in Jupyter);
:func:`chart_svg` and :func:`chart_png` turn it into deterministic bytes. Every word comes from
:func:`terraplan.report.i18n.text`; numbers on the axes follow the language's separators.

Example
-------
>>> from terraplan.config import parse_config
>>> from terraplan.pipeline import analyze
>>> a = analyze(parse_config({"indicators": ["grp_per_capita", "population"],
...                           "typology": {"n_stability": 0}}))
>>> fig = trend_figure(a, ["KZ-35"], lang="ru")
>>> len(fig.axes), fig.axes[0].get_legend_handles_labels()[1]
(2, ['Карагандинская область', 'Казахстан'])
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from terraplan.analysis.figure import figure_bytes, new_figure
from terraplan.report.classify import format_number
from terraplan.report.i18n import check_language, text
from terraplan.report.i18n import unit as translate_unit

if TYPE_CHECKING:
    from terraplan.pipeline import Analysis

__all__ = [
    "chart_png",
    "chart_svg",
    "moran_figure",
    "portfolio_figure",
    "shift_share_figure",
    "trend_figure",
]

#: Colours: the region(s), the country, positive and negative bars.
REGION_COLORS = ("#1f5f99", "#c0392b", "#2a9d5c", "#8e44ad", "#d68910", "#17a589")
COUNTRY_COLOR = "#7f7f7f"
POSITIVE, NEGATIVE = "#2c7fb8", "#d95f0e"
#: LISA cluster colours (as on the maps).
LISA_COLORS = {
    "High-High": "#d7191c",
    "Low-Low": "#2c7bb6",
    "High-Low": "#fdae61",
    "Low-High": "#abd9e9",
    "Not significant": "#d9d9d9",
}
#: Height of the axes titles: given, so matplotlib does not measure every tick label again at
#: each draw to place them (a third of the drawing time).
TITLE_Y = 1.0
#: Units in which a region's level is comparable with the country's (rates, per-person values).
_INTENSIVE = ("percent", "per person", "per capita", "%")


def chart_svg(fig) -> str:
    """The figure as SVG text for an HTML page (text kept as text, no date, fixed ids).

    >>> from terraplan.analysis.figure import new_figure
    >>> chart_svg(new_figure((1, 1))).startswith("<svg")
    True
    """
    raw = figure_bytes(fig, "svg").decode("utf-8")
    return raw[raw.index("<svg") :]


def chart_png(fig, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for Word and PDF documents), in 128 colours.

    Charts hold a few flat colours and their anti-aliased edges; a palette of 128 without
    dithering looks the same and makes the documents about three times smaller.

    >>> from terraplan.analysis.figure import new_figure
    >>> chart_png(new_figure((1, 1)))[:4]
    b'\\x89PNG'
    """
    import io

    from PIL import Image

    raw = figure_bytes(fig, "png", dpi=dpi)
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    palette = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG")
    return out.getvalue()


def _formatter(lang: str, decimals: int = 0):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_number(float(v), decimals, lang))


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def _is_intensive(unit: str) -> bool:
    """True for units whose levels compare across regions and the country.

    >>> _is_intensive("percent of labour force (15+)"), _is_intensive("persons")
    (True, False)
    """
    return any(word in unit.lower() for word in _INTENSIVE)


def _series(analysis: Analysis, indicator: str, region: str) -> pd.Series:
    panel = analysis.panel
    rows = panel[
        (panel["indicator"] == indicator)
        & (panel["sector"] == "TOTAL")
        & (panel["region"] == region)
        & panel["value"].notna()
    ]
    return rows.set_index("year")["value"].astype(float).sort_index()


def _country(analysis: Analysis, indicator: str) -> pd.Series:
    national = analysis.tables.get("national")
    if national is None:
        return pd.Series(dtype=float)
    rows = national[(national["indicator"] == indicator) & national["value"].notna()]
    return rows.set_index("year")["value"].astype(float).sort_index()


def trend_figure(analysis: Analysis, regions: list[str], *, lang: str | None = None):
    """Small multiples of the run's indicators: each region's line and the country's.

    Totals (GRP, population, …) are drawn as an index (first year with data for all lines =
    100); rates and per-person values as levels in their unit. The country line is the
    published national series, drawn when the run used the bundled data.
    """
    from terraplan.pipeline import indicator_meta
    from terraplan.territory.registry import display_name

    lang = check_language(lang or analysis.lang)
    indicators = list(analysis.indicators)
    ncols = 2 if len(indicators) > 1 else 1
    nrows = -(-len(indicators) // ncols)
    height = 2.35 * nrows + 0.5
    fig = new_figure((8.0, height))
    # fixed margins (in inches) instead of a constrained layout: the layout engine measures
    # every label again and again, and charts are drawn for every region
    fig.subplots_adjust(
        left=0.09, right=0.98, top=1 - 0.3 / height, bottom=0.55 / height, wspace=0.28, hspace=0.5
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[len(indicators) :]:
        ax.set_visible(False)
    for ax, indicator in zip(axes, indicators, strict=False):
        meta = indicator_meta(indicator, lang)
        lines = {display_name(r, lang): _series(analysis, indicator, r) for r in regions}
        country = _country(analysis, indicator)
        unit = meta["unit"]
        units = analysis.panel.loc[analysis.panel["indicator"] == indicator, "unit"].dropna()
        if len(units):
            unit = str(units.iloc[0])
        intensive = _is_intensive(unit)
        present = [s for s in lines.values() if len(s)]
        if not intensive and present:
            common = set.intersection(*(set(s.index) for s in present))
            if len(country):
                common &= set(country.index)
            base = min(common) if common else None
            if base is not None:
                lines = {
                    k: s[s.index >= base] / s[base] * 100
                    for k, s in lines.items()
                    if base in s.index
                }
                country = (
                    country[country.index >= base] / country[base] * 100
                    if base in country.index
                    else country[:0]
                )
                label = text("index_base", lang, year=base)
            else:
                label = translate_unit(unit, lang)
        else:
            label = translate_unit(unit, lang)
        span = [y for s in [*lines.values(), country] for y in s.index]
        if span:
            first, last = min(y for s in lines.values() for y in s.index), max(span)
            country = country[(country.index >= first) & (country.index <= last)]
        for i, (name, series) in enumerate(lines.items()):
            color = REGION_COLORS[i % len(REGION_COLORS)]
            ax.plot(series.index, series.to_numpy(), color=color, linewidth=1.8, label=name)
        if len(country):
            ax.plot(
                country.index,
                country.to_numpy(),
                color=COUNTRY_COLOR,
                linewidth=1.4,
                linestyle="--",
                label=text("country", lang),
            )
        ax.axvline(analysis.year, color="#bbbbbb", linewidth=0.7, linestyle=":")
        ax.set_title(textwrap.fill(meta["name"], 48), fontsize=9, loc="left", y=TITLE_Y)
        ax.set_ylabel(textwrap.fill(label, 30), fontsize=7.5)
        top = max(
            (float(np.nanmax(np.abs(s.to_numpy()))) for s in lines.values() if len(s)), default=0.0
        )
        ax.yaxis.set_major_formatter(_formatter(lang, 1 if intensive and top < 100 else 0))
        ax.xaxis.get_major_locator().set_params(integer=True)
        _style(ax)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(
            handles,
            labels,
            loc="lower center",
            ncols=min(len(labels), 4),
            fontsize=8,
            frameon=False,
            bbox_to_anchor=(0.5, 0.0),
        )
    return fig


def shift_share_figure(
    analysis: Analysis,
    region: str,
    *,
    sector_names: dict[str, str] | None = None,
    lang: str | None = None,
):
    """Diverging bars of the shift-share components of every sector of ``region``.

    Three panels sharing the sectors: national growth, industry mix, competitive shift (in the
    unit of the indicator); sectors sorted by competitive shift, all of them shown. Returns
    None when the run has no shift-share table.
    """
    lang = check_language(lang or analysis.lang)
    table = analysis.tables.get("shift_share")
    if table is None:
        return None
    rows = table[table["region"] == region].sort_values("competitive_shift", kind="mergesort")
    if rows.empty:
        return None
    names = sector_names or {}
    labels = [
        textwrap.shorten(f"{s} · {names.get(s, s)}", 46, placeholder="…") for s in rows["sector"]
    ]
    components = ("national_share", "industry_mix", "competitive_shift")
    height = 0.26 * len(rows) + 1.6
    fig = new_figure((8.0, height))
    fig.subplots_adjust(
        left=0.36, right=0.98, top=1 - 0.75 / height, bottom=0.6 / height, wspace=0.12
    )
    axes = fig.subplots(1, 3, sharey=True)
    y = np.arange(len(rows))
    unit = translate_unit(str(table.attrs.get("unit", "")), lang)
    for ax, column in zip(axes, components, strict=True):
        values = rows[column].to_numpy(dtype=float)
        colors = np.where(values >= 0, POSITIVE, NEGATIVE)
        ax.barh(y, values, color=colors, height=0.7)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(text(f"ss_{column}", lang), fontsize=9, y=TITLE_Y)
        ax.xaxis.set_major_formatter(_formatter(lang))
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
    axes[0].set_yticks(y, labels, fontsize=7.5)
    years = f"{analysis.base_year}–{analysis.year}"
    fig.suptitle(
        textwrap.fill(text("ss_chart_title", lang, years=years, unit=unit), 90),
        fontsize=9.5,
        x=0.01,
        y=1 - 0.12 / height,
        ha="left",
        va="top",
    )
    return fig


def _portfolio(analysis: Analysis, indicator: str) -> pd.DataFrame:
    key = ("docs-portfolio", indicator, analysis.year, analysis.base_year, id(analysis.panel))
    if key not in analysis.cache:
        from terraplan.analysis.portfolio import portfolio

        analysis.cache[key] = portfolio(
            analysis.panel, year=analysis.year, base_year=analysis.base_year, indicator=indicator
        )
    return analysis.cache[key]


_CORNERS = (((0.98, 0.98), "right", "top"), ((0.02, 0.98), "left", "top"),
            ((0.98, 0.02), "right", "bottom"), ((0.02, 0.02), "left", "bottom"))  # fmt: skip


def _corner_labels(ax, keys: tuple[str, ...], lang: str, color: str, size: float) -> None:
    """Name the four quadrants of a scatterplot in its corners: top right, top left, bottom
    right, bottom left (in the order of ``keys``)."""
    for key, ((tx, ty), ha, va) in zip(keys, _CORNERS, strict=True):
        ax.text(tx, ty, text(key, lang), transform=ax.transAxes, ha=ha, va=va, color=color,
                fontsize=size, style="italic")  # fmt: skip


def portfolio_figure(
    analysis: Analysis,
    region: str,
    *,
    sector_names: dict[str, str] | None = None,
    lang: str | None = None,
):
    """The portfolio bubble chart of ``region``: relative growth × LQ, area = share.

    Sectors without a growth rate (new or vanished) are named under the chart. Returns None
    when the run has no sectoral data.
    """
    lang = check_language(lang or analysis.lang)
    lq = analysis.tables.get("lq")
    if lq is None:
        return None
    table = _portfolio(analysis, str(lq.attrs.get("indicator", "gva")))
    rows = table[table["region"] == region]
    if rows.empty:
        return None
    names = sector_names or {}
    growth = 100 * rows["relative_growth"].to_numpy(dtype=float)
    ok = np.isfinite(growth) & np.isfinite(rows["lq"].to_numpy(dtype=float))
    shown, left_out = rows[ok], rows[~ok]
    fig = new_figure((8.0, 5.6))
    fig.subplots_adjust(left=0.09, right=0.98, top=0.93, bottom=0.16)
    ax = fig.add_subplot()
    x = 100 * shown["relative_growth"].to_numpy(dtype=float)
    y = shown["lq"].to_numpy(dtype=float)
    areas = 2400 * shown["share"].to_numpy(dtype=float) + 12  # points²
    ax.scatter(
        x,
        y,
        s=areas,
        color=POSITIVE,
        alpha=0.45,
        edgecolors="#1b3a57",
        linewidths=0.6,
    )
    big = shown["share"].to_numpy(dtype=float) >= 0.04
    radii = np.sqrt(areas / np.pi)
    for sector, xi, yi, named, r in zip(shown["sector"], x, y, big, radii, strict=True):
        label = str(sector)
        if named:
            label = f"{sector} {textwrap.shorten(names.get(sector, ''), 22, placeholder='…')}"
        # beside the bubble, not on it: big bubbles no longer hide their neighbours' labels
        ax.annotate(
            label.strip(),
            (xi, yi),
            xytext=(r + 2, 0),
            textcoords="offset points",
            fontsize=7,
            ha="left",
            va="center",
        )
    lq_t = float(table.attrs.get("lq_threshold", 1.0))
    g_t = 100 * float(table.attrs.get("growth_threshold", 0.0))
    ax.axhline(lq_t, color="#888888", linewidth=0.8)
    ax.axvline(g_t, color="#888888", linewidth=0.8)
    _corner_labels(ax, ("q_rising", "q_declining", "q_emerging", "q_lagging"), lang, "#666666", 8.5)
    xlabel = text("portfolio_x", lang) + "\n" + text("portfolio_size", lang)
    if len(left_out):
        items = ", ".join(str(s) for s in left_out["sector"])
        xlabel += "\n" + text("not_plotted", lang, items=items)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(text("portfolio_y", lang, year=analysis.year), fontsize=8)
    ax.xaxis.set_major_formatter(_formatter(lang, 1))
    ax.yaxis.set_major_formatter(_formatter(lang, 1))
    _style(ax)
    ax.set_title(
        text("portfolio_title", lang, years=f"{analysis.base_year}–{analysis.year}"),
        fontsize=9.5,
        loc="left",
        y=TITLE_Y,
    )
    return fig


def moran_figure(analysis: Analysis, *, lang: str | None = None):
    """The Moran scatterplot of the run's LISA indicator: standardized value × spatial lag.

    The slope of the fitted line is Moran's I (row-standardized weights); points are coloured by
    LISA cluster, significant regions are named. Returns None when the run has no LISA table.
    """
    from terraplan.pipeline import indicator_meta
    from terraplan.territory.registry import display_name

    lang = check_language(lang or analysis.lang)
    table = analysis.tables.get("lisa")
    if table is None:
        return None
    rows = table.dropna(subset=["z", "lag"])
    z, lag = rows["z"].to_numpy(dtype=float), rows["lag"].to_numpy(dtype=float)
    slope = float(np.dot(z, lag) / np.dot(z, z)) if len(z) else float("nan")
    labels = rows["label"].astype(str).to_numpy()
    fig = new_figure((8.0, 5.6))
    fig.subplots_adjust(left=0.09, right=0.74, top=0.9, bottom=0.1)
    ax = fig.add_subplot()
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.axvline(0, color="#888888", linewidth=0.8)
    for label, color in LISA_COLORS.items():
        mask = labels == label
        if mask.any():
            ax.scatter(
                z[mask],
                lag[mask],
                s=46,
                color=color,
                edgecolors="#333333",
                linewidths=0.6,
                label=text(f"lisa_{label}", lang),
                zorder=3,
            )
    span = np.array([min(z.min(), -1.5), max(z.max(), 1.5)]) if len(z) else np.array([-1, 1])
    ax.plot(span, slope * span, color="#333333", linewidth=1.0)
    for code, xi, yi, label in zip(rows["region"], z, lag, labels, strict=True):
        if label != "Not significant":
            ax.annotate(
                display_name(str(code), lang),
                (xi, yi),
                xytext=(5, 3),
                textcoords="offset points",
                fontsize=7.5,
            )
    _corner_labels(
        ax,
        ("lisa_High-High", "lisa_Low-High", "lisa_High-Low", "lisa_Low-Low"),
        lang,
        "#999999",
        8,
    )
    meta = indicator_meta(str(table.attrs.get("indicator", "")), lang)
    ax.set_xlabel(text("moran_x", lang), fontsize=8)
    ax.set_ylabel(text("moran_y", lang), fontsize=8)
    ax.xaxis.set_major_formatter(_formatter(lang, 1))
    ax.yaxis.set_major_formatter(_formatter(lang, 1))
    _style(ax)
    title = text("moran_title", lang, name=meta["name"], year=table.attrs.get("year", ""))
    moran_i = text("moran_i", lang, value=format_number(slope, 3, lang))
    ax.set_title(f"{title}\n{moran_i}", fontsize=9.5, loc="left", y=TITLE_Y)
    ax.legend(fontsize=7.5, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def profile_chart_svgs(charts: dict[str, Any]) -> dict[str, str]:
    """The figures of :func:`profile_charts` as inline SVG (missing charts left out).

    >>> from terraplan.analysis.figure import new_figure
    >>> list(profile_chart_svgs({"trends": new_figure((1, 1)), "portfolio": None}))
    ['trends']
    """
    return {name: chart_svg(fig) for name, fig in charts.items() if fig is not None}


def profile_charts(analysis: Analysis, profile: dict[str, Any]) -> dict[str, Any]:
    """The charts of one profile (figures, or None where the analysis is missing):
    ``trends``, ``shift_share`` and ``portfolio``.

    >>> from terraplan.config import parse_config
    >>> from terraplan.pipeline import analyze
    >>> from terraplan.report.profile import region_profile
    >>> a = analyze(parse_config({"indicators": ["grp"], "typology": {"n_stability": 0}}))
    >>> sorted(profile_charts(a, region_profile(a, "KZ-35")))
    ['portfolio', 'shift_share', 'trends']
    """
    code, lang = profile["region"]["code"], profile["lang"]
    structure = profile.get("structure") or {}
    names = {s["sector"]: str(s["name"]) for s in structure.get("sectors", [])}
    return {
        "trends": trend_figure(analysis, [code], lang=lang),
        "shift_share": shift_share_figure(analysis, code, sector_names=names, lang=lang),
        "portfolio": portfolio_figure(analysis, code, sector_names=names, lang=lang),
    }
