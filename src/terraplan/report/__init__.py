"""Rendering: interactive and static maps, region profiles, the workbook, the whole build."""
