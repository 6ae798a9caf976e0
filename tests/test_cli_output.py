"""render(): the four output formats of the table-printing commands."""

import json

import pandas as pd

from terraplan.cli.output import render

FRAME = pd.DataFrame({"region": ["KZ-35", "KZ-7"], "note": ["=1+1", "a|b\nc"], "lq": [1.5, -0.25]})


def test_csv_neutralizes_formulas_but_not_negative_numbers():
    text = render(FRAME, "csv")
    assert text.splitlines()[1] == "KZ-35,'=1+1,1.5"
    assert text.rstrip().endswith(",-0.25")


def test_json_keeps_values():
    assert json.loads(render(FRAME, "json"))[0] == {"region": "KZ-35", "note": "=1+1", "lq": 1.5}


def test_markdown_escapes_pipes_and_newlines():
    lines = render(FRAME, "markdown").splitlines()
    assert lines[0] == "| region | note | lq |"
    assert lines[3] == "| KZ-7 | a\\|b c | -0.25 |"


def test_table_left_aligns_text_and_right_aligns_rounded_numbers():
    lines = render(FRAME, "table").splitlines()
    assert lines[2].startswith(" KZ-35 ") and lines[3].startswith(" KZ-7  ")
    assert lines[2].endswith(" 1.50") and lines[3].endswith("-0.25")  # two decimals, aligned
    assert "Region code" in lines[0]  # headers in words


def test_table_in_russian_formats_numbers_and_headers():
    frame = pd.DataFrame({"region": ["KZ-35"], "value": [21813.4], "share": [0.502]})
    frame.attrs["unit"] = "million KZT, current prices"
    head, _rule, row = render(frame, "table", lang="ru").splitlines()
    assert "Значение, млн тенге, в текущих ценах" in head and "Доля в регионе, %" in head
    assert "21\xa0813" in row and "50,2\xa0%" in row
