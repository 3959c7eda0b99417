from __future__ import annotations

import re
from collections import Counter

import pytest

from forecast.targets.plans import PlanFileError, load_plan
from tests.conftest import DATA, SHARED

GOLD = sorted((SHARED / "plans" / "gold").glob("*.yaml"))


@pytest.mark.skipif(not GOLD, reason="shared gold plan labels not present")
def test_every_gold_plan_loads_with_every_target():
    for path in GOLD:
        plan = load_plan(path)
        expected = sum(
            1
            for line in path.read_text(encoding="utf-8").split("\nbaselines:")[0].splitlines()
            if line.startswith("  - id:")
        )
        assert len(plan.targets) == expected, path.name


@pytest.mark.skipif(not GOLD, reason="shared gold plan labels not present")
def test_jiangyou_gold_targets_read_as_labelled():
    plan = load_plan(SHARED / "plans" / "gold" / "000_348769fe452563f8.yaml")
    by_id = {t.id: t for t in plan.targets}
    pm = by_id["jiangyou.urban_pm25.2020"]
    assert (pm.comparator.value, pm.value, pm.year, pm.attribute.value) == ("<=", 42, 2020, "约束性")
    assert plan.period == (2016, 2020) and plan.title.startswith("江油市")


def test_demo_plans_link_series():
    plans = {p.stem: load_plan(p) for p in (DATA / "plans").glob("*.yaml")}
    replays = plans["replays"]
    assert Counter(bool(t.series_id) for t in replays.targets) == {True: 3, False: 1}
    for name in ("jiangyou_2020", "xinxiang_2020", "tongling_2020"):
        linked = [t for t in plans[name].targets if t.series_id]
        assert linked and all(t.stand_in for t in linked), name  # no local series: every link is a stand-in


@pytest.mark.skipif(not GOLD, reason="shared gold plan labels not present")
def test_the_three_real_plans_ship_with_every_gold_target():
    shipped = {load_plan(p).title[:2]: load_plan(p) for p in (DATA / "plans").glob("*_2020.yaml")}
    for path in GOLD:
        gold = load_plan(path)
        plan = next(p for p in shipped.values() if {t.id for t in p.targets} == {t.id for t in gold.targets})
        for mine, theirs in zip(plan.targets, gold.targets, strict=True):
            assert (mine.value, mine.year, mine.unit, mine.attribute) == (
                theirs.value,
                theirs.year,
                theirs.unit,
                theirs.attribute,
            )
            # the only relabelling: 年均增长 is average annual growth, not a level
            assert mine.comparator == theirs.comparator or (
                mine.comparator.value == "avg_growth>=" and "年均增长" in mine.quote
            ), mine.id


def test_plan_wide_about_tolerance_and_growth_base_year(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "period: [2016, 2020]\nabout_tolerance: 0.05\ntargets:\n"
        "  - {id: a, comparator: about, value: 40, year: 2020}\n"
        "  - {id: b, comparator: about, value: 40, year: 2020, tolerance: 1}\n"
        "  - {id: g, comparator: 'avg_growth>=', value: 9.3, unit: '%', year: 2020}\n"
        "links: {a: {series: s1, stand_in: true}, b: s2}\n",
        encoding="utf-8",
    )
    a, b, g = load_plan(path).targets
    assert a.tolerance == pytest.approx(2.0) and b.tolerance == 1
    assert g.base_year == 2015
    assert (a.series_id, a.stand_in, b.series_id, b.stand_in) == ("s1", True, "s2", False)
    path.write_text(
        "targets:\n  - {id: a, comparator: '>=', value: 1, year: 2020}\nlinks: {a: [1]}\n", encoding="utf-8"
    )
    with pytest.raises(PlanFileError, match="links.a: expected a series id"):
        load_plan(path)


def test_bad_plan_file_names_the_target(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "targets:\n  - {id: a, comparator: '>=', value: 1, year: 2020}\n  - {id: b, comparator: '>=', year: 2020}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanFileError, match=r"targets\.1 \(b\)"):
        load_plan(path)
    path.write_text("targets: 3\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="targets"):
        load_plan(path)


def test_names_keep_the_plans_own_spelling_and_quotes_stay_verbatim(tmp_path):
    from forecast.targets.plans import load_plan

    path = tmp_path / "p.yaml"
    path.write_text(
        "targets:\n  - {id: a, indicator: 城区pm2.5年均浓度, indicator_en: urban pm2.5, comparator: '<=',"
        " value: 42, year: 2020, quote: 城区pm2.5年均浓度 42}\n"
        "  - {id: b, indicator: 单位gdp能耗降幅, comparator: qualitative}\n"
        "  - {id: c, indicator: aaa级及以上旅游区, comparator: qualitative}\n"
        "  - {id: d, indicator: 研究与试验发展(r&d)经费, comparator: qualitative}\n"
        "  - {id: e, indicator: gdpr 与 pm25ish 不是缩写, comparator: qualitative}\n",
        encoding="utf-8",
    )
    a, b, c, d, e = load_plan(path).targets
    assert (a.indicator, a.indicator_en, a.quote) == ("城区PM2.5年均浓度", "urban PM2.5", "城区pm2.5年均浓度 42")
    assert (b.indicator, c.indicator, d.indicator) == (
        "单位GDP能耗降幅",
        "AAA级及以上旅游区",
        "研究与试验发展(R&D)经费",
    )
    assert e.indicator == "gdpr 与 pm25ish 不是缩写"


def test_the_shipped_plans_read_as_the_plans_write_their_names():
    from forecast.targets.plans import load_plan

    for path in sorted((DATA / "plans").glob("*.yaml")):
        for t in load_plan(path).targets:
            assert not re.search(r"pm2\.5|gdp|r&d|aaa", t.indicator), (path.name, t.indicator)
