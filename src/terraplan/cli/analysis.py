"""CLI commands of the competitive-advantage engine: ``terraplan indices`` and
``terraplan advantages`` (on the bundled Kazakhstan GVA panel)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import Language, TableFormat, render


class IndexTable(StrEnum):
    """Which index table ``terraplan indices`` prints."""

    lq = "lq"
    regions = "regions"
    sectors = "sectors"


class SectorLevelOption(StrEnum):
    """How to treat the 2010-2013 OTHER_SERVICES aggregate."""

    auto = "auto"
    fine = "fine"
    coarse = "coarse"


class PricesOption(StrEnum):
    """Current prices or base-year prices from the volume indices."""

    nominal = "nominal"
    real = "real"


class RankOption(StrEnum):
    """Ranking of advantages."""

    surplus = "surplus"
    lq = "lq"
    share = "share"
    competitive_shift = "competitive_shift"


REFERENCE_HELP = (
    "Reference universe: nation (sum of regions), national-row (published KZ row), "
    "neighbours (adjacent regions), or a CSV FILE with a 'region' column (one group) and "
    "optionally a 'group' column (each region against its group)."
)


def _reference(value: str, panel, years: list[int]):
    """Translate ``--reference`` into the ``reference`` and ``neighbours`` arguments."""
    from terraplan.errors import InputError

    if value in ("nation", "national-row"):
        return value, None
    if value == "neighbours":
        from terraplan.territory.registry import LAYOUTS, layout_regions
        from terraplan.territory.weights import neighbours

        present = set(panel.loc[panel["year"].isin(years) & (panel["region"] != "KZ"), "region"])
        for layout in LAYOUTS:
            if present <= set(layout_regions(layout)):
                return "neighbours", neighbours(layout)
        raise InputError(
            f"the panel's regions in {years} fit no single layout ({', '.join(LAYOUTS)}); "
            "choose years on one layout (2021 on for GVA) for --reference neighbours"
        )
    import pandas as pd

    path = Path(value)
    if not path.is_file():
        raise InputError(
            f"--reference {value!r} is neither nation, national-row, neighbours nor a file"
        )
    try:
        table = pd.read_csv(path, dtype=str)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"file {path}: cannot read it as CSV ({exc})") from None
    if "region" not in table.columns:
        raise InputError(
            f"file {path}: no 'region' column (columns: {list(table.columns)}); the reference "
            "file lists region codes in 'region' and, optionally, their group in 'group'"
        )
    codes = table["region"].str.strip()
    if "group" not in table.columns:
        return codes.tolist(), None
    groups = table.assign(region=codes).groupby("group", sort=True)["region"].apply(list)
    return groups.to_dict(), None


@app.command("indices")
def indices_command(
    year: int = typer.Option(..., help="Year of the structure, e.g. 2023."),
    indicator: str = typer.Option("gva", help="Sectoral indicator of the bundled panel."),
    reference: str = typer.Option("nation", help=REFERENCE_HELP),
    table: IndexTable = typer.Option(
        IndexTable.lq,
        "--table",
        help="lq: location quotients by region and sector; regions: specialization indices "
        "(Krugman, Hoover, Gini, HHI, entropy); sectors: concentration indices.",
    ),
    sector_level: SectorLevelOption = typer.Option(
        SectorLevelOption.auto, help="coarse: aggregate I, K, M-S into OTHER_SERVICES."
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Location quotients and specialization or concentration indices for one year.

    Example: terraplan indices --year 2023 --reference national-row --format csv
    """
    from terraplan.analysis.specialization import (
        concentration_indices,
        location_quotient,
        specialization_indices,
    )
    from terraplan.datasets import kazakhstan

    panel = kazakhstan.panel([indicator], include_national=reference == "national-row")
    ref, nb = _reference(reference, panel, [year])
    options = {"indicator": indicator, "sector_level": sector_level.value}
    if table is IndexTable.sectors:
        out = concentration_indices(panel, year, **options)
    elif table is IndexTable.regions:
        out = specialization_indices(panel, year, reference=ref, neighbours=nb, **options)
    else:
        out = location_quotient(panel, year, reference=ref, neighbours=nb, **options)
        out = out[["year", "region", "sector", "value", "share", "reference_share", "lq"]]
    typer.echo(render(out, fmt, lang=lang.value), nl=False)
    if lang is Language.en:
        typer.echo(f"reference: {out.attrs['reference']}; unit: {out.attrs['unit']}", err=True)
    else:
        from terraplan.report.localize import describe_attrs

        typer.echo(describe_attrs(out, lang.value), err=True)
    for note in out.attrs.get("notes", []):
        typer.echo(f"note: {note}", err=True)


@app.command("advantages")
def advantages_command(
    region: str | None = typer.Argument(None, help="Region code or name (default: all)."),
    year: int = typer.Option(..., help="Year of the structure, e.g. 2023."),
    base_year: int = typer.Option(..., help="Start of the growth period, e.g. 2021."),
    indicator: str = typer.Option("gva", help="Sectoral indicator of the bundled panel."),
    reference: str = typer.Option("nation", help=REFERENCE_HELP),
    prices: PricesOption = typer.Option(
        PricesOption.nominal, help="real: growth in base-year prices from the volume indices."
    ),
    sector_level: SectorLevelOption = typer.Option(
        SectorLevelOption.auto, help="coarse: aggregate I, K, M-S into OTHER_SERVICES."
    ),
    min_lq: float = typer.Option(1.25, help="An advantage has at least this LQ."),
    min_share: float = typer.Option(0.02, help="... and this share of the region's total."),
    require_positive_shift: bool = typer.Option(
        False, help="... and a positive competitive shift over the period."
    ),
    rank_by: RankOption = typer.Option(RankOption.surplus, help="Ranking of advantages."),
    top: int | None = typer.Option(None, help="At most this many rows per region and kind."),
    drop_unmatched: bool = typer.Option(
        False, help="Leave out regions missing in one of the years (a layout change)."
    ),
    harmonize: bool = typer.Option(
        False,
        "--harmonize",
        help="Bring the base year to the borders of YEAR (split regions are estimated and "
        "flagged in the column 'estimated'); other regions and the reference stay exact.",
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Competitive advantages (and disadvantages) of every region, with the evidence.

    An advantage: LQ >= 1.25 and >= 2 % of the region's total, ranked by the specialization
    surplus (share minus reference share). See docs/advantages.md.

    Example: terraplan advantages Atyrau --year 2023 --base-year 2015 --harmonize
    """
    from terraplan.analysis.advantages import AdvantageRule, advantages
    from terraplan.datasets import kazakhstan

    code = None
    if region is not None:
        from terraplan.territory.names import match_regions

        report = match_regions([region])
        report.raise_for_problems()
        code = report.codes.iloc[0]
    indicators = [indicator] + (["gva_volume_index"] if prices is PricesOption.real else [])
    panel = kazakhstan.panel(indicators, include_national=reference == "national-row")
    ref, nb = _reference(reference, panel, [base_year, year])
    rule = AdvantageRule(
        min_lq=min_lq,
        min_share=min_share,
        require_positive_shift=require_positive_shift,
        rank_by=rank_by.value,
        top=top,
    )
    out = advantages(
        panel,
        year=year,
        base_year=base_year,
        region=code,
        rule=rule,
        indicator=indicator,
        reference=ref,
        neighbours=nb,
        prices=prices.value,
        sector_level=sector_level.value,
        unmatched="drop" if drop_unmatched else "raise",
        harmonize=harmonize,
    )
    shown = ["region", "kind", "rank", "sector", "share", "lq", "trend", "evidence"]
    shown += ["estimated"] if harmonize else []
    people = fmt in (TableFormat.table, TableFormat.markdown)
    typer.echo(render(out, fmt, lang=lang.value, columns=shown if people else None), nl=False)
    if lang is Language.en:
        typer.echo(
            f"reference: {out.attrs['reference']}; prices: {out.attrs['prices']}; "
            f"unit: {out.attrs['unit']}",
            err=True,
        )
    else:
        from terraplan.report.localize import describe_attrs

        typer.echo(describe_attrs(out, lang.value), err=True)
    for note in out.attrs.get("notes", []):
        typer.echo(f"note: {note}", err=True)
    if harmonize:
        done = out.attrs["harmonized"]
        typer.echo(
            f"harmonized to {done['layout']}: estimated splits for "
            f"{', '.join(done['estimated_regions']) or 'no region'}",
            err=True,
        )
