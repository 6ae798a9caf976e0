"""The workbook ``terraplan-tables.xlsx``: one formatted sheet per table, safe and reproducible.

Each sheet has a bold, frozen header row (put units in the column names, e.g.
``"value, million KZT"``), numbers formatted with thousands separators, empty cells where a value
is missing, and text cells neutralised against formula injection
(:func:`terraplan.report.sanitize.neutralize_frame`). A first sheet ``about`` lists every table
with the method, years and reference universe recorded in its ``attrs``.

The bytes are deterministic: fixed document timestamps and fixed dates inside the zip archive, so
two writes of the same tables are identical.

Example
-------
>>> import pandas as pd
>>> data = workbook_bytes({"indicators": pd.DataFrame({"region": ["KZ-35"], "value": [1.5]})})
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from terraplan.errors import OutputError
from terraplan.report.i18n import text
from terraplan.report.sanitize import atomic_path, neutralize_cell, neutralize_frame

#: Timestamp written into the workbook's properties and zip entries (reproducible bytes).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

_BAD_SHEET_CHARS = re.compile(r"[\[\]\:\*\?\/\\]")
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, no ``[]:*?/\\``).

    >>> sheet_name("shift/share [2021-2023]", set())
    'shift_share _2021-2023_'
    >>> sheet_name("x", {"x"})
    'x_2'
    """
    base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "sheet"
    base = base[:31]
    candidate, i = base, 2
    while candidate in taken:
        suffix = f"_{i}"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    return candidate


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _describe(frame: pd.DataFrame, lang: str = "en") -> str:
    if lang != "en":
        from terraplan.report.localize import describe_attrs

        return describe_attrs(frame, lang)
    keys = ("method", "indicator", "unit", "year", "base_year", "years", "reference")
    parts = [f"{k}: {frame.attrs[k]}" for k in keys if frame.attrs.get(k) not in (None, "")]
    return "; ".join(parts)


def workbook_bytes(
    tables: Mapping[str, pd.DataFrame], *, title: str = "terraplan", lang: str = "en"
) -> bytes:
    """Render ``tables`` (sheet name → DataFrame) as the bytes of an .xlsx file.

    The index is written only when it is named (e.g. ``region``). Text that looks like a
    formula is prefixed with an apostrophe; NaN becomes an empty cell.

    >>> import io, openpyxl, pandas as pd
    >>> frame = pd.DataFrame({"note": ["=1+1"], "value, t": [float("nan")]})
    >>> ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes({"t": frame})))["t"]
    >>> ws["A2"].value, ws["B2"].value, ws.freeze_panes
    ("'=1+1", None, 'A2')
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    about = wb.active
    about.title = text("sheet.about", lang)  # "about" in English
    about.append([text(f"col.{c}", lang).lower() if lang == "en" else text(f"col.{c}", lang)
                  for c in ("sheet", "rows", "description")])  # fmt: skip
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    taken = {about.title}
    for name, frame in tables.items():
        sheet = sheet_name(name, taken)
        taken.add(sheet)
        out = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
        safe = neutralize_frame(out)
        ws = wb.create_sheet(sheet)
        ws.append([_cell(neutralize_cell(str(c))) for c in safe.columns])
        for row in safe.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
        for idx, column in enumerate(safe.columns, start=1):
            letter = get_column_letter(idx)
            cell = ws.cell(row=1, column=idx)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            series = out.iloc[:, idx - 1]
            if pd.api.types.is_float_dtype(series):
                fmt = "#,##0.00"
            elif pd.api.types.is_integer_dtype(series) and not str(column).lower().startswith(
                ("year", "rank")
            ):
                fmt = "#,##0"
            else:
                fmt = None
            if fmt:
                for (c,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
                    c.number_format = fmt
            lengths = safe.iloc[:, idx - 1].astype(str).str.len()
            width = max([len(str(column)) * 0.9, *(lengths.tolist() or [0])])
            ws.column_dimensions[letter].width = min(max(8.0, width + 2), 60.0)
        ws.freeze_panes = "A2"
        about.append([sheet, len(safe), _cell(neutralize_cell(_describe(frame, lang)))])
    for c in about[1]:
        c.font, c.fill = header_font, header_fill
    about.freeze_panes = "A2"
    about.column_dimensions["A"].width = 24
    about.column_dimensions["C"].width = 100
    wb.properties.creator = "terraplan"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "terraplan"
    raw = io.BytesIO()
    wb.save(raw)
    return _normalize_zip(raw.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _normalize_zip(data: bytes) -> bytes:
    """Rewrite the archive with fixed entry dates and a fixed ``modified`` property.

    openpyxl stamps the current time into both when it saves.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


def write_workbook(
    tables: Mapping[str, pd.DataFrame], path: str | Path, *, title: str = "terraplan"
) -> Path:
    """Write ``tables`` to ``path`` (.xlsx) atomically and return the path.

    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> write_workbook({"t": pd.DataFrame({"a": [1]})}, p).stat().st_size > 0
    True
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: the workbook must have the extension .xlsx")
    data = workbook_bytes(tables, title=title)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
