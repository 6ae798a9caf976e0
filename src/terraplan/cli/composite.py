"""CLI command of composite indices: ``terraplan index [FRAMEWORK.yaml]``."""

from __future__ import annotations

from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render


def _read_groups(path: Path):
    """Unit -> group from a CSV with a ``region`` (or ``unit``) and a ``group`` column."""
    from terraplan.errors import InputError

    table = _read_data(path, option="--groups")
    key = "region" if "region" in table.columns else "unit"
    if key not in table.columns or "group" not in table.columns:
        raise InputError(
            f"--groups {path}: needs a 'region' (or 'unit') and a 'group' column "
            f"(columns: {list(table.columns)})"
        )
    return table.set_index(table[key].astype(str).str.strip())["group"].astype(str)


def _read_data(path: Path, option: str = "--data"):
    """A tidy CSV (``region`` or ``unit``, ``year``, ``indicator``, ``value``)."""
    import pandas as pd

    from terraplan.errors import InputError

    try:
        return pd.read_csv(path, dtype={"region": str, "unit": str, "indicator": str})
    except FileNotFoundError:
        raise InputError(f"{option} {path}: no such file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{option} {path}: cannot read it as CSV ({exc})") from None


@app.command("index")
def index_command(
    framework: Path | None = typer.Argument(
        None,
        help="Framework YAML (pillars, indicators, choices); default: the bundled "
        "regional development index of Kazakhstan.",
    ),
    year: int | None = typer.Option(None, help="Year (default: latest with enough coverage)."),
    uncertainty: int = typer.Option(
        1000, "--uncertainty", "-u", min=0, help="Monte Carlo runs (0: no uncertainty analysis)."
    ),
    seed: int = typer.Option(0, help="Seed of the Monte Carlo design."),
    data: Path | None = typer.Option(
        None,
        help="Tidy CSV of indicator values (region or unit, year, indicator, value); "
        "default: the bundled statistics.",
    ),
    groups: Path | None = typer.Option(
        None,
        help="CSV of region (or unit) and group, for the mean_by_group and median_by_group "
        "imputations.",
    ),
    lang: str = typer.Option("en", help="Language of names, chart and map: en, ru, kk."),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Folder for the rank chart (PNG, SVG), the map (regions only) "
        "and the workbook of every table.",
    ),
    fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """A composite index with rank intervals, Sobol indices and a statistical audit.

    Prints each unit's index, rank, median rank and 5-95 % rank interval over the Monte Carlo
    runs, and the pillar scores; the choices varied, the number of runs, the choice that moves
    the ranks most and the audit's warnings go to stderr. See docs/composite.md.

    Example: terraplan index --uncertainty 10000 --out index-2022
    """
    from terraplan.analysis.composite.inputs import framework_panel
    from terraplan.analysis.composite.summary import composite_tables
    from terraplan.data.framework import bundled_framework, load_framework
    from terraplan.report.composite import unit_name
    from terraplan.report.i18n import check_language

    check_language(lang)
    fw = bundled_framework() if framework is None else load_framework(framework)
    panel = framework_panel(fw, None if data is None else _read_data(data))
    by_group = None if groups is None else _read_groups(groups)
    tables = composite_tables(fw, panel, year=year, runs=uncertainty, seed=seed, groups=by_group)
    table = tables["index"]
    shown = table.copy()
    shown.insert(1, "name", [unit_name(u, lang) for u in shown["unit"]])
    if out is not None:
        _write(out, tables, fw, lang)
    typer.echo(render(shown.round(3), fmt), nl=False)
    attrs = table.attrs
    typer.echo(
        f"framework: {fw.id}; year: {attrs['year']}; choices: "
        + ", ".join(
            f"{k}={attrs[k]}"
            for k in ("imputation", "outliers", "normalisation", "weights", "aggregation")
        ),
        err=True,
    )
    if uncertainty:
        typer.echo(f"runs: {attrs['runs']}; varied: {attrs['varied']}", err=True)
        drivers = tables["drivers"]
        top = drivers.iloc[0]
        typer.echo(
            f"drives the ranks most: {top['factor']} (mean total Sobol index "
            f"{top['total']:.2f}, first order {top['first']:.2f})",
            err=True,
        )
    for note in table.attrs.get("notes", []):
        typer.echo(f"note: {note}", err=True)
    for warning in tables["warnings"]["warning"]:
        typer.echo(f"audit: {warning}", err=True)


def _write(out: Path, tables: dict, fw, lang: str) -> None:
    """Chart, map (when every unit is a region of the bundled boundaries) and workbook."""
    from terraplan.report.composite import index_layers, rank_chart
    from terraplan.report.i18n import text
    from terraplan.report.sanitize import atomic_write_bytes, atomic_write_text, safe_output_path
    from terraplan.report.workbook import workbook_bytes

    table = tables["index"]
    names = tables["labels"].set_index("id")[f"name_{lang}"].to_dict()
    name = names.get(fw.id, fw.id)
    year = table.attrs["year"]
    title = text("ci_chart_title", lang, name=name, year=year)
    files: dict[str, bytes | str] = {
        f"{fw.id}-ranks.png": rank_chart(table, title=title, lang=lang, fmt="png"),
        f"{fw.id}-ranks.svg": rank_chart(table, title=title, lang=lang, fmt="svg"),
        f"{fw.id}.xlsx": workbook_bytes(tables, title=f"terraplan: {name}"),
    }
    from terraplan.territory.registry import regions

    if set(table["unit"]) <= set(regions(None).index):
        from terraplan.report.maps import interactive_map

        layers = index_layers(table, name=f"{name}, {year}", lang=lang)
        files[f"{fw.id}-map.html"] = interactive_map(
            layers, lang=lang, title=f"terraplan: {name}", offline=True
        )
    out.mkdir(parents=True, exist_ok=True)
    for file, content in files.items():
        target = safe_output_path(out, file)
        if isinstance(content, bytes):
            atomic_write_bytes(target, content)
        else:
            atomic_write_text(target, content)
    typer.echo(f"wrote {len(files)} files to {out}/", err=True)
