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
import contextlib
import csv
import datetime as dt
import io
import itertools
import re
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from terraplan.data.readers.headers import NOTE_WORDS, footnote, period_header, unit_in_text
from terraplan.errors import DataFormatError

#: Separators tried when ``sep`` is not given, in order of preference on a tie.
SEPARATORS: tuple[str, ...] = ("\t", ";", ",")
#: Encodings tried in turn when ``encoding`` is not given (UTF-16 is used only with its BOM).
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1251")

#: Limits that turn absurd files into a clear error instead of exhausted memory.
MAX_FILE_BYTES = 512 * 2**20
MAX_XML_BYTES = 128 * 2**20  # uncompressed XML of a workbook (a zip bomb stops here)
MAX_ROWS = 1_048_576  # rows of a worksheet, as in Excel
MAX_COLUMNS = 16_384  # columns of a table, as in Excel
MAX_CELLS = 20_000_000  # cells of the grid after blank rows and columns are dropped
MAX_CELL_CHARS = 2**24  # characters in one CSV cell

_SAMPLE_CHARS = 65_536
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx or as 'CSV UTF-8'"


class NoTableError(DataFormatError):
    """The file or sheet holds no table (every cell empty, or no header row): a contents or
    notes sheet, which :func:`read_frames` leaves out and lists."""


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


def _too_big(what: str, size: int, limit: int, path: Path) -> DataFormatError:
    return DataFormatError(
        f"the file is too large to be a statistics table: {size:,} {what} (the limit is "
        f"{limit:,}). Fix: delete what lies outside the table (a stray cell far below or to "
        "the right of it makes the sheet that large), or split the file",
        path=str(path),
    )


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """Let the csv module read cells up to :data:`MAX_CELL_CHARS` (default: 131,072)."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(MAX_CELL_CHARS, sys.maxsize))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _field_counts(sample: str, sep: str) -> np.ndarray:
    try:
        with _long_fields():
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


def _csv_records(text: str, sep: str, path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Parse record by record (rows wider than the sample, quoted cells spanning lines)."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    records: list[list[str]] = []
    ends: list[int] = []
    cells = 0
    try:
        with _long_fields():
            for record in reader:
                records.append(record)
                ends.append(reader.line_num)
                cells += len(record)
                if len(record) > MAX_COLUMNS:
                    raise _too_big("columns", len(record), MAX_COLUMNS, path)
                if cells > MAX_CELLS:
                    raise _too_big("cells", cells, MAX_CELLS, path)
    except csv.Error as exc:
        raise DataFormatError(
            f"the CSV is malformed: {exc}. Fix: check the quotes on this line (a cell may hold "
            f"at most {MAX_CELL_CHARS:,} characters)",
            path=str(path),
            row=reader.line_num,
        ) from exc
    first = np.array([0, *ends], int)[:-1] + 1
    width = max((len(r) for r in records), default=1)
    grid = np.full((len(records), width), "", dtype=object)
    for i, record in enumerate(records):
        grid[i, : len(record)] = record
    return pd.DataFrame(grid), first


def _csv_grid(text: str, sep: str, path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Split the text into a rectangular grid of strings and the file row of each grid row."""
    lines = text.count("\n") + 1
    sample = text[: min(len(text), 2**20)]
    width = max(1, int(_field_counts("\n".join(sample.splitlines()[:200]), sep).max(initial=1)))
    if width > MAX_COLUMNS:
        # the sample may cut a very long line: count its separators (quotes aside) instead
        end = text.find("\n")
        widest = max(width, text.count(sep, 0, end if end >= 0 else len(text)) + 1)
        raise _too_big("columns", widest, MAX_COLUMNS, path)
    if lines * width > MAX_CELLS:
        raise _too_big("cells", lines * width, MAX_CELLS, path)
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row holds more fields than the names: that loses data
            warnings.simplefilter("error", pd.errors.ParserWarning)
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
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, OverflowError):
        grid = None
    if grid is not None and len(grid) == len(text.splitlines()):
        return grid, np.arange(1, len(grid) + 1)
    return _csv_records(text, sep, path)


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

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def _check_zip(path: Path, data: bytes) -> bool:
    """Refuse encrypted, corrupt or bomb-sized workbooks; say whether any sheet has formulas."""
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED in data:
        raise DataFormatError(
            "the workbook is encrypted (protected by a password to open). Fix: open it in "
            "Excel, remove the password (File > Info > Protect Workbook) and save it again",
            path=str(path),
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            size = sum(part.file_size for part in parts)
            if size > MAX_XML_BYTES:
                raise _too_big("bytes of XML inside the workbook", size, MAX_XML_BYTES, path)
            sheets = [p for p in parts if re.fullmatch(r"xl/worksheets/[^/]+\.xml", p.filename)]
            return any(_FORMULA_TAG.search(archive.read(part)) for part in sheets)
    except DataFormatError:
        raise
    except Exception as exc:  # any failure of the archive layer means the file is broken
        raise DataFormatError(
            f"this is not a readable .xlsx workbook (the archive is damaged: {exc}). Fix: "
            f"{_SAVE_AS}",
            path=str(path),
        ) from exc


def _load_book(path: Path, data: bytes, *, formulas: bool):
    """Load the workbook (cached values, or the formulas when ``formulas``) or refuse it."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(data), data_only=not formulas)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl parses untrusted XML: any failure means unreadable
        raise DataFormatError(
            f"this is not a readable .xlsx workbook ({type(exc).__name__}: {exc}). Fix: {_SAVE_AS}",
            path=str(path),
        ) from exc


def _worksheet_names(book: object, *, visible_only: bool = False) -> list[str]:
    """The names of the workbook's worksheets (chart sheets left out), in order."""
    return [
        ws.title
        for ws in book.worksheets  # type: ignore[attr-defined]
        if not visible_only or ws.sheet_state == "visible"
    ]


def _choose_sheet(book: object, sheet: str | int | None, path: Path) -> str:
    names = book.sheetnames  # type: ignore[attr-defined]
    sheets = _worksheet_names(book)
    if not sheets:
        raise DataFormatError(
            f"the workbook holds no worksheet (only chart sheets: {names})", path=str(path)
        )
    if sheet is None:
        visible = _worksheet_names(book, visible_only=True)
        return (visible or sheets)[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not -len(names) <= sheet < len(names):
            raise DataFormatError(
                f"there is no sheet number {sheet} (0-based); the sheets are {names}",
                path=str(path),
            )
        sheet = names[sheet]
    if sheet not in names:
        raise DataFormatError(
            f"there is no sheet {sheet!r}; the sheets are {names}. Fix: pass one of them as sheet=",
            path=str(path),
        )
    if sheet not in sheets:
        raise DataFormatError(
            f"sheet {sheet!r} is a chart, not a table; the worksheets are {sheets}",
            path=str(path),
        )
    return str(sheet)


def _excel_grid(
    ws: object, formula_ws: object | None, path: Path
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, list[Merge], np.ndarray]:
    """The sheet's filled cells as a dense grid of their rows and columns only.

    Returns the grid of strings, the file row of each grid row, the 0-based sheet column of
    each grid column, the merged ranges (grid positions) and a mask of formula cells that have
    no cached value (they read as empty). Only cells that exist are visited, so a stray cell at
    XFD1048576 costs one cell, not the whole sheet.
    """
    cells = ws._cells  # type: ignore[attr-defined]  # {(row, column): Cell}, 1-based
    found = [(r, c, v) for (r, c), cell in cells.items() if (v := cell.value) is not None]
    uncached: list[tuple[int, int]] = []
    if formula_ws is not None:
        uncached = [
            key
            for key, cell in formula_ws._cells.items()  # type: ignore[attr-defined]
            if cell.data_type == "f" and (key not in cells or cells[key].value is None)
        ]
    texts = _cell_texts(np.array([v for _, _, v in found] + [""] * len(uncached), dtype=object))
    r = np.array([x[0] for x in found] + [k[0] for k in uncached], dtype=np.int64)
    c = np.array([x[1] for x in found] + [k[1] for k in uncached], dtype=np.int64)
    if r.size and (r.max() > MAX_ROWS or c.max() > MAX_COLUMNS):
        raise _too_big("rows or columns", int(max(r.max(), c.max())), MAX_ROWS, path)
    rows, ri = np.unique(r, return_inverse=True)
    columns, ci = np.unique(c, return_inverse=True)
    if len(rows) * len(columns) > MAX_CELLS:
        raise _too_big("cells", len(rows) * len(columns), MAX_CELLS, path)
    grid = np.full((len(rows), len(columns)), "", dtype=object)
    grid[ri, ci] = texts
    no_value = np.zeros(grid.shape, dtype=bool)
    no_value[ri[len(found) :], ci[len(found) :]] = True
    merges = []
    for m in ws.merged_cells.ranges:  # type: ignore[attr-defined]
        top, left = np.searchsorted(rows, m.min_row), np.searchsorted(columns, m.min_col)
        if top == len(rows) or left == len(columns):
            continue
        if rows[top] != m.min_row or columns[left] != m.min_col:
            continue  # its top-left cell is empty: the range carries no value
        bottom = np.searchsorted(rows, m.max_row, "right") - 1
        right = np.searchsorted(columns, m.max_col, "right") - 1
        merges.append((int(top), int(left), int(bottom), int(right)))
    return pd.DataFrame(grid), rows, columns - 1, merges, no_value


def _strip(grid: pd.DataFrame) -> np.ndarray:
    """The grid's cells stripped (each distinct text of a column once), as an object array."""
    cells = grid.to_numpy(dtype=object, copy=True)
    for j in range(cells.shape[1]):
        codes, uniques = pd.factorize(cells[:, j])
        cells[:, j] = pd.Series(uniques, dtype=object).str.strip().to_numpy(dtype=object)[codes]
    return cells


_NUMBERISH = re.compile(r"[+\-\u2212]?[\d\s\u00a0.,]*\d[\d\s\u00a0.,]*%?")


def _is_number(text: str) -> bool:
    """True for a cell that holds a number other than a year (header rows hold no numbers)."""
    return bool(_NUMBERISH.fullmatch(text)) and period_header(text)[0] is None


def _unit_only(text: str) -> bool:
    """A cell that only states a unit (``млн. тенге``, ``(тыс. человек)``), no figure."""
    return unit_in_text(text) is not None and not re.search(r"\d", text)


def _continues_header(row: np.ndarray, label_column: int) -> bool:
    """A row under the header that still belongs to it: nothing in the label column, some
    text, and no number but years (quarters under a year, years under "Годы"); or a unit
    alone (``(млн. тенге)`` under the region heading)."""
    filled = row[row != ""]
    if filled.size == 1 and _unit_only(filled[0]):
        return True
    return row[label_column] == "" and filled.size > 0 and not any(map(_is_number, filled))


def _years_above(row: np.ndarray, label_column: int) -> bool:
    """A sparse row of years right above the header (a year over its quarters, merged or
    written once; the region heading may stand in the label column): it belongs to the
    header."""
    others = np.delete(row, label_column)
    filled = others[others != ""]
    return filled.size > 0 and all(period_header(text)[0] is not None for text in filled)


def _numbering_row(row: np.ndarray) -> bool:
    """The row of column numbers under a Russian statistics header: ``А | 1 | 2 | 3 ...``."""
    filled = [t for t in row if t != ""]
    if filled and filled[0] in ("А", "A", "Б", "B", "а", "a"):
        filled = filled[1:]
    return len(filled) > 1 and filled == [str(i) for i in range(1, len(filled) + 1)]


def _find_header(
    grid: np.ndarray,
    filled: np.ndarray,
    merges: list[Merge],
    file_rows: np.ndarray,
    header_row: int | None,
) -> tuple[int, int]:
    """Return the first and last grid row of the header block.

    The header is the first row with two or more filled cells that cover most columns (a
    merged cell covers its whole span, but a row whose first cell is merged over most of the
    width is a title) and that is followed, after its block, by a filled row. The block grows
    down over merged cells and over rows that continue it (no label, no numbers but years:
    quarters under a year), and up over a row of years only.
    """
    counts = filled.sum(axis=1)
    width = int(counts.max(initial=0))
    covered = counts.copy()
    titled = np.zeros(len(counts), dtype=bool)
    leftmost = int(np.argmax(filled.any(axis=0)))
    for top, left, _, right in merges:
        if filled[top, left]:
            covered[top] += right - left
            # a cell from the first column merged over most of the width is a title (a date
            # beside it or not); a heading merged over the years starts right of the labels
            titled[top] |= left == leftmost and (right - left + 1) * 2 > width
    covered = np.minimum(covered, width)
    dense = (covered * 2 > width) & (counts >= 2) & ~titled if width > 1 else counts > 0
    if header_row is not None:
        found = np.flatnonzero(file_rows == header_row)
        if found.size == 0:
            raise DataFormatError(f"there is no row {header_row} in the file")
        candidates = [int(found[0])]
    else:
        candidates = np.flatnonzero(dense).tolist()
    for start in candidates:
        end = max([m[2] for m in merges if m[0] == start] + [start])
        # the label column: the leftmost one used by the header and the rows under it
        label_column = int(np.argmax(filled[start : start + 6].any(axis=0)))
        while end + 1 < len(counts) and end - start < 4:
            if _continues_header(grid[end + 1], label_column):
                end = max([m[2] for m in merges if m[0] == end + 1] + [end + 1])
            else:
                break
        if header_row is not None or (end + 1 < len(counts) and dense[end + 1]):
            while header_row is None and start > 0 and _years_above(grid[start - 1], label_column):
                start -= 1
            return start, end
    raise NoTableError(
        "no header row found: no row fills most columns and is followed by data rows. Fix: pass "
        "header_row=<row number in the file>, or delete the lines above the table's header"
    )


def _fill_merges(grid: np.ndarray, merges: list[Merge], first: int, last: int) -> None:
    """Copy each merged range's value into its cells between grid rows ``first`` and ``last``."""
    for top, left, bottom, right in merges:
        lo, hi = max(top, first), min(bottom, last)
        if lo <= hi:
            grid[lo : hi + 1, left : right + 1] = grid[top, left]


def _label(parts: list[str]) -> str | None:
    """One column's label from its header cells (top to bottom), or None when all are empty.

    A year found in the block names the column; a period word under or over it (``I
    квартал`` under a merged ``2008``) is put before it (``I квартал 2008``). Headings above
    the year (``Годы``, the indicator's name merged over all years) and a unit under it
    (``млн. тенге``) are dropped; any other heading under the year (``в % к 2021``) is kept
    after it (``2022 / в % к 2021``), so that such a column is never taken for the year's
    figures. Without a year the parts are joined by `` / ``.

    >>> _label(["Численность", "2022"]), _label(["2008", "I квартал"])
    ('2022', 'I квартал 2008')
    >>> _label(["2022", "млн. тенге"]), _label(["2022", "в % к 2021"])
    ('2022', '2022 / в % к 2021')
    """
    if not parts:
        return None
    parsed = [period_header(p) for p in parts]
    dated = [i for i, (year, _, _) in enumerate(parsed) if year is not None]
    if not dated:
        named = [p for p in parts if not _unit_only(p)]
        return " / ".join(named or parts)
    at = dated[-1]
    label = parts[at]
    if parsed[at][1] == str(parsed[at][0]):
        words = [p for p, (year, period, _) in zip(parts, parsed, strict=True) if period]
        words = [
            w for w, (year, _, _) in zip(parts, parsed, strict=True) if w in words and year is None
        ]
        if words:
            label = f"{words[-1]} {label}"
    below = [
        p
        for p, (_, period, _) in zip(parts[at + 1 :], parsed[at + 1 :], strict=True)
        if period is None and not _unit_only(p)
    ]
    return " / ".join([label, *below])


def _period_word(text: str) -> bool:
    """A period without its year (``I квартал``, ``year``, ``9 месяцев``)."""
    year, period, _ = period_header(text)
    return year is None and period is not None


def _spread_years(block: np.ndarray) -> None:
    """Give a year written once over its group (centred across the columns, not merged, or
    in a CSV) to the empty cells to its right that have a period word without a year under
    them (``2008 | | |`` over ``I квартал | II квартал | III квартал``). In place.

    >>> block = np.array([["2008", "", "2009"], ["I квартал", "II квартал", "I квартал"]])
    >>> _spread_years(block); block[0].tolist()
    ['2008', '2008', '2009']
    """
    for upper, lower in itertools.pairwise(block):
        year = ""
        for j, text in enumerate(upper):
            if text:
                year = text if period_header(text)[0] is not None else ""
            elif year and lower[j] and _period_word(lower[j]):
                upper[j] = year


def _labels(block: np.ndarray, names: list[str]) -> list[str]:
    """One label per column from the header block (top to bottom), made unique."""
    labels = []
    for j, column in enumerate(block.T):
        parts = [v for i, v in enumerate(column) if v and (i == 0 or v != column[i - 1])]
        labels.append(_label(parts) or names[j])
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


_LONE_MARK = re.compile(r"\d{1,2}\)|\*{1,3}")


def _first_note(grid: np.ndarray, filled: np.ndarray, first: int, last: int) -> int | None:
    """The first row between ``first`` and ``last`` that is a footnote or a note line
    (``1) ...``, ``* ...``, ``Примечание: ...``), judged by its first filled cell; each
    distinct text is looked at once."""
    if first > last:
        return None
    rows = np.arange(first, last + 1)
    leading = grid[rows, np.argmax(filled[rows], axis=1)]
    codes, distinct = pd.factorize(leading)
    is_note = np.array(
        [
            bool(t)
            and (footnote(t) is not None or bool(NOTE_WORDS.match(t)) or _LONE_MARK.fullmatch(t))
            for t in distinct
        ],
        dtype=bool,
    )
    found = np.flatnonzero(is_note[codes])
    return int(rows[found[0]]) if found.size else None


def _second_table(
    grid: np.ndarray, filled: np.ndarray, start: int, end: int, last: int
) -> tuple[int, int] | None:
    """Where a second table stacked under the first begins: ``(first row of its title lines,
    its header row)``, or None.

    Bulletins stack tables (the values, then "в % к предыдущему году") on one sheet. The
    second one repeats the first one's period headers in the same columns: a row whose cells
    hold exactly the header's years is a header, never data.
    """
    block = grid[start : end + 1]
    years = {period_header(t)[0] for t in block.ravel() if t} - {None}
    if len(years) < 2:
        return None
    columns = [j for j in range(grid.shape[1]) if any(period_header(t)[0] for t in block[:, j])]
    first = columns[0]
    top = next(i for i in range(len(block)) if period_header(block[i, first])[0])
    candidates = np.flatnonzero(grid[end + 1 : last + 1, first] == block[top, first]) + end + 1
    for at in candidates.tolist():
        row = grid[at, columns]
        found = [period_header(t)[0] for t in row if t]
        if len(found) >= 2 and all(found) and set(found) <= years:
            cut = at
            while cut - 1 > end and filled[cut - 1].sum() <= 1:
                cut -= 1
            return cut, at
    return None


def _frame(
    raw: pd.DataFrame,
    file_rows: np.ndarray,
    sheet_columns: np.ndarray,
    merges: list[Merge],
    no_value: np.ndarray | None,
    header_row: int | None,
    path: Path,
    excel: bool,
) -> tuple[pd.DataFrame, dict]:
    """Find the table in a grid of cells: the frame and what lies around it."""
    grid = _strip(raw)
    # A merged cell counts once across and in every row it spans down, so that a title merged
    # over the table's width stays one cell and a header merged over two rows fills both.
    spread = grid.copy()
    for top, left, bottom, _ in merges:
        spread[top : bottom + 1, left] = grid[top, left]
    filled = spread != ""
    if not filled.any():
        raise NoTableError("the file holds no table: every cell is empty", path=str(path))
    try:
        start, end = _find_header(spread, filled, merges, file_rows, header_row)
    except NoTableError as exc:
        raise NoTableError(str(exc), path=str(path)) from None
    except DataFormatError as exc:
        raise DataFormatError(str(exc), path=str(path)) from None
    counts = filled.sum(axis=1)
    row_minimum = 2 if counts.max() > 1 else 1
    body_rows = np.flatnonzero(counts[end + 1 :] >= row_minimum) + end + 1
    last = int(body_rows[-1]) if body_rows.size else end
    note_row = _first_note(grid, filled, end + 1, last)
    if note_row is not None:
        last = note_row - 1
    title = [" ".join(row[row != ""]) for row in grid[:start] if (row != "").any()]
    notes = [" ".join(row[row != ""]) for row in grid[last + 1 :] if (row != "").any()]
    tables_left_out = []
    second = _second_table(grid, filled, start, end, last)
    if second is not None:
        cut, header_at = second
        heading = [" ".join(row[row != ""]) for row in grid[cut:header_at] if (row != "").any()]
        tables_left_out.append(
            {
                "rows": [int(file_rows[cut]), int(file_rows[last])],
                "title": " / ".join(heading),
            }
        )
        last = cut - 1
    _fill_merges(grid, merges, start, last)
    names = [_column_name(int(j), excel) for j in sheet_columns]
    _spread_years(grid[start : end + 1])
    labels = _labels(grid[start : end + 1], names)
    header_units = sorted({t for t in grid[start : end + 1].ravel() if t and _unit_only(t)})
    first = end + 1
    if first <= last and _numbering_row(grid[first]):
        first += 1
    body = grid[first : last + 1]
    keep_rows = (body != "").any(axis=1)
    if no_value is not None:
        keep_rows |= no_value[first : last + 1].any(axis=1)
    body = body[keep_rows]
    named = np.array([label != name for label, name in zip(labels, names, strict=True)])
    keep_columns = named | (body != "").any(axis=0)
    columns = [label for label, keep in zip(labels, keep_columns, strict=True) if keep]
    index = pd.Index(file_rows[first : last + 1][keep_rows], name="row")
    frame = pd.DataFrame(body[:, keep_columns], columns=columns, index=index, dtype=str)
    uncached: list[tuple[int, str]] = []
    if no_value is not None:
        mask = no_value[first : last + 1][keep_rows][:, keep_columns]
        uncached = [(int(index[i]), columns[j]) for i, j in zip(*np.nonzero(mask), strict=True)]
    found = [footnote(line) for line in notes]
    source = {
        "path": str(path),
        "format": "xlsx" if excel else "csv",
        "header_row": int(file_rows[start]),
        "title": title,
        "units_in_header": header_units,
        "notes": notes,
        "footnotes": {mark: text for mark, text in (f for f in found if f is not None)},
        "uncached_formulas": uncached,
        "tables_left_out": tables_left_out,
    }
    return frame, source


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise DataFormatError("no such file. Fix: check the path", path=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big("bytes", size, MAX_FILE_BYTES, path)
        return path.read_bytes()
    except OSError as exc:
        raise DataFormatError(
            f"the file cannot be read ({exc.strerror or exc}). Fix: check that you may read it "
            "and that no other program holds it locked",
            path=str(path),
        ) from exc


def _is_excel(data: bytes, path: Path) -> bool:
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED in data:
        return True
    if data.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise DataFormatError(
            f"old binary Excel files (.xls) cannot be read. Fix: {_SAVE_AS}", path=str(path)
        )
    return data.startswith(_ZIP_MAGIC) or path.suffix.lower() in _EXCEL_SUFFIXES


class _Workbook:
    """A workbook loaded once (values, and formulas when it has any) for one or more sheets."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        has_formulas = _check_zip(path, data)
        self.values = _load_book(path, data, formulas=False)
        self.formulas = _load_book(path, data, formulas=True) if has_formulas else None
        self.has_formulas = has_formulas

    def frame(self, sheet: str | int | None, header_row: int | None) -> pd.DataFrame:
        name = _choose_sheet(self.values, sheet, self.path)
        ws = self.values[name]
        formula_ws = self.formulas[name] if self.formulas is not None else None
        raw, file_rows, columns, merges, no_value = _excel_grid(ws, formula_ws, self.path)
        if raw.size == 0:
            raise NoTableError(
                f"sheet {name!r} holds no table: every cell is empty", path=str(self.path)
            )
        frame, source = _frame(
            raw, file_rows, columns, merges, no_value, header_row, self.path, excel=True
        )
        frame.attrs["source"] = {
            **source,
            "sheet": name,
            "hidden": ws.sheet_state != "visible",
            "formulas": self.has_formulas,
            "encoding": None,
            "separator": None,
        }
        return frame


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
    the first visible worksheet unless ``sheet`` (a name or 0-based number) is given; merged
    header cells give their value to every cell they cover, so a year merged over its quarter
    columns names each of them (``I квартал 2008``). Only the cells that exist are read.

    The header is the first row with two or more cells that cover most columns and that is
    followed by a data row; ``header_row`` (the row number in the file) overrides the guess.
    The header grows down over merged cells and rows that continue it (period words or years
    under a heading, no label). Title lines above it are kept in ``attrs["source"]["title"]``;
    a row of column numbers (``А | 1 | 2 | 3``) under the header, blank rows and blank unnamed
    columns are dropped. The table ends at the first footnote or note line (``1) ...``,
    ``* ...``, ``Примечание``) or after its last row with two filled cells: the lines after it
    are ``notes``, and the footnotes among them ``footnotes`` (``{"1": "text"}``). A header cell
    left empty gets the name ``column_<letter or number>``; a repeated name gets ``" (2)"``.

    Returns a frame whose cells are all ``str`` (``""`` when empty), indexed by the row number
    in the file (``row``), with ``attrs["source"]``: ``path``, ``format`` (csv/xlsx), ``sheet``,
    ``hidden``, ``header_row``, ``encoding``, ``separator``, ``title``, ``notes``,
    ``footnotes``, ``formulas`` (whether the workbook has any) and ``uncached_formulas`` (the
    ``(row, column)`` of formula cells saved without a value).

    Raises :class:`~terraplan.errors.DataFormatError` (naming the file and the fix) for a
    missing or unreadable file, an old ``.xls``, an encrypted or damaged workbook, a chart
    sheet, binary or undecodable bytes, a file beyond the size limits (:data:`MAX_ROWS`,
    :data:`MAX_COLUMNS`, :data:`MAX_CELLS`) or a file without a header row.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pop.csv"
    >>> _ = path.write_bytes("Регион\\tЗначение\\nг.Астана\\t1 354,6\\n".encode("cp1251"))
    >>> frame = read_frame(path)
    >>> frame.loc[2, "Значение"], frame.attrs["source"]["encoding"]
    ('1 354,6', 'cp1251')
    """
    path = Path(path)
    data = _read_bytes(path)
    if _is_excel(data, path):
        if encoding is not None or sep is not None:
            raise DataFormatError(
                "encoding= and sep= apply to CSV files; this is an Excel workbook. Fix: drop them",
                path=str(path),
            )
        return _Workbook(path, data).frame(sheet, header_row)
    if sheet is not None:
        raise DataFormatError(
            "sheet= applies to Excel workbooks; this is a text (CSV) file. Fix: drop it",
            path=str(path),
        )
    text, used_encoding = _decode(data, path, encoding)
    sep_used = sep or _sniff_separator(text)
    raw, file_rows = _csv_grid(text, sep_used, path)
    frame, source = _frame(
        raw, file_rows, np.arange(raw.shape[1]), [], None, header_row, path, excel=False
    )
    frame.attrs["source"] = {
        **source,
        "sheet": None,
        "hidden": False,
        "formulas": False,
        "encoding": used_encoding,
        "separator": sep_used,
    }
    return frame


def read_frames(
    path: str | Path, *, sheets: list[str] | None = None, header_row: int | None = None
) -> tuple[list[pd.DataFrame], list[tuple[str, str]]]:
    """Read the tables of several worksheets of one workbook, loading it once.

    ``sheets=None`` reads every visible worksheet. Returns the frames and the sheets left out
    with the reason (hidden, or no table found), so nothing is dropped unsaid.

    >>> import tempfile, pathlib, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "two.xlsx"
    >>> book = openpyxl.Workbook(); book.active.title = "1990-1997"
    >>> book.active.append(["Регион", 1990]); book.active.append(["Акмолинская", 5])
    >>> book.create_sheet("Notes").append(["see the website"]); book.save(path)
    >>> frames, skipped = read_frames(path)
    >>> [f.attrs["source"]["sheet"] for f in frames], skipped
    (['1990-1997'], [('Notes', 'no table: no header row found')])
    """
    path = Path(path)
    data = _read_bytes(path)
    if not _is_excel(data, path):
        raise DataFormatError(
            "this is a text (CSV) file, it has no sheets. Fix: drop sheet=", path=str(path)
        )
    book = _Workbook(path, data)
    names = sheets if sheets is not None else _worksheet_names(book.values)
    skipped = []
    if sheets is None:
        skipped = [
            (ws.title, "hidden")
            for ws in book.values.worksheets
            if ws.title not in _worksheet_names(book.values, visible_only=True)
        ]
        names = _worksheet_names(book.values, visible_only=True)
    frames = []
    for name in names:
        try:
            frames.append(book.frame(name, header_row))
        except NoTableError:
            if sheets is not None:
                raise
            skipped.append((name, "no table: no header row found"))
    return frames, skipped
