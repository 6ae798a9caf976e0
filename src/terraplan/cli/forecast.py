"""CLI commands on the future: ``terraplan forecast`` and ``terraplan cascade``."""

from __future__ import annotations

from pathlib import Path

import typer

from terraplan.cli.app import app
from terraplan.cli.output import TableFormat, render


def _panel(path: Path | None, indicator: str | None):
    if path is None:
        from terraplan.datasets import kazakhstan

        return kazakhstan.panel(include_national=True)
    from terraplan.data.readers import read_table

    return read_table(path, indicator=indicator)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        from terraplan.report.sanitize import atomic_write_text

        atomic_write_text(output, text)


@app.command("forecast")
def forecast_command(
    indicator: str = typer.Argument(..., help="Indicator id (e.g. grp, unemployment_rate)."),
    to: int | None = typer.Option(None, "--to", help="Last forecast year (default: 3 ahead)."),
    method: str = typer.Option("auto", help="auto, naive, drift, trend, ses, holt, damped or ets."),
    harmonize: bool = typer.Option(
        False,
        "--harmonize/--no-harmonize",
        help="Split values on old borders onto the 2022 regions (flagged estimated).",
    ),
    as_of: int | None = typer.Option(None, "--as-of", help="Forecast from this year."),
    reconciliation: str = typer.Option("mint", help="mint, wls, ols, bottom_up or none."),
    allow_breaks: bool = typer.Option(
        False, "--allow-breaks", help="Fit across a break in the series (flagged)."
    ),
    backtest: bool = typer.Option(
        False, "--backtest", help="Print the rolling-origin back-test instead."
    ),
    panel: Path | None = typer.Option(
        None, "--panel", "-p", help="A statistics table (default: the bundled statistics)."
    ),
    sector: str = typer.Option("TOTAL", help="Sector of a sectoral indicator."),
    fmt: TableFormat = typer.Option(
        TableFormat.table, "--format", "-f", help="Output format: table, csv, json, markdown."
    ),
    output: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
) -> None:
    """Forecast an indicator for every region and the nation, with intervals that add up.

    Regional forecasts are reconciled with the national one (sums add up; rates meet the
    population-weighted mean). --method auto keeps exponential smoothing only where it beats
    the naive and drift methods in a back-test on the indicator's history, and says so.

    Example: terraplan forecast unemployment_rate --to 2029 --harmonize --format csv
    """
    from terraplan.analysis.forecast import backtest as run_backtest
    from terraplan.analysis.forecast import forecast

    data = _panel(panel, indicator)
    if backtest:
        table = run_backtest(data, indicator, sector=sector, harmonize=harmonize)
        _emit(render(table.round(4), fmt), output)
        return
    fc = forecast(
        data,
        indicator,
        to=to,
        method=method,
        harmonize=harmonize,
        as_of=as_of,
        reconciliation=reconciliation,
        allow_breaks=allow_breaks,
        sector=sector,
    )
    table = fc.table.drop(columns=["indicator", "sector"])
    _emit(render(table.round(4), fmt), output)
    info = fc.info
    rec = info["reconciliation"]
    lines = [
        f"{indicator}: origin {info['origin']}, method {info['method']}",
        info["method_choice"],
        f"reconciliation: {rec.get('method')}"
        + (f" ({rec['constraint']})" if "constraint" in rec else "")
        + (f"; {rec['fallback']}" if "fallback" in rec else ""),
        *info["notes"],
    ]
    typer.echo("\n".join(line for line in lines if line), err=True)


@app.command("cascade")
def cascade_command(
    indicator: str = typer.Argument(..., help="Indicator id (e.g. unemployment_rate)."),
    target: float = typer.Option(..., "--target", help="The national target."),
    year: int = typer.Option(..., "--year", help="Year of the target."),
    base_year: int = typer.Option(..., "--base-year", help="Year of the baselines."),
    rule: str = typer.Option(
        "proportional", help="proportional, equal_change, convergence or population."
    ),
    gap_closure: float = typer.Option(
        0.5, help="Share of the gap to the national level closed (convergence)."
    ),
    panel: Path | None = typer.Option(
        None, "--panel", "-p", help="A statistics table (default: the bundled statistics)."
    ),
    fmt: TableFormat = typer.Option(
        TableFormat.table, "--format", "-f", help="Output format: table, csv, json, markdown."
    ),
    output: Path | None = typer.Option(None, "--out", "-o", help="Write to this file."),
) -> None:
    """Propose regional targets that add up to a national target, by a declared rule.

    Each regional target is checked against the region's history: a yearly change beyond its
    5th-95th percentile is flagged beyond_history. Exits 1 when any target is flagged.

    Example: terraplan cascade unemployment_rate --target 4.5 --year 2029 --base-year 2025
    """
    from terraplan.plan.cascade import cascade

    table = cascade(
        _panel(panel, indicator),
        indicator,
        target=target,
        year=year,
        base_year=base_year,
        rule=rule,
        gap_closure=gap_closure,
    )
    _emit(render(table.drop(columns=["indicator"]).round(4), fmt), output)
    flagged = int((table["flag"] == "beyond_history").sum())
    typer.echo(
        f"{indicator} {year}: national target {target} ({table.attrs['constraint']}, "
        f"achieved {table.attrs['achieved']:.6g}); {flagged} regional target(s) beyond history",
        err=True,
    )
    if flagged:
        raise typer.Exit(code=1)
