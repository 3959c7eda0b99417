"""Render the demo's municipal report in every format and in headless Chromium; time each step and
save the screenshots the README shows.

Usage (from the repository root, after `make setup`; needs the Debian package `chromium`):
    .venv/bin/python experiments/report_render/render.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.report import build_report, write_report
from forecast.report.pdf import find_browser
from forecast.store import Store
from forecast.targets.plans import load_plan

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "data"
PLAN, AS_OF = "jiangyou-2020", "2016"


def timed(fn, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def screenshots(html: Path, browser: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        start = time.perf_counter()
        page.goto(html.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        load = time.perf_counter() - start
        page.screenshot(path=str(HERE / "screenshot.png"))
        page.locator("article.target").nth(1).screenshot(path=str(HERE / "screenshot_target.png"))
        height = page.evaluate("document.documentElement.scrollHeight")
        chromium.close()
    return {"load_s": load, "height_px": height, "console_errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/forecast.db")
        for i, path in enumerate(sorted((DATA / "observations").glob("*.csv"))):
            import_file(store, path, DATA / "indicators.yaml" if i == 0 else None)
        store.save_plan(load_plan(DATA / "plans" / "jiangyou_2020.yaml"))
        run = run_plan(store, PLAN, as_of=AS_OF)
        save_run(store, run)
        rows = []
        for lang in ("zh", "en"):
            report, build_s = timed(lambda: build_report(store, run.run_id, lang=lang), args.repeats)
            for fmt in ("html", "md", "xlsx", "pdf"):
                (path,), write_s = timed(lambda: write_report(report, Path(tmp) / "out", (fmt,)), args.repeats)
                extra = ""
                if fmt == "pdf":
                    pages = len(re.findall(rb"/Type /Page\b", path.read_bytes()))
                    extra = f"{pages} A4 pages"
                rows.append((lang, fmt, build_s, write_s, path.stat().st_size / 1024, extra))
            if lang == "zh":
                shot = screenshots(Path(tmp) / "out" / f"{PLAN}-{run.run_id}.zh.html", browser)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"Chromium: {browser}"
    )
    print("\n| lang | format | build s | write s | size KiB | note |\n|---|---|---:|---:|---:|---|")
    for lang, fmt, b, w, kib, extra in rows:
        print(f"| {lang} | {fmt} | {b:.2f} | {w:.2f} | {kib:.0f} | {extra} |")
    print(
        f"\nChromium: page loaded with fonts in {shot['load_s']:.2f} s, {shot['height_px']} px tall, "
        f"{shot['console_errors']} console errors; screenshots in {HERE.name}/"
    )


if __name__ == "__main__":
    main()
