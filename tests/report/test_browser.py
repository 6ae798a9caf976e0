"""Headless Chromium opens the offline map and a profile from ``terraplan build``.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (marker ``browser``). The pages
are the offline variants, so nothing is fetched from the network: any failed request would be a
console error.
"""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and chromedriver, "install the Debian packages chromium and chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield browser
    browser.quit()


def problems(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_offline_map_opens_without_errors_and_switches_layers(driver, built, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get((built / "indicators-offline.html").as_uri())
    assert problems(driver) == []
    regions = driver.find_elements(By.CSS_SELECTOR, "#layer0 use.tp-region")
    assert len(regions) == 20
    assert driver.find_element(By.ID, "layer1").value_of_css_property("display") == "none"
    radios = driver.find_elements(By.CSS_SELECTOR, 'input[name="tp-layer"]')
    assert driver.find_element(By.ID, "tp-title").text == radios[0].get_attribute("data-title")
    radios[1].click()
    # the heading and the page title follow the selected layer
    assert driver.find_element(By.ID, "tp-title").text == radios[1].get_attribute("data-title")
    assert driver.title == radios[1].get_attribute("data-title")
    assert driver.find_element(By.ID, "layer0").value_of_css_property("display") == "none"
    assert driver.find_element(By.ID, "layer1").value_of_css_property("display") != "none"
    karaganda = driver.find_element(By.CSS_SELECTOR, '#layer1 use[data-region="KZ-35"]')
    ActionChains(driver).move_to_element(karaganda).perform()
    assert "Karaganda Region" in driver.find_element(By.ID, "tp-info").text
    shot = tmp_path / "map.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    assert problems(driver) == []


def test_profile_opens_without_errors(driver, built, tmp_path):
    from selenium.webdriver.common.by import By

    driver.get((built / "profiles" / "KZ-35.html").as_uri())
    assert problems(driver) == []
    assert driver.find_element(By.TAG_NAME, "h1").text == "Karaganda Region"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".tp-locator path")) == 20
    shot = tmp_path / "profile.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


@pytest.fixture(scope="module")
def leaflet_page(analysis, small_config, geo, tmp_path_factory):
    """The Leaflet map of ``terraplan build`` (``indicators.html``) for the small build's
    indicators: written as the build writes it, with no tile layer (the default)."""
    from terraplan.report.build import map_layers
    from terraplan.report.maps import interactive_map

    layers = map_layers(analysis, small_config)["indicators"]
    page = tmp_path_factory.mktemp("leaflet") / "indicators.html"
    page.write_text(interactive_map(layers, boundaries=geo), encoding="utf-8")
    return page, [f"{layer.name}, {layer.unit}" if layer.unit else layer.name for layer in layers]


def _block_network(driver) -> None:
    """Cut the browser off the network: every request other than file:// fails."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})


def test_leaflet_map_draws_every_region_with_the_network_blocked(driver, leaflet_page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    page, titles = leaflet_page
    _block_network(driver)
    driver.get(page.as_uri())
    assert problems(driver) == []
    assert driver.execute_script("return typeof L") == "object"
    # one SVG path per region polygon of the shown layer: all 20 regions drawn
    shown = driver.execute_script(
        "var n = 0; document.querySelectorAll('.leaflet-overlay-pane path')"
        ".forEach(function (p) { n += 1; }); return n;"
    )
    assert shown == 20
    assert driver.find_element(By.ID, "tp-title").text == titles[0]
    assert driver.title == titles[0]
    # the three cities of national significance: call-out circles and their labels
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".tp-city-label")]
    assert labels == ["Astana", "Almaty", "Shymkent"]
    assert len(driver.find_elements(By.CSS_SELECTOR, ".leaflet-tp-cities-pane path")) == 3
    # switch to the second layer: title, legend and fills follow
    before = driver.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
        ".map(function (p) { return p.getAttribute('fill'); }).join(',');"
    )
    driver.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-base input")[1].click()
    assert driver.find_element(By.ID, "tp-title").text == titles[1]
    assert driver.title == titles[1]
    after = driver.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
        ".map(function (p) { return p.getAttribute('fill'); }).join(',');"
    )
    assert after != before and after.count(",") == 19
    legends = driver.find_elements(By.CSS_SELECTOR, ".tp-legends .tp-legend")
    assert [e.is_displayed() for e in legends] == [False, True, False]
    region = driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")[0]
    ActionChains(driver).move_to_element(region).perform()
    assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip")
    shot = tmp_path / "leaflet.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_composite_map_opens_and_switches_to_the_rank_interval_layer(driver, built):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.get((built / "composite-offline.html").as_uri())
    assert problems(driver) == []
    assert len(driver.find_elements(By.CSS_SELECTOR, "#layer0 use.tp-region")) == 20
    driver.find_elements(By.CSS_SELECTOR, 'input[name="tp-layer"]')[1].click()
    assert driver.find_element(By.ID, "layer1").value_of_css_property("display") != "none"
    karaganda = driver.find_element(By.CSS_SELECTOR, '#layer1 use[data-region="KZ-35"]')
    ActionChains(driver).move_to_element(karaganda).perform()
    assert "Karaganda Region" in driver.find_element(By.ID, "tp-info").text
    assert problems(driver) == []
