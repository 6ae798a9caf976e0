"""Outputs of a composite index: the rank chart, the map layers and the profile section.

The chart draws, for every unit, its nominal rank, its median rank over the Monte Carlo runs and
the 5-95 % rank interval (matplotlib Agg, byte-identical across runs). The map has two layers:
the index score and the width of the rank interval (how uncertain the rank is). Every word is
in the reader's language (:func:`terraplan.report.i18n.text`); unit names come from the
registry, or are the unit keys themselves for units it does not know (e.g. districts).

Example
-------
>>> import pandas as pd
>>> t = pd.DataFrame({"unit": ["KZ-71", "KZ-75"], "index": [80.0, 60.0], "rank": [1, 2],
...     "median_rank": [1.0, 2.0], "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 2.0]})
>>> rank_chart(t, title="x", fmt="png")[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

from terraplan.errors import OutputError, RegionMatchError
from terraplan.report.i18n import check_language, has_text, text
from terraplan.report.maps import MapLayer


def unit_name(code: str, lang: str = "en") -> str:
    """The registry name of ``code`` in ``lang``, or ``code`` itself for other unit keys.

    >>> unit_name("KZ-71", "ru"), unit_name("D-001")
    ('г. Астана', 'D-001')
    """
    from terraplan.territory.registry import display_name

    try:
        return display_name(code, lang)
    except RegionMatchError:
        return code


def rank_chart(
    table: pd.DataFrame, *, title: str, lang: str = "en", fmt: str = "png", dpi: int = 130
) -> bytes:
    """Ranks with their 5-95 % intervals, best first, as PNG or SVG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    check_language(lang)
    if fmt not in ("png", "svg"):
        raise OutputError(f"unknown chart format {fmt!r}; use png or svg")
    t = table.sort_values(["rank", "unit"], kind="mergesort").reset_index(drop=True)
    n = len(t)
    has_interval = "rank_p05" in t.columns
    y = list(range(n))
    with matplotlib.rc_context(
        {"svg.hashsalt": "terraplan", "svg.fonttype": "path", "font.size": 8}
    ):
        fig = Figure(figsize=(7.5, 1.2 + 0.24 * n), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if has_interval:
            ax.hlines(
                y,
                t["rank_p05"],
                t["rank_p95"],
                color="#6b8fb8",
                linewidth=3,
                label=text("ci_interval_marker", lang),
            )
            ax.scatter(
                t["median_rank"],
                y,
                s=22,
                color="#1f3b5c",
                zorder=3,
                label=text("ci_median_marker", lang),
            )
        ax.scatter(
            t["rank"],
            y,
            s=26,
            marker="D",
            facecolor="white",
            edgecolor="#c0392b",
            zorder=4,
            label=text("ci_nominal_marker", lang),
        )
        ax.set_yticks(y, [unit_name(c, lang) for c in t["unit"]])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.5)
        ax.set_xlabel(text("rank", lang))
        ax.grid(axis="x", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper right", frameon=False, fontsize=7)
        ax.set_title(title, loc="left", fontsize=10)
        fig.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def index_layers(table: pd.DataFrame, *, name: str, lang: str = "en", k: int = 5) -> list[MapLayer]:
    """Map layers: the index score and (with uncertainty) the width of the rank interval.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B"], "index": [1.0, 2.0], "rank": [2, 1],
    ...     "median_rank": [2.0, 1.0], "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 1.0]})
    >>> [layer.values.tolist() for layer in index_layers(t, name="I", k=2)]
    [[1.0, 2.0], [1.0, 0.0]]
    """
    t = table.set_index("unit")
    note = ""
    if "rank_p05" in t.columns:
        factors = str(table.attrs.get("factors", "")).split()
        note = text(
            "ci_runs_note",
            lang,
            runs=table.attrs.get("runs", ""),
            varied=factor_names(factors, lang),
        )
    layers = [
        MapLayer.numeric(f"{name}: {text('ci_score', lang)}", t["index"], k=k, note=note, lang=lang)
    ]
    if "rank_p05" in t.columns:
        width = (t["rank_p95"] - t["rank_p05"]).astype(float)
        layers.append(
            MapLayer.numeric(f"{name}: {text('ci_width', lang)}", width, k=k, note=note, lang=lang)
        )
    return layers


def profile_section(
    tables: dict[str, pd.DataFrame], code: str, lang: str = "en"
) -> dict[str, Any] | None:
    """The composite-index section of a unit's profile (``None`` without an index).

    ``tables`` holds the ``composite_*`` tables of :func:`terraplan.pipeline.analyze`.
    """
    index = tables.get("composite_index")
    if index is None or code not in set(index["unit"]):
        return None
    row = index.set_index("unit").loc[code]
    labels = tables.get("composite_labels")
    names = {} if labels is None else labels.set_index("id")[f"name_{lang}"].to_dict()
    pillars = [
        c
        for c in index.columns
        if c not in {"unit", "index", "rank", "median_rank", "rank_p05", "rank_p95"}
    ]
    out: dict[str, Any] = {
        "year": int(index.attrs.get("year", 0)),
        "framework": str(index.attrs.get("framework", "")),
        "score": float(row["index"]),
        "rank": int(row["rank"]),
        "units": len(index),
        "median_rank": float(row["median_rank"]) if "median_rank" in row else None,
        "rank_p05": float(row["rank_p05"]) if "rank_p05" in row else None,
        "rank_p95": float(row["rank_p95"]) if "rank_p95" in row else None,
        "runs": index.attrs.get("runs"),
        "varied": varied_text(str(index.attrs.get("varied", "")), lang, names),
        "name": names.get(str(index.attrs.get("framework", "")), ""),
        "pillars": [
            {"pillar": p, "name": names.get(p, p), "score": float(row[p])} for p in pillars
        ],
        "strengths": [],
        "weaknesses": [],
        "peers": [],
    }
    sw = tables.get("composite_strengths")
    if sw is not None:
        mine = sw[sw["unit"] == code]
        for kind, key in (("strength", "strengths"), ("weakness", "weaknesses")):
            out[key] = [
                {
                    "indicator": r.indicator,
                    "name": names.get(r.indicator, r.indicator),
                    "rank": int(r.rank),
                    "value": float(r.value),
                }
                for r in mine[mine["kind"] == kind].itertuples()
            ]
    peers = tables.get("composite_peers")
    if peers is not None:
        out["peers"] = [
            {"code": p, "name": unit_name(p, lang)}
            for p in peers.loc[peers["unit"] == code, "peer"]
        ]
    drivers = tables.get("composite_sobol")
    if drivers is not None:
        mine = drivers[drivers["unit"] == code].sort_values(
            "total", ascending=False, kind="mergesort"
        )
        out["driver"] = str(mine["factor"].iloc[0]) if len(mine) else None
        out["factors"] = list(pd.unique(drivers["factor"]))
    if labels is not None and "source" in labels.columns:
        ids = {s.strip() for v in labels["source"].dropna() for s in str(v).split(";")}
        out["sources"] = sorted(i for i in ids if i)
    return out


def factor_names(factors: list[str], lang: str = "en") -> str:
    """The varied choices in ``lang``, comma-separated.

    >>> factor_names(["weights", "aggregation"], "ru")
    'веса, агрегирование'
    """
    return ", ".join(text(f"ci_f_{f}", lang) for f in factors)


def varied_text(varied: str, lang: str = "en", names: dict[str, str] | None = None) -> str:
    """The choices varied in the Monte Carlo runs (``imputation: none, mean; …``) in ``lang``;
    English is returned as recorded. ``names`` maps indicator ids to their names.

    >>> varied_text("aggregation: arithmetic, copeland; weights: ±25 % on each weight", "ru")
    'агрегирование: среднее арифметическое, метод Копленда; веса: ±25 % для каждого веса'
    >>> varied_text("leave_one_out: none or one of a, b", "kk", {"a": "А"})
    'бір көрсеткішті алып тастау: ешқайсысы немесе мына көрсеткіштердің бірі: А, b'
    """
    if lang == "en" or not varied:
        return varied
    names = names or {}
    parts = []
    for part in varied.split("; "):
        factor, _, options = part.partition(": ")
        label = text(f"ci_f_{factor}", lang) if has_text(f"ci_f_{factor}") else factor
        weights = re.fullmatch(r"±(\d+(?:\.\d+)?) % on each weight", options)
        left_out = re.fullmatch(r"none or one of (.*)", options)
        if weights:
            words = text("ci_v_weights", lang, pct=weights.group(1))
        elif left_out:
            ids = [i.strip() for i in left_out.group(1).split(",")]
            words = text("ci_v_loo", lang, indicators=", ".join(names.get(i, i) for i in ids))
        else:
            words = ", ".join(
                text(f"ci_o_{o}", lang) if has_text(f"ci_o_{o}") else o for o in options.split(", ")
            )
        parts.append(f"{label}: {words}")
    return "; ".join(parts)
