"""The report in every format, on a plan whose every name is hostile: HTML and Markdown show it as
text, the workbook stores it as text (never a formula), and the content follows the plan's risks."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.report import build_report, write_report
from forecast.report.excel import FORMULA_STARTS, put, safe_text
from forecast.report.pdf import find_browser
from forecast.schema import Plan

SCRIPT = "<script>alert(1)</script>"
FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store with a plan whose names, quotes, units and sources are scripts and formulas, and one run."""
    from forecast.store import Store

    tmp = tmp_path_factory.mktemp("hostile")
    store = Store(f"sqlite:///{tmp / 'forecast.db'}")
    (tmp / "ind.yaml").write_text(
        yaml.safe_dump(
            {
                "indicators": [
                    {
                        "id": "x:rate",
                        "name_zh": SCRIPT + " $\\alpha^$",
                        "name_en": "=cmd|' /C calc'!A0",
                        "unit": "%",
                        "direction": "higher",
                        "lower": 0,
                        "upper": 100,
                        "source": SCRIPT,
                    },
                    {
                        "id": "x:pm",
                        "name_zh": "PM2.5 <b>bold</b>",
                        "unit": "µg/m³",
                        "direction": "lower",
                        "lower": 0,
                        "source": "@source",
                    },
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    rows = ["series_id,ds,y,source"]
    rows += [
        f'x:rate,{2008 + i},{v},"{SCRIPT}"' for i, v in enumerate([88.0, 89.1, 90.3, 90.2, 91.0, 91.8, 92.1, 92.9])
    ]
    rows += [f"x:pm,{2008 + i},{v},-1" for i, v in enumerate([90, 86, 85, 80, 77, 71, 66, 63])]
    (tmp / "obs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(store, tmp / "obs.csv", tmp / "ind.yaml")
    plan = Plan(
        id="hostile",
        title=SCRIPT + " 规划",
        region=FORMULAS[0],
        note=SCRIPT,
        targets=[
            {
                "id": "t.rate",
                "indicator": SCRIPT,
                "indicator_en": FORMULAS[1],
                "comparator": ">=",
                "value": 97,
                "unit": "%",
                "year": 2020,
                "attribute": "约束性",
                "quote": FORMULAS[4] + " " + SCRIPT,
                "series_id": "x:rate",
            },
            {
                "id": "t.pm",
                "indicator": FORMULAS[3],
                "indicator_en": FORMULAS[3],
                "comparator": "<=",
                "value": 70,
                "unit": "µg/m³",
                "year": 2018,
                "attribute": "预期性",
                "series_id": "x:pm",
            },
            {
                "id": "t.words",
                "indicator": FORMULAS[2],
                "comparator": "qualitative",
                "attribute": "约束性",
                "quote": SCRIPT,
            },
            {
                "id": "t.unlinked",
                "indicator": "<img src=x onerror=alert(2)>",
                "comparator": ">=",
                "value": 1,
                "year": 2020,
            },
        ],
    )
    store.save_plan(plan)
    run = run_plan(store, "hostile", as_of="2015", models=["rw_drift"], n_paths=300)
    save_run(store, run)
    return store, run, tmp


def test_html_shows_every_hostile_string_as_text(hostile, tmp_path):
    store, run, _ = hostile
    for lang in ("zh", "en"):
        (path,) = write_report(build_report(store, run.run_id, lang=lang), tmp_path, ("html",))
        html = path.read_text(encoding="utf-8")
        assert html.count("<script") == 1  # the report's own sort script, nothing from the inputs
        assert "<img src=x" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
        assert not re.search(r'(src|href)="(?!data:|#)', html)  # self-contained: nothing fetched


class _Page(HTMLParser):
    """Every element and the text of a page, as a browser's parser sees them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def built(hostile):
    store, run, _ = hostile
    return build_report(store, run.run_id, lang="en", charts=False)


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_target_name_renders_as_text(built, name):
    from forecast.report.write import render_html

    view = built.targets[0]
    baseline = _Page(render_html(built, embed_font=False)).tags
    original, view.name = view.name, name
    try:
        page = _Page(render_html(built, embed_font=False))
    finally:
        view.name = original
    assert page.tags == baseline  # the name added no element
    assert name in "".join(page.text)  # and reads exactly as given


def test_markdown_shows_hostile_strings_as_text(hostile, tmp_path):
    store, run, _ = hostile
    (path,) = write_report(build_report(store, run.run_id), tmp_path, ("md",))
    md = path.read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md and "&lt;script&gt;" in md


def test_summary_puts_binding_targets_at_risk_first_and_lists_unassessed(hostile):
    store, run, _ = hostile
    report = build_report(store, run.run_id, lang="en", charts=False)
    by_id = {v.target.id: v for v in report.targets}
    rate, pm = by_id["t.rate"], by_id["t.pm"]
    assert rate.status in ("forecast", "already_met") and rate.probability is not None
    # 92.9 in 2015, about +0.7 a year: 97 by 2020 is a stretch; PM2.5 falling ~4 a year: 70 by 2018 is met already.
    assert rate.probability < 0.66 and rate.at_risk and rate.binding
    assert [v.target.id for v in report.summary.binding_at_risk] == ["t.rate"]
    assert pm.probability is not None and pm.probability > 0.9 and not pm.at_risk
    assert [v.target.id for v in report.by_risk] == ["t.rate", "t.pm"]  # the assessed, most at risk first
    assert {v.target.id for v in report.unassessed} == {"t.words", "t.unlinked"}
    assert [(heading, [v.target.id for v in group]) for heading, group in report.unassessed_groups] == [
        ("Qualitative targets", ["t.words"]),
        ("No series linked, or the linked series is not in the store", ["t.unlinked"]),
    ]
    assert sum(n for _, _, n in report.summary.bands) == 2 and report.summary.not_assessed == 2
    assert rate.model.startswith("skill-weighted combination: rw_drift") and rate.skill
    assert rate.provenance.files == ["obs.csv"] and rate.provenance.sources == [SCRIPT]
    assert [row["year"] for row in rate.fan] == [2016, 2017, 2018, 2019, 2020]
    assert report.backtest["events"]["n"] > 0 and report.as_of == "2015-12-31"


def test_workbook_stores_input_text_as_text_never_a_formula(hostile, tmp_path):
    from openpyxl import load_workbook

    store, run, _ = hostile
    (path,) = write_report(build_report(store, run.run_id, lang="en"), tmp_path, ("xlsx",))
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    wb = load_workbook(path)
    texts = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for hostile_text in (FORMULAS[1], FORMULAS[2], FORMULAS[3], FORMULAS[4] + " " + SCRIPT, SCRIPT + " 规划"):
        assert any(hostile_text in value for value in texts), hostile_text
    for value, cell in texts.items():
        assert cell.data_type == "s"
        if value.startswith(FORMULA_STARTS):
            assert cell.quotePrefix, value
    # Sheets are named by target (number first, characters a sheet name cannot hold replaced, 31 at most).
    assert wb.sheetnames[:3] == ["summary", f"01 {FORMULAS[1]}"[:31], f"02 {FORMULAS[3]}".replace(":", "_")[:31]]
    t01 = wb.worksheets[1]
    probability = next(r[1] for r in t01.iter_rows(values_only=True) if r[0] == "P(met)")
    assert probability == pytest.approx(run.assessments[0].probability)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(FORMULA_STARTS), st.text(max_size=40))
def test_any_text_starting_like_a_formula_round_trips_as_text(tmp_path_factory, start, rest):
    from openpyxl import Workbook, load_workbook

    text = start + rest
    wb = Workbook()
    put(wb.active, 1, 1, text)
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    cell = load_workbook(path).active.cell(1, 1)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == safe_text(text)


def test_charts_take_markup_and_dollar_signs_in_names_as_text(hostile):
    store, run, _ = hostile
    report = build_report(store, run.run_id, lang="zh")  # the indicator's name holds a script and "$\alpha^$"
    charts = [v.chart_svg for v in report.assessed]
    assert charts and all(c and "<script" not in c and "<b>" not in c for c in charts)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; $\\alpha^$" in c for c in charts)


def test_unknown_format_is_refused_before_writing(hostile, tmp_path):
    store, run, _ = hostile
    with pytest.raises(ValueError, match="unknown report format 'docx'"):
        write_report(build_report(store, run.run_id, charts=False), tmp_path / "out", ("html", "docx"))
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(find_browser() is None, reason="PDF output needs Chromium (Debian package chromium)")
def test_pdf_is_a4_with_a_page_per_target(hostile, tmp_path):
    from pypdf import PdfReader

    store, run, _ = hostile
    report = build_report(store, run.run_id, lang="en")
    (path,) = write_report(report, tmp_path, ("pdf",))
    pages = PdfReader(path).pages
    assert all(
        abs(float(p.mediabox.width) - 595.3) < 1 and abs(float(p.mediabox.height) - 841.9) < 1 for p in pages
    )  # A4 in points
    starts = [p.extract_text().lstrip() for p in pages]
    assert starts[0].startswith("Target feasibility report")
    for v in report.assessed:  # every target begins a page of its own
        assert sum(s.startswith(f"{v.index}. ") for s in starts) == 1, v.target.id
    assert sum(s.startswith("Methodology") for s in starts) == 1


def test_report_command_writes_the_formats_asked(hostile):
    from typer.testing import CliRunner

    from forecast.cli.main import app

    _, run, workspace = hostile
    result = CliRunner().invoke(
        app, ["--workspace", str(workspace), "report", "--run", run.run_id, "--lang", "en", "--format", "xlsx,html"]
    )
    assert result.exit_code == 0, result.output
    paths = result.output.split()
    assert [p.rsplit(".", 2)[-2:] for p in paths] == [["en", "xlsx"], ["en", "html"]]
    bad = CliRunner().invoke(app, ["--workspace", str(workspace), "report", "--format", "docx"])
    assert bad.exit_code == 1 and "unknown report format 'docx'" in bad.output


def test_run_with_progress_keeps_the_summary_on_stdout(hostile):
    from typer.testing import CliRunner

    from forecast.cli.main import app

    _, _, workspace = hostile
    result = CliRunner().invoke(
        app,
        [
            "--workspace",
            str(workspace),
            "run",
            "hostile",
            "--as-of",
            "2015",
            "--models",
            "rw_drift",
            "--paths",
            "200",
            "--no-track",
            "--progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "by likelihood: very likely" in result.output and "report: " in result.output


def test_pdf_without_a_browser_says_what_to_install(hostile, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from forecast.cli.main import app

    _, run, workspace = hostile
    monkeypatch.setenv("FORECAST_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = CliRunner().invoke(app, ["--workspace", str(workspace), "report", "--run", run.run_id, "--format", "pdf"])
    assert result.exit_code == 1 and "cannot start" in result.output and "no-such-browser" in result.output
    assert not list((workspace / "reports").glob("*.pdf"))


def test_chart_bands_and_lines_stay_apart_in_greyscale():
    from forecast.report import charts

    def grey(hex_colour: str) -> float:  # ITU-R BT.601 luma, as a greyscale printer renders it
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    white, band95, band80 = 255.0, grey(charts.BAND95), grey(charts.BAND80)
    assert white - band95 >= 15 and band95 - band80 >= 30  # paper, 95% band and 80% band: three greys
    assert grey(charts.BLUE) < band80 - 60  # the median line stands out on the 80% band


def test_a_run_stored_without_back_test_summary_still_renders(hostile, tmp_path):
    store, run, _ = hostile
    stored = store.run(run.run_id)
    settings = {k: v for k, v in stored["settings"].items() if k not in ("backtest", "weights")}
    store.save_run(
        dict(stored, id="older-run", settings=settings), store.assessments(run.run_id), store.fans(run.run_id)
    )
    report = build_report(store, "older-run", lang="en")
    (path,) = write_report(report, tmp_path, ("html",))
    html = path.read_text(encoding="utf-8")
    assert "This run stored no back-test summary" in html
    rate = next(v for v in report.targets if v.target.id == "t.rate")
    assert rate.model == "skill-weighted combination: rw_drift" and rate.skill == []
