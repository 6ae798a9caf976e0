"""Names of the OKED sections (Kazakhstan's NACE Rev. 2) in English, Russian and Kazakh.

The names live in ``data/regions/oked_sections.csv`` (sources in ``data/regions/SOURCES.md``):
Russian as the Bureau of National Statistics publishes them (GVA tables, element 5927; section U
from the classifier НК РК 03-2019), English as in :data:`terraplan.analysis.matrices.SECTOR_NAMES`,
Kazakh in terraplan's rendering, to be checked by a native speaker.

Example
-------
>>> sector_name("B", "ru")
'Горнодобывающая промышленность и разработка карьеров'
>>> sector_name("ZZ", "kk")
'ZZ'
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from terraplan.errors import ConfigError

LANGUAGES = ("en", "ru", "kk")


@cache
def oked_sections() -> pd.DataFrame:
    """The OKED sections table: ``code, name_en, name_ru, name_kk, source_ru, source_kk``.

    >>> oked_sections().loc["C", "name_kk"]
    'Өңдеу өнеркәсібі'
    """
    from terraplan._resources import data_dir

    return pd.read_csv(
        data_dir() / "oked_sections.csv", dtype=str, keep_default_na=False
    ).set_index("code")


def sector_names(lang: str = "en") -> dict[str, str]:
    """Every section's name in ``lang`` as ``{code: name}``.

    >>> sector_names("kk")["F"]
    'Құрылыс'
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return oked_sections()[f"name_{lang}"].to_dict()


def sector_name(code: str, lang: str = "en") -> str:
    """The name of section ``code`` in ``lang`` (the code itself when it is not a section)."""
    return sector_names(lang).get(code, code)
