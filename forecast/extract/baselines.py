"""What a baseline is: the level of an indicator at the point the plan starts from — and what only
looks like one. Also: a change in percentage points read as a level once the base level is known."""

from __future__ import annotations

import re
from typing import Optional

from ..schema import Comparator
from .context import Context, stated_years
from .items import Item, Mention
from .lexicon import clause_start
from .merging import same_indicator
from .normalise import char_normalise

# A comparison with somewhere else ("高于全省平均水平1.2个百分点"): not the level of the plan's indicator.
ELSEWHERE = re.compile(r"(?:高于|低于|超过|领先|优于|好于|快于|慢于)\s*(?:全国|全省|全市|省|市|国家|同期|同类|平均)")
# The size of the territory ("常住人口约412万人", "县域面积1860平方公里"): background, not a baseline.
BACKGROUND = re.compile(
    r"^(?:(?:常住|户籍|流动|日均流动|总|城镇|农村)?人口|(?:县域|市域|区域|国土|辖区|行政区域|土地)?总?面积)"
    r"(?:总量|总数|规模)?$|^辖?(?:乡镇|乡|镇|街道|行政村|村|社区|县区|区县|县[(（]市、区[)）])$"
)  # "辖12个乡镇"


def is_baseline(m: Mention, comparator: Comparator, year: Optional[int], nline: str, ctx: Context) -> bool:
    """Baselines are levels of indicators at the point the plan starts from. Not baselines: changes
    over the past (年均增长7.8%, 较2015年提高2.1个百分点, 比上年提高0.9分), comparisons with other
    places, the population and area of the territory, and levels of years before the base year
    (2019年曾一度下滑至89%) when the plan period — and with it the base year — is known."""
    if (
        comparator
        in (Comparator.avg_growth_ge, Comparator.reduce_by_pct, Comparator.increase_by_pct, Comparator.qualitative)
        or m.cue in ("reduce", "increase")
        or m.unit in ("个百分点", "百分点")
    ):
        return False
    if ELSEWHERE.search(nline[clause_start(nline, m.end - 1) : m.end]):
        return False
    if BACKGROUND.match(char_normalise(m.indicator)):
        return False
    base_year = ctx.plan_start - 1 if (ctx.plan_start and ctx.plan_end) else None
    return not (base_year and year and year < base_year)


def stated_past_year(nline: str, pos: int, ctx: Context) -> Optional[int]:
    """'2020年，全县产品质量合格率为92%': a year before the plan period, stated in the same sentence."""
    start = max(nline.rfind("。", 0, pos), nline.rfind("；", 0, pos)) + 1
    years = stated_years(nline[start:pos])
    start_year = ctx.plan_start
    if years and start_year and years[-1] < start_year:
        return years[-1]
    return None


def resolve_point_changes(items: list[Item], ctx: Context) -> None:
    """ "合格率比2020年提高1.4个百分点" is a level once the plan states the 2020 level: with a baseline
    of 93.6% for the same indicator and year, the target is ≥ 95.0%. Without one it stays qualitative."""
    for t in items:
        if (
            t.kind != "target"
            or t.comparator != Comparator.qualitative
            or t.value is None
            or t.unit not in ("个百分点", "百分点")
        ):
            continue
        year = t.base_year or (ctx.plan_start - 1 if ctx.plan_start and ctx.plan_end else None)
        base = next(
            (
                b
                for b in items
                if b.kind == "baseline"
                and b.year == year
                and b.unit == "%"
                and b.comparator == Comparator.eq
                and same_indicator(b.indicator, t.indicator)
            ),
            None,
        )
        if base is None or year is None:
            continue
        down = re.search(r"下降|降低|减少|压减|缩小", char_normalise(t.quote))
        t.value = round(base.value - t.value if down else base.value + t.value, 6)
        t.comparator, t.unit, t.base_year = (Comparator.le if down else Comparator.ge), "%", None
        t.note = f"{t.quote}: {base.value:g}% in {year} (baseline quoted '{base.quote}') changed by the stated points"
