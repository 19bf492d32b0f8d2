"""The Dagster UI as a data engineer uses it: see the assets, launch the full job, watch it pass.

Unit tests call the code location directly; this one goes through the webserver, the code
server and a run worker started from the UI, so a code location that only loads in-process,
a resource that cannot be configured from the launchpad, or a job that fails outside pytest
shows up here. The webserver reads a temporary settings file (through C360_SETTINGS) and a
temporary Dagster instance, so the run writes into the test's folder, never the repo's.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); no browser
or driver is downloaded at run time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from pipelines.definitions import build_definitions
from pipelines.jobs import FULL_PIPELINE_JOB
from pipelines.settings import PROJECT_ROOT, SETTINGS_ENV_VAR, load_settings
from synthetic import generate_sample
from tests.settings_files import write_settings_file

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,2000",
)
INSTANCE_YAML = """\
telemetry:
  enabled: false
# Runs launched from the UI start at once; the queue would need the daemon.
run_coordinator:
  module: dagster._core.run_coordinator
  class: DefaultRunCoordinator
"""
LOCATION = "c360"
"""The location name workspace.yaml gives the code location."""

pytestmark = pytest.mark.slow


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _default_signals() -> None:
    """A child of a background shell inherits SIGINT ignored and then ignores SIGTERM too."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_process_group(process: subprocess.Popen) -> None:
    """Stop the webserver and everything it started (code server, run worker) by group id."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        process.wait(timeout=10)


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"dagster-webserver did not answer within {timeout:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def settings_file(tmp_path_factory) -> Path:
    """A settings file whose warehouse, reports and exports all live in a temporary folder."""
    folder = tmp_path_factory.mktemp("c360")
    sample = generate_sample(250, 3, folder / "sample")
    paths = {"landing_dir": sample.landing_dir, "ground_truth_dir": sample.ground_truth_dir}
    return write_settings_file(folder, {"paths": paths})


@pytest.fixture(scope="module")
def webserver(settings_file: Path, tmp_path_factory) -> Iterator[str]:
    """``dagster-webserver`` on the project's workspace.yaml, on a free loopback port."""
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text(INSTANCE_YAML, encoding="utf-8")
    port = _free_loopback_port()
    log = home / "webserver.log"
    env = os.environ | {"DAGSTER_HOME": str(home), SETTINGS_ENV_VAR: str(settings_file)}
    executable = Path(sys.executable).with_name("dagster-webserver")
    command = [str(executable), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_signals,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, process, log, timeout=90)
        yield url
    finally:
        _stop_process_group(process)


@pytest.fixture
def browser(tmp_path) -> Iterator[WebDriver]:
    """Debian's headless Chromium through its chromedriver, with a fresh profile."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        options=options,
        service=Service(executable_path=str(CHROMEDRIVER), log_output=subprocess.DEVNULL),
    )
    try:
        yield driver
    finally:
        driver.quit()


def _asset_links(driver: WebDriver) -> set[str]:
    """Asset pages the page links to (names in the list are shortened, links are not)."""
    links = driver.find_elements(By.CSS_SELECTOR, "a[href*='/assets/']")
    return {link.get_attribute("href") for link in links}


def _dismiss_first_visit_prompt(driver: WebDriver) -> None:
    """A fresh instance greets a new browser with a newsletter prompt over the page."""
    try:
        skip = WebDriverWait(driver, 10).until(
            ec.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Skip']"))
        )
    except TimeoutException:
        return
    skip.click()


def test_the_ui_lists_the_assets_and_runs_the_full_pipeline_to_success(
    webserver, browser, settings_file, tmp_path
):
    settings = load_settings(settings_file)
    expected = {
        f"{webserver}/assets/{'/'.join(key.path)}"
        for key in build_definitions(settings).resolve_all_asset_keys()
    }
    browser.get(f"{webserver}/assets")
    _dismiss_first_visit_prompt(browser)
    try:
        WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda driver: expected <= _asset_links(driver)
        )
    except TimeoutException:
        pytest.fail(f"asset catalog does not list {sorted(expected - _asset_links(browser))}")

    browser.get(f"{webserver}/locations/{LOCATION}/jobs/{FULL_PIPELINE_JOB.name}/playground")
    launch = WebDriverWait(browser, 60).until(
        ec.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Launch Run']"))
    )
    launch.click()
    WebDriverWait(browser, 30).until(ec.url_contains("/runs/"))
    status = WebDriverWait(browser, 150).until(
        ec.visibility_of_element_located(
            (
                By.XPATH,
                "//*[normalize-space(text())='Success' or normalize-space(text())='Failure']",
            )
        )
    )
    screenshot = tmp_path / "c360_full_pipeline_run.png"
    browser.save_screenshot(str(screenshot))

    assert status.text == "Success", f"run ended {status.text}: {browser.current_url}"
    assert screenshot.stat().st_size > 0
    assert settings.warehouse.is_relative_to(settings_file.parent) and settings.warehouse.exists()
    _the_quality_report_draws_its_charts_offline(browser, settings.reports_dir, tmp_path)


def _the_quality_report_draws_its_charts_offline(
    driver: WebDriver, reports_dir: Path, tmp_path: Path
) -> None:
    """The run's resolution quality report renders every chart with nothing from the network."""
    driver.get((reports_dir / "resolution_quality.html").as_uri())
    charts = driver.find_elements(By.CSS_SELECTOR, "div.c360-chart")
    WebDriverWait(driver, 60).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-charts-done")
        == str(len(charts))
    )
    drawn = driver.find_elements(By.CSS_SELECTOR, "div.c360-chart[data-rendered='true'] svg.marks")
    fetched = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(name => name.startsWith('http'))"
    )
    driver.save_screenshot(str(tmp_path / "resolution_quality_report.png"))
    assert len(charts) == 4 and len(drawn) == len(charts), [
        chart.get_attribute("data-rendered") for chart in charts
    ]
    assert fetched == []
