"""Move the entries of ``_TEXT`` in ``report/i18n.py`` into the gettext message catalogue.

Engineers add new output texts as ``"key": ("English", "Русский", "Қазақша"),`` entries in the
``_TEXT`` dict of ``src/terraplan/report/i18n.py`` (in blocks marked ``# --- NAME ---``), because
that needs no tooling. This script moves them, mechanically, into the catalogue that translators
edit (``src/terraplan/report/locale``):

* the English text goes to ``terraplan.pot`` (``msgctxt`` = key, ``msgid`` = English);
* the Russian and Kazakh texts go to ``ru/…/terraplan.po`` and ``kk/…/terraplan.po`` (``msgstr``);
* a key already in the catalogue is replaced (the script says so);
* the entries and their ``# --- NAME ---`` marker lines are removed from ``_TEXT``, which is
  left as an empty dict (``text()`` reads ``_TEXT`` first, then the catalogue, so nothing
  changes for the callers).

Run from the repository root::

    python scripts/i18n_catalogue.py            # move the entries, print what moved
    python scripts/i18n_catalogue.py --check    # exit 1 if _TEXT still holds entries

The script is idempotent and deterministic (same input, same files).
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "src" / "terraplan" / "report" / "i18n.py"
LOCALE = ROOT / "src" / "terraplan" / "report" / "locale"
FILES = {
    "en": LOCALE / "terraplan.pot",
    "ru": LOCALE / "ru" / "LC_MESSAGES" / "terraplan.po",
    "kk": LOCALE / "kk" / "LC_MESSAGES" / "terraplan.po",
}
LANGS = ("en", "ru", "kk")


def find_entries(source: str) -> tuple[list[tuple[str, tuple[str, str, str]]], ast.Dict]:
    """The ``(key, (en, ru, kk))`` entries of the ``_TEXT`` dict literal and its AST node."""
    tree = ast.parse(source)
    for node in tree.body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "_TEXT":
            value = node.value
            if not isinstance(value, ast.Dict):
                raise SystemExit("_TEXT is not a dict literal; cannot convert it")
            entries = []
            for key, val in zip(value.keys, value.values, strict=True):
                texts = ast.literal_eval(val)
                if not (isinstance(key, ast.Constant) and len(texts) == 3):
                    raise SystemExit(f"line {val.lineno}: entry is not key: (en, ru, kk)")
                entries.append((key.value, tuple(texts)))
            return entries, value
    raise SystemExit(f"no _TEXT dict in {I18N}")


def emptied(source: str, node: ast.Dict) -> str:
    """``source`` with the body of the ``_TEXT`` dict removed (comment ``# key: …`` kept)."""
    lines = source.splitlines(keepends=True)
    start, end = node.lineno, node.end_lineno  # 1-based: line of "{" and of "}"
    body = lines[start : end - 1]
    kept = [line for line in body if line.strip().startswith("# key:")]
    return "".join([*lines[:start], *kept, *lines[end - 1 :]])


def merge(entries: list[tuple[str, tuple[str, str, str]]]) -> list[str]:
    """Write ``entries`` into the three catalogue files; return the keys that were replaced."""
    from babel.messages.pofile import read_po, write_po

    replaced = []
    for i, lang in enumerate(LANGS):
        path = FILES[lang]
        with path.open("rb") as handle:
            catalog = read_po(handle, charset="utf-8")
        by_context = {m.context: m for m in catalog if m.id and m.context}
        for key, texts in entries:
            old = by_context.get(key)
            if old is not None:
                if lang == "en":
                    replaced.append(key)
                catalog.delete(old.id, context=key)
            catalog.add(texts[0], "" if lang == "en" else texts[i], context=key)
        out = io.BytesIO()
        write_po(out, catalog, width=100, omit_header=False, sort_output=False)
        path.write_bytes(out.getvalue())
    return replaced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any left")
    args = parser.parse_args(argv)
    source = I18N.read_text(encoding="utf-8")
    entries, node = find_entries(source)
    if args.check:
        for key, _texts in entries:
            print(f"not in the catalogue yet: {key}")
        return 1 if entries else 0
    if not entries:
        print("_TEXT is empty; nothing to move")
        return 0
    replaced = merge(entries)
    I18N.write_text(emptied(source, node), encoding="utf-8")
    print(f"moved {len(entries)} entries into {LOCALE.relative_to(ROOT)}")
    for key in replaced:
        print(f"  replaced existing key {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
