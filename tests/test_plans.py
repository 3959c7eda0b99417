from __future__ import annotations

from collections import Counter

import pytest

from forecast.plans import PlanFileError, load_plan

from .conftest import DATA, SHARED

GOLD = sorted((SHARED / "plans" / "gold").glob("*.yaml"))


@pytest.mark.skipif(not GOLD, reason="shared gold plan labels not present")
def test_every_gold_plan_loads_with_every_target():
    for path in GOLD:
        plan = load_plan(path)
        expected = sum(1 for line in path.read_text(encoding="utf-8").split("\nbaselines:")[0].splitlines()
                       if line.startswith("  - id:"))
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
    assert all(t.stand_in for t in plans["jiangyou_2020_standins"].targets if t.series_id)


def test_bad_plan_file_names_the_target(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("targets:\n  - {id: a, comparator: '>=', value: 1, year: 2020}\n"
                    "  - {id: b, comparator: '>=', year: 2020}\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"targets\.1 \(b\)"):
        load_plan(path)
    path.write_text("targets: 3\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="targets"):
        load_plan(path)
