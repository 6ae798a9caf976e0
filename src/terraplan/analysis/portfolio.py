"""Sector portfolio of each region: specialization (LQ) × relative growth × size.

For every region and sector, between ``base_year`` and ``year``:

* ``lq``: the location quotient in ``year`` (current prices);
* ``growth_rate`` and ``reference_growth_rate``: compound annual growth of the sector in the
  region and in its reference universe, ``(x1/x0)^(1/T) − 1``;
* ``relative_growth = growth_rate − reference_growth_rate`` (fraction per year);
* ``share`` and ``value``: the size of the sector in the region in ``year``.

Quadrants (thresholds ``lq_threshold`` = 1 and ``growth_threshold`` = 0 by default), after the
growth-share portfolio of REAT's ``portfolio``/``locq.growth`` (Wieland 2019, *REGION* 6(3)):

===================  =======================  ==================================
quadrant             LQ                        relative growth
===================  =======================  ==================================
rising strength      ≥ threshold               ≥ threshold
declining strength   ≥ threshold               < threshold
emerging             < threshold               ≥ threshold
lagging              < threshold               < threshold
new                  (sector was 0 in base)    +inf (no growth rate from zero)
absent               0 in both years           NaN
===================  =======================  ==================================

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({
...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
>>> portfolio(panel, year=2023, base_year=2022)[["region", "sector", "quadrant"]]
  region sector         quadrant
0     R1      A  rising strength
1     R1      B          lagging
2     R2      A          lagging
3     R2      B  rising strength
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from terraplan.analysis.matrices import (
    Missing,
    Reference,
    SectorLevel,
    SectorMatrix,
    Unmatched,
    long_frame,
)
from terraplan.analysis.shiftshare import VOLUME_INDICATOR, Prices, _matrix, classic_components
from terraplan.analysis.specialization import lq_array
from terraplan.errors import AnalysisError, RegionMatchError
from terraplan.territory.names import region_codes, region_names

QUADRANTS = ("rising strength", "declining strength", "emerging", "lagging", "new", "absent")


def sector_evidence(
    data: pd.DataFrame | SectorMatrix,
    *,
    year: int,
    base_year: int,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    prices: Prices = "nominal",
    volume_indicator: str = VOLUME_INDICATOR,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Per region and sector: size, LQ, growth against the reference and shift-share components.

    Returns the table (``region, sector, value, base_value, share, reference_share, lq,
    lq_base, growth, reference_sector_growth, growth_rate, reference_growth_rate,
    relative_growth, national_share, industry_mix, competitive_shift``) and its provenance. LQ and
    shares are at current prices; growth and shift-share follow ``prices``. ``growth`` is
    ``x1/x0 − 1`` (``+inf`` for a sector new to the region, NaN when absent in both years).

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
    ...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
    ...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
    >>> table, _ = sector_evidence(panel, year=2023, base_year=2022)
    >>> table["growth"].round(2).tolist()  # 36/30 - 1, 0, 0, 48/40 - 1
    [0.2, 0.0, 0.0, 0.2]
    """
    if int(base_year) >= int(year):
        raise AnalysisError(f"base_year ({base_year}) must come before year ({year})")
    years = [int(base_year), int(year)]
    options = {
        "indicator": indicator,
        "reference": reference,
        "neighbours": neighbours,
        "sector_level": "coarse" if prices == "real" else sector_level,
        "missing": missing,
        "unmatched": unmatched,
        "sectors": sectors,
    }
    nominal = _matrix(data, years, "nominal", volume_indicator, **options)
    moving = (
        nominal
        if prices == "nominal"
        else _matrix(data, years, prices, volume_indicator, **options)
    )
    if moving.regions != nominal.regions or moving.sectors != nominal.sectors:
        raise AnalysisError(
            "the real-price matrix covers other regions or sectors than the nominal one "
            f"(regions {sorted(set(moving.regions) ^ set(nominal.regions))}, sectors "
            f"{sorted(set(moving.sectors) ^ set(nominal.sectors))}); restrict regions or sectors"
        )
    x, e = nominal.values, nominal.compact_reference()
    x0, x1 = moving.values[0], moving.values[1]
    e0, e1 = moving.compact_reference()[0], moving.compact_reference()[1]
    parts = classic_components(x0, x1, e0, e1)
    span = years[1] - years[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = x1 / x0 - 1.0
        growth_rate = (x1 / x0) ** (1.0 / span) - 1.0
    reference_rate = (e1 / e0) ** (1.0 / span) - 1.0
    columns = {
        "value": x[1].copy(),
        "base_value": x[0].copy(),
        "share": x[1] / x[1].sum(-1, keepdims=True),
        "reference_share": e[1] / e[1].sum(-1, keepdims=True),
        "lq": lq_array(x[1], e[1]),
        "lq_base": lq_array(x[0], e[0]),
        "growth": growth,
        "reference_sector_growth": parts["reference_sector_growth"],
        "growth_rate": growth_rate,
        "reference_growth_rate": reference_rate,
        "relative_growth": growth_rate - reference_rate,
        "national_share": parts["national_share"],
        "industry_mix": parts["industry_mix"],
        "competitive_shift": parts["competitive_shift"],
    }
    table = long_frame(nominal.select_years([years[1]]), columns).drop(columns="year")
    provenance = {
        **nominal.attrs,
        "base_year": years[0],
        "year": years[1],
        "prices": (
            "nominal (current prices)"
            if prices == "nominal"
            else f"real ({base_year} prices, chained volume indices {volume_indicator}); "
            "LQ and shares at current prices"
        ),
    }
    return table, provenance


def classify(
    lq: np.ndarray,
    relative_growth: np.ndarray,
    base_value: np.ndarray,
    value: np.ndarray,
    *,
    lq_threshold: float = 1.0,
    growth_threshold: float = 0.0,
) -> pd.Categorical:
    """Quadrant label of each cell (see the module docstring for the table), as a categorical.

    Example
    -------
    >>> classify(np.array([2.0, 0.5, 0.5]), np.array([0.01, 0.02, np.inf]),
    ...          np.array([1.0, 1.0, 0.0]), np.array([1.0, 1.0, 1.0])).tolist()
    ['rising strength', 'emerging', 'new']
    """
    strong = lq >= lq_threshold
    with np.errstate(invalid="ignore"):
        rising = relative_growth >= growth_threshold
    codes = np.where(strong, np.where(rising, 0, 1), np.where(rising, 2, 3))
    codes = np.where((base_value == 0) & (value > 0), 4, codes)
    codes = np.where((base_value == 0) & (value == 0), 5, codes)
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=list(QUADRANTS))


def portfolio(
    data: pd.DataFrame | SectorMatrix,
    *,
    year: int,
    base_year: int,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    prices: Prices = "nominal",
    volume_indicator: str = VOLUME_INDICATOR,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
    lq_threshold: float = 1.0,
    growth_threshold: float = 0.0,
    lang: str = "en",
) -> pd.DataFrame:
    """Portfolio table: every region's sectors by LQ, relative growth and size, with a quadrant.

    Columns: ``region, region_name`` (in ``lang``), ``sector, value, base_value, share, lq,
    growth_rate, reference_growth_rate, relative_growth, quadrant`` (see the module docstring).
    The options are those of :func:`~terraplan.analysis.shiftshare.shift_share`; ``attrs``
    record the thresholds, prices and reference.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
    ...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
    ...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
    >>> table = portfolio(panel, year=2023, base_year=2022)
    >>> # the nation grows 56/50 - 1 = 0.12 in A and 58/50 - 1 = 0.16 in B
    >>> table["relative_growth"].round(4).tolist()  # 0.2 - 0.12, 0 - 0.16, 0 - 0.12, 0.2 - 0.16
    [0.08, -0.16, -0.12, 0.04]
    """
    table, provenance = sector_evidence(
        data,
        year=year,
        base_year=base_year,
        indicator=indicator,
        reference=reference,
        neighbours=neighbours,
        prices=prices,
        volume_indicator=volume_indicator,
        sector_level=sector_level,
        missing=missing,
        unmatched=unmatched,
        sectors=sectors,
    )
    out = table[
        [
            "region",
            "sector",
            "value",
            "base_value",
            "share",
            "lq",
            "growth_rate",
            "reference_growth_rate",
            "relative_growth",
        ]
    ].copy()
    out["quadrant"] = classify(
        out["lq"].to_numpy(),
        out["relative_growth"].to_numpy(),
        out["base_value"].to_numpy(),
        out["value"].to_numpy(),
        lq_threshold=lq_threshold,
        growth_threshold=growth_threshold,
    )
    out.insert(1, "region_name", region_names(out["region"], lang).array)
    out.attrs = {
        "method": "portfolio (LQ × relative growth × size)",
        **provenance,
        "lq_threshold": lq_threshold,
        "growth_threshold": growth_threshold,
    }
    return out


def plot_portfolio(table: pd.DataFrame, region: str, *, title: str | None = None):
    """Bubble chart of one region's portfolio: relative growth (x) × LQ (y), size = share.

    ``region`` is a code of the table or a name in any spelling
    :func:`~terraplan.territory.names.match_regions` accepts ("Atyrau").

    Uses matplotlib's object API with the Agg canvas (no pyplot, no global state) and returns
    a :class:`matplotlib.figure.Figure` that Jupyter displays without ``%matplotlib inline``.
    Sectors in the ``new`` and ``absent`` quadrants have no growth rate and are listed under the
    chart instead of plotted.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
    ...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
    ...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
    >>> fig = plot_portfolio(portfolio(panel, year=2023, base_year=2022), "R1")
    >>> len(fig.axes[0].collections)
    1
    """
    from terraplan.analysis.figure import new_figure

    known = pd.unique(table["region"].astype(str))
    try:
        (region,) = region_codes(region, known, where="the portfolio table")
    except RegionMatchError as exc:
        raise AnalysisError(
            f"region {region!r} is not in the portfolio table ({'; '.join(exc.problems)}); "
            f"regions: {', '.join(map(str, known))}"
        ) from None
    rows = table[table["region"] == region]
    attrs = table.attrs
    lq_t = float(attrs.get("lq_threshold", 1.0))
    g_t = float(attrs.get("growth_threshold", 0.0))
    plotted = rows[~rows["quadrant"].isin(QUADRANTS[4:])]
    fig = new_figure((8, 6), layout="constrained")  # displays itself in Jupyter
    ax = fig.add_subplot()
    sizes = 2000.0 * plotted["share"].to_numpy() + 10.0
    ax.scatter(
        100 * plotted["relative_growth"].to_numpy(),
        plotted["lq"].to_numpy(),
        s=sizes,
        alpha=0.5,
        edgecolors="black",
        linewidths=0.5,
    )
    for sector, x, y in zip(
        plotted["sector"], 100 * plotted["relative_growth"], plotted["lq"], strict=True
    ):
        ax.annotate(str(sector), (x, y), ha="center", va="center", fontsize=8)
    ax.axhline(lq_t, color="grey", linewidth=0.8)
    ax.axvline(100 * g_t, color="grey", linewidth=0.8)
    for text, (x, y), ha, va in (
        ("rising strength", (0.98, 0.98), "right", "top"),
        ("declining strength", (0.02, 0.98), "left", "top"),
        ("emerging", (0.98, 0.02), "right", "bottom"),
        ("lagging", (0.02, 0.02), "left", "bottom"),
    ):
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, color="grey", fontsize=9)
    xlabel = "growth against the reference, percentage points per year"
    left_out = rows[rows["quadrant"].isin(QUADRANTS[4:])]
    if len(left_out):
        pairs = zip(left_out["sector"], left_out["quadrant"], strict=True)
        xlabel += "\nnot plotted (no growth rate): " + ", ".join(f"{s} ({q})" for s, q in pairs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"location quotient, {attrs.get('year', '')}")
    ax.set_title(
        title
        or f"{region}: {attrs.get('indicator', '')} portfolio, {attrs.get('base_year', '')}-"
        f"{attrs.get('year', '')}, against {attrs.get('reference', 'the reference')}",
        fontsize=10,
    )
    return fig
