"""Every word of an assessment is right: each case a new user found wrong, through `forecast run` and
the report it writes (issue 12)."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from typer.testing import CliRunner

from forecast.cli.main import app

runner = CliRunner()

INDICATORS = [
    {
        "id": "x:rate",
        "name_zh": "合格率",
        "name_en": "pass rate",
        "unit": "%",
        "direction": "higher",
        "lower": 0,
        "upper": 100,
    },
    {
        "id": "x:pm",
        "name_zh": "城区PM2.5年均浓度",
        "name_en": "PM2.5",
        "unit": "µg/m³",
        "direction": "lower",
        "lower": 0,
        "concept": "pm25",
        "region": "city",
    },
    {
        "id": "x:pm_monthly_mean",
        "name_zh": "城区PM2.5(月均值的年均)",
        "name_en": "PM2.5 from monthly means",
        "unit": "µg/m³",
        "direction": "lower",
        "lower": 0,
        "concept": "pm25",
        "region": "city",
    },
    {"id": "x:short", "unit": "%", "direction": "higher", "lower": 0, "upper": 100},
    {"id": "x:tiny", "unit": "%", "direction": "higher", "lower": 0, "upper": 100},
    {"id": "x:old", "unit": "%", "direction": "higher", "lower": 0, "upper": 100},
]
RATE = {2012: 88.0, 2013: 88.6, 2014: 89.1, 2015: 90.2, 2016: 90.5, 2017: 90.8, 2018: 89.7, 2019: 90.4, 2020: 90.0}
PM = {2014: 70.0, 2015: 66.0, 2016: 61.0, 2017: 55.0, 2018: 50.0, 2019: 46.0, 2020: 38.9}
PM_OTHER = {2014: 72.0, 2015: 69.0, 2016: 64.0, 2017: 60.0, 2018: 55.0, 2019: 50.0, 2020: 47.5}
SHORT = {2010: 50.0, 2012: 52.0}  # two observations around a gap: the filled year is not a third
TINY = {2019: 40.0, 2020: 41.0}  # two observations: too few
OLD = {y: 50.0 + y - 2010 for y in range(2010, 2017)}  # stops in 2016

TARGETS = [
    # Held every year of the 2016-2020 period, but 2018 was 89.7: missed, although 2020 is 90.
    {
        "id": "hold_past",
        "indicator": "合格率保持",
        "indicator_en": "pass rate held",
        "comparator": "maintain>=",
        "value": 90,
        "unit": "%",
        "year": 2020,
        "series_id": "x:rate",
        "attribute": "约束性",
    },
    # Held to 2030: 2018 already failed it, so no forecast can make it met.
    {
        "id": "hold_future",
        "indicator": "合格率长期保持",
        "indicator_en": "pass rate held to 2030",
        "comparator": "maintain>=",
        "value": 90,
        "unit": "%",
        "year": 2030,
        "series_id": "x:rate",
        "attribute": "约束性",
    },
    # Latest value (2020: 90) meets 89; what is uncertain is holding it each year to 2030.
    {
        "id": "hold_low",
        "indicator": "合格率保持较低线",
        "indicator_en": "pass rate held above 89",
        "comparator": "maintain>=",
        "value": 89,
        "unit": "%",
        "year": 2030,
        "series_id": "x:rate",
        "base_year": 2020,
    },
    # A cut already achieved: no "required +x%/yr".
    {
        "id": "pm_cut",
        "indicator": "城区pm2.5年均浓度",
        "indicator_en": "urban pm2.5",
        "comparator": "reduce_by_pct",
        "value": 10,
        "unit": "%",
        "year": 2030,
        "base_year": 2015,
        "series_id": "x:pm",
        "attribute": "约束性",
    },
    # The annual series says 38.9 (met); the other series of the same concept and region says 47.5 (not met).
    {
        "id": "pm_level",
        "indicator": "城区PM2.5",
        "indicator_en": "urban PM2.5",
        "comparator": "<=",
        "value": 45,
        "unit": "µg/m³",
        "year": 2030,
        "series_id": "x:pm_monthly_mean",
    },
    {
        "id": "before_data",
        "indicator": "合格率2010",
        "indicator_en": "pass rate in 2010",
        "comparator": ">=",
        "value": 80,
        "unit": "%",
        "year": 2010,
        "series_id": "x:rate",
    },
    {
        "id": "short",
        "indicator": "短序列",
        "indicator_en": "short series",
        "comparator": ">=",
        "value": 60,
        "unit": "%",
        "year": 2030,
        "series_id": "x:short",
    },
    {"id": "unlinked", "indicator": "未关联", "indicator_en": "unlinked", "comparator": ">=", "value": 1, "year": 2030},
    {
        "id": "not_stored",
        "indicator": "库中无",
        "indicator_en": "not stored",
        "comparator": ">=",
        "value": 1,
        "year": 2030,
        "series_id": "x:nowhere",
    },
    {"id": "words", "indicator": "定性", "indicator_en": "qualitative", "comparator": "qualitative"},
    # A 2020 target, run on the latest data today, from data that stops in 2016: a forecast, and stale.
    {
        "id": "old",
        "indicator": "旧数据",
        "indicator_en": "old data",
        "comparator": ">=",
        "value": 60,
        "unit": "%",
        "year": 2020,
        "series_id": "x:old",
    },
    {
        "id": "tiny",
        "indicator": "两年数据",
        "indicator_en": "two years of data",
        "comparator": ">=",
        "value": 50,
        "unit": "%",
        "year": 2030,
        "series_id": "x:tiny",
    },
]


def _rows(sid: str, values: dict) -> str:
    return "".join(f"{sid},{y},{v}\n" for y, v in values.items())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wording")
    ws = tmp / "ws"
    (tmp / "ind.yaml").write_text(yaml.safe_dump({"indicators": INDICATORS}, allow_unicode=True), encoding="utf-8")
    (tmp / "obs.csv").write_text(
        "series_id,ds,y\n"
        + _rows("x:rate", RATE)
        + _rows("x:pm", PM)
        + _rows("x:pm_monthly_mean", PM_OTHER)
        + _rows("x:short", SHORT)
        + _rows("x:old", OLD)
        + _rows("x:tiny", TINY),
        encoding="utf-8",
    )
    (tmp / "plan.yaml").write_text(
        yaml.safe_dump(
            {"id": "p", "plan_title": "测试规划", "period": [2016, 2020], "targets": TARGETS}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    for args in (
        ["data", "import", tmp / "obs.csv", "--indicators", tmp / "ind.yaml"],
        ["plan", "import", tmp / "plan.yaml"],
    ):
        result = runner.invoke(app, ["--workspace", str(ws), *map(str, args)])
        assert result.exit_code == 0, result.output
    runs = {}
    for lang in ("en", "zh"):
        result = runner.invoke(
            app,
            [
                "--workspace",
                str(ws),
                "run",
                "p",
                "--paths",
                "400",
                "--no-track",
                "--models",
                "rw_drift,theta",
                "--lang",
                lang,
            ],
        )
        assert result.exit_code == 0, result.output
        reports = [line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith("report: ")]
        html = next(p for p in reports if p.endswith(".html"))
        md = next(p for p in reports if p.endswith(".md"))
        runs[lang] = {
            "cli": result.output,
            "html": open(html, encoding="utf-8").read(),
            "md": open(md, encoding="utf-8").read(),
        }
    return ws, runs


def _line(cli: str, target_id: str) -> str:
    return next(line for line in cli.splitlines() if line.strip().startswith(target_id + " "))


def test_a_maintain_target_that_failed_in_an_observed_year_is_missed(workspace):
    _, runs = workspace
    en, zh = runs["en"], runs["zh"]
    past = _line(en["cli"], "hold_past")
    assert "not met" in past and "but 89.7 in 2018 broke it" in past
    future = _line(en["cli"], "hold_future")
    assert "it was 89.7 in 2018: missed, whatever the forecast says" in future and "  0%  " in future
    assert "2018 年实际为 89.7,已被打破" in zh["html"] and "无论此后预测如何,均未达成" in zh["html"]
    headline = re.search(r'<span class="p ">(.*?)</span>\s*<span>保持目标要求 2016–2030', zh["html"])
    assert headline and headline.group(1) == "89.7 (未达成)"  # the outcome, not a probability dash
    # Both count as missed, and both are binding: on the early-warning list.
    assert "observed missed 2" in en["cli"]
    assert re.search(r"early warning \(binding targets at risk or behind schedule\): .*hold_past", en["cli"])
    assert "hold_future" in en["cli"].split("early warning")[1].splitlines()[0]


def test_already_met_says_what_is_met_and_what_is_at_risk(workspace):
    _, runs = workspace
    line = _line(runs["en"]["cli"], "hold_low")
    assert "the latest value meets it (90 in 2020); P(held at ≥ 89 every year 2021–2030)" in line
    assert "最新值已达标(2020年 90);需逐年保持,2021–2030年逐年保持≥ 89的概率" in runs["zh"]["html"]


def test_an_achieved_cut_demands_no_change_and_names_are_spelt_as_the_plan(workspace):
    _, runs = workspace
    html = runs["zh"]["html"]
    section = html[html.index('id="t4"') : html.index('id="t5"')]
    assert "城区PM2.5年均浓度" in section and "城区pm2.5" not in section  # the plan's own spelling
    assert re.search(r"<dt>所需年均变化</dt><dd>—</dd>", section) and "<dt>所需年度变化</dt><dd>—</dd>" in section
    assert "+" not in re.search(r"<dt>所需年均变化</dt><dd>(.*?)</dd>", section).group(1)


def test_a_target_year_before_the_data_is_said_so(workspace):
    _, runs = workspace
    assert (
        "the target year 2010 is before the data starts (2012): nothing to compare" in runs["en"]["cli"]
        or "before the data starts (2012)" in runs["en"]["html"]
    )
    assert "目标年 2010 年早于数据起始年(2012年)" in runs["zh"]["html"]
    assert "within the data but not observed" not in runs["en"]["html"]


def test_stale_data_is_warned_and_import_dates_are_explained(workspace):
    _, runs = workspace
    line_index = runs["en"]["cli"].splitlines().index(_line(runs["en"]["cli"], "old"))
    warning = runs["en"]["cli"].splitlines()[line_index + 1]
    assert re.search(
        r"warning: stale data: the target year 2020 has passed \(as of 20\d\d\) but the latest data is "
        r"from 2016; this is a forecast, not the outcome",
        warning,
    )
    assert "数据陈旧:目标年 2020 年已过" in runs["zh"]["html"]
    assert "stale data" not in _line(runs["en"]["cli"], "pm_cut")  # targets still ahead carry no such warning
    # The vintage of a file without publication dates is its import date, and says of which values.
    assert "导入日期:截至 最新数据 已知的数值在这一天导入" in runs["zh"]["html"]
    assert "import date: the values known by latest data were imported that day" in runs["en"]["html"]


def test_a_filled_gap_is_not_counted_as_an_observation(workspace):
    from forecast.store import Store

    ws, runs = workspace
    # 2010 and 2012 observed, 2011 filled for the models: forecast on three points, two of them data.
    store = Store(f"sqlite:///{ws / 'forecast.db'}")
    run = store.run(plan_id="p")
    short = next(r for r in store.assessments(run["id"]) if r["target_id"] == "short")
    assert short["n_points"] == 2
    assert "gaps filled by interpolation for the models: 2011 (not counted as observations)" in runs["en"]["html"]
    assert "2 observation(s); at least 3 are needed" in _line(runs["en"]["cli"], "tiny")
    skipped = [line for line in runs["en"]["cli"].splitlines() if line.strip().startswith("x:short:")]
    assert all(line.endswith("(2 observed, 1 filled)") for line in skipped)  # a model's "has N points" explained
    store.engine.dispose()


def test_two_series_of_one_concept_and_region_that_disagree_are_flagged(workspace):
    _, runs = workspace
    line_index = runs["en"]["cli"].splitlines().index(_line(runs["en"]["cli"], "pm_level"))
    warning = runs["en"]["cli"].splitlines()[line_index + 1]
    assert (
        "warning: another series of the same indicator and region, x:pm, answers differently: 38.9 in 2020" in warning
    )
    assert "同一指标、同一地区的另一序列 x:pm 给出不同答案" in runs["zh"]["html"]


def test_no_series_reads_the_same_in_the_cli_and_the_report(workspace):
    _, runs = workspace
    en = runs["en"]
    assert "1 target(s): no series linked (listed in the report)" in en["cli"]
    assert "1 target(s): the linked series x:nowhere is not in the store (listed in the report)" in en["cli"]
    for words in ("no series linked", "the linked series x:nowhere is not in the store"):
        assert words in en["html"]
    assert "关联的序列 x:nowhere 不在数据库中" in runs["zh"]["html"]


def test_no_internal_code_and_no_two_target_columns(workspace):
    _, runs = workspace
    en = runs["en"]["html"]
    header = re.search(r'<table class="sortable" id="targets-table">\s*<thead><tr>(.*?)</tr></thead>', en, re.S).group(
        1
    )
    headings = re.findall(r"<th[^>]*>(.*?)</th>", header)
    assert headings.count("Target") == 1 and "Target value" in headings
    for code in ("about_even", "very_likely", "very_unlikely", "already_met", "too_few_points"):
        shown = re.sub(r'class="[^"]*"', "", re.sub(r"<style>.*?</style>", "", en, flags=re.S))
        assert code not in shown and code not in runs["en"]["cli"]


def test_layout_early_warning_first_assessed_then_unassessed_by_why(workspace):
    _, runs = workspace
    html = runs["zh"]["html"]
    assert html.index('id="early-warning"') < html.index('id="summary"') < html.index('id="all-targets"')
    warned = html[html.index('id="early-warning-list"') : html.index("</ol>", html.index('id="early-warning-list"'))]
    assert "合格率保持" in warned and "定性" not in warned
    table = html[html.index('id="targets-table"') : html.index("</table>", html.index('id="targets-table"'))]
    assert "未关联" not in table and "定性" not in table  # the unassessed have their own section
    unassessed = html[html.index('id="unassessed"') : html.index('id="appendix"')]
    assert [h for h in re.findall(r"<h3>(.*?) \(\d+\)</h3>", unassessed)] == [
        "定性目标",
        "未关联数据或数据库中无此序列",
        "数据不足",
        "其他原因",
    ]
    assert 'class="attr"' in table and "td.attr, th.attr { white-space: nowrap; }" in html
    assert "时序进度" in table and 'id="method-progress"' in html


def test_combined_probability_that_differs_from_the_models_is_explained(workspace):
    from forecast.report import build_report
    from forecast.store import Store

    ws, runs = workspace
    store = Store(f"sqlite:///{ws / 'forecast.db'}")
    report = build_report(store, plan_id="p", lang="en", charts=False)
    weights = report.run["settings"]["weights"]
    checked = 0
    for v in report.targets:
        w = weights.get(v.target.series_id or "")
        own = {m: q for m, q in (v.result.get("by_model") or {}).items() if isinstance(q, float) and m in (w or {})}
        if v.status not in ("forecast", "already_met") or not own:
            continue
        raw = sum(w[m] * q for m, q in own.items()) / sum(w[m] for m in own)
        differs = abs(raw - v.probability) >= 0.05
        assert bool(v.why_combined) == differs, (v.target.id, raw, v.probability)
        if differs:
            assert "calibrated on back-tests" in v.why_combined and v.why_combined in html.unescape(runs["en"]["html"])
        checked += 1
    assert checked >= 3
    store.engine.dispose()


def test_chart_titles_do_not_repeat_the_name_and_the_workbook_speaks_the_same_words(workspace, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from forecast.report import build, build_report, write_report
    from forecast.store import Store

    ws, _ = workspace
    titles = []
    monkeypatch.setattr(build, "fan_chart_svg", lambda key, **args: titles.append(args["title"]) or "")
    store = Store(f"sqlite:///{ws / 'forecast.db'}")
    build_report(store, plan_id="p", lang="zh")
    assert titles and all(" — " not in t or t.split(" — ")[0] != t.split(" — ")[1] for t in titles)
    assert "城区PM2.5年均浓度" in titles  # target and series share the name: said once
    (path,) = write_report(build_report(store, plan_id="p", lang="en", charts=False), tmp_path, ("xlsx",))
    wb = load_workbook(path)
    cells = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Early warning" in cells and "Time-elapsed progress" in cells
    assert any(c.startswith("behind schedule") or c.startswith("on schedule") or c.startswith("ahead") for c in cells)
    assert any(name.endswith("pass rate held") for name in wb.sheetnames)  # sheets named by target
    store.engine.dispose()


def test_the_english_first_screen_has_the_early_warning_list(workspace):
    _, runs = workspace
    en = runs["en"]["html"]
    assert en.index('id="early-warning"') < en.index('id="summary"')
    assert (
        "<h2>Early warning</h2>" in en
        and "pass rate held" in en[en.index('id="early-warning-list"') : en.index('id="summary"')]
    )
