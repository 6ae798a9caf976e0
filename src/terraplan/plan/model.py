"""Plan files: planning documents, National Priorities, national projects, indicators, budget.

A plan file is YAML (read with PyYAML's safe loader), validated with pydantic. Everything wrong
with one file (malformed YAML, unknown keys, wrong types, unknown ids or regions, periods
out of order) is reported together in one :class:`~terraplan.errors.PlanError` whose lines name
the file, the line and the element path (``indicators[0].regional_targets[3].region``).
Region names may be written in any spelling the registry knows; they are matched once, here, and
stored as ISO 3166-2 codes.

The file format is described in ``docs/planning.md``; its JSON Schema is
``plan_json_schema()`` (exported to ``docs/plan.schema.json``).

Example
-------
>>> from terraplan.plan.model import parse_plan
>>> plan = parse_plan('''
... priorities:
...   - {id: P1, name: Balanced territorial development}
... ''')
>>> plan.priorities[0].name
'Balanced territorial development'
"""

from __future__ import annotations

import datetime as dt
import json
import os
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from terraplan.errors import PlanError
from terraplan.plan.yaml_source import MAX_PLAN_BYTES, YamlLimitError, read_yaml

#: How regional targets roll up to the national target.
Aggregation = Literal["sum", "mean", "population_weighted_mean", "none"]
#: Direction of improvement (the catalogue's words; ``positive``/``negative`` are accepted too).
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]
#: Status of a planning document.
Status = Literal["draft", "in_force", "expired", "repealed", "superseded"]
#: Where money comes from.
FundingSource = Literal[
    "republican",
    "local",
    "national_fund",
    "quasi_state",
    "private",
    "extra_budgetary",
    "international",
    "other",
]

_POLARITY_ALIASES = {"positive": "higher_is_better", "negative": "lower_is_better"}

Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1991, le=2100)]
Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Period(_Model):
    """A span of calendar years, both ends included (``{start: 2021, end: 2025}``).

    >>> Period(start=2021, end=2025).end
    2025
    """

    start: Year
    end: Year

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError(
                f"dates out of order: start {self.start} is after end {self.end}. "
                "Fix: swap them or correct the year"
            )
        return self

    def contains(self, year: int) -> bool:
        """Whether ``year`` lies in the period.

        >>> Period(start=2021, end=2025).contains(2025)
        True
        """
        return self.start <= year <= self.end


class Document(_Model):
    """A planning document of the State Planning System (level 1-3).

    >>> Document(id="tdp", title="TDP", level=1, type="TDP", approver="President",
    ...          period={"start": 2021, "end": 2025}).status
    'in_force'
    """

    id: Id
    title: Text
    level: Literal[1, 2, 3]
    type: Text = Field(description="e.g. NDP, TDP, NationalPriorities, Concept, RegionDevPlan")
    approver: Text = Field(description="e.g. President, Government, Maslikhat, Minister")
    period: Period
    status: Status = "in_force"
    implements: list[Id] = Field(default_factory=list, description="ids of parent documents")
    indicators: list[Id] = Field(default_factory=list, description="indicator passport ids")
    act: str | None = Field(None, description="the approving act, e.g. 'Gov. Decree No. 634'")
    source: str | None = None
    note: str | None = None


class Priority(_Model):
    """A National Priority.

    >>> Priority(id="NP10", name="Balanced territorial development").period is None
    True
    """

    id: Id
    name: Text
    period: Period | None = None
    document: Id | None = Field(None, description="id of the document that sets the priority")
    source: str | None = None
    note: str | None = None


class Resource(_Model):
    """Money for a national project from one source, for one year or (``year`` empty) the period.

    >>> Resource(source="local", amount=786).year is None
    True
    """

    source: FundingSource
    amount: Annotated[float, Field(ge=0)]
    year: Year | None = None
    note: str | None = None


class Responsible(_Model):
    """Who answers for a national project: the body and a named person.

    >>> Responsible(body="Ministry of National Economy").person is None
    True
    """

    body: str | None = None
    person: str | None = None
    position: str | None = None


class NationalProject(_Model):
    """A national project: the seven criteria are checked on these fields.

    >>> NationalProject(id="p", title="P", period={"start": 2021, "end": 2025}).regions
    []
    """

    id: Id
    title: Text
    goal: str | None = None
    relevance: str | None = Field(None, description="the problem the project answers")
    priorities: list[Id] = Field(default_factory=list, description="National Priorities served")
    implements: list[Id] = Field(default_factory=list, description="ids of parent documents")
    period: Period
    completion_date: dt.date | None = None
    indicators: list[Id] = Field(default_factory=list, description="measurable results")
    resources: list[Resource] = Field(default_factory=list)
    estimated_cost: Annotated[float, Field(ge=0)] | None = None
    responsible: Responsible | None = None
    beneficiaries: str | None = None
    person_centred: str | None = Field(None, description="why the project serves people")
    regions: Literal["all"] | list[str] = Field(default_factory=list)
    status: Status = "in_force"
    act: str | None = None
    source: str | None = None
    note: str | None = None


class Baseline(_Model):
    """The value an indicator starts from.

    >>> Baseline(year=2022, value=4.9).value
    4.9
    """

    year: Year
    value: float


class RegionalTarget(_Model):
    """Targets of one region by year, with an optional regional baseline.

    >>> RegionalTarget(region="KZ-35", targets={2025: 4.1}).targets
    {2025: 4.1}
    """

    region: Text
    targets: dict[Year, float] = Field(default_factory=dict)
    baseline: float | None = Field(None, description="the region's value in the baseline year")


class Indicator(_Model):
    """An indicator passport.

    >>> Indicator(id="u", name="Unemployment", unit="%", polarity="negative").polarity
    'lower_is_better'
    """

    id: Id
    name: Text
    unit: Text
    polarity: Polarity
    source: str | None = Field(None, description="data source, e.g. BNS")
    baseline: Baseline | None = None
    targets: dict[Year, float] = Field(default_factory=dict, description="national targets")
    regional_targets: list[RegionalTarget] = Field(default_factory=list)
    aggregation: Aggregation = "none"
    tolerance: Annotated[float, Field(ge=0)] | None = Field(
        None, description="absolute tolerance of the regional roll-up, in the indicator's unit"
    )
    panel_indicator: Id | None = Field(None, description="indicator id of actual values")
    panel_sector: str = "TOTAL"
    illustrative: bool = Field(False, description="targets are illustrative, not published")
    note: str | None = None

    @field_validator("polarity", mode="before")
    @classmethod
    def _alias_polarity(cls, value: Any) -> Any:
        return _POLARITY_ALIASES.get(value, value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _targets_after_baseline(self) -> Indicator:
        if self.baseline is None:
            return self
        years = set(self.targets).union(*(set(r.targets) for r in self.regional_targets))
        early = sorted(y for y in years if y < self.baseline.year)
        if early:
            raise ValueError(
                f"dates out of order: target year(s) {early} come before the baseline year "
                f"{self.baseline.year}. Fix: move the baseline earlier or correct the target years"
            )
        return self


class Allocation(_Model):
    """Money keyed to a National Priority and/or a national project (an agency alone is flagged).

    >>> Allocation(year=2022, amount=709, national_project="strong-regions").priority is None
    True
    """

    year: Year
    amount: Annotated[float, Field(ge=0)]
    priority: Id | None = None
    national_project: Id | None = None
    agency: str | None = Field(None, description="the budget administrator, for information")
    source: FundingSource | None = None
    note: str | None = None


class BudgetLimit(_Model):
    """A declared total for one priority or one national project in one year.

    >>> BudgetLimit(year=2021, amount=1500, national_project="strong-regions").amount
    1500.0
    """

    year: Year
    amount: Annotated[float, Field(ge=0)]
    priority: Id | None = None
    national_project: Id | None = None

    @model_validator(mode="after")
    def _one_key(self) -> BudgetLimit:
        if (self.priority is None) == (self.national_project is None):
            raise ValueError(
                "a budget limit names exactly one of 'priority' or 'national_project'. "
                "Fix: keep one of the two keys"
            )
        return self


class Budget(_Model):
    """Budget totals by year, limits by priority or project, and the allocations.

    >>> Budget(totals={2022: 100}).allocations
    []
    """

    totals: dict[Year, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    limits: list[BudgetLimit] = Field(default_factory=list)
    allocations: list[Allocation] = Field(default_factory=list)


class Tolerances(_Model):
    """Relative tolerances of the sums the checks compare.

    >>> Tolerances().money, Tolerances().aggregation
    (0.01, 0.005)
    """

    money: Annotated[float, Field(ge=0, le=1)] = Field(
        0.01, description="share of a declared amount that sums may miss it by"
    )
    aggregation: Annotated[float, Field(ge=0, le=1)] = Field(
        0.005, description="share of the national target the regional roll-up may miss it by"
    )


class Plan(_Model):
    """A plan file: documents, priorities, national projects, indicator passports and budget.

    >>> Plan().money_unit
    'bn KZT'
    """

    title: str | None = None
    money_unit: Text = "bn KZT"
    tolerances: Tolerances = Field(default_factory=Tolerances)
    documents: list[Document] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    national_projects: list[NationalProject] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    budget: Budget = Field(default_factory=Budget)
    _source_file: str = PrivateAttr("<string>")

    @property
    def source_file(self) -> str:
        """The file the plan was read from (``"<string>"`` when parsed from text)."""
        return self._source_file


# --------------------------------------------------------------------------------------------
# reading


def element_path(loc: Iterable[Any]) -> str:
    """Format a location tuple as an element path.

    >>> element_path(("national_projects", 2, "regional_targets", 0, "region"))
    'national_projects[2].regional_targets[0].region'
    """
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _unwrap(annotation: Any) -> Iterator[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif origin is Annotated:
        yield from _unwrap(typing.get_args(annotation)[0])
    elif origin in (list, dict, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _unwrap(arg)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Plan
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        found = list(_unwrap(field.annotation))
        model = found[0] if found else None
    return model


def _redundant(error: Any) -> bool:
    """A union branch error that does not apply: ``regions: all`` tried on a list."""
    tagged = any(isinstance(p, str) and p.startswith("literal[") for p in error["loc"])
    return tagged and isinstance(error.get("input"), list)


def _describe(error: Any) -> tuple[tuple[Any, ...], str]:
    """(location, 'what is wrong. Fix: ...') for one pydantic error."""
    loc = tuple(p for p in error["loc"] if p != "[key]")
    # pydantic adds the tag of a union member ('list[str]', 'function-after[...]') to the location
    loc = tuple(p for p in loc if not (isinstance(p, str) and "[" in p))
    kind, given = error["type"], error.get("input")
    if kind == "extra_forbidden" and (not loc or loc[-1] != error["loc"][-1]):
        loc = (*loc, error["loc"][-1])  # the unknown key itself, even one holding a "["
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return loc, (
            f"unknown key {loc[-1]!r}. Fix: remove it or correct its spelling"
            + (f"; allowed keys here: {allowed}" if allowed else "")
        )
    if kind == "missing":
        return loc, "required key is missing. Fix: add it"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.endswith(("_type", "_parsing", "literal_error", "enum", "greater_than_equal")) or (
        kind.startswith(("less_than", "greater_than", "string_"))
    ):
        return loc, f"{message}, got {given!r}. Fix: correct the value"
    return loc, message


def _raise(problems: list[tuple[tuple[Any, ...], str]], lines: dict, where: str) -> None:
    if not problems:
        return
    rendered = []
    for loc, message in sorted(problems, key=lambda p: _sort_key(p[0], lines)):
        line = _line(loc, lines)
        at = f"line {line}, " if line else ""
        rendered.append(f"  - {at}{element_path(loc)}: {message}")
    raise PlanError(f"plan file {where} has {len(problems)} problem(s):\n" + "\n".join(rendered))


def _line(loc: tuple[Any, ...], lines: dict) -> int | None:
    """The line of ``loc``, else of its nearest ancestor (a missing key, a path inside an alias)."""
    path = tuple(str(p) for p in loc)
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _sort_key(loc: tuple[Any, ...], lines: dict) -> tuple[int, str]:
    return (_line(loc, lines) or 0, element_path(loc))


def _reference_problems(plan: Plan) -> list[tuple[tuple[Any, ...], str]]:
    """Duplicated ids and references to ids that the file does not define."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    kinds = {
        "document": [d.id for d in plan.documents],
        "priority": [p.id for p in plan.priorities],
        "national project": [n.id for n in plan.national_projects],
        "indicator": [i.id for i in plan.indicators],
    }
    sections = {
        "document": "documents",
        "priority": "priorities",
        "national project": "national_projects",
        "indicator": "indicators",
    }
    for kind, ids in kinds.items():
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                problems.append(
                    ((sections[kind], i, "id"), f"duplicated {kind} id {value!r}. Fix: rename it")
                )
            seen.add(value)
    parents = set(kinds["document"]) | set(kinds["national project"])

    def ref(loc: tuple[Any, ...], value: str | None, kind: str, known: set[str]) -> None:
        if value is not None and value not in known:
            listing = ", ".join(sorted(known)) or "none defined"
            problems.append(
                (loc, f"unknown {kind} {value!r}. Fix: use one of the ids defined: {listing}")
            )

    for i, d in enumerate(plan.documents):
        for j, v in enumerate(d.implements):
            ref(("documents", i, "implements", j), v, "document", parents)
        for j, v in enumerate(d.indicators):
            ref(("documents", i, "indicators", j), v, "indicator", set(kinds["indicator"]))
    for i, p in enumerate(plan.priorities):
        ref(("priorities", i, "document"), p.document, "document", set(kinds["document"]))
    for i, n in enumerate(plan.national_projects):
        for j, v in enumerate(n.priorities):
            ref(("national_projects", i, "priorities", j), v, "priority", set(kinds["priority"]))
        for j, v in enumerate(n.implements):
            ref(("national_projects", i, "implements", j), v, "document", parents)
        for j, v in enumerate(n.indicators):
            ref(("national_projects", i, "indicators", j), v, "indicator", set(kinds["indicator"]))
    budget_items = [("limits", x) for x in plan.budget.limits] + [
        ("allocations", x) for x in plan.budget.allocations
    ]
    counters = {"limits": 0, "allocations": 0}
    for section, item in budget_items:
        i = counters[section]
        counters[section] += 1
        ref(("budget", section, i, "priority"), item.priority, "priority", set(kinds["priority"]))
        ref(
            ("budget", section, i, "national_project"),
            item.national_project,
            "national project",
            set(kinds["national project"]),
        )
    return problems


def _region_slots(plan: Plan) -> Iterator[tuple[tuple[Any, ...], Any, str, int | None]]:
    """(location, owner, attribute or index, year) of every region name in the plan.

    The year picks between a current and a historic unit of the same name (East Kazakhstan is
    KZ-VOS in 2020 and KZ-63 in 2025): a project's last year, a regional target's first year.
    """
    for i, n in enumerate(plan.national_projects):
        if isinstance(n.regions, list):
            for j in range(len(n.regions)):
                yield ("national_projects", i, "regions", j), n.regions, str(j), n.period.end
    for i, ind in enumerate(plan.indicators):
        for j, rt in enumerate(ind.regional_targets):
            year = min(rt.targets) if rt.targets else (ind.baseline.year if ind.baseline else None)
            yield ("indicators", i, "regional_targets", j, "region"), rt, "region", year


def _match_regions(plan: Plan) -> list[tuple[tuple[Any, ...], str]]:
    """Replace every region name by its ISO code; return the names that could not be placed.

    A unit that does not exist in the year is kept (the check REGION_PERIOD reports it); names
    that match no unit or several are problems.
    """
    from terraplan.territory.names import match_regions

    slots = list(_region_slots(plan))
    found: dict[tuple[str, int | None], tuple[str | None, str]] = {}
    for year in sorted({s[3] for s in slots}, key=lambda y: -1 if y is None else y):
        values = sorted({_slot_value(s) for s in slots if s[3] == year})
        table = match_regions(values, year=year, one_column=False).table
        placed = table["status"].isin(["matched", "historic", "outside_layout"])
        hint = table["note"].where(
            table["suggestions"] == "", table["note"] + "; did you mean: " + table["suggestions"]
        )
        for value, code, ok, why in zip(values, table["code"], placed, hint, strict=True):
            found[(value, year)] = (code if ok else None, why)
    problems = []
    for slot in slots:
        loc, owner, key, year = slot
        value = _slot_value(slot)
        code, why = found[(value, year)]
        if code is None:
            problems.append(
                (
                    loc,
                    f"unknown region {value!r} ({why}). Fix: use an ISO 3166-2 code (e.g. "
                    "KZ-35) or a name the registry knows; `terraplan regions` lists them",
                )
            )
        elif code == "KZ":
            problems.append(
                (
                    loc,
                    f"{value!r} is the whole country, not a region. Fix: put national targets "
                    "under the passport's 'targets:', and write 'regions: all' for a project "
                    "covering every region",
                )
            )
        elif isinstance(owner, list):
            owner[int(key)] = code
        else:
            setattr(owner, key, code)
    return problems


def _slot_value(slot: tuple[tuple[Any, ...], Any, str, int | None]) -> str:
    _, owner, key, _ = slot
    return owner[int(key)] if isinstance(owner, list) else getattr(owner, key)


def _duplicate_regions(plan: Plan) -> list[tuple[tuple[Any, ...], str]]:
    problems = []
    for i, ind in enumerate(plan.indicators):
        seen: dict[str, int] = {}
        for j, rt in enumerate(ind.regional_targets):
            if rt.region in seen:
                problems.append(
                    (
                        ("indicators", i, "regional_targets", j, "region"),
                        f"region {rt.region} already has targets at regional_targets"
                        f"[{seen[rt.region]}]. Fix: merge the two entries",
                    )
                )
            seen.setdefault(rt.region, j)
    return problems


def parse_plan(text: str, *, source: str = "<string>") -> Plan:
    """Parse and validate a plan from YAML text; ``source`` names it in messages.

    Raises :class:`~terraplan.errors.PlanError` listing every problem with its line and path.

    >>> parse_plan("priorities: [{id: P1}]", source="x.yaml")
    Traceback (most recent call last):
    terraplan.errors.PlanError: plan file x.yaml has 1 problem(s):
      - line 1, priorities[0].name: required key is missing. Fix: add it
    """
    try:
        data, lines, duplicated = read_yaml(text)
    except YamlLimitError as exc:
        raise PlanError(f"plan file {source} is refused: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanError(
            f"plan file {source} is not valid YAML: {at}{problem}. Fix: check the indentation "
            "and quoting there (a value holding ':' or '#' needs quotes)"
        ) from None
    _raise(duplicated, lines, source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PlanError(
            f"plan file {source} must hold a mapping of sections (documents, priorities, "
            f"national_projects, indicators, budget), not a {type(data).__name__}"
        )
    errors: list[Any] = []
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    # raised outside the except block, so that no pydantic traceback is chained to it
    _raise([_describe(e) for e in errors if not _redundant(e)], lines, source)
    problems = _reference_problems(plan)
    problems += _match_regions(plan)
    _raise(problems, lines, source)
    _raise(_duplicate_regions(plan), lines, source)
    plan._source_file = source
    return plan


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read, validate and region-match a plan file (YAML).

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "plan.yaml"
    ...     _ = path.write_text("priorities: [{id: P10, name: Balanced development}]")
    ...     load_plan(path).priorities[0].id
    'P10'
    >>> load_plan("no-such-plan.yaml")
    Traceback (most recent call last):
    terraplan.errors.PlanError: plan file no-such-plan.yaml does not exist. Fix: check the path
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise PlanError(
                f"plan file {path} is {path.stat().st_size:,} bytes, more than the limit of "
                f"{MAX_PLAN_BYTES:,}. Fix: split the plan or remove generated bulk"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"plan file {path} does not exist. Fix: check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"plan file {path} cannot be read as UTF-8 text: {exc}") from None
    return parse_plan(text, source=str(path))


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of plan files (the content of ``docs/plan.schema.json``).

    >>> schema = plan_json_schema()
    >>> schema["title"], "national_projects" in schema["properties"]
    ('Plan', True)
    """
    schema = Plan.model_json_schema(mode="validation")
    # a class docstring is the description: keep its first paragraph, not its doctest
    for node in [schema, *schema.get("$defs", {}).values()]:
        if "description" in node:
            node["description"] = node["description"].split("\n\n")[0]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def plan_schema_text() -> str:
    """``plan_json_schema()`` as the text of ``docs/plan.schema.json`` (sorted keys, 2 spaces).

    Regenerate the file with
    ``python -c "from terraplan.plan.model import plan_schema_text as t; print(t(), end='')"
    > docs/plan.schema.json``.

    >>> plan_schema_text().startswith('{\\n  "$defs"')
    True
    """
    return json.dumps(plan_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
