"""The workbook: formula-safe cells, escaped text, missing values, frozen headers, same bytes."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd

from terraplan.report.workbook import sheet_name, workbook_bytes, write_workbook

PAYLOAD = "<script>alert(1)</script>"


def tables() -> dict[str, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "region": ["KZ-35", "KZ-71", "KZ-75"],
            "note": ['=HYPERLINK("http://evil")', PAYLOAD, "+1"],
            "value, million KZT": [1234.5, np.nan, 3.0],
            "year": [2023, 2023, 2023],
        }
    )
    frame.attrs = {"method": "test", "year": 2023, "reference": "nation"}
    return {"indicators": frame, PAYLOAD: frame.head(1)}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_formula_cells_are_neutralized():
    ws = load(workbook_bytes(tables()))["indicators"]
    assert ws["B2"].value == '\'=HYPERLINK("http://evil")'
    assert ws["B4"].value == "'+1"
    assert ws["B2"].data_type == "s"  # text, not a formula


def test_script_text_is_stored_as_escaped_text():
    data = workbook_bytes(tables())
    ws = load(data)["indicators"]
    assert ws["B3"].value == PAYLOAD  # the cell shows the text as it was
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        assert b"<script>" not in archive.read(name), name  # XML-escaped everywhere


def test_missing_values_are_empty_cells_and_numbers_stay_numbers():
    ws = load(workbook_bytes(tables()))["indicators"]
    assert ws["C3"].value is None
    assert ws["C2"].value == 1234.5 and ws["C2"].number_format == "#,##0.00"
    assert ws["D2"].value == 2023 and ws["D2"].number_format == "General"  # years unformatted


def test_headers_frozen_units_in_headers_and_about_sheet():
    wb = load(workbook_bytes(tables()))
    assert wb.sheetnames[0] == "about"
    ws = wb["indicators"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["region", "note", "value, million KZT", "year"]
    assert ws["A1"].font.bold
    about = wb["about"]
    assert about["A2"].value == "indicators"
    assert about["C2"].value == "method: test; year: 2023; reference: nation"


def test_sheet_names_are_valid_and_unique():
    assert sheet_name(PAYLOAD, set()) == "<script>alert(1)<_script>"
    assert sheet_name("a" * 40, set()) == "a" * 31
    assert sheet_name("a" * 40, {"a" * 31}) == "a" * 29 + "_2"


def test_two_writes_are_byte_identical(tmp_path):
    import time

    a = write_workbook(tables(), tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)  # openpyxl stamps the current second; the bytes must not change
    b = write_workbook(tables(), tmp_path / "b.xlsx").read_bytes()
    assert a == b
