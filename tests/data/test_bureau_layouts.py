"""The Bureau of National Statistics' workbooks as they are published (issue 10, section 1).

Every workbook here is built with openpyxl from a description of a published layout; each
fixture says which one it imitates. The figures are chosen by hand (small integers, quarters
that add up to the year) so that every expected value, period, unit, note and border below is
known by construction, not computed by the code under test.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from terraplan.data.readers import read_frame, read_table, read_workbook
from terraplan.errors import DataFormatError


def save(path: Path, rows: list[list[object]], merges: tuple[str, ...] = (), **sheets) -> Path:
    """One sheet ``rows`` (merged ranges ``merges``) and extra sheets ``name=rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    for name, extra in sheets.items():
        other = book.create_sheet(name)
        for row in extra:
            other.append(row)
    book.save(path)
    return path


def records(panel, *columns: str) -> list[tuple]:
    """Rows of ``panel`` as tuples of ``columns``, NaN as None."""
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)
        for row in panel[list(columns)].itertuples(index=False)
    ]


# --------------------------------------------------------------------------- period columns


def quarterly_workbook(path: Path) -> Path:
    """Imitates the Bureau's quarterly industrial-output table (Russian): a title and a unit
    line, "Регион" and "2008 год" merged down over two header rows, "2008" merged across its
    four quarter columns ("I квартал" ... "IV квартал" under it), then "I полугодие 2008 года"
    and "9 месяцев 2008 года"; a footnote line under the table. The quarters add up to the
    year (20+25+25+30 = 100), H1 = Q1+Q2 and 9 months = Q1+Q2+Q3."""
    rows = [
        ["Объем промышленного производства по регионам"],
        ["млн.тенге"],
        ["Регион", "2008 год", "2008", None, None, None, "I полугодие 2008 года", None],
        [None, None, "I квартал", "II квартал", "III квартал", "IV квартал", None, None],
        ["Республика Казахстан", "100", 20, 25, 25, 30, 45, 70],
        ["Акмолинская", 60, 12, 15, 15, 18, 27, 42],
        ["г.Астана", 40, 8, 10, 10, 12, 18, 28],
        [],
        ["1) Данные уточнены"],
    ]
    rows[2][7] = "9 месяцев 2008 года"
    merges = ("A1:H1", "A3:A4", "B3:B4", "C3:F3", "G3:G4", "H3:H4")
    return save(path, rows, merges)


def test_quarters_half_years_and_nine_months_in_russian(tmp_path):
    path = quarterly_workbook(tmp_path / "industry.xlsx")
    panel = read_table(path, indicator="industry")
    # the panel's default: the annual figures only, the others listed as left out
    assert records(panel, "region", "year", "period", "value", "unit") == [
        ("KZ", 2008, "2008", 100.0, "million KZT"),
        ("KZ-11", 2008, "2008", 60.0, "million KZT"),
        ("KZ-71", 2008, "2008", 40.0, "million KZT"),
    ]
    report = panel.attrs["report"]
    assert report["periods_left_out"] == [
        "2008H1",
        "2008M9",
        "2008Q1",
        "2008Q2",
        "2008Q3",
        "2008Q4",
    ]
    assert report["unit"]["in_title"] == ["million KZT"]
    assert report["footnotes"] == {"1": "Данные уточнены"}
    every = read_table(path, indicator="industry", periods="all")
    akmola = every[every["region"] == "KZ-11"]
    assert records(akmola, "period", "value") == [
        ("2008", 60.0),
        ("2008H1", 27.0),
        ("2008M9", 42.0),
        ("2008Q1", 12.0),
        ("2008Q2", 15.0),
        ("2008Q3", 15.0),
        ("2008Q4", 18.0),
    ]
    assert set(every["year"]) == {2008} and len(every) == 21


def test_english_year_word_and_quarters_under_merged_years(tmp_path):
    """Imitates the Bureau's English quarterly GRP sheet: "Region" merged down, each year
    written once in a cell merged over five columns ("year", "I quarter" .. "IV quarter"
    under it), "Kazakhstan" as the national row, years stored as floats (2008.0)."""
    rows = [
        ["Gross regional product, mln.tenge"],
        ["Region", 2008.0, None, None, None, None, 2009.0, None, None, None, None],
        [None, "year", "I quarter", "II quarter", "III quarter", "IV quarter"] * 1
        + ["year", "I quarter", "II quarter", "III quarter", "IV quarter"],
        ["Kazakhstan", 10, 1, 2, 3, 4, 20, 2, 4, 6, 8],
        ["Akmola region", 4, 1, 1, 1, 1, 8, 2, 2, 2, 2],
    ]
    path = save(tmp_path / "grp_en.xlsx", rows, ("A1:K1", "A2:A3", "B2:F2", "G2:K2"))
    panel = read_table(path, indicator="grp", periods="all")
    assert records(panel[panel["region"] == "KZ-11"], "year", "period", "value") == [
        (2008, "2008", 4.0),
        (2008, "2008Q1", 1.0),
        (2008, "2008Q2", 1.0),
        (2008, "2008Q3", 1.0),
        (2008, "2008Q4", 1.0),
        (2009, "2009", 8.0),
        (2009, "2009Q1", 2.0),
        (2009, "2009Q2", 2.0),
        (2009, "2009Q3", 2.0),
        (2009, "2009Q4", 2.0),
    ]
    assert set(panel["unit"]) == {"million KZT"}
    annual = read_table(path, indicator="grp")
    assert records(annual, "region", "year", "value") == [
        ("KZ", 2008, 10.0),
        ("KZ", 2009, 20.0),
        ("KZ-11", 2008, 4.0),
        ("KZ-11", 2009, 8.0),
    ]


def test_a_table_of_quarters_only_asks_for_periods_all(tmp_path):
    rows = [["Регион", "I квартал 2023 года", "II квартал 2023 года"], ["Акмолинская", 1, 2]]
    path = save(tmp_path / "q.xlsx", rows)
    with pytest.raises(DataFormatError, match=r"no annual figures.*2023Q1.*periods='all'"):
        read_table(path, indicator="x")
    assert read_table(path, indicator="x", periods="all")["period"].tolist() == [
        "2023Q1",
        "2023Q2",
    ]


def test_long_table_with_period_labels(tmp_path):
    # a long table whose period column mixes years and quarters, as exported from the
    # Bureau's database (taldau): the annual rows by default, every row with periods="all"
    rows = [
        ["Регион", "Период", "Значение"],
        ["Акмолинская", "2022", "10"],
        ["Акмолинская", "I квартал 2022", "2"],
        ["Акмолинская", "2023*", "12"],
    ]
    path = save(tmp_path / "long.xlsx", rows)
    assert records(read_table(path, indicator="x"), "year", "period", "value", "flag") == [
        (2022, "2022", 10.0, ""),
        (2023, "2023", 12.0, "preliminary"),
    ]
    every = read_table(path, indicator="x", periods="all")
    assert every["period"].tolist() == ["2022", "2022Q1", "2023"]


# --------------------------------------------------------------------------- footnote marks


def footnoted_workbook(path: Path) -> Path:
    """Imitates the Bureau's long-run unemployment table: years with footnote marks glued on
    (``19901)``, ``20232)``), a region with a mark (``Туркестанская2)``), the indicator in the
    title with a mark (``Unemployment rate1)``), and the footnotes as lines under the table.
    No Shymkent row: Туркестанская stands for South Kazakhstan in 1990 and 2000 (borders in
    force then) and for Turkistan Region in 2023."""
    rows = [
        ["Unemployment rate1)"],
        ["в процентах"],
        ["Регион", "19901)", "2000", "20232)"],
        ["Республика Казахстан", "5,5", "12,8", "4,7"],
        ["Туркестанская2)", "6,1", "13,2", "4,8"],
        ["Акмолинская", "5,0", "11,0", "4,6"],
        [None],
        ["1) Оценка"],
        ["2) Предварительные данные"],
    ]
    return save(path, rows)


def test_footnote_marks_are_stripped_and_their_texts_kept_as_notes(tmp_path):
    panel = read_table(footnoted_workbook(tmp_path / "u.xlsx"), indicator="unemployment_rate")
    assert records(panel, "region", "year", "value", "unit", "note") == [
        ("KZ", 1990, 5.5, "percent", "1) Оценка"),
        ("KZ", 2000, 12.8, "percent", ""),
        ("KZ", 2023, 4.7, "percent", "2) Предварительные данные"),
        ("KZ-11", 1990, 5.0, "percent", "1) Оценка"),
        ("KZ-11", 2000, 11.0, "percent", ""),
        ("KZ-11", 2023, 4.6, "percent", "2) Предварительные данные"),
        ("KZ-61", 2023, 4.8, "percent", "2) Предварительные данные"),
        ("KZ-YUZ", 1990, 6.1, "percent", "2) Предварительные данные; 1) Оценка"),
        ("KZ-YUZ", 2000, 13.2, "percent", "2) Предварительные данные"),
    ]
    report = panel.attrs["report"]
    # the footnotes are notes, never regions
    assert panel.attrs["match"]["unmatched"] == []
    assert report["footnotes"] == {"1": "Оценка", "2": "Предварительные данные"}
    assert [(b["year"], b["code"]) for b in report["borders"]] == [
        (1990, "KZ-YUZ"),
        (2000, "KZ-YUZ"),
        (2023, "KZ-61"),
    ]
    assert all("no Shymkent row" in b["reason"] for b in report["borders"])


def test_footnote_row_with_its_mark_in_a_cell_of_its_own_is_not_a_region(tmp_path):
    # "1)" in column A and the text in column B: two filled cells, still a footnote
    rows = [["Регион", "2022", "2023"], ["Акмолинская1)", 1, 2], ["1)", "без учета банков"]]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="x")
    assert panel["region"].tolist() == ["KZ-11", "KZ-11"]
    assert panel.attrs["source"]["notes"] == ["1) без учета банков"]
    assert panel["note"].tolist() == ["1) без учета банков"] * 2


# --------------------------------------------------------------------------- formula cells


def with_cached_value(path: Path, formula: str, value: str) -> Path:
    """Rewrite the workbook so that the cell holding ``formula`` has the cached ``value``, as
    Excel saves it (openpyxl writes formulas without values)."""
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def formula_workbook(path: Path) -> Path:
    """Imitates a Bureau table whose national row is a formula over the regions below it
    (``=SUM(C5:C6)``), with 2022 typed as a number that disagrees with the regions on
    purpose (100 against 60 + 30 = 90)."""
    rows = [
        ["ВРП, млн. тенге"],
        [],
        ["Регион", "2022", "2023"],
        ["Республика Казахстан", 100, "=SUM(C5:C6)"],
        ["Акмолинская", 60, 70],
        ["г.Астана", 30, 41],
    ]
    return save(path, rows)


def test_formula_without_cached_value_is_flagged_and_the_sum_checked(tmp_path):
    panel = read_table(formula_workbook(tmp_path / "f.xlsx"), indicator="grp")
    assert records(panel, "region", "year", "value", "flag") == [
        ("KZ", 2022, 100.0, ""),
        ("KZ", 2023, None, "formula_without_value"),
        ("KZ-11", 2022, 60.0, ""),
        ("KZ-11", 2023, 70.0, ""),
        ("KZ-71", 2022, 30.0, ""),
        ("KZ-71", 2023, 41.0, ""),
    ]
    report = panel.attrs["report"]
    assert report["formulas_without_value"] == [{"row": 4, "column": "2023"}]
    assert report["sum_check"] == {
        "compared": 1,
        "disagreements": [
            {
                "period": "2022",
                "indicator": "grp",
                "sector": "TOTAL",
                "national": 100.0,
                "sum_of_regions": 90.0,
            }
        ],
    }


def test_formula_with_cached_value_uses_it(tmp_path):
    path = with_cached_value(formula_workbook(tmp_path / "f.xlsx"), "SUM(C5:C6)", "111")
    panel = read_table(path, indicator="grp")
    national = panel[panel["region"] == "KZ"]
    assert records(national, "year", "value", "flag") == [(2022, 100.0, ""), (2023, 111.0, "")]
    report = panel.attrs["report"]
    assert report["formulas_without_value"] == []
    # 2023: 111 = 70 + 41 agrees; 2022 still disagrees
    assert report["sum_check"]["compared"] == 2
    assert [d["period"] for d in report["sum_check"]["disagreements"]] == ["2022"]
    assert read_table(path, indicator="grp", check_sum=False).attrs["report"]["sum_check"] is None


# --------------------------------------------------------------------------- period sheets


def period_sheets(path: Path, *, disagree: bool = False) -> Path:
    """Imitates the Bureau's long series split into sheets ``1990-1997``, ``1998-2007``,
    ``2008-2023`` (here two years each), preceded by a contents sheet and with a hidden helper
    sheet. 1998 appears on the first two sheets with the same value (or, with ``disagree``,
    with 7 against 8)."""
    book = openpyxl.Workbook()
    contents = book.active
    contents.title = "Содержание"
    contents.append(["Валовой региональный продукт, млн. тенге"])
    contents.append(["1990-1997, 1998-2007, 2008-2023"])
    sheets = {
        "1990-1997": [["Регион", 1996, 1997, 1998], ["Акмолинская", 5, 6, 7]],
        "1998-2007": [["Регион", 1998, 2007], ["Акмолинская", 8 if disagree else 7, 9]],
        "2008-2023": [["Регион", 2008, 2023], ["Акмолинская", 10, 11]],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in [["Валовой региональный продукт, млн. тенге"], *rows]:
            sheet.append(row)
    helper = book.create_sheet("helper")
    helper.append(["Регион", 2030])
    helper.append(["Атлантида", 1])
    helper.sheet_state = "hidden"
    book.save(path)
    return path


def test_period_sheets_read_in_one_call(tmp_path):
    path = period_sheets(tmp_path / "grp.xlsx")
    panel = read_table(path, indicator="grp", sheet="all")
    assert records(panel, "region", "year", "value", "unit") == [
        ("KZ-11", 1996, 5.0, "million KZT"),
        ("KZ-11", 1997, 6.0, "million KZT"),
        ("KZ-11", 1998, 7.0, "million KZT"),
        ("KZ-11", 2007, 9.0, "million KZT"),
        ("KZ-11", 2008, 10.0, "million KZT"),
        ("KZ-11", 2023, 11.0, "million KZT"),
    ]
    report = panel.attrs["report"]
    assert panel.attrs["source"]["sheets"] == ["1990-1997", "1998-2007", "2008-2023"]
    assert report["overlapping_figures"] == 1
    assert report["sheets_left_out"] == [
        {"sheet": "helper", "reason": "hidden"},
        {"sheet": "Содержание", "reason": "no table: no period, year or sector columns"},
    ]
    same = read_workbook(path, indicator="grp")
    assert same.equals(panel)
    two = read_table(path, indicator="grp", sheet=["1998-2007", "2008-2023"])
    assert two["year"].tolist() == [1998, 2007, 2008, 2023]


def test_period_sheets_that_disagree_are_refused(tmp_path):
    path = period_sheets(tmp_path / "grp.xlsx", disagree=True)
    with pytest.raises(DataFormatError, match=r"KZ-11 / 1998 .*'1990-1997': 7.0.*'1998-2007': 8"):
        read_table(path, indicator="grp", sheet="all")


def test_problems_of_all_sheets_come_together(tmp_path):
    rows_a = [["Регион", 2020], ["Акмолинская", "abc"]]
    rows_b = [["Регион", 2021], ["Атлантида", 1]]
    path = save(tmp_path / "t.xlsx", rows_a, b=rows_b)
    with pytest.raises(DataFormatError) as caught:
        read_workbook(path, indicator="x")
    message = str(caught.value)
    assert "2 sheet(s) have problems" in message
    assert "'abc'" in message and "Атлантида" in message


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("ВРП по регионам, mln.tenge", "million KZT"),
        ("Среднемесячная заработная плата, тыс.тенге", "thousand KZT"),
        ("Экспорт (в долларах США)", "USD"),
        ("Численность населения, тыс. человек", "thousand persons"),
    ],
)
def test_unit_in_the_title_block(tmp_path, title, unit):
    """Imitates the title line the Bureau puts over each table, unit after the name."""
    rows = [[title], [], ["Регион", 2022], ["Акмолинская", 1], ["г.Астана", 2]]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="x")
    assert set(panel["unit"]) == {unit}
    # unit= wins, and the report says what the title said
    given = read_table(save(tmp_path / "t.xlsx", rows), indicator="x", unit="other")
    assert set(given["unit"]) == {"other"}
    assert given.attrs["report"]["unit"]["in_title"] == [unit]


# --------------------------------------------------------------------------- borders per year


def borders_workbook(path: Path, *, karaganda_note: str | None = None) -> Path:
    """Imitates the Bureau's republished GRP series 2019-2023 with the 2022 regions: Abai has
    figures from 2022 (dashes before), Jetisu from 2021 (republished on the new borders), no
    Ulytau row; Shymkent from 2019. With ``karaganda_note``, Karaganda carries mark 1 and the
    note under the table is that text."""
    mark = "1)" if karaganda_note else ""
    rows = [
        ["Валовой региональный продукт, млн. тенге"],
        ["Регион", 2019, 2020, 2021, 2022, 2023],
        ["Республика Казахстан", 100, 110, 120, 130, 140],
        ["Абайская", "-", "-", "-", 5, 6],
        ["Восточно-Казахстанская", 20, 21, 22, 15, 16],
        ["Алматинская", 30, 31, 25, 26, 27],
        ["Жетысуская", "-", "-", 7, 8, 9],
        [f"Карагандинская{mark}", 40, 41, 42, 35, 36],
        ["Туркестанская", 10, 11, 12, 13, 14],
        ["г.Шымкент", 9, 9, 9, 9, 9],
    ]
    if karaganda_note:
        rows += [[], [f"1) {karaganda_note}"]]
    return save(path, rows)


def test_borders_per_year_from_the_successors_figures(tmp_path):
    panel = read_table(borders_workbook(tmp_path / "grp.xlsx"), indicator="grp")
    by_code = panel.groupby("region")["year"].apply(list).to_dict()
    assert by_code["KZ-VOS"] == [2019, 2020, 2021]
    assert by_code["KZ-63"] == [2022, 2023]
    assert by_code["KZ-ALM"] == [2019, 2020]
    assert by_code["KZ-19"] == [2021, 2022, 2023]
    assert by_code["KZ-KAR"] == [2019, 2020, 2021]  # no Ulytau row: the borders in force
    assert by_code["KZ-35"] == [2022, 2023]
    assert by_code["KZ-61"] == [2019, 2020, 2021, 2022, 2023]  # Shymkent has figures
    assert "KZ-YUZ" not in by_code
    # a value on old borders never has a current code
    assert panel.set_index(["region", "year"]).loc[("KZ-ALM", 2020), "value"] == 31.0
    decided = {
        (b["label"], b["year"]): (b["code"], b["reason"]) for b in panel.attrs["report"]["borders"]
    }
    assert decided[("Восточно-Казахстанская", 2021)] == (
        "KZ-VOS",
        "Abai Region has no figure in 2021",
    )
    assert decided[("Алматинская", 2021)] == ("KZ-19", "Jetisu Region has figures in 2021")
    assert decided[("Карагандинская", 2019)][1].startswith("no Ulytau Region row")


@pytest.mark.parametrize(
    ("note", "codes"),
    [
        ("данные приведены в новых границах", ["KZ-35"] * 5),
        ("за 2022 год - в границах до 2022 г.", ["KZ-KAR"] * 4 + ["KZ-35"]),
    ],
)
def test_a_footnote_stating_the_borders_wins(tmp_path, note, codes):
    path = borders_workbook(tmp_path / "grp.xlsx", karaganda_note=note)
    panel = read_table(path, indicator="grp")
    karaganda = panel[panel["region"].isin(["KZ-35", "KZ-KAR"])]
    assert karaganda.sort_values("year")["region"].tolist() == codes
    assert set(karaganda["note"]) == {f"1) {note}"}


def test_layout_given_keeps_the_codes_of_that_layout(tmp_path):
    panel = read_table(borders_workbook(tmp_path / "grp.xlsx"), indicator="grp", layout="KZ-2022")
    assert {"KZ-VOS", "KZ-ALM", "KZ-KAR", "KZ-YUZ"}.isdisjoint(set(panel["region"]))
    assert {b["reason"] for b in panel.attrs["report"]["borders"]} == {"layout='KZ-2022'"}


# --------------------------------------------------------------------------- general layouts


def test_what_else_published_tables_do(tmp_path):
    """Imitates a Bureau sheet with everything around the figures: a hidden first sheet, a
    three-row header (a group heading merged over the years, the years, a row of column
    numbers), a blank spacer column and a blank spacer row, "в том числе:" heading the
    regions, numbers stored as text with non-breaking spaces, years as floats."""
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "hidden"
    hidden.append(["x", "y"])
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("Данные")
    rows = [
        ["Численность населения, человек"],
        [],
        ["Наименование", None, "Годы", None],
        [None, None, 2022.0, 2023.0],
        ["А", None, "1", "2"],
        ["Республика Казахстан", None, "19 766 807", "20 033 546"],
        ["в том числе:", None, None, None],
        [],
        ["Акмолинская", None, "785\u00a0474", "787 334"],
    ]
    for row in rows:
        sheet.append(row)
    for cells in ("A1:D1", "A3:A4", "C3:D3"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "pop.xlsx")
    panel = read_table(tmp_path / "pop.xlsx", indicator="population")
    assert panel.attrs["source"]["sheet"] == "Данные"
    assert records(panel, "region", "year", "value", "unit") == [
        ("KZ", 2022, 19766807.0, "persons"),
        ("KZ", 2023, 20033546.0, "persons"),
        ("KZ-11", 2022, 785474.0, "persons"),
        ("KZ-11", 2023, 787334.0, "persons"),
    ]
    assert panel.attrs["report"]["rows_left_out"] == [
        {"row": 7, "label": "в том числе:", "reason": "heading of a breakdown, no figures"}
    ]


def test_a_chart_sheet_first_is_passed_over(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["Регион", 2022])
    book.active.append(["Акмолинская", 1])
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=2, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(tmp_path / "c.xlsx")
    assert read_table(tmp_path / "c.xlsx", indicator="x")["value"].tolist() == [1.0]
    with pytest.raises(DataFormatError, match=r"sheet 'Chart' is a chart"):
        read_frame(tmp_path / "c.xlsx", sheet="Chart")


def test_header_row_numbers_stay_file_rows_with_stray_cells(tmp_path):
    # blank rows and columns are skipped, but rows keep their number in the file
    rows = [["Регион", None, 2022], [None], [None], ["Акмолинская", None, 5]]
    frame = read_frame(save(tmp_path / "t.xlsx", rows))
    assert frame.to_dict("index") == {4: {"Регион": "Акмолинская", "2022": "5"}}
    assert re.fullmatch(r".*t\.xlsx", frame.attrs["source"]["path"])


def test_one_year_merged_over_quarters_without_a_region_heading(tmp_path):
    """Imitates the Bureau's quarterly sheet of a single year: the region column has no
    heading, the year is written once in a cell merged over its four quarters."""
    rows = [
        ["ВРП, тыс.тенге"],
        [None, 2008, None, None, None],
        [None, "I квартал", "II квартал", "III квартал", "IV квартал"],
        ["Акмолинская", 1, 2, 3, 4],
        ["Костанайская", 5, 6, 7, 8],
    ]
    path = save(tmp_path / "q.xlsx", rows, ("B2:E2",))
    panel = read_table(path, indicator="grp", periods="all")
    assert panel.attrs["source"]["header_row"] == 2
    assert records(panel, "region", "period", "value", "unit") == [
        ("KZ-11", "2008Q1", 1.0, "thousand KZT"),
        ("KZ-11", "2008Q2", 2.0, "thousand KZT"),
        ("KZ-11", "2008Q3", 3.0, "thousand KZT"),
        ("KZ-11", "2008Q4", 4.0, "thousand KZT"),
        ("KZ-39", "2008Q1", 5.0, "thousand KZT"),
        ("KZ-39", "2008Q2", 6.0, "thousand KZT"),
        ("KZ-39", "2008Q3", 7.0, "thousand KZT"),
        ("KZ-39", "2008Q4", 8.0, "thousand KZT"),
    ]


def test_kazakh_headers(tmp_path):
    """Imitates the Kazakh-language edition: "Өңір", "2022 жыл", "І тоқсан 2023" (Cyrillic І
    as the roman numeral), "Қазақстан Республикасы" as the national row."""
    rows = [
        ["Өңір", "2022 жыл", "І тоқсан 2023", "ІІ тоқсан 2023"],
        ["Қазақстан Республикасы", 10, 2, 3],
        ["Ақмола облысы", 4, 1, 1],
    ]
    panel = read_table(save(tmp_path / "kk.xlsx", rows), indicator="x", periods="all")
    assert records(panel, "region", "period", "value") == [
        ("KZ", "2022", 10.0),
        ("KZ", "2023Q1", 2.0),
        ("KZ", "2023Q2", 3.0),
        ("KZ-11", "2022", 4.0),
        ("KZ-11", "2023Q1", 1.0),
        ("KZ-11", "2023Q2", 1.0),
    ]


def test_a_percent_column_under_a_year_is_never_the_years_figure(tmp_path):
    """Imitates the Bureau's table with, under each year, the value in mln. tenge and the
    growth "в % к 2021": the second column must not be read as the year's figure."""
    rows = [
        ["Регион", 2022, None],
        [None, "млн. тенге", "в % к 2021"],
        ["Акмолинская", 100, "105,2"],
    ]
    path = save(tmp_path / "t.xlsx", rows, ("A1:A2", "B1:C1"))
    assert list(read_frame(path).columns) == ["Регион", "2022", "2022 / в % к 2021"]
    with pytest.raises(DataFormatError, match=r"\['2022 / в % к 2021'\] are neither"):
        read_table(path, indicator="grp")


def test_stacked_second_table_row_numbers_and_unit_over_the_names(tmp_path):
    """Imitates a page of the Bureau's bulletin: the unit written in the header cell over the
    region names, a column of row numbers without a heading, and a second table ("в
    процентах к предыдущему году") stacked under the first with the same years. The second
    table is left out and reported, never read as regions."""
    rows = [
        ["Инвестиции в основной капитал"],
        [None, "млн. тенге", 2022, 2023],
        [None, "Республика Казахстан", 100, 120],
        ["1", "Акмолинская", 40, 50],
        ["2", "г.Астана", 60, 70],
        [],
        ["в процентах к предыдущему году"],
        [None, None, 2022, 2023],
        [None, "Республика Казахстан", "107,9", "113,2"],
        [None, "Акмолинская", "104,1", "110,0"],
        [],
        ["1) оценка"],
    ]
    panel = read_table(save(tmp_path / "bulletin.xlsx", rows), indicator="investment")
    assert records(panel, "region", "year", "value", "unit") == [
        ("KZ", 2022, 100.0, "million KZT"),
        ("KZ", 2023, 120.0, "million KZT"),
        ("KZ-11", 2022, 40.0, "million KZT"),
        ("KZ-11", 2023, 50.0, "million KZT"),
        ("KZ-71", 2022, 60.0, "million KZT"),
        ("KZ-71", 2023, 70.0, "million KZT"),
    ]
    report = panel.attrs["report"]
    assert report["tables_left_out"] == [
        {"rows": [7, 10], "title": "в процентах к предыдущему году"}
    ]
    assert report["footnotes"] == {"1": "оценка"}


def test_terraplan_match_reads_names_with_footnote_marks(tmp_path):
    # the CLI's `match` reads the same published tables: marks off, footnotes not names
    from typer.testing import CliRunner

    from terraplan.cli.app import app

    rows = [["Регион", "2022"], ["Туркестанская2)", "1"], ["г.Астана", "2"], [], ["2) оценка"]]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(";".join(r) for r in rows) + "\n", "utf-8")
    result = CliRunner().invoke(app, ["match", str(path), "--column", "Регион", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert "KZ-61" in result.output and "KZ-71" in result.output
    assert "оценка" not in result.output


def test_a_footnote_mark_on_a_figure(tmp_path):
    # "12,3¹" and "45,61)": the figure is 12.3 / 45.6 and the footnote goes to that cell only
    rows = [["Регион", "2022", "2023"], ["Акмолинская", "12,3¹", "45,61)"], ["г.Астана", 1, 2]]
    rows += [[], ["1) оценка"]]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="x")
    assert records(panel, "region", "year", "value", "note") == [
        ("KZ-11", 2022, 12.3, "1) оценка"),
        ("KZ-11", 2023, 45.6, "1) оценка"),
        ("KZ-71", 2022, 1.0, ""),
        ("KZ-71", 2023, 2.0, ""),
    ]


def test_a_footnote_wins_over_the_successors_figures(tmp_path):
    # Abai has a figure in 2022 (evidence: new borders), but the footnote on East Kazakhstan
    # says its 2022 figure is on the old borders: the footnote wins for 2022 only
    path = borders_workbook(tmp_path / "grp.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet["A5"] = "Восточно-Казахстанская3)"
    sheet.append([])
    sheet.append(["3) данные за 2022 год приведены в старых границах"])
    book.save(path)
    panel = read_table(path, indicator="grp")
    east = panel[panel["region"].isin(["KZ-63", "KZ-VOS"])].sort_values("year")
    assert east["region"].tolist() == ["KZ-VOS", "KZ-VOS", "KZ-VOS", "KZ-VOS", "KZ-63"]
    decided = {
        b["year"]: b["reason"]
        for b in panel.attrs["report"]["borders"]
        if b["label"] == "Восточно-Казахстанская"
    }
    assert decided[2022].startswith("footnote 3)")
    assert decided[2023] == "Abai Region has figures in 2023"


def test_title_merged_over_the_width_with_a_date_beside_it(tmp_path):
    """Imitates an export from the Bureau's database: the title merged over most of the
    width with the export date beside it, the unit alone at the right on the next line."""
    rows = [
        ["ВРП по регионам", None, None, None, "01.02.2024"],
        [None, None, None, None, "млн.тенге"],
        ["Регион", 2020, 2021, 2022, 2023],
        ["Акмолинская", 1, 2, 3, 4],
        ["Костанайская", 5, 6, 7, 8],
    ]
    panel = read_table(save(tmp_path / "t.xlsx", rows, ("A1:D1",)), indicator="grp")
    assert panel.attrs["source"]["header_row"] == 3
    assert panel.attrs["source"]["title"] == ["ВРП по регионам 01.02.2024", "млн.тенге"]
    assert records(panel, "region", "year", "value", "unit")[:2] == [
        ("KZ-11", 2020, 1.0, "million KZT"),
        ("KZ-11", 2021, 2.0, "million KZT"),
    ]


def test_section_headings_and_a_national_total_with_a_comma(tmp_path):
    """Imitates the Bureau's grouping of the rows: "Республика Казахстан, всего", then the
    headings "области" and "города республиканского значения" without figures."""
    rows = [
        ["Регион", 2023],
        ["Республика Казахстан, всего", 30],
        ["области", None],
        ["Акмолинская", 10],
        ["города республиканского значения:", None],
        ["г.Астана", 20],
    ]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="x")
    assert records(panel, "region", "value") == [("KZ", 30.0), ("KZ-11", 10.0), ("KZ-71", 20.0)]
    assert [r["row"] for r in panel.attrs["report"]["rows_left_out"]] == [3, 5]


def test_year_written_once_over_its_quarters_without_a_merge(tmp_path):
    """Imitates a sheet whose years are "centred across selection" (not merged), and its CSV
    export: each year is in the first cell of its group, "год" and the quarters under it."""
    rows = [
        ["ВРП, млн. тенге"],
        ["Регион", "2008", "", "", "2009", "", ""],
        ["", "год", "I квартал", "II квартал", "год", "I квартал", "II квартал"],
        ["Акмолинская", "10", "1", "2", "20", "4", "5"],
    ]
    csv_path = tmp_path / "q.csv"
    csv_path.write_text("\n".join(";".join(r) for r in rows) + "\n", "utf-8")
    xlsx_path = save(tmp_path / "q.xlsx", [[c or None for c in r] for r in rows])
    expected = [
        ("2008", 10.0),
        ("2008Q1", 1.0),
        ("2008Q2", 2.0),
        ("2009", 20.0),
        ("2009Q1", 4.0),
        ("2009Q2", 5.0),
    ]
    for path in (csv_path, xlsx_path):
        panel = read_table(path, indicator="grp", periods="all")
        assert records(panel, "period", "value") == expected, path.name
        assert set(panel["unit"]) == {"million KZT"}


def test_unit_line_under_the_header(tmp_path):
    """Imitates a table with "(тыс. тенге)" alone on the line under the header: it is part of
    the header and gives the unit, never a region."""
    rows = [["Регион", 2022, 2023], ["(тыс. тенге)"], ["Акмолинская", 1, 2], ["г.Астана", 3, 4]]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="wage")
    assert list(read_frame(tmp_path / "t.xlsx").columns) == ["Регион", "2022", "2023"]
    assert records(panel, "region", "year", "value", "unit") == [
        ("KZ-11", 2022, 1.0, "thousand KZT"),
        ("KZ-11", 2023, 2.0, "thousand KZT"),
        ("KZ-71", 2022, 3.0, "thousand KZT"),
        ("KZ-71", 2023, 4.0, "thousand KZT"),
    ]


def test_a_historic_name_on_new_borders_when_the_table_shows_it(tmp_path):
    """Imitates the Bureau's English GRP sheet of 2017-2019 that kept "South Kazakhstan" for
    the region after Shymkent was split off in 2018 (Shymkent has figures from 2018), and a
    Russian row that states its borders in the label."""
    rows = [
        ["Region", 2017, 2018, 2019],
        ["South Kazakhstan", 50, 30, 31],
        ["Shymkent city", "-", 20, 21],
        ["Восточно-Казахстанская область (в границах до 2022 г.)", 7, 8, 9],
        ["Abai region", "-", "-", 1],
    ]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="grp")
    by_code = panel.groupby("region")["year"].apply(list).to_dict()
    assert by_code["KZ-YUZ"] == [2017]
    assert by_code["KZ-61"] == [2018, 2019]  # South Kazakhstan without Shymkent: Turkistan
    assert by_code["KZ-VOS"] == [2017, 2018, 2019]  # the label says so, whatever Abai shows
    reasons = {(b["label"], b["year"]): b["reason"] for b in panel.attrs["report"]["borders"]}
    assert reasons[("South Kazakhstan", 2018)] == "Shymkent has figures in 2018"
    assert reasons[("Восточно-Казахстанская область (в границах до 2022 г.)", 2019)].startswith(
        "the label says so"
    )


def test_rows_for_both_the_historic_and_the_new_name(tmp_path):
    """Imitates the Bureau's long series with a row for South Kazakhstan (figures until 2017,
    dashes after) and a row for Turkistan Region (dashes until 2017), Shymkent from 2018: each
    row is the unit it names, so no figure is counted twice."""
    rows = [
        ["Регион", 2017, 2018],
        ["Южно-Казахстанская", 50, "-"],
        ["Туркестанская", "-", 30],
        ["г.Шымкент", "-", 20],
    ]
    panel = read_table(save(tmp_path / "t.xlsx", rows), indicator="grp")
    assert records(panel, "region", "year", "value", "flag") == [
        ("KZ-61", 2017, None, "missing:-"),
        ("KZ-61", 2018, 30.0, ""),
        ("KZ-79", 2017, None, "missing:-"),
        ("KZ-79", 2018, 20.0, ""),
        ("KZ-YUZ", 2017, 50.0, ""),
        ("KZ-YUZ", 2018, None, "missing:-"),
    ]


def test_sum_check_counts_a_dash_as_nothing(tmp_path):
    # the borders workbook asked for a sum check: Abai and Jetisu print "-" before they
    # existed, which adds nothing, so every year is compared. By hand, the regions add up to
    # 109, 113, 117, 111, 117 against the national 100, 110, 120, 130, 140.
    panel = read_table(borders_workbook(tmp_path / "grp.xlsx"), indicator="grp", check_sum=True)
    check = panel.attrs["report"]["sum_check"]
    assert check["compared"] == 5
    assert [(d["period"], d["national"], d["sum_of_regions"]) for d in check["disagreements"]] == [
        ("2019", 100.0, 109.0),
        ("2020", 110.0, 113.0),
        ("2021", 120.0, 117.0),
        ("2022", 130.0, 111.0),
        ("2023", 140.0, 117.0),
    ]


def test_monthly_columns_under_a_year(tmp_path):
    """Imitates the Bureau's monthly industrial-production sheet: the year merged over
    "январь", "февраль", "март" and "январь-март"; months are "2023-01", the cumulative
    January-March is the first quarter."""
    rows = [
        ["Регион", 2023, None, None, None],
        [None, "январь", "февраль", "март", "январь-март"],
        ["Акмолинская", 1, 2, 3, 6],
    ]
    panel = read_table(save(tmp_path / "m.xlsx", rows, ("B1:E1",)), indicator="x", periods="all")
    assert records(panel, "period", "value") == [
        ("2023-01", 1.0),
        ("2023-02", 2.0),
        ("2023-03", 3.0),
        ("2023Q1", 6.0),
    ]
