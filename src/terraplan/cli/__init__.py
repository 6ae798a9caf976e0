"""The ``terraplan`` command line. Each command module registers its commands on one app.

Commands hold no logic of their own: they parse options, call the public functions, and print.
Heavy libraries (geopandas, scikit-learn) are imported inside the commands, so ``--help`` is fast.

Exit codes: 0 success; 1 the command ran and found problems (unmatched names, failed checks);
2 bad input or usage (the message says what, where and how to fix).
"""

from __future__ import annotations

import sys

from terraplan.cli import (  # noqa: F401
    analysis,
    composite,
    data,
    forecast,
    layouts,
    opportunities,
    plan,
    report,
    spatial,
    territory,
)
from terraplan.cli.app import app
from terraplan.errors import TerraplanError


def main() -> None:
    """Entry point of the ``terraplan`` console script."""
    try:
        app()
    except TerraplanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
