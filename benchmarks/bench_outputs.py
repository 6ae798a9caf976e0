"""Cost of the plan outputs of ``terraplan build`` (run by hand, not by the test suite).

On the bundled data (20 regions, the six default indicators) the script times, in CPU seconds:

* drawing the three profile charts of every region (figures, SVG for the HTML profiles, PNG for
  the documents);
* writing the plan annex as Word and as PDF;
* the whole build with the defaults, and with ``profile_charts = false`` and ``plan_annex = []``
  (the build as it was before charts and documents);

and prints the sizes of the main pages and documents.

Usage::

    nice python benchmarks/bench_outputs.py

The machine may be shared: CPU time (``time.process_time``) is reported, not wall time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from terraplan.config import parse_config
from terraplan.pipeline import analyze
from terraplan.report.build import build
from terraplan.report.charts import chart_png, profile_chart_svgs, profile_charts
from terraplan.report.documents import annex_document
from terraplan.report.profile import region_profile


def _cpu(fn):
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def main() -> None:
    analysis = analyze(parse_config({}))
    figures = svgs = pngs = 0.0
    collected = []
    for code in analysis.regions:
        profile = region_profile(analysis, code)
        t, charts = _cpu(lambda p=profile: profile_charts(analysis, p))
        figures += t
        t, _ = _cpu(lambda c=charts: profile_chart_svgs(c))
        svgs += t
        t, images = _cpu(lambda c=charts: {k: chart_png(f, dpi=110) for k, f in c.items() if f})
        pngs += t
        collected.append((profile, images))
    print(f"charts of 20 profiles: figures {figures:.1f} s, SVG {svgs:.1f} s, PNG {pngs:.1f} s")
    for fmt in ("docx", "pdf"):
        t, data = _cpu(lambda f=fmt: annex_document(analysis, collected, f))
        print(f"plan annex .{fmt}: {t:.1f} s, {len(data) / 1e6:.2f} MB (without overview images)")
    for label, outputs in (
        ("defaults", {}),
        ("without charts and annex", {"profile_charts": False, "plan_annex": []}),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            config = parse_config({"outputs": outputs})
            t, _ = _cpu(lambda c=config, o=tmp: build(c, Path(o) / "maps", progress=False))
            folder = Path(tmp) / "maps"
            total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            print(f"build, {label}: {t:.1f} s CPU, {total / 1e6:.1f} MB")
            if not outputs:
                for name in (
                    "indicators.html",
                    "typology.html",
                    "lisa.html",
                    "profiles/KZ-35.html",
                    "plan-annex.docx",
                    "plan-annex.pdf",
                ):
                    print(f"  {name}: {(folder / name).stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
