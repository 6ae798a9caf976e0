"""CLI commands on the analyst's data: ``terraplan data diff``."""

from __future__ import annotations

from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render

data_app = typer.Typer(
    help="Your own data: compare a newly published file with the data in use.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")


INDICATOR_HELP = (
    "Indicator id of the file (else its sidecar FILE.toml, its indicator column or its name), "
    "e.g. gva for a new release of the Bureau's GVA table."
)


@data_app.command("diff")
def diff_command(
    file: Path = typer.Argument(..., help="The new file (CSV/XLSX, any table read_table reads)."),
    indicator: str | None = typer.Option(None, help=INDICATOR_HELP),
    sheet: str | None = typer.Option(None, help="Sheet of an XLSX file."),
    year: int | None = typer.Option(None, help="Year of a sectors-across table."),
    sector: str | None = typer.Option(None, help="Sector of the file's values (default TOTAL)."),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Run configuration: its [[data]] files are the data in use."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the region names (en, ru, kk)."),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """List every value of FILE that changed, was added or disappeared against the data in use.

    The data in use is the bundled data (national rows included) with the [[data]] files of
    --config; values are compared by region, year, indicator and sector, only for the
    indicators of FILE and, for disappeared values, only in the years FILE covers.

    Example: terraplan data diff gva-2024-release.xlsx --indicator gva --sheet 2023
    """
    from terraplan.config import load_config
    from terraplan.data.user import DataSource, data_diff, read_source
    from terraplan.datasets import kazakhstan
    from terraplan.pipeline import with_user_data
    from terraplan.territory.names import region_names

    options = {
        k: v for k, v in {"sheet": sheet, "year": year, "sector": sector}.items() if v is not None
    }
    new, record = read_source(DataSource(file=file, indicator=indicator, options=options))
    in_use, _ = with_user_data(kazakhstan.panel(include_national=True), load_config(config))
    table = data_diff(in_use, new)
    table.insert(1, "name", region_names(table["region"], lang).to_numpy())
    typer.echo(render(table, fmt), nl=False)
    counts = table.attrs["counts"]
    span = "; ".join(f"{k} {v}" for k, v in table.attrs["years"].items())
    typer.echo(
        f"{record['file']} against the data in use ({span}): {counts['changed']} changed, "
        f"{counts['added']} added, {counts['disappeared']} disappeared "
        f"of {table.attrs['compared']} values compared",
        err=True,
    )
