"""CLI commands on the territory: ``terraplan regions`` and ``terraplan match``."""

from __future__ import annotations

from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render


@app.command("regions")
def regions_command(
    layout: str = typer.Option(
        "KZ-2022", help="Layout: KZ-2022 (20 units), KZ-2018, KZ-1997, or 'all' (with historic)."
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """List the region registry: codes, names in four languages, kind, centre, validity.

    Example: terraplan regions --format csv > regions.csv
    """
    from terraplan.territory.registry import regions

    table = regions(None if layout == "all" else layout).reset_index()
    if fmt is TableFormat.table:
        table = table[
            [
                "code",
                "kind",
                "name_en",
                "name_ru",
                "name_kk",
                "admin_centre_en",
                "valid_from",
                "valid_until",
                "area_km2",
            ]
        ]
    typer.echo(render(table, fmt), nl=False)


@app.command("match")
def match_command(
    file: Path = typer.Argument(..., help="CSV or XLSX file with a column of region names."),
    column: str = typer.Option(..., "--column", "-c", help="Column holding region names."),
    layout: str | None = typer.Option(None, help="Restrict to a layout (e.g. KZ-2022)."),
    year: int | None = typer.Option(None, help="Use the layout in force in this year."),
    sheet: str | None = typer.Option(None, help="Sheet name of an XLSX file."),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Match the region names in FILE's COLUMN and print how each one matched.

    Exits 1 when a name did not match exactly one region (the report says which, with
    suggestions), 0 when all matched.

    Example: terraplan match data.csv --column Region
    """
    from terraplan.data.readers import read_frame
    from terraplan.errors import InputError
    from terraplan.territory.names import match_regions

    frame = read_frame(file, sheet=sheet)
    if column not in frame.columns:
        raise InputError(
            f"file {file}: no column {column!r}; the columns are {list(frame.columns)}"
        )
    from terraplan.data.readers.headers import split_mark

    # footnote marks glued to names ("Туркестанская2)") are not part of the name
    values = [split_mark(value)[0] for value in frame[column].tolist()]
    report = match_regions(values, layout=layout, year=year, context=str(file))
    table = report.to_frame()
    table.insert(0, "row", range(1, len(table) + 1))
    typer.echo(render(table, fmt), nl=False)
    typer.echo(report.summary(), err=True)
    if not report.ok:
        for line in report.problems:
            typer.echo(f"problem: {line}", err=True)
        raise typer.Exit(code=1)
