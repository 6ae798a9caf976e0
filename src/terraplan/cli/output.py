"""How commands print tables: an aligned ``table``, ``csv``, ``json`` or ``markdown``, formula-safe.

``table`` (and ``markdown`` when a language is given) is for people: headers in words with units,
category values and sector names in the chosen language (``--lang en|ru|kk``), numbers rounded
and formatted per locale, numbers right-aligned (drawn with rich). ``csv`` and ``json`` are for
programs: identifiers as column names and full precision, whatever the language.

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


class Language(StrEnum):
    """Languages of the words in tables for people."""

    en = "en"
    ru = "ru"
    kk = "kk"


def render(
    frame: pd.DataFrame,
    fmt: str | TableFormat,
    *,
    lang: str | None = None,
    columns: list[str] | None = None,
) -> str:
    """Render ``frame`` as text in the chosen format (index is dropped; reset it first).

    ``table`` is an aligned table for people in ``lang`` (default English; see
    :func:`people_table`); ``markdown`` writes missing values as empty cells, makes user text
    literal (HTML, pipes, backslashes, backticks and link syntax escaped, line breaks joined)
    and, in Russian and Kazakh, shows the same words and rounded numbers as ``table`` (in
    English it keeps the column ids, as documents built from it expect); ``csv`` and
    ``markdown`` neutralize cells that a spreadsheet would run as formulas. ``columns`` picks the
    columns a table for people shows (after the values were put in words, so evidence sentences
    can be rebuilt from columns not shown); ``csv`` and ``json`` show every column.

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
    from terraplan.report.sanitize import neutralize_frame

    fmt = TableFormat(fmt)
    if fmt is TableFormat.table:
        return people_table(frame, lang or "en", columns=columns)
    if fmt is TableFormat.markdown and lang not in (None, "en"):
        frame = people_cells(frame, lang, columns=columns)
    if fmt is TableFormat.csv:
        return neutralize_frame(frame).to_csv(index=False, lineterminator="\n")
    if fmt is TableFormat.json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    import pandas as pd

    safe = neutralize_frame(frame).astype(object)  # markdown
    cells = safe.where(safe.notna(), "").astype(str).apply(_markdown_cells)
    head = "| " + " | ".join(_markdown_cells(pd.Series(safe.columns, dtype=str))) + " |"
    rule = "|" + "|".join("---" for _ in safe.columns) + "|"
    body = ["| " + " | ".join(row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


#: Integer columns that are labels, not quantities (no thousands separator).
_LABEL_INTEGERS = ("year", "base_year", "rank", "cluster", "type", "valid_from", "valid_until",
                   "baseline_year", "element", "k", "n_regions", "region_id")  # fmt: skip
#: Columns shown with three decimals.
_P_VALUES = ("p_sim", "p_adjusted", "p_value", "stability", "silhouette")


def _decimals(values) -> int:
    import numpy as np

    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return 0
    top = float(finite.max())
    return 0 if top >= 1000 else 1 if top >= 100 else 2


def people_cells(
    frame: pd.DataFrame, lang: str = "en", *, columns: list[str] | None = None
) -> pd.DataFrame:
    """``frame`` as text cells for people: values in words, numbers rounded per locale, shares
    in percent, headers in words with units.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"sector": ["B"], "share": [0.1234], "lq": [1.5]})
    >>> people_cells(f, "ru").iloc[0].tolist()
    ['B', '12,3\xa0%', '1,50']
    >>> list(people_cells(f, "en").columns)
    ['Sector (OKED)', 'Share in region, %', 'Location quotient']
    """
    import numpy as np
    import pandas as pd

    from terraplan.report.i18n import number, percent
    from terraplan.report.i18n import unit as translate_unit
    from terraplan.report.localize import (
        AMOUNT_COLUMNS,
        FRACTION_COLUMNS,
        header,
        localize_frame,
    )

    full_unit = str(frame.attrs.get("unit", "")) if isinstance(frame.attrs.get("unit"), str) else ""
    unit_words = translate_unit(full_unit, lang) if full_unit else ""
    words = localize_frame(frame, lang, unit_text=translate_unit(full_unit.split(",")[0], lang))
    words.columns = list(frame.columns)
    shown = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for column in shown:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            cells = words[column].map(
                lambda v: (
                    ""
                    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                    else str(v)
                )
            )
        elif column in FRACTION_COLUMNS or column in ("surplus", "relative_growth"):
            cells = values.map(lambda v: percent(100 * v, 1, lang) if pd.notna(v) else "–")
        elif pd.api.types.is_integer_dtype(values) and (
            column in _LABEL_INTEGERS or column.endswith("_year")
        ):
            cells = values.map(lambda v: str(v) if pd.notna(v) else "–")
        else:
            as_float = values.astype(float)
            dec = (
                3
                if column in _P_VALUES
                else (
                    0 if pd.api.types.is_integer_dtype(values) else _decimals(as_float.to_numpy())
                )
            )
            cells = as_float.map(lambda v, d=dec: number(v, d, lang))
        out[header(column, lang, unit_words if column in AMOUNT_COLUMNS else "")] = cells
    return out.reset_index(drop=True)


def people_table(frame: pd.DataFrame, lang: str = "en", *, columns: list[str] | None = None) -> str:
    """An aligned plain-text table for people (rich, no colours): words and units in the
    headers, numbers right-aligned and rounded per locale.

    >>> import pandas as pd
    >>> print(people_table(pd.DataFrame({"region": ["KZ-35"], "lq": [1.5]}), "ru"), end="")
     Код региона   Коэффициент локализации
    ───────────────────────────────────────
     KZ-35                            1,50
    """
    import io
    import os

    import pandas as pd
    from rich import box
    from rich.console import Console
    from rich.table import Table

    cells = people_cells(frame, lang, columns=columns)
    shown = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in shown
    ]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=True, highlight=False)
    for title, right in zip(cells.columns, numeric, strict=True):
        table.add_column(str(title), justify="right" if right else "left", overflow="fold")
    for row in cells.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    width = int(os.environ.get("COLUMNS", "0") or 0) or 160
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False,
                      emoji=False, markup=False, highlight=False)  # fmt: skip
    console.print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines) + "\n"
