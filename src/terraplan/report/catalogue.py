"""The message catalogue: gettext ``.po`` files that translators edit, read with Babel at run time.

Layout (inside the package, so it ships in the wheel and works from a source checkout)::

    terraplan/report/locale/terraplan.pot                   English: msgctxt = key, msgid = text
    terraplan/report/locale/ru/LC_MESSAGES/terraplan.po     Russian msgstr for every message
    terraplan/report/locale/kk/LC_MESSAGES/terraplan.po     Kazakh (Cyrillic) msgstr

Every message has a *context* (``msgctxt``). Fixed texts of the outputs use a unique key as
context (``no_data``, ``col.national_share``; looked up by :func:`terraplan.report.i18n.text`).
Open vocabularies that arrive as English data (units, source titles) use a shared context
(``unit``, ``source``) and their English text as ``msgid`` (looked up by :func:`term`).

A translator edits only ``msgstr`` lines (Poedit, Lokalize or any text editor); no compile step
is needed, the ``.po`` files are parsed once per process. ``{name}`` placeholders must be kept.

Example
-------
>>> messages("ru")[("no_data", "")]
'Нет данных'
>>> term("unit", "persons", "kk")
'адам'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: Folder of the catalogue files.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: gettext domain (file name) of terraplan's messages.
DOMAIN = "terraplan"


def catalogue_path(lang: str) -> Path:
    """The file holding the messages of ``lang`` (the ``.pot`` template for English).

    >>> catalogue_path("en").name, catalogue_path("kk").parent.parent.name
    ('terraplan.pot', 'kk')
    """
    if lang == "en":
        return LOCALE_DIR / f"{DOMAIN}.pot"
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def messages(lang: str) -> dict[tuple[str, str], str]:
    """All messages of ``lang`` as ``{(context, msgid): text}``; English texts are the msgids.

    Key messages (context = key) are also reachable as ``(key, "")``. An untranslated message
    (empty ``msgstr``) is left out, so the caller falls back to English.

    >>> messages("en")[("no_data", "")]
    'No data'
    """
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, charset="utf-8")
    out: dict[tuple[str, str], str] = {}
    for message in catalog:
        if not message.id or not message.context:
            continue
        value = message.id if lang == "en" else message.string
        if not value:
            continue
        out[(message.context, message.id)] = value
        out.setdefault((message.context, ""), value)
    return out


@cache
def english_ids() -> dict[str, str]:
    """The English text (``msgid``) of every key context, from the template.

    >>> english_ids()["no_data"]
    'No data'
    """
    return {ctx: text for (ctx, msgid), text in messages("en").items() if msgid == ""}


def lookup(key: str, lang: str) -> str | None:
    """The text of the key ``key`` in ``lang`` (English when it is not translated), or None.

    >>> lookup("no_data", "kk"), lookup("no such key", "ru")
    ('Деректер жоқ', None)
    """
    english = english_ids().get(key)
    if english is None:
        return None
    if lang == "en":
        return english
    return messages(lang).get((key, english), english)


def term(context: str, english: str, lang: str) -> str:
    """``english`` (a unit, a source title …) in ``lang``; unchanged when not in the catalogue.

    >>> term("unit", "million KZT, current prices", "ru")
    'млн тенге, в текущих ценах'
    >>> term("unit", "parsecs", "ru")
    'parsecs'
    """
    if lang == "en" or not english:
        return english
    return messages(lang).get((context, english), english)
