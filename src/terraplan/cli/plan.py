"""CLI commands on plans: ``terraplan check`` and ``terraplan monitor``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from terraplan.cli.app import app
from terraplan.cli.output import Language, TableFormat, render

if TYPE_CHECKING:
    import pandas as pd


def _print(frame: pd.DataFrame, fmt: TableFormat, output: Path | None, lang: str = "en") -> None:
    from terraplan.report.sanitize import atomic_write_text

    text = render(frame, fmt, lang=lang)
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)


@app.command("check")
def check_command(
    plan_file: Path = typer.Argument(..., help="Plan file (YAML).", metavar="PLAN"),
    fmt: TableFormat = typer.Option(
        TableFormat.table, "--format", "-f", help="Output format: table, csv, json, markdown."
    ),
    output: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Check a plan: the seven criteria of national projects, links, periods, targets, budget.

    Prints one row per finding (id, severity, element, message, fix). Exits 0 when there is no
    error (warnings allowed), 1 when there is at least one, 2 when the file does not validate.

    Example: terraplan check examples/plan-kazakhstan-2025.yaml --format markdown
    """
    from terraplan.plan.checks import check_plan
    from terraplan.plan.model import load_plan

    findings = check_plan(load_plan(plan_file))
    if findings.empty and fmt in (TableFormat.table, TableFormat.markdown) and output is None:
        typer.echo("no findings")
    else:
        if fmt is TableFormat.table or (fmt is TableFormat.markdown and lang is not Language.en):
            findings = findings.rename(columns={"id": "finding"})  # "id" names a source elsewhere
        _print(findings, fmt, output, lang.value)
    errors, warnings = findings.attrs["errors"], findings.attrs["warnings"]
    typer.echo(f"{plan_file}: {errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        raise typer.Exit(code=1)


@app.command("monitor")
def monitor_command(
    plan_file: Path = typer.Argument(..., help="Plan file (YAML).", metavar="PLAN"),
    panel: Path | None = typer.Option(
        None,
        "--panel",
        "-p",
        help="Actual values: a CSV/XLSX statistics table (default: the bundled statistics).",
    ),
    indicator: str | None = typer.Option(
        None, help="Indicator id of the panel file's values, when the file does not name it."
    ),
    on_track: float = typer.Option(0.9, help="Progress from which a value is on track."),
    at_risk: float = typer.Option(0.5, help="Progress from which a value is at risk."),
    forecast: bool = typer.Option(
        False,
        "--forecast",
        help="Forecast each indicator and add p_target and a forecast-based status.",
    ),
    as_of: int | None = typer.Option(
        None, "--as-of", help="Monitor as of this year (later values are ignored)."
    ),
    fmt: TableFormat = typer.Option(
        TableFormat.table, "--format", "-f", help="Output format: table, csv, json, markdown."
    ),
    output: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
    lang: Language = typer.Option(
        Language.en, "--lang", help="Language of a table for people (table, markdown)."
    ),
) -> None:
    """Progress toward target for every indicator, region and year of a plan.

    progress = (actual - baseline) / (target - baseline); on_track from 0.9, at_risk from 0.5,
    off_track below (see docs/planning.md). --forecast adds the forecast of each later year,
    its 80 % interval, the probability of reaching the target and a forecast-based status
    (likely from 0.75, unlikely below 0.25; docs/forecasts.md).

    Example: terraplan monitor examples/plan-kazakhstan-2025.yaml --as-of 2023 --forecast
    """
    from terraplan.plan.model import load_plan
    from terraplan.plan.monitor import monitor

    plan = load_plan(plan_file)
    if panel is None:
        from terraplan.datasets import kazakhstan

        actual = kazakhstan.panel(include_national=True)
    else:
        from terraplan.data.readers import read_table

        actual = read_table(panel, indicator=indicator)
    table = monitor(
        plan, actual, on_track=on_track, at_risk=at_risk, forecast=forecast, as_of=as_of
    )
    _print(table, fmt, output, lang.value)
    counts = table["status"].value_counts().sort_index()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing to monitor"
    if forecast:
        ahead = table["forecast_status"].value_counts().sort_index()
        summary += "; forecast: " + ", ".join(f"{n} {s}" for s, n in ahead.items())
    typer.echo(f"{plan_file}: {summary}", err=True)
