"""Replays of plans with recorded outcomes: the rules beside the service, the as-of points, and three real
cases of data/replays re-run end to end through the CLI."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.jobs.replay import ReplayRow, as_of_points, brier_summary, time_progress, with_binding_shift
from forecast.schema import Plan, Target
from tests.conftest import DATA

REPLAYS = DATA / "replays"
runner = CliRunner()


def yearly(values, start):
    """Annual values indexed by year, as the assessments hold them."""
    return pd.Series([float(v) for v in values], index=range(start, start + len(values)))


def invoke(ws, *args):
    return runner.invoke(app, ["--workspace", str(ws), *map(str, args)])


def _row(**kw) -> ReplayRow:
    base = dict(
        plan_id="p",
        target_id="t",
        indicator="x",
        attribute="预期性",
        kind="air",
        target_year=2020,
        as_of="2018",
        years_ahead=2,
        status="forecast",
        probability=0.5,
        model_p_min=0.5,
        model_p_max=0.5,
        band="about_even",
        at_risk=True,
        cagr_category="on_track",
        cagr_met=True,
        progress_met=True,
        latest_year=2017,
        max_stretch=1.2,
        outcome=1.0,
        met=True,
    )
    base.update(kw)
    return ReplayRow(**base)


values = st.floats(min_value=1.0, max_value=99.0, allow_nan=False)


@given(values, values, values)
def test_time_progress_is_met_when_latest_already_meets_the_threshold(v0, latest, threshold):
    h = yearly([v0, latest], start=2015)
    if latest >= threshold:
        assert time_progress(h, ">=", threshold, 2020, 2015) is True
    if latest <= threshold:
        assert time_progress(h, "<=", threshold, 2020, 2015) is True


@given(values, values, values)
def test_time_progress_does_not_depend_on_which_way_is_better(v0, latest, threshold):
    # The same path seen as "higher is better" or, negated, as "lower is better" gets the same verdict.
    up = time_progress(yearly([v0, latest], start=2015), ">=", threshold, 2020, 2015)
    down = time_progress(yearly([-v0, -latest], start=2015), "<=", -threshold, 2020, 2015)
    assert up == down


def test_time_progress_compares_the_share_of_the_way_with_the_share_of_the_time():
    # From 60 to a target of 70 in 2015→2020: by 2017 (40% of the time) 64 is 40% of the way: on schedule.
    assert time_progress(yearly([60, 62, 64], start=2015), ">=", 70, 2020, 2015) is True
    assert time_progress(yearly([60, 61, 63.9], start=2015), ">=", 70, 2020, 2015) is False


def test_as_of_points_years_for_a_five_year_plan_and_the_issue_date_for_an_annual_one():
    t = Target(id="a", comparator=">=", value=1, year=2020, outcome=2)
    five = Plan(id="p", period=(2016, 2020), targets=[t])
    assert as_of_points(five, t) == [2016, 2017, 2018, 2019]
    t1 = Target(id="b", comparator=">=", value=1, year=2022, outcome=2)
    annual = Plan(id="q", period=(2022, 2022), issued="2022-03-05", targets=[t1])
    assert as_of_points(annual, t1) == ["2022-03-05"]
    undated = Plan(id="r", period=(2022, 2022), targets=[t1])
    assert as_of_points(undated, t1) == [2021]


def test_binding_shift_moves_only_binding_targets_and_restates_their_band():
    rows = [_row(attribute="约束性", probability=0.4), _row(attribute="预期性", probability=0.4)]
    shifted = with_binding_shift(rows, 3.0)
    assert shifted[0].probability > 0.9 and shifted[0].band == "very_likely" and shifted[0].at_risk is False
    assert shifted[1].probability == 0.4 and shifted[1].band == "about_even"
    assert rows[0].probability == 0.4  # the caller's rows are left as they were


def test_brier_summary_scores_every_method_on_the_same_rows_and_keeps_the_yardstick_out_of_its_own_plan():
    rows = [
        _row(plan_id="a", target_id="x", probability=0.9, cagr_met=False, progress_met=True, met=True),
        _row(plan_id="a", target_id="x", probability=None, cagr_met=True, progress_met=True, met=True),
        _row(plan_id="b", target_id="y", probability=0.2, cagr_met=True, progress_met=False, met=False),
    ]
    s = brier_summary(rows)
    assert s["scored"] == 2
    assert s["service"] == pytest.approx((0.1**2 + 0.2**2) / 2)
    assert s["cagr"] == pytest.approx((1 + 1) / 2) and s["progress"] == pytest.approx(0.0)
    assert s["frequency"] == pytest.approx((1 + 1) / 2)  # plan a's yardstick is plan b's frequency (0), and back
    assert "frequency" not in brier_summary(rows[:2])  # one plan: no outside yardstick


@pytest.fixture(scope="module")
def replay_ws(tmp_path_factory):
    ws = tmp_path_factory.mktemp("replay") / "ws"
    assert (
        invoke(
            ws, "data", "import", REPLAYS / "observations.csv", "--indicators", REPLAYS / "indicators.yaml"
        ).exit_code
        == 0
    )
    for name in ("cn_air10.yaml", "cn_gwr2022.yaml"):
        assert invoke(ws, "plan", "import", REPLAYS / "plans" / name).exit_code == 0
    return ws


def test_replay_reruns_three_real_cases_end_to_end(replay_ws):
    """大气十条: 京津冀 −25%, 长三角 −20%, 北京 about 60 by 2017, each as of 2013–2016 on what was
    published by then, beside the rules and the recorded outcome."""
    result = invoke(replay_ws, "replay", "replay-cn-air10", "--paths", "300")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.split()[:1] and line.split()[0].endswith("_2017")]
    assert len(lines) == 12  # 3 targets x 4 as-of years
    by_key = {(line.split()[0], line.split()[1]): line for line in lines}
    # As of 2015 only 2013 and 2014 were published for 京津冀 (2015 came out in 2016): too few for a forecast.
    assert "too_few_points" in by_key[("jjj_pm25_2017", "2015")]
    for target, outcome in (("jjj_pm25_2017", "64 met"), ("yrd_pm25_2017", "44 met"), ("beijing_pm25_2017", "58 met")):
        row = by_key[(target, "2016")]
        assert row.endswith(outcome)
        assert "%" in row.split()[3]  # a probability as of 2016
    assert "Brier service" in result.output and "CAGR rule" in result.output


def test_replay_of_an_annual_plan_uses_its_issue_date(replay_ws):
    result = invoke(replay_ws, "replay", "replay-cn-gwr2022", "--paths", "300")
    assert result.exit_code == 0, result.output
    assert "2022-03-05" in result.output and "3 missed" in result.output and "1206 met" in result.output


def test_replay_refuses_a_plan_without_outcomes(tmp_path):
    ws = tmp_path / "ws"
    assert (
        invoke(
            ws,
            "data",
            "import",
            DATA / "observations" / "china_indicators_annual.csv",
            "--indicators",
            DATA / "indicators.yaml",
        ).exit_code
        == 0
    )
    assert invoke(ws, "plan", "import", DATA / "plans" / "tongling_2020.yaml").exit_code == 0
    result = invoke(ws, "replay", "tongling-2020")
    assert result.exit_code == 1 and "records no outcome" in result.output
