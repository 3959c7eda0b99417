"""Write a built report as files: HTML (one file; the CJK font it links is shared by every page of the
folder, see `fonts`), Markdown (charts in a folder beside it), XLSX (see `excel`) and PDF (the HTML,
with its font inline, printed by headless Chromium, see `pdf`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from forecast.io import write_atomic
from forecast.report.numbers import num, pct, share
from forecast.report.views import Report
from forecast.workspace import file_name

FORMATS = ("html", "md", "xlsx", "pdf")


def _markdown_text(value) -> str:
    """Markdown shows inline HTML as HTML: escape it, and keep table cells on one line."""
    text = "" if value is None else str(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def environment(autoescape: bool):
    from jinja2 import Environment, PackageLoader

    # Autoescape is decided here, not by file extension: "report.html.j2" does not end in ".html".
    # Markdown output goes through `_markdown_text` instead.
    env = Environment(
        loader=PackageLoader("forecast.report", "templates"),
        autoescape=autoescape,
        finalize=None if autoescape else _markdown_text,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, num=num, share=share)
    return env


def render_html(report: Report, embed_font: bool = True, font_url: Optional[str] = None) -> str:
    """The page; `font_url` (relative to the page) links the folder's shared font file, else the font
    subset of the page's characters is embedded (`embed_font`) or left out."""
    from markupsafe import Markup

    template = environment(autoescape=True).get_template("report.html.j2")
    html = template.render(r=report, t=report.text, font_css="")
    if not embed_font and font_url is None:
        return html
    from forecast.report.fonts import font_face_css, linked_font_css

    css = linked_font_css(html, font_url) if font_url is not None else font_face_css(html)
    return template.render(r=report, t=report.text, font_css=Markup(css))


def shared_font_url(out_dir: Path) -> str:
    """The folder's shared font file (written if missing), as the URL its pages use."""
    from forecast.report.fonts import ensure_shared_font

    return ensure_shared_font(out_dir).relative_to(out_dir).as_posix()


def render_markdown(report: Report, chart_dir: str) -> str:
    return (
        environment(autoescape=False).get_template("report.md.j2").render(r=report, t=report.text, chart_dir=chart_dir)
    )


def write_report(
    report: Report, out_dir: Path, formats: tuple[str, ...] = ("html", "md"), by: Optional[str] = None
) -> list[Path]:
    """Write the report in each format; returns the paths written, in the order asked.

    `by` ("region", "concept") writes one part per group and an index page that links them, under
    the name the single page would have had (see `groups`); a plan of more than `GROUP_ABOVE` targets
    is written in parts without asking.
    """
    from forecast.report.groups import grouping_for

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}: use {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_id: str = report.plan.id  # Report.plan is a Plan
    stem = file_name(plan_id, report.run["id"], suffix=f".{report.lang}")  # checked ids: the stem stays in out_dir
    grouping = grouping_for(report, by)
    if grouping is None:
        return _write_one(report, out_dir, formats, stem)
    return _write_parts(report, out_dir, formats, stem, grouping)


def _write_parts(report: Report, out_dir: Path, formats: tuple[str, ...], stem: str, grouping: str) -> list[Path]:
    """Every part in every format, then the index (HTML and Markdown, as asked) that links them."""
    from forecast.report.groups import part_stem, split

    parts, written = [], []
    for number, (name, part) in enumerate(split(report, grouping), start=1):
        paths = _write_one(part, out_dir, formats, part_stem(stem, number, name))
        written += paths
        parts.append((name, part, {p.suffix: p.name for p in paths}))
    index = []
    for fmt, template in (("html", "index.html.j2"), ("md", "index.md.j2")):
        if fmt not in formats:
            continue
        env = environment(autoescape=fmt == "html")
        rows = [(name, links.get(f".{fmt}", ""), part) for name, part, links in parts]
        render = env.get_template(template).render
        text = render(r=report, t=report.text, parts=rows, by=grouping, font_css="")
        if fmt == "html":
            from markupsafe import Markup

            from forecast.report.fonts import linked_font_css

            text = render(
                r=report,
                t=report.text,
                parts=rows,
                by=grouping,
                font_css=Markup(linked_font_css(text, shared_font_url(out_dir))),
            )
        path = out_dir / f"{stem}.{fmt}"
        write_atomic(path, text)
        index.append(path)
    return written + index  # the parts first: the index never links a page not yet there


def _write_one(report: Report, out_dir: Path, formats: tuple[str, ...], stem: str) -> list[Path]:
    written = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        if fmt == "html":
            write_atomic(path, render_html(report, font_url=shared_font_url(out_dir)))
        elif fmt == "md":
            chart_dir = out_dir / f"{stem}_charts"
            chart_dir.mkdir(exist_ok=True)
            for v in report.targets:
                if v.chart_svg:
                    write_atomic(chart_dir / f"{v.index:03d}.svg", v.chart_svg)
            write_atomic(path, render_markdown(report, chart_dir.name))
        elif fmt == "xlsx":
            from forecast.report.excel import write_workbook

            write_workbook(report, path)
        elif fmt == "pdf":
            from forecast.report.pdf import html_to_pdf

            html_to_pdf(render_html(report), path)  # printed from a temporary folder: the font inline
        written.append(path)
    return written
