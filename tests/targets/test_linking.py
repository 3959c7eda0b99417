"""Linking plan targets to series: scores that rank the right series first, and links a person confirms."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.schema import Indicator, Plan, Target
from forecast.store import Store
from forecast.targets.linking import load_dictionary, propose, similarity, with_links
from forecast.workspace import Workspace

DATA = Path(__file__).resolve().parents[2] / "data"

FOOD = Indicator(
    id="cn:food",
    name_zh="食品安全监督抽检合格率",
    unit="%",
    direction="higher",
    lower=0,
    upper=100,
    concept="food_safety_sampling_pass_rate",
    region="全国",
)
SPOT = Indicator(
    id="cn:spot",
    name_zh="产品质量国家监督抽查合格率",
    unit="%",
    direction="higher",
    lower=0,
    upper=100,
    concept="product_spot_check_pass_rate",
    region="全国",
)
PM = Indicator(
    id="city:pm",
    name_zh="PM2.5年均浓度",
    unit="µg/m³",
    direction="lower",
    lower=0,
    concept="pm25_concentration",
    region="某市",
)
INDICATORS = {i.id: i for i in (FOOD, SPOT, PM)}


def plan(*targets: Target) -> Plan:
    return Plan(id="p", region="某市", targets=list(targets))


def t(id: str, indicator: str, unit: str = "%", **kw) -> Target:
    return Target(**(dict(id=id, indicator=indicator, comparator=">=", value=90, unit=unit, year=2020) | kw))


def test_dictionary_synonyms_rank_the_right_series_first():
    proposals = propose(
        plan(
            t("a", "食品药品抽检合格率"),
            t("b", "工业产品监督抽查合格率"),
            t("c", "城区细颗粒物年均浓度", unit="微克/立方米", comparator="<="),
        ),
        INDICATORS,
        load_dictionary(),
    )
    assert [p.best.series_id for p in proposals] == ["cn:food", "cn:spot", "city:pm"]
    assert proposals[0].best.stand_in and not proposals[2].best.stand_in  # national series for a city plan


def test_a_unit_that_cannot_be_converted_halves_the_score():
    (p,) = propose(plan(t("a", "PM2.5年均浓度", unit="%")), INDICATORS, load_dictionary(), floor=0)
    pm = next(c for c in p.candidates if c.series_id == "city:pm")
    assert not pm.unit_ok and pm.score <= 50


def test_qualitative_targets_get_no_proposal():
    q = Target(id="q", indicator="食品安全抽检合格率", comparator="qualitative")
    assert propose(plan(q), INDICATORS, load_dictionary()) == []


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_similarity_is_a_symmetric_score(a, b):
    s = similarity(a, b)
    assert 0 <= s <= 100 and s == pytest.approx(similarity(b, a))


@given(st.text(alphabet="食品药抽检合格率质量监督产业", min_size=2, max_size=12))
def test_a_name_matches_itself_fully(name):
    assert similarity(name, name) == 100


def test_with_links_sets_and_clears_links():
    p = plan(t("a", "x", series_id="old"), t("b", "y"))
    (proposal,) = propose(plan(t("b", "食品安全抽检合格率")), INDICATORS, load_dictionary())
    linked = with_links(p, {"a": None, "b": proposal.best})
    assert linked.targets[0].series_id is None
    assert (linked.targets[1].series_id, linked.targets[1].stand_in) == ("cn:food", True)
    with pytest.raises(KeyError):
        with_links(p, {"nope": None})


def _workspace_with_plan(tmp_path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    runner = CliRunner()
    assert (
        runner.invoke(
            app,
            [
                "--workspace",
                str(ws.root),
                "data",
                "import",
                str(DATA / "observations" / "china_indicators_annual.csv"),
                "--indicators",
                str(DATA / "indicators.yaml"),
            ],
        ).exit_code
        == 0
    )
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(
        "id: city\nregion: 某市\ntargets:\n"
        "  - {id: food, indicator: 食品药品抽检合格率, comparator: '>=', value: 95, unit: '%', year: 2020}\n"
        "  - {id: spot, indicator: 工业产品监督抽查合格率, comparator: '>=', value: 94, unit: '%', year: 2020}\n"
        "  - {id: odd, indicator: 旅行社个数, comparator: '>=', value: 4, unit: 个, year: 2020}\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["--workspace", str(ws.root), "plan", "import", str(plan_file)]).exit_code == 0
    return ws


def test_cli_link_asks_and_stores_what_is_confirmed(tmp_path):
    ws = _workspace_with_plan(tmp_path)
    # food: accept candidate 1; spot: answer 0 (leave unlinked)
    result = CliRunner().invoke(
        app,
        ["--workspace", str(ws.root), "plan", "link", "city", "--links-out", str(tmp_path / "links.yaml")],
        input="1\n0\n",
    )
    assert result.exit_code == 0, result.output
    assert "cn_national:food_safety_sampling_pass_rate" in result.output and "score" in result.output
    targets = {x.id: x for x in Store(ws.db_url).plan("city").targets}
    assert targets["food"].series_id == "cn_national:food_safety_sampling_pass_rate" and targets["food"].stand_in
    assert targets["spot"].series_id is None and targets["odd"].series_id is None
    assert "food:" in (tmp_path / "links.yaml").read_text(encoding="utf-8")


def test_cli_link_yes_and_accept_for_scripts(tmp_path):
    ws = _workspace_with_plan(tmp_path)
    root = ["--workspace", str(ws.root), "plan", "link", "city"]
    result = CliRunner().invoke(app, root + ["--yes", "--accept", "odd=cn_national:pm25_mean"])
    assert result.exit_code == 0, result.output
    targets = {x.id: x for x in Store(ws.db_url).plan("city").targets}
    assert targets["spot"].series_id == "cn_national:product_supervision_spotcheck_pass_rate"
    assert targets["odd"].series_id == "cn_national:pm25_mean"
    bad = CliRunner().invoke(app, root + ["--accept", "food=no:such"])
    assert bad.exit_code == 1 and "expected TARGET=SERIES" in bad.output


def test_plan_import_warns_of_a_unit_that_cannot_convert(tmp_path):
    ws = _workspace_with_plan(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntargets:\n  - {id: pm, comparator: '<=', value: 35, unit: '%', year: 2020,"
        " series_id: 'cn_national:pm25_mean'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["--workspace", str(ws.root), "plan", "import", str(bad)])
    assert result.exit_code == 0
    assert "warning: pm: target unit '%' does not convert to cn_national:pm25_mean's unit 'µg/m³'" in result.output
