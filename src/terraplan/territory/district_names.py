"""District name matching: rayons, cities of oblast significance and city districts to KATO.

Spellings met in analysts' files: Russian adjectival forms ("Аккольский", "Аккольский район",
"Аккольский р-н", "Аккольского района"), Kazakh ("Ақкөл ауданы"), Latin transliterations
("Akkol district", "Akkolskiy rayon"), cities ("г. Степногорск", "Г.А. Степногорск",
"Степногор қ.ә.", "Stepnogorsk city"), and KATO codes (9 digits, the 6-digit ``ADM2_PCODE``
with or without ``KZ``, or the 4-digit prefix). Names are folded with the region matcher's
normalization (:mod:`terraplan.territory.names`); district type words (``район``, ``р-н``,
``ауданы``, ``district``, ``rayon``) and city words (``г.``, ``Г.А.``, ``қ.ә.``, ``city``)
are removed and remembered, and a Russian or transliterated adjective ending (``-ский``,
``-ского``, ``-skiy``) is cut, so "Аккольский" and "Ақкөл" meet at the same key.

Names repeat across oblasts (Zhambyl district exists in Almaty and Jambyl regions, Abai in
Abai and Karaganda regions, Balkhash is a district and a city). With a parent region per row
(``regions=``: a region column; or ``sections=True``: the region rows of a Bureau bulletin,
which head the rows below them) the match is made within that region; without one, a name
shared by several districts is reported ``ambiguous`` with the candidates as suggestions.

The report is the region matcher's :class:`~terraplan.territory.names.MatchReport` (same
columns, statuses and ``strict`` behaviour) with one more column, ``region`` (the parent).

Example
-------
>>> from terraplan.territory.district_names import match_districts
>>> report = match_districts(["Аккольский район", "Ақкөл ауданы", "Г.А. Степногорск", "113200000"])
>>> report.codes.tolist()
['113200000', '113200000', '111800000', '113200000']
>>> match_districts(["Жамбылский район"]).table.loc[0, "status"]
'ambiguous'
>>> match_districts(["Жамбылский район"], regions=["Алматинская область"]).codes.tolist()
['194200000']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from terraplan.errors import InputError, RegionMatchError
from terraplan.territory.districts import (
    CURRENT_DISTRICT_LAYOUT,
    DISTRICT_LAYOUTS,
    check_district_layout,
    district_layout_for_year,
    districts,
)
from terraplan.territory.names import (
    _TOKEN,
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    SUGGESTION_FLOOR,
    MatchReport,
    _fix_lookalikes,
    _fold_token,
    match_regions,
)

__all__ = ["district_key", "match_districts"]

# type words, compared after folding (_fold_token): "район" -> "раион", "ауданы" -> "аудани"
_DISTRICT_WORDS = frozenset(
    {"раион", "раиона", "раионе", "р", "н", "рн", "аудани", "аудан", "ауд", "district",
     "districts", "raion", "raiona", "rayon", "audani", "audan", "aud"}
)  # fmt: skip
_CITY_WORDS = frozenset(
    {"г", "а", "к", "ка", "га", "город", "городская", "администрация", "горадминистрация",
     "каласи", "калалик", "акимат", "city", "gorod", "kalasi", "administration", "town",
     "gorodskaia", "administratsia"}
)  # fmt: skip
_OBLAST_WORDS = frozenset(
    {"область", "обл", "области", "облиси", "oblast", "obl", "oblisi", "region", "province"}
)
_FILLER = frozenset(
    {"of", "the", "significance", "oblastnogo", "областного", "значения", "znachenia",
     "маниздагы", "облистик"}
)  # fmt: skip
# adjective endings after folding (й -> и, doubled letters collapsed): -ский, -ского, -skiy ...
_ADJECTIVE = re.compile(
    r"(?:с|ц)к(?:и|ои|ого|ому|ом|ая|ую|ие)$|(?:s|ts)k(?:i|oi|ogo|omu|om|aia|aya|aja)$"
)


@cache
def district_key(text: str) -> tuple[str, str | None, str]:
    """Fold a district name: ``(key, kind, stem)``.

    ``kind`` is ``"rayon"`` or ``"city"`` when a type word (or a Russian adjective, which
    names a rayon) said so, else ``None``; ``stem`` is ``key`` without an adjective ending.

    >>> district_key("Аккольский р-н"), district_key("Ақкөл ауданы")[2]
    (('аколски', 'rayon', 'акол'), 'акол')
    >>> district_key("Г.А. Степногорск")
    ('степногорск', 'city', 'степногорск')
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    kind: str | None = None
    parts: list[str] = []
    for raw in _TOKEN.findall(text):
        token = _fix_lookalikes(raw)
        folded = _fold_token(token)
        if folded in _DISTRICT_WORDS or token in _DISTRICT_WORDS:
            kind = kind or "rayon"
        elif folded in _CITY_WORDS or token in _CITY_WORDS:
            kind = "city"
        elif folded in _OBLAST_WORDS or token in _OBLAST_WORDS:
            kind = "oblast"
        elif folded not in _FILLER:
            word = _misspelt_type_word(folded)
            if word is None:
                parts.append(folded)
            else:
                kind = kind or "rayon"
                if word:
                    parts.append(word)
    key = "".join(parts)
    stem = _ADJECTIVE.sub("", key) if len(key) > 5 else key
    if stem != key and kind is None:
        kind = "rayon"
    return key, kind, stem


# districts known to exist that the bundled layers do not have (folded stem -> note)
_NOT_BUNDLED = {
    "сауран": "Sauran district (Turkistan Region) is not in the geokz 2024 layer, so it has no "
    "KATO code or polygon in terraplan",
    "sauran": "Sauran district (Turkistan Region) is not in the geokz 2024 layer, so it has no "
    "KATO code or polygon in terraplan",
}


_LONG_DISTRICT_WORDS = ("раион", "аудани", "district", "raion", "audani")


def _misspelt_type_word(token: str) -> str | None:
    """``None`` if ``token`` is not a district word; ``""`` if it is one with a typo ("уданы",
    "айон"); the name part if the word is glued to a name ("Жармаауданы" -> "жарма")."""
    from rapidfuzz import fuzz

    if len(token) < 4:
        return None
    for word in _LONG_DISTRICT_WORDS:
        if len(token) > len(word) + 2 and token.endswith(word):
            return token[: -len(word)]
        if fuzz.ratio(token, word) >= 80:
            return ""
    return None


def _code_key(text: str) -> str:
    return re.sub(r"[\s_.\-]", "", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class _Index:
    """Lookup tables of one district layout."""

    layout: str
    codes: np.ndarray  # KATO codes, sorted
    region: dict[str, str]
    kind: dict[str, str]
    name_en: dict[str, str]
    by_key: dict[str, tuple[str, ...]]  # folded name or stem -> KATO codes
    by_code: dict[str, tuple[str, ...]]  # KATO, 6-digit, KZ+6, 4-digit prefix -> KATO codes
    fuzzy_keys: list[str]
    fuzzy_units: np.ndarray  # unit position of each fuzzy key


@cache
def _index(layout: str) -> _Index:
    table = districts(layout)
    by_key: dict[str, set[str]] = {}
    by_code: dict[str, set[str]] = {}
    pairs: set[tuple[str, int]] = set()
    codes = table.index.to_numpy()
    position = {code: i for i, code in enumerate(codes)}
    for code, row in table.iterrows():
        for column in ("name_en", "name_ru", "name_kk"):
            key, _, stem = district_key(row[column])
            for k in {key, stem}:
                if k:
                    by_key.setdefault(k, set()).add(code)
                    pairs.add((k, position[code]))
        for k in (code, code[:6], "kz" + code[:6], code[:4]):
            by_code.setdefault(k, set()).add(code)
    ordered = sorted(pairs)
    return _Index(
        layout=layout,
        codes=codes,
        region=table["region"].to_dict(),
        kind=table["kind"].to_dict(),
        name_en=table["name_en"].to_dict(),
        by_key={k: tuple(sorted(v)) for k, v in by_key.items()},
        by_code={k: tuple(sorted(v)) for k, v in by_code.items()},
        fuzzy_keys=[k for k, _ in ordered],
        fuzzy_units=np.array([u for _, u in ordered], dtype=np.int64),
    )


class _Matcher:
    def __init__(self, layout: str, aliases: Mapping[str, str] | None) -> None:
        self.ix = _index(layout)
        self.user: dict[str, str] = {}
        for name, code in (aliases or {}).items():
            if code not in self.ix.region:
                raise RegionMatchError(
                    [f"alias {name!r} points to {code!r}, not a KATO code of {layout}"]
                )
            self.user[district_key(str(name))[0]] = code
            self.user[_code_key(str(name))] = code

    def describe(self, codes: Iterable[str]) -> str:
        return "; ".join(f"{c} {self.ix.name_en[c]} ({self.ix.region[c]})" for c in codes)

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
            "name_en": self.ix.name_en.get(code, "") if code else "",
            "region": self.ix.region.get(code, "") if code else "",
            "method": method,
            "confidence": confidence if code is not None else 0.0,
            "status": status,
            "suggestions": suggestions,
            "note": note,
        }

    def choose(
        self, codes: Sequence[str], method: str, confidence: float, kind: str | None, parent
    ) -> dict:
        candidates = sorted(set(codes))
        if parent is not None:
            inside = [c for c in candidates if self.ix.region[c] in parent]
            if not inside:
                return self.result(
                    None,
                    method,
                    0.0,
                    "unmatched",
                    note=f"no district of this name in {', '.join(sorted(parent))}",
                    suggestions=self.describe(candidates[:3]),
                )
            candidates = inside
        if kind in ("rayon", "city") and len(candidates) > 1:
            wanted = ("rayon", "city_district") if kind == "rayon" else ("city",)
            typed = [c for c in candidates if self.ix.kind[c] in wanted]
            candidates = typed or candidates
        if len(candidates) == 1:
            return self.result(candidates[0], method, confidence, "matched")
        return self.result(
            None,
            method,
            confidence,
            "ambiguous",
            note="a district of this name exists in several regions; give the region "
            "(a region column, or section rows)",
            suggestions=self.describe(candidates[:3]),
        )

    def match_one(self, text: str, parent) -> dict | tuple[str, str | None]:
        if not text:
            return self.result(None, "", 0.0, "unmatched", note="empty name")
        code_key = _code_key(text)
        key, kind, stem = district_key(text)
        for user_key in (code_key, key):
            if user_key in self.user:
                return self.result(self.user[user_key], "user", 1.0, "matched")
        if code_key in self.ix.by_code:
            return self.choose(self.ix.by_code[code_key], "code", 1.0, None, parent)
        if code_key.isdigit() or (code_key.startswith("kz") and code_key[2:].isdigit()):
            return self.result(None, "", 0.0, "unmatched", note=f"no district with code {text}")
        if not key:
            return self.result(None, "", 0.0, "unmatched", note="no letters or digits")
        for k in (key, stem):
            if k in self.ix.by_key:
                return self.choose(self.ix.by_key[k], "exact", 1.0, kind, parent)
        return stem, kind

    def fuzzy(self, pending: list[tuple[str, str | None, frozenset | None]]) -> list[dict]:
        """Fuzzy-match unique stems at once: one score matrix, best per unit, then per row."""
        if not pending:
            return []
        from rapidfuzz import fuzz, process

        stems = sorted({stem for stem, _, _ in pending})
        row_of = {stem: i for i, stem in enumerate(stems)}
        scores = process.cdist(stems, self.ix.fuzzy_keys, scorer=fuzz.ratio, workers=1)
        units = len(self.ix.codes)
        by_unit = np.zeros((len(stems), units), dtype=np.float32)
        order = np.argsort(self.ix.fuzzy_units, kind="stable")
        sorted_units = self.ix.fuzzy_units[order]
        starts = np.flatnonzero(np.r_[True, np.diff(sorted_units) != 0])
        by_unit[:, sorted_units[starts]] = np.maximum.reduceat(scores[:, order], starts, axis=1)
        regions = np.array([self.ix.region[c] for c in self.ix.codes])
        kinds = np.array([self.ix.kind[c] for c in self.ix.codes])
        wanted = {"rayon": ("rayon", "city_district"), "city": ("city",)}
        results = []
        for stem, kind, parent in pending:
            row = by_unit[row_of[stem]]
            if parent is not None:
                row = np.where(np.isin(regions, list(parent)), row, 0.0)
            if kind in wanted:  # "Сауран ауданы" must not become the city of Saran
                row = np.where(np.isin(kinds, wanted[kind]), row, 0.0)
            top = np.argsort(-row, kind="stable")[:3]
            best, runner = float(row[top[0]]), float(row[top[1]]) if len(top) > 1 else 0.0
            if best >= FUZZY_THRESHOLD and best - runner >= FUZZY_MARGIN:
                results.append(
                    self.choose(
                        [self.ix.codes[top[0]]], "fuzzy", round(best / 100, 3), kind, parent
                    )
                )
                continue
            suggestions = [self.ix.codes[j] for j in top if row[j] >= SUGGESTION_FLOOR]
            if stem in _NOT_BUNDLED and best < FUZZY_THRESHOLD:
                results.append(self.result(None, "", 0.0, "unmatched", note=_NOT_BUNDLED[stem]))
                continue
            results.append(
                self.result(
                    None,
                    "",
                    0.0,
                    "unmatched" if best < FUZZY_THRESHOLD else "ambiguous",
                    note="no district with this name"
                    if best < FUZZY_THRESHOLD
                    else "close to several districts",
                    suggestions=self.describe(suggestions),
                )
            )
        return results


def _section_row(code: str) -> dict:
    """The report row of a region row of a bulletin."""
    return {
        "code": code,
        "name_en": "",
        "region": code,
        "method": "section",
        "confidence": 1.0,
        "status": "matched",
        "suggestions": "",
        "note": "region row: heads the rows below",
    }


def _parents(
    regions: Iterable[object] | None, n: int, layout: str
) -> tuple[list[frozenset | None], list[str]]:
    """Per row the set of region codes its district must lie in (None: any), and problems."""
    if regions is None:
        return [None] * n, []
    values = list(regions)
    if len(values) != n:
        raise InputError(f"regions has {len(values)} values for {n} names; give one per name")
    from terraplan.territory.layouts import layout_units

    def blank(v: object) -> bool:
        return v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == ""

    unique = list(dict.fromkeys(str(v) for v in values if not blank(v)))
    report = match_regions(unique, layout=None)
    problems = report.problems
    region_layout = DISTRICT_LAYOUTS[layout]
    allowed: dict[str, frozenset | None] = {}
    for text, code in zip(unique, report.codes, strict=True):
        inside = layout_units(code, region_layout) if code not in (None, "KZ") else ()
        allowed[text] = frozenset(inside) or None
    out: list[frozenset | None] = [None if blank(v) else allowed[str(v)] for v in values]
    return out, problems


def _section_parents(values: list[object], layout: str) -> tuple[list, list[str | None]]:
    """Region rows of a bulletin head the rows below them: a row is a region row when it names a
    region (exactly, by alias or code) and carries no district word. A bare name is read as an
    oblast ("Алматы" in a bulletin is Almaty Region; the city is "Алматы қаласы"). Returns the
    parent of every row and, per row, the region code of a region row (else None)."""
    from terraplan.territory.layouts import layout_units
    from terraplan.territory.registry import regions as region_table

    texts = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values]
    kinds = [district_key(t)[1] if t else None for t in texts]
    queries = [f"{t} oblast" if k is None and t else t for t, k in zip(texts, kinds, strict=True)]
    report = match_regions(queries, layout=DISTRICT_LAYOUTS[layout])
    region_kind = region_table(None)["kind"].to_dict()
    headers: list[str | None] = []
    for code, method, kind in zip(report.codes, report.table["method"], kinds, strict=True):
        named = code is not None and method in ("exact", "alias", "code")
        fits = kind in (None, "oblast") or (kind == "city" and region_kind.get(code) == "city")
        headers.append(code if named and fits else None)
    inside = {
        code: frozenset(layout_units(code, DISTRICT_LAYOUTS[layout])) or None
        for code in set(headers) - {None, "KZ"}
    }
    parents: list[frozenset | None] = []
    current: frozenset | None = None
    for code in headers:
        if code is not None:
            current = inside.get(code)  # None for the Republic: any region
        parents.append(current)
    return parents, headers


def match_districts(
    values: Iterable[object],
    *,
    regions: Iterable[object] | None = None,
    sections: bool = False,
    layout: str | None = None,
    year: int | None = None,
    strict: bool = False,
    aliases: Mapping[str, str] | None = None,
    context: str = "",
) -> MatchReport:
    """Match district names or KATO codes to the districts of a layout, row by row.

    Parameters
    ----------
    values
        District names in Russian (adjectival or with "район"/"р-н"), Kazakh ("ауданы",
        "қ.ә."), Latin, cities ("г. X", "Г.А. X", "X city"), or KATO codes.
    regions
        The parent region of each row (names or codes, any spelling the region matcher knows;
        empty cells mean "any"); a district is then searched in that region only.
    sections
        Treat rows that name a region (a Bureau bulletin's section rows: "Акмолинская
        область", "Ақмола") as headers of the rows below; they are reported ``matched`` with
        the region's code and ``region`` set, and method ``section``.
    layout, year
        ``KZ-2024-D`` (default) or ``KZ-2018-D``, or the layout of ``year``.
    strict
        Raise one :class:`RegionMatchError` listing every problem instead of returning them.
    aliases
        Extra ``{name: KATO}`` pairs of your own, checked first.
    context
        Where the names came from, used in messages.

    >>> names = ["Акмолинская область", "Аршалынский", "Жамбылская область", "Жамбылский р-н"]
    >>> match_districts(names, sections=True).table["code"].tolist()
    ['KZ-11', '113400000', 'KZ-31', '314000000']
    """
    if layout is None:
        layout = district_layout_for_year(year) if year is not None else CURRENT_DISTRICT_LAYOUT
    check_district_layout(layout)
    matcher = _Matcher(layout, aliases)
    items = list(values)
    parents, problems = _parents(regions, len(items), layout)
    headers: list[str | None] = [None] * len(items)
    if sections:
        section_parents, headers = _section_parents(items, layout)
        parents = [p if p is not None else s for p, s in zip(parents, section_parents, strict=True)]
    # one result per distinct (text, parent) or section header; rows point at them
    found: dict[object, dict | tuple[str, str | None]] = {}
    position: dict[object, int] = {}
    rows: list[int] = []
    for value, parent, header in zip(items, parents, headers, strict=True):
        if header is not None:
            k: object = ("section", header)
            if k not in position:
                position[k] = len(position)
                found[k] = _section_row(header)
        else:
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
            if isinstance(text, float) and text.is_integer():
                text = int(text)
            k = (str(text).strip(), parent)
            if k not in position:
                position[k] = len(position)
                found[k] = matcher.match_one(k[0], parent)
        rows.append(position[k])
    pending = [k for k, v in found.items() if isinstance(v, tuple)]
    fuzzy_in = [(found[k][0], found[k][1], k[1]) for k in pending]
    for k, result in zip(pending, matcher.fuzzy(fuzzy_in), strict=True):
        found[k] = result
    columns = ["code", "name_en", "region", "method", "confidence", "status", "suggestions",
               "note"]  # fmt: skip
    distinct = pd.DataFrame(list(found.values()), columns=columns)
    table = distinct.iloc[np.asarray(rows, dtype=np.int64)].reset_index(drop=True)
    table.insert(0, "input", pd.Series(items, dtype=object))
    table["code"] = table["code"].astype(object)
    report = MatchReport(table=table, layout=layout, year=year, context=context)
    if problems:
        raise RegionMatchError(["regions column: " + p for p in problems], context=context)
    if strict:
        report.raise_for_problems()
    return report
