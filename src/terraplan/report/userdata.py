"""The analyst's own data in the outputs: names marked "your data", a workbook sheet, manifest.

:func:`terraplan.pipeline.analyze` reads the files of ``config.data`` (``--data FILE``) and
records each one in ``analysis.parameters["user_data"]`` (file name, SHA-256, sheet, read
options, indicator, unit, polarity). Here those records become what a reader sees: the
indicator's name followed by "(your data)" in its language on maps, profiles and the workbook
(:func:`mark_user_indicators`), a sheet ``your data`` (:func:`user_data_table`), and entries of
``manifest.json``'s ``inputs`` marked ``"user_data": true`` (:func:`user_inputs`).

Example
-------
>>> record = {"file": "d.csv", "sha256": "ab", "bytes": 3, "indicator": "d", "indicators": ["d"],
...     "name_en": "Doctors", "name_ru": "Врачи", "name_kk": "Дәрігерлер", "unit": "per 10k",
...     "polarity": "higher_is_better", "polarity_given": True, "sheet": None,
...     "read_options": {}, "sidecar": None, "rows": 20, "years": [2023]}
>>> marked = mark_user_indicators([record])
>>> marked["d"]["name_en"], marked["d"]["name_ru"]
('Doctors (your data)', 'Врачи (ваши данные)')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from terraplan.data.user import indicator_records, set_indicators
from terraplan.pipeline import Analysis
from terraplan.report.i18n import LANGUAGES, text


def user_records(analysis: Analysis) -> list[dict[str, Any]]:
    """The records of the analyst's files used by ``analysis`` (empty without any)."""
    return list(analysis.parameters.get("user_data", []))


def mark_user_indicators(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Make the user indicators of ``records`` those of the run, names marked "(your data)"."""
    marked = {}
    for indicator, meta in indicator_records(records).items():
        names = {
            f"name_{lang}": f"{meta[f'name_{lang}']} ({text('user_data', lang)})"
            for lang in LANGUAGES
        }
        marked[indicator] = {**meta, **names}
    set_indicators(marked)
    return marked


def user_data_table(analysis: Analysis) -> pd.DataFrame | None:
    """The ``your data`` sheet: one row per file (indicator, name, unit, polarity, file,
    SHA-256, sheet, read options, years, rows), or None when the run used none."""
    records = user_records(analysis)
    if not records:
        return None
    lang = analysis.lang
    rows = [
        {
            "indicator": r["indicator"],
            "name": r[f"name_{lang}"],
            "unit": r["unit"],
            "polarity": r["polarity"] + ("" if r["polarity_given"] else " (not given)"),
            "file": r["file"],
            "sha256": r["sha256"],
            "sheet": "" if r["sheet"] is None else str(r["sheet"]),
            "read options": "; ".join(f"{k}={v}" for k, v in r["read_options"].items()),
            "sidecar": r["sidecar"] or "",
            "years": ", ".join(map(str, r["years"])),
            "rows": r["rows"],
        }
        for r in records
    ]
    table = pd.DataFrame(rows)
    table.attrs = {"method": text("user_data", lang), "reference": "files given with --data"}
    return table


def user_inputs(analysis: Analysis) -> list[dict[str, Any]]:
    """``manifest.json`` input entries of the analyst's files (``"user_data": true``)."""
    return [
        {
            "path": f"data: {r['file']}",
            "bytes": r["bytes"],
            "sha256": r["sha256"],
            "user_data": True,
            "indicator": r["indicator"],
            "sheet": r["sheet"],
            "read_options": r["read_options"],
            "sidecar": r["sidecar"],
        }
        for r in user_records(analysis)
    ]
