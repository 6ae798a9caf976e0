"""Interactive maps: choropleths of indicators, categorical maps, switchable layers.

Two renderers share one description of the layers (:class:`MapLayer`):

* :func:`interactive_map` with ``offline=False`` writes a folium (Leaflet) page with tiles,
  tooltips, a legend per layer and a layer switcher;
* ``offline=True`` writes a self-contained page (inline SVG and a few lines of script, no tiles,
  nothing from the network) for archives, e-mail and air-gapped machines.

Every text that comes from data (region names, indicator names, units, notes, categories) is
HTML-escaped before it reaches the page. Missing values get their own grey hatched class named in
the legend; values flagged ``preliminary`` or ``estimated`` carry an asterisk and a note.

Example
-------
>>> import pandas as pd
>>> values = pd.Series({"KZ-71": 2.0, "KZ-75": 3.0, "KZ-79": None})
>>> layer = MapLayer.numeric("GRP per capita", values, unit="million KZT", k=2)
>>> layer.classification.classes.tolist()
[0, 1, -1]
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import pandas as pd

from terraplan.report.classify import (
    MISSING_COLOR,
    Classification,
    classify,
    decimals_for,
    format_number,
)
from terraplan.report.i18n import check_language, text
from terraplan.report.i18n import unit as translate_unit

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "MapLayer",
    "admin_centres",
    "indicator_layer",
    "interactive_map",
]

#: Flag tokens that a map marks with an asterisk and a note.
NOTED_FLAGS = ("preliminary", "estimated")


@dataclass(frozen=True)
class MapLayer:
    """One switchable layer: values by region code, their classes, unit, flags and a note."""

    name: str
    values: pd.Series
    classification: Classification
    unit: str = ""
    flags: pd.Series | None = None
    note: str = ""

    @classmethod
    def numeric(
        cls,
        name: str,
        values: pd.Series,
        *,
        unit: str = "",
        scheme: str = "quantiles",
        k: int = 5,
        bins: list[float] | None = None,
        flags: pd.Series | None = None,
        note: str = "",
        lang: str = "en",
    ) -> MapLayer:
        """A choropleth layer of numbers (``values`` indexed by region code).

        >>> import pandas as pd
        >>> MapLayer.numeric("x", pd.Series({"A": 1.0, "B": 9.0}), k=2).classification.bins
        (5.0, 9.0)
        """
        values = pd.to_numeric(values, errors="coerce").astype(float)
        c = classify(values, scheme=scheme, k=k, bins=bins, lang=lang)
        return cls(name, values, c, unit, flags, note)

    @classmethod
    def categorical(
        cls,
        name: str,
        labels: pd.Series,
        *,
        categories: list[str] | None = None,
        colors: dict[str, str] | None = None,
        note: str = "",
        lang: str = "en",
    ) -> MapLayer:
        """A layer of categories (typology types, LISA clusters), one colour each.

        >>> import pandas as pd
        >>> layer = MapLayer.categorical("type", pd.Series({"A": "rural", "B": "urban"}))
        >>> layer.classification.labels
        ('rural', 'urban')
        """
        c = classify(labels, scheme="categorical", categories=categories, colors=colors, lang=lang)
        return cls(name, labels, c, "", None, note)

    @property
    def is_numeric(self) -> bool:
        """True for a choropleth of numbers, False for categories.

        >>> import pandas as pd
        >>> MapLayer.categorical("t", pd.Series({"A": "x"})).is_numeric
        False
        """
        return self.classification.scheme != "categorical"

    def flagged(self) -> pd.Series:
        """True where the value carries a ``preliminary`` or ``estimated`` flag.

        >>> import pandas as pd
        >>> layer = MapLayer.numeric("x", pd.Series({"A": 1.0, "B": 2.0}), k=1,
        ...                          flags=pd.Series({"A": "preliminary", "B": ""}))
        >>> layer.flagged().tolist()
        [True, False]
        """
        if self.flags is None:
            return pd.Series(False, index=self.values.index)
        tokens = self.flags.reindex(self.values.index).fillna("").astype(str).str.split(";")
        return tokens.map(lambda ts: any(t in NOTED_FLAGS for t in ts)).astype(bool)

    def flag_words(self, lang: str = "en") -> pd.Series:
        """The noted flags of every region as words in ``lang`` (``""`` where none).

        >>> import pandas as pd
        >>> layer = MapLayer.numeric("x", pd.Series({"A": 1.0}), k=1,
        ...                          flags=pd.Series({"A": "estimated;not_published"}))
        >>> layer.flag_words("ru").tolist()
        ['оценка']
        """
        if self.flags is None:
            return pd.Series("", index=self.values.index)
        tokens = self.flags.reindex(self.values.index).fillna("").astype(str).str.split(";")
        return tokens.map(lambda ts: ", ".join(text(t, lang) for t in ts if t in NOTED_FLAGS))

    def value_text(self, lang: str = "en") -> pd.Series:
        """Each region's value as text with its unit (and ``*`` when flagged); plain text.

        >>> import pandas as pd
        >>> MapLayer.numeric("x", pd.Series({"A": 1500.0, "B": None}), unit="t", k=1,
        ...                  lang="ru").value_text("ru").tolist()
        ['1\xa0500 t', 'Нет данных']
        """
        if not self.is_numeric:
            return self.classification.label_of()
        dec = decimals_for(self.values.to_numpy())
        unit = f" {self.unit}" if self.unit else ""
        star = self.flagged().map({True: "*", False: ""})
        formatted = self.values.map(lambda v: format_number(v, dec, lang))
        out = formatted + unit + star
        return out.where(self.values.notna(), text("no_data", lang))


def indicator_layer(
    panel: pd.DataFrame,
    indicator: str,
    *,
    year: int,
    sector: str = "TOTAL",
    regions: Sequence[str] | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    bins: list[float] | None = None,
    lang: str = "en",
    name: str | None = None,
) -> MapLayer:
    """Build the layer of one indicator and year from a tidy panel.

    ``regions`` (default: the 20 units of KZ-2022) fixes which regions the map shows, so a
    region absent from the panel is drawn as missing rather than left out. The name defaults to
    the catalogue's name in ``lang`` (or the indicator id for indicators not in the catalogue),
    followed by the sector (if not ``TOTAL``) and the year.

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"region": ["A", "B"], "year": 2023, "indicator": "x",
    ...     "sector": "TOTAL", "value": [1.0, 2.0], "unit": "t", "flag": ["", "estimated"]})
    >>> layer = indicator_layer(panel, "x", year=2023, regions=["A", "B", "C"], k=2)
    >>> layer.value_text().tolist()
    ['1.00 t', '2.00 t*', 'No data']
    """
    check_language(lang)
    rows = panel[
        (panel["indicator"] == indicator) & (panel["year"] == year) & (panel["sector"] == sector)
    ].set_index("region")
    if regions is None:
        from terraplan.territory.registry import layout_regions

        regions = layout_regions("KZ-2022")
    index = pd.Index(list(regions), name="region")
    units = rows["unit"].dropna().unique()
    unit = translate_unit(str(units[0]), lang) if len(units) else ""
    if name is None:
        from terraplan.pipeline import indicator_meta

        name = indicator_meta(indicator, lang)["name"]
    label = name
    if sector != "TOTAL":
        from terraplan.data.sectors import sector_name

        label = f"{label}: {sector} · {sector_name(sector, lang)}"
    label = f"{label}, {year}"
    flags = rows["flag"].reindex(index) if "flag" in rows else None
    return MapLayer.numeric(
        label,
        rows["value"].reindex(index),
        unit=unit,
        scheme=scheme,
        k=k,
        bins=bins,
        flags=flags,
        lang=lang,
    )


def indicator_layers(
    panel: pd.DataFrame,
    indicators: Sequence[str],
    *,
    year: int | None = None,
    sector: str = "TOTAL",
    scheme: str = "quantiles",
    k: int = 5,
    bins: list[float] | None = None,
    lang: str = "en",
) -> list[MapLayer]:
    """One layer per indicator of ``panel``, named in ``lang``, for ``year`` (default: the
    latest complete, final year). Unknown ids raise :class:`~terraplan.errors.ConfigError`
    listing the indicators the panel has.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"region": ["KZ-71", "KZ-75"], "year": 2023, "indicator": "grp",
    ...                   "sector": "TOTAL", "value": [1.0, 2.0], "unit": "m", "flag": ""})
    >>> [layer.name for layer in indicator_layers(p, ["grp"], year=2023, k=2)]
    ['Gross regional product, 2023']
    """
    from terraplan.errors import ConfigError
    from terraplan.pipeline import default_years, indicator_meta

    wanted = list(indicators)
    unknown = sorted(set(wanted) - set(panel["indicator"]))
    if unknown or not wanted:
        raise ConfigError(
            f"unknown indicator(s) {', '.join(unknown) or '(none given)'}; available: "
            f"{', '.join(sorted(set(panel['indicator'])))}"
        )
    year = year or default_years(panel)[0]
    return [
        indicator_layer(
            panel,
            ind,
            year=year,
            sector=sector,
            scheme=scheme,
            k=k,
            bins=bins,
            lang=lang,
            name=indicator_meta(ind, lang)["name"],
        )
        for ind in wanted
    ]


@cache
def _centres_table() -> pd.DataFrame:
    from terraplan._resources import data_dir

    return pd.read_csv(data_dir() / "admin_centres.csv", dtype={"code": str})


def centre_name(code: str, lang: str = "en") -> str:
    """The administrative centre of region ``code`` in ``lang``.

    >>> centre_name("KZ-27", "ru"), centre_name("KZ-27", "kk")
    ('Уральск', 'Орал')
    """
    from terraplan.report.catalogue import term
    from terraplan.territory.registry import regions

    table = regions(None)
    if lang == "ru":
        return str(table.at[code, "admin_centre_ru"])
    english = str(table.at[code, "admin_centre_en"])
    translated = term("place", english, lang)
    return (
        translated
        if lang == "en" or translated != english
        else str(table.at[code, "admin_centre_ru"])
    )


def admin_centres(lang: str = "en") -> pd.DataFrame:
    """Administrative centres of the 20 regions: ``code, name, lat, lon`` (GeoNames positions).

    Names come from the registry (English and Russian) and, in Kazakh, from the message
    catalogue (``msgctxt "place"``; the registry holds no Kazakh names of towns).

    >>> admin_centres().set_index("code").loc["KZ-35", "name"]
    'Karaganda'
    >>> admin_centres("kk").set_index("code").loc["KZ-63", "name"]
    'Өскемен'
    """

    check_language(lang)
    table = _centres_table()[["code", "lat", "lon"]].copy()
    table["name"] = [centre_name(code, lang) for code in table["code"]]
    return table[["code", "name", "lat", "lon"]].sort_values("code", ignore_index=True)


def city_callouts(lang: str = "en") -> pd.DataFrame:
    """The cities of national significance (Astana, Almaty, Shymkent): ``code, name, lat, lon``.

    Their territories are specks on a national map, so every national map draws them again as
    an enlarged circle in the layer's colour, labelled with the city's name (the interactive,
    offline and static maps alike).

    >>> city_callouts("ru")["name"].tolist()
    ['Астана', 'Алматы', 'Шымкент']
    """
    from terraplan.territory.registry import regions

    table = regions("KZ-2022")
    cities = sorted(table.index[table["kind"] == "city"])
    centres = admin_centres(lang).set_index("code")
    return centres.reindex(cities).rename_axis("code").reset_index()


def _region_names(codes: pd.Index, gdf: gpd.GeoDataFrame, lang: str) -> pd.Series:
    column = f"name_{lang}"
    names = gdf.set_index("code")[column] if column in gdf.columns else pd.Series(dtype=str)
    return names.reindex(codes).fillna(pd.Series(codes, index=codes)).astype(str)


def tooltip_html(layer: MapLayer, names: pd.Series, lang: str = "en") -> pd.Series:
    """Tooltip of every region as HTML built from escaped text (name, value, class, flags).

    >>> import pandas as pd
    >>> layer = MapLayer.categorical("t", pd.Series({"A": "<b>x</b>"}))
    >>> tooltip_html(layer, pd.Series({"A": "Name & Co"})).iloc[0]
    '<b>Name &amp; Co</b><br>&lt;b&gt;x&lt;/b&gt;'
    """
    esc = html.escape
    value = layer.value_text(lang).map(esc)
    out = "<b>" + names.reindex(layer.values.index).map(esc) + "</b><br>" + value
    if layer.is_numeric:
        out = out + "<br><i>" + layer.classification.label_of().map(esc) + "</i>"
        words = layer.flag_words(lang)
        out = out + words.map(lambda w: f"<br>* {esc(w)}" if w else "")
    return out


def _legend_context(layer: MapLayer, lang: str) -> dict[str, object]:
    items = layer.classification.legend()
    notes = []
    if layer.is_numeric and layer.classification.colors:
        notes.append(text("classes_note", lang))
    if layer.flagged().any():
        notes.append(text("flag_note", lang))
    if layer.note:
        notes.append(layer.note)
    notes.extend(layer.classification.warnings)
    return {
        "title": layer.name,
        "unit": layer.unit,
        "items": [
            {"color": i.color, "label": i.label, "missing": i.missing, "count": i.count}
            for i in items
        ],
        "notes": notes,
    }


@cache
def _templates():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("terraplan.report", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = text
    return env


def render_template(name: str, **context: object) -> str:
    """Render one of terraplan's templates with autoescaping on (data can never become markup).

    >>> "&lt;script&gt;" in render_template("legend.html.j2", legends=[{"title": "<script>",
    ...     "unit": "", "items": [], "notes": []}], ids=["l0"])
    True
    """
    return _templates().get_template(name).render(**context)


def interactive_map(
    layers: Sequence[MapLayer],
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    lang: str = "en",
    title: str = "",
    centres: bool = True,
    offline: bool = False,
    tiles: str | None = None,
    precision: int = 3,
    outlines: gpd.GeoDataFrame | None = None,
    attribution: str | None = None,
) -> str:
    """Render ``layers`` as one HTML page (the first layer is shown first); returns the text.

    ``boundaries`` default to the bundled simplified KZ-2022 polygons; coordinates are rounded
    to ``precision`` decimals (3 ≈ 100 m) to keep the page small. The Leaflet page carries
    Leaflet inside it (:mod:`terraplan.report.assets`) and draws the regions on a neutral
    background, so it works with no network; ``tiles`` (e.g. ``"OpenStreetMap"``) adds a tile
    layer under them, the one thing then fetched from the network. ``offline=True`` writes the
    lighter SVG variant (no Leaflet at all). ``centres`` adds the administrative centres as
    markers; the cities of national significance are always drawn as labelled call-outs
    (:func:`city_callouts`). The title above the map and the legend follow the selected layer.
    ``outlines`` (polygons, e.g. the regions around districts) are drawn on top as unfilled
    borders. ``attribution`` is the credit line shown on the map (default: the CC BY 4.0 credit
    of the bundled boundaries in ``lang``). The output is byte-identical across runs.

    >>> import pandas as pd
    >>> layer = MapLayer.numeric("GRP", pd.Series({"KZ-71": 1.0, "KZ-75": 2.0}), k=2)
    >>> page = interactive_map([layer], offline=True, centres=False)
    >>> page.startswith("<!DOCTYPE html>"), "KZ-75" in page
    (True, True)
    """
    check_language(lang)
    if not layers:
        from terraplan.errors import AnalysisError

        raise AnalysisError("a map needs at least one layer")
    if boundaries is None:
        from terraplan.territory.boundaries import boundaries as load_boundaries

        boundaries = load_boundaries(resolution="simplified")
    if attribution is None:
        attribution = text("boundaries_attribution", lang)
    codes = pd.Index(sorted(boundaries["code"].astype(str)))
    layers = [_cover(layer, codes) for layer in layers]
    if offline:
        page = _offline_map(
            layers, boundaries, lang=lang, title=title, centres=centres, outlines=outlines
        )
        return _with_attribution(page, attribution)
    page = _folium_map(
        layers,
        boundaries,
        lang=lang,
        title=title,
        centres=centres,
        tiles=tiles,
        precision=precision,
        outlines=outlines,
    )
    return _with_attribution(page, attribution)


def _with_attribution(page: str, attribution: str) -> str:
    """Put the credit line (escaped) at the bottom centre of the page (the scale bar and
    Leaflet's own credit take the corners)."""
    if not attribution:
        return page
    credit = (
        '<div class="tp-attribution" style="position:fixed;left:50%;bottom:2px;z-index:1000;'
        "transform:translateX(-50%);font:11px sans-serif;background:rgba(255,255,255,0.8);"
        'padding:1px 4px">'
        f"{html.escape(attribution)}</div>"
    )
    if "</body>" not in page:
        return page + credit
    head, tail = page.rsplit("</body>", 1)
    return f"{head}{credit}</body>{tail}"


def _cover(layer: MapLayer, codes: pd.Index) -> MapLayer:
    """``layer`` on every region of the map: a region the layer lacks is drawn as missing."""
    if codes.difference(layer.values.index).empty:
        return layer
    classes = layer.classification.classes.reindex(codes).fillna(-1).astype(int)
    return dataclasses.replace(
        layer,
        values=layer.values.reindex(codes),
        classification=dataclasses.replace(layer.classification, classes=classes),
        flags=None if layer.flags is None else layer.flags.reindex(codes),
    )


def _offline_map(
    layers: Sequence[MapLayer],
    gdf: gpd.GeoDataFrame,
    *,
    lang: str,
    title: str,
    centres: bool,
    outlines: gpd.GeoDataFrame | None = None,
) -> str:
    from terraplan.report.svg import project_shapes

    all_points = admin_centres(lang)
    drawn = gdf[["code", "geometry"]]
    if outlines is not None:  # projected together, so both share one view box
        borders = outlines[["code", "geometry"]].assign(code="~" + outlines["code"].astype(str))
        drawn = pd.concat([drawn, borders.to_crs(gdf.crs)], ignore_index=True)
    shapes = project_shapes(drawn, width=900, points=all_points)
    outline_paths = [d for code, d in sorted(shapes.paths.items()) if code.startswith("~")]
    codes = pd.Index(sorted(c for c in shapes.paths if not c.startswith("~")), name="region")
    names = _region_names(codes, gdf, lang)
    cities = city_callouts(lang)
    cities = cities[cities["code"].isin(codes) & cities["code"].isin(list(shapes.points))]
    points = all_points[~all_points["code"].isin(cities["code"])] if centres else None
    rendered = []
    for i, layer in enumerate(layers):
        layer_codes = codes.intersection(layer.values.index)
        tips = tooltip_html(layer, names, lang)
        plain = layer.value_text(lang)
        fills = layer.classification.color_of()
        classes = layer.classification.classes
        rendered.append(
            {
                "id": f"layer{i}",
                "name": layer.name,
                "title": _layer_title(layer),
                "regions": [
                    {
                        "code": code,
                        "fill": fills[code],
                        "missing": int(classes[code]) == -1,
                        "cls": int(classes[code]),
                        "title": f"{names[code]}: {plain[code]}",
                        "tip": tips[code],
                    }
                    for code in layer_codes
                ],
                "legend": _legend_context(layer, lang),
                "cities": [
                    {
                        "code": code,
                        "x": shapes.points[code][0],
                        "y": shapes.points[code][1],
                        "fill": fills.get(code, MISSING_COLOR),
                        "title": f"{names[code]}: {plain[code]}" if code in plain else names[code],
                        "tip": tips.get(code, html.escape(names[code])),
                    }
                    for code in cities["code"]
                ],
            }
        )
    centre_points = []
    if points is not None:
        centre_points = [
            {"code": c, "name": n, "x": shapes.points[c][0], "y": shapes.points[c][1]}
            for c, n in zip(points["code"], points["name"], strict=True)
            if c in shapes.points
        ]
    return render_template(
        "offline_map.html.j2",
        title=title or _layer_title(layers[0]),
        follow_title=not title,
        lang=lang,
        shapes=shapes,
        codes=list(codes),
        layers=rendered,
        centres=centre_points,
        outlines=outline_paths,
        cities=[
            {"name": n, "x": shapes.points[c][0], "y": shapes.points[c][1]}
            for c, n in zip(cities["code"], cities["name"], strict=True)
        ],
        city_radius=CITY_RADIUS_PX,
        cities_label=text("cities", lang),
        centres_label=text("admin_centres", lang),
        hover_label=text("hover", lang),
        missing_color=MISSING_COLOR,
    )


@contextmanager
def _deterministic_ids() -> Iterator[None]:
    """Give folium/branca elements counter-based ids instead of random ones (same bytes)."""
    from branca.element import Element

    counter = iter(range(1, 1 << 30))
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda _cls: f"{next(counter):08x}")
    try:
        yield
    finally:
        Element._generate_id = original


def _rounded(gdf: gpd.GeoDataFrame, precision: int) -> gpd.GeoDataFrame:
    import numpy as np
    import shapely

    out = gdf[["code", "geometry"]].copy()
    out["geometry"] = shapely.transform(out.geometry.values, lambda xy: np.round(xy, precision))
    return out


def _folium_map(
    layers: Sequence[MapLayer],
    gdf: gpd.GeoDataFrame,
    *,
    lang: str,
    title: str,
    centres: bool,
    tiles: str | None,
    precision: int,
    outlines: gpd.GeoDataFrame | None = None,
    as_map: bool = False,
):
    """The Leaflet page as text, or (``as_map``) the :class:`folium.Map` itself."""
    import folium
    from branca.element import Element, MacroElement
    from jinja2 import Template

    from terraplan.report.assets import leaflet_inline

    geo = _rounded(gdf, precision)
    codes = pd.Index(sorted(geo["code"]), name="region")
    names = _region_names(codes, gdf, lang)
    cities = city_callouts(lang)
    cities = cities[cities["code"].isin(codes)]
    minx, miny, maxx, maxy = gdf.total_bounds
    with _deterministic_ids():
        fmap = folium.Map(
            location=[round((miny + maxy) / 2, 3), round((minx + maxx) / 2, 3)],
            zoom_start=5,
            tiles=None,
            prefer_canvas=False,
            control_scale=True,
        )
        # Leaflet travels inside the page; folium's CDN links (Leaflet, jQuery, Bootstrap,
        # Font Awesome, awesome-markers) are dropped: nothing on these maps uses the others
        fmap.default_js = []
        fmap.default_css = []
        fmap.get_root().header.add_child(Element(leaflet_inline()), name="tp_leaflet")
        if tiles:
            folium.TileLayer(tiles, overlay=True, control=False, name="tiles").add_to(fmap)
        folium.map.CustomPane("tp-cities", z_index=460, pointer_events=True).add_to(fmap)
        groups = []
        for i, layer in enumerate(layers):
            fills = layer.classification.color_of()
            classes = layer.classification.classes
            tips = tooltip_html(layer, names, lang)
            frame = geo[geo["code"].isin(layer.values.index)].copy()
            frame["fill"] = frame["code"].map(fills)
            frame["missing"] = frame["code"].map(classes).eq(-1)
            frame["cls"] = frame["code"].map(classes).astype(int)
            frame["tip"] = frame["code"].map(tips)
            group = folium.FeatureGroup(name=html.escape(layer.name), overlay=False, show=i == 0)
            folium.GeoJson(
                json.loads(frame.to_json(drop_id=True)),
                style_function=_style,
                highlight_function=lambda _f: {"weight": 2.5, "color": "#000000"},
                tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
                name=html.escape(layer.name),
            ).add_to(group)
            for city in cities.itertuples(index=False):
                callout = folium.CircleMarker(
                    location=[city.lat, city.lon],
                    radius=CITY_RADIUS_PX,
                    color="#222222",
                    weight=1.5,
                    fill=True,
                    fill_color=str(fills.get(city.code, MISSING_COLOR)),
                    fill_opacity=1.0,
                    tooltip=folium.Tooltip(str(tips.get(city.code, html.escape(city.name)))),
                )
                callout.options["pane"] = "tp-cities"
                callout.add_to(group)
            group.add_to(fmap)
            groups.append(group)
        if outlines is not None:
            folium.map.CustomPane("tp-outlines", z_index=420, pointer_events=False).add_to(fmap)
            borders = _rounded(outlines, precision)
            outline_layer = folium.GeoJson(
                json.loads(borders.to_json(drop_id=True)),
                style_function=_outline_style,
                control=False,
            )
            outline_layer.options["pane"] = "tp-outlines"
            outline_layer.options["interactive"] = False
            outline_layer.add_to(fmap)
        for city in cities.itertuples(index=False):
            folium.Marker(
                location=[city.lat, city.lon],
                icon=folium.DivIcon(
                    html=f'<span class="tp-city-label">{html.escape(str(city.name))}</span>',
                    icon_size=(0, 0),
                    icon_anchor=(-CITY_RADIUS_PX - 3, 9),
                    class_name="tp-city",
                ),
                interactive=False,
            ).add_to(fmap)
        if centres:
            # own pane above the choropleths: a base layer switched on later is drawn on top
            # of everything in the overlay pane, which would hide the markers
            folium.map.CustomPane("tp-centres", z_index=450, pointer_events=True).add_to(fmap)
            marker_group = folium.FeatureGroup(
                name=html.escape(text("admin_centres", lang)), overlay=True, show=True
            )
            others = admin_centres(lang)
            others = others[~others["code"].isin(cities["code"])]  # the cities have call-outs
            for row in others.itertuples(index=False):
                marker = folium.CircleMarker(
                    location=[row.lat, row.lon],
                    radius=3,
                    color="#222222",
                    weight=1,
                    fill=True,
                    fill_color="#ffffff",
                    fill_opacity=1.0,
                    tooltip=folium.Tooltip(html.escape(str(row.name))),
                )
                marker.options["pane"] = "tp-centres"  # folium does not pass `pane` through
                marker.add_to(marker_group)
            marker_group.add_to(fmap)
        folium.LayerControl(collapsed=False).add_to(fmap)
        legends = [_legend_context(layer, lang) for layer in layers]
        legend_html = render_template(
            "legend.html.j2", legends=legends, ids=[g.get_name() for g in groups]
        )
        switcher = MacroElement()
        switcher._template = Template(
            "{% macro script(this, kwargs) %}"
            "var tpLegend = L.control({position: 'bottomright'});"
            "tpLegend.onAdd = function () {"
            " var div = L.DomUtil.create('div', 'tp-legends');"
            " div.innerHTML = document.getElementById('tp-legend-source').innerHTML;"
            " return div; };"
            "tpLegend.addTo({{ this._parent.get_name() }});"
            "var tpTitles = {{ this.titles | tojson }};"
            "var tpTitle = L.control({position: 'topleft'});"
            "tpTitle.onAdd = function () {"
            " var div = L.DomUtil.create('div', 'tp-title');"
            " div.id = 'tp-title'; div.textContent = tpTitles[0]; return div; };"
            "tpTitle.addTo({{ this._parent.get_name() }});"
            "{{ this._parent.get_name() }}.on('baselayerchange', function (e) {"
            " var groups = {{ this.group_names | tojson }};"
            " for (var i = 0; i < groups.length; i++) {"
            "  var on = window[groups[i]] === e.layer;"
            "  var el = document.querySelector('.tp-legends [data-layer=\"' + groups[i] + '\"]');"
            "  if (el) { el.style.display = on ? '' : 'none'; }"
            "  if (on) { document.getElementById('tp-title').textContent = tpTitles[i];"
            "   if ({{ this.follow | tojson }}) { document.title = tpTitles[i]; } } }"
            "});"
            "{% endmacro %}"
        )
        switcher.group_names = [g.get_name() for g in groups]
        switcher.titles = [_layer_title(layer) for layer in layers]
        switcher.follow = not title
        fmap.add_child(switcher)
        root = fmap.get_root()
        root.html.add_child(Element(legend_html))
        root.header.add_child(Element(f"<style>{MAP_CSS}</style>"), name="tp_style")
        page_title = title or _layer_title(layers[0])
        root.header.add_child(Element(f"<title>{html.escape(page_title)}</title>"))
        return fmap if as_map else root.render()


def folium_map(
    layers: Sequence[MapLayer],
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    lang: str = "en",
    title: str = "",
    centres: bool = True,
    tiles: str | None = None,
    precision: int = 3,
):
    """The Leaflet map of :func:`interactive_map` as a :class:`folium.Map` (shows itself in
    Jupyter, with Leaflet inside, so it works offline; ``.save(path)`` writes the page).

    >>> import pandas as pd
    >>> layer = MapLayer.numeric("GRP", pd.Series({"KZ-71": 1.0, "KZ-75": 2.0}), k=2)
    >>> type(folium_map([layer], centres=False)).__name__
    'Map'
    """
    check_language(lang)
    if not layers:
        from terraplan.errors import AnalysisError

        raise AnalysisError("a map needs at least one layer")
    if boundaries is None:
        from terraplan.territory.boundaries import boundaries as load_boundaries

        boundaries = load_boundaries(resolution="simplified")
    codes = pd.Index(sorted(boundaries["code"].astype(str)))
    return _folium_map(
        [_cover(layer, codes) for layer in layers],
        boundaries,
        lang=lang,
        title=title,
        centres=centres,
        tiles=tiles,
        precision=precision,
        as_map=True,
    )


#: Radius (screen pixels) of the call-out circles of the cities of national significance.
CITY_RADIUS_PX = 9

#: Style of the title box and the city labels of the Leaflet page.
MAP_CSS = (
    ".tp-title{background:rgba(255,255,255,.92);padding:5px 9px;border-radius:4px;"
    "font:bold 15px/1.3 sans-serif;max-width:60vw;box-shadow:0 0 4px rgba(0,0,0,.3)}"
    ".tp-city-label{font:bold 13px/1 sans-serif;color:#111;white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}"
)


def _layer_title(layer: MapLayer) -> str:
    """The title of a layer: its name, and its unit when it has one (plain text).

    >>> import pandas as pd
    >>> _layer_title(MapLayer.numeric("GRP, 2023", pd.Series({"A": 1.0}), unit="bn", k=1))
    'GRP, 2023, bn'
    """
    return f"{layer.name}, {layer.unit}" if layer.unit else layer.name


def _style(feature: dict) -> dict:
    props = feature["properties"]
    return {
        "fillColor": props["fill"],
        "color": "#555555" if not props["missing"] else "#888888",
        "weight": 0.8,
        "dashArray": "4 3" if props["missing"] else None,
        "fillOpacity": 0.85 if not props["missing"] else 0.6,
    }


def _outline_style(_feature: dict) -> dict:
    return {"fill": False, "color": "#111111", "weight": 1.6, "opacity": 0.9}
