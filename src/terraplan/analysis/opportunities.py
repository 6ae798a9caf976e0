"""Growth opportunities: what each region can realistically develop next, with a transparent score.

For every region and every sector where the region is **not yet specialized** (RCA < 1), the score
combines two families of components, each turned into a percentile among the region's candidate
sectors (0 = lowest, 1 = highest; ties share their mean):

* **feasibility** — ``density``: relatedness density of the sector to what the region is
  specialized in (proximity pooled over the years from ``base_year`` to ``year``);
  ``peers``: share of the region's peers specialized in the sector (peers: the regions with the
  most similar sector structure, or the ones given); ``neighbours``: share of its neighbours
  specialized in it;
* **attractiveness** — ``growth``: national growth of the sector from ``base_year`` to ``year``;
  ``complexity``: the sector's PCI (or an external PCI given by the user); ``opportunity_gain``:
  COG, how much the sector would open new related complex sectors; ``size``: the sector's share
  of the national total; ``productivity``: national value per person employed in the sector,
  where sectoral employment is in the panel.

``score = Σ w_k · percentile_k / Σ w_k`` over the components with data; ``feasibility`` and
``attractiveness`` are the same weighted means within each family. The weights come from a
preset named after the Growth Lab's three strategic approaches (Hausmann et al., *Atlas of
Economic Complexity*; the Growth Lab's country opportunity tables) — terraplan's own numbers,
stated in :data:`PRESETS` — or from the user.

The back-test on the bundled data (docs/opportunities.md) finds density predicts entries with
AUC ≈ 0.7, about as well as a sector's ubiquity does; the presets therefore never let density
alone decide and always pair it with the peers' and neighbours' presence.

Example
-------
>>> sorted(PRESETS)
['balanced', 'long-jumps', 'low-hanging']
>>> round(sum(PRESETS["balanced"].values()), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from terraplan.analysis.eci import complexity_arrays
from terraplan.analysis.relatedness import (
    at_least,
    density_array,
    proximity_array,
    rca_array,
    values_frame,
)
from terraplan.errors import AnalysisError, InputError

FEASIBILITY = ("density", "peers", "neighbours")
ATTRACTIVENESS = ("growth", "complexity", "opportunity_gain", "size", "productivity")
COMPONENTS = FEASIBILITY + ATTRACTIVENESS

#: Weights of the components per preset (each sums to 1).
PRESETS: dict[str, dict[str, float]] = {
    # close to what the region does: feasibility 0.60
    "low-hanging": {
        "density": 0.35, "peers": 0.15, "neighbours": 0.10,
        "growth": 0.15, "complexity": 0.05, "opportunity_gain": 0.10,
        "size": 0.05, "productivity": 0.05,
    },
    # feasibility 0.45, attractiveness 0.55
    "balanced": {
        "density": 0.25, "peers": 0.12, "neighbours": 0.08,
        "growth": 0.15, "complexity": 0.15, "opportunity_gain": 0.15,
        "size": 0.05, "productivity": 0.05,
    },
    # strategic bets on complex sectors: feasibility 0.30
    "long-jumps": {
        "density": 0.15, "peers": 0.10, "neighbours": 0.05,
        "growth": 0.10, "complexity": 0.30, "opportunity_gain": 0.20,
        "size": 0.05, "productivity": 0.05,
    },
}  # fmt: skip

#: Quadrants of the relative-presence × fit chart (Metroverse): RCA ≥ 1 or not, density at or
#: above the median of the region's sectors or not.
QUADRANTS = ("strength", "opportunity", "stretch", "vulnerable")


def resolve_weights(preset: str = "balanced", weights: Mapping[str, float] | None = None):
    """The component weights: a preset, optionally overridden by user ``weights``.

    >>> resolve_weights("balanced", {"density": 0.5})["density"]
    0.5
    """
    if preset not in PRESETS:
        raise InputError(f"unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
    out = dict(PRESETS[preset])
    if weights:
        unknown = sorted(set(weights) - set(COMPONENTS))
        negative = sorted(k for k, v in weights.items() if float(v) < 0)
        if unknown or negative:
            raise InputError(
                "weights: "
                + "; ".join(
                    (
                        [f"unknown component(s) {unknown} (use {', '.join(COMPONENTS)})"]
                        if unknown
                        else []
                    )
                    + ([f"negative weight(s) for {negative}"] if negative else [])
                )
            )
        out.update({k: float(v) for k, v in weights.items()})
    if sum(out.values()) <= 0:
        raise InputError("weights: at least one component needs a positive weight")
    return out


def structural_peers(values: pd.DataFrame, k: int = 4) -> dict[str, list[str]]:
    """For every region, the ``k`` regions with the most similar sector shares (cosine).

    >>> import pandas as pd
    >>> v = pd.DataFrame([[9.0, 1], [8, 2], [1, 9]], index=["R1", "R2", "R3"], columns=["A", "B"])
    >>> structural_peers(v, k=1)
    {'R1': ['R2'], 'R2': ['R1'], 'R3': ['R2']}
    """
    shares = values.to_numpy(float)
    shares = shares / shares.sum(axis=1, keepdims=True)
    unit = shares / np.linalg.norm(shares, axis=1, keepdims=True)
    sim = unit @ unit.T
    np.fill_diagonal(sim, -np.inf)
    k = min(k, len(values) - 1)
    order = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    codes = values.index.to_numpy()
    return {str(codes[i]): [str(c) for c in codes[order[i]]] for i in range(len(codes))}


def _group_matrix(
    regions: pd.Index, groups: Mapping[str, Sequence[str]] | None, what: str
) -> np.ndarray | None:
    """Row-normalized ``regions × regions`` membership matrix (None when no groups)."""
    if groups is None:
        return None
    index = {r: i for i, r in enumerate(regions)}
    w = np.zeros((len(regions), len(regions)))
    unknown = sorted({str(c) for m in groups.values() for c in m if str(c) not in index})
    if unknown:
        raise InputError(f"{what}: region(s) {unknown} are not in the panel's regions")
    for region, members in groups.items():
        if region in index:
            cols = [index[str(c)] for c in members if str(c) != region]
            w[index[region], cols] = 1.0
    counts = w.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, w / counts, np.nan)


def _default_neighbours(regions: pd.Index) -> tuple[dict[str, list[str]] | None, str]:
    from terraplan.territory.registry import LAYOUTS, layout_regions

    for layout in LAYOUTS:
        if set(regions) == set(layout_regions(layout)):
            try:
                from terraplan.territory.weights import neighbours
            except ImportError as exc:  # spatial stack not installed
                return None, f"neighbours left out: {exc}"
            return neighbours(layout), ""
    return None, "neighbours left out: the panel's regions are not one layout of the registry"


def _national_productivity(panel: pd.DataFrame, year: int, indicator: str, sectors, totals):
    rows = panel[(panel["indicator"] == indicator) & (panel["year"] == year)]
    by_sector = rows[rows["region"] != "KZ"].groupby("sector")["value"].sum()
    employed = by_sector.reindex(list(sectors))
    if employed.isna().all() or (employed.fillna(0) <= 0).all():
        return np.full(len(sectors), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(employed.to_numpy() > 0, totals / employed.to_numpy(), np.nan)


def opportunity_table(
    panel: pd.DataFrame,
    year: int,
    base_year: int,
    *,
    preset: str = "balanced",
    weights: Mapping[str, float] | None = None,
    indicator: str = "gva",
    threshold: float = 1.0,
    peers: Mapping[str, Sequence[str]] | None = None,
    n_peers: int = 4,
    neighbours: Mapping[str, Sequence[str]] | None = None,
    pci: Mapping[str, float] | pd.Series | None = None,
    employment_indicator: str = "employed",
    **options,
) -> pd.DataFrame:
    """Components, percentiles and scores for every region × sector (all regions at once).

    One row per region and sector with ``rca, present, candidate, density, peers, neighbours,
    growth, complexity, opportunity_gain, size, productivity`` (raw values), ``pct_<component>``
    (percentiles among the region's candidates), ``feasibility, attractiveness, score, rank``
    (candidates only), ``quadrant`` and the evidence fields ``related`` (up to three sectors
    where the region is specialized, most proximate first), ``peers_present, peers_total,
    neighbours_present, neighbours_total``. ``options`` go to
    :func:`~terraplan.analysis.matrices.sector_matrix` (e.g. ``sector_level="fine"``).

    >>> from terraplan.datasets import kazakhstan
    >>> t = opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)
    >>> t["region"].nunique(), t.loc[t["candidate"], "score"].between(0, 1).all()
    (20, np.True_)
    """
    year, base_year = int(year), int(base_year)
    if base_year >= year:
        raise AnalysisError(f"base_year {base_year} must be before year {year}")
    w = resolve_weights(preset, weights)
    notes: list[str] = []
    frame = values_frame(panel, year, indicator=indicator, **options)
    regions, sectors = frame.index, frame.columns
    pooled = []
    for y in range(base_year, year + 1):
        try:
            f = frame if y == year else values_frame(panel, y, indicator=indicator, **options)
        except AnalysisError as exc:
            notes.append(f"year {y} left out of the pooled proximity: {exc}")
            continue
        if f.columns.equals(sectors):
            pooled.append(at_least(rca_array(f.to_numpy()), threshold))
        else:
            notes.append(f"year {y} left out of the pooled proximity: other sectors")
    base = values_frame(panel, base_year, indicator=indicator, **options)
    missing = sorted(set(sectors) - set(base.columns))
    if missing:
        raise AnalysisError(
            f"sector(s) {missing} of {year} have no value in {base_year}; choose a base year at "
            "the same sector level (2014 or later for the bundled GVA)"
        )
    values = frame.to_numpy()
    rca = rca_array(values)
    m = at_least(rca, threshold)
    phi = proximity_array(np.vstack(pooled))
    dens = density_array(m, phi)
    arrays = complexity_arrays(m, presence=True, proximity=phi)
    if pci is not None:
        ext = pd.Series(pci, dtype=float).reindex(sectors)
        if ext.isna().any():
            raise InputError(f"pci: no value for sector(s) {list(ext.index[ext.isna()])}")
        complexity = ext.to_numpy()
        absent = 1.0 - m
        cog = absent * (absent @ (phi / phi.sum(axis=1)[:, None] * complexity[:, None]))
        source = "external PCI (user)"
    else:
        complexity, cog, source = arrays.pci, arrays.cog, "PCI of the panel"
    totals = values.sum(axis=0)
    base_totals = base[sectors].to_numpy().sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(base_totals > 0, totals / base_totals - 1.0, np.nan)
    size = totals / totals.sum()
    productivity = _national_productivity(panel, year, employment_indicator, sectors, totals)
    if np.isnan(productivity).all():
        notes.append(
            f"productivity left out: the panel has no sectoral {employment_indicator!r} for {year}"
        )
    if peers is None:
        peers = structural_peers(frame, n_peers)
        peer_rule = f"{n_peers} regions with the most similar sector shares in {year}"
    else:
        peer_rule = "given"
    peer_w = _group_matrix(regions, peers, "peers")
    nb_note = ""
    if neighbours is None:
        neighbours, nb_note = _default_neighbours(regions)
    if nb_note:
        notes.append(nb_note)
    nb_w = _group_matrix(regions, neighbours, "neighbours")
    n_r, n_s = m.shape
    peer_share = np.nan_to_num(peer_w) @ m if peer_w is not None else np.full((n_r, n_s), np.nan)
    nb_share = np.nan_to_num(nb_w) @ m if nb_w is not None else np.full((n_r, n_s), np.nan)
    peer_total = (peer_w > 0).sum(axis=1) if peer_w is not None else np.zeros(n_r)
    nb_total = (nb_w > 0).sum(axis=1) if nb_w is not None else np.zeros(n_r)
    raw = {
        "density": dens,
        "peers": peer_share,
        "neighbours": nb_share,
        "growth": np.broadcast_to(growth, (n_r, n_s)),
        "complexity": np.broadcast_to(complexity, (n_r, n_s)),
        "opportunity_gain": cog,
        "size": np.broadcast_to(size, (n_r, n_s)),
        "productivity": np.broadcast_to(productivity, (n_r, n_s)),
    }
    out = pd.DataFrame(
        {
            "region": np.repeat(regions.to_numpy(), n_s),
            "sector": np.tile(sectors.to_numpy(), n_r),
            "rca": rca.ravel(),
            "present": m.ravel().astype(bool),
        }
    )
    out["candidate"] = ~out["present"]
    for name, arr in raw.items():
        out[name] = np.asarray(arr, dtype=float).ravel()
    cand = out[out["candidate"]]
    available = [c for c in COMPONENTS if cand[c].notna().any() and w.get(c, 0) > 0]
    left_out = [c for c in COMPONENTS if c not in available and w.get(c, 0) > 0]
    for c in COMPONENTS:
        out[f"pct_{c}"] = cand.groupby("region", sort=False)[c].rank(pct=True)
    out = _scores(out, w, available)
    med = out.groupby("region", sort=False)["density"].transform("median")
    fit = out["density"] >= med
    out["quadrant"] = np.select(
        [out["present"] & fit, ~out["present"] & fit, ~out["present"] & ~fit],
        ["strength", "opportunity", "stretch"],
        "vulnerable",
    )
    out["related"] = _related(m, phi, sectors)
    out["peers_present"] = np.rint(out["peers"] * np.repeat(peer_total, n_s)).astype("Int64")
    out["peers_total"] = np.repeat(peer_total, n_s).astype(int)
    out["neighbours_present"] = np.rint(out["neighbours"] * np.repeat(nb_total, n_s)).astype(
        "Int64"
    )
    out["neighbours_total"] = np.repeat(nb_total, n_s).astype(int)
    out["evidence"] = _english_evidence(out)
    out.attrs = {
        "method": "growth opportunities: weighted percentiles of feasibility and attractiveness",
        "indicator": indicator,
        "unit": frame.attrs.get("unit", ""),
        "year": year,
        "base_year": base_year,
        "preset": preset,
        "weights": {k: w[k] for k in available},
        "components_left_out": left_out,
        "threshold": threshold,
        "proximity": f"minimum conditional probability, pooled over {len(pooled)} year(s)",
        "complexity_source": source,
        "peers_rule": peer_rule,
        "peers": {str(k): list(v) for k, v in peers.items()},
        "notes": notes,
    }
    return out


def _scores(out: pd.DataFrame, w: Mapping[str, float], available: list[str]) -> pd.DataFrame:
    """Weighted means of the percentiles: overall and within each family (candidates only)."""

    def mean(components: Sequence[str]) -> pd.Series:
        cols = [c for c in components if c in available]
        if not cols:
            return pd.Series(np.nan, index=out.index)
        pct = out[[f"pct_{c}" for c in cols]].to_numpy()
        wts = np.array([w[c] for c in cols])
        have = ~np.isnan(pct)
        num = np.where(have, pct, 0.0) @ wts
        den = have @ wts
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.Series(np.where(den > 0, num / den, np.nan), index=out.index)

    out["feasibility"] = mean(FEASIBILITY)
    out["attractiveness"] = mean(ATTRACTIVENESS)
    out["score"] = mean(COMPONENTS)
    out.loc[~out["candidate"], ["feasibility", "attractiveness", "score"]] = np.nan
    out["rank"] = (
        out.groupby("region", sort=False)["score"]
        .rank(ascending=False, method="first")
        .astype("Int64")
    )
    return out


def _related(m: np.ndarray, phi: np.ndarray, sectors: pd.Index, top: int = 3) -> list[str]:
    """For every cell, up to ``top`` sectors where the region is specialized, most proximate
    to the cell's sector first (comma-separated codes). Regions are processed in chunks so the
    ``regions × sectors × sectors`` scores stay near four million cells."""
    n_r, n_s = m.shape
    prox = np.where(np.eye(n_s, dtype=bool), -np.inf, phi)  # sectors × sectors, no self
    names = np.asarray(sectors, dtype=object)
    step = max(1, 4_000_000 // (n_s * n_s))
    out: list[str] = []
    for start in range(0, n_r, step):
        chunk = m[start : start + step]
        score = np.where(chunk[:, None, :] > 0, prox[None, :, :], -np.inf)
        order = np.argsort(-score, axis=2, kind="stable")[:, :, :top]
        best = np.take_along_axis(score, order, axis=2)
        keep = np.isfinite(best) & (best > 0)
        width = order.shape[2]
        labels, flags = names[order].reshape(-1, width), keep.reshape(-1, width)
        out.extend(", ".join(lab[k]) for lab, k in zip(labels, flags, strict=True))
    return out


def _english_evidence(out: pd.DataFrame) -> list[str]:
    """The evidence sentence in English (profiles render it in their language from the fields)."""
    parts = []
    for related, pp, pt, np_, nt, growth in zip(
        out["related"],
        out["peers_present"],
        out["peers_total"],
        out["neighbours_present"],
        out["neighbours_total"],
        out["growth"],
        strict=True,
    ):
        bits = []
        if related:
            bits.append(f"related to {related}, where the region is specialized")
        if pt:
            bits.append(f"present in {pp} of its {pt} peers")
        if nt:
            bits.append(f"in {np_} of its {nt} neighbours")
        if not np.isnan(growth):
            bits.append(f"grew {growth * 100:.0f} % nationally")
        parts.append("; ".join(bits))
    return parts


def opportunities(
    panel: pd.DataFrame,
    region: str,
    year: int,
    base_year: int,
    *,
    preset: str = "balanced",
    weights: Mapping[str, float] | None = None,
    top: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The shortlist of one region (any spelling or code): candidate sectors by score.

    Columns: ``rank, sector, score, feasibility, attractiveness``, the raw components, the
    percentiles, ``quadrant`` and ``evidence``. ``options`` go to :func:`opportunity_table`.

    >>> from terraplan.datasets import kazakhstan
    >>> short = opportunities(kazakhstan.panel(["gva"]), "Karaganda", 2023, 2021, top=3)
    >>> short["rank"].tolist(), short.attrs["region"]
    ([1, 2, 3], 'KZ-35')
    """
    if region in set(panel["region"]):
        code = str(region)
    else:
        from terraplan.territory.names import match_regions

        report = match_regions([region])
        report.raise_for_problems()
        code = str(report.codes.iloc[0])
    table = opportunity_table(panel, year, base_year, preset=preset, weights=weights, **options)
    if code not in set(table["region"]):
        raise AnalysisError(
            f"region {code} has no {table.attrs['indicator']} data in {year}; regions: "
            f"{', '.join(sorted(table['region'].unique()))}"
        )
    mine = table[(table["region"] == code) & table["candidate"]].sort_values("rank")
    if top is not None:
        mine = mine.head(int(top))
    columns = [
        "region", "rank", "sector", "score", "feasibility", "attractiveness", *COMPONENTS,
        *[f"pct_{c}" for c in COMPONENTS], "rca", "quadrant", "related", "peers_present",
        "peers_total", "neighbours_present", "neighbours_total", "evidence",
    ]  # fmt: skip
    out = mine[columns].reset_index(drop=True)
    out.attrs = {**table.attrs, "region": code}
    out.attrs["peers"] = {code: table.attrs["peers"].get(code, [])}
    return out


def plot_opportunities(
    table: pd.DataFrame,
    region: str,
    *,
    title: str = "",
    x_label: str = "relative presence (RCA, log scale)",
    y_label: str = "fit (relatedness density)",
    quadrant_labels: Mapping[str, str] | None = None,
):
    """The relative-presence × fit quadrant chart (Metroverse) of one region, as a matplotlib
    Figure: every sector at (RCA, density); the lines are RCA = 1 and the region's median
    density. Labels are passed in (the report layer translates them).

    >>> from terraplan.datasets import kazakhstan
    >>> t = opportunity_table(kazakhstan.panel(["gva"]), 2023, 2021)
    >>> fig = plot_opportunities(t, "KZ-35")
    >>> len(fig.axes)
    1
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    mine = table[table["region"] == region]
    if mine.empty:
        raise AnalysisError(f"region {region} is not in the opportunity table")
    labels = dict(zip(QUADRANTS, QUADRANTS, strict=True)) | dict(quadrant_labels or {})
    colors = {
        "strength": "#1b7837",
        "opportunity": "#2166ac",
        "stretch": "#b2abd2",
        "vulnerable": "#d6604d",
    }
    fig = Figure(figsize=(7, 5.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x = np.clip(mine["rca"].to_numpy(float), 0.01, None)
    y = mine["density"].to_numpy(float)
    for quadrant in QUADRANTS:
        sel = (mine["quadrant"] == quadrant).to_numpy()
        if sel.any():
            ax.scatter(x[sel], y[sel], s=40, color=colors[quadrant], label=labels[quadrant])
    for xi, yi, s in zip(x, y, mine["sector"], strict=True):
        ax.annotate(str(s), (xi, yi), xytext=(3, 3), textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.axvline(1.0, color="#555555", lw=0.8, ls="--")
    ax.axhline(float(np.median(y)), color="#555555", lw=0.8, ls="--")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title or str(region))
    ax.legend(loc="best", fontsize=8, frameon=False)
    return fig
