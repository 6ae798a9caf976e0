"""Readers for the statistics files analysts actually get (CSV and XLSX).

* :func:`read_frame` finds the table in a CSV or XLSX file (encoding, separator, title block,
  merged headers, notes) and returns its cells as text, indexed by the row number in the file;
* :func:`parse_number` parses numbers printed the statistics-office way (``1 234,5``) and keeps
  the reason of every missing value (``-``, ``…``, ``x``);
* :func:`read_table` turns a long, years-across or sectors-across table into the tidy panel,
  matching region names once.

Example
-------
>>> from terraplan.data.readers import read_table, read_frame, parse_number
>>> callable(read_table) and callable(read_frame) and callable(parse_number)
True
"""

from terraplan.data.readers.frame import read_frame
from terraplan.data.readers.numbers import MISSING_MARKERS, parse_number
from terraplan.data.readers.table import SHAPES, read_table

__all__ = ["MISSING_MARKERS", "SHAPES", "parse_number", "read_frame", "read_table"]
