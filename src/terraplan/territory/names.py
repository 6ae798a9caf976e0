"""Region name matching: any spelling an analyst meets, resolved once to an ISO 3166-2 code.

Names are normalized before lookup: Unicode NFKC, case folding, Latin words written with
Cyrillic look-alike letters (as in the Bureau's English files) and vice versa repaired,
diacritics and Kazakh-specific letters folded (``ә→а``, ``қ→к``, ``ö→o``, ``ū→u`` …),
transliteration variants folded (``zh``/``j``, ``q``/``k``, ``gh``/``g``, ``y``/``i``,
doubled letters), and type words (``region``, ``oblast``, ``oblysy``, ``область``, ``обл.``,
``облысы``, ``г.``, ``city``, ``қаласы`` …) removed but remembered, so that "Almaty Region" and
"Almaty" (the city) stay apart.

Lookup order: the caller's ``aliases``, then codes (ISO 3166-2, KATO, statistics-office codes),
then official names (method ``exact``), then the alias table (``alias``), then fuzzy matching
(``fuzzy``, rapidfuzz). Historic units (South Kazakhstan, and East Kazakhstan, Almaty Region,
Karaganda on their pre-2022 borders) are never mapped silently to a successor: a name shared by a
current and a historic unit resolves by ``layout`` or ``year``; without either, the current unit
is chosen and the note says so.

Example
-------
>>> from terraplan.territory.names import match_regions
>>> names = ["Акмолинская", "Jambyl", "Аktobе", "Almaty", "Almaty oblysy", "Karagandy"]
>>> report = match_regions(names)
>>> report.codes.tolist()
['KZ-11', 'KZ-31', 'KZ-15', 'KZ-75', 'KZ-19', 'KZ-35']
>>> match_regions(["Pavlodr"]).table.loc[0, ["code", "method"]].tolist()
['KZ-55', 'fuzzy']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pandas as pd

from terraplan._resources import data_dir
from terraplan.errors import LayoutError, RegionMatchError
from terraplan.territory.layouts import require_year
from terraplan.territory.registry import LAYOUTS, Region, _registry, layout_regions, region_record

NATIONAL = "KZ"
FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 5.0
SUGGESTION_FLOOR = 50.0
STATUSES = ("matched", "historic", "ambiguous", "unmatched", "outside_layout")
PROBLEM_STATUSES = ("ambiguous", "unmatched", "outside_layout")

# Cyrillic letters that look like Latin ones, and back
_CYR_TO_LAT = str.maketrans("аеорсхукмтвнiАЕОРСХУКМТВНІ", "aeopcxykmtbhiAEOPCXYKMTBHI")
_LAT_TO_CYR = str.maketrans("aeopcxykmtbhiAEOPCXYKMTBHI", "аеорсхукмтвнiАЕОРСХУКМТВНІ")
_KAZAKH_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
        "ъ": "",
        "ь": "",
        "э": "е",
        "ы": "и",
        "ı": "i",
    }
)
_LATIN_FOLDS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("q", "k"),
    ("y", "i"),
    ("w", "v"),
)
_OBLAST_WORDS = frozenset(
    {
        "region",
        "oblast",
        "oblasti",
        "oblys",
        "oblysy",
        "obl",
        "province",
        "область",
        "области",
        "обл",
        "облисi",
        "облиси",
        "облис",
    }
)
_CITY_WORDS = frozenset(
    {"city", "g", "gorod", "kalasy", "qalasy", "г", "город", "каласи", "калаcи", "kalasi"}
)
_FILLER_WORDS = frozenset(
    {"of", "the", "republican", "significance", "республиканского", "значения"}
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _fix_lookalikes(token: str) -> str:
    """Rewrite a word that mixes scripts in its majority script."""
    cyr = sum(_is_cyrillic(c) for c in token)
    lat = sum(c.isascii() and c.isalpha() for c in token)
    if cyr and lat:
        return token.translate(_CYR_TO_LAT) if lat >= cyr else token.translate(_LAT_TO_CYR)
    return token


def _fold_token(token: str) -> str:
    token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    token = token.translate(_KAZAKH_FOLD)
    if token.isascii():
        for old, new in _LATIN_FOLDS:
            token = token.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", token)


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> tuple[str, str | None]:
    """Return ``(key, kind)``: the folded lookup key and the kind a type word announced.

    ``kind`` is ``"oblast"``, ``"city"`` or ``None`` when the name carries no type word.

    >>> normalize_name("Qaraghandy oblysy")
    ('karagandi', 'oblast')
    >>> normalize_name("г.Астана")
    ('астана', 'city')
    >>> normalize_name("Аktobе Region") == normalize_name("AKTOBE")[0:1] + ("oblast",)
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    kind: str | None = None
    parts: list[str] = []
    for raw in _TOKEN.findall(text):
        token = _fix_lookalikes(raw)
        folded = _fold_token(token)
        if token in _OBLAST_WORDS or folded in _OBLAST_WORDS:
            kind = "oblast"
        elif token in _CITY_WORDS or folded in _CITY_WORDS:
            kind = "city"
        elif token not in _FILLER_WORDS:
            parts.append(folded)
    return "".join(parts), kind


def _code_key(text: str) -> str:
    return re.sub(r"[\s_.]", "", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class _Entry:
    code: str
    method: str  # "exact" or "alias"
    bare: bool  # the name carried no type word


@cache
def _name_index() -> dict[str, tuple[_Entry, ...]]:
    """Folded key -> the units that a name or alias with that key belongs to."""
    reg = _registry()
    entries: dict[str, dict[tuple[str, str, bool], None]] = {}

    def add(name: str, code: str, method: str) -> None:
        if not name:
            return
        key, kind = normalize_name(name)
        if key:
            entries.setdefault(key, {})[(code, method, kind is None)] = None

    for code, row in reg.iterrows():
        for column in ("name_en", "name_ru", "name_kk", "name_kk_latn", "iso_name"):
            add(row[column], str(code), "exact")
    aliases = pd.read_csv(data_dir() / "aliases.csv", dtype=str, keep_default_na=False)
    for alias, code in zip(aliases["alias"], aliases["code"], strict=True):
        add(alias, code, "alias")
    index: dict[str, tuple[_Entry, ...]] = {}
    for key, found in entries.items():
        best: dict[str, _Entry] = {}
        for code, method, bare in found:
            old = best.get(code)
            # per unit keep the strongest evidence: exact beats alias, bare beats typed
            rank = (method == "exact", bare)
            if old is None or rank > (old.method == "exact", old.bare):
                best[code] = _Entry(code, method, bare if old is None else bare or old.bare)
            elif bare and not old.bare:
                best[code] = _Entry(code, old.method, True)
        index[key] = tuple(best[c] for c in sorted(best))
    return index


@cache
def _code_index() -> dict[str, tuple[str, ...]]:
    """Code-like strings (ISO, KATO, statistics-office codes) -> units."""
    reg = _registry()
    found: dict[str, set[str]] = {}
    for code, row in reg.iterrows():
        code = str(code)
        keys = {_code_key(code), _code_key(code.replace("-", ""))}
        if row["stat_code"]:
            keys.add(_code_key(row["stat_code"]))
        if row["kato"]:  # the unit's 9-digit KATO code and its 2-digit prefix
            keys.update({row["kato"], row["kato"][:2]})
        for key in keys:
            found.setdefault(key, set()).add(code)
    found.setdefault("kz", set()).add(NATIONAL)
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def _layout_for_year(year: int) -> str:
    require_year(year)
    if year >= 2022:
        return "KZ-2022"
    if year >= 2018:
        return "KZ-2018"
    return "KZ-1997"


@dataclass
class MatchReport:
    """The result of :func:`match_regions`: one row per input, in input order.

    ``table`` columns: ``input``, ``code`` (None when not matched), ``name_en``, ``method``
    (``user``, ``code``, ``exact``, ``alias``, ``fuzzy``), ``confidence`` (0-1), ``status``
    (``matched``, ``historic``, ``ambiguous``, ``unmatched``, ``outside_layout``),
    ``suggestions`` (up to three ``"CODE name"`` strings) and ``note``.
    """

    table: pd.DataFrame
    layout: str | None = None
    year: int | None = None
    context: str = field(default="")

    @property
    def codes(self) -> pd.Series:
        """Matched codes aligned with the input (``None`` where no single unit was found)."""
        codes = self.table["code"].where(~self.table["status"].isin(PROBLEM_STATUSES), None)
        return codes.astype(object).where(codes.notna(), None)

    @property
    def ok(self) -> bool:
        """True when every input matched exactly one unit."""
        return not self.table["status"].isin(PROBLEM_STATUSES).any()

    @property
    def problems(self) -> list[str]:
        """One readable line per input that did not match exactly one unit."""
        rows = self.table[self.table["status"].isin(PROBLEM_STATUSES)]
        lines = []
        for position, row in rows.iterrows():
            line = f"{row['input']!r} (item {position + 1}): {row['status'].replace('_', ' ')}"
            if row["note"]:
                line += f"; {row['note']}"
            if row["suggestions"]:
                line += f"; did you mean: {row['suggestions']}"
            lines.append(line)
        return lines

    def raise_for_problems(self, context: str = "") -> None:
        """Raise one :class:`RegionMatchError` listing every problem, if there is any."""
        if not self.ok:
            raise RegionMatchError(self.problems, context=context or self.context)

    def summary(self) -> str:
        """A one-line count of the outcomes, e.g. ``"3 inputs: 2 matched, 1 unmatched"``."""
        counts = self.table["status"].value_counts()
        parts = [f"{int(counts[s])} {s.replace('_', ' ')}" for s in STATUSES if s in counts]
        return f"{len(self.table)} inputs: " + ", ".join(parts)

    def to_frame(self) -> pd.DataFrame:
        """The report table (a copy)."""
        return self.table.copy()

    def _repr_html_(self) -> str:
        return f"<p>{self.summary()}</p>" + self.table.to_html(index=False, escape=True)

    def __repr__(self) -> str:
        return f"<MatchReport {self.summary()}>"


class _Matcher:
    def __init__(
        self, layout: str | None, year: int | None, aliases: Mapping[str, str] | None
    ) -> None:
        if layout is not None and layout not in LAYOUTS:
            raise LayoutError(f"unknown layout {layout!r}; known layouts: {', '.join(LAYOUTS)}")
        self.layout = layout or (_layout_for_year(year) if year is not None else None)
        self.allowed = set(layout_regions(self.layout)) if self.layout else None
        self.registry = _registry()
        self.units: dict[str, dict] = self.registry.to_dict("index")
        self.index = _name_index()
        self.codes = _code_index()
        self.user: dict[str, str] = {}
        for name, code in (aliases or {}).items():
            if code != NATIONAL and code not in self.units:
                raise RegionMatchError([f"alias {name!r} points to unknown code {code!r}"])
            self.user[normalize_name(str(name))[0]] = code
            self.user[_code_key(str(name))] = code
        self.keys = list(self.index)
        self.key_codes = {k: {e.code for e in entries} for k, entries in self.index.items()}

    def name_of(self, code: str | None) -> str:
        if code is None:
            return ""
        if code == NATIONAL:
            return "Kazakhstan"
        return str(self.units[code]["name_en"])

    def historic(self, code: str) -> bool:
        return code != NATIONAL and not pd.isna(self.units[code]["valid_until"])

    def describe(self, codes: Iterable[str]) -> str:
        return "; ".join(f"{c} {self.name_of(c)}" for c in codes)

    def choose(
        self,
        codes: list[str],
        method: str,
        confidence: float,
        kind: str | None,
        bare: dict[str, bool],
    ) -> dict:
        """Resolve candidate codes to one unit, or explain why not."""
        candidates = sorted(set(codes))
        if kind is not None and len(candidates) > 1:
            typed = [c for c in candidates if c == NATIONAL or self.units[c]["kind"] == kind]
            candidates = typed or candidates
        if self.allowed is not None:
            inside = [c for c in candidates if c == NATIONAL or c in self.allowed]
            if not inside:
                successors = sorted(
                    {s for c in candidates for s in self.units[c]["successors"].split()}
                    | {p for c in candidates for p in self.units[c]["predecessors"].split()}
                )
                return self.result(
                    candidates[0] if len(candidates) == 1 else None,
                    method,
                    confidence,
                    "outside_layout",
                    note=f"{self.describe(candidates)} is not a unit of layout {self.layout}",
                    suggestions=self.describe(successors[:3]),
                )
            candidates = inside
        elif len(candidates) > 1:
            current = [c for c in candidates if not self.historic(c)]
            if len(current) == 1:
                others = [c for c in candidates if c != current[0]]
                return self.result(
                    current[0],
                    method,
                    confidence,
                    "matched",
                    note=f"also the name of historic unit {self.describe(others)}; "
                    "pass layout= or year= to choose",
                )
            candidates = current or candidates
        if len(candidates) > 1 and kind is None:
            bare_ones = [c for c in candidates if bare.get(c)]
            if len(bare_ones) == 1:
                candidates = bare_ones
        if len(candidates) == 1:
            code = candidates[0]
            status = "historic" if self.historic(code) else "matched"
            note = ""
            if status == "historic":
                unit = self.units[code]
                note = (
                    f"historic unit (until {unit['valid_until']}); "
                    f"successors: {self.describe(unit['successors'].split())}"
                )
            return self.result(code, method, confidence, status, note=note)
        return self.result(
            None,
            method,
            confidence,
            "ambiguous",
            note="matches several units",
            suggestions=self.describe(candidates[:3]),
        )

    def result(
        self,
        code: str | None,
        method: str,
        confidence: float,
        status: str,
        *,
        note: str = "",
        suggestions: str = "",
    ) -> dict:
        return {
            "code": code,
            "name_en": self.name_of(code),
            "method": method,
            "confidence": confidence if code is not None else 0.0,
            "status": status,
            "suggestions": suggestions,
            "note": note,
        }

    def fuzzy(self, keys: list[tuple[str, str | None]]) -> list[dict]:
        """Fuzzy-match many folded keys at once: one score matrix, best score per unit."""
        if not keys:
            return []
        import numpy as np
        from rapidfuzz import fuzz, process

        codes = sorted(
            {e.code for entries in self.index.values() for e in entries}
            - ({c for c in self.units if self.historic(c)} if self.allowed is None else set())
        )
        if self.allowed is not None:
            codes = [c for c in codes if c in self.allowed or c == NATIONAL]
        scores = process.cdist([k for k, _ in keys], self.keys, scorer=fuzz.ratio, workers=1)
        by_code = np.zeros((len(keys), len(codes)), dtype=np.float32)
        for j, code in enumerate(codes):
            columns = [i for i, k in enumerate(self.keys) if code in self.key_codes[k]]
            by_code[:, j] = scores[:, columns].max(axis=1)
        order = np.argsort(-by_code, axis=1, kind="stable")[:, :3]
        results = []
        for row, (_, kind) in enumerate(keys):
            scored = {codes[j]: float(by_code[row, j]) for j in order[row]}
            results.append(self.resolve_fuzzy(scored, kind))
        return results

    def resolve_fuzzy(self, scored: dict[str, float], kind: str | None) -> dict:
        ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
        if ranked:
            best_code, best = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if best >= FUZZY_THRESHOLD and best - runner_up >= FUZZY_MARGIN:
                return self.choose([best_code], "fuzzy", round(best / 100, 3), kind, {})
        suggestions = [code for code, score in ranked if score >= SUGGESTION_FLOOR][:3]
        return self.result(
            None,
            "",
            0.0,
            "unmatched",
            note="no region with this name",
            suggestions=self.describe(suggestions),
        )

    def match_one(self, value: object) -> dict | tuple[str, str | None]:
        """The match of one value, or its folded key and kind when it needs fuzzy matching."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return self.result(None, "", 0.0, "unmatched", note="empty name")
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            return self.result(None, "", 0.0, "unmatched", note="empty name")
        key, kind = normalize_name(text)
        code_key = _code_key(text)
        for user_key in (code_key, key):
            if user_key in self.user:
                return self.result(self.user[user_key], "user", 1.0, "matched")
        if code_key in self.codes:
            return self.choose(list(self.codes[code_key]), "code", 1.0, None, {})
        if not key:
            return self.result(None, "", 0.0, "unmatched", note="no letters or digits")
        entries = self.index.get(key)
        if entries:
            bare = {e.code: e.bare for e in entries}
            result = self.choose([e.code for e in entries], "alias", 1.0, kind, bare)
            exact = {e.code for e in entries if e.method == "exact"}
            if result["code"] in exact:
                result["method"] = "exact"
            return result
        return key, kind


def match_regions(
    values: Iterable[object],
    *,
    layout: str | None = None,
    year: int | None = None,
    strict: bool = False,
    aliases: Mapping[str, str] | None = None,
    context: str = "",
) -> MatchReport:
    """Match region names or codes to registry codes, reporting how each one matched.

    Parameters
    ----------
    values
        Names in English, Russian, Kazakh (Cyrillic or Latin), statistics-office labels, ISO
        3166-2 codes, KATO codes or statistics-office short codes, in any case and with or
        without "region", "oblast", "область", "г." and the like.
    layout
        Restrict matches to the units of a layout (``KZ-1997``, ``KZ-2018``, ``KZ-2022``); a
        name of a unit outside it is reported as ``outside_layout`` with its successors or
        predecessors as suggestions.
    year
        Choose the layout in force in that year (1997-2017, 2018-2021, 2022-) when ``layout``
        is not given. Note that the Bureau republishes some tables on the new borders from
        2021: pass ``layout="KZ-2022"`` for those.
    strict
        Raise one :class:`RegionMatchError` listing every problem instead of returning them.
    aliases
        Extra ``{name: code}`` pairs of your own, checked first.
    context
        Where the names came from (e.g. a file name), used in messages.

    Returns
    -------
    MatchReport
        One row per input, in order; inputs repeated are matched once.

    >>> r = match_regions(["East Kazakhstan", "South Kazakhstan", "Nur-Sultan"])
    >>> r.table[["code", "status"]].values.tolist()
    [['KZ-63', 'matched'], ['KZ-YUZ', 'historic'], ['KZ-71', 'matched']]
    >>> match_regions(["East Kazakhstan"], year=2019).codes.tolist()
    ['KZ-VOS']
    >>> match_regions(["South Kazakhstan"], layout="KZ-2022").ok
    False
    """
    matcher = _Matcher(layout, year, aliases)
    items = list(values)
    found: dict[object, dict | tuple[str, str | None]] = {}
    item_keys = []
    for value in items:
        try:
            hashable_key: object = (type(value).__name__, value)
            hash(hashable_key)
        except TypeError:
            hashable_key = (type(value).__name__, repr(value))
        if hashable_key not in found:
            found[hashable_key] = matcher.match_one(value)
        item_keys.append(hashable_key)
    pending = [k for k, v in found.items() if isinstance(v, tuple)]
    for k, result in zip(pending, matcher.fuzzy([found[k] for k in pending]), strict=True):
        found[k] = result
    rows = [{"input": value, **found[k]} for value, k in zip(items, item_keys, strict=True)]
    columns = ["input", "code", "name_en", "method", "confidence", "status", "suggestions", "note"]
    table = pd.DataFrame(rows, columns=columns)
    table["code"] = table["code"].astype(object)
    report = MatchReport(table=table, layout=matcher.layout, year=year, context=context)
    if strict:
        report.raise_for_problems()
    return report


def get_region(code_or_name: str) -> Region:
    """Return one unit by code or by any name the matcher knows.

    >>> get_region("Qaraghandy oblysy").code
    'KZ-35'
    >>> get_region("South Kazakhstan").successors
    ('KZ-61', 'KZ-79')
    """
    if code_or_name in _registry().index:
        return region_record(code_or_name)
    report = match_regions([code_or_name])
    report.raise_for_problems(context="get_region")
    return region_record(report.codes.iloc[0])
