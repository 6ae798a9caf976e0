"""Growth opportunities in the reader's language: shortlist rows, the quadrant chart, the density
map and the profile section (the numbers come from :mod:`terraplan.analysis.opportunities`).

Example
-------
>>> row = {"related": "B, F", "peers_present": 3, "peers_total": 4, "neighbours_total": 0,
...        "growth": 0.41}
>>> for part in evidence_text(row, "en").split("; "):
...     print(part)
related to B, F, where the region is specialized
present in 3 of its 4 peers
grew 41 % nationally
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from terraplan.report.classify import format_number
from terraplan.report.i18n import check_language, text

if TYPE_CHECKING:
    from terraplan.pipeline import Analysis

#: Rows of the shortlist shown in a profile.
PROFILE_ROWS = 5
QUADRANT_KEYS = {
    "strength": "opp_strength",
    "opportunity": "opp_opportunity",
    "stretch": "opp_stretch",
    "vulnerable": "opp_vulnerable",
}


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def evidence_text(row: Mapping[str, Any], lang: str = "en") -> str:
    """The evidence sentence of one opportunity row, in ``lang``.

    >>> row = {"related": "C", "peers_present": 1, "peers_total": 4, "neighbours_present": 2,
    ...        "neighbours_total": 3, "growth": -0.1}
    >>> for part in evidence_text(row, "ru").split("; "):
    ...     print(part)
    связана с отраслями C, в которых регион специализирован
    развита у 1 из 4 регионов-аналогов
    у 2 из 3 соседних регионов
    сократилась на 10 % по стране
    """
    check_language(lang)
    bits = []
    if row.get("related"):
        bits.append(text("opp_related", lang, sectors=row["related"]))
    if row.get("peers_total"):
        bits.append(text("opp_peers", lang, n=row["peers_present"], k=row["peers_total"]))
    if row.get("neighbours_total"):
        bits.append(
            text("opp_neighbours", lang, n=row["neighbours_present"], k=row["neighbours_total"])
        )
    growth = row.get("growth")
    if not _missing(growth):
        key = "opp_grew" if growth >= 0 else "opp_fell"
        bits.append(text(key, lang, pct=f"{abs(growth) * 100:.0f}"))
    return "; ".join(bits)


def shortlist(table: pd.DataFrame, lang: str = "en", top: int | None = None) -> pd.DataFrame:
    """Display table of a shortlist (from :func:`terraplan.analysis.opportunities.opportunities`
    or the candidate rows of one region): headers and words in ``lang``.

    >>> import pandas as pd
    >>> row = {"rank": 1, "sector": "P", "score": 0.7, "feasibility": 0.9, "attractiveness": 0.5,
    ...        "quadrant": "opportunity", "related": "", "peers_total": 0, "neighbours_total": 0,
    ...        "growth": 0.5}
    >>> list(shortlist(pd.DataFrame([row]), "kk").columns)[:3]
    ['Орны', 'Сала', 'Балл']
    """
    check_language(lang)
    rows = table.sort_values("rank").head(top) if top else table.sort_values("rank")
    out = pd.DataFrame(
        {
            text("opp_rank", lang): rows["rank"].astype(int).to_numpy(),
            text("sector", lang): rows["sector"].to_numpy(),
            text("opp_score", lang): rows["score"].round(3).to_numpy(),
            text("opp_feasibility", lang): rows["feasibility"].round(3).to_numpy(),
            text("opp_attractiveness", lang): rows["attractiveness"].round(3).to_numpy(),
            text("opp_quadrant", lang): [text(QUADRANT_KEYS[q], lang) for q in rows["quadrant"]],
            text("opp_evidence", lang): [
                evidence_text(r, lang) for r in rows.to_dict(orient="records")
            ],
        }
    )
    out.attrs = dict(table.attrs)
    return out


def quadrant_chart(table: pd.DataFrame, region: str, lang: str = "en", fmt: str = "png") -> bytes:
    """The relative-presence × fit chart of ``region`` as PNG or SVG bytes (deterministic).

    >>> from terraplan.analysis.opportunities import opportunity_table
    >>> from terraplan.datasets import kazakhstan
    >>> t = opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)
    >>> quadrant_chart(t, "KZ-35", "ru")[:4]
    b'\\x89PNG'
    """
    import matplotlib

    from terraplan.analysis.opportunities import plot_opportunities
    from terraplan.errors import OutputError
    from terraplan.territory.registry import display_name

    check_language(lang)
    if fmt not in ("png", "svg"):
        raise OutputError(f"unknown chart format {fmt!r}; use png or svg")
    labels = {q: text(k, lang) for q, k in QUADRANT_KEYS.items()}
    with matplotlib.rc_context({"svg.hashsalt": "terraplan", "svg.fonttype": "path"}):
        fig = plot_opportunities(
            table,
            region,
            title=f"{display_name(region, lang)}: {text('opportunities', lang)}",
            x_label=text("opp_x_axis", lang),
            y_label=text("opp_y_axis", lang),
            quadrant_labels=labels,
        )
        buf = io.BytesIO()
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(buf, format=fmt, dpi=120, metadata=metadata)
    return buf.getvalue()


def density_map(table: pd.DataFrame, sector: str, lang: str = "en", fmt: str = "png") -> bytes:
    """A static map of every region's relatedness density in ``sector`` (PNG or SVG bytes).

    >>> from terraplan.analysis.opportunities import opportunity_table
    >>> from terraplan.datasets import kazakhstan
    >>> t = opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)
    >>> density_map(t, "C")[:4]
    b'\\x89PNG'
    """
    from terraplan.errors import InputError
    from terraplan.report.maps import MapLayer
    from terraplan.report.static import static_map

    check_language(lang)
    rows = table[table["sector"] == sector]
    if rows.empty:
        raise InputError(
            f"sector {sector!r} is not in the opportunity table; sectors: "
            f"{', '.join(sorted(table['sector'].unique()))}"
        )
    name = text("opp_density_map", lang, sector=sector, year=table.attrs.get("year", ""))
    values = rows.set_index("region")["density"]
    layer = MapLayer.numeric(name, values, scheme="quantiles", k=4, lang=lang)
    return static_map(layer, fmt=fmt, lang=lang)


def _preset_name(preset: str, lang: str) -> str:
    try:
        return text(f"opp_preset_{preset}", lang)
    except KeyError:  # user weights without a preset name
        return preset


def profile_section(analysis: Analysis, code: str, lang: str) -> dict[str, Any] | None:
    """The profile's opportunities section: top rows with localized evidence, the preset, and
    whether complexity is indicative (``None`` when the run has no opportunity table)."""
    table = analysis.tables.get("opportunities")
    if table is None:
        return None
    mine = table[(table["region"] == code) & table["candidate"]]
    if mine.empty:
        return None
    from terraplan.data.sectors import sector_names

    names = sector_names(lang)
    rows = []
    for r in mine.sort_values("rank").head(PROFILE_ROWS).to_dict(orient="records"):
        rows.append(
            {
                "rank": int(r["rank"]),
                "sector": str(r["sector"]),
                "name": names.get(str(r["sector"]), str(r["sector"])),
                "score": float(r["score"]),
                "feasibility": float(r["feasibility"]),
                "attractiveness": float(r["attractiveness"]),
                "quadrant": text(QUADRANT_KEYS[r["quadrant"]], lang),
                "evidence": evidence_text(r, lang),
            }
        )
    attrs = table.attrs
    low = attrs.get("eci_stability_low")
    indicative = bool(attrs.get("complexity_indicative", False))
    return {
        "method": text(
            "opp_method",
            lang,
            base_year=attrs.get("base_year", ""),
            year=attrs.get("year", ""),
            preset=_preset_name(str(attrs.get("preset", "")), lang),
        ),
        "indicative": indicative,
        "indicative_note": text("opp_indicative", lang, low=format_number(low, 2, lang))
        if indicative and low is not None
        else "",
        "rows": rows,
    }
