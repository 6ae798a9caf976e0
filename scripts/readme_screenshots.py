"""Redraw the README's screenshots with headless Chromium, the network blocked.

    python scripts/readme_screenshots.py [OUTPUT_FOLDER]

Writes, from the bundled data, ``docs/img/map.png`` (the Leaflet map ``indicators.html`` of
``terraplan build``, opened with every network request blocked: it draws from the page alone)
and ``docs/img/profile.png`` (the Russian profile of Karaganda, ``terraplan profile Karaganda
--lang ru``). Needs the Debian packages chromium and chromium-driver and selenium (the ``test``
extra). The HTML is written to OUTPUT_FOLDER (default: a temporary folder).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"


def _driver(width: int, height: int, profile_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile_dir}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
    return driver


def main(out: Path) -> None:
    from terraplan.config import parse_config
    from terraplan.pipeline import analyze
    from terraplan.report.annex import AnnexCollector
    from terraplan.report.build import map_layers
    from terraplan.report.maps import interactive_map
    from terraplan.report.profile import region_profile, render_profile
    from terraplan.report.svg import project_shapes
    from terraplan.territory.boundaries import boundaries

    geo = boundaries(resolution="simplified")
    config = parse_config({})
    analysis = analyze(config)
    page = out / "indicators.html"
    page.write_text(interactive_map(map_layers(analysis, config)["indicators"], boundaries=geo))
    ru = analyze(parse_config({"lang": "ru"}))
    profile = region_profile(ru, "KZ-35")
    charts = AnnexCollector(ru, True, []).add(profile)
    profile_page = out / "KZ-35.ru.html"
    profile_page.write_text(
        render_profile(profile, "html", shapes=project_shapes(geo, width=400), charts=charts)
    )
    with tempfile.TemporaryDirectory() as tmp:
        driver = _driver(1200, 760, Path(tmp))
        try:
            driver.get(page.as_uri())
            driver.save_screenshot(str(IMG / "map.png"))
            driver.set_window_size(1000, 1500)
            driver.get(profile_page.as_uri())
            driver.save_screenshot(str(IMG / "profile.png"))
        finally:
            driver.quit()
    print(f"wrote {IMG / 'map.png'} and {IMG / 'profile.png'} (pages in {out})")


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    main(folder)
