"""Read one table from a CSV or XLSX file into a frame of strings, finding its header row.

Statistics offices publish tables for people: a title, a unit line and blank rows sit above the
header, notes ("* preliminary data") below the table, header cells are merged. ``read_frame``
finds the table inside, keeps every cell as stripped text (numbers are parsed later, where the
missing-value marks can be recorded) and says where each row came from: the frame's index is the
row number in the file.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "grp.csv"
>>> _ = path.write_text("GRP, million KZT\\n\\nRegion;2022;2023\\nAkmola;10,5;11\\n", "utf-8")
>>> frame = read_frame(path)
>>> frame.to_dict("index")
{4: {'Region': 'Akmola', '2022': '10,5', '2023': '11'}}
>>> frame.attrs["source"]["header_row"], frame.attrs["source"]["separator"]
(3, ';')
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from terraplan.data.readers.headers import year_header
from terraplan.errors import DataFormatError

#: Separators tried when ``sep`` is not given, in order of preference on a tie.
SEPARATORS: tuple[str, ...] = ("\t", ";", ",")
#: Encodings tried in turn when ``encoding`` is not given (UTF-16 is used only with its BOM).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1251")

_SAMPLE_CHARS = 65_536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx or as 'CSV UTF-8'"

# A merged range as (first row, first column, last row, last column), 0-based grid positions.
Merge = tuple[int, int, int, int]


def _decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    """Return the text and the encoding that decoded it; refuse binary or undecodable bytes."""
    if encoding is not None:
        tried: tuple[str, ...] = (encoding,)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tried = ("utf-16",)
    else:
        tried = ENCODINGS
    for name in tried:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        except LookupError as exc:
            raise DataFormatError(
                f"unknown encoding {name!r}; use e.g. encoding='utf-8' or encoding='cp1251'",
                path=str(path),
            ) from exc
        control = _CONTROL.search(text)
        if control is not None:
            line = text.count("\n", 0, control.start()) + 1
            raise DataFormatError(
                f"this is not a text table: it holds binary data (control character "
                f"{control.group()!r} on line {line}). If it is a spreadsheet, {_SAVE_AS}",
                path=str(path),
            )
        if name == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
            name = "utf-8"
        return text, name
    raise DataFormatError(
        f"the bytes cannot be decoded as {' or '.join(tried)}. Fix: pass the file's encoding "
        f"(encoding='koi8-r', ...) or {_SAVE_AS}",
        path=str(path),
    )


def _field_counts(sample: str, sep: str) -> np.ndarray:
    try:
        return np.array([len(r) for r in csv.reader(io.StringIO(sample), delimiter=sep)], int)
    except csv.Error:
        return np.zeros(0, int)


def _sniff_separator(text: str) -> str:
    """Pick the separator that splits the most sample rows into the same number (>1) of fields.

    >>> _sniff_separator("a;b;c\\n1,5;2,5;3,5\\n")
    ';'
    >>> _sniff_separator("region,value\\nAkmola,1\\n")
    ','
    """
    sample = text[:_SAMPLE_CHARS]
    cut = sample.rfind("\n")
    sample = sample[:cut] if cut > 0 and len(text) > _SAMPLE_CHARS else sample
    best, best_score = ",", 0
    for sep in SEPARATORS:
        counts = _field_counts(sample, sep)
        counts = counts[counts > 1]
        if counts.size == 0:
            continue
        score = int((counts == np.bincount(counts).argmax()).sum())
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_grid(text: str, sep: str, path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Split the text into a rectangular grid of strings and the file row of each grid row."""
    lines = text.splitlines()
    width = max(1, int(_field_counts("\n".join(lines[:200]), sep).max(initial=1)))
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            index_col=False,
            names=range(width),
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        grid = None
    if grid is not None and len(grid) == len(lines):
        return grid, np.arange(1, len(grid) + 1)
    # Rows wider than the sample, or quoted cells spanning lines: parse record by record.
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error as exc:
        raise DataFormatError(
            f"the CSV is malformed: {exc}. Fix: check the quotes on this line",
            path=str(path),
            row=reader.line_num,
        ) from exc
    first = np.array([0, *ends], int)[:-1] + 1
    width = max((len(r) for r in records), default=1)
    cells = np.full((len(records), width), "", dtype=object)
    for i, record in enumerate(records):
        cells[i, : len(record)] = record
    return pd.DataFrame(cells), first


def _cell_text(value: object) -> str:
    """The text of one spreadsheet cell as the reader sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


_cell_texts = np.frompyfunc(_cell_text, 1, 1)


def _excel_grid(
    path: Path, sheet: str | int | None
) -> tuple[pd.DataFrame, np.ndarray, list[Merge], str]:
    """Read one worksheet into a grid of strings, its file rows, its merged ranges, its name."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataFormatError(
            f"this is not a readable .xlsx workbook ({exc}). Fix: {_SAVE_AS}", path=str(path)
        ) from exc
    names = book.sheetnames
    if sheet is None:
        sheet = names[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise DataFormatError(
                f"there is no sheet number {sheet} (0-based); the sheets are {names}",
                path=str(path),
            )
        sheet = names[sheet]
    elif sheet not in names:
        raise DataFormatError(
            f"there is no sheet {sheet!r}; the sheets are {names}. Fix: pass one of them as sheet=",
            path=str(path),
        )
    ws = book[sheet]
    rows = list(
        ws.iter_rows(
            min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True
        )
    )
    cells = np.empty((len(rows), ws.max_column), dtype=object)
    if rows:
        cells[:] = rows
    merges = [(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells]
    return pd.DataFrame(_cell_texts(cells)), np.arange(1, len(rows) + 1), merges, sheet


def _strip(grid: pd.DataFrame) -> np.ndarray:
    """The grid's cells stripped (each distinct text of a column once), as an object array."""
    cells = grid.to_numpy(dtype=object, copy=True)
    for j in range(cells.shape[1]):
        codes, uniques = pd.factorize(cells[:, j])
        cells[:, j] = pd.Series(uniques, dtype=object).str.strip().to_numpy(dtype=object)[codes]
    return cells


def _find_header(
    filled: np.ndarray, merges: list[Merge], file_rows: np.ndarray, header_row: int | None
) -> tuple[int, int]:
    """Return the first and last grid row of the header block.

    The header is the first row where most cells are filled and the row after its block (merged
    cells can make a header two rows tall) is filled too.
    """
    counts = filled.sum(axis=1)
    width = int(counts.max(initial=0))
    dense = counts * 2 > width if width > 1 else counts > 0
    if header_row is not None:
        found = np.flatnonzero(file_rows == header_row)
        if found.size == 0:
            raise DataFormatError(f"there is no row {header_row} in the file")
        start = int(found[0])
        candidates = [start]
    else:
        candidates = np.flatnonzero(dense).tolist()
    for start in candidates:
        end = max([m[2] for m in merges if m[0] == start] + [start])
        if header_row is not None or (end + 1 < len(counts) and dense[end + 1]):
            return start, end
    raise DataFormatError(
        "no header row found: no row fills most columns and is followed by data rows. Fix: pass "
        "header_row=<row number in the file>, or delete the lines above the table's header"
    )


def _fill_merges(grid: np.ndarray, merges: list[Merge], first: int, last: int) -> None:
    """Copy each merged range's value into its cells between grid rows ``first`` and ``last``."""
    for top, left, bottom, right in merges:
        lo, hi = max(top, first), min(bottom, last)
        if lo <= hi:
            grid[lo : hi + 1, left : right + 1] = grid[top, left]


def _labels(block: np.ndarray, names: list[str]) -> list[str]:
    """One label per column from the header block (top to bottom), made unique.

    A column's label is its year when one of its header cells is a year (so a year merged
    above or below a group heading is kept), else its distinct values joined by " / ".
    """
    labels = []
    for j, column in enumerate(block.T):
        parts = [v for i, v in enumerate(column) if v and (i == 0 or v != column[i - 1])]
        years = [p for p in parts if year_header(p)[0] is not None]
        labels.append(years[-1] if years else " / ".join(parts) if parts else names[j])
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def _column_name(j: int, excel: bool) -> str:
    if excel:
        from openpyxl.utils import get_column_letter

        return f"column_{get_column_letter(j + 1)}"
    return f"column_{j + 1}"


def read_frame(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
) -> pd.DataFrame:
    """Read the table in a CSV or XLSX file as a frame of stripped strings.

    CSV: the encoding is UTF-8 (with or without BOM) or Windows-1251, tried in that order
    (UTF-16 with a BOM, Excel's "Unicode text", is read too); the separator (``,``, ``;`` or
    tab) is the one that splits the most rows evenly. XLSX (openpyxl; cached formula values):
    the first sheet unless ``sheet`` (a name or 0-based number) is given; merged header cells
    give their value to every cell they cover, so a year merged over two header rows is kept
    (in a two-row header, a column under a year takes the year as its name).

    The header row is the first row where most cells are filled and that is followed by a data
    row; ``header_row`` (the row number in the file) overrides the guess. Title lines above it
    are skipped, blank rows and blank unnamed columns are dropped, and trailing rows with at most
    one filled cell are notes: dropped from the table and kept in ``attrs["source"]["notes"]``.
    A header cell left empty gets the name ``column_<letter or number>``; a repeated name gets
    ``" (2)"``, ``" (3)"`` appended.

    Returns a frame whose cells are all ``str`` (``""`` when empty), indexed by the row number
    in the file (``row``), with ``attrs["source"]``: ``path``, ``format`` (csv/xlsx), ``sheet``,
    ``header_row``, ``encoding``, ``separator``, ``notes``.

    Raises :class:`~terraplan.errors.DataFormatError` (naming the file and the fix) for a missing
    file, an old ``.xls`` file, binary or undecodable bytes, or a file without a header row.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
    >>> _ = path.write_bytes("Регион\\tЗначение\\nг.Астана\\t1 354,6\\n".encode("cp1251"))
    >>> frame = read_frame(path)
    >>> frame.loc[2, "Значение"], frame.attrs["source"]["encoding"]
    ('1 354,6', 'cp1251')
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError("no such file. Fix: check the path", path=str(path))
    data = path.read_bytes()
    excel = data.startswith(_ZIP_MAGIC) or path.suffix.lower() in _EXCEL_SUFFIXES
    if data.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise DataFormatError(
            f"old binary Excel files (.xls) cannot be read. Fix: {_SAVE_AS}", path=str(path)
        )
    merges: list[Merge] = []
    if excel:
        if encoding is not None or sep is not None:
            raise DataFormatError(
                "encoding= and sep= apply to CSV files; this is an Excel workbook. Fix: drop them",
                path=str(path),
            )
        raw, file_rows, merges, sheet_name = _excel_grid(path, sheet)
        used_encoding, sep_used = None, None
    else:
        if sheet is not None:
            raise DataFormatError(
                "sheet= applies to Excel workbooks; this is a text (CSV) file. Fix: drop it",
                path=str(path),
            )
        text, used_encoding = _decode(data, path, encoding)
        sep_used = sep or _sniff_separator(text)
        raw, file_rows = _csv_grid(text, sep_used, path)
        sheet_name = None
    grid = _strip(raw)
    # A merged cell counts once across and in every row it spans down, so that a title merged
    # over the table's width stays one cell and a header merged over two rows fills both.
    spread = grid.copy()
    for top, left, bottom, _ in merges:
        spread[top : bottom + 1, left] = grid[top, left]
    filled = spread != ""
    if not filled.any():
        raise DataFormatError("the file holds no table: every cell is empty", path=str(path))
    try:
        start, end = _find_header(filled, merges, file_rows, header_row)
    except DataFormatError as exc:
        raise DataFormatError(str(exc), path=str(path)) from None
    counts = filled.sum(axis=1)
    row_minimum = 2 if counts.max() > 1 else 1
    body_rows = np.flatnonzero(counts[end + 1 :] >= row_minimum) + end + 1
    last = int(body_rows[-1]) if body_rows.size else end
    notes = [" ".join(row[row != ""]) for row in grid[last + 1 :] if (row != "").any()]
    _fill_merges(grid, merges, start, last)
    names = [_column_name(j, excel) for j in range(grid.shape[1])]
    labels = _labels(grid[start : end + 1], names)
    body = grid[end + 1 : last + 1]
    keep_rows = (body != "").any(axis=1)
    body = body[keep_rows]
    named = np.array([label != name for label, name in zip(labels, names, strict=True)])
    keep_columns = named | (body != "").any(axis=0)
    frame = pd.DataFrame(
        body[:, keep_columns],
        columns=[label for label, keep in zip(labels, keep_columns, strict=True) if keep],
        index=pd.Index(file_rows[end + 1 : last + 1][keep_rows], name="row"),
        dtype=str,
    )
    frame.attrs["source"] = {
        "path": str(path),
        "format": "xlsx" if excel else "csv",
        "sheet": sheet_name,
        "header_row": int(file_rows[start]),
        "encoding": used_encoding,
        "separator": sep_used,
        "notes": notes,
    }
    return frame
