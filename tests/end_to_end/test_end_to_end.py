"""The demo on the real bundled data, end to end: store, report and MLflow must tell the same story."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.report.wording import note
from forecast.store import Store
from forecast.tracking import find_run
from forecast.workspace import Workspace
from tests.conftest import DATA


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = Workspace(tmp_path_factory.mktemp("demo") / "ws")
    result = CliRunner().invoke(app, ["--workspace", str(ws.root), "demo", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    return ws, Store(ws.ensure().db_url), result.output


def _runs(store, plan_id):
    return {str(r["as_of"])[:4]: r for r in store.runs(plan_id)}


def _by_target(store, run):
    return {a["target_id"]: a for a in store.assessments(run["id"])}


def test_demo_prints_where_reports_are(demo):
    ws, store, output = demo
    reports = re.findall(r"report: (\S+)", output)
    assert len(reports) == 14  # seven runs, HTML and Markdown each
    assert re.search(r"\d+ target\(s\): no series linked \(listed in the report\)", output)
    assert all(path.startswith(str(ws.reports_dir)) for path in reports)


def test_demo_summarises_the_replay_set_live_and_says_it_is_a_subset(demo):
    ws, store, output = demo
    head = next(line for line in output.splitlines() if line.startswith("replay set ("))
    n_all, n_live = map(int, re.search(r": (\d+) real targets .* replayed live here: (\d+) of them", head).groups())
    assert n_all >= 40 and 0 < n_live < n_all and "experiments/replays/RESULTS.md" in head
    summary = next(line for line in output.splitlines() if line.startswith("all replayed: "))
    assert re.search(r"Brier service \d\.\d{3} \| CAGR rule \d\.\d{3} \| 时序进度 \d\.\d{3}", summary)
    # The replay set lives in its own store: its series never join the demo runs' pooled back-tests.
    assert (ws.root / "replays.db").exists()
    assert not any(sid.startswith("replay:") for sid in store.indicators())


def test_demo_ends_with_one_screen_overview(demo):
    _, _, output = demo
    table = output.split("binding targets at risk\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert [row.split()[:2] for row in table] == [
        ["replays", "2015-12-31"],
        ["replays", "2017-12-31"],
        ["replays", "2021-12-31"],
        ["jiangyou-2020", "2016-12-31"],
        ["xinxiang-2020", "2016-12-31"],
        ["tongling-2020", "2014-12-31"],
        ["jiangyou-2020-from-document", "2016-12-31"],
    ]
    assert "jiangyou.industrial_product_spot_check_pass_rate.2020" in table[3]


def test_replay_beijing_2017_seen_from_2015(demo):
    _, store, _ = demo
    a = _by_target(store, _runs(store, "replays")["2015"])["beijing_pm25_2017"]
    assert (a["status"], a["latest_year"], a["latest_value"], a["n_points"]) == ("forecast", 2015, 80.6, 3)
    assert a["actual"] == 58 and a["actual_met"] is True
    assert 0 <= a["probability"] < 0.5  # the 2013-2015 trend alone did not reach 60 by 2017
    assert a["interval95"][0] < a["median"] < a["interval95"][1]
    assert a["official"]["category"] in {"acceleration_needed", "limited_progress"}


def test_states_that_are_not_forecasts_are_said(demo):
    _, store, _ = demo
    replays = _runs(store, "replays")
    from_2021 = _by_target(store, replays["2021"])
    assert from_2021["beijing_pm25_2017"]["status"] == "observed"
    assert from_2021["beijing_pm25_2017"]["actual_met"] is True
    assert from_2021["cn_pm25_nonattain_2020"]["status"] == "no_series"
    assert from_2021["cn_pm25_2023_annual"]["status"] == "already_met"
    assert _by_target(store, replays["2015"])["cn_good_days_2020"]["status"] == "too_few_points"
    jiangyou = _by_target(store, _runs(store, "jiangyou-2020")["2016"])
    assert jiangyou["jiangyou.energy_intensity_reduction.2020"]["status"] == "qualitative"


def test_jiangyou_replay_against_what_happened(demo):
    _, store, _ = demo
    a = _by_target(store, _runs(store, "jiangyou-2020")["2016"])
    food = a["jiangyou.food_drug_pass_rate.2020"]
    assert (food["latest_value"], food["actual"], food["actual_met"]) == (96.8, 97.69, True)
    industrial = a["jiangyou.industrial_product_spot_check_pass_rate.2020"]
    assert (industrial["latest_value"], industrial["actual"], industrial["actual_met"]) == (91.6, 90.0, False)
    for r in (food, industrial):
        assert 0 <= r["interval95"][0] and r["interval95"][1] <= 100  # pass rates stay in bounds
    assert any("stand-in" in note(n, "en") and "替代序列" in note(n, "zh") for n in food["notes"])


def test_the_three_real_plans_run_with_every_target_accounted_for(demo):
    _, store, _ = demo
    for plan_id, as_of, n in (
        ("jiangyou-2020", "2016", 97),
        ("xinxiang-2020", "2016", 27),
        ("tongling-2020", "2014", 66),
    ):
        a = _by_target(store, _runs(store, plan_id)[as_of])
        assert len(a) == n  # nothing dropped: qualitative and unlinked targets are assessed as such
        assert {"qualitative", "no_series"} <= {r["status"] for r in a.values()}
    xinxiang = _by_target(store, _runs(store, "xinxiang-2020")["2016"])
    # "保持在95%以上" must hold in every year 2017-2020; the stand-in series ran near 91%
    assert xinxiang["xinxiang.key_product_spot_check_pass_rate.2020"]["probability"] < 0.05
    tongling = _by_target(store, _runs(store, "tongling-2020")["2014"])
    spot = tongling["tongling.industrial_product_spot_check_pass_rate.2015"]
    assert (spot["latest_value"], spot["actual"], spot["actual_met"]) == (92.3, 91.1, True)
    jiangyou = _by_target(store, _runs(store, "jiangyou-2020")["2016"])
    # the plan's table says 85, its text says 80: both statements carry the conflict
    conflict = jiangyou["jiangyou.consumer_services_satisfaction_table.2020"]["conflicts"][0]
    assert (conflict["target_id"], conflict["comparator"], conflict["value"]) == (
        "jiangyou.consumer_services_satisfaction_text.2020",
        ">=",
        80,
    )
    assert jiangyou["jiangyou.consumer_services_satisfaction_text.2020"]["conflicts"]
    pm = jiangyou["jiangyou.urban_pm25.2020"]  # monthly Chengdu stand-in: the 2020 value is the mean of monthly paths
    assert pm["status"] == "forecast" and pm["interval80"][0] < 42 < pm["interval95"][1]


def test_report_numbers_match_the_store(demo):
    ws, store, _ = demo
    run = _runs(store, "jiangyou-2020")["2016"]
    md = (ws.reports_dir / f"jiangyou-2020-{run['id']}.zh.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[2].strip(): [c.strip() for c in line.split("|")[1:-1]]
        for line in md.splitlines()
        if line.startswith("| ") and "---" not in line
    }
    a = _by_target(store, run)
    food = rows[
        "食品药品抽检合格率"
    ]  # columns: #, target, attribute, goal, P, band, official, 时序进度, latest, …, outcome
    assert food[8] == "96.8 (2016)"
    assert food[4] == f"{a['jiangyou.food_drug_pass_rate.2020']['probability']:.0%}"
    assert food[7].startswith("超前")  # 96.8 already meets 95 in 2016: ahead of the calendar
    assert food[11].startswith("97.69")
    html = (ws.reports_dir / f"jiangyou-2020-{run['id']}.zh.html").read_text(encoding="utf-8")
    assert "食品药品抽检合格率" in html and html.count('<svg class="chart"') == 3  # charts inline
    md = (ws.reports_dir / f"jiangyou-2020-{run['id']}.zh.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([^)]+\.svg)\)", md)
    assert len(linked) == 3 and all((ws.reports_dir / path).is_file() for path in linked)
    assert not re.search(r'(src|href)="(?!data:|#)', html)  # self-contained


def test_mlflow_run_matches_the_store(demo):
    ws, store, _ = demo
    run = _runs(store, "jiangyou-2020")["2016"]
    logged = find_run(ws, run["mlflow_run_id"])
    assert logged.data.params["plan"] == "jiangyou-2020"
    assert logged.data.params["as_of"] == "2016-12-31"
    assert logged.data.params["data_hash"] == run["data_hash"]
    probs = [a["probability"] for a in store.assessments(run["id"]) if a["probability"] is not None]
    assert logged.data.metrics["assessed"] == len(probs) == 3
    assert logged.data.metrics["mean_probability"] == pytest.approx(sum(probs) / len(probs))
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{ws.mlflow_db}")
    children = client.search_runs(
        [logged.info.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{logged.info.run_id}'"
    )
    # yearly indicators draw on dotm and pooled_ar, monthly ones on theta (the per-frequency default)
    assert sorted(c.data.params["model"] for c in children) == [
        "combined",
        "dotm",
        "ets_damped",
        "pooled_ar",
        "rw_drift",
        "theta",
    ]
    combined = next(c for c in children if c.data.params["model"] == "combined")
    assert 0 < combined.data.metrics["backtest_coverage80"] <= 1 and combined.data.metrics["backtest_points"] > 0
    artifacts = {f.path for f in client.list_artifacts(logged.info.run_id)}
    assert {"assessments.csv", "backtest_by_series.csv", "report"} <= artifacts


def test_demo_twice_does_not_duplicate_data(demo):
    ws, store, _ = demo
    before = store.counts()["observations"]
    result = CliRunner().invoke(app, ["--workspace", str(ws.root), "demo", "--data", str(DATA)])
    assert result.exit_code == 0 and "already imported" in result.output
    assert store.counts()["observations"] == before


def test_report_flags_the_conflicting_restatement(demo):
    ws, store, _ = demo
    run = _runs(store, "jiangyou-2020")["2016"]
    for suffix in ("zh.html", "zh.md"):
        text = (ws.reports_dir / f"jiangyou-2020-{run['id']}.{suffix}").read_text(encoding="utf-8")
        assert text.count("本规划另有不一致的表述") == 2  # the table's 85 and the text's 80, each pointing at the other
        assert "替代序列:" in text and "stand-in series:" not in text  # notes in the report's language
        assert "consumer_services_satisfaction_text.2020: ≥ 80 @ 2020" in text and " by 2020" not in text


def test_demo_goes_from_the_plan_document_to_a_report(demo):
    ws, store, output = demo
    assert "forecast plan workbook: " in output and "forecast data import: " in output
    assert (ws.root / "workbook-demo" / "江油-数据填报.xlsx").exists()
    plan = store.plan("jiangyou-2020-from-document")
    linked = [t for t in plan.targets if t.series_id]
    assert len(linked) >= 5 and all(t.stand_in for t in linked)  # typed in from national series: stand-ins
    run = _runs(store, "jiangyou-2020-from-document")["2016"]
    a = _by_target(store, run)
    food = next(t for t in linked if t.indicator == "食品药品抽检合格率")
    assert a[food.id]["status"] in ("forecast", "already_met") and a[food.id]["latest_value"] == 96.8
    md = (ws.reports_dir / f"jiangyou-2020-from-document-{run['id']}.zh.md").read_text(encoding="utf-8")
    assert "替代序列:" in md and "forecast plan workbook jiangyou-2020-from-document" in md
