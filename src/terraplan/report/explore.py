"""``terraplan.map``: an interactive map in one call, for notebooks.

Example
-------
>>> m = map("grp_per_capita", lang="ru")
>>> type(m).__name__, "Leaflet 1.9.4" in m.get_root().render()
('Map', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import folium


def map(
    data: str | Sequence[str] | pd.Series | pd.DataFrame = "grp_per_capita",
    *,
    indicators: Sequence[str] | None = None,
    year: int | None = None,
    sector: str = "TOTAL",
    name: str | None = None,
    unit: str = "",
    lang: str = "en",
    scheme: str = "quantiles",
    k: int = 5,
    tiles: str | None = None,
    centres: bool = True,
) -> folium.Map:
    """A :class:`folium.Map` of indicators, one switchable layer each; shows itself inline.

    ``data`` is an indicator id or a list of ids of the bundled data, a tidy panel
    (``region, year, indicator, sector, value, unit, flag``; pick ``indicators``, default all),
    or a Series of values by region code (``name`` and ``unit`` label it). ``year`` defaults to
    the latest complete, final year. Leaflet travels inside the map, so it draws without a
    network; ``tiles`` (e.g. ``"OpenStreetMap"``) adds a tile layer under the regions.
    """
    from terraplan.pipeline import with_derived
    from terraplan.report.maps import MapLayer, folium_map, indicator_layers

    if isinstance(data, pd.Series):
        layer = MapLayer.numeric(
            name or str(data.name or "value"), data, unit=unit, scheme=scheme, k=k, lang=lang
        )
        return folium_map([layer], lang=lang, tiles=tiles, centres=centres)
    if isinstance(data, pd.DataFrame):
        panel = with_derived(data)
        available = panel.loc[panel["sector"] == sector, "indicator"].unique()
        wanted = list(indicators or sorted(available))
    else:
        from terraplan.datasets import kazakhstan

        panel = with_derived(kazakhstan.panel())
        wanted = [data] if isinstance(data, str) else list(data)
    layers = indicator_layers(
        panel, wanted, year=year, sector=sector, scheme=scheme, k=k, lang=lang
    )
    return folium_map(layers, lang=lang, tiles=tiles, centres=centres)
