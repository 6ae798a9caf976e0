"""Static maps: PNG and SVG, deterministic bytes, escaped text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from terraplan.errors import OutputError
from terraplan.report.maps import MapLayer
from terraplan.report.static import static_map
from terraplan.territory.registry import layout_regions

CODES = layout_regions("KZ-2022")


@pytest.fixture(scope="module")
def layer():
    values = pd.Series(np.arange(20.0), index=CODES)
    values["KZ-79"] = np.nan
    return MapLayer.numeric("<script>x</script>", values, unit="t", k=3)


def test_png_and_svg_are_deterministic(layer, geo):
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        a = static_map(layer, boundaries=geo, fmt=fmt)
        b = static_map(layer, boundaries=geo, fmt=fmt)
        assert a.startswith(magic)
        assert a == b, fmt


def test_svg_has_no_date_and_no_raw_markup(layer, geo):
    svg = static_map(layer, boundaries=geo, fmt="svg").decode()
    assert "<dc:date>" not in svg
    assert "<script" not in svg


def test_unknown_format(layer, geo):
    with pytest.raises(OutputError, match="unknown static map format"):
        static_map(layer, boundaries=geo, fmt="pdf")
