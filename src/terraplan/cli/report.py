"""CLI commands of the outputs: ``terraplan build``, ``terraplan profile`` and ``terraplan map``.

Heavy libraries (geopandas, folium, matplotlib) are imported inside the commands.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path

import typer

from terraplan.cli.app import app


class ProfileFormat(StrEnum):
    """Formats of a region profile."""

    html = "html"
    md = "md"
    json = "json"
    docx = "docx"
    pdf = "pdf"


#: Profile formats written as files only (binary documents are not printed to the terminal).
DOCUMENT_FORMATS = ("docx", "pdf")


class MapFormat(StrEnum):
    """Formats of ``terraplan map``."""

    html = "html"
    png = "png"
    svg = "svg"


class Language(StrEnum):
    """Languages of names and labels."""

    en = "en"
    ru = "ru"
    kk = "kk"


class Scheme(StrEnum):
    """Classification schemes of a choropleth."""

    quantiles = "quantiles"
    fisher_jenks = "fisher_jenks"
    equal_interval = "equal_interval"
    user = "user"


DATA_HELP = (
    "Your own data file (CSV/XLSX, any table read_table reads); repeat for several. Name, unit "
    "and polarity come from a sidecar FILE.toml or a [[data]] table of terraplan.toml."
)


def with_data_files(cfg, files: list[Path] | None):
    """``cfg`` with ``--data FILE`` options added to its ``[[data]]`` files."""
    if not files:
        return cfg
    from terraplan.config import DataFileConfig

    extra = [DataFileConfig(file=path) for path in files]
    return cfg.model_copy(update={"data": [*cfg.data, *extra]})


def echo_user_data(records: list[dict]) -> None:
    """One line per file of the analyst's data: indicator, rows, years, polarity."""
    for r in records:
        years = r["years"]
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        polarity = r["polarity"] if r["polarity_given"] else "neutral (not given)"
        typer.echo(
            f"your data: {r['file']} -> {r['indicator']} ({r['name_en']}, {r['unit'] or 'no unit'}"
            f"), {r['rows']} values, {span}, polarity {polarity}",
            err=True,
        )


@app.command("build")
def build_command(
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Run configuration (TOML); see terraplan.toml.example."
    ),
    out: Path = typer.Option(Path("maps"), "--out", "-o", help="Output folder."),
    offline: bool = typer.Option(
        False, "--offline", help="Write only the self-contained maps (no tiles, no network)."
    ),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: when stderr is a TTY)."
    ),
    data: list[Path] | None = typer.Option(None, "--data", help=DATA_HELP),
    districts: bool = typer.Option(
        False, "--districts", help="Also write the district maps (224 districts; slower)."
    ),
    lang: Language | None = typer.Option(
        None, "--lang", help="Language of the outputs (overrides `lang` of the configuration)."
    ),
) -> None:
    """Run the whole analysis and write maps, profiles, the workbook and manifest.json.

    Examples:

      terraplan build                        # bundled Kazakhstan data -> maps/

      terraplan build --config terraplan.toml --out outputs

      terraplan build --data doctors.csv     # your own indicator beside the bundled ones
      terraplan build --lang ru --out maps-ru  # Russian maps, profiles and workbook
    """
    from terraplan.config import load_config
    from terraplan.report.build import build

    started = time.perf_counter()
    cfg = with_data_files(load_config(config), data)
    if offline:
        cfg = cfg.model_copy(update={"outputs": cfg.outputs.model_copy(update={"offline": True})})
    if districts:
        cfg = cfg.model_copy(
            update={"outputs": cfg.outputs.model_copy(update={"with_districts": True})}
        )
    if lang is not None:
        cfg = cfg.model_copy(update={"lang": lang.value})
    result = build(cfg, out, progress=progress, config_path=config)
    seconds = time.perf_counter() - started
    typer.echo(
        f"wrote {len(result.files)} files to {out}/ in {seconds:.1f} s "
        f"(year {result.manifest['parameters']['year']}, "
        f"base year {result.manifest['parameters']['base_year']}); open {out}/index.html",
        err=True,
    )
    echo_user_data(result.manifest["parameters"].get("user_data", []))


@app.command("profile")
def profile_command(
    regions: list[str] | None = typer.Argument(
        None, help="Region names or codes in any spelling (e.g. Karaganda, KZ-35, Караганда)."
    ),
    all_regions: bool = typer.Option(False, "--all", help="Profiles of all 20 regions."),
    fmt: ProfileFormat = typer.Option(ProfileFormat.html, "--format", "-f", help="Format."),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of names and labels."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Folder for <code>.<format> files (default: print one profile)."
    ),
    year: int | None = typer.Option(None, help="Year (default: latest complete, final year)."),
    base_year: int | None = typer.Option(None, help="Base year (default: first on 2022 borders)."),
    config: Path | None = typer.Option(None, "--config", "-c", help="Run configuration (TOML)."),
    data: list[Path] | None = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Write region profiles (key indicators, ranks, structure, advantages, type, peers).

    Examples:

      terraplan profile Karaganda --format md

      terraplan profile --all --format html --lang ru --out profiles

      terraplan profile Karaganda --format docx --lang ru   # -> KZ-35.docx (Word)
    """
    from terraplan.config import load_config
    from terraplan.errors import ConfigError
    from terraplan.pipeline import analyze
    from terraplan.report.profile import region_profile, render_profile, resolve_region

    if not regions and not all_regions:
        raise ConfigError("name a region (e.g. terraplan profile Karaganda) or pass --all")
    codes = None if all_regions else [resolve_region(r) for r in regions or []]
    cfg = with_data_files(load_config(config), data)
    cfg = cfg.model_copy(
        update={
            "lang": lang.value,
            "year": year or cfg.year,
            "base_year": base_year or cfg.base_year,
        }
    )
    analysis = analyze(cfg)
    from terraplan.report.userdata import mark_user_indicators, user_records

    mark_user_indicators(user_records(analysis))
    codes = analysis.regions if codes is None else codes
    if fmt.value in DOCUMENT_FORMATS:
        _write_documents(analysis, codes, fmt.value, lang.value, out)
        return
    shapes = None
    if fmt is ProfileFormat.html:
        from terraplan.report.svg import project_shapes
        from terraplan.territory.boundaries import boundaries

        shapes = project_shapes(boundaries(resolution="simplified"), width=400)
    if out is None and len(codes) == 1:
        profile = region_profile(analysis, codes[0], lang=lang.value)
        charts = _profile_charts(analysis, profile, fmt.value)
        sys.stdout.write(render_profile(profile, fmt.value, shapes=shapes, charts=charts))
        return
    from terraplan.report.sanitize import atomic_write_text, safe_output_path

    folder = out or Path("profiles")
    for code in codes:
        profile = region_profile(analysis, code, lang=lang.value)
        target = safe_output_path(folder, f"{code}.{fmt.value}")
        charts = _profile_charts(analysis, profile, fmt.value)
        atomic_write_text(target, render_profile(profile, fmt.value, shapes=shapes, charts=charts))
    typer.echo(f"wrote {len(codes)} profile(s) to {folder}/", err=True)


def _profile_charts(analysis, profile: dict, fmt: str) -> dict[str, str]:
    """The inline SVG charts of an HTML profile (none for Markdown and JSON)."""
    if fmt != "html":
        return {}
    from terraplan.report.charts import profile_chart_svgs, profile_charts

    return profile_chart_svgs(profile_charts(analysis, profile))


def _write_documents(analysis, codes: list[str], fmt: str, lang: str, out: Path | None) -> None:
    """Write Word or PDF profiles: ``<code>.<fmt>`` in ``out`` (default: the current folder)."""
    from terraplan.report.documents import profile_document
    from terraplan.report.profile import region_profile
    from terraplan.report.sanitize import atomic_write_bytes, safe_output_path

    folder = out or Path(".")
    for code in codes:
        profile = region_profile(analysis, code, lang=lang)
        target = safe_output_path(folder, f"{code}.{fmt}")
        atomic_write_bytes(target, profile_document(analysis, profile, fmt))
        typer.echo(f"wrote {target}", err=True)


@app.command("compare")
def compare_command(
    regions: list[str] = typer.Argument(
        ..., help="Two or more region names or codes in any spelling (e.g. Karaganda KZ-55)."
    ),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of names and labels."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="HTML file to write (default: print the page)."
    ),
    year: int | None = typer.Option(None, help="Year (default: latest complete, final year)."),
    base_year: int | None = typer.Option(None, help="Base year (default: first on 2022 borders)."),
    config: Path | None = typer.Option(None, "--config", "-c", help="Run configuration (TOML)."),
) -> None:
    """Compare two or more regions on one page: key indicators, trends, structure.

    Examples:

      terraplan compare Karaganda Pavlodar --out compare.html

      terraplan compare Astana Almaty Shymkent --lang ru --out cities.html
    """
    from terraplan.config import load_config
    from terraplan.pipeline import analyze
    from terraplan.report.compare import compare_page
    from terraplan.report.profile import resolve_region

    codes = [resolve_region(r) for r in regions]  # bad names fail before the analysis runs
    cfg = load_config(config)
    cfg = cfg.model_copy(
        update={
            "lang": lang.value,
            "year": year or cfg.year,
            "base_year": base_year or cfg.base_year,
        }
    )
    page = compare_page(analyze(cfg), codes, lang=lang.value)
    if out is None:
        sys.stdout.write(page)
        return
    from terraplan.report.sanitize import atomic_write_text

    atomic_write_text(out, page)
    typer.echo(f"wrote {out}", err=True)


@app.command("map")
def map_command(
    indicators: list[str] = typer.Argument(
        ..., help="Indicator ids (one layer each), e.g. grp_per_capita unemployment_rate."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (.html, .png or .svg)."),
    year: int | None = typer.Option(None, help="Year (default: latest complete, final year)."),
    sector: str = typer.Option("TOTAL", help="Sector of a sectoral indicator (e.g. C)."),
    scheme: Scheme = typer.Option(Scheme.quantiles, help="Classification scheme."),
    k: int = typer.Option(5, "-k", help="Number of classes."),
    bins: str | None = typer.Option(None, help="User breaks, comma-separated (scheme user)."),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of names and labels."),
    offline: bool = typer.Option(False, "--offline", help="Self-contained page, no network."),
    data: list[Path] | None = typer.Option(None, "--data", help=DATA_HELP),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Run configuration (TOML); its [[data]] files are mapped too."
    ),
    tiles: str | None = typer.Option(
        None, "--tiles", help="Tile layer under the regions (e.g. OpenStreetMap; needs network)."
    ),
) -> None:
    """Map indicators of the bundled data (or your own) as a choropleth (HTML, PNG or SVG).

    Examples:

      terraplan map grp_per_capita unemployment_rate --out map.html

      terraplan map gva --sector C --scheme fisher_jenks -k 4 --out manufacturing.png

      terraplan map doctors --data doctors.csv --out doctors.html
    """
    from terraplan.datasets import kazakhstan
    from terraplan.errors import ConfigError
    from terraplan.pipeline import with_derived
    from terraplan.report.maps import indicator_layers, interactive_map
    from terraplan.report.sanitize import atomic_write_bytes, atomic_write_text

    suffix = out.suffix.lower().lstrip(".")
    if suffix not in {f.value for f in MapFormat}:
        raise ConfigError(f"--out {out}: use a file ending in .html, .png or .svg")
    try:
        breaks = [float(b) for b in bins.split(",")] if bins else None
    except ValueError:
        raise ConfigError(
            f"--bins {bins!r}: give numbers separated by commas, e.g. 1,2.5,5"
        ) from None
    from terraplan.config import load_config
    from terraplan.pipeline import with_user_data
    from terraplan.report.userdata import mark_user_indicators

    cfg = with_data_files(load_config(config), data)
    panel, records = with_user_data(kazakhstan.panel(), cfg)
    mark_user_indicators(records)
    panel = with_derived(panel)
    layers = indicator_layers(
        panel,
        indicators,
        year=year,
        sector=sector,
        scheme=scheme.value,
        k=k,
        bins=breaks,
        lang=lang.value,
    )
    if suffix == "html":
        atomic_write_text(
            out, interactive_map(layers, lang=lang.value, offline=offline, tiles=tiles)
        )
    else:
        from terraplan.report.static import static_map

        if len(layers) > 1:
            raise ConfigError("a PNG or SVG map shows one indicator; name one, or write .html")
        atomic_write_bytes(out, static_map(layers[0], fmt=suffix, lang=lang.value))
    typer.echo(f"wrote {out}", err=True)
