"""How commands print tables: ``csv``, ``json`` or an aligned ``table``, always formula-safe.

Example
-------
>>> import pandas as pd
>>> from terraplan.cli.output import render
>>> print(render(pd.DataFrame({"region": ["KZ-35"], "lq": [1.5]}), "csv"), end="")
region,lq
KZ-35,1.5
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the commands that render, not by --help
    import pandas as pd


class TableFormat(StrEnum):
    """Output formats of the table-printing commands."""

    table = "table"
    csv = "csv"
    json = "json"


def render(frame: pd.DataFrame, fmt: str | TableFormat) -> str:
    """Render ``frame`` as text in the chosen format (index is dropped; reset it first)."""
    import pandas as pd

    from terraplan.report.sanitize import neutralize_frame

    fmt = TableFormat(fmt)
    if fmt is TableFormat.csv:
        return neutralize_frame(frame).to_csv(index=False, lineterminator="\n")
    if fmt is TableFormat.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return frame.to_string(index=False) + "\n"
