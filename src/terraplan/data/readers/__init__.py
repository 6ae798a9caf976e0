"""Readers for the statistics files analysts actually get (CSV and XLSX)."""

from terraplan.data.readers.numbers import MISSING_MARKERS, parse_number

__all__ = ["MISSING_MARKERS", "parse_number"]
