"""Targets without a number: a named indicator given a direction or level in words.

Only statements about a measurable indicator count ("城镇生活污水处理率明显提高",
"区域环境噪声得到有效控制", "碳排放强度…居全省前列") and titles to be won ("创建国家环境保护模范
城市"); broad aims ("产品质量达到国内先进水平") are left out, as the gold labels do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .phrases import BOUNDARY, clean_indicator, distribute_suffix, target_years

CUE = re.compile(
    r"(?:(?:明显|显著|不断|稳步|持续|大幅|进一步)?(?:提高|提升|增加|改善|好转|减少|削减|下降|降低)|"
    r"得到(?:有效)?(?:改善|控制|保障)|有所(?:好转|下降|提高)|逐年(?:下降|提高|减少)|继续(?:减少|下降)|"
    r"维持稳定|保持稳定|(?:位)?居全省前列|达到(?:省级|国家|上级)(?:考核)?(?:要求|标准)|控制在.{1,6}标准(?:内|以内)|"
    r"全覆盖|完成.{0,10}(?:下达|规定)的?.{0,6}(?:目标|任务)"
    r")$")
SUBJECT_END = re.compile(r"(?:率|度|指数|比重|比例|强度|能耗|水耗|总量|排放量|浓度|噪声|环境质量|空气质量|水质|减排|二氧化硫|二氧化氮|一氧化碳|臭氧|pm2\.?5|pm10|颗粒物)$")
TITLE = re.compile(r"(?:获批|获得|创建|争创|建成|通过)(?P<t>.{2,24}?(?:称号|模范城市|示范城市|验收|文明城市))")
TASK = re.compile(r"^完成(?P<t>.{2,40}?(?:任务|审核))$")


@dataclass
class Qualitative:
    start: int
    end: int
    indicator: str
    year: Optional[int] = None
    base_year: Optional[int] = None
    note: str = ""


def _clauses(s: str):
    start = 0
    for i, ch in enumerate(s + "。"):
        if ch in BOUNDARY:
            if i > start:
                yield start, i
            start = i + 1


def find_qualitative(s: str, covered: list[tuple[int, int]]) -> list[Qualitative]:
    years = target_years(s)
    out: list[Qualitative] = []
    for a, b in _clauses(s):
        if any(a < e and s0 < b for s0, e in covered):
            continue
        clause = s[a:b]
        if re.search(r"\d", re.sub(r"\d{4}\s*年", "", clause)):
            continue
        year = next((y for p, y in reversed(years) if p < b), None)
        title = TITLE.search(clause)
        task = TASK.match(clause.strip())
        cue = CUE.search(clause)
        if title:
            out.append(Qualitative(a, b, title.group("t").strip("“”\""), year))
            continue
        if task:
            out.append(Qualitative(a, b, task.group("t"), year))
            continue
        if not cue:
            continue
        subject = clean_indicator(clause[:cue.start()])
        subject = re.sub(r"(?:等指标|等|指标)$", "", subject)
        items = [x.strip() for x in re.split(r"[、和及与]", subject) if x.strip()]
        items = distribute_suffix(items) if items else items
        if not items or not all(SUBJECT_END.search(x) for x in items) or len(subject) > 60:
            continue
        for item in items:
            out.append(Qualitative(a, b, item, year))
    return out
