"""Ingest: bundled datasets, indicator catalogue, readers, the tidy panel, joins."""
