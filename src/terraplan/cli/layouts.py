"""CLI commands on layouts and rasters: ``terraplan harmonize`` and ``terraplan zonal``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import Language, TableFormat, render


class Kind(StrEnum):
    """What a raster cell holds."""

    count = "count"
    density = "density"


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    from terraplan.report.sanitize import atomic_write_text, safe_output_path

    target = safe_output_path(out.parent if str(out.parent) else Path("."), out.name)
    atomic_write_text(target, text)
    typer.echo(f"wrote {target}", err=True)


def _read_panel(file: Path):
    """A panel keyed by registry codes is taken as is (it may mix layouts, as harmonize
    expects); anything else goes through the reader, which matches region names."""
    import numpy as np

    from terraplan.data.panel import NATIONAL, validate_panel
    from terraplan.data.readers import read_frame, read_table
    from terraplan.territory.registry import regions

    frame = read_frame(file)
    codes = {*regions(None).index, NATIONAL}
    if {"region", "year", "indicator", "value"} <= set(frame.columns) and frame["region"].isin(
        codes
    ).all():
        frame = frame.reset_index(drop=True).replace({"value": {"": np.nan}})
        return validate_panel(frame, name=str(file))
    return read_table(file, shape="long")


@app.command("harmonize")
def harmonize_command(
    file: Path = typer.Argument(
        ..., help="Tidy panel (CSV or XLSX): region, year, indicator, sector, value, unit, flag."
    ),
    to: str = typer.Option("KZ-2022", "--to", help="Target layout: KZ-2022, KZ-2018 or KZ-1997."),
    weights: str | None = typer.Option(
        None, help="Indicator id weighting rates (e.g. population), from the file or bundled."
    ),
    shares: str | None = typer.Option(
        None,
        help="Indicator id whose shares split old units (default: the indicator's own shares "
        "in the first year the new units are published).",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the CSV here, not stdout."),
) -> None:
    """Bring a panel onto one layout: sums (or weighted means) for old units, flagged estimates
    for split ones.

    Example: terraplan harmonize gva.csv --to KZ-2018 --out gva-2018.csv
    """
    from terraplan.data.harmonize import harmonize

    panel = _read_panel(file)
    result = harmonize(panel, to=to, weights=weights, shares=shares)
    estimated = int(result["flag"].str.contains("estimated").sum())
    _emit(render(result, TableFormat.csv), out)
    typer.echo(f"{len(result)} rows on {to}; {estimated} estimated by splitting", err=True)


@app.command("zonal")
def zonal_command(
    raster: Path = typer.Argument(..., help="Raster file (GeoTIFF or anything GDAL reads)."),
    stat: list[str] = typer.Option(
        ["sum", "mean", "count", "share_valid"],
        "--stat",
        "-s",
        help="Statistic (repeat): sum, mean, min, max, count, share_valid.",
    ),
    layout: str = typer.Option("KZ-2022", help="Regions of a layout: KZ-2022, KZ-2018, KZ-1997."),
    zones: Path | None = typer.Option(
        None, help="Zones file (GeoJSON, GeoPackage, ...) with a 'code' column, not a layout."
    ),
    resolution: str = typer.Option("full", help="Region polygons: full or simplified."),
    kind: Kind = typer.Option(Kind.count, help="Cell values are counts or densities (per km²)."),
    band: int = typer.Option(1, help="Band number."),
    per_capita: bool = typer.Option(
        False, "--per-capita", help="Add sum per person (bundled population of --year)."
    ),
    indicator: str | None = typer.Option(
        None, help="Print a tidy panel of the first --stat under this indicator id (needs --year)."
    ),
    year: int | None = typer.Option(None, help="Year of the data (for --indicator, --per-capita)."),
    unit: str = typer.Option("", help="Unit of the indicator (with --indicator)."),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write here, not stdout."),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Summarize a raster per region with exact cell coverage at the borders.

    Example: terraplan zonal lights.tif --stat sum --indicator night_lights --year 2023 -f csv
    """
    from terraplan.analysis.zonal import zonal_panel, zonal_stats
    from terraplan.errors import InputError

    if indicator is not None and year is None:
        raise InputError("--indicator needs --year (the year the raster shows)")
    target = layout
    if zones is not None:
        import geopandas as gpd

        if not zones.is_file():
            raise InputError(f"zones file {zones} does not exist")
        target = gpd.read_file(zones)
    result = zonal_stats(
        raster,
        target,
        stats=stat,
        kind=kind.value,
        band=band,
        per_capita=per_capita,
        year=year,
        resolution=resolution,
    )
    if indicator is not None:
        result = zonal_panel(result, indicator, year, unit=unit, stat=stat[0])
    _emit(render(result, fmt, lang=lang.value), out)
