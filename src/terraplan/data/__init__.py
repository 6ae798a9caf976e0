"""Ingest: bundled datasets, indicator catalogue, readers for statistics-office files, the tidy panel, joins."""
