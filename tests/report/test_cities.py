"""The cities of national significance are drawn as labelled call-outs in their class colour.

Known by construction: a layer whose values give Astana, Almaty and Shymkent three different
classes, so each call-out must carry its own class colour and its name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba

from terraplan.report.maps import MapLayer, city_callouts, interactive_map
from terraplan.report.static import _city_callouts


def _layer() -> MapLayer:
    values = pd.Series({"KZ-71": 1.0, "KZ-75": 2.0, "KZ-79": 3.0, "KZ-35": 2.5})
    return MapLayer.numeric("x", values, k=3, scheme="equal_interval")


def test_city_callouts_are_the_registry_cities_in_every_language():
    for lang, names in (
        ("en", ["Astana", "Almaty", "Shymkent"]),
        ("kk", ["Астана", "Алматы", "Шымкент"]),
    ):
        table = city_callouts(lang)
        assert table["code"].tolist() == ["KZ-71", "KZ-75", "KZ-79"]
        assert table["name"].tolist() == names


def test_static_callouts_carry_class_colour_and_name():
    from terraplan.analysis.figure import new_figure

    layer = _layer()
    fig = new_figure((4, 3))
    ax = fig.add_subplot()
    _city_callouts(ax, city_callouts("ru"), layer)
    colours = layer.classification.color_of()
    expected = [to_rgba(colours[c]) for c in ("KZ-71", "KZ-75", "KZ-79")]
    np.testing.assert_allclose(ax.collections[0].get_facecolors(), expected)
    assert [t.get_text() for t in ax.texts] == ["Астана", "Алматы", "Шымкент"]


def test_offline_callouts_carry_class_colour():
    layer = _layer()
    page = interactive_map([layer], offline=True)
    colours = layer.classification.color_of()
    for code in ("KZ-71", "KZ-75", "KZ-79"):
        assert f'fill="{colours[code]}" data-region="{code}"' in page
