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

A column never merges two regions. With ``unique=True`` (a column that names each unit once,
as ``terraplan match`` checks), two different spellings that resolve to the same unit are
reported as ``ambiguous`` with both row numbers and spellings (one of them probably means
another unit). A bare Latin name shared by a city and a region ("Almaty", or
"Аlmaty" with a Cyrillic А as in the Bureau's English files) is ambiguous on its own; beside a
row for the city it is the region, beside a row for the region it is the city. A user alias
respects the type word: an alias for "Almaty" does not capture "Almaty city". Fuzzy matches are
listed in :attr:`MatchReport.fuzzy`.

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

import numpy as np
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
    conflicts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code", "row", "input"])
    )
    """Rows of one column that resolved to the same unit: ``code``, ``row`` (1-based, the first
    row of each spelling) and ``input``; each such row is ``ambiguous`` in ``table``."""

    @property
    def fuzzy(self) -> pd.DataFrame:
        """Every fuzzy match, once per spelling: ``row`` (1-based, first occurrence), ``input``,
        ``code``, ``name_en`` and ``score`` (0-1), so that a typo such as "Karaganada" is seen.

        >>> fuzzy = match_regions(["Karaganda", "Pavlodr", "Pavlodr"]).fuzzy
        >>> fuzzy[["row", "input", "code", "score"]].to_dict("list")
        {'row': [2], 'input': ['Pavlodr'], 'code': ['KZ-55'], 'score': [0.933]}
        """
        rows = self.table[self.table["method"].eq("fuzzy") & self.table["code"].notna()]
        rows = rows[~rows["input"].astype(str).duplicated()]
        return pd.DataFrame(
            {
                "row": (rows.index + 1).astype(int),
                "input": rows["input"].astype(str),
                "code": rows["code"],
                "name_en": rows["name_en"],
                "score": rows["confidence"].astype(float),
            }
        ).reset_index(drop=True)

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
        # folded key -> (type word of the alias, code): an alias respects the type word
        self.user_names: dict[str, list[tuple[str | None, str]]] = {}
        for name, code in (aliases or {}).items():
            if code != NATIONAL and code not in self.units:
                raise RegionMatchError([f"alias {name!r} points to unknown code {code!r}"])
            key, alias_kind = normalize_name(str(name))
            self.user_names.setdefault(key, []).append((alias_kind, code))
            self.user[_code_key(str(name))] = code
        self.keys = list(self.index)
        self.key_codes = {k: {e.code for e in entries} for k, entries in self.index.items()}

    def name_of(self, code: str | None) -> str:
        if code is None:
            return ""
        if code == NATIONAL:
            return "Kazakhstan"
        return str(self.units[code]["name_en"])

    def kind_of(self, code: str) -> str:
        return "national" if code == NATIONAL else str(self.units[code]["kind"])

    def user_alias(self, key: str, kind: str | None) -> str | None:
        """The code of the user's alias for ``key``, if its type word allows it.

        An alias with a type word captures only inputs with the same one (or none); an alias
        without one captures inputs whose type word fits the unit it points to, so an alias for
        "Almaty" pointing to the region does not capture "Almaty city".
        """
        for alias_kind, code in self.user_names.get(key, ()):
            if kind is None or kind == alias_kind:
                return code
            if alias_kind is None and kind == self.kind_of(code):
                return code
        return None

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
        latin: bool = False,
    ) -> dict:
        """Resolve candidate codes to one unit, or explain why not.

        ``latin``: the name is written in Latin letters, where a bare city name is also the
        short name of its region.
        """
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
        if len(candidates) == 2 and kind is None and latin:
            kinds = sorted(self.kind_of(c) for c in candidates)
            if kinds == ["city", "oblast"]:
                # "Almaty": the city's name and the region's short name (the Bureau's English
                # files); the other rows of the column decide (match_regions), else ambiguous
                result = self.result(
                    None,
                    method,
                    confidence,
                    "ambiguous",
                    note="names both a city and a region; write the type word "
                    "(e.g. 'Almaty city', 'Almaty region'); a row for one of them in the "
                    "same column makes this the other",
                    suggestions=self.describe(candidates),
                )
                result["pair"] = tuple(candidates)
                return result
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
        user_code = self.user.get(code_key) or self.user_alias(key, kind)
        if user_code is not None:
            return self.result(user_code, "user", 1.0, "matched")
        if code_key in self.codes:
            return self.choose(list(self.codes[code_key]), "code", 1.0, None, {})
        if not key:
            return self.result(None, "", 0.0, "unmatched", note="no letters or digits")
        entries = self.index.get(key)
        if entries:
            bare = {e.code: e.bare for e in entries}
            result = self.choose(
                [e.code for e in entries], "alias", 1.0, kind, bare, latin=key.isascii()
            )
            exact = {e.code for e in entries if e.method == "exact"}
            if result["code"] in exact:
                result["method"] = "exact"
            if "pair" in result:  # keep how each of the two would match
                result["pair"] = tuple(
                    (c, "exact" if c in exact else "alias", bare.get(c, False))
                    for c in result["pair"]
                )
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
    one_column: bool = True,
    unique: bool = False,
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
    one_column
        The values are one column of a table, so the other values give context: a bare Latin
        name of a city and a region ("Almaty") beside a row for one of them is the other, and
        alone it is ambiguous. Pass False for names gathered from several places (a plan
        file): such a name that nothing decides is then the unit whose official name it is
        (the city), with a note.
    unique
        The column names each unit once (a wide table, a list of regions; a spelling may
        repeat): two different spellings that resolve to the same unit are both reported
        ``ambiguous``, with both rows, and listed in :attr:`MatchReport.conflicts`.
        ``terraplan match`` checks this; a long table naming a unit as "KZ-35" in one row and
        "Karaganda" in another is fine without it.

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
    >>> match_regions(["Аlmaty", "Almaty city"]).codes.tolist()  # Cyrillic А, the Bureau's way
    ['KZ-19', 'KZ-75']
    >>> match_regions(["Almaty"]).table.loc[0, ["status", "suggestions"]].tolist()
    ['ambiguous', 'KZ-19 Almaty Region; KZ-75 Almaty']
    >>> match_regions(["Karaganda", "Карагандинская"], unique=True).conflicts["row"].tolist()
    [1, 2]
    """
    matcher = _Matcher(layout, year, aliases)
    inputs = _as_objects(values)
    positions, distinct = _distinct(inputs)
    found: list[dict | tuple[str, str | None]] = [matcher.match_one(v) for v in distinct]
    pending = [i for i, v in enumerate(found) if isinstance(v, tuple)]
    for i, result in zip(pending, matcher.fuzzy([found[i] for i in pending]), strict=True):
        found[i] = result
    results = pd.DataFrame(found, columns=[*_COLUMNS[1:], "pair"])
    results["code"] = results["code"].astype(object)
    results["row"] = _first_rows(positions, len(distinct)) + 1
    results["input"] = pd.Series(distinct, dtype=object)
    _decide_by_context(results, matcher, gathered=not one_column)
    conflicts = _shared_units(results, matcher) if unique else _NO_CONFLICTS.copy()
    # one row per input: the distinct results taken back in input order (no per-row work)
    table = results[list(_COLUMNS[1:])].take(positions).reset_index(drop=True)
    table.insert(0, "input", pd.Series(inputs, dtype=object))
    table["code"] = table["code"].astype(object).where(table["code"].notna(), None)
    report = MatchReport(
        table=table, layout=matcher.layout, year=year, context=context, conflicts=conflicts
    )
    if strict:
        report.raise_for_problems()
    return report


_COLUMNS = ("input", "code", "name_en", "method", "confidence", "status", "suggestions", "note")
_NO_CONFLICTS = pd.DataFrame({"code": [], "row": [], "input": []}).astype(
    {"code": object, "row": int, "input": object}
)


def _as_objects(values: Iterable[object]) -> np.ndarray:
    items = values if isinstance(values, list) else list(values)
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _distinct(inputs: np.ndarray) -> tuple[np.ndarray, list[object]]:
    """Positions into the distinct values (in order of first appearance), and those values.

    Values that compare equal (1 and 1.0) are one; unhashable values are told apart by type
    and repr.
    """
    try:
        positions, uniques = pd.factorize(inputs, use_na_sentinel=False)
        return positions, list(uniques)
    except TypeError:
        keys = np.array([f"{type(v).__name__}:{v!r}" for v in inputs], dtype=object)
        positions, uniques = pd.factorize(keys, use_na_sentinel=False)
        firsts = _first_rows(positions, len(uniques))
        return positions, [inputs[i] for i in firsts]


def _first_rows(positions: np.ndarray, n: int) -> np.ndarray:
    """The first position of each distinct value (numbered in order of first appearance)."""
    if n == 0:
        return np.zeros(0, dtype=int)
    seen = np.maximum.accumulate(positions)
    new = np.empty(len(positions), dtype=bool)
    new[0] = True
    new[1:] = seen[1:] > seen[:-1]
    return np.flatnonzero(new)


def _spelling(value: object) -> str:
    """What makes two inputs the same spelling: the folded name and its type word."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    key, kind = normalize_name(text)
    return f"{key}|{kind or ''}" if key else _code_key(text)


def _decide_by_context(results: pd.DataFrame, matcher: _Matcher, *, gathered: bool) -> None:
    """A bare name of a city and a region beside a row for one of them is the other one.

    Names ``gathered`` from several places (not one column) that give no such context take the
    unit whose official name it is (the city), and the note says so.
    """
    pairs = results["pair"].notna()
    if not pairs.any():
        return
    placed = results["status"].isin(("matched", "historic")) & results["code"].notna()
    claimed = results[placed].drop_duplicates("code").set_index("code")
    for i in results.index[pairs]:
        pair = results.at[i, "pair"]
        methods = {code: method for code, method, _ in pair}
        taken = [c for c in methods if c in claimed.index]
        if len(taken) == 1:
            (other,) = [c for c in methods if c != taken[0]]
            by = claimed.loc[taken[0]]
            why = (
                f"row {by['row']} ({by['input']!r}) is {matcher.describe(taken)}, "
                f"so this is {matcher.describe([other])}"
            )
        elif gathered:
            bare = [code for code, _, is_bare in pair if is_bare]
            if len(bare) != 1:
                continue
            (other,) = bare
            why = (
                f"the official name of {matcher.describe([other])}; also the short name of "
                f"{matcher.describe([c for c in methods if c != other])}"
            )
        else:
            continue
        decided = matcher.choose([other], methods[other], 1.0, None, {})
        decided["note"] = "; ".join(part for part in (why, decided["note"]) if part)
        for column, value in decided.items():
            results.at[i, column] = value


def _shared_units(results: pd.DataFrame, matcher: _Matcher) -> pd.DataFrame:
    """Mark different spellings that resolved to the same unit as ambiguous; list them."""
    placed = results["status"].isin(("matched", "historic")) & results["code"].notna()
    spelling = results["input"].map(_spelling)
    spellings = spelling[placed].groupby(results.loc[placed, "code"]).transform("nunique")
    shared = spellings.index[spellings.gt(1).to_numpy()]
    if not len(shared):
        return _NO_CONFLICTS.copy()
    rows = results.loc[shared].sort_values(["code", "row"], kind="mergesort")
    for code, group in rows.groupby("code", sort=True):
        listed = " and ".join(f"{r.input!r} (row {r.row})" for r in group.itertuples())
        note = (
            f"{listed} {'both' if len(group) == 2 else 'all'} resolve to "
            f"{matcher.describe([code])}: one column names a unit once, "
            "so one of them probably means another unit; check the spellings or pass aliases="
        )
        results.loc[group.index, "status"] = "ambiguous"
        results.loc[group.index, "note"] = note
        results.loc[group.index, "suggestions"] = matcher.describe([code])
    return pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "row": rows["row"].to_numpy(),
            "input": rows["input"].to_numpy(),
        }
    ).astype({"code": object, "row": int, "input": object})


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


def region_codes(
    region: object | Iterable[object], known: Iterable[object], *, where: str = "the table"
) -> list[str]:
    """The codes of the regions a caller named, in any spelling :func:`match_regions` accepts.

    ``known`` are the region codes of the table at hand: a value that is one of them is kept
    as it is (so made-up codes of test tables work); other values are matched on the layout of
    those codes, so "Караганда" is ``KZ-KAR`` in a table on the borders before 2022. Names that
    match no unit, or a unit not in the table, are reported together in one
    :class:`RegionMatchError`.

    >>> region_codes("Караганда", ["KZ-35", "KZ-23"])
    ['KZ-35']
    >>> region_codes(["Atyrau", "KZ-35"], ["KZ-35", "KZ-23"])
    ['KZ-23', 'KZ-35']
    >>> region_codes("Karaganda", ["KZ-KAR", "KZ-VOS", "KZ-23"])
    ['KZ-KAR']
    """
    wanted = [region] if isinstance(region, str) or not isinstance(region, Iterable) else region
    wanted = list(wanted)
    codes = {str(code) for code in known}
    pending = [value for value in wanted if str(value) not in codes]
    found: dict[str, str] = {}
    problems: list[str] = []
    if pending:
        overlap = {lay: len(codes & set(layout_regions(lay))) for lay in LAYOUTS}
        layout = max(LAYOUTS, key=lambda lay: overlap[lay]) if any(overlap.values()) else None
        report = match_regions(pending, layout=layout, one_column=False)
        problems += report.problems
        names = report.table["name_en"]
        for value, code, name in zip(pending, report.codes, names, strict=True):
            if code is None:
                continue
            if code not in codes:
                problems.append(
                    f"{value!r} is {code} {name}, which is not in {where} "
                    f"(regions: {', '.join(sorted(codes))})"
                )
            found[str(value)] = code
    if problems:
        raise RegionMatchError(problems, context=where)
    return [str(value) if str(value) in codes else found[str(value)] for value in wanted]


def region_names(codes: pd.Series | Iterable[object], lang: str = "en") -> pd.Series:
    """The name of each code in ``en``, ``ru`` or ``kk`` (a code the registry does not know is
    its own name), to sit beside the code in result tables.

    >>> region_names(["KZ-35", "KZ", "R1"], "ru").tolist()
    ['Карагандинская область', 'Республика Казахстан', 'R1']
    """
    from terraplan.territory.registry import display_name

    series = codes if isinstance(codes, pd.Series) else pd.Series(list(codes), dtype=object)
    known = set(_registry().index) | {NATIONAL}
    distinct = series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype) else None
    distinct = pd.unique(series.dropna()) if distinct is None else distinct
    names = {c: display_name(c, lang) if c in known else str(c) for c in distinct}
    # a dict lookup per distinct code (a categorical maps its categories only)
    out = series.map(names)
    return out.astype(object).fillna("") if out.hasnans else out
