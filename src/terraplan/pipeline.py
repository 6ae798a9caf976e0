"""The analysis behind the outputs: every table the maps, profiles and workbook show, computed once.

:func:`analyze` runs, on a tidy panel (default: the bundled Kazakhstan data), the location
quotients and shift-share of GVA, the competitive advantages, the typology and peers, LISA
clusters, neighbours and (when a plan is given) plan monitoring. A section whose analysis module
is not installed is left out with a note; any other error propagates.

Example
-------
>>> from terraplan.pipeline import default_years
>>> from terraplan.datasets import kazakhstan
>>> default_years(kazakhstan.panel(["grp"]))
(2023, 2021)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from terraplan.errors import ConfigError, InputError

if TYPE_CHECKING:
    from terraplan.config import BuildConfig

#: Indicators derived from two published ones (name, unit, polarity, how).
DERIVED: dict[str, dict[str, str]] = {
    "grp_per_capita": {
        "name_en": "GRP per capita",
        "name_ru": "ВРП на душу населения",
        "name_kk": "Жан басына шаққандағы ЖӨӨ",
        "unit": "thousand KZT per person",
        "polarity": "higher_is_better",
        "source": "bns-5927; bns-6576",
        "derivation": "grp (million KZT) × 1000 / population (persons)",
    },
}

#: The completeness rule of the default years is checked on this indicator.
COMPLETENESS_INDICATOR = "grp"


@dataclass
class Analysis:
    """Everything one run computed: the panel, years, language and the result tables.

    ``tables`` maps a section name (``lq``, ``shift_share``, ``advantages``, ``typology``,
    ``types``, ``peers``, ``opportunities``, ``lisa``, ``monitoring``) to its DataFrame; ``notes``
    says why a section is missing; ``neighbours`` maps a code to its neighbours' codes; ``cache``
    holds lookups the renderers reuse across regions.

    >>> import pandas as pd
    >>> Analysis(pd.DataFrame(), 2023, 2021, ["grp"], ["KZ-71"]).tables
    {}
    """

    panel: pd.DataFrame
    year: int
    base_year: int
    indicators: list[str]
    regions: list[str]
    lang: str = "en"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, list[str]] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


def indicator_meta(indicator: str, lang: str = "en") -> dict[str, str]:
    """Name (in ``lang``), unit, polarity and source of a catalogue or derived indicator.

    >>> indicator_meta("grp_per_capita")["unit"]
    'thousand KZT per person'
    >>> indicator_meta("unemployment_rate", "ru")["polarity"]
    'lower_is_better'
    """
    from terraplan.data.user import current_indicators

    user = current_indicators()
    if indicator in user:
        meta = dict(user[indicator])
    elif indicator in DERIVED:
        meta = DERIVED[indicator]
    else:
        from terraplan.data.catalog import indicator_catalog

        catalog = indicator_catalog()
        if indicator not in catalog.index:
            return {"name": indicator, "unit": "", "polarity": "neutral", "source": ""}
        meta = catalog.loc[indicator].to_dict()
    name = meta.get(f"name_{lang}") or meta.get("name_en") or indicator
    return {
        "name": str(name),
        "unit": str(meta.get("unit", "")),
        "polarity": str(meta.get("polarity", "neutral")),
        "source": str(meta.get("source", "")),
    }


def with_derived(panel: pd.DataFrame) -> pd.DataFrame:
    """Add ``grp_per_capita`` rows (GRP × 1000 / population) where both are published.

    The flag is the union of the two flags (e.g. ``preliminary``).

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"region": ["A", "A"], "year": 2023, "indicator": ["grp",
    ...     "population"], "sector": "TOTAL", "value": [2.0, 1000.0], "unit": ["m", "p"],
    ...     "flag": ["", "preliminary"]})
    >>> with_derived(panel).query("indicator == 'grp_per_capita'")[["value", "flag"]].values
    array([[2.0, 'preliminary']], dtype=object)
    """
    keys = ["region", "year"]
    grp = panel[(panel["indicator"] == "grp") & (panel["sector"] == "TOTAL")].set_index(keys)
    pop = panel[(panel["indicator"] == "population") & (panel["sector"] == "TOTAL")].set_index(keys)
    both = grp.index.intersection(pop.index)
    if panel["indicator"].eq("grp_per_capita").any() or both.empty:
        return panel
    value = grp.loc[both, "value"] * 1000.0 / pop.loc[both, "value"]
    flags = (grp.loc[both, "flag"].fillna("") + ";" + pop.loc[both, "flag"].fillna("")).map(
        lambda f: ";".join(sorted({t for t in f.split(";") if t}))
    )
    derived = pd.DataFrame(
        {
            "region": both.get_level_values(0),
            "year": both.get_level_values(1),
            "indicator": "grp_per_capita",
            "sector": "TOTAL",
            "value": value.to_numpy(),
            "unit": DERIVED["grp_per_capita"]["unit"],
            "flag": flags.to_numpy(),
        }
    )
    out = pd.concat(
        [panel, derived[panel.columns.intersection(derived.columns)]], ignore_index=True
    )
    return out.sort_values(["indicator", "sector", "region", "year"], ignore_index=True)


def default_years(panel: pd.DataFrame, regions: list[str] | None = None) -> tuple[int, int]:
    """``(year, base_year)``: the latest complete non-preliminary year and the first complete one.

    Complete means GRP published for every region of the 20-unit layout. In the bundled data
    2024 and 2025 are flagged ``preliminary``, so the default year is 2023; the base year is
    2021, the first year on 2022 borders.
    """
    if regions is None:
        from terraplan.territory.registry import layout_regions

        regions = layout_regions("KZ-2022")
    rows = panel[
        (panel["indicator"] == COMPLETENESS_INDICATOR)
        & (panel["sector"] == "TOTAL")
        & panel["region"].isin(regions)
        & panel["value"].notna()
    ]
    counts = rows.groupby("year")["region"].nunique()
    complete = counts.index[counts.to_numpy() == len(regions)]
    if complete.empty:
        raise InputError(
            f"no year has {COMPLETENESS_INDICATOR} for all {len(regions)} regions; set year and "
            "base_year in the configuration"
        )
    preliminary = rows[rows["flag"].fillna("").str.contains("preliminary")]["year"].unique()
    final = [y for y in complete if y not in set(preliminary)]
    year = int(max(final) if final else max(complete))
    return year, int(min(complete))


def _with_units(frame: pd.DataFrame, columns: list[str], unit: str) -> pd.DataFrame:
    return frame.rename(columns={c: f"{c}, {unit}" for c in columns if c in frame.columns})


def analyze(
    config: BuildConfig | None = None,
    *,
    panel: pd.DataFrame | None = None,
    progress: Any = None,
) -> Analysis:
    """Run every analysis of ``terraplan build`` and return the tables (no file is written).

    ``panel`` defaults to the bundled Kazakhstan data; ``progress`` (e.g. a tqdm bar) is
    advanced once per step.

    >>> from terraplan.config import parse_config
    >>> a = analyze(parse_config({"indicators": ["grp"], "typology": {"n_stability": 0}}))
    >>> a.year, a.base_year, "lq" in a.tables, len(a.neighbours)
    (2023, 2021, True, 20)
    """
    from terraplan.config import BuildConfig
    from terraplan.territory.registry import layout_regions

    config = config or BuildConfig()
    national = None
    if panel is None:
        from terraplan.datasets import kazakhstan

        panel = kazakhstan.panel()
        national = national_rows(kazakhstan.panel(include_national=True))
    panel, user_data = with_user_data(panel, config)
    panel = with_derived(panel)
    regions = layout_regions("KZ-2022")
    default_year, default_base = default_years(panel, regions)
    year = config.year or default_year
    base_year = config.base_year or default_base
    if base_year > year:
        raise ConfigError(f"base_year {base_year} is after year {year}; set an earlier base_year")
    known = set(panel.loc[panel["sector"] == "TOTAL", "indicator"])
    indicators = list(config.indicators)
    # the user's indicators with regional totals join the run (a sectoral file stays in the
    # panel for maps by sector)
    indicators += [
        i for r in user_data for i in r["indicators"] if i not in indicators and i in known
    ]
    unknown = [i for i in indicators if i not in known]
    if unknown:
        raise ConfigError(
            f"indicators: {', '.join(unknown)} have no regional totals (sector TOTAL) in the "
            f"panel; use one of {', '.join(sorted(known))} (a sectoral indicator such as gva "
            "goes in sectors_indicator)"
        )
    result = Analysis(
        panel=panel,
        year=year,
        base_year=base_year,
        indicators=indicators,
        regions=regions,
        lang=config.lang,
        parameters={
            "year": year,
            "base_year": base_year,
            "year_rule": "latest year with GRP for all 20 regions and no preliminary flag"
            if config.year is None
            else "configured",
            "base_year_rule": "first year with GRP for all 20 regions (2022 borders)"
            if config.base_year is None
            else "configured",
            "config": config.model_dump(mode="json"),
            **({"user_data": user_data} if user_data else {}),
        },
    )

    if national is not None:
        result.tables["national"] = national

    def step() -> None:
        if progress is not None:
            progress.update(1)

    weights = _weights(result)
    _sectoral(result, config)
    step()
    _advantages(result, config)
    step()
    features = _typology(result, config)
    step()
    _peers(result, config, features)
    _opportunities(result, config)
    _lisa(result, config, weights)
    step()
    _monitoring(result, config)
    _forecasts(result, config)
    step()
    _composite(result, config)
    return result


def with_user_data(panel: pd.DataFrame, config: BuildConfig) -> tuple[pd.DataFrame, list]:
    """The panel with the analyst's files of ``config.data`` (their records for the manifest);
    their indicators' names, units and polarities become those of this run."""
    from terraplan.data.user import (
        READ_OPTIONS,
        DataSource,
        indicator_records,
        load_sources,
        merge_user_panel,
        set_indicators,
    )

    set_indicators({})
    if not config.data:
        return panel, []

    sources = [
        DataSource(
            file=d.file,
            indicator=d.indicator,
            name=d.name,
            name_ru=d.name_ru,
            name_kk=d.name_kk,
            unit=d.unit,
            polarity=d.polarity,
            options={k: getattr(d, k) for k in READ_OPTIONS if getattr(d, k) is not None},
        )
        for d in config.data
    ]
    user, records = load_sources(sources)
    set_indicators(indicator_records(records))
    for record in records:  # absolute paths differ between machines; names and hashes do not
        record.pop("path")
    return merge_user_panel(panel, user), records


def national_rows(panel: pd.DataFrame) -> pd.DataFrame:
    """The published national totals (region ``KZ``, sector ``TOTAL``) with GRP per capita
    derived as for the regions: the country line of the profiles' trend charts.

    >>> from terraplan.datasets import kazakhstan
    >>> rows = national_rows(kazakhstan.panel(["grp", "population"], include_national=True))
    >>> sorted(rows["indicator"].unique()), set(rows["region"])
    (['grp', 'grp_per_capita', 'population'], {'KZ'})
    """
    rows = panel[(panel["region"] == "KZ") & (panel["sector"] == "TOTAL")]
    return with_derived(rows.reset_index(drop=True))


def _reference(result: Analysis, config: BuildConfig) -> dict[str, Any]:
    if config.reference == "neighbours":
        if not result.neighbours:
            raise ConfigError(
                "reference = 'neighbours' needs the spatial weights (libpysal), which are not "
                "available; use reference = 'nation'"
            )
        return {"reference": "neighbours", "neighbours": result.neighbours}
    return {"reference": "nation"}


def _weights(result: Analysis) -> Any:
    try:
        from terraplan.territory.boundaries import boundaries
        from terraplan.territory.weights import spatial_weights
    except ImportError as exc:
        result.notes["neighbours"] = f"neighbours and LISA left out: {exc}"
        return None
    w = spatial_weights(boundaries("KZ-2022"), "queen")
    result.neighbours = {str(c): sorted(str(n) for n in w.neighbors[c]) for c in w.id_order}
    return w


def _sectoral(result: Analysis, config: BuildConfig) -> None:
    from terraplan.analysis.specialization import location_quotient

    indicator = config.sectors_indicator
    reference = _reference(result, config)
    lq = location_quotient(result.panel, result.year, indicator=indicator, **reference)
    lq = lq[lq["region"].isin(result.regions)]
    result.tables["lq"] = lq
    try:
        from terraplan.analysis.shiftshare import shift_share
    except ImportError as exc:
        result.notes["shift_share"] = f"shift-share left out: {exc}"
        return
    ss = shift_share(
        result.panel,
        year=result.year,
        base_year=result.base_year,
        indicator=indicator,
        lang=result.lang,
        **reference,
    )
    result.tables["shift_share"] = ss[ss["region"].isin(result.regions)]


def _advantages(result: Analysis, config: BuildConfig) -> None:
    try:
        from terraplan.analysis.advantages import advantages
    except ImportError as exc:
        result.notes["advantages"] = f"competitive advantages left out: {exc}"
        return
    table = advantages(
        result.panel,
        year=result.year,
        base_year=result.base_year,
        indicator=config.sectors_indicator,
        lang=result.lang,
        **_reference(result, config),
    )
    result.tables["advantages"] = table


def _typology(result: Analysis, config: BuildConfig) -> pd.DataFrame | None:
    try:
        from terraplan.analysis.features import kazakhstan_features
        from terraplan.analysis.typology import Typology
    except ImportError as exc:
        result.notes["typology"] = f"typology left out: {exc}"
        return None
    features = _name_transforms(kazakhstan_features(result.panel, year=result.year))
    model = Typology(
        method=config.typology.method,
        k=config.typology.k,
        random_state=config.typology.random_state,
        n_stability=config.typology.n_stability,
    ).fit(features)
    labels = model.to_frame()
    result.tables["typology"] = labels.merge(
        features.reset_index(names="region"), on="region", how="left"
    )
    result.tables["typology"].attrs = labels.attrs
    result.tables["types"] = model.describe()
    return features


def _name_transforms(features: pd.DataFrame) -> pd.DataFrame:
    """Name a logged feature for what it holds (``log_grp_per_capita``), so no table shows log
    values under the plain indicator's name.

    >>> f = pd.DataFrame({"x": [0.0]})
    >>> f.attrs["features"] = {"x": {"unit": "log(KZT)", "transform": "value, log"}}
    >>> _name_transforms(f).columns.tolist()
    ['log_x']
    """
    meta = features.attrs.get("features", {})
    logged = {c: f"log_{c}" for c, m in meta.items() if m["transform"].endswith("log")}
    renamed = features.rename(columns=logged)
    renamed.attrs = {
        **features.attrs,
        "features": {logged.get(c, c): m for c, m in meta.items()},
    }
    return renamed


def _peers(result: Analysis, config: BuildConfig, features: pd.DataFrame | None) -> None:
    if features is None:
        result.notes["peers"] = "peers left out: no features (typology unavailable)"
        return
    try:
        from terraplan.analysis.peers import peers
    except ImportError as exc:
        result.notes["peers"] = f"peers left out: {exc}"
        return
    result.tables["peers"] = peers(features, k=config.typology.n_peers, lang=result.lang)


def _opportunities(result: Analysis, config: BuildConfig) -> None:
    """Growth opportunities of every region (balanced preset) and the validity of ECI."""
    try:
        from terraplan.analysis.complexity import complexity
        from terraplan.analysis.opportunities import opportunity_table
    except ImportError as exc:
        result.notes["opportunities"] = f"growth opportunities left out: {exc}"
        return
    peers = None
    if "peers" in result.tables:
        peers = result.tables["peers"].groupby("region")["peer"].apply(list).to_dict()
    indicator = config.sectors_indicator
    table = opportunity_table(
        result.panel,
        result.year,
        result.base_year,
        indicator=indicator,
        peers=peers,
        neighbours=result.neighbours or None,
    )
    checks = complexity(result.panel, result.year, indicator=indicator)
    stability = checks.validity.get("stability", {})
    lows = [s["low"] for s in stability.values() if s.get("n")]
    table.attrs["complexity_indicative"] = checks.indicative
    table.attrs["eci_stability_low"] = min(lows) if lows else None
    table.attrs["complexity_warnings"] = list(checks.warnings)
    result.tables["opportunities"] = table


def _lisa(result: Analysis, config: BuildConfig, w: Any) -> None:
    if w is None:
        return
    try:
        from terraplan.analysis.spatial import lisa
    except ImportError as exc:
        result.notes["lisa"] = f"LISA left out: {exc}"
        return
    indicator = result.indicators[0]
    rows = result.panel[
        (result.panel["indicator"] == indicator)
        & (result.panel["year"] == result.year)
        & (result.panel["sector"] == "TOTAL")
    ].set_index("region")["value"]
    values = rows.reindex(result.regions)
    # Benjamini-Hochberg FDR over the 20 local tests, as in the README example
    table = lisa(values, w, seed=config.typology.random_state, fdr=True)
    table.attrs["indicator"] = indicator
    table.attrs["year"] = result.year
    result.tables["lisa"] = table


def _monitoring(result: Analysis, config: BuildConfig) -> None:
    if config.plan is None:
        return
    from terraplan.plan.model import load_plan
    from terraplan.plan.monitor import monitor

    plan = load_plan(config.plan)
    fc = config.forecast
    result.tables["monitoring"] = monitor(
        plan,
        result.panel,
        forecast=fc.enabled,
        forecast_options={"method": fc.method, "harmonize": fc.harmonize},
    )


def _forecasts(result: Analysis, config: BuildConfig) -> None:
    """Forecasts of the configured indicators (fan charts); a failure becomes a note."""
    fc = config.forecast
    if not fc.enabled or not fc.indicators:
        return
    from terraplan.analysis.forecast import forecast
    from terraplan.errors import TerraplanError

    tables, notes = [], []
    for indicator in fc.indicators:
        try:
            made = forecast(
                result.panel,
                indicator,
                horizon=fc.horizon,
                method=fc.method,
                harmonize=fc.harmonize,
            )
        except TerraplanError as err:
            notes.append(f"{indicator}: {err}")
            continue
        table = made.table
        table["method_choice"] = made.info["method_choice"]
        table["reconciliation"] = made.info["reconciliation"].get("method", "none")
        tables.append(table)
    if tables:
        out = pd.concat(tables, ignore_index=True)
        out.attrs = {
            "method": "forecast",
            "indicator": list(out["indicator"].unique()),
            "horizon": fc.horizon,
        }
        result.tables["forecasts"] = out
    if notes:
        result.notes["forecasts"] = "; ".join(notes)


def _composite(result: Analysis, config: BuildConfig) -> None:
    """The composite index (bundled example unless configured) on the run's regions."""
    settings = config.ranking
    if not settings.enabled:
        return
    from terraplan.analysis.composite.inputs import framework_panel
    from terraplan.analysis.composite.summary import composite_tables
    from terraplan.data.framework import bundled_framework, load_framework

    framework = (
        bundled_framework() if settings.framework is None else load_framework(settings.framework)
    )
    try:
        panel = framework_panel(framework, result.panel)
    except InputError as exc:
        result.notes["composite"] = f"composite index left out: {exc}"
        return
    tables = composite_tables(
        framework, panel, runs=settings.runs, seed=settings.seed, units=result.regions
    )
    for name, table in tables.items():
        result.tables[f"composite_{name}"] = table
    result.parameters["composite"] = {"framework": framework.id, **tables["index"].attrs}


def rank_regions(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best: highest value, or lowest for ``lower_is_better``; NaN stays unranked.

    Ties share the best rank (``min``).

    >>> import pandas as pd
    >>> rank_regions(pd.Series([3.0, 1.0, None, 3.0]), "higher_is_better").tolist()
    [1.0, 3.0, nan, 1.0]
    >>> rank_regions(pd.Series([3.0, 1.0]), "lower_is_better").tolist()
    [2.0, 1.0]
    """
    ascending = polarity == "lower_is_better"
    return values.rank(ascending=ascending, method="min", na_option="keep")


def indicator_table(analysis: Analysis, lang: str | None = None) -> pd.DataFrame:
    """Wide table of the run's indicators in its year: one row per region, units in headers.

    Columns: ``region, name``, then ``<indicator name>, <unit>`` and ``rank: <indicator name>``
    per indicator, and ``flags``.

    >>> import pandas as pd
    >>> panel = pd.DataFrame({"region": ["KZ-71", "KZ-75"], "year": 2023, "indicator": "grp",
    ...     "sector": "TOTAL", "value": [1.0, 2.0], "unit": "m", "flag": ["", "estimated"]})
    >>> a = Analysis(panel, 2023, 2023, ["grp"], ["KZ-71", "KZ-75"])
    >>> indicator_table(a).iloc[:, [0, 3, 4]].values.tolist()
    [['KZ-71', 2, ''], ['KZ-75', 1, 'grp: estimated']]
    """
    lang = lang or analysis.lang
    from terraplan.territory.registry import display_name

    panel = analysis.panel
    rows = panel[
        panel["indicator"].isin(analysis.indicators)
        & (panel["year"] == analysis.year)
        & (panel["sector"] == "TOTAL")
        & panel["region"].isin(analysis.regions)
    ]
    wide = rows.pivot(index="region", columns="indicator", values="value").reindex(analysis.regions)
    flags = rows.pivot(index="region", columns="indicator", values="flag").reindex(analysis.regions)
    out = pd.DataFrame(index=pd.Index(analysis.regions, name="region"))
    out["name"] = [display_name(c, lang) for c in analysis.regions]
    for ind in analysis.indicators:
        meta = indicator_meta(ind, lang)
        col = wide[ind] if ind in wide.columns else pd.Series(np.nan, index=out.index)
        out[f"{meta['name']}, {meta['unit']}"] = col
        out[f"rank: {meta['name']}"] = rank_regions(col, meta["polarity"]).astype("Int64")
    flag_text = flags.fillna("").apply(
        lambda r: "; ".join(f"{k}: {v}" for k, v in r.items() if v), axis=1
    )
    out["flags"] = flag_text.reindex(out.index).fillna("")
    out.attrs = {
        "method": "published values (grp_per_capita derived)",
        "year": analysis.year,
        "reference": "20 regions of KZ-2022",
    }
    return out.reset_index()
