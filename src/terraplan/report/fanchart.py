"""Fan charts: a region's history and its forecast with 80 % and 95 % intervals, as inline SVG.

Drawn by hand as SVG text (no script, font or network), so a profile stays self-contained and
byte-stable. Every text drawn is escaped; numbers are formatted for the page's language.

Example
-------
>>> history = [{"year": 2020, "value": 4.0}, {"year": 2021, "value": 5.0}]
>>> ahead = [{"year": 2022, "mean": 5.5, "lo_80": 5.0, "hi_80": 6.0, "lo_95": 4.5,
...           "hi_95": 6.5}]
>>> svg = fan_chart_svg(history, ahead, title="GRP <m>", lang="en")
>>> svg.startswith("<svg") and "GRP &lt;m&gt;" in svg
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from markupsafe import Markup, escape

from terraplan.report.classify import decimals_for, format_number
from terraplan.report.i18n import text

__all__ = ["fan_chart_svg"]

_W, _H = 460, 236
_LEFT, _RIGHT, _TOP, _BOTTOM = 66, 12, 36, 44


def _ticks(lo: float, hi: float, n: int = 4) -> np.ndarray:
    span = hi - lo if hi > lo else abs(hi) or 1.0
    step = 10 ** np.floor(np.log10(span / n))
    for mult in (1, 2, 2.5, 5, 10):
        if span / (step * mult) <= n:
            step *= mult
            break
    start = np.ceil(lo / step) * step
    return np.arange(start, hi + step * 0.001, step)


def fan_chart_svg(
    history: list[dict[str, Any]],
    forecast: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str = "",
    lang: str = "en",
    levels: tuple[int, int] = (80, 95),
) -> Markup:
    """An SVG fan chart: ``history`` (``year``, ``value``) as a line, ``forecast`` (``year``,
    ``mean``, ``lo_80``, ``hi_80``, ``lo_95``, ``hi_95``) as bands around a dashed line;
    ``title`` in bold, ``subtitle`` (e.g. the unit) on a line of its own under it."""
    hist = [(int(p["year"]), float(p["value"])) for p in history if p.get("value") is not None]
    ahead = [p for p in forecast if p.get("mean") is not None]
    if not ahead:
        return Markup("")
    inner, outer = levels
    years = [y for y, _ in hist] + [int(p["year"]) for p in ahead]
    values = [v for _, v in hist] + [
        float(p[k]) for p in ahead for k in ("mean", f"lo_{outer}", f"hi_{outer}")
    ]
    x0, x1 = min(years), max(years)
    y0, y1 = min(values), max(values)
    pad = (y1 - y0) * 0.05 or abs(y1) * 0.05 or 1.0
    y0, y1 = y0 - pad, y1 + pad

    def sx(year: float) -> float:
        return _LEFT + (year - x0) / max(x1 - x0, 1) * (_W - _LEFT - _RIGHT)

    def sy(value: float) -> float:
        return _TOP + (y1 - value) / (y1 - y0) * (_H - _TOP - _BOTTOM)

    def band(lo: str, hi: str) -> str:
        start = [(hist[-1][0], hist[-1][1])] if hist else []
        upper = start + [(int(p["year"]), float(p[hi])) for p in ahead]
        lower = start + [(int(p["year"]), float(p[lo])) for p in ahead]
        pts = upper + lower[::-1]
        return " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)

    ticks = _ticks(y0, y1)
    dec = decimals_for(ticks)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" role="img" class="tp-fan">',
        f"<title>{escape(title)}{', ' + escape(subtitle) if subtitle else ''}</title>",
        f'<text x="4" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    if subtitle:
        parts.append(f'<text x="4" y="27" font-size="10">{escape(subtitle)}</text>')
    for t in ticks:
        y = sy(float(t))
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{_LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{escape(format_number(float(t), dec, lang))}</text>"
        )
    step = 1 if x1 - x0 <= 8 else (2 if x1 - x0 <= 16 else 5)
    for year in range(x0, x1 + 1):
        if (year - x0) % step == 0 or year == x1:
            parts.append(
                f'<text x="{sx(year):.1f}" y="{_H - 26}" font-size="10" text-anchor="middle">'
                f"{year}</text>"
            )
    parts.append(f'<polygon points="{band(f"lo_{outer}", f"hi_{outer}")}" fill="#c6dbef"/>')
    parts.append(f'<polygon points="{band(f"lo_{inner}", f"hi_{inner}")}" fill="#6baed6"/>')
    if hist:
        line = " ".join(f"{sx(y):.1f},{sy(v):.1f}" for y, v in hist)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#08306b" stroke-width="2"/>')
    mean = ([(hist[-1][0], hist[-1][1])] if hist else []) + [
        (int(p["year"]), float(p["mean"])) for p in ahead
    ]
    line = " ".join(f"{sx(y):.1f},{sy(v):.1f}" for y, v in mean)
    parts.append(
        f'<polyline points="{line}" fill="none" stroke="#08306b" stroke-width="2" '
        'stroke-dasharray="5 3"/>'
    )
    legend = text("fan_legend", lang, inner=inner, outer=outer)
    parts.append(f'<text x="{_LEFT}" y="{_H - 6}" font-size="10">{escape(legend)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
