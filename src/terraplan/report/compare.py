"""The comparison page of two or more regions (``terraplan compare A B …``).

One self-contained HTML page: the key indicators side by side (value and rank among the 20),
the trends of every region against the country in one chart per indicator, and the structure
of value added (each region's share of every sector, and its location quotient).

Example
-------
>>> from terraplan.config import parse_config
>>> from terraplan.pipeline import analyze
>>> a = analyze(parse_config({"indicators": ["grp_per_capita"], "typology": {"n_stability": 0}}))
>>> page = compare_page(a, ["Karaganda", "KZ-75"], lang="ru")
>>> "Карагандинская область" in page and "г. Алматы" in page, page.count("<svg")
(True, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from terraplan.errors import InputError
from terraplan.report.classify import format_number
from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    from terraplan.pipeline import Analysis


def _cell(value: Any, decimals: int, lang: str) -> str:
    if value is None or value != value:
        return "–"
    return format_number(float(value), 0 if abs(float(value)) >= 1000 else decimals, lang)


def compare_page(analysis: Analysis, regions: Sequence[str], *, lang: str | None = None) -> str:
    """The comparison page of ``regions`` (any spelling or code, at least two) as HTML."""
    from markupsafe import Markup

    from terraplan.report.charts import chart_svg, trend_figure
    from terraplan.report.maps import render_template
    from terraplan.report.profile import region_profile, resolve_region

    lang = check_language(lang or analysis.lang)
    codes = list(dict.fromkeys(resolve_region(r) for r in regions))
    if len(codes) < 2:
        raise InputError(
            f"compare needs at least two different regions (got {', '.join(codes) or 'none'}); "
            "name two or more, e.g. terraplan compare Karaganda Pavlodar"
        )
    profiles = [region_profile(analysis, code, lang=lang) for code in codes]
    indicators = []
    for i, key in enumerate(profiles[0]["key_indicators"]):
        cells = []
        for p in profiles:
            k = p["key_indicators"][i]
            rank = "" if k["rank"] is None else text("rank_of", lang, rank=k["rank"], n=k["ranked"])
            cells.append({"value": _cell(k["value"], 1, lang), "rank": rank})
        indicators.append({"name": key["name"], "unit": key["unit"], "cells": cells})
    sectors: dict[str, dict[str, Any]] = {}
    for j, p in enumerate(profiles):
        for s in (p.get("structure") or {}).get("sectors", []):
            row = sectors.setdefault(
                s["sector"],
                {
                    "name": f"{s['sector']} · {s['name']}",
                    "cells": [None] * len(profiles),
                    "country": _cell(s["country_share_pct"], 1, lang),
                },
            )
            row["cells"][j] = {
                "share": _cell(s["share_pct"], 1, lang),
                "lq": _cell(s["lq"], 2, lang),
            }
    figure = trend_figure(analysis, codes, lang=lang)
    names = [p["region"]["name"] for p in profiles]
    return render_template(
        "compare.html.j2",
        lang=lang,
        title=f"{text('compare_title', lang)}: {', '.join(names)}",
        year=analysis.year,
        base_year=analysis.base_year,
        names=names,
        indicators=indicators,
        sectors=[sectors[k] for k in sorted(sectors)],
        chart=Markup(chart_svg(figure)),
        labels={
            "indicators": text("key_indicators", lang),
            "indicator": text("indicator", lang),
            "unit": text("unit", lang),
            "trends": text("trends", lang),
            "structure": text("structure", lang),
            "sector": text("sector", lang),
            "country": text("country", lang),
            "share": text("share_region", lang),
        },
    )
