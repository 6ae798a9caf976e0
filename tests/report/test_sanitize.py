"""Output safety helpers: formula neutralization, paths, atomic writes."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from terraplan.errors import OutputError
from terraplan.report.sanitize import (
    atomic_path,
    atomic_write_text,
    neutralize_cell,
    neutralize_frame,
    safe_output_path,
)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_is_neutralized(text):
    assert neutralize_cell(text) == "'" + text


@given(st.floats(allow_nan=False) | st.integers())
def test_numbers_are_never_changed(number):
    assert neutralize_cell(number) == number


def test_frame_cells_and_headers():
    frame = pd.DataFrame({"=evil": ["=cmd|' /C calc'!A0", "Karaganda"], "v": [-1.5, 2.0]})
    out = neutralize_frame(frame)
    assert out.columns.tolist() == ["'=evil", "v"]
    assert out.iloc[0, 0].startswith("'=") and out.iloc[1, 0] == "Karaganda"
    assert out["v"].tolist() == [-1.5, 2.0]
    assert frame.columns[0] == "=evil"  # input untouched


def test_paths_stay_inside_the_output_folder(tmp_path):
    assert safe_output_path(tmp_path, "maps/a.html") == tmp_path / "maps" / "a.html"
    for bad in ("../a.html", "/etc/passwd", "maps/../../a"):
        with pytest.raises(OutputError, match="outside the output folder"):
            safe_output_path(tmp_path, bad)


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
