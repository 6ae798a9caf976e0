"""Regression tests for the readers' part of issue 12: absurd or hostile files give a typed
terraplan error naming the file (or are read correctly), within bounded time and memory.

Each file is built here; what it must give is known by construction (the table inside is two
cells, the stray or broken part is described in each test).
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from terraplan.data.readers import frame as frame_module
from terraplan.data.readers import parse_number, read_frame, read_table
from terraplan.errors import DataFormatError


def small_workbook(path: Path, stray: str | None = None) -> Path:
    """A two-row table (Акмолинская 2022 = 1) and, with ``stray``, one more cell far away."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Регион", 2022])
    sheet.append(["Акмолинская", 1])
    if stray:
        sheet[stray] = "stray"
    book.save(path)
    return path


def rewrite_sheet(path: Path, change) -> Path:
    """Apply ``change(bytes) -> bytes`` to the first worksheet's XML inside the workbook."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def with_doctype(doctype: bytes, entity: bytes):
    def change(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + doctype + body.replace(b"<t>", b"<t>" + entity, 1)

    return change


def peak_mib(function) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("stray", ["XFD1048576", "A1048576", "XFD1"])
def test_a_stray_far_cell_costs_one_cell(tmp_path, stray):
    # before: the whole grid up to the stray cell was allocated (MemoryError at XFD1048576,
    # 1 GB at A1048576); now only existing cells are visited
    path = small_workbook(tmp_path / "stray.xlsx", stray)
    frame, peak = peak_mib(lambda: read_frame(path))
    assert peak < 64
    assert frame.loc[2, "Регион"] == "Акмолинская" and frame.loc[2, "2022"] == "1"


def test_rows_beyond_excel_are_refused(tmp_path):
    path = rewrite_sheet(
        small_workbook(tmp_path / "rows.xlsx"),
        lambda xml: (
            xml.replace(b'<row r="2">', b'<row r="1048577">')
            .replace(b'r="A2"', b'r="A1048577"')
            .replace(b'r="B2"', b'r="B1048577"')
        ),
    )
    with pytest.raises(DataFormatError, match=r"rows\.xlsx: the file is too large"):
        read_table(path, indicator="x")


def test_grid_over_the_cell_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(frame_module, "MAX_CELLS", 3)
    with pytest.raises(DataFormatError, match=r"t\.xlsx: .*4 cells .*limit is 3"):
        read_frame(small_workbook(tmp_path / "t.xlsx"))
    (tmp_path / "t.csv").write_text("a;b\n1;2\n", "utf-8")
    with pytest.raises(DataFormatError, match=r"t\.csv: .*too large"):
        read_frame(tmp_path / "t.csv")


def test_a_million_columns_are_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(";".join(["Регион"] + ["2022"] * 1_000_000) + "\n1;2\n", "utf-8")
    with pytest.raises(
        DataFormatError, match=r"wide\.csv: .*1,000,001 columns \(the limit is 16,384\)"
    ):
        read_table(path, indicator="x")


def test_damaged_archive_is_a_data_format_error(tmp_path):
    data = bytearray(small_workbook(tmp_path / "t.xlsx").read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed sheet
    data[at : at + 30] = b"\x00" * 30
    (tmp_path / "t.xlsx").write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match=r"t\.xlsx: this is not a readable \.xlsx"):
        read_table(tmp_path / "t.xlsx", indicator="x")


@pytest.mark.parametrize(
    ("doctype", "entity"),
    [
        (
            b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
            b"&c;",
        ),
        (b'<!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>', b"&x;"),
    ],
    ids=["entity-bomb", "xxe"],
)
def test_entity_bomb_and_xxe_are_refused(tmp_path, doctype, entity):
    path = rewrite_sheet(small_workbook(tmp_path / "x.xlsx"), with_doctype(doctype, entity))
    with pytest.raises(DataFormatError, match=r"x\.xlsx: this is not a readable") as caught:
        read_frame(path)
    assert "root:" not in str(caught.value)


def test_encrypted_workbook_says_so(tmp_path):
    # an encrypted .xlsx is an OLE compound file holding an "EncryptionInfo" stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "secret.xlsx").write_bytes(ole + bytes(100))
    with pytest.raises(DataFormatError, match=r"secret\.xlsx: the workbook is encrypted"):
        read_table(tmp_path / "secret.xlsx", indicator="x")


def test_an_xlsx_named_csv_is_read_as_a_workbook(tmp_path):
    path = tmp_path / "named.csv"
    path.write_bytes(small_workbook(tmp_path / "t.xlsx").read_bytes())
    assert read_table(path, indicator="x")["value"].tolist() == [1.0]


def test_unreadable_file_is_a_data_format_error(tmp_path, monkeypatch):
    path = small_workbook(tmp_path / "locked.xlsx")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DataFormatError, match=r"locked\.xlsx: the file cannot be read"):
        read_table(path, indicator="x")


def test_missing_sheet_and_no_worksheet(tmp_path):
    path = small_workbook(tmp_path / "t.xlsx")
    with pytest.raises(DataFormatError, match=r"t\.xlsx: there is no sheet 'Nope'"):
        read_table(path, indicator="x", sheet="Nope")
    with pytest.raises(DataFormatError, match=r"no sheet number 5"):
        read_table(path, indicator="x", sheet=5)


@pytest.mark.parametrize("text", ["1e400", "-1e400", "1e-400", "1.5e-400"])
def test_numbers_beyond_a_float_are_refused(text):
    with pytest.raises(DataFormatError, match=r"out of range"):
        parse_number(pd.Series([text], name="2022"))


def test_zero_with_a_tiny_exponent_is_zero():
    values, reasons = parse_number(pd.Series(["0e-400", "0,0"]))
    assert values.tolist() == [0.0, 0.0] and reasons.tolist() == ["", ""]


def test_a_cell_longer_than_131072_characters_keeps_every_column(tmp_path):
    # before: the csv module's field limit made the reader keep only the first column
    long_note = "п" * 200_000
    path = tmp_path / "t.csv"
    path.write_text(f"Регион;2022;Примечание\nАкмолинская;5;{long_note}\n", "utf-8")
    frame = read_frame(path)
    assert list(frame.columns) == ["Регион", "2022", "Примечание"]
    assert frame.loc[2, "2022"] == "5" and frame.loc[2, "Примечание"] == long_note


def test_a_key_repeated_many_times_is_listed_briefly(tmp_path):
    # 30 rows for Akmola 2022: the message names the first 10 rows and counts the rest
    path = tmp_path / "t.csv"
    rows = ["Регион;Год;Значение"] + ["Акмолинская;2022;1"] * 30
    path.write_text("\n".join(rows) + "\n", "utf-8")
    with pytest.raises(DataFormatError, match=r"row 11 column 'Значение' and 20 more") as caught:
        read_table(path, indicator="x")
    assert "row 12 " not in str(caught.value)
