"""The typer application object that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="terraplan",
    help=(
        "terraplan: regional statistics on region boundaries, competitive advantages, "
        "typologies, plan checks, maps and region profiles.\n\n"
        "Examples:\n\n"
        "  terraplan build                      # the whole analysis on the bundled data\n\n"
        "  terraplan regions --format csv       # the region registry\n\n"
        "  terraplan match data.csv --column region"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
