"""Run configuration of ``terraplan build`` (``terraplan.toml``), with the Kazakhstan defaults.

Every key is optional; an unknown key or a wrong value raises one :class:`ConfigError` that
names every offending key, with the allowed keys or values.

Defaults: ``year`` is the latest year whose GVA is published for all 20 regions and not flagged
``preliminary`` (2023 in the bundled data: 2024-2025 are preliminary); ``base_year`` is the first
year on the 20-region layout (2021). Both are resolved from the data at run time when left out.

Example
-------
>>> cfg = parse_config({"year": 2023, "outputs": {"offline": True}})
>>> cfg.year, cfg.outputs.offline, cfg.lang
(2023, True, 'en')
>>> parse_config({"yeer": 2023})  # doctest: +ELLIPSIS
Traceback (most recent call last):
terraplan.errors.ConfigError: configuration: 1 problem:
  - yeer: unknown key (allowed: base_year, ...)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from terraplan.errors import ConfigError

#: Indicators of the maps, the profiles' key figures and the workbook, in this order.
DEFAULT_INDICATORS: tuple[str, ...] = (
    "grp_per_capita",
    "grp",
    "population",
    "employed",
    "unemployment_rate",
    "investment",
)


#: what an indicator id may look like: it becomes a file name (``static/<id>.png``)
_FILE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")


def check_indicator_id(value: str) -> str:
    """Return ``value`` if it can name a file, else raise ValueError saying how to fix it.

    >>> check_indicator_id("grp_per_capita")
    'grp_per_capita'
    >>> check_indicator_id("../etc/x")
    Traceback (most recent call last):
    ValueError: indicator id '../etc/x' cannot name a file: use letters, digits, '_', '.' and \
'-' (at most 100, starting with a letter or digit), e.g. 'grp_per_capita'
    """
    if not isinstance(value, str) or not _FILE_ID.fullmatch(value):
        raise ValueError(
            f"indicator id {value!r} cannot name a file: use letters, digits, '_', '.' and '-' "
            "(at most 100, starting with a letter or digit), e.g. 'grp_per_capita'"
        )
    return value


IndicatorId = Annotated[str, AfterValidator(check_indicator_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapConfig(_Strict):
    """Classification of the choropleths.

    >>> MapConfig(scheme="user", bins=[1, 2]).bins
    [1.0, 2.0]
    """

    scheme: Literal["quantiles", "fisher_jenks", "equal_interval", "user"] = "quantiles"
    k: int = Field(5, ge=1, le=9)
    bins: list[float] | None = None
    #: A tile layer under the regions of the Leaflet maps (e.g. "OpenStreetMap"), fetched from
    #: the network; default none: regions on a neutral background, nothing from the network.
    tiles: str | None = None


class TypologyConfig(_Strict):
    """Parameters of the typology (:class:`terraplan.analysis.typology.Typology`).

    >>> TypologyConfig().method, TypologyConfig(k=4).k
    ('ward', 4)
    """

    method: Literal["kmeans", "ward", "gmm"] = "ward"
    k: int | Literal["auto"] = "auto"
    random_state: int = 0
    n_stability: int = Field(10, ge=0, le=200)
    n_peers: int = Field(3, ge=1, le=19)


class OutputsConfig(_Strict):
    """Which outputs ``terraplan build`` writes.

    >>> OutputsConfig(offline=True).maps
    True
    """

    maps: bool = True
    static_maps: bool = True
    profiles: bool = True
    profile_formats: list[Literal["html", "md", "json"]] = ["html", "md", "json"]
    workbook: bool = True
    offline: bool = False
    with_districts: bool = False  # district maps (224 districts; slower, larger pages)
    #: Charts in the profiles (trends, shift-share, portfolio) and the LISA page (Moran).
    profile_charts: bool = True
    #: The plan annex (national overview + every profile) in these formats (needs profiles).
    plan_annex: list[Literal["docx", "pdf"]] = ["docx", "pdf"]


class ForecastConfig(_Strict):
    """Forecasts of ``terraplan build``: fan charts in profiles, p_target in plan monitoring.

    >>> ForecastConfig().indicators, ForecastConfig().horizon
    (['grp', 'unemployment_rate'], 4)
    """

    enabled: bool = True
    indicators: list[str] = Field(default_factory=lambda: ["grp", "unemployment_rate"])
    horizon: int = Field(4, ge=1, le=15)
    method: Literal["auto", "naive", "drift", "trend", "ses", "holt", "damped", "ets"] = "auto"
    harmonize: bool = True


class DataFileConfig(_Strict):
    """One file of the analyst's own data (a ``[[data]]`` table of ``terraplan.toml``).

    ``file`` is any table ``read_table`` reads; ``indicator``, ``name`` (``name_ru``,
    ``name_kk``), ``unit`` and ``polarity`` say what it holds (else from the sidecar
    ``<file>.toml``, else from the file); the other keys are read options.

    >>> DataFileConfig(file="doctors.csv", polarity="higher_is_better").polarity
    'higher_is_better'
    """

    file: Path
    indicator: str | None = None
    name: str | None = None
    name_ru: str | None = None
    name_kk: str | None = None
    unit: str | None = None
    polarity: Literal["higher_is_better", "lower_is_better", "neutral"] | None = None
    sheet: str | int | None = None
    year: int | None = None
    sector: str | None = None
    layout: str | None = None
    region_column: str | None = None
    shape: Literal["auto", "long", "wide_years", "wide_sectors"] | None = None
    header_row: int | None = None
    encoding: str | None = None
    sep: str | None = None


class RankingConfig(_Strict):
    """The composite index ranking the regions in the build (:mod:`terraplan.analysis.composite`).

    ``framework`` is a framework YAML (default: the bundled regional development index);
    ``runs`` the Monte Carlo runs of its uncertainty analysis (0: none).

    >>> RankingConfig().runs
    1000
    """

    enabled: bool = True
    framework: Path | None = None
    runs: int = Field(1000, ge=0, le=100_000)
    seed: int = 0


class BuildConfig(_Strict):
    """The whole run: years, indicators, reference universe, typology, language, outputs.

    >>> BuildConfig(lang="kk").map.scheme
    'quantiles'
    """

    year: int | None = Field(None, ge=1990, le=2100)
    base_year: int | None = Field(None, ge=1990, le=2100)
    indicators: list[IndicatorId] = Field(
        default_factory=lambda: list(DEFAULT_INDICATORS), min_length=1
    )
    sectors_indicator: IndicatorId = "gva"
    reference: Literal["nation", "neighbours"] = "nation"
    lang: Literal["en", "ru", "kk"] = "en"
    map: MapConfig = MapConfig()
    typology: TypologyConfig = TypologyConfig()
    outputs: OutputsConfig = OutputsConfig()
    forecast: ForecastConfig = ForecastConfig()
    plan: Path | None = None
    data: list[DataFileConfig] = Field(default_factory=list)
    ranking: RankingConfig = RankingConfig()


def _message(error: dict[str, Any], model: type[BaseModel]) -> str:
    loc = ".".join(str(p) for p in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        target: Any = model
        for part in error["loc"][:-1]:
            field = target.model_fields.get(str(part)) if isinstance(target, type) else None
            annotation = field.annotation if field else None
            target = annotation if isinstance(annotation, type) else None
        allowed = ", ".join(sorted(target.model_fields)) if isinstance(target, type) else ""
        return f"{loc}: unknown key" + (f" (allowed: {allowed})" if allowed else "")
    value = error.get("input")
    return f"{loc}: {error['msg']} (got {value!r})"


def parse_config(data: dict[str, Any], *, source: str = "configuration") -> BuildConfig:
    """Validate a configuration mapping; every problem goes into one ConfigError.

    >>> parse_config({"lang": "fr", "map": {"k": 0}}, source="x.toml")
    Traceback (most recent call last):
    terraplan.errors.ConfigError: x.toml: 2 problems:
      - lang: Input should be 'en', 'ru' or 'kk' (got 'fr')
      - map.k: Input should be greater than or equal to 1 (got 0)
    """
    try:
        config = BuildConfig.model_validate(data)
    except ValidationError as exc:
        problems = [_message(e, BuildConfig) for e in exc.errors()]
        noun = "problem" if len(problems) == 1 else "problems"
        body = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"{source}: {len(problems)} {noun}:\n{body}") from None
    if config.year is not None and config.base_year is not None and config.base_year > config.year:
        raise ConfigError(
            f"{source}: base_year {config.base_year} is after year {config.year}; "
            "set base_year to an earlier year"
        )
    if config.map.scheme == "user" and not config.map.bins:
        raise ConfigError(f"{source}: map.scheme = 'user' needs map.bins, e.g. [1, 2, 5]")
    return config


def load_config(path: str | Path | None = None) -> BuildConfig:
    """Read ``terraplan.toml`` (or the defaults when ``path`` is None).

    A relative ``plan`` path is taken relative to the configuration file.

    >>> load_config().outputs.profile_formats
    ['html', 'md', 'json']
    """
    if path is None:
        return BuildConfig()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path} is a folder, not a configuration file. Fix: pass the terraplan.toml file"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); TOML files are UTF-8. "
            "Fix: save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}). Fix: check the path") from None
    config = parse_config(data, source=str(path))
    if config.plan is not None and not config.plan.is_absolute():
        config = config.model_copy(update={"plan": (path.parent / config.plan)})
    if any(not d.file.is_absolute() for d in config.data):
        files = [
            d if d.file.is_absolute() else d.model_copy(update={"file": path.parent / d.file})
            for d in config.data
        ]
        config = config.model_copy(update={"data": files})
    return config
