"""Tests of terraplan.data.readers: every input file is written here, into tmp_path.

Each table is built by hand so that the right answer is known by construction: the expected
frames and panels below are written out cell by cell, not computed by the code under test.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from terraplan.data.readers import parse_number, read_frame, read_table
from terraplan.errors import DataFormatError, RegionMatchError

NBSP, THIN, NARROW = "\u00a0", "\u2009", "\u202f"


def write_csv(path: Path, rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8"):
    """Write rows joined by ``sep`` (cells must not contain it) in ``encoding``."""
    path.write_bytes(("\n".join(sep.join(r) for r in rows) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


# --------------------------------------------------------------------------- read_frame: CSV

REGIONS = [
    ["Регион", "2022", "2023"],
    ["Акмолинская", "1 234,5", "x"],
    ["г.Астана", "10,0", "-"],
    ["Туркестанская область", "7", "…"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_read_frame_decodes_and_splits(tmp_path, encoding, sep):
    rows = REGIONS if sep != "," else [[f'"{c}"' for c in r] for r in REGIONS]
    path = write_csv(tmp_path / "t.csv", rows, sep=sep, encoding=encoding)
    frame = read_frame(path)
    assert list(frame.columns) == ["Регион", "2022", "2023"]
    assert frame.index.tolist() == [2, 3, 4]
    assert frame["Регион"].tolist() == ["Акмолинская", "г.Астана", "Туркестанская область"]
    assert frame["2022"].tolist() == ["1 234,5", "10,0", "7"]
    assert frame["2023"].tolist() == ["x", "-", "…"]
    source = frame.attrs["source"]
    assert source["encoding"] == encoding
    assert source["separator"] == sep
    assert source["header_row"] == 1
    assert source["path"] == str(path)


# Cyrillic without ё/Ё: in Windows-1251 those are the only letters whose byte (0xB8, 0xA8) can
# continue a UTF-8 sequence, so a short cp1251 text with them may also be valid UTF-8.
ALPHABET = "абвгдежзийюяАБВГЮЯқәabcXYZ0123456789 .-\"'"
CELL = st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=8).map(str.strip)


@settings(max_examples=40)
@given(
    table=st.integers(min_value=2, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(CELL.filter(bool), min_size=width, max_size=width), min_size=2, max_size=6
        )
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_read_frame_round_trips_any_dense_table(tmp_path_factory, table, encoding, sep):
    # a table written with the csv module (quoting as needed) reads back cell for cell
    header = [f"h{j}" for j in range(len(table[0]))]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows([header, *table])
    text = buffer.getvalue()
    assume(encoding != "cp1251" or not any(c in text for c in "қә"))  # not in Windows-1251
    path = tmp_path_factory.mktemp("rt") / "t.csv"
    path.write_bytes(text.encode(encoding))
    frame = read_frame(path)
    assert list(frame.columns) == header
    assert frame.to_numpy().tolist() == table
    assert frame.index.tolist() == list(range(2, len(table) + 2))
    # plain ASCII is valid UTF-8 whatever it was written as
    expected = "utf-8" if text.isascii() and encoding == "cp1251" else encoding
    assert frame.attrs["source"]["encoding"] == expected
    assert frame.attrs["source"]["separator"] == sep


def test_read_frame_reads_utf16_with_bom(tmp_path):
    # Excel's "Unicode text" export: UTF-16 with BOM, tab separated
    path = tmp_path / "t.txt"
    path.write_bytes("Регион\t2022\r\nг.Астана\t5\r\n".encode("utf-16"))
    frame = read_frame(path)
    assert frame.to_dict("index") == {2: {"Регион": "г.Астана", "2022": "5"}}
    assert frame.attrs["source"]["encoding"] == "utf-16"


def test_read_frame_strips_cells_and_keeps_them_as_text(tmp_path):
    path = write_csv(tmp_path / "t.csv", [[" region ", " value"], ["  Akmola", "007 "]])
    frame = read_frame(path)
    assert frame.to_dict("index") == {2: {"region": "Akmola", "value": "007"}}
    assert all(frame[c].dtype == "str" for c in frame.columns)


def test_read_frame_skips_title_block_and_keeps_notes(tmp_path):
    rows = [
        ["Валовой региональный продукт"],
        ["млн тенге"],
        [""],
        ["Регион", "2022", "2023*"],
        ["Акмолинская", "1", "2"],
        [""],
        ["г.Астана", "3", "4"],
        [""],
        ["* предварительные данные"],
    ]
    frame = read_frame(write_csv(tmp_path / "t.csv", rows))
    assert frame.attrs["source"]["header_row"] == 4
    # the blank row 6 inside the table is dropped; rows keep their file numbers
    assert frame.to_dict("index") == {
        5: {"Регион": "Акмолинская", "2022": "1", "2023*": "2"},
        7: {"Регион": "г.Астана", "2022": "3", "2023*": "4"},
    }
    assert frame.attrs["source"]["notes"] == ["* предварительные данные"]


def test_read_frame_excel_csv_export_with_padding(tmp_path):
    # Excel pads every line of a CSV export to the table's width: ";;;" after titles
    path = tmp_path / "export.csv"
    text = "Численность населения;;;\r\nчеловек;;;\r\n;;;\r\nРегион;2022;2023;\r\n"
    text += "Акмолинская;785 000;786 100;\r\n;;;\r\n"
    path.write_bytes(text.encode("cp1251"))
    frame = read_frame(path)
    assert frame.to_dict("index") == {
        5: {"Регион": "Акмолинская", "2022": "785 000", "2023": "786 100"}
    }
    assert frame.attrs["source"]["header_row"] == 4


def test_read_frame_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataFormatError, match="holds no table"):
        read_frame(path)


def test_read_frame_header_row_override(tmp_path):
    rows = [["a", "b"], ["c", "d"], ["region", "value"], ["Akmola", "1"]]
    frame = read_frame(write_csv(tmp_path / "t.csv", rows), header_row=3)
    assert frame.to_dict("index") == {4: {"region": "Akmola", "value": "1"}}


def test_read_frame_quoted_multiline_cell_keeps_file_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('region;note\n"Akmola";"two\nlines"\nAstana;x\n', "utf-8")
    frame = read_frame(path)
    # Akmola starts on line 2 (and ends on 3); Astana is on line 4
    assert frame.index.tolist() == [2, 4]
    assert frame.loc[2, "note"] == "two\nlines"


def test_read_frame_row_wider_than_the_sample(tmp_path):
    # the separator and width are sniffed from the first 200 lines; line 250 has a third cell
    rows = [["region", "value"]] + [[f"R{i}", str(i)] for i in range(2, 301)]
    rows[249] = ["R250", "250", "extra"]
    frame = read_frame(write_csv(tmp_path / "t.csv", rows))
    assert list(frame.columns) == ["region", "value", "column_3"]
    assert frame.loc[250].tolist() == ["R250", "250", "extra"]
    assert frame.loc[300].tolist() == ["R300", "300", ""]
    assert len(frame) == 299


def test_read_frame_names_empty_header_cells(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["", "2022", "2023"], ["Akmola", "1", "2"]])
    assert list(read_frame(path).columns) == ["column_1", "2022", "2023"]


def test_read_frame_refuses_binary(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"region;value\n\x00\x01\x02\x03binary\n")
    with pytest.raises(DataFormatError, match="binary data") as error:
        read_frame(path)
    assert str(path) in str(error.value)
    assert "CSV UTF-8" in str(error.value)


def test_read_frame_refuses_undecodable(tmp_path):
    # 0x98 is invalid UTF-8 on its own and undefined in Windows-1251
    path = tmp_path / "data.csv"
    path.write_bytes(b"region;value\nA\x98;1\n")
    with pytest.raises(DataFormatError, match="utf-8-sig or cp1251") as error:
        read_frame(path)
    assert str(path) in str(error.value) and "encoding=" in str(error.value)


def test_read_frame_refuses_old_excel_and_missing_files(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(DataFormatError, match=r"\.xls.*save it as \.xlsx"):
        read_frame(path)
    with pytest.raises(DataFormatError, match="no such file"):
        read_frame(tmp_path / "missing.csv")


def test_read_frame_without_table_is_an_error(tmp_path):
    # row 2 fills both columns but no data row follows it
    path = write_csv(tmp_path / "t.csv", [["Title"], ["a", "b"], [""], ["a note"]])
    with pytest.raises(DataFormatError, match=r"no header row found.*header_row="):
        read_frame(path)


# --------------------------------------------------------------------------- read_frame: XLSX


def titled_workbook(path: Path) -> Path:
    """A table the way the Bureau publishes it: 3 title lines, header, data, a notes line."""
    rows = [
        ["Валовой региональный продукт по регионам"],
        ["(в текущих ценах)"],
        ["млн тенге"],
        ["Регион", 2021, "2022", "2023*"],
        ["Республика Казахстан", 1000.5, "1 100,5", "x"],
        ["Акмолинская", 10, 11.25, "-"],
        ["г.Астана", 20, 21, 22],
        [],
        ["* предварительные данные"],
    ]
    return write_xlsx(path, rows, merges=("A1:D1", "A2:D2", "A9:D9"))


def test_read_frame_xlsx_title_block_and_notes(tmp_path):
    frame = read_frame(titled_workbook(tmp_path / "grp.xlsx"))
    assert list(frame.columns) == ["Регион", "2021", "2022", "2023*"]
    assert frame.to_dict("index") == {
        5: {"Регион": "Республика Казахстан", "2021": "1000.5", "2022": "1 100,5", "2023*": "x"},
        6: {"Регион": "Акмолинская", "2021": "10", "2022": "11.25", "2023*": "-"},
        7: {"Регион": "г.Астана", "2021": "20", "2022": "21", "2023*": "22"},
    }
    source = frame.attrs["source"]
    assert (source["format"], source["sheet"], source["header_row"]) == ("xlsx", "Data", 4)
    assert source["notes"] == ["* предварительные данные"]
    assert source["encoding"] is None and source["separator"] is None


def test_read_frame_xlsx_two_row_header_keeps_merged_years(tmp_path):
    # "Регион" and 2021 are merged over header rows 3-4; "Годы" spans C3:D3 above 2022 and
    # 2023. The columns are therefore Регион, 2021, 2022, 2023 and data start in row 5.
    rows = [
        ["Численность населения"],
        [],
        ["Регион", 2021, "Годы", None],
        [None, None, 2022, 2023],
        ["Акмолинская", 1, 2, 3],
        ["г.Астана", 4, 5, 6],
    ]
    path = write_xlsx(tmp_path / "pop.xlsx", rows, merges=("A1:D1", "A3:A4", "B3:B4", "C3:D3"))
    frame = read_frame(path)
    assert frame.attrs["source"]["header_row"] == 3
    assert list(frame.columns) == ["Регион", "2021", "2022", "2023"]
    assert frame.to_dict("index") == {
        5: {"Регион": "Акмолинская", "2021": "1", "2022": "2", "2023": "3"},
        6: {"Регион": "г.Астана", "2021": "4", "2022": "5", "2023": "6"},
    }


def test_read_frame_xlsx_year_row_under_a_sparse_heading(tmp_path):
    # "Годы" merged over the years: the header block is rows 3-4 (the merge covers most
    # columns), and the region heading merged from row 3 fills its empty cell
    rows = [["Регион", "Годы", None, None], [None, 2021, 2022, 2023], ["Акмолинская", 1, 2, 3]]
    path = write_xlsx(tmp_path / "pop.xlsx", [["Title"], [], *rows], merges=("A3:A4", "B3:D3"))
    frame = read_frame(path)
    assert frame.attrs["source"]["header_row"] == 3
    assert frame.to_dict("index") == {
        5: {"Регион": "Акмолинская", "2021": "1", "2022": "2", "2023": "3"}
    }


def test_read_frame_xlsx_tall_merged_header(tmp_path):
    # every header cell merged over rows 2-3: the header is row 2 and data start in row 4
    rows = [["Title"], ["Регион", 2022, 2023], [], ["Акмолинская", 1, 2]]
    path = write_xlsx(tmp_path / "t.xlsx", rows, merges=("A2:A3", "B2:B3", "C2:C3"))
    frame = read_frame(path)
    assert frame.to_dict("index") == {4: {"Регион": "Акмолинская", "2022": "1", "2023": "2"}}


def test_read_frame_xlsx_sheets(tmp_path):
    path = titled_workbook(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("Other")
    other.append(["region", "value"])
    other.append(["Akmola", 5])
    book.save(path)
    assert read_frame(path, sheet="Other").to_dict("index") == {
        2: {"region": "Akmola", "value": "5"}
    }
    assert read_frame(path, sheet=1).attrs["source"]["sheet"] == "Other"
    with pytest.raises(DataFormatError, match=r"no sheet 'Nope'.*\['Data', 'Other'\]"):
        read_frame(path, sheet="Nope")


# --------------------------------------------------------------------------- parse_number

KNOWN_NUMBERS = {
    "1 234,5": 1234.5,
    f"1{NBSP}234{NBSP}567,8": 1234567.8,
    f"12{THIN}345,25": 12345.25,
    f"9{NARROW}000": 9000.0,
    "1.234,5": 1234.5,
    "1.234.567,5": 1234567.5,
    "1234.5": 1234.5,
    "0,0": 0.0,
    "0": 0.0,
    "1,234": 1.234,
    "-5": -5.0,
    "\u22125,5": -5.5,
    "+3": 3.0,
    "12,5%": 12.5,
    "12,5 %": 12.5,
    "100%": 100.0,
    "1e3": 1000.0,
    "1 000 000": 1000000.0,
}


def test_parse_number_known_answers():
    series = pd.Series(list(KNOWN_NUMBERS))
    values, reasons = parse_number(series)
    assert values.tolist() == list(KNOWN_NUMBERS.values())
    assert reasons.tolist() == [""] * len(KNOWN_NUMBERS)


MARKERS = {
    "-": "missing:-",
    "–": "missing:-",
    "—": "missing:-",
    "…": "missing:…",
    "...": "missing:…",
    "x": "missing:x",
    "X": "missing:x",
    "х": "missing:x",
    "Х": "missing:x",
    "": "missing:empty",
    "  ": "missing:empty",
    "н/д": "missing:n/a",
    "n/a": "missing:n/a",
    "N/A": "missing:n/a",
}


def test_parse_number_markers_keep_reasons():
    values, reasons = parse_number(pd.Series(list(MARKERS)))
    assert values.isna().all()
    assert reasons.tolist() == list(MARKERS.values())


def test_parse_number_treats_none_and_nan_as_empty():
    values, reasons = parse_number(pd.Series([None, np.nan, "2"], dtype=object))
    assert values.tolist()[2] == 2.0 and values.iloc[:2].isna().all()
    assert reasons.tolist() == ["missing:empty", "missing:empty", ""]


def test_parse_number_keeps_index_and_name():
    values, reasons = parse_number(pd.Series(["1", "-"], index=[10, 11], name="2021"))
    assert values.index.tolist() == [10, 11] and values.name == "2021"
    assert reasons.index.tolist() == [10, 11]


def test_parse_number_lists_every_bad_cell_with_file_row_column(tmp_path):
    rows = [
        ["Title"],
        ["region", "value"],
        ["Akmola", "12 34"],
        ["Astana", "1"],
        ["Abai", "1.234.567"],
        ["Jetisu", "abc"],
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    frame = read_frame(path)
    with pytest.raises(DataFormatError) as error:
        parse_number(frame["value"])
    message = str(error.value)
    assert message.startswith(f"file {path}: 3 cell(s) are not numbers")
    # rows counted as in the file, title line included
    for line in (
        "row 3, column 'value': '12 34'",
        "row 5, column 'value': '1.234.567'",
        "row 6, column 'value': 'abc'",
    ):
        assert line in message
    assert "row 4" not in message
    assert error.value.path == str(path)


@given(
    x=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    digits=st.integers(min_value=0, max_value=6),
    space=st.sampled_from([" ", NBSP, THIN, NARROW]),
)
def test_parse_number_round_trips_printed_floats(x, digits, space):
    # print the way the Bureau does: thousands separated by a space, decimal comma
    printed = f"{x:,.{digits}f}".replace(",", space).replace(".", ",")
    values, reasons = parse_number(pd.Series([printed]))
    assert values.iloc[0] == float(f"{x:.{digits}f}")
    assert reasons.iloc[0] == ""


@given(n=st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_number_round_trips_integers_with_dot_thousands(n):
    printed = f"{n:,}".replace(",", ".") + ",0"
    assert parse_number(pd.Series([printed]))[0].iloc[0] == float(n)


# --------------------------------------------------------------------------- read_table


def panel_records(panel: pd.DataFrame) -> list[tuple]:
    """Rows as (region, year, indicator, sector, value, unit, flag) with NaN as None."""
    return [
        (
            r.region,
            r.year,
            r.indicator,
            r.sector,
            None if math.isnan(r.value) else r.value,
            r.unit,
            r.flag,
        )
        for r in panel.itertuples()
    ]


def test_read_table_wide_years_with_preliminary_and_national_row(tmp_path):
    rows = [
        ["Регион", "2022", "2023*"],
        ["Республика Казахстан", "1 000,5", "…"],
        ["Акмолинская", "10,5", "x"],
        ["г.Астана", "20", "21,25"],
    ]
    path = write_csv(tmp_path / "grp.csv", rows, encoding="cp1251")
    panel = read_table(path, indicator="grp", unit="million KZT")
    assert list(panel.columns) == [
        *("region", "year", "indicator", "sector", "value", "unit", "flag", "period", "note")
    ]
    assert panel["period"].tolist() == ["2022", "2023"] * 3
    assert panel["note"].tolist() == [""] * 6
    assert panel_records(panel) == [
        ("KZ", 2022, "grp", "TOTAL", 1000.5, "million KZT", ""),
        ("KZ", 2023, "grp", "TOTAL", None, "million KZT", "preliminary;missing:…"),
        ("KZ-11", 2022, "grp", "TOTAL", 10.5, "million KZT", ""),
        ("KZ-11", 2023, "grp", "TOTAL", None, "million KZT", "preliminary;missing:x"),
        ("KZ-71", 2022, "grp", "TOTAL", 20.0, "million KZT", ""),
        ("KZ-71", 2023, "grp", "TOTAL", 21.25, "million KZT", "preliminary"),
    ]
    assert panel["year"].dtype == "int64" and panel["value"].dtype == "float64"
    attrs = panel.attrs
    assert attrs["shape"] == "wide_years"
    assert attrs["source"]["encoding"] == "cp1251"
    assert attrs["match"]["national_names"] == ["Республика Казахстан"]
    assert attrs["match"]["unmatched"] == []
    assert attrs["years"] == [2022, 2023]
    national = read_table(path, indicator="grp", national=False)
    assert sorted(national["region"].unique()) == ["KZ-11", "KZ-71"]


def test_read_table_year_headers_in_russian(tmp_path):
    rows = [["", "2021 г.", "2022 год"], ["Туркестанская область", "1", "2"]]
    panel = read_table(write_csv(tmp_path / "t.csv", rows), indicator="population")
    assert panel_records(panel) == [
        ("KZ-61", 2021, "population", "TOTAL", 1.0, "", ""),
        ("KZ-61", 2022, "population", "TOTAL", 2.0, "", ""),
    ]


def test_read_table_wide_sectors(tmp_path):
    rows = [
        ["Область", "Всего", "A Сельское хозяйство", "С Обрабатывающая промышленность", "F"],
        ["Акмолинская", "100", "40,5", "x", "-"],
        ["г.Алматы", "200", "0,0", "150", "50"],
    ]
    path = write_csv(tmp_path / "gva.csv", rows, sep="\t")
    panel = read_table(path, indicator="gva", year=2023, unit="million KZT")
    assert panel_records(panel) == [
        ("KZ-11", 2023, "gva", "A", 40.5, "million KZT", ""),
        ("KZ-11", 2023, "gva", "C", None, "million KZT", "missing:x"),
        ("KZ-11", 2023, "gva", "F", None, "million KZT", "missing:-"),
        ("KZ-11", 2023, "gva", "TOTAL", 100.0, "million KZT", ""),
        ("KZ-75", 2023, "gva", "A", 0.0, "million KZT", ""),
        ("KZ-75", 2023, "gva", "C", 150.0, "million KZT", ""),
        ("KZ-75", 2023, "gva", "F", 50.0, "million KZT", ""),
        ("KZ-75", 2023, "gva", "TOTAL", 200.0, "million KZT", ""),
    ]
    assert panel.attrs["shape"] == "wide_sectors"


def test_read_table_long_russian_headers_with_indicator_column(tmp_path):
    rows = [
        ["Показатель", "Регион", "Год", "Значение", "Ед. изм.", "Источник"],
        ["grp", "Акмолинская", "2022", "1 500", "млн тенге", "БНС"],
        ["grp", "Акмолинская", "2023*", "1 600", "млн тенге", "БНС"],
        ["population", "Акмолинская", "2023", "785,4", "тыс. человек", "БНС"],
    ]
    path = write_csv(tmp_path / "long.csv", rows)
    panel = read_table(path)
    assert panel_records(panel) == [
        ("KZ-11", 2022, "grp", "TOTAL", 1500.0, "млн тенге", ""),
        ("KZ-11", 2023, "grp", "TOTAL", 1600.0, "млн тенге", "preliminary"),
        ("KZ-11", 2023, "population", "TOTAL", 785.4, "тыс. человек", ""),
    ]
    # the extra column is kept
    assert panel["Источник"].tolist() == ["БНС"] * 3
    one = read_table(path, indicator="population")
    assert panel_records(one) == [("KZ-11", 2023, "population", "TOTAL", 785.4, "тыс. человек", "")]
    known = r"no row has indicator 'gva'.*\['grp', 'population'\]"
    with pytest.raises(DataFormatError, match=known):
        read_table(path, indicator="gva")


def test_read_table_long_english_with_sector_and_flag(tmp_path):
    rows = [
        ["region", "year", "sector", "value", "flag"],
        ["KZ-35", "2022", "B", "5", "estimated"],
        ["Karaganda", "2022", "C", "-", ""],
    ]
    panel = read_table(write_csv(tmp_path / "t.csv", rows, sep=","), indicator="gva")
    assert panel_records(panel) == [
        ("KZ-35", 2022, "gva", "B", 5.0, "", "estimated"),
        ("KZ-35", 2022, "gva", "C", None, "", "missing:-"),
    ]


def test_read_table_xlsx_title_block_notes_and_csv_agree(tmp_path):
    # the same table as XLSX (title block, merged notes) and as cp1251 CSV gives one panel
    xlsx = read_table(titled_workbook(tmp_path / "grp.xlsx"), indicator="grp")
    rows = [
        ["Регион", "2021", "2022", "2023*"],
        ["Республика Казахстан", "1000.5", "1 100,5", "x"],
        ["Акмолинская", "10", "11.25", "-"],
        ["г.Астана", "20", "21", "22"],
    ]
    csv = read_table(write_csv(tmp_path / "grp.csv", rows, encoding="cp1251"), indicator="grp")
    # the XLSX states its unit in the title block ("млн тенге") and explains 2023* under the
    # table; the CSV has neither
    assert xlsx.attrs["report"]["unit"]["in_title"] == ["million KZT"]
    assert set(xlsx["unit"]) == {"million KZT"}
    notes = xlsx.set_index(["region", "year"])["note"]
    assert notes[("KZ-11", 2023)] == "* предварительные данные" and notes[("KZ-11", 2022)] == ""
    pd.testing.assert_frame_equal(
        xlsx.drop(columns=["unit", "note"]), csv.drop(columns=["unit", "note"])
    )
    assert panel_records(xlsx)[:3] == [
        ("KZ", 2021, "grp", "TOTAL", 1000.5, "million KZT", ""),
        ("KZ", 2022, "grp", "TOTAL", 1100.5, "million KZT", ""),
        ("KZ", 2023, "grp", "TOTAL", None, "million KZT", "preliminary;missing:x"),
    ]
    assert xlsx.attrs["source"]["notes"] == ["* предварительные данные"]


def test_read_table_duplicates_are_listed_with_rows(tmp_path):
    # "г.Астана" and "Astana" are one region: rows 3 and 4 collide in both years
    rows = [
        ["Регион", "2022", "2023"],
        ["Акмолинская", "1", "2"],
        ["г.Астана", "3", "4"],
        ["Astana", "5", "6"],
    ]
    path = write_csv(tmp_path / "dup.csv", rows)
    with pytest.raises(DataFormatError) as error:
        read_table(path, indicator="grp")
    message = str(error.value)
    assert "2 (region, year, indicator, sector) key(s) appear more than once" in message
    assert "KZ-71 / 2022 / grp / TOTAL: row 3 column '2022', row 4 column '2022'" in message
    assert "KZ-71 / 2023 / grp / TOTAL: row 3 column '2023', row 4 column '2023'" in message
    assert "KZ-11" not in message


def test_read_table_duplicate_year_columns(tmp_path):
    rows = [["Регион", "2022", "2022*"], ["Акмолинская", "1", "2"]]
    with pytest.raises(DataFormatError, match=r"row 2 column '2022', row 2 column '2022\*'"):
        read_table(write_csv(tmp_path / "t.csv", rows), indicator="grp")


def test_read_table_bad_cells_name_file_row_column(tmp_path):
    rows = [
        ["Title line"],
        ["Регион", "2022", "2023"],
        ["Акмолинская", "1", "n.a."],
        ["г.Астана", "abc", "4"],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(DataFormatError) as error:
        read_table(path, indicator="grp")
    message = str(error.value)
    assert message.startswith(f"file {path}: 1 kind(s) of problem")
    assert "row 3, column '2023': 'n.a.'" in message
    assert "row 4, column '2022': 'abc'" in message


def test_read_table_unmatched_region_lists_rows(tmp_path):
    rows = [["Регион", "2022"], ["Акмолинская", "1"], ["Атлантида", "2"], ["Атлантида", "3"]]
    path = write_csv(tmp_path / "t.csv", rows)
    with pytest.raises(RegionMatchError, match=r"'Атлантида' \(rows 3, 4\): unmatched") as error:
        read_table(path, indicator="grp")
    assert str(path) in str(error.value)
    lenient = read_table(path, indicator="grp", strict=False)
    assert panel_records(lenient) == [("KZ-11", 2022, "grp", "TOTAL", 1.0, "", "")]
    assert lenient.attrs["match"]["unmatched"] == ["Атлантида"]


def test_read_table_reports_all_kinds_of_problem_together(tmp_path):
    rows = [["Регион", "2022"], ["Атлантида", "1"], ["Акмолинская", "abc"]]
    with pytest.raises(DataFormatError) as error:
        read_table(write_csv(tmp_path / "t.csv", rows), indicator="grp")
    message = str(error.value)
    assert "2 kind(s) of problem" in message
    assert "row 3, column '2022': 'abc'" in message and "'Атлантида' (row 2)" in message


def test_read_table_nonnegative(tmp_path):
    rows = [["Регион", "2022", "2023"], ["Акмолинская", "-5", "3"]]
    path = write_csv(tmp_path / "t.csv", rows)
    assert read_table(path, indicator="net_taxes")["value"].tolist() == [-5.0, 3.0]
    with pytest.raises(DataFormatError, match=r"(?s)negative.*row 2, column '2022': '-5'"):
        read_table(path, indicator="population", nonnegative=True)


def test_read_table_matches_names_on_the_layout_of_its_years(tmp_path):
    rows = [["Регион", "2019"], ["Карагандинская область", "1"]]
    path = write_csv(tmp_path / "t.csv", rows)
    # 2019 lies in the KZ-2018 layout: Karaganda on its pre-2022 borders
    assert read_table(path, indicator="grp")["region"].tolist() == ["KZ-KAR"]
    assert read_table(path, indicator="grp", layout="KZ-2022")["region"].tolist() == ["KZ-35"]


def test_read_table_aliases_and_region_column(tmp_path):
    rows = [["Код", "Name", "2022"], ["1", "Capital", "5"]]
    path = write_csv(tmp_path / "t.csv", rows)
    panel = read_table(path, indicator="grp", region_column="Name", aliases={"Capital": "KZ-71"})
    assert panel_records(panel) == [("KZ-71", 2022, "grp", "TOTAL", 5.0, "", "")]


def test_read_table_explains_what_it_needs(tmp_path):
    wide = write_csv(tmp_path / "w.csv", [["Регион", "2022", "Прочее"], ["Акмолинская", "1", "2"]])
    with pytest.raises(DataFormatError, match="needs indicator="):
        read_table(wide)
    with pytest.raises(DataFormatError, match=r"\['Прочее'\] are neither the region column"):
        read_table(wide, indicator="grp")
    sectors = write_csv(tmp_path / "s.csv", [["Регион", "A"], ["Акмолинская", "1"]])
    with pytest.raises(DataFormatError, match="cannot tell the table's shape"):
        read_table(sectors, indicator="gva")
    with pytest.raises(DataFormatError, match="unknown shape"):
        read_table(sectors, indicator="gva", shape="diagonal")
    with pytest.raises(DataFormatError, match="there is no column 'Нет'"):
        read_table(sectors, indicator="gva", region_column="Нет")


def test_read_table_year_keeps_one_year_of_a_wide_table(tmp_path):
    rows = [["Регион", "2022", "2023"], ["Акмолинская", "1", "2"]]
    panel = read_table(write_csv(tmp_path / "t.csv", rows), indicator="grp", year=2023)
    assert panel_records(panel) == [("KZ-11", 2023, "grp", "TOTAL", 2.0, "", "")]


def test_read_table_does_not_depend_on_row_order(tmp_path):
    # invariance: shuffling the data rows gives the same (sorted) panel
    rows = [["Регион", "2022"], ["Акмолинская", "1"], ["г.Астана", "2"], ["Абайская", "3"]]
    first = read_table(write_csv(tmp_path / "a.csv", rows), indicator="grp")
    second = read_table(
        write_csv(tmp_path / "b.csv", [rows[0], rows[3], rows[1], rows[2]]), indicator="grp"
    )
    pd.testing.assert_frame_equal(first, second)


def bureau_number(value: float) -> str:
    """Print a float the Bureau's way (non-breaking-space thousands, decimal comma), exactly."""
    return format(value, ",").replace(",", NBSP).replace(".", ",")


def test_read_table_round_trips_the_bundled_grp_in_the_bureaus_format(tmp_path):
    # Real data: the bundled GRP of 2022-2025 (20 regions and the republic) printed the way
    # the Bureau publishes it (Russian names, years across, 2024*/2025* preliminary, decimal
    # comma, title block, notes, Windows-1251) must read back to the same panel.
    from terraplan.datasets import kazakhstan
    from terraplan.territory.registry import regions

    original = kazakhstan.panel("grp", years=range(2022, 2026), include_national=True)
    wide = original.pivot(index="region", columns="year", values="value")
    names = regions(None)["name_ru"].to_dict() | {"KZ": "Республика Казахстан"}
    prelim = set(original.loc[original["flag"] == "preliminary", "year"])
    header = ["Регион"] + [f"{y}*" if y in prelim else str(y) for y in wide.columns]
    rows = [["Валовой региональный продукт"], ["млн тенге"], [""], header]
    rows += [[names[code], *map(bureau_number, wide.loc[code])] for code in wide.index]
    rows += [[""], ["* предварительные данные"]]
    path = write_csv(tmp_path / "grp.csv", rows, encoding="cp1251")
    unit = original["unit"].iloc[0]
    panel = read_table(path, indicator="grp", unit=unit, layout="KZ-2022")
    expected = original[list(original.columns)].sort_values(["region", "year"])
    pd.testing.assert_frame_equal(
        panel[list(original.columns)], expected.reset_index(drop=True), check_dtype=False
    )
    assert (panel["period"] == panel["year"].astype(str)).all()
    prelim_rows = panel["year"].isin(prelim)
    assert set(panel.loc[prelim_rows, "note"]) <= {"* предварительные данные"}
    assert set(panel.loc[~prelim_rows, "note"]) == {""}
    assert panel.attrs["match"]["unmatched"] == []
    assert panel.attrs["source"]["header_row"] == 4


def test_read_table_output_is_a_valid_panel(tmp_path):
    # identity: validate_panel accepts the reader's output and leaves it unchanged
    from terraplan.data.panel import validate_panel

    rows = [["Регион", "2022", "2023*"], ["Акмолинская", "1", "x"], ["Всего", "5", "6"]]
    panel = read_table(write_csv(tmp_path / "t.csv", rows), indicator="grp")
    pd.testing.assert_frame_equal(validate_panel(panel), panel)


def test_read_table_national_false_ignores_duplicated_national_rows(tmp_path):
    # "Республика Казахстан" and "Всего" both mean KZ: a conflict only when they are kept
    rows = [["Регион", "2022"], ["Республика Казахстан", "5"], ["Всего", "5"], ["Акмолинская", "1"]]
    path = write_csv(tmp_path / "t.csv", rows)
    with pytest.raises(DataFormatError, match=r"KZ / 2022 / grp / TOTAL: row 2 .*, row 3"):
        read_table(path, indicator="grp")
    panel = read_table(path, indicator="grp", national=False)
    assert panel_records(panel) == [("KZ-11", 2022, "grp", "TOTAL", 1.0, "", "")]
