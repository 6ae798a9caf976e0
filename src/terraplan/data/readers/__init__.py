"""Readers for the statistics files analysts actually get (CSV and XLSX).

* :func:`read_frame` finds the table in a CSV or XLSX file (encoding, separator, title block,
  merged headers, notes) and returns its cells as text, indexed by the row number in the file;
* :func:`parse_number` parses numbers printed the statistics-office way (``1 234,5``) and keeps
  the reason of every missing value (``-``, ``…``, ``x``);
* :func:`read_table` turns a long, periods-across or sectors-across table into the tidy panel,
  matching region names once and deciding each split region's borders year by year;
* :func:`read_workbook` reads a workbook split into period sheets as one panel.

Example
-------
>>> from terraplan.data.readers import read_table, read_frame, parse_number
>>> callable(read_table) and callable(read_frame) and callable(parse_number)
True
"""

from terraplan.data.readers.frame import read_frame, read_frames
from terraplan.data.readers.numbers import MISSING_MARKERS, parse_number
from terraplan.data.readers.table import PERIODS, SHAPES, read_table, read_workbook

__all__ = [
    "MISSING_MARKERS",
    "PERIODS",
    "SHAPES",
    "parse_number",
    "read_frame",
    "read_frames",
    "read_table",
    "read_workbook",
]
