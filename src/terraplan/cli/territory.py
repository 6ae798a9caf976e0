"""CLI commands on the territory: ``terraplan regions`` and ``terraplan match``."""

from __future__ import annotations

from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import Language, TableFormat, render


@app.command("regions")
def regions_command(
    layout: str = typer.Option(
        "KZ-2022",
        help="Layout: KZ-2022 (20 units), KZ-2018, KZ-1997, or 'all' (with historic); with "
        "--level district: KZ-2024-D (224 districts, the default) or KZ-2018-D (216).",
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    level: str = typer.Option("region", help="'region' (first level) or 'district' (second)."),
    region: str | None = typer.Option(
        None, help="With --level district: only this region's districts (name or code)."
    ),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """List the region registry: codes, names in four languages, kind, centre, validity.

    With --level district: the districts (KATO code, parent region, kind, names, area, years).

    Example: terraplan regions --format csv > regions.csv
    Example: terraplan regions --level district --region Karaganda
    """
    from terraplan.errors import InputError
    from terraplan.territory.registry import regions

    if level not in ("region", "district"):
        raise InputError(f"--level {level!r}: use 'region' or 'district'")
    if level == "district":
        from terraplan.territory.districts import districts

        district_layout = "KZ-2024-D" if layout == "KZ-2022" else layout
        table = districts(district_layout, region=region).reset_index()
        typer.echo(render(table, fmt), nl=False)
        return
    if region is not None:
        raise InputError("--region filters districts: add --level district")

    table = regions(None if layout == "all" else layout).reset_index()
    if fmt in (TableFormat.table, TableFormat.markdown):
        names = ["name_en", "name_ru", "name_kk"] if lang is Language.en else [f"name_{lang.value}"]
        centre = "admin_centre_en" if lang is Language.en else "admin_centre_ru"
        table = table[["code", "kind", *names, centre, "valid_from", "valid_until", "area_km2"]]
    typer.echo(render(table, fmt, lang=lang.value), nl=False)


@app.command("match")
def match_command(
    file: Path = typer.Argument(..., help="CSV or XLSX file with a column of region names."),
    column: str = typer.Option(..., "--column", "-c", help="Column holding region names."),
    layout: str | None = typer.Option(None, help="Restrict to a layout (e.g. KZ-2022)."),
    year: int | None = typer.Option(None, help="Use the layout in force in this year."),
    sheet: str | None = typer.Option(None, help="Sheet name of an XLSX file."),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    level: str = typer.Option("region", help="'region', or 'district' to match districts."),
    region_column: str | None = typer.Option(
        None, help="With --level district: column naming each row's region (resolves repeats)."
    ),
    sections: bool = typer.Option(
        False, help="With --level district: region rows head the rows below (Bureau bulletins)."
    ),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Match the region names in FILE's COLUMN and print how each one matched.

    Exits 1 when a name did not match exactly one region, or when two different spellings in
    the column resolve to the same region (the report says which rows, with suggestions); 0 when
    all matched. Every fuzzy match is printed (input, match, score). With --level district the
    column holds district names or KATO codes; names shared by districts of several regions are
    resolved by --region-column or --sections, and reported ambiguous otherwise.

    Example: terraplan match data.csv --column Region
    Example: terraplan match rayons.xlsx --column Район --level district --region-column Область
    """
    from terraplan.data.readers import read_frame
    from terraplan.errors import InputError
    from terraplan.territory.names import match_regions

    if level not in ("region", "district"):
        raise InputError(f"--level {level!r}: use 'region' or 'district'")
    if level == "region" and (region_column or sections):
        raise InputError("--region-column and --sections need --level district")
    frame = read_frame(file, sheet=sheet)
    missing = [c for c in (column, region_column) if c is not None and c not in frame.columns]
    if missing:
        raise InputError(
            f"file {file}: no column {', '.join(map(repr, missing))}; the columns are "
            f"{list(frame.columns)}"
        )
    from terraplan.data.readers.headers import split_mark

    # footnote marks glued to names ("Туркестанская2)") are not part of the name
    values = [split_mark(value)[0] for value in frame[column].tolist()]
    if level == "district":
        from terraplan.territory.district_names import match_districts

        report = match_districts(
            values,
            regions=None if region_column is None else frame[region_column].tolist(),
            sections=sections,
            layout=layout,
            year=year,
            context=str(file),
        )
    else:
        report = match_regions(values, layout=layout, year=year, context=str(file), unique=True)
    table = report.to_frame()
    table.insert(0, "row", range(1, len(table) + 1))
    if fmt is TableFormat.table or (fmt is TableFormat.markdown and lang is not Language.en):
        from terraplan.territory.registry import display_name

        names = [display_name(c, lang.value) if isinstance(c, str) else "" for c in table["code"]]
        table = table.rename(columns={"method": "match_method"})  # "method" names an analysis
        if "name_en" in table.columns:
            table["name_en"] = names
            table = table.rename(columns={"name_en": "name"})
    typer.echo(render(table, fmt, lang=lang.value), nl=False)
    typer.echo(report.summary(), err=True)
    for fuzzy in report.fuzzy.itertuples():
        typer.echo(
            f"fuzzy match: {fuzzy.input!r} (row {fuzzy.row}) -> {fuzzy.code} {fuzzy.name_en}, "
            f"score {fuzzy.score:.3f}",
            err=True,
        )
    if not report.ok:
        for line in report.problems:
            typer.echo(f"problem: {line}", err=True)
        raise typer.Exit(code=1)
