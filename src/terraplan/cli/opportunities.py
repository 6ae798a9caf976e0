"""CLI command ``terraplan opportunities``: what a region can realistically develop next."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render


class PresetOption(StrEnum):
    """Weights of the opportunity score (docs/opportunities.md)."""

    low_hanging = "low-hanging"
    balanced = "balanced"
    long_jumps = "long-jumps"


class LangOption(StrEnum):
    """Language of the table and chart."""

    en = "en"
    ru = "ru"
    kk = "kk"


@app.command("opportunities")
def opportunities_command(
    region: str = typer.Argument(..., help="Region code or any spelling of its name."),
    year: int | None = typer.Option(
        None, help="Year of the structure (default: latest complete, non-preliminary year)."
    ),
    base_year: int | None = typer.Option(
        None, help="Start of the growth period and of the pooled proximity (default: 2021)."
    ),
    preset: PresetOption = typer.Option(
        PresetOption.balanced,
        help="low-hanging: close to what the region does; balanced; long-jumps: complex sectors.",
    ),
    top: int = typer.Option(10, help="Rows shown."),
    lang: LangOption = typer.Option(LangOption.en, help="Language of the table and chart."),
    indicator: str = typer.Option("gva", help="Sectoral indicator of the bundled panel."),
    chart: Path | None = typer.Option(
        None, help="Write the relative-presence × fit chart here (.png or .svg)."
    ),
    density_map: str | None = typer.Option(
        None, "--density-map", help="Sector code: map every region's density in it (--map-out)."
    ),
    map_out: Path | None = typer.Option(None, help="File of the density map (.png or .svg)."),
    pci: Path | None = typer.Option(
        None, help="CSV with columns sector, pci: an external PCI for the complexity component."
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Growth opportunities of one region: sectors it is not yet specialized in, scored by
    feasibility (relatedness density, peers, neighbours) and attractiveness (national growth,
    complexity, opportunity gain, size), with the evidence. See docs/opportunities.md.

    Example: terraplan opportunities Karaganda --year 2023 --base-year 2021 --preset low-hanging
    """
    from terraplan.analysis.complexity import complexity
    from terraplan.analysis.opportunities import opportunity_table
    from terraplan.datasets import kazakhstan
    from terraplan.errors import InputError
    from terraplan.pipeline import default_years
    from terraplan.report.opportunities import density_map as draw_density_map
    from terraplan.report.opportunities import quadrant_chart, shortlist
    from terraplan.report.sanitize import atomic_write_bytes
    from terraplan.territory.names import match_regions

    report = match_regions([region])
    report.raise_for_problems()
    code = str(report.codes.iloc[0])
    if (density_map is None) != (map_out is None):
        raise InputError("--density-map SECTOR and --map-out FILE go together; give both")
    for path in (chart, map_out):
        if path is not None and path.suffix.lower() not in (".png", ".svg"):
            raise InputError(f"{path}: write the chart or map as .png or .svg")
    panel = kazakhstan.panel([indicator, "grp"])
    default_year, default_base = default_years(panel)
    year = year or default_year
    base_year = base_year or default_base
    external = None if pci is None else _read_pci(pci)
    table = opportunity_table(
        panel, year, base_year, preset=preset.value, indicator=indicator, pci=external
    )
    mine = table[(table["region"] == code) & table["candidate"]]
    if mine.empty and code not in set(table["region"]):
        raise InputError(f"region {code} has no {indicator} data in {year}")
    out = shortlist(mine, lang.value, top=top)
    typer.echo(render(out, fmt), nl=False)
    checks = complexity(panel, year, indicator=indicator)
    typer.echo(f"{table.attrs['method']}; preset {preset.value}; {base_year}-{year}", err=True)
    for note in table.attrs.get("notes", []):
        typer.echo(f"note: {note}", err=True)
    for warning in checks.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if chart is not None:
        data = quadrant_chart(table, code, lang.value, fmt=chart.suffix.lower().lstrip("."))
        atomic_write_bytes(chart, data)
        typer.echo(f"chart: {chart}", err=True)
    if density_map is not None and map_out is not None:
        data = draw_density_map(
            table, density_map, lang.value, fmt=map_out.suffix.lower().lstrip(".")
        )
        atomic_write_bytes(map_out, data)
        typer.echo(f"density map: {map_out}", err=True)


def _read_pci(path: Path) -> dict[str, float]:
    """``{sector: pci}`` from a CSV with columns ``sector`` and ``pci`` (every problem listed)."""
    import pandas as pd

    from terraplan.errors import InputError

    if not path.is_file():
        raise InputError(f"--pci {path}: no such file")
    try:
        table = pd.read_csv(path, dtype={"sector": str})
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"--pci {path}: cannot read it as CSV ({exc})") from None
    missing = [c for c in ("sector", "pci") if c not in table.columns]
    if missing:
        raise InputError(
            f"--pci {path}: missing column(s) {missing} (columns: {list(table.columns)}); the "
            "file needs 'sector' (OKED section letter) and 'pci'"
        )
    values = pd.to_numeric(table["pci"], errors="coerce")
    problems = []
    bad = table.loc[values.isna(), "sector"].tolist()
    if bad:
        problems.append(f"non-numeric pci for sector(s) {bad}")
    twice = sorted(table.loc[table["sector"].duplicated(), "sector"].unique())
    if twice:
        problems.append(f"sector(s) listed twice: {twice}")
    if problems:
        raise InputError(f"--pci {path}: " + "; ".join(problems))
    return dict(zip(table["sector"].str.strip(), values, strict=True))
