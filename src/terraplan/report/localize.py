"""Result tables in the reader's language: headers, sector and feature names, values, evidence.

The analysis tables speak in identifiers (``national_share``, ``gva_share_B``, ``lagging``,
``High-High``) and English evidence sentences; this module turns them into words of the message
catalogue for the profiles, maps and workbook, without changing the analysis itself:

* :func:`header` – a column header in words, with the unit when one is given;
* :func:`feature_label` – a typology feature in words with its unit
  ("share of mining and quarrying in gross value added, %");
* :func:`value_word` – category values (kinds, trends, LISA clusters, statuses);
* :func:`deviations` and :func:`differences` – the typology's distinguishing features and the
  peers' similarities, rebuilt from their ``name (±x.x sd)`` parts;
* :func:`evidence` – the advantages' evidence sentence from the numbers, by a translated template;
* :func:`localize_frame` – all of the above applied to one table.

Example
-------
>>> feature_label("gva_share_B", "en")
'share of mining and quarrying in value added, %'
>>> deviations("gva_share_C high (+0.6 sd)", "ru")
'доля отрасли «Обрабатывающая промышленность» в ВДС, %: выше среднего (+0,6\\xa0σ)'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from terraplan.report.catalogue import term
from terraplan.report.i18n import has_text, number, percent, text, unit

if TYPE_CHECKING:
    import pandas as pd

_DEVIATION = re.compile(r"(?P<name>\S+) (?P<dir>high|low) \((?P<sd>[+-]?\d+(?:\.\d+)?) sd\)")
#: A log-transformed feature column: ``log:x``, ``log(x)``, ``log_x`` or ``x (log)``.
_LOGGED = re.compile(r"log:(\w+)|log\((\w+)\)|log_(?!lq$)(\w+)|(\w+) \(log\)")
_DIFFERENCE = re.compile(r"(?P<name>\S+) \((?P<sd>[+-]?\d+(?:\.\d+)?) sd\)")

#: Columns whose values are category identifiers shown as words.
VALUE_COLUMNS = ("kind", "trend", "label", "status", "quadrant", "polarity", "significant",
                 "baseline_kind", "target_kind", "actual_kind", "illustrative",
                 "severity", "match_method", "method", "forecast_status")  # fmt: skip
#: Columns holding fractions (0.35) that are shown in percent.
FRACTION_COLUMNS = ("share", "reference_share", "growth", "reference_sector_growth",
                    "reference_growth")  # fmt: skip


def _lower_first(name: str, lang: str) -> str:
    return name[:1].lower() + name[1:] if lang == "en" else name


def indicator_name(indicator: str, lang: str) -> str:
    """The catalogue name of an indicator in ``lang`` (the id when unknown).

    >>> indicator_name("gva", "kk")
    'Жалпы қосылған құн'
    """
    from terraplan.pipeline import indicator_meta

    return indicator_meta(indicator, lang)["name"]


def _indicator_unit(indicator: str) -> str:
    from terraplan.pipeline import indicator_meta

    return indicator_meta(indicator, "en")["unit"]


def _money_unit(english: str) -> str:
    """The unit without its price basis ("million KZT, current prices" → "million KZT")."""
    return english.split(",")[0].strip()


def _per_person(base: str, lang: str) -> str:
    english = f"{base} per person"
    translated = unit(english, lang)
    if lang == "en" or translated != english:
        return translated
    return text("per_person", lang, unit=unit(base, lang))


def feature_label(feature: str, lang: str = "en") -> str:
    """A feature column of :func:`terraplan.analysis.features.region_features` in words.

    ``<indicator>_share_<sector>``, ``<indicator>_per_capita``, ``<indicator>_growth`` and plain
    indicator ids are recognised; any other name is returned unchanged.

    >>> feature_label("grp_per_capita", "ru")
    'ВРП на душу населения, млн тенге на человека'
    >>> feature_label("unemployment_rate", "kk")
    'Жұмыссыздық деңгейі, жұмыс күшінің %-ы (15 жас және одан жоғары)'
    """
    from terraplan.data.sectors import sector_names
    from terraplan.pipeline import DERIVED

    logged = _LOGGED.fullmatch(feature)
    if logged:  # log_grp_per_capita: the typology's logged features
        inner = next(g for g in logged.groups() if g)
        return text("feat.log", lang, feature=feature_label(inner, lang))
    share = re.fullmatch(r"(?P<ind>[a-z_]+)_share_(?P<sector>[A-Z_]+)", feature)
    if share:
        names = sector_names(lang)
        sector = names.get(share["sector"], share["sector"])
        return text(
            "feat.share_gva" if share["ind"] == "gva" else "feat.share",
            lang,
            sector=_lower_first(sector, lang),
            indicator=_lower_first(indicator_name(share["ind"], lang), lang),
        )
    per_capita = re.fullmatch(r"(?P<ind>[a-z_]+)_per_capita", feature)
    if per_capita:
        per_person = _per_person(_money_unit(_indicator_unit(per_capita["ind"])), lang)
        if feature in DERIVED:  # its own name; feature values are per person in the base unit
            return f"{indicator_name(feature, lang)}, {per_person}"
        return text(
            "feat.per_capita",
            lang,
            indicator=indicator_name(per_capita["ind"], lang),
            unit=per_person,
        )
    growth = re.fullmatch(r"(?P<ind>[a-z_]+)_growth", feature)
    if growth and indicator_name(growth["ind"], "en") != growth["ind"]:
        return text("feat.growth", lang, indicator=indicator_name(growth["ind"], lang))
    name = indicator_name(feature, lang)
    if name == feature:
        return feature
    return text("feat.plain", lang, indicator=name, unit=unit(_indicator_unit(feature), lang))


def sd_text(value: float, lang: str, *, signed: bool = False) -> str:
    """A distance in standard deviations ("+0.6 sd", "+0,6 σ"; no-break space before the unit).

    >>> sd_text(0.6, "en", signed=True), sd_text(1.25, "kk")
    ('+0.6\\xa0sd', '1,2\\xa0σ')
    """
    shown = number(value, 1, lang)
    if signed and value >= 0 and not shown.startswith("+"):
        shown = "+" + shown
    return text("sd", lang, value=shown)


def deviations(described: str, lang: str = "en") -> str:
    """The typology's ``distinguishing`` text (``name high (+x.x sd), …``) in words.

    >>> deviations("unemployment_rate low (-1.2 sd)", "en")
    'Unemployment rate, percent of labour force (15+): below average (-1.2\\xa0sd)'
    """
    parts = [
        text(
            "deviation_high" if m["dir"] == "high" else "deviation_low",
            lang,
            feature=feature_label(m["name"], lang),
            sd=sd_text(float(m["sd"]), lang, signed=True),
        )
        for m in _DEVIATION.finditer(described or "")
    ]
    return "; ".join(parts) if parts else described


def differences(described: str, lang: str = "en") -> str:
    """The peers' ``similar_on`` / ``differs_on`` text (``name (x.x sd), …``) in words.

    >>> differences("gva_share_F (0.3 sd)", "kk")
    '«Құрылыс» саласының ЖҚҚ-дағы үлесі, % (0,3\\xa0σ)'
    """
    parts = [
        f"{feature_label(m['name'], lang)} ({sd_text(float(m['sd']), lang)})"
        for m in _DIFFERENCE.finditer(described or "")
    ]
    return "; ".join(parts) if parts else described


def flag_words(flags: str, lang: str = "en") -> str:
    """Data flags (``preliminary;estimated``) as words in ``lang``, each once.

    >>> flag_words("preliminary;preliminary", "ru")
    'предварительные данные'
    """
    tokens = dict.fromkeys(t.strip() for t in str(flags).split(";") if t.strip())
    return ", ".join(text(t, lang) if has_text(t) else t for t in tokens)


def value_word(value: object, lang: str = "en") -> object:
    """A category value (``lagging``, ``High-High``, ``on_track``, True) in words; other values
    are returned unchanged.

    >>> value_word("High-High", "ru"), value_word("lagging", "kk"), value_word(3, "ru")
    ('Высокий–высокий (горячая точка)', 'артта қалған', 3)
    """
    if isinstance(value, bool):
        return text(f"val.{str(value).lower()}", lang)
    if isinstance(value, str) and has_text(f"val.{value}"):
        return text(f"val.{value}", lang)
    return value


def header(column: str, lang: str = "en", unit_text: str = "") -> str:
    """A column header in words (``national_share`` → "National share"), with a unit.

    Feature columns get their feature label; unknown columns stay as they are.

    >>> header("national_share", "ru", "млн тенге")
    'Эффект национального роста, млн тенге'
    >>> header("gva_share_F", "en")
    'share of construction in value added, %'
    >>> header("log(grp_per_capita)", "en")
    'natural log of: GRP per capita, million KZT per person'
    """
    key = f"col.{column}"
    logged = _LOGGED.fullmatch(column)
    if logged:
        inner = next(g for g in logged.groups() if g)
        # feature_label names a logged feature itself ("log:log_x" is still one logarithm)
        out = feature_label(inner if _LOGGED.fullmatch(inner) else column, lang)
    else:
        out = text(key, lang) if has_text(key) else feature_label(column, lang)
    return f"{out}, {unit_text}" if unit_text else out


def reference_label(reference: str, lang: str = "en") -> str:
    """The reference universe of an index in words.

    >>> reference_label("nation (sum of regions)", "kk")
    'ел (өңірлер сомасы)'
    """
    key = f"ref.{reference}"
    return text(key, lang) if has_text(key) else reference


def evidence(row: dict[str, float], unit_text: str, lang: str = "en") -> str:
    """The evidence sentence of one advantage row, from its numbers, in ``lang``.

    ``row`` holds ``lq, lq_base, share, reference_share, growth, reference_sector_growth,
    competitive_shift`` (shares and growth as fractions).

    >>> evidence({"lq": 2.66, "lq_base": 2.59, "share": 0.353, "reference_share": 0.133,
    ...     "growth": 0.239, "reference_sector_growth": 0.285, "competitive_shift": -98369.0},
    ...     "млн тенге", "ru")  # doctest: +NORMALIZE_WHITESPACE
    'LQ 2,66 (базовый год 2,59); 35,3\\xa0% итога региона против 13,3\\xa0% в базе сравнения;
    рост 23,9\\xa0% против 28,5\\xa0% в базе сравнения; конкурентный эффект -98\\xa0369 млн тенге'
    """
    growth = float(row["growth"])
    if math.isinf(growth):
        growth_words = text("evidence_new", lang)
    else:
        growth_words = text(
            "evidence_growth",
            lang,
            growth=percent(100 * growth, 1, lang),
            reference=percent(100 * float(row["reference_sector_growth"]), 1, lang),
        )
    shift = float(row["competitive_shift"])
    shift_text = number(shift, 0, lang)
    if shift > 0:
        shift_text = "+" + shift_text
    return text(
        "evidence",
        lang,
        lq=number(row["lq"], 2, lang),
        lq_base=number(row["lq_base"], 2, lang),
        share=percent(100 * float(row["share"]), 1, lang),
        reference_share=percent(100 * float(row["reference_share"]), 1, lang),
        growth=growth_words,
        shift=shift_text,
        unit=unit_text,
    ).rstrip()


def localize_frame(
    frame: pd.DataFrame,
    lang: str = "en",
    *,
    units: dict[str, str] | None = None,
    unit_text: str = "",
) -> pd.DataFrame:
    """``frame`` with readable values and headers in ``lang`` (a new frame; ``attrs`` kept).

    Category values become words, sector names come from the OKED table, ``evidence`` is
    rebuilt from the numbers (when they are present), ``distinguishing``, ``similar_on`` and
    ``differs_on`` name features in words. ``units`` maps a column to its unit (in ``lang``),
    added to the header; ``unit_text`` is the unit quoted in the evidence sentences.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"sector": ["B"], "sector_name": ["Mining"], "trend": ["lagging"]})
    >>> localize_frame(f, "ru").iloc[0].tolist()
    ['B', 'Горнодобывающая промышленность и разработка карьеров', 'отстающая']
    >>> list(localize_frame(f, "ru").columns)
    ['Отрасль (ОКЭД)', 'Отрасль', 'Динамика']
    """
    import pandas as pd

    from terraplan.data.sectors import sector_names

    out = frame.copy()
    names = sector_names(lang)
    quoted = ("lq", "lq_base", "share", "reference_share", "growth",
              "reference_sector_growth", "competitive_shift")  # fmt: skip
    if "evidence" in out.columns and all(c in out.columns for c in quoted):
        records = out[list(quoted)].astype(float).to_dict("records")
        out["evidence"] = [evidence(r, unit_text, lang) for r in records]
    if "sector_name" in out.columns and "sector" in out.columns:
        out["sector_name"] = out["sector"].map(lambda s: names.get(s, s))
    if "indicator" in out.columns:
        out["indicator"] = out["indicator"].map(
            lambda v: indicator_name(v, lang) if isinstance(v, str) else v
        )
    if "unit" in out.columns:
        out["unit"] = out["unit"].map(lambda v: unit(v, lang) if isinstance(v, str) else v)
    if "flag" in out.columns:
        out["flag"] = out["flag"].map(lambda v: flag_words(v, lang) if isinstance(v, str) else v)
    booleans = [c for c in out.columns if pd.api.types.is_bool_dtype(out[c])]
    for column in dict.fromkeys([*VALUE_COLUMNS, *booleans]):
        if column in out.columns:
            out[column] = out[column].map(lambda v: value_word(v, lang)).astype(object)
    for column, rebuild in (("distinguishing", deviations), ("similar_on", differences),
                            ("differs_on", differences)):  # fmt: skip
        if column in out.columns:
            out[column] = out[column].map(
                lambda v, f=rebuild: f(v, lang) if isinstance(v, str) else v
            )
    units = units or {}
    out.columns = [header(str(c), lang, units.get(str(c), "")) for c in out.columns]
    out.attrs = dict(frame.attrs)
    return out


def typology_note(method: str, k: object, lang: str = "en") -> str:
    """How the types were found, in words (``method`` as in the typology's ``attrs``).

    >>> typology_note("typology (ward)", 3, "ru")
    'иерархическая кластеризация стандартизованных признаков (метод Уорда), типов: 3'
    """
    found = re.search(r"\((\w+)\)", method)
    name = found.group(1) if found else method
    key = f"method.{name}"
    words = text(key, lang) if has_text(key) else name
    return text(
        "typology_note" if name == "ward" else "typology_note_other", lang, method=words, k=k
    )


def method_text(method: str, lang: str = "en") -> str:
    """A table's ``method`` attribute in words (typologies get :func:`typology_note`).

    >>> method_text("shift-share, classic", "kk")
    'классикалық ығысу-үлестік талдау'
    """
    if method.startswith("typology ("):
        found = re.search(r"\((\w+)\)", method)
        key = f"method.{found.group(1)}" if found else ""
        return text(key, lang) if has_text(key) else method
    if method.startswith("progress toward target"):
        return text("monitoring_note", lang)
    key = f"m.{method}"
    return text(key, lang) if has_text(key) else method


def describe_attrs(frame: pd.DataFrame, lang: str = "en") -> str:
    """The ``attrs`` of a table (method, indicator, unit, years, reference) as one line in words.

    >>> import pandas as pd
    >>> f = pd.DataFrame(); f.attrs = {"method": "location quotient", "year": 2023,
    ...     "reference": "nation (sum of regions)"}
    >>> describe_attrs(f, "ru")
    'метод: коэффициент локализации; год: 2023; база сравнения: страна (сумма регионов)'
    """
    shown = {
        "method": lambda v: method_text(str(v), lang),
        "indicator": lambda v: (
            ", ".join(indicator_name(str(i), lang) for i in v)
            if isinstance(v, (list, tuple))
            else indicator_name(str(v), lang)
        ),
        "unit": lambda v: unit(str(v), lang) if isinstance(v, str) else "",
        "year": str,
        "base_year": str,
        "years": lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v),
        "reference": lambda v: reference_label(str(v), lang),
    }
    parts = []
    for key, render in shown.items():
        value = frame.attrs.get(key)
        if value in (None, "") or (isinstance(value, dict)):
            continue
        words = render(value)
        if words:
            parts.append(f"{text(f'attr.{key}', lang)}: {words}")
    return "; ".join(parts)


#: Columns in the unit of the table's indicator (money, for GVA).
AMOUNT_COLUMNS = ("value", "base_value", "change", "national_share", "industry_mix",
                  "competitive_shift")  # fmt: skip


def localize_workbook(
    tables: dict[str, pd.DataFrame],
    indicators: list[str],
    lang: str = "en",
    *,
    logged: Sequence[str] = (),
    names: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The workbook's sheets (as built by :func:`terraplan.report.build.workbook_tables`, with
    identifier headers) with sheet names, headers, values and units in ``lang``.

    Fractions (shares, growth) are shown in percent (percentage points for differences), as
    their headers say. Sheets and columns that are not known are kept as they are. ``logged``
    names the feature columns of the ``typology`` sheet that hold natural logarithms; ``names``
    maps the composite index's ids (framework, pillars, indicators) to their names in ``lang``.
    The ``index steps`` sheet (a technical dump of each step's parameters) is left out of the
    Russian and Kazakh workbooks.

    >>> import pandas as pd
    >>> out = localize_workbook({"lisa": pd.DataFrame({"label": ["High-High"]})}, [], "ru")
    >>> list(out), out["пространственные кластеры"].iloc[0, 0]
    (['пространственные кластеры'], 'Высокий–высокий (горячая точка)')
    """
    from terraplan.pipeline import indicator_meta

    out: dict[str, pd.DataFrame] = {}
    for sheet, frame in tables.items():
        if sheet == "index steps" and lang != "en":
            continue  # identifiers and a JSON dump of parameters: the English workbook has it
        name = text(f"sheet.{sheet}", lang) if has_text(f"sheet.{sheet}") else sheet
        frame = frame.copy()
        frame.attrs = dict(tables[sheet].attrs)
        if sheet.startswith("index"):
            frame = composite_words(frame, lang, names or {})
        if sheet == "opportunities":
            frame = opportunity_words(frame, lang)
        full = str(frame.attrs.get("unit", ""))
        money = _money_unit(full)
        units: dict[str, str] = {}
        for column in list(frame.columns):
            base, _, rest = str(column).partition(", ")
            if full and rest == full:  # "value, million KZT, current prices" -> "value" + unit
                frame = frame.rename(columns={column: base})
                units[base] = unit(full, lang)
        for column in AMOUNT_COLUMNS:
            if full and column in frame.columns and column not in units:
                units[column] = unit(full, lang)
        if sheet == "typology":
            frame = frame.rename(columns={c: f"log:{c}" for c in logged if c in frame.columns})
        scale = [c for c in (*FRACTION_COLUMNS, "surplus", "relative_growth") if c in frame]
        if sheet != "sources" and scale:
            frame[scale] = frame[scale].astype(float) * 100.0
        if sheet == "indicators":
            frame = _indicator_sheet(frame, indicators, lang, indicator_meta)
        if sheet == "sources":
            for column in ("publisher", "title"):
                if column in frame:
                    frame[column] = frame[column].map(
                        lambda v: term("source", str(v), lang) if isinstance(v, str) else v
                    )
        unit_text = unit(money, lang) if money else ""
        localized = localize_frame(frame, lang, units=units, unit_text=unit_text)
        if "evidence" in frame and scale:  # evidence quotes fractions: rebuild from the source
            original = tables[sheet]
            quoted = ("lq", "lq_base", "share", "reference_share", "growth",
                      "reference_sector_growth", "competitive_shift")  # fmt: skip
            if all(c in original for c in quoted):
                records = original[list(quoted)].astype(float).to_dict("records")
                column = header("evidence", lang)
                localized[column] = [evidence(r, unit_text, lang) for r in records]
        out[name] = localized
    return out


def _indicator_sheet(frame, indicators, lang, indicator_meta):
    """Headers of the indicators sheet: ``<name>, <unit>`` and ``rank: <name>`` in ``lang``."""
    renames = {}
    for ind in indicators:
        meta_en = indicator_meta(ind, "en")
        meta = indicator_meta(ind, lang)
        for name in {meta_en["name"], meta["name"]}:
            renames[f"{name}, {meta_en['unit']}"] = f"{meta['name']}, {unit(meta_en['unit'], lang)}"
            renames[f"rank: {name}"] = text("col.rank_of", lang, name=meta["name"])
    out = frame.rename(columns=renames)
    if "flags" in out:
        names = {ind: indicator_meta(ind, lang)["name"] for ind in indicators}
        out["flags"] = out["flags"].map(lambda v: _flag_text(str(v), names, lang))
    return out


def _flag_text(flags: str, names: dict[str, str], lang: str) -> str:
    """``grp: preliminary; population: estimated`` with indicator names and flag words."""
    parts = []
    for part in filter(None, (p.strip() for p in flags.split("; "))):
        ind, _, flag = part.partition(": ")
        words = ", ".join(text(f, lang) if has_text(f) else f for f in flag.split(";") if f)
        parts.append(f"{names.get(ind, ind)}: {words}")
    return "; ".join(parts)


#: Columns of the opportunities sheet with headers of their own (``col.opp.<column>``).
_OPPORTUNITY_COLUMNS = ("rca", "density", "peers", "neighbours", "complexity",
                        "opportunity_gain", "size", "productivity", "related", "peers_present",
                        "peers_total", "neighbours_present", "neighbours_total")  # fmt: skip
_OPPORTUNITY_WORDS = {"feasibility": "opp_feasibility", "attractiveness": "opp_attractiveness",
                      "score": "opp_score"}  # fmt: skip


def opportunity_words(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The opportunities sheet with headers in words; quadrants and evidence in ``lang``.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"region": ["KZ-35"], "density": [0.3], "pct_density": [0.5],
    ...     "quadrant": ["stretch"], "related": ["C"], "peers_present": [1], "peers_total": [3],
    ...     "neighbours_present": [0], "neighbours_total": [0], "growth": [0.2],
    ...     "evidence": ["related to C"]})
    >>> out = localize_frame(opportunity_words(f, "ru"), "ru")
    >>> list(out.columns)[1:3], out.iloc[0, 3]
    (['Плотность связанности', 'Процентиль: плотность связанности'], 'дальний шаг')
    """
    from terraplan.report.opportunities import QUADRANT_KEYS, evidence_text

    out = frame.copy()
    if lang != "en":
        if "evidence" in out.columns:
            out["evidence"] = [evidence_text(r, lang) for r in frame.to_dict(orient="records")]
        if "quadrant" in out.columns:
            out["quadrant"] = out["quadrant"].map(
                lambda q: text(QUADRANT_KEYS[q], lang) if q in QUADRANT_KEYS else q
            )
    renames: dict[str, str] = {}
    for column in out.columns:
        column = str(column)
        if column in _OPPORTUNITY_COLUMNS:
            renames[column] = text(f"col.opp.{column}", lang)
        elif column in _OPPORTUNITY_WORDS:
            renames[column] = text(_OPPORTUNITY_WORDS[column], lang)
        elif column.startswith("pct_") and has_text(f"col.opp.{column[4:]}"):
            base = text(f"col.opp.{column[4:]}", lang).removesuffix(", %")
            renames[column] = text("col.opp.pct", lang, name=base[:1].lower() + base[1:])
    out = out.rename(columns=renames)
    out.attrs = dict(frame.attrs)
    return out


_WARNINGS = (
    (re.compile(r"pillar (?P<pillar>\S+): Cronbach's alpha (?P<alpha>-?[\d.]+) "
                r"< (?P<limit>[\d.]+)"), "ci_w_alpha"),
    (re.compile(r"pillar (?P<pillar>\S+): (?P<a>\S+) and (?P<b>\S+) are negatively correlated "
                r"\(r = (?P<r>-?[\d.]+)\)"), "ci_w_pair"),
    (re.compile(r"(?P<indicator>\S+) is negatively correlated with the index "
                r"\(r = (?P<r>-?[\d.]+)\)"), "ci_w_index"),
)  # fmt: skip


def composite_warning(warning: str, lang: str = "en", names: dict[str, str] | None = None) -> str:
    """A warning of the composite index's audit in ``lang`` (unknown sentences unchanged).

    >>> composite_warning("pillar living: Cronbach's alpha 0.53 < 0.6", "ru", {"living": "Жизнь"})
    'субиндекс «Жизнь»: альфа Кронбаха 0,53 ниже 0,6'
    """
    names = names or {}
    for pattern, key in _WARNINGS:
        found = pattern.fullmatch(warning.strip())
        if found is None:
            continue
        fields = {}
        for field, value in found.groupdict().items():
            if field in ("alpha", "limit", "r"):
                decimals = len(value.partition(".")[2])
                fields[field] = number(float(value), decimals, lang)
            else:
                fields[field] = names.get(value, value)
        return text(key, lang, **fields)
    return warning


def composite_words(frame: pd.DataFrame, lang: str, names: dict[str, str]) -> pd.DataFrame:
    """A sheet of the composite index with ids (pillars, indicators, choices, kinds) in words.

    English sheets keep their ids (their headers still become words).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"unit": ["KZ-35"], "factor": ["weights"], "action": ["winsorised"]})
    >>> composite_words(f, "kk", {}).iloc[0].tolist()
    ['KZ-35', 'салмақтар', 'винзорлау']
    """
    if lang == "en":
        return frame
    out = frame.copy()

    def named(value: object) -> object:
        return names.get(value, value) if isinstance(value, str) else value

    for column in ("indicator", "pillar"):
        if column in out.columns:
            out[column] = out[column].map(named)
    if "factor" in out.columns:
        out["factor"] = out["factor"].map(
            lambda v: text(f"ci_f_{v}", lang) if has_text(f"ci_f_{v}") else v
        )
    if "action" in out.columns:
        out["action"] = out["action"].map(
            lambda v: text(f"ci_a_{v}", lang) if has_text(f"ci_a_{v}") else v
        )
    for column in ("kind", "status"):
        if column in out.columns:
            out[column] = out[column].map(lambda v: value_word(v, lang))
    if "warning" in out.columns:
        out["warning"] = out["warning"].map(
            lambda v: composite_warning(v, lang, names) if isinstance(v, str) else v
        )
    out = out.rename(columns={c: names[c] for c in out.columns if c in names})
    out = out.rename(columns={"unit": "territory"})
    out.attrs = dict(frame.attrs)
    return out
