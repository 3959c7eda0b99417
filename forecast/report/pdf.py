"""Print the HTML report to PDF with headless Chromium (Debian package `chromium`).

The page size (A4) and the page break before every target come from the report's print CSS, so the
PDF is what the browser's own "print" gives a planner.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

BROWSER_ENV = "FORECAST_CHROMIUM"  # a browser binary to use instead of the one found on PATH
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> Optional[str]:
    if os.environ.get(BROWSER_ENV):
        return os.environ[BROWSER_ENV]
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def browser_args(browser: str, profile: str) -> list[str]:
    args = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return args


def html_to_pdf(html: str, out: Path, timeout: float = 120) -> Path:
    browser = find_browser()
    if browser is None:
        raise RuntimeError(
            f"PDF output needs Chromium: install the Debian package `chromium` "
            f"(apt-get install chromium) or set {BROWSER_ENV} to a Chrome/Chromium binary"
        )
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="forecast-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        part = Path(tmp) / "report.pdf"
        cmd = browser_args(browser, str(Path(tmp) / "profile")) + [
            "--no-pdf-header-footer",
            f"--print-to-pdf={part}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{browser} did not finish printing within {timeout:.0f} s") from None
        except OSError as exc:
            raise RuntimeError(f"cannot start {browser} to print the PDF: {exc.strerror or exc}") from None
        if not part.exists() or part.stat().st_size == 0:
            raise RuntimeError(f"{browser} wrote no PDF (exit {done.returncode}): {done.stderr.strip()[-500:]}")
        shutil.move(str(part), out)  # whole or not at all
    return out
