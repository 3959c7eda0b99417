"""What would make an unassessed target assessable: which indicator, filled in for which years, and
the command that writes the workbook to fill it in. One line per target, in the report's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Optional

from forecast.defaults import MIN_POINTS
from forecast.schema import Plan, Target

# Statuses that more data would resolve (qualitative targets, missing years or unit clashes it would not).
DATA_STATUSES = {"no_series", "too_few_points", "no_base_value", "year_missing"}


def _years(years: list[int]) -> str:
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def fill_in_hint(
    target: Target,
    status: str,
    plan: Plan,
    observed: Iterable[int] = (),
    as_of: Optional[dt.date] = None,
    lang: str = "zh",
) -> str:
    """The hint for one target, or "" when more data would not make it assessable."""
    from forecast.ingest.workbook.layout import year_span

    if status not in DATA_STATUSES or not target.assessable:
        return ""
    have = set(observed)
    last = (as_of or dt.date.today()).year
    if status == "year_missing":
        wanted = [int(target.year)]
    elif status == "no_base_value":
        wanted = [int(target.base_year)] if target.base_year else []
    else:
        try:
            span = [y for y in year_span(plan, today=as_of) if y <= last and y not in have]
        except ValueError:  # the plan's years all lie after the as-of date: nothing to fill in yet
            span = []
        wanted = span
        if target.base_year and target.base_year not in have and target.base_year not in wanted:
            wanted = sorted(wanted + [int(target.base_year)])
    if not wanted:
        return ""
    name = target.indicator or target.id
    need = max(MIN_POINTS - len(have), 1)
    command = f"forecast plan workbook {plan.id} -o {plan.id}-data.xlsx"
    more = status == "too_few_points"
    if lang == "zh":
        least = f"(至少{'再填' if more else ''} {need} 年)" if status in ("no_series", "too_few_points") else ""
        return f"补充数据:在数据填报表中填写“{name}” {_years(wanted)} 年的数值{least},生成填报表:{command}"
    least = (
        f" (at least {need}{' more' if more else ''} year{'s' if need > 1 else ''})"
        if status in ("no_series", "too_few_points")
        else ""
    )
    return f"To assess it: fill in '{name}' for {_years(wanted)}{least} in the data workbook: {command}"
