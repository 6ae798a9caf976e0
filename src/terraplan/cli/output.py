"""How commands print tables: an aligned ``table``, ``csv``, ``json`` or ``markdown``, formula-safe.

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
    markdown = "markdown"


def _markdown_cells(column: pd.Series) -> pd.Series:
    """Text cells made literal in a Markdown table (vectorized over the column)."""
    out = column.str.replace("&", "&amp;", regex=False)
    out = out.str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)
    out = out.str.replace(r"([\\|`])", r"\\\1", regex=True)
    out = out.str.replace("](", "\\](", regex=False)
    return out.str.replace(r"\r\n|\r|\n", " ", regex=True)


def render(frame: pd.DataFrame, fmt: str | TableFormat) -> str:
    """Render ``frame`` as text in the chosen format (index is dropped; reset it first).

    ``table`` left-aligns text columns; ``markdown`` writes missing values as empty cells and
    makes user text literal (HTML, pipes, backslashes, backticks and link syntax escaped, line
    breaks joined); ``csv`` and ``markdown`` neutralize cells that a spreadsheet would run as
    formulas.

    >>> import pandas as pd
    >>> print(render(pd.DataFrame({"region": ["KZ-35"], "note": ["a|b"]}), "markdown"), end="")
    | region | note |
    |---|---|
    | KZ-35 | a\\|b |
    >>> print(render(pd.DataFrame({"name": ["<script>", None]}), "markdown"), end="")
    | name |
    |---|
    | &lt;script&gt; |
    |  |
    """
    import pandas as pd

    from terraplan.report.sanitize import neutralize_frame

    fmt = TableFormat(fmt)
    if fmt is TableFormat.csv:
        return neutralize_frame(frame).to_csv(index=False, lineterminator="\n")
    if fmt is TableFormat.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt is TableFormat.markdown:
        safe = neutralize_frame(frame).astype(object)
        cells = safe.where(safe.notna(), "").astype(str).apply(_markdown_cells)
        head = "| " + " | ".join(_markdown_cells(pd.Series(safe.columns, dtype=str))) + " |"
        rule = "|" + "|".join("---" for _ in safe.columns) + "|"
        body = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
        return "\n".join([head, rule, *body]) + "\n"
    formatters = {}
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object:
            width = max(len(str(column)), int(frame[column].astype(str).str.len().max() or 0))
            formatters[column] = lambda value, width=width: str(value).ljust(width)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        return frame.to_string(index=False, justify="left", formatters=formatters) + "\n"
