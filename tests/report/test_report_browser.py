"""The demo report in a real browser: Debian's Chromium, headless, driven by Playwright (which uses
the installed browser and downloads none). The screenshot is kept in tests/artifacts/.

Outside CI the tests skip when Chromium or Playwright is missing; in CI (.ci/run installs Chromium)
they must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forecast.ingest.importer import import_file
from forecast.jobs.assess_plan import run_and_report
from forecast.report.pdf import find_browser
from forecast.store import Store
from forecast.targets.plans import load_plan
from forecast.workspace import Workspace
from tests.conftest import DATA

from .test_report_output import hostile  # noqa: F401  (the fixture)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TITLE_ZH = "目标可达性评估报告"


def _browser() -> str:
    browser = find_browser()
    try:
        import playwright  # noqa: F401
    except ImportError:
        browser = None
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Chromium (Debian package chromium) and playwright")
        pytest.skip("needs Chromium (Debian package chromium) and playwright")
    return browser


@pytest.fixture(scope="module")
def page_factory():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = p.chromium.launch(executable_path=_browser(), args=args)

        def open_page(path: Path):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.problems = []
            page.dialogs = []
            page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page.problems.append(str(e)))
            page.on("requestfailed", lambda r: page.problems.append(f"request failed: {r.url}"))
            page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")
            return page

        yield open_page
        browser.close()


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    """The demo's municipal plan (Jiangyou stand-ins) replayed as of 2016, as `forecast demo` writes it."""
    _browser()
    ws = Workspace(tmp_path_factory.mktemp("browser") / "ws").ensure()
    store = Store(ws.db_url)
    for i, path in enumerate(sorted((DATA / "observations").glob("*.csv"))):
        import_file(store, path, DATA / "indicators.yaml" if i == 0 else None)
    plan = load_plan(DATA / "plans" / "jiangyou_2020.yaml")
    store.save_plan(plan)
    outcome = run_and_report(ws, store, plan.id, as_of="2016", track=False)
    return next(p for p in outcome.reports if p.suffix == ".html")


def test_demo_report_renders_in_chromium(page_factory, demo_report):
    page = page_factory(demo_report)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert page.problems == []
    assert page.evaluate("document.documentElement.scrollHeight") > 3000
    assert page.text_content("h1") == TITLE_ZH and TITLE_ZH in page.title()
    assert page.text_content("#as-of") == "2016-12-31"
    # The first screen (1280 × 900) holds the as-of date, the data vintage, the early-warning (预警) list
    # and the binding targets at risk.
    for selector in ("#as-of", "#vintage", "#early-warning-list", "#binding-at-risk"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, selector
    assert "工业产品监督抽查合格率" in page.text_content("#binding-at-risk")
    assert "工业产品监督抽查合格率" in page.text_content("#early-warning-list")
    # Three targets have a forecast or an outcome to draw; every chart is laid out at full size, its
    # bands and lines drawn, its Chinese in the embedded font.
    charts = page.eval_on_selector_all(
        "svg.chart",
        """svgs => svgs.map(s => [s.getBoundingClientRect().width, s.querySelectorAll('polygon, polyline').length,
                                getComputedStyle(s.querySelector('text')).fontFamily])""",
    )
    assert len(charts) == 3 and all(width > 500 and marks >= 2 for width, marks, _ in charts)
    assert all(family.startswith('"Report CJK"') for _, _, family in charts)
    # Chinese text is drawn with the embedded font, so the page looks the same without system CJK fonts.
    assert page.evaluate("document.fonts.check('16px \"Report CJK\"', '目标')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Report CJK') && f.status === 'loaded')")
    assert shot.stat().st_size > 50_000


def test_targets_table_sorts_by_a_click(page_factory, demo_report):
    page = page_factory(demo_report)
    first = lambda: page.text_content("#targets-table tbody tr:first-child td:nth-child(2)").strip()  # noqa: E731
    assert first() == "城区PM2.5年均浓度"  # most at risk first (P 0.33; the spot-check pass rate 0.41)
    page.click("#targets-table th:nth-child(5)")  # P(met), now descending
    assert first() == "食品药品抽检合格率"  # the most likely of the three
    assert page.problems == []


def test_hostile_names_do_not_run_in_the_browser(page_factory, hostile, tmp_path):  # noqa: F811
    from forecast.report import build_report, write_report

    store, run, _ = hostile
    (path,) = write_report(build_report(store, run.run_id), tmp_path, ("html",))
    page = page_factory(path)
    assert page.dialogs == [] and page.problems == []
    body = page.text_content("body")
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
