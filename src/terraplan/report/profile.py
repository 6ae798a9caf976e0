"""Region profiles: one per region, as self-contained HTML, Markdown or JSON.

A profile is first built as a plain dictionary (:func:`region_profile`, schema
``terraplan.profile/1``, documented in ``docs/outputs.md``) and then rendered
(:func:`render_profile`). Contents: key indicators with the region's rank among the 20 and its
trend, the structure of its value added against the country (shares and location quotients),
shift-share, competitive advantages, type and peers, LISA cluster, neighbours, plan monitoring,
a locator map (HTML only, inline SVG) and the source of every figure. A section whose analysis
is not available is left out and the profile says why (``notes``).

HTML is rendered by Jinja2 with autoescaping; Markdown escapes HTML and Markdown syntax in every
value, so a name like ``<script>`` or ``*x*`` in user data stays text.

Example
-------
>>> resolve_region("Qaraghandy oblysy")
'KZ-35'
"""

from __future__ import annotations

import html
import json
import math
import re
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from terraplan.errors import OutputError, RegionMatchError
from terraplan.pipeline import Analysis, indicator_meta, rank_regions
from terraplan.report.catalogue import term
from terraplan.report.classify import format_number
from terraplan.report.composite import factor_names
from terraplan.report.composite import profile_section as composite_section
from terraplan.report.i18n import check_language, text
from terraplan.report.i18n import unit as translate_unit

if TYPE_CHECKING:
    from terraplan.report.svg import SvgShapes

SCHEMA = "terraplan.profile/1"
FORMATS = ("html", "md", "json")
#: Rows shown per generic table section (advantages, shift-share, monitoring).
MAX_ROWS = 12


def resolve_region(name: str, layout: str = "KZ-2022") -> str:
    """Resolve any spelling or code of a region of ``layout`` to its code.

    >>> resolve_region("Караганда"), resolve_region("kz-75")
    ('KZ-35', 'KZ-75')
    """
    from terraplan.territory.names import match_regions

    report = match_regions([name], layout=layout)
    code = report.codes.iloc[0]
    if code is None or (isinstance(code, float) and math.isnan(code)):
        raise RegionMatchError(report.problems or [f"{name!r} is not a region of {layout}"])
    return str(code)


def _plain(value: Any) -> Any:
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/inf/NA become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _table(frame: pd.DataFrame, *, drop: tuple[str, ...] = ("region",)) -> dict[str, Any]:
    shown = frame.drop(columns=[c for c in drop if c in frame.columns]).head(MAX_ROWS)
    return {
        "columns": [str(c) for c in shown.columns],
        "rows": [[_plain(v) for v in row] for row in shown.itertuples(index=False, name=None)],
        "attrs": {str(k): _plain(v) for k, v in frame.attrs.items() if _is_scalar_like(v)},
    }


def _is_scalar_like(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, (str, int, float, bool)) or v is None for v in value)
    return isinstance(value, (str, int, float, bool, np.generic)) or value is None


def _sources_table() -> pd.DataFrame:
    from terraplan.datasets import kazakhstan

    return kazakhstan.sources().set_index("id")


def _source_ids(source: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;,]", source) if s.strip()]


def _sector_names(lang: str = "en") -> dict[str, str]:
    from terraplan.data.sectors import sector_names

    return sector_names(lang)


def _indicator_rows(analysis: Analysis, lang: str) -> dict[str, tuple]:
    """Per indicator: its rows, this year's rows by region and their ranks (cached per run)."""
    key = ("key_rows", id(analysis.panel), tuple(analysis.indicators), analysis.year, lang)
    if key not in analysis.cache:
        panel = analysis.panel
        rows = panel[
            panel["indicator"].isin(analysis.indicators)
            & (panel["sector"] == "TOTAL")
            & panel["region"].isin(analysis.regions)
        ].sort_values(["indicator", "region", "year"])
        table = {}
        for indicator, sub in rows.groupby("indicator", sort=False):
            current = sub[sub["year"] == analysis.year].set_index("region")
            polarity = indicator_meta(str(indicator), lang)["polarity"]
            table[indicator] = (sub, current, rank_regions(current["value"], polarity))
        analysis.cache.clear()
        analysis.cache[key] = table
    return analysis.cache[key]


def is_rate(unit: str) -> bool:
    """True for a unit in percent (a rate or a share), whose change is in percentage points.

    >>> is_rate("%"), is_rate("% of previous year"), is_rate("million KZT")
    (True, True, False)
    """
    text = str(unit).strip().casefold()
    return text.startswith("%") or text.startswith("percent")


def _key_indicators(analysis: Analysis, code: str, lang: str) -> list[dict[str, Any]]:
    empty = analysis.panel.head(0)
    by_indicator = _indicator_rows(analysis, lang)
    out = []
    for indicator in analysis.indicators:
        meta = indicator_meta(indicator, lang)
        sub, current, ranks = by_indicator.get(
            indicator, (empty, empty.set_index("region"), pd.Series(dtype=float))
        )
        mine = sub[sub["region"] == code]
        value = current["value"].get(code, np.nan)
        base = mine.set_index("year")["value"].get(analysis.base_year, np.nan)
        change = (value / base - 1.0) * 100.0 if base and not math.isnan(base) else np.nan
        units = sub["unit"].dropna().unique()  # the data's own unit first, then the catalogue's
        english_unit = str(units[0]) if len(units) else meta["unit"]
        points = is_rate(english_unit)  # a rate changes by percentage points, not by a relative %
        unit = translate_unit(english_unit, lang)
        out.append(
            {
                "indicator": indicator,
                "name": meta["name"],
                "unit": unit,
                "polarity": meta["polarity"],
                "year": analysis.year,
                "value": _plain(value),
                "flag": str(current["flag"].get(code, "") or ""),
                "rank": None if pd.isna(ranks.get(code, np.nan)) else int(ranks[code]),
                "ranked": int(ranks.notna().sum()),
                "change_since_base_pct": _plain(change),
                "change_since_base": _plain(value - base if points else change),
                "change_unit": "pp" if points else "%",
                "trend": [
                    {"year": int(y), "value": _plain(v), "flag": str(f or "")}
                    for y, v, f in zip(mine["year"], mine["value"], mine["flag"], strict=True)
                ],
                "sources": _source_ids(meta["source"]),
            }
        )
    return out


def _structure(analysis: Analysis, code: str, lang: str = "en") -> dict[str, Any] | None:
    from terraplan.report.localize import indicator_name, reference_label

    lq = analysis.tables.get("lq")
    if lq is None:
        return None
    mine = lq[lq["region"] == code].sort_values("share", ascending=False)
    names = _sector_names(lang)
    return {
        "indicator": lq.attrs.get("indicator", ""),
        "indicator_name": indicator_name(str(lq.attrs.get("indicator", "")), lang),
        "unit": translate_unit(str(lq.attrs.get("unit", "")), lang),
        "year": analysis.year,
        "reference": reference_label(str(lq.attrs.get("reference", "")), lang),
        "sectors": [
            {
                "sector": s,
                "name": names.get(s, s),
                "value": _plain(v),
                "share_pct": _plain(a * 100.0),
                "country_share_pct": _plain(b * 100.0),
                "lq": _plain(q),
            }
            for s, v, a, b, q in zip(
                mine["sector"],
                mine["value"],
                mine["share"],
                mine["reference_share"],
                mine["lq"],
                strict=True,
            )
        ],
    }


def _typology(analysis: Analysis, code: str, lang: str) -> dict[str, Any] | None:
    from terraplan.territory.registry import display_name

    labels = analysis.tables.get("typology")
    if labels is None:
        return None
    by_region = labels.set_index("region")["cluster"]
    if code not in by_region.index:
        return None
    cluster = int(by_region[code])
    same = sorted(c for c in by_region.index[by_region == cluster] if c != code)
    from terraplan.report.localize import deviations, typology_note

    types = analysis.tables.get("types")
    distinguishing = ""
    if types is not None:
        row = types[types["cluster"] == cluster]
        if len(row):
            distinguishing = deviations(str(row["distinguishing"].iloc[0]), lang)
    return {
        "type": cluster,
        "k": _plain(labels.attrs.get("k")),
        "method": str(labels.attrs.get("method", "")),
        "method_text": typology_note(
            str(labels.attrs.get("method", "")), labels.attrs.get("k"), lang
        ),
        "distinguishing": distinguishing,
        "same_type": [{"code": c, "name": display_name(c, lang)} for c in same],
    }


#: Columns a profile shows of the tables that have many (others stay in the workbook).
PROFILE_COLUMNS = {
    "advantages": ("kind", "rank", "sector", "sector_name", "lq", "trend", "evidence"),
    "peers": ("rank", "peer", "peer_name", "distance", "similar_on", "differs_on"),
    "monitoring": (
        "indicator", "year", "baseline", "target", "actual", "progress", "status", "flag",
    ),
}  # fmt: skip


def _region_rows(
    analysis: Analysis, section: str, code: str, lang: str = "en"
) -> dict[str, Any] | None:
    from terraplan.report.localize import header, localize_frame

    frame = analysis.tables.get(section)
    if frame is None or "region" not in frame.columns:
        return None
    unit_text = translate_unit(str(frame.attrs.get("unit", "")).split(",")[0], lang)
    mine = frame[frame["region"] == code]
    localized = localize_frame(mine, lang, unit_text=unit_text)
    localized.columns = list(mine.columns)  # ids stay the keys; words go to "headers"
    wanted = [c for c in PROFILE_COLUMNS.get(section, ()) if c in mine.columns]
    if wanted:
        table = _table(localized[wanted])
        table["attrs"] = _table(frame.head(0))["attrs"]
    else:
        table = _table(localized)
    table["headers"] = [header(c, lang) for c in table["columns"]]
    return table


def _shift_share(analysis: Analysis, code: str, lang: str = "en") -> dict[str, Any] | None:
    from terraplan.report.localize import header, reference_label

    frame = analysis.tables.get("shift_share")
    if frame is None:
        return None
    mine = frame[frame["region"] == code].copy()
    mine["sector_name"] = mine["sector"].map(_sector_names(lang))
    columns = ["sector", "sector_name", "change", "national_share", "industry_mix",
               "competitive_shift"]  # fmt: skip
    mine = mine.reindex(mine["competitive_shift"].abs().sort_values(ascending=False).index)
    table = _table(mine[[c for c in columns if c in mine.columns]])
    table["attrs"] = {str(k): _plain(v) for k, v in frame.attrs.items() if _is_scalar_like(v)}
    table["totals"] = {c: _plain(mine[c].sum()) for c in columns[2:] if c in mine.columns}
    unit_text = translate_unit(str(frame.attrs.get("unit", "")).split(",")[0], lang)
    table["headers"] = [
        header(c, lang, unit_text if c in columns[2:] else "") for c in table["columns"]
    ]
    prices = str(frame.attrs.get("prices", ""))
    table["note"] = text(
        "shift_share_note",
        lang,
        unit=unit_text,
        reference=reference_label(str(frame.attrs.get("reference", "")), lang),
        prices=text("prices.nominal", lang) if prices.startswith("nominal") else prices,
    )
    return table


def _lisa(analysis: Analysis, code: str, lang: str = "en") -> dict[str, Any] | None:
    from terraplan.report.localize import indicator_name, value_word

    frame = analysis.tables.get("lisa")
    if frame is None:
        return None
    row = frame[frame["region"] == code]
    if row.empty:
        return None
    label = row["label"].iloc[0]
    return {
        "indicator": str(frame.attrs.get("indicator", "")),
        "indicator_name": indicator_name(str(frame.attrs.get("indicator", "")), lang),
        "label": str(value_word(str(label), lang)) if pd.notna(label) else None,
        "fdr": str(frame.attrs.get("fdr", "none")),
        "p_value": _plain(row["p_adjusted" if "p_adjusted" in row else "p_sim"].iloc[0]),
        "permutations": _plain(frame.attrs.get("permutations")),
    }


def _forecasts(analysis: Analysis, code: str, lang: str) -> list[dict[str, Any]] | None:
    """The region's forecasts: history, forecast rows and how they were made (in ``lang``)."""
    table = analysis.tables.get("forecasts")
    if table is None:
        return None
    out = []
    for indicator, rows in table[table["region"] == code].groupby("indicator", sort=False):
        meta = indicator_meta(str(indicator), lang)
        origin = int(rows["origin"].iloc[0])
        past = analysis.panel[
            (analysis.panel["region"] == code)
            & (analysis.panel["indicator"] == indicator)
            & (analysis.panel["sector"] == "TOTAL")
            & (analysis.panel["year"] <= origin)
        ].sort_values("year")
        method = str(rows["method"].iloc[0])
        notes = [text("forecast_about", lang, origin=origin, method=text(f"method_{method}", lang))]
        choice = str(rows.get("method_choice", pd.Series([""])).iloc[0])
        mase = re.search(rf"{re.escape(method)} ([0-9.]+)", choice)
        if mase:
            notes.append(text("forecast_choice", lang, mase=_num(float(mase[1]), 2, lang)))
        if "estimated" in str(rows["flag"].iloc[0]):
            notes.append(text("forecast_estimated", lang))
        columns = ["year", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
        out.append(
            {
                "indicator": str(indicator),
                "name": meta["name"],
                "unit": translate_unit(meta["unit"], lang),
                "origin": origin,
                "method": method,
                "notes": notes,
                "history": [
                    {"year": int(y), "value": float(v)}
                    for y, v in zip(past["year"], past["value"], strict=True)
                    if pd.notna(v)
                ],
                "rows": [
                    {c: (int(r[c]) if c == "year" else float(r[c])) for c in columns}
                    for _, r in rows.iterrows()
                ],
            }
        )
    return out or None


def fan_chart(forecast: dict[str, Any], lang: str) -> Any:
    """The inline SVG fan chart of one entry of a profile's ``forecasts``."""
    from terraplan.report.fanchart import fan_chart_svg

    return fan_chart_svg(
        forecast["history"][-12:],
        forecast["rows"],
        title=forecast["name"],
        subtitle=forecast["unit"],
        lang=lang,
    )


def forecast_table(forecast: dict[str, Any], lang: str) -> dict[str, Any]:
    """A generic table (``columns``, ``rows``) of one forecast, headers in ``lang``."""
    columns = [
        text("year", lang),
        text("forecast_mean", lang),
        text("interval_lo", lang, level=80),
        text("interval_hi", lang, level=80),
    ]
    rows = [[r["year"], r["mean"], r["lo_80"], r["hi_80"]] for r in forecast["rows"]]
    return {"columns": columns, "rows": rows}


def _opportunities(analysis: Analysis, code: str, lang: str) -> dict[str, Any] | None:
    from terraplan.report.opportunities import profile_section

    return profile_section(analysis, code, lang)


def region_profile(analysis: Analysis, region: str, *, lang: str | None = None) -> dict[str, Any]:
    """The profile of ``region`` (any spelling or code) as a JSON-ready dictionary.

    Keys: ``schema, region, lang, year, base_year, key_indicators, structure, shift_share,
    advantages, typology, peers, lisa, neighbours, monitoring, forecasts, opportunities,
    composite, notes, sources`` (a section is ``None`` when its analysis is not available;
    ``notes`` says why).

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"region": ["KZ-71", "KZ-75"], "year": 2023, "indicator": "grp",
    ...     "sector": "TOTAL", "value": [1.0, 2.0], "unit": "m", "flag": ""})
    >>> a = Analysis(panel, 2023, 2023, ["grp"], ["KZ-71", "KZ-75"], notes={"lq": "no sectors"})
    >>> p = region_profile(a, "Astana")
    >>> p["region"]["code"], p["key_indicators"][0]["rank"], p["structure"], p["notes"]
    ('KZ-71', 2, None, {'lq': 'no sectors'})
    """
    from terraplan.report.maps import centre_name
    from terraplan.territory.names import get_region
    from terraplan.territory.registry import display_name

    lang = check_language(lang or analysis.lang)
    code = region if region in analysis.regions else resolve_region(region)
    info = get_region(code)
    key = _key_indicators(analysis, code, lang)
    composite = composite_section(analysis.tables, code, lang)
    extra_sources = set((composite or {}).get("sources", []))
    source_ids = sorted({s for k in key for s in k["sources"]} | {"bns-5927"} | extra_sources)
    sources_table = _sources_table()
    sources = [
        {
            "id": s,
            "publisher": term("source", str(sources_table.at[s, "publisher"]), lang)
            if s in sources_table.index
            else "",
            "title": term("source", str(sources_table.at[s, "title"]), lang)
            if s in sources_table.index
            else "",
            "element": str(sources_table.at[s, "element"]) if s in sources_table.index else "",
        }
        for s in source_ids
    ]
    sources.append(
        {
            "id": "terraplan-analysis",
            "publisher": "terraplan",
            "title": text("analysis_source_title", lang),
            "element": "",
        }
    )
    neighbours = analysis.neighbours.get(code)
    return {
        "schema": SCHEMA,
        "region": {
            "code": code,
            "name": display_name(code, lang),
            "name_en": info.name_en,
            "name_ru": info.name_ru,
            "name_kk": info.name_kk,
            "kind": info.kind,
            "admin_centre": centre_name(code, lang),
        },
        "lang": lang,
        "year": analysis.year,
        "base_year": analysis.base_year,
        "key_indicators": key,
        "structure": _structure(analysis, code, lang),
        "shift_share": _shift_share(analysis, code, lang),
        "advantages": _region_rows(analysis, "advantages", code, lang),
        "typology": _typology(analysis, code, lang),
        "peers": _region_rows(analysis, "peers", code, lang),
        "lisa": _lisa(analysis, code, lang),
        "neighbours": None
        if neighbours is None
        else [{"code": c, "name": display_name(c, lang)} for c in neighbours],
        "monitoring": _region_rows(analysis, "monitoring", code, lang),
        "forecasts": _forecasts(analysis, code, lang),
        "opportunities": _opportunities(analysis, code, lang),
        "composite": composite,
        "notes": dict(sorted(analysis.notes.items())),
        "sources": sources,
    }


# ----------------------------------------------------------------------------- rendering


def _num(value: Any, decimals: int = 1, lang: str = "en") -> str:
    if isinstance(value, bool) or value is None:
        return "–" if value is None else str(value)
    if isinstance(value, int):
        return format_number(float(value), 0, lang) if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        dec = decimals if abs(value) < 1000 else 0
        return format_number(value, dec, lang)
    return str(value)


class _MdSafe(str):
    """Markdown that terraplan built from escaped parts (not escaped again)."""


def _md_escape(value: Any) -> str:
    """Escape text for Markdown: HTML special characters and Markdown syntax become literal.

    >>> _md_escape("<script>*x*|y")
    '&lt;script&gt;\\\\*x\\\\*\\\\|y'
    """
    if value is None:
        return ""
    if isinstance(value, _MdSafe):
        return value
    out = html.escape(str(value), quote=False)
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", out)


def _md_table(table: dict[str, Any], lang: str, decimals: int = 2) -> _MdSafe:
    head = "| " + " | ".join(_md_escape(c) for c in table.get("headers", table["columns"])) + " |"
    rule = "|" + " --- |" * len(table["columns"])
    body = [
        "| " + " | ".join(_md_escape(_num(v, decimals, lang)) for v in row) + " |"
        for row in table["rows"]
    ]
    return _MdSafe("\n".join([head, rule, *body]) + "\n")


def sparkline(points: list[dict[str, Any]], width: int = 90, height: int = 22) -> str:
    """The ``points`` attribute of an SVG polyline drawing a trend (numbers only).

    >>> sparkline([{"year": 2021, "value": 1.0}, {"year": 2022, "value": 3.0}], 10, 4)
    '0.0,4.0 10.0,0.0'
    >>> sparkline([{"year": 2021, "value": 2.0}, {"year": 2022, "value": 2.0}], 10, 4)
    '0.0,2.0 10.0,2.0'
    """
    pts = [(p["year"], p["value"]) for p in points if p.get("value") is not None]
    if len(pts) < 2:
        return ""
    years = np.array([p[0] for p in pts], dtype=float)
    values = np.array([p[1] for p in pts], dtype=float)
    span_x = max(years.max() - years.min(), 1e-9)
    span_y = values.max() - values.min()
    xs = (years - years.min()) / span_x * width
    if span_y > 0:
        ys = height - (values - values.min()) / span_y * height
    else:  # a flat trend: a level line in the middle
        ys = np.full_like(values, height / 2)
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))


@cache
def _environments():
    import jinja2

    from terraplan.report.localize import flag_words

    loader = jinja2.PackageLoader("terraplan.report", "templates")
    common = {"keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}
    html_env = jinja2.Environment(loader=loader, autoescape=True, **common)
    md_env = jinja2.Environment(loader=loader, autoescape=False, finalize=_md_escape, **common)
    for env in (html_env, md_env):
        env.filters["num"] = _num
        env.globals["t"] = text
        env.globals["sparkline"] = sparkline
        env.globals["forecast_table"] = forecast_table
        env.globals["flagword"] = flag_words
    html_env.globals["fan_chart"] = fan_chart
    md_env.globals["md_table"] = _md_table
    for env in (html_env, md_env):
        env.globals["factor_names"] = factor_names
    return html_env, md_env


def render_profile(
    profile: dict[str, Any],
    fmt: str = "html",
    *,
    shapes: SvgShapes | None = None,
    charts: dict[str, str] | None = None,
) -> str:
    """Render a profile as ``html`` (self-contained, with a locator map when ``shapes`` is
    given), ``md`` or ``json`` (sorted keys, 2-space indent).

    ``charts`` (HTML only) are inline SVG charts by name (``trends``, ``shift_share``,
    ``portfolio``; see :func:`terraplan.report.charts.profile_chart_svgs`), drawn in a
    section of their own.

    >>> p = {"schema": SCHEMA, "region": {"code": "X"}}
    >>> render_profile(p, "json").splitlines()[1]
    '  "region": {'
    """
    if fmt == "json":
        return json.dumps(profile, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt not in FORMATS:
        raise OutputError(f"unknown profile format {fmt!r}; use one of {', '.join(FORMATS)}")
    html_env, md_env = _environments()
    if fmt == "html":
        from markupsafe import Markup

        svgs = {k: Markup(v) for k, v in (charts or {}).items() if v}  # terraplan's own SVG
        return html_env.get_template("profile.html.j2").render(
            p=profile, shapes=shapes, charts=svgs
        )
    return md_env.get_template("profile.md.j2").render(p=profile)
