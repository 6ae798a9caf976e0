"""Numbers as statistics offices print them: decimal comma, spaced thousands, missing-value marks.

Kazakhstan's Bureau of National Statistics (and the Russian-language tradition it shares) prints
``1 234 567,8``: a decimal comma and thousands separated by a space, often a non-breaking or thin
one. Cells that hold no number carry a mark: ``-`` (the phenomenon did not occur), ``…`` (no
data), ``x`` (not published, to protect confidentiality). Those marks become ``NaN`` with the
reason kept (``missing:-``, ``missing:…``, ``missing:x``, ``missing:empty``, ``missing:n/a``), so
that "zero", "not available" and "confidential" stay different things downstream.

Example
-------
>>> import pandas as pd
>>> values, reasons = parse_number(pd.Series(["1 234,5", "x", "12%"]))
>>> values.tolist(), reasons.tolist()
([1234.5, nan, 12.0], ['', 'missing:x', ''])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from terraplan.errors import DataFormatError

#: Cell text (case-folded) that means "no number here", and the reason recorded for it.
MISSING_MARKERS: dict[str, str] = {
    "": "missing:empty",
    "-": "missing:-",
    "–": "missing:-",
    "—": "missing:-",
    "\u2212": "missing:-",
    "…": "missing:…",
    "...": "missing:…",
    "x": "missing:x",
    "х": "missing:x",
    "н/д": "missing:n/a",
    "n/a": "missing:n/a",
}

#: How many bad cells an error message lists one by one (the total is always given).
MAX_LISTED = 200

_SPACE = "[ \u00a0\u2007\u2009\u202f]"
_SPACED_INT = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+"
_COMMA_DECIMAL = rf"(?:{_SPACED_INT}|\d{{1,3}}(?:\.\d{{3}})+|\d+),\d+"
_POINT_DECIMAL = rf"(?:{_SPACED_INT}|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+"
NUMBER_PATTERN = re.compile(
    rf"[+\-\u2212]?{_SPACE}*(?:{_COMMA_DECIMAL}|{_POINT_DECIMAL}){_SPACE}*%?"
)
"""A number as printed: optional sign, decimal comma or point, spaced thousands, optional %."""

_DROP = (" ", "\u00a0", "\u2007", "\u2009", "\u202f", "%")
_THOUSAND_DOTS = re.compile(r"\.(?=[\d.]*,)")
_MARKERS = {
    variant: reason
    for marker, reason in MISSING_MARKERS.items()
    for variant in {marker, marker.upper()}
}


def _cell_texts(series: pd.Series) -> pd.Series:
    """Return the cells as stripped ``str`` (missing cells become ``""``)."""
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def _to_float(numbers: pd.Series) -> np.ndarray:
    """Convert validated number texts to floats in a few passes over one joined string."""
    joined = "\n".join(numbers.tolist()).replace("\u2212", "-")
    for character in _DROP:
        joined = joined.replace(character, "")
    # a dot followed by a comma in the same number separates thousands
    joined = _THOUSAND_DOTS.sub("", joined).replace(",", ".")
    return np.array(joined.split("\n") if len(numbers) else [], dtype=float)


#: The reason recorded for a number too large for a float (``1e400``) or so small that it
#: would read as zero (``1e-400``): such a cell is refused, never read as inf or 0.
OUT_OF_RANGE = "out_of_range"


def _out_of_range(text: pd.Series, values: np.ndarray) -> np.ndarray:
    """Numbers that overflow to inf, or underflow to 0 although their digits are not all 0."""
    result = np.isinf(values)
    zero = np.flatnonzero(values == 0)
    if zero.size:
        mantissa = text.iloc[zero].str.split(r"[eE]", n=1, regex=True).str[0]
        result[zero] = mantissa.str.contains("[1-9]", regex=True).to_numpy(dtype=bool)
    return result


_DIGITS = bytes.maketrans(b"0123456789", b"9999999999")
_SHAPE = re.compile(NUMBER_PATTERN.pattern, re.ASCII)


def _is_number(text: pd.Series) -> pd.Series:
    """Which texts are numbers, checking each distinct *shape* once.

    Every ASCII digit becomes ``9`` in one pass over the joined texts, so ``1 234,5`` and
    ``7 001,2`` share the shape ``9 999,9``: a column of numbers has a few dozen shapes, and
    the pattern runs on those only.
    """
    joined = "\n".join(text.tolist())
    if joined.count("\n") != max(len(text) - 1, 0):  # a text holds a line break: no number
        return text.str.fullmatch(_SHAPE.pattern, flags=re.ASCII).fillna(False).astype(bool)
    # UTF-8 never uses the bytes of ASCII digits inside another character: a byte-wise pass
    shapes = joined.encode().translate(_DIGITS).decode().split("\n") if len(text) else []
    codes, distinct = pd.factorize(np.array(shapes, dtype=object))
    ok = np.array([_SHAPE.fullmatch(shape) is not None for shape in distinct], dtype=bool)
    return pd.Series(ok[codes] if len(codes) else np.zeros(0, bool), index=text.index)


def _parse_distinct(text: pd.Series) -> pd.DataFrame:
    """Parse stripped cell texts: columns ``value``, ``reason``, ``bad``."""
    reasons = text.map(_MARKERS).fillna("").astype(str)
    candidate = reasons.eq("")
    numeric = candidate & _is_number(text)
    values = np.full(len(text), np.nan)
    where = numeric.to_numpy()
    values[where] = _to_float(text[numeric])
    overflow = np.zeros(len(text), dtype=bool)
    overflow[where] = _out_of_range(text[numeric], values[where])
    values[overflow] = np.nan
    reasons = reasons.where(~overflow, OUT_OF_RANGE)
    bad = (candidate & ~numeric) | overflow
    return pd.DataFrame({"value": values, "reason": reasons, "bad": bad}, index=text.index)


def parse_cells(
    series: pd.Series, *, stripped: bool = False
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse cells without raising: ``(values, reasons, bad)`` where ``bad`` marks non-numbers.

    The building block of :func:`parse_number` for callers (like
    :func:`~terraplan.data.readers.read_table`) that report bad cells of many columns together.
    Each distinct cell text is parsed once; ``stripped=True`` says the cells are already
    stripped ``str`` (as :func:`~terraplan.data.readers.read_frame` returns them).

    >>> import pandas as pd
    >>> values, reasons, bad = parse_cells(pd.Series(["1,5", "abc", "…"]))
    >>> values.tolist(), reasons.tolist(), bad.tolist()
    ([1.5, nan, nan], ['', '', 'missing:…'], [False, True, False])
    >>> parse_cells(pd.Series(["1e400", "1e-400", "0e-400"]))[1].tolist()
    ['out_of_range', 'out_of_range', '']
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    distinct = pd.Series(uniques, dtype=object)
    parsed = _parse_distinct(distinct if stripped else _cell_texts(distinct))
    columns = {
        name: pd.Series(parsed[name].to_numpy()[codes], index=series.index, name=series.name)
        for name in ("value", "reason", "bad")
    }
    return columns["value"], columns["reason"].astype(str), columns["bad"]


def bad_cells_message(
    rows: pd.Index, columns: pd.Index, texts: pd.Series, reasons: pd.Series | None = None
) -> str:
    """Describe bad cells, one line each (the first :data:`MAX_LISTED`), with a fix.

    ``reasons`` (from :func:`parse_cells`) marks the numbers out of a float's range.

    >>> import pandas as pd
    >>> print(bad_cells_message(pd.Index([7]), pd.Index(["2021"]), pd.Series(["1,2,3"])))
    1 cell(s) are not numbers:
      - row 7, column '2021': '1,2,3'
    Fix: correct these cells. A number is written 1 234,5 or 1234.5 (a decimal comma or point, \
thousands separated by spaces, an optional %); a missing value is written -, …, x or left empty.
    """
    count = len(texts)
    kinds = (
        reasons.iloc[:MAX_LISTED].eq(OUT_OF_RANGE).tolist()
        if reasons is not None
        else [False] * min(count, MAX_LISTED)
    )
    lines = [
        f"  - row {row}, column {column!r}: {shown(text)}"
        + (" (out of range: it would read as infinity or 0)" if far else "")
        for row, column, text, far in zip(
            rows[:MAX_LISTED], columns[:MAX_LISTED], texts.iloc[:MAX_LISTED], kinds, strict=True
        )
    ]
    if count > MAX_LISTED:
        lines.append(f"  ... and {count - MAX_LISTED} more")
    what = "are not numbers or are out of range" if any(kinds) else "are not numbers"
    return (
        f"{count} cell(s) {what}:\n"
        + "\n".join(lines)
        + "\nFix: correct these cells. A number is written 1 234,5 or 1234.5 (a decimal comma or "
        "point, thousands separated by spaces, an optional %); a missing value is written -, …, "
        "x or left empty."
    )


def shown(text: str, limit: int = 80) -> str:
    """A cell's text for a message, cut when long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text):,} chars)"


def parse_number(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse numbers printed the statistics-office way; return ``(values, reasons)``.

    Accepted: ``1 234,5`` (decimal comma; thousands separated by a space, non-breaking space or
    thin space), ``1.234,5`` (dots as thousands only together with a decimal comma), ``1234.5``,
    ``-5``, ``−5`` (minus sign), ``12,5%`` (the % is dropped: 12.5). A lone comma is always the
    decimal mark, so ``1,234`` is 1.234. The missing-value marks of :data:`MISSING_MARKERS` give
    ``NaN`` and their reason (``missing:-``, ``missing:…``, ``missing:x``, ``missing:n/a``,
    ``missing:empty``); ``reasons`` is ``""`` for numbers.

    Any other cell raises one :class:`~terraplan.errors.DataFormatError` listing every bad cell:
    the row is the index label (for a column of a frame from
    :func:`~terraplan.data.readers.read_frame`, the row number in the file), the column is
    ``series.name`` and the file is ``series.attrs["source"]["path"]`` when present.

    >>> import pandas as pd
    >>> values, reasons = parse_number(pd.Series(["1\\u00a0234\\u00a0567,8", "-", "...", ""]))
    >>> values.tolist()
    [1234567.8, nan, nan, nan]
    >>> reasons.tolist()
    ['', 'missing:-', 'missing:…', 'missing:empty']
    >>> parse_number(pd.Series(["12", "twelve"], name="2021", index=[5, 6]))
    Traceback (most recent call last):
    terraplan.errors.DataFormatError: 1 cell(s) are not numbers:
      - row 6, column '2021': 'twelve'
    Fix: correct these cells. A number is written 1 234,5 or 1234.5 (a decimal comma or point, \
thousands separated by spaces, an optional %); a missing value is written -, …, x or left empty.
    """
    values, reasons, bad = parse_cells(series)
    if bad.any():
        source = series.attrs.get("source", {})
        rows = series.index[bad.to_numpy()]
        texts = _cell_texts(series)[bad]
        raise DataFormatError(
            bad_cells_message(
                rows, pd.Index([series.name] * len(rows)), texts, reasons[bad.to_numpy()]
            ),
            path=source.get("path"),
        )
    return values, reasons
