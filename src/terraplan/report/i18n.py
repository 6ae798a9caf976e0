"""Words of the outputs (legends, tooltips, profile headings) in English, Russian and Kazakh.

Region names come from the registry (``display_name``) and sector names from the OKED table
(:mod:`terraplan.data.sectors`); every other word lives in the gettext message catalogue
(:mod:`terraplan.report.catalogue`, ``report/locale/*.po``) that translators edit without touching
code. Numbers, percentages and dates are formatted per locale with Babel (:func:`number`,
:func:`percent`, :func:`date`): "21 813" and "50,2 %" in Russian and Kazakh.

New texts may be added to ``_TEXT`` below as ``key: (en, ru, kk)`` in a block marked
``# --- NAME ---``; ``scripts/i18n_catalogue.py`` moves such entries into the catalogue.

Example
-------
>>> text("no_data", "ru")
'Нет данных'
>>> text("rank_of", "en", rank=3, n=20)
'3 of 20'
"""

from __future__ import annotations

from terraplan.errors import ConfigError
from terraplan.report.catalogue import lookup, term

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")

_TEXT: dict[str, tuple[str, str, str]] = {
    # key: (en, ru, kk)
}


def text(key: str, lang: str = "en", **fields: object) -> str:
    """Return the catalogue text ``key`` in ``lang``, with ``{fields}`` filled in.

    ``_TEXT`` entries (not yet moved to the catalogue) win over the catalogue. An unknown key
    raises ``KeyError``.

    >>> text("rank_of", "kk", rank=1, n=20)
    '20 ішінен 1'
    """
    check_language(lang)
    if key in _TEXT:
        template = _TEXT[key][LANGUAGES.index(lang)]
    else:
        found = lookup(key, lang)
        if found is None:
            raise KeyError(f"no text {key!r} in the message catalogue (report/locale)")
        template = found
    return template.format(**fields) if fields else template


def has_text(key: str) -> bool:
    """True when ``key`` is in ``_TEXT`` or in the catalogue.

    >>> has_text("no_data"), has_text("no such key")
    (True, False)
    """
    return key in _TEXT or lookup(key, "en") is not None


def unit(english: str, lang: str = "en") -> str:
    """A unit of measurement (as the data spell it in English) in ``lang``.

    >>> unit("thousand KZT per person", "ru")
    'тыс. тенге на человека'
    """
    check_language(lang)
    return term("unit", english, lang)


_LOCALES = {"en": "en", "ru": "ru", "kk": "kk"}


def number(value: float | None, decimals: int = 0, lang: str = "en") -> str:
    """``value`` with ``decimals`` decimals and the locale's separators ("–" when missing).

    >>> number(21813, 0, "ru"), number(3.614, 2, "kk"), number(-1234.5, 1)
    ('21\xa0813', '3,61', '-1,234.5')
    """
    import math

    from babel.numbers import format_decimal

    if value is None or not math.isfinite(float(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_LOCALES[lang])


def percent(value_pct: float | None, decimals: int = 1, lang: str = "en") -> str:
    """A percentage given in percent (``50.2`` → "50.2%", "50,2 %") per locale.

    >>> percent(50.2, 1, "en"), percent(50.2, 1, "ru")
    ('50.2%', '50,2\xa0%')
    """
    import math

    from babel import Locale
    from babel.numbers import format_percent

    if value_pct is None or not math.isfinite(float(value_pct)):
        return "–"
    pattern = Locale.parse(_LOCALES[lang]).percent_formats[None].pattern
    digits = "0." + "0" * decimals if decimals > 0 else "0"
    pattern = pattern.replace("#,##0", "#,##" + digits, 1)
    return format_percent(value_pct / 100.0, format=pattern, locale=_LOCALES[lang])


def date(value: object, lang: str = "en") -> str:
    """A date in the locale's long form.

    >>> import datetime
    >>> date(datetime.date(2023, 5, 1), "ru")
    '1 мая 2023\\u202fг.'
    """
    from babel.dates import format_date

    return format_date(value, "long", locale=_LOCALES[lang])


def check_language(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise ConfigError naming the choices.

    >>> check_language("kk")
    'kk'
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return lang
