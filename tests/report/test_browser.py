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
    driver.find_elements(By.CSS_SELECTOR, 'input[name="tp-layer"]')[1].click()
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
