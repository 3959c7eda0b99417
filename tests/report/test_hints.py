"""The "not assessed" hint: which indicator, for which years, would make a target assessable."""

from __future__ import annotations

import datetime as dt

from forecast.report.hints import fill_in_hint
from forecast.schema import Plan

PLAN = Plan.model_validate(
    {
        "id": "jy",
        "period": [2016, 2020],
        "targets": [
            {"id": "a", "indicator": "森林覆盖率", "comparator": ">=", "value": 48, "unit": "%", "year": 2020},
            {
                "id": "b",
                "indicator": "二氧化硫排放量",
                "comparator": "reduce_by_pct",
                "value": 15,
                "year": 2020,
                "base_year": 2012,
            },
            {"id": "q", "indicator": "质量强市", "comparator": "qualitative"},
        ],
    }
)
AS_OF = dt.date(2016, 12, 31)


def test_no_series_names_indicator_years_and_command():
    hint = fill_in_hint(PLAN.targets[0], "no_series", PLAN, (), AS_OF, "zh")
    assert "“森林覆盖率” 2010–2016 年" in hint and "至少 3 年" in hint
    assert "forecast plan workbook jy -o" in hint
    en = fill_in_hint(PLAN.targets[0], "no_series", PLAN, (), AS_OF, "en")
    assert "'森林覆盖率' for 2010–2016 (at least 3 years)" in en


def test_too_few_points_asks_for_the_years_it_lacks():
    hint = fill_in_hint(PLAN.targets[0], "too_few_points", PLAN, [2015, 2016], AS_OF, "en")
    assert "for 2010–2014 (at least 1 more year)" in hint


def test_base_and_target_years():
    assert "for 2012 in" in fill_in_hint(PLAN.targets[1], "no_base_value", PLAN, [2014, 2015, 2016], AS_OF, "en")
    assert "“森林覆盖率” 2020 年" in fill_in_hint(PLAN.targets[0], "year_missing", PLAN, [2019, 2021], AS_OF, "zh")


def test_no_hint_where_data_would_not_help():
    assert fill_in_hint(PLAN.targets[2], "qualitative", PLAN) == ""
    assert fill_in_hint(PLAN.targets[0], "unit_mismatch", PLAN) == ""
    assert fill_in_hint(PLAN.targets[0], "forecast", PLAN) == ""


def test_no_hint_and_no_error_before_the_plan_years():
    early = Plan.model_validate(
        {
            "id": "later",
            "period": [2026, 2030],
            "targets": [
                {"id": "a", "indicator": "森林覆盖率", "comparator": ">=", "value": 48, "unit": "%", "year": 2030}
            ],
        }
    )
    assert fill_in_hint(early.targets[0], "no_series", early, (), dt.date(2012, 12, 31), "en") == ""
