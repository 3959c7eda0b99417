"""The address `forecast ui` prints, opened in a real browser (Debian's Chromium, headless, driven by
Playwright, which uses the installed browser and downloads none) on a workspace with one demo run:
the model runs and the back-test CRPS column are on the first screen, without a click. The
screenshot is kept in tests/artifacts/ (the README shows it).

Outside CI the test skips when Chromium or Playwright is missing; in CI (.ci/run installs Chromium)
it must run.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from forecast.ingest.importer import import_file
from forecast.jobs.assess_plan import run_and_report
from forecast.store import Store
from forecast.targets.plans import load_plan
from forecast.workspace import Workspace
from tests.conftest import DATA
from tests.report.test_report_browser import _browser
from tests.tracking.ui_process import descendants, start_ui, stop_all

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
VIEWPORT = {"width": 1600, "height": 900}
MODELS = ("combined (calibrated)", "rw_drift", "theta", "ets_damped")


@pytest.fixture(scope="module")
def demo_ui(tmp_path_factory):
    """`forecast ui --plan jiangyou-2020` on the demo's municipal plan replayed as of 2016, tracked."""
    browser = _browser()
    tmp = tmp_path_factory.mktemp("mlflow-ui")
    ws = Workspace(tmp / "ws").ensure()
    store = Store(ws.db_url)
    for i, path in enumerate(sorted((DATA / "observations").glob("*.csv"))):
        import_file(store, path, DATA / "indicators.yaml" if i == 0 else None)
    store.save_plan(load_plan(DATA / "plans" / "jiangyou_2020.yaml"))
    run_and_report(ws, store, "jiangyou-2020", as_of="2016")
    store.engine.dispose()
    ui = start_ui(ws.root, tmp, "--plan", "jiangyou-2020")
    started = descendants(ui.proc.pid)
    try:
        yield browser, ui
    finally:
        ui.proc.send_signal(signal.SIGTERM)
        stop_all(ui.proc, started)


def test_printed_address_opens_on_the_model_comparison(demo_ui):
    from playwright.sync_api import expect, sync_playwright

    browser_path, ui = demo_ui
    assert ui.address.startswith(f"http://127.0.0.1:{ui.port}/#/experiments/"), ui.text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            page = browser.new_page(viewport=VIEWPORT)  # a fresh profile: what a new user sees
            problems = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(ui.address)
            crps = page.locator('[role=columnheader][col-id="metrics.`backtest_crps`"]')  # the runs table's column
            expect(crps).to_be_visible(timeout=120_000)
            rows = {name: page.get_by_role("link", name=name, exact=True) for name in MODELS}
            for link in rows.values():
                expect(link).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1500)  # let the table settle before the picture
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / "mlflow-comparison.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}")
            # On the first screen, without a click: each model's run and the CRPS column.
            for element in (crps, *rows.values()):
                box = element.bounding_box()
                assert box is not None and box["x"] + box["width"] <= VIEWPORT["width"]
                assert box["y"] + box["height"] <= VIEWPORT["height"]
            # Best back-test CRPS first, as the view sorts; the combination beats every single model here.
            tops = {name: link.bounding_box()["y"] for name, link in rows.items()}
            assert min(tops, key=tops.get) == "combined (calibrated)"
            assert page.get_by_text("Model training").first.is_visible()  # not the GenAI overview
            assert problems == []
            assert shot.stat().st_size > 50_000
        finally:
            browser.close()
