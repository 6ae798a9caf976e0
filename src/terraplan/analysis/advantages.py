"""Competitive advantages of every region: its specialized sectors, ranked, with the evidence.

A sector is an **advantage** of a region when (default :class:`AdvantageRule`):

1. it is clearly over-represented: ``LQ ≥ 1.25`` in ``year``; and
2. it matters for the region: at least 2 % of the region's value added; and
3. optionally (``require_positive_shift=True``), it gained ground against the reference over
   ``base_year → year`` (positive classic competitive shift).

Advantages are ranked within each region by the **specialization surplus** ``a − b`` (the
region's share of the sector minus the reference's share, in share points), which grows with
both the LQ and the size of the sector: it is the sector's term in the Krugman index, so the
ranking says which sectors make the region different from the country. ``rank_by`` can be
``"lq"``, ``"share"`` or ``"competitive_shift"`` instead.

A sector is a **disadvantage worth naming** when it weighs in the reference economy
(reference share ≥ 5 %) but the region is clearly under-represented in it (``LQ ≤ 0.8``,
the reciprocal of 1.25), while having a foothold in it (at least 0.5 % of its own total);
ranked by the deficit ``b − a``. Sectors the region (almost) lacks, such as mining in a city,
are not named: absence is geography, not a weakness the plan can act on.

Each row carries its evidence: value, share, reference share, LQ (and in the base year), growth
against the reference, the classic shift-share components, the portfolio quadrant (rising /
declining strength, emerging, lagging, new) and a sentence a planner can quote.

Example
-------
>>> import pandas as pd
>>> panel = pd.DataFrame({
...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
>>> adv = advantages(panel, year=2023, base_year=2022)
>>> adv[["region", "kind", "rank", "sector"]]
  region          kind  rank sector
0     R1     advantage     1      A
1     R1  disadvantage     1      B
2     R2     advantage     1      B
3     R2  disadvantage     1      A
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

from terraplan.analysis.matrices import (
    SECTOR_NAMES,
    Missing,
    Reference,
    SectorLevel,
    SectorMatrix,
    Unmatched,
)
from terraplan.analysis.periods import harmonized_panel, mark_estimated
from terraplan.analysis.portfolio import classify, sector_evidence
from terraplan.analysis.shiftshare import VOLUME_INDICATOR, Prices
from terraplan.errors import AnalysisError, RegionMatchError
from terraplan.territory.names import region_codes, region_names

RankBy = Literal["surplus", "lq", "share", "competitive_shift"]


@dataclass(frozen=True)
class AdvantageRule:
    """The documented, configurable rule that selects and ranks advantages and disadvantages.

    Example
    -------
    >>> AdvantageRule(min_lq=1.5).min_share
    0.02
    """

    #: An advantage has at least this LQ in ``year``.
    min_lq: float = 1.25
    #: ... and at least this share of the region's total (fraction).
    min_share: float = 0.02
    #: ... and, if True, a positive competitive shift over the period.
    require_positive_shift: bool = False
    #: Ranking of advantages: ``surplus`` (share − reference share), ``lq``, ``share``,
    #: ``competitive_shift`` (descending).
    rank_by: RankBy = "surplus"
    #: A disadvantage has at most this LQ ...
    max_lq_disadvantage: float = 0.8
    #: ... in a sector with at least this share of the reference economy ...
    min_reference_share_disadvantage: float = 0.05
    #: ... where the region has a foothold: at least this share of its own total.
    min_share_disadvantage: float = 0.005
    #: Keep at most this many rows per region and kind (None: all).
    top: int | None = None

    def check(self) -> None:
        """Refuse inconsistent thresholds (all problems at once)."""
        problems = []
        if self.min_lq <= 0:
            problems.append(f"min_lq must be positive, got {self.min_lq}")
        if not 0 <= self.min_share < 1:
            problems.append(f"min_share must be in [0, 1), got {self.min_share}")
        if self.max_lq_disadvantage >= self.min_lq:
            problems.append(
                f"max_lq_disadvantage ({self.max_lq_disadvantage}) must be below min_lq "
                f"({self.min_lq})"
            )
        if self.rank_by not in ("surplus", "lq", "share", "competitive_shift"):
            problems.append(
                f"rank_by must be surplus, lq, share or competitive_shift, not {self.rank_by!r}"
            )
        if self.top is not None and self.top < 1:
            problems.append(f"top must be at least 1, got {self.top}")
        if problems:
            raise AnalysisError("invalid advantage rule: " + "; ".join(problems))


def _percent(x: float) -> str:
    return f"{100 * x:.1f}%"


def _growth_words(growth: float, reference: float) -> str:
    if math.isinf(growth):
        return "new in the region since the base year"
    return f"grew {_percent(growth)} against {_percent(reference)} in the reference"


def _evidence(table: pd.DataFrame, unit: str) -> list[str]:
    """One quotable sentence per row (reading only the columns it quotes, as Python floats)."""
    quoted = (
        "lq",
        "lq_base",
        "share",
        "reference_share",
        "growth",
        "reference_sector_growth",
        "competitive_shift",
    )
    return [
        f"LQ {lq:.2f} (base year {lq_base:.2f}); {_percent(share)} of the "
        f"region's total against {_percent(reference_share)} in the reference; "
        f"{_growth_words(growth, reference_growth)}; competitive shift "
        f"{shift:+,.0f} {unit}".rstrip()
        for lq, lq_base, share, reference_share, growth, reference_growth, shift in zip(
            *(table[name].to_numpy(dtype=float).tolist() for name in quoted), strict=True
        )
    ]


def advantages(
    data: pd.DataFrame | SectorMatrix,
    *,
    year: int,
    base_year: int,
    region: str | Sequence[str] | None = None,
    rule: AdvantageRule | None = None,
    indicator: str = "gva",
    reference: Reference = "nation",
    neighbours: Mapping[str, Sequence[str]] | None = None,
    prices: Prices = "nominal",
    volume_indicator: str = VOLUME_INDICATOR,
    sector_level: SectorLevel = "auto",
    missing: Missing = "raise",
    unmatched: Unmatched = "raise",
    sectors: Sequence[str] | None = None,
    harmonize: bool = False,
    lang: str = "en",
) -> pd.DataFrame:
    """Advantage and disadvantage sectors of every region (or of ``region``), with evidence.

    Parameters
    ----------
    year, base_year : int
        The year of the structure (LQ, shares) and the start of the growth period.
    region : str or list of str, optional
        Keep only these regions' rows (all regions still form the reference): codes, or names
        in any spelling :func:`~terraplan.territory.names.match_regions` accepts ("Atyrau",
        "Караганда").
    rule : AdvantageRule, optional
        Thresholds and ranking (see the module docstring); default ``AdvantageRule()``.
    indicator, reference, neighbours, prices, sector_level, missing, unmatched, sectors
        As in :func:`~terraplan.analysis.shiftshare.shift_share`.
    harmonize : bool
        Bring the panel to the layout of ``year`` first (:mod:`terraplan.analysis.periods`):
        regions split since ``base_year`` get estimated base values, flagged in the column
        ``estimated`` and in ``attrs["harmonized"]``.
    lang : ``"en"``, ``"ru"`` or ``"kk"``
        Language of ``region_name``, the region's name beside its code.

    Returns
    -------
    DataFrame
        One row per region, kind (``advantage`` first, then ``disadvantage``) and ranked sector:
        ``region, region_name, kind, rank, sector, sector_name, value, share, reference_share,
        surplus, lq, lq_base, growth, reference_sector_growth, relative_growth, national_share,
        industry_mix, competitive_shift, trend, evidence``. Growth columns are fractions
        (``growth`` is ``+inf`` for a sector new to the region); ``relative_growth`` is per
        year. ``attrs`` record the rule, method, years, prices and reference.

    Example
    -------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({
    ...     "region": ["R1", "R1", "R2", "R2"] * 2, "year": [2022] * 4 + [2023] * 4,
    ...     "indicator": "gva", "sector": ["A", "B"] * 4, "unit": "u",
    ...     "value": [30.0, 10.0, 20.0, 40.0, 36.0, 10.0, 20.0, 48.0]})
    >>> adv = advantages(panel, year=2023, base_year=2022, region="R1")
    >>> for part in adv.loc[0, "evidence"].split("; "):
    ...     print(part)
    LQ 1.59 (base year 1.50)
    78.3% of the region's total against 49.1% in the reference
    grew 20.0% against 12.0% in the reference
    competitive shift +2 u
    """
    rule = rule or AdvantageRule()
    rule.check()
    harmonized = None
    if harmonize:
        harmonized = harmonized_panel(
            data,
            year=year,
            base_year=base_year,
            indicator=indicator,
            volume_indicator=volume_indicator if prices == "real" else None,
        )
        data = harmonized
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
    if region is not None:
        known = pd.unique(table["region"].astype(str))
        try:
            wanted = region_codes(region, known)
        except RegionMatchError as exc:
            raise AnalysisError(
                f"region(s) {region if not isinstance(region, str) else [region]} are not in "
                f"the {indicator!r} matrix of {base_year}-{year} ({'; '.join(exc.problems)}); "
                f"regions: {', '.join(map(str, known))}"
            ) from None
        table = table[table["region"].isin(wanted)]
    table = table.assign(
        surplus=table["share"] - table["reference_share"],
        trend=classify(
            table["lq"].to_numpy(),
            table["relative_growth"].to_numpy(),
            table["base_value"].to_numpy(),
            table["value"].to_numpy(),
        ),
    )
    is_advantage = (table["lq"] >= rule.min_lq) & (table["share"] >= rule.min_share)
    if rule.require_positive_shift:
        is_advantage &= table["competitive_shift"] > 0
    is_disadvantage = (
        (table["lq"] <= rule.max_lq_disadvantage)
        & (table["reference_share"] >= rule.min_reference_share_disadvantage)
        & (table["share"] >= rule.min_share_disadvantage)
    )
    adv = table[is_advantage].assign(kind="advantage", _key=lambda t: -t[rule.rank_by])
    dis = table[is_disadvantage].assign(kind="disadvantage", _key=lambda t: t["surplus"])
    out = pd.concat([adv, dis], ignore_index=True)
    out["region"] = out["region"].astype(str)
    out["sector"] = out["sector"].astype(str)
    out["_kind"] = (out["kind"] == "disadvantage").astype(int)
    out = out.sort_values(["region", "_kind", "_key", "sector"], kind="stable")
    out["rank"] = out.groupby(["region", "kind"]).cumcount() + 1
    if rule.top is not None:
        out = out[out["rank"] <= rule.top]
    out["sector_name"] = out["sector"].map(SECTOR_NAMES).fillna("")
    out["evidence"] = _evidence(out, str(provenance.get("unit", "")).split(",")[0])
    columns = [
        "region",
        "kind",
        "rank",
        "sector",
        "sector_name",
        "value",
        "share",
        "reference_share",
        "surplus",
        "lq",
        "lq_base",
        "growth",
        "reference_sector_growth",
        "relative_growth",
        "national_share",
        "industry_mix",
        "competitive_shift",
        "trend",
        "evidence",
    ]
    out = out[columns].reset_index(drop=True)
    out.insert(1, "region_name", region_names(out["region"], lang).array)
    out.attrs = {
        "method": "competitive advantages (LQ, share, shift-share)",
        **provenance,
        "rule": asdict(rule),
    }
    if harmonized is not None:
        out = mark_estimated(out, harmonized, [base_year, year], indicator=indicator)
    return out
