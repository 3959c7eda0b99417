"""Reports at province scale: one shared font file per report folder, a plan in parts (one per
region) with an index page linking every part."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from typer.testing import CliRunner

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan, save_run
from forecast.report import build_report, fonts, groups, write_report
from forecast.schema import Plan

REGIONS = ("江油市", "平武县", "北川羌族自治县")
RARE = "䶮"  # CJK extension A: outside the shared set, so it travels inline in the page that uses it


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A store with one plan whose targets lie in three counties (two series each), and one run."""
    from forecast.store import Store
    from forecast.workspace import Workspace

    tmp = tmp_path_factory.mktemp("province")
    store = Store(Workspace(tmp / "ws").ensure().db_url)
    indicators, rows, targets = [], ["series_id,ds,y"], []
    for r, region in enumerate(REGIONS):
        for k in range(2):
            sid = f"r{r}:s{k}"
            indicators.append(
                {
                    "id": sid,
                    "name_zh": f"{region}指标{k}",
                    "unit": "%",
                    "direction": "higher",
                    "lower": 0,
                    "upper": 100,
                    "region": region,
                    "concept": f"concept{k}",
                }
            )
            rows += [f"{sid},{2010 + i},{60 + r + k + 1.5 * i + (i % 3) * 0.4}" for i in range(9)]
            name = f"{region}{RARE}指标{k}" if r == 0 and k == 0 else f"{region}指标{k}"
            targets.append(
                {
                    "id": f"t{r}{k}",
                    "indicator": name,
                    "comparator": ">=",
                    "value": 80 + r,
                    "unit": "%",
                    "year": 2022,
                    "series_id": sid,
                }
            )
    (tmp / "ind.yaml").write_text(yaml.safe_dump({"indicators": indicators}, allow_unicode=True), encoding="utf-8")
    (tmp / "obs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(store, tmp / "obs.csv", tmp / "ind.yaml")
    store.save_plan(Plan(id="province", title="省级规划", region="四川省", targets=targets))
    run = run_plan(store, "province", models=["rw_drift"], n_paths=200)
    save_run(store, run)
    return store, run, tmp


class _Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _font_urls(html: str) -> list[str]:
    return re.findall(r'url\("([^"]+\.woff)"\)', html)


def test_every_page_of_a_folder_links_one_font_file(province, tmp_path):
    store, run, _ = province
    pages = [
        p
        for lang in ("zh", "en")
        for p in write_report(build_report(store, run.run_id, lang=lang, charts=False), tmp_path, ("html",))
    ]
    pages += write_report(build_report(store, run.run_id, lang="zh", charts=False), tmp_path, ("html",), by="region")
    files = list((tmp_path / fonts.FONT_DIR).iterdir())
    assert len(files) == 1 and files[0].name == fonts.shared_font_name()
    assert len(pages) == 2 + len(REGIONS) + 1  # two whole reports, three parts, an index
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _font_urls(html) == [f"{fonts.FONT_DIR}/{files[0].name}"], page.name
        assert (tmp_path / _font_urls(html)[0]).is_file()
    # The shared file holds the characters of every page but the rare one, and no page repeats it inline.
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(files[0])).getBestCmap()
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    used = {c for c in re.sub(r"<[^>]*>", "", text) if ord(c) > 0x7F and c.isprintable()}
    assert {c for c in used if ord(c) not in cmap} == {RARE}
    assert (
        sum("data:font/woff" in p.read_text(encoding="utf-8") for p in pages)
        == sum(RARE in p.read_text(encoding="utf-8") for p in pages)
        >= 1
    )


def test_a_rare_character_travels_inline_limited_to_itself():
    css = fonts.linked_font_css(f"目标 {RARE} 目标", "fonts/x.woff")
    first, second = css.splitlines()
    assert 'url("fonts/x.woff")' in first and "unicode-range" not in first
    assert "data:font/woff;base64," in second and f"unicode-range: U+{ord(RARE):X};" in second
    assert fonts.linked_font_css("目标 abc", "fonts/x.woff").count("@font-face") == 1


def test_by_region_writes_one_report_per_region_and_an_index_linking_each(province, tmp_path):
    store, run, _ = province
    written = write_report(
        build_report(store, run.run_id, lang="zh", charts=False), tmp_path, ("html", "md"), by="region"
    )
    index = tmp_path / f"province-{run.run_id}.zh.html"
    assert written[-2:] == [index, index.with_suffix(".md")]  # the index last: its parts exist before it
    hrefs = _Links(index.read_text(encoding="utf-8")).hrefs
    parts = [p for p in written if p.suffix == ".html" and p != index]
    assert sorted(hrefs) == sorted(p.name for p in parts) and len(parts) == len(REGIONS)
    md_index = index.with_suffix(".md").read_text(encoding="utf-8")
    assert all(f"({p.with_suffix('.md').name})" in md_index for p in parts)
    for region, part in zip(REGIONS, parts, strict=True):
        html = part.read_text(encoding="utf-8")
        assert region in index.read_text(encoding="utf-8")
        mine = {f"t{REGIONS.index(region)}{k}" for k in range(2)}
        shown = set(re.findall(r"<code>(t\d\d)</code>", html))
        assert shown == mine, region


def test_a_large_plan_is_split_without_asking(province, tmp_path, monkeypatch):
    store, run, _ = province
    report = build_report(store, run.run_id, lang="en", charts=False)
    assert groups.grouping_for(report, None) is None
    monkeypatch.setattr(groups, "GROUP_ABOVE", 4)
    assert groups.grouping_for(report, None) == "region"
    written = write_report(report, tmp_path, ("html",))
    assert len(written) == len(REGIONS) + 1
    with pytest.raises(ValueError, match="unknown grouping"):
        write_report(report, tmp_path, ("html",), by="colour")


def test_cli_report_by_region(province):
    from forecast.cli.main import app

    store, run, tmp = province
    result = CliRunner().invoke(
        app,
        [
            "--workspace",
            str(tmp / "ws"),
            "report",
            "--run",
            run.run_id,
            "--format",
            "html",
            "--by",
            "region",
        ],
    )
    assert result.exit_code == 0, result.output
    pages = [line for line in result.output.splitlines() if line.endswith(".html")]
    assert len(pages) == len(REGIONS) + 1 and all(REGIONS[0] not in p for p in pages)  # ASCII file names
    assert all((tmp / "ws" / "reports" / p.rsplit("/", 1)[-1]).is_file() for p in pages)


def test_skill_summary_in_one_pass_equals_a_series_at_a_time(province):
    """The report's per-series back-test skill, now from one grouped pass over the pooled table, is
    bit for bit what filtering the table one series at a time gave."""
    from forecast.evaluation.evidence import SKILL_METRICS, skill_summary
    from forecast.evaluation.metrics import score

    _, run, _ = province
    table, sids = run.evidence.rows(), list(run.series) + ["not-back-tested"]
    expected = {}
    for sid in sids:
        rows = table[table["series_id"] == sid]
        if len(rows):
            scores = score(rows, by=["model"], metrics=SKILL_METRICS).set_index("model")
            points = rows.groupby("model").size()
            expected[sid] = {
                m: {**{k: float(v) for k, v in row.items()}, "points": int(points[m])} for m, row in scores.iterrows()
            }
    got = skill_summary(run.evidence, sids)["series"]
    assert list(got) == list(expected) == list(run.series)
    assert repr(got) == repr(expected)  # repr: NaN compares equal to NaN, floats to the last bit


def test_plans_sharing_one_evidence_cache_summarise_the_pooled_back_tests_once(province, monkeypatch):
    """A refresh's plans share one ensemble: its pooled summary is computed once, not once per plan
    (that made a province's refresh quadratic), and every plan still stores the whole summary."""
    from forecast.evaluation.evidence import skill_summary
    from forecast.jobs import run as run_module

    store, _, _ = province
    store.save_plan(Plan(id="second", title="第二规划", targets=[{**store.plan("province").targets[0].model_dump()}]))
    calls = []
    real = run_module.pooled_skill
    monkeypatch.setattr(run_module, "pooled_skill", lambda ensemble: calls.append(1) or real(ensemble))
    cache: dict = {}
    runs = [
        run_plan(store, plan, models=["rw_drift"], n_paths=200, evidence_cache=cache) for plan in ("province", "second")
    ]
    assert len(calls) == 1
    for result in runs:
        whole = skill_summary(result.evidence, list(result.series))
        assert repr(result.settings["backtest"]) == repr(whole)
        assert list(result.settings["backtest"]) == list(whole)
    assert list(runs[1].settings["backtest"]["series"]) == [runs[1].plan.targets[0].series_id]
