"""A composite-indicator framework as data: pillars of indicators with polarity, weight, target.

A framework is read from YAML (safe loader) or a dict and validated as a whole: every problem
is reported in one :class:`~terraplan.errors.InputError`. An indicator is either a bundled (or
user) indicator id, or a ratio ``numerator / denominator * scale`` computed at run time (e.g.
doctors per 10,000 people). ``choices`` are the default method of each step; ``uncertainty``
lists the alternatives the Monte Carlo analysis varies.

Example
-------
>>> fw = framework_from_dict({
...     "id": "demo",
...     "pillars": [{"id": "econ", "indicators": [
...         {"id": "grp_per_capita"},
...         {"id": "unemployment_rate", "polarity": "lower_is_better", "weight": 2}]}]})
>>> [(i.id, i.polarity, i.weight) for i in fw.indicators]
[('grp_per_capita', 1, 1.0), ('unemployment_rate', -1, 2.0)]
>>> framework_from_dict({"pillars": [{"id": "p", "indicators": [{"weight": -1}]}]})
Traceback (most recent call last):
terraplan.errors.InputError: framework <dict> has 3 problem(s):
  - id: missing (give the framework an id)
  - pillars[0].indicators[0].id: missing
  - pillars[0].indicators[0].weight: -1 is negative (weights must be >= 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from terraplan._resources import data_dir
from terraplan.errors import InputError

IMPUTATIONS = ("none", "mean", "median", "mean_by_group", "median_by_group", "linear", "carry")
OUTLIER_RULES = ("none", "handbook")
NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts", "target", "reference")
WEIGHTINGS = ("equal", "expert", "pca", "budget")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "copeland")

_STEPS = {
    "imputation": IMPUTATIONS,
    "outliers": OUTLIER_RULES,
    "normalisation": NORMALISATIONS,
    "weights": WEIGHTINGS,
    "aggregation": AGGREGATIONS,
}
DEFAULT_CHOICES = {
    "imputation": "none",
    "outliers": "handbook",
    "normalisation": "minmax",
    "weights": "expert",
    "aggregation": "arithmetic",
}
_POLARITY = {"higher_is_better": 1, "lower_is_better": -1, 1: 1, -1: -1, "+": 1, "-": -1}
_LANGS = ("en", "ru", "kk")


@dataclass(frozen=True)
class Indicator:
    """One indicator of a framework (``polarity`` is +1 or -1)."""

    id: str
    pillar: str
    polarity: int = 1
    weight: float = 1.0
    target: float | None = None
    goalposts: tuple[float, float] | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    unit: str = ""
    names: dict[str, str] = field(default_factory=dict)

    @property
    def inputs(self) -> tuple[str, ...]:
        """The data indicator ids this indicator is computed from."""
        if self.numerator:
            return (self.numerator, self.denominator or "")
        return (self.id,)


@dataclass(frozen=True)
class Pillar:
    """A pillar (sub-index) of a framework."""

    id: str
    weight: float = 1.0
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Framework:
    """A validated composite-indicator framework."""

    id: str
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    names: dict[str, str] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CHOICES))
    uncertainty: dict[str, Any] = field(default_factory=dict)
    budget: tuple[dict[str, float], ...] = ()
    coverage: float = 0.66
    stage_indicator: str | None = None
    stage_weights: tuple[tuple[float | None, dict[str, float]], ...] = ()
    reference_region: str | None = None

    @property
    def indicator_ids(self) -> list[str]:
        """Indicator ids in framework order."""
        return [i.id for i in self.indicators]

    def labels(self) -> list[dict[str, str]]:
        """Names of the pillars and indicators in en, ru, kk (YAML names, else the catalogue's).

        >>> [row["name_ru"] for row in bundled_framework().labels()[:2]]
        ['Индекс регионального развития', 'Экономика']
        """
        from terraplan.data.catalog import indicator_catalog

        catalog = indicator_catalog()
        rows = [
            {"id": self.id, "kind": "index"}
            | {
                f"name_{lang}": self.names.get(lang) or self.names.get("en") or self.id
                for lang in _LANGS
            }
        ]
        for kind, items in (("pillar", self.pillars), ("indicator", self.indicators)):
            for item in items:
                row = {"id": item.id, "kind": kind}
                for lang in _LANGS:
                    name = item.names.get(lang) or item.names.get("en")
                    if not name and item.id in catalog.index:
                        name = catalog.at[item.id, f"name_{lang}"]
                    row[f"name_{lang}"] = name or item.id
                if kind == "indicator":
                    ids = [x for x in item.inputs if x in catalog.index]
                    row["source"] = "; ".join(sorted({catalog.at[x, "source"] for x in ids}))
                rows.append(row)
        return rows

    def pillar_of(self) -> dict[str, str]:
        """Indicator id -> pillar id."""
        return {i.id: i.pillar for i in self.indicators}


def _number(value: Any, where: str, problems: list[str], *, minimum: float | None = None):
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{where}: {value!r} is not a number")
        return None
    if minimum is not None and value < minimum:
        problems.append(f"{where}: {value!r} is negative (weights must be >= 0)")
        return None
    return float(value)


def _names(raw: Any, where: str, problems: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(_LANGS, raw)
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(f"{where}: give names as {{en: ..., ru: ..., kk: ...}}")
        return {}
    return {str(k): v for k, v in raw.items()}


def _unknown(raw: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    extra = sorted(set(map(str, raw)) - allowed)
    if extra:
        problems.append(f"{where}: unknown key(s) {extra}; allowed: {sorted(allowed)}")


_INDICATOR_KEYS = {
    "id",
    "polarity",
    "weight",
    "target",
    "goalposts",
    "numerator",
    "denominator",
    "scale",
    "unit",
    "name",
}
_TOP_KEYS = {
    "id",
    "name",
    "pillars",
    "choices",
    "uncertainty",
    "budget",
    "coverage",
    "stage_indicator",
    "stage_weights",
    "reference_region",
}


def _indicator(raw: Any, pillar: str, where: str, problems: list[str]) -> Indicator | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: an indicator is a mapping with at least an id")
        return None
    _unknown(raw, _INDICATOR_KEYS, where, problems)
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        problems.append(f"{where}.id: missing")
    polarity = _POLARITY.get(raw.get("polarity", 1))
    if polarity is None:
        problems.append(
            f"{where}.polarity: {raw.get('polarity')!r}; use higher_is_better or lower_is_better"
        )
    weight = _number(raw.get("weight", 1.0), f"{where}.weight", problems, minimum=0)
    target = raw.get("target")
    if target is not None:
        target = _number(target, f"{where}.target", problems)
    goalposts = raw.get("goalposts")
    if goalposts is not None:
        ok = isinstance(goalposts, list | tuple) and len(goalposts) == 2
        values = [_number(v, f"{where}.goalposts", problems) for v in goalposts] if ok else []
        if not ok or None in values or values[0] >= values[1]:
            problems.append(f"{where}.goalposts: give [low, high] with low < high")
            goalposts = None
        else:
            goalposts = (values[0], values[1])
    numerator, denominator = raw.get("numerator"), raw.get("denominator")
    if (numerator is None) != (denominator is None):
        problems.append(f"{where}: a ratio needs both numerator and denominator")
    scale = _number(raw.get("scale", 1.0), f"{where}.scale", problems)
    if None in (polarity, weight, scale) or not isinstance(ident, str) or not ident:
        return None
    return Indicator(
        id=ident,
        pillar=pillar,
        polarity=polarity,
        weight=weight,
        target=target,
        goalposts=goalposts,
        numerator=numerator,
        denominator=denominator,
        scale=scale,
        unit=str(raw.get("unit", "")),
        names=_names(raw.get("name"), f"{where}.name", problems),
    )


def _uncertainty(raw: Any, problems: list[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("uncertainty: a mapping of step -> list of alternatives")
        return {}
    allowed = {*_STEPS, "weights_perturbation", "leave_one_out"}
    _unknown(raw, allowed, "uncertainty", problems)
    out: dict[str, Any] = {}
    for step, options in _STEPS.items():
        if step not in raw:
            continue
        values = raw[step]
        if not isinstance(values, list) or not values:
            problems.append(f"uncertainty.{step}: give a non-empty list of {list(options)}")
            continue
        bad = [v for v in values if v not in options]
        if bad:
            problems.append(f"uncertainty.{step}: unknown {bad}; known: {list(options)}")
        out[step] = list(values)
    if "weights_perturbation" in raw:
        f = _number(raw["weights_perturbation"], "uncertainty.weights_perturbation", problems)
        if f is not None and not 0 <= f < 1:
            problems.append("uncertainty.weights_perturbation: give a fraction in [0, 1)")
        out["weights_perturbation"] = f
    if "leave_one_out" in raw:
        out["leave_one_out"] = bool(raw["leave_one_out"])
    return out


def _stage_weights(
    raw: Any, stage: str | None, pillars: list[Pillar], problems: list[str]
) -> tuple[tuple[float | None, dict[str, float]], ...]:
    """Pillar weights by stage of development: ``[{below: x, weights: {...}}, ..., {weights}]``."""
    if raw is None:
        return ()
    if stage is None:
        problems.append("stage_weights: needs stage_indicator (the indicator that sets the stage)")
    if not isinstance(raw, list) or not raw:
        problems.append("stage_weights: give a list of {below: value, weights: {pillar: w}}")
        return ()
    known = {p.id for p in pillars}
    out: list[tuple[float | None, dict[str, float]]] = []
    last = -math.inf
    for k, entry in enumerate(raw):
        where = f"stage_weights[{k}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("weights"), dict):
            problems.append(f"{where}: give {{below: value, weights: {{pillar: weight}}}}")
            continue
        _unknown(entry, {"below", "weights"}, where, problems)
        below = entry.get("below")
        is_last = k == len(raw) - 1
        if is_last and below is not None:
            problems.append(f"{where}: the last stage has no 'below' (it takes the rest)")
        if not is_last:
            below = _number(below, f"{where}.below", problems)
            if below is not None and below <= last:
                problems.append(f"{where}.below: thresholds must increase")
            last = below if below is not None else last
        unknown = sorted(set(map(str, entry["weights"])) - known)
        if unknown:
            problems.append(f"{where}.weights: unknown pillar(s) {unknown}")
        weights = {
            str(p): _number(w, f"{where}.weights.{p}", problems, minimum=0)
            for p, w in entry["weights"].items()
        }
        if not any(weights.values()):
            problems.append(f"{where}.weights: give at least one weight > 0")
        out.append((below, {p: w or 0.0 for p, w in weights.items() if p in known}))
    return tuple(out)


def framework_from_dict(raw: Any, *, source: str = "<dict>") -> Framework:
    """Validate a framework given as a dict; every problem is reported in one InputError."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise InputError(f"framework {source}: the top level must be a mapping")
    _unknown(raw, _TOP_KEYS, "framework", problems)
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        problems.append("id: missing (give the framework an id)")
    pillars: list[Pillar] = []
    indicators: list[Indicator] = []
    raw_pillars = raw.get("pillars")
    if not isinstance(raw_pillars, list) or not raw_pillars:
        problems.append("pillars: give a list of pillars, each with id and indicators")
        raw_pillars = []
    for p, rp in enumerate(raw_pillars):
        where = f"pillars[{p}]"
        if not isinstance(rp, dict):
            problems.append(f"{where}: a pillar is a mapping with id and indicators")
            continue
        _unknown(rp, {"id", "name", "weight", "indicators"}, where, problems)
        pid = rp.get("id")
        if not isinstance(pid, str) or not pid:
            problems.append(f"{where}.id: missing")
            pid = f"pillar{p}"
        weight = _number(rp.get("weight", 1.0), f"{where}.weight", problems, minimum=0)
        pillars.append(Pillar(pid, weight or 0.0, _names(rp.get("name"), where, problems)))
        raw_ind = rp.get("indicators")
        if not isinstance(raw_ind, list) or not raw_ind:
            problems.append(f"{where}.indicators: give a non-empty list")
            continue
        for i, ri in enumerate(raw_ind):
            ind = _indicator(ri, pid, f"{where}.indicators[{i}]", problems)
            if ind is not None:
                indicators.append(ind)
    listed = {"pillar": [p.id for p in pillars], "indicator": [i.id for i in indicators]}
    for kind, ids in listed.items():
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            problems.append(f"{kind} ids repeated: {dupes} (each id once)")
    choices = dict(DEFAULT_CHOICES)
    raw_choices = raw.get("choices") or {}
    if not isinstance(raw_choices, dict):
        problems.append("choices: a mapping of step -> method")
        raw_choices = {}
    _unknown(raw_choices, set(_STEPS), "choices", problems)
    for step, options in _STEPS.items():
        if step in raw_choices:
            if raw_choices[step] not in options:
                problems.append(
                    f"choices.{step}: unknown {raw_choices[step]!r}; known: {list(options)}"
                )
            else:
                choices[step] = raw_choices[step]
    budget: list[dict[str, float]] = []
    known = {i.id for i in indicators}
    for b, alloc in enumerate(raw.get("budget") or []):
        if not isinstance(alloc, dict):
            problems.append(f"budget[{b}]: a mapping indicator -> points")
            continue
        unknown = sorted(set(alloc) - known)
        if unknown:
            problems.append(f"budget[{b}]: unknown indicator(s) {unknown}")
        pts = {k: _number(v, f"budget[{b}].{k}", problems, minimum=0) for k, v in alloc.items()}
        budget.append({k: v for k, v in pts.items() if v is not None and k in known})
    if choices["weights"] == "budget" and not budget:
        problems.append("choices.weights is budget but no budget allocations are given")
    coverage = _number(raw.get("coverage", 0.66), "coverage", problems)
    if coverage is not None and not 0 <= coverage <= 1:
        problems.append("coverage: give a fraction in [0, 1]")
    stage = raw.get("stage_indicator")
    if stage is not None and stage not in known:
        problems.append(f"stage_indicator: {stage!r} is not an indicator of the framework")
    stage_weights = _stage_weights(raw.get("stage_weights"), stage, pillars, problems)
    if choices["normalisation"] == "target":
        missing = [i.id for i in indicators if i.target is None]
        if missing:
            problems.append(f"normalisation target needs a target for {missing}")
    if choices["normalisation"] == "reference" and not raw.get("reference_region"):
        problems.append("normalisation reference needs reference_region")
    uncertainty = _uncertainty(raw.get("uncertainty"), problems)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise InputError(f"framework {source} has {len(problems)} problem(s):\n{listed}")
    return Framework(
        id=ident,
        pillars=tuple(pillars),
        indicators=tuple(indicators),
        names=_names(raw.get("name"), "name", problems),
        choices=choices,
        uncertainty=uncertainty,
        budget=tuple(budget),
        coverage=coverage,
        stage_indicator=stage,
        stage_weights=stage_weights,
        reference_region=raw.get("reference_region"),
    )


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework YAML file (safe loader).

    >>> load_framework(data_dir() / "frameworks" / "kz-development.yaml").id
    'kz-development'
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"framework {path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"framework {path}: not valid YAML ({exc})") from None
    return framework_from_dict(raw, source=str(path))


def bundled_framework(name: str = "kz-development") -> Framework:
    """A framework shipped with terraplan (``data/regions/frameworks/NAME.yaml``).

    >>> len(bundled_framework().indicators)
    7
    """
    path = data_dir() / "frameworks" / f"{name}.yaml"
    if not path.is_file():
        raise InputError(f"no bundled framework {name!r} (looked for {path})")
    return load_framework(path)
