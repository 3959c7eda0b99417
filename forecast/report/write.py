"""Write a built report as files: HTML (one self-contained file), Markdown (charts in a folder
beside it), XLSX (see `excel`) and PDF (the HTML printed by headless Chromium, see `pdf`)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from forecast.io import write_atomic
from forecast.report.build import Report
from forecast.report.numbers import num, pct, share
from forecast.workspace import file_name

FORMATS = ("html", "md", "xlsx", "pdf")


def _markdown_text(value) -> str:
    """Markdown shows inline HTML as HTML: escape it, and keep table cells on one line."""
    text = "" if value is None else str(value)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\r", " ").replace("\n", " "))


def environment(autoescape: bool):
    from jinja2 import Environment, PackageLoader

    # Autoescape is decided here, not by file extension: "report.html.j2" does not end in ".html".
    # Markdown output goes through `_markdown_text` instead.
    env = Environment(loader=PackageLoader("forecast.report", "templates"), autoescape=autoescape,
                      finalize=None if autoescape else _markdown_text, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(pct=pct, num=num, share=share)
    return env


def render_html(report: Report, embed_font: bool = True) -> str:
    from markupsafe import Markup

    template = environment(autoescape=True).get_template("report.html.j2")
    html = template.render(r=report, t=report.text, font_css="")
    if not embed_font:
        return html
    from forecast.report.fonts import font_face_css

    return template.render(r=report, t=report.text, font_css=Markup(font_face_css(html)))


def render_markdown(report: Report, chart_dir: str) -> str:
    return environment(autoescape=False).get_template("report.md.j2").render(
        r=report, t=report.text, chart_dir=chart_dir)


def write_report(report: Report, out_dir: Path, formats: tuple[str, ...] = ("html", "md")) -> list[Path]:
    """Write the report in each format; returns the paths written, in the order asked."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}: use {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_id: str = report.plan.id  # type: ignore[attr-defined]  # Report.plan is a Plan
    stem = file_name(plan_id, report.run["id"], suffix=f".{report.lang}")  # checked ids: the stem stays in out_dir
    written = []
    html: Optional[str] = None
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        if fmt in ("html", "pdf") and html is None:
            html = render_html(report)
        if fmt == "html":
            write_atomic(path, html)
        elif fmt == "md":
            chart_dir = out_dir / f"{stem}_charts"
            chart_dir.mkdir(exist_ok=True)
            for v in report.targets:
                if v.chart_png:
                    write_atomic(chart_dir / f"{v.index:03d}.png", v.chart_png)
            write_atomic(path, render_markdown(report, chart_dir.name))
        elif fmt == "xlsx":
            from forecast.report.excel import write_workbook

            write_workbook(report, path)
        elif fmt == "pdf":
            from forecast.report.pdf import html_to_pdf

            html_to_pdf(html, path)
        written.append(path)
    return written
