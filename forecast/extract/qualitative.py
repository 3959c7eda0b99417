"""Targets without a number: a named indicator given a direction or level in words.

Only statements about a measurable indicator count ("城镇生活污水处理率明显提高",
"区域环境噪声得到有效控制", "碳排放强度…居全省前列") and titles to be won ("创建国家环境保护模范
城市"); broad aims ("产品质量达到国内先进水平") are left out, as the gold labels do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .lexicon import BOUNDARY, clean_indicator, distribute_suffix, split_items, target_years

CUE = re.compile(
    r"(?:(?:明显|显著|不断|稳步|持续|大幅|进一步|全面|逐步)?(?:提高|提升|增加|改善|好转|减少|削减|下降|降低)|"
    r"得到(?:有效)?(?:改善|控制|保障)|有所(?:好转|下降|提高)|逐年(?:下降|提高|减少)|继续(?:减少|下降)|"
    r"维持稳定|保持稳定|(?:位)?居(?:全国|全省|全市|全州|全区|同类城市)前列|达到(?:省级|市级|县级|国家|上级|省|市|县)的?[^，,；;。]{0,10}?(?:要求|标准|目标)|"
    r"控制在.{1,6}标准(?:内|以内)|(?:稳定)?(?:达到|优于|好于)(?:[ⅠⅡⅢⅣⅤ]|i{1,3}|iv|v)类(?:水质)?(?:标准)?(?:及以上|以上)?|"
    r"完成.{0,10}(?:下达|规定)的?.{0,6}(?:目标|任务)"
    r")$"
)
# "检验能力达到国内先进水平": a level against others, a target only for a specific capability or
# measure (能力, 可靠性, a rate …), not for quality at large ("产品质量达到国内先进水平").
PEER_LEVEL = re.compile(r"达到(?:国内|国际|全国|省内|国内外|国际国内)(?:同类|同行业)?(?:先进|领先|一流)水平$")
CAPABILITY = re.compile(r"(?:能力|可靠性|性能|精度|稳定性|效率|率|指数)$")
# "快检室建设实现全覆盖", "监测实现县(区)全覆盖": coverage of a named thing.
COVERAGE = re.compile(
    r"^(?P<subject>.*?)(?:实现|做到|达到)?(?P<scope>[^实现做到达]{0,16}?)(?:全覆盖|全面覆盖)$|"
    r"^(?P<subject2>.+?)覆盖(?:全部|所有|全市|全县|全区|全镇|各)(?P<scope2>[^，,；;。]{1,12})$"
)  # "网络覆盖所有乡镇"
# Broad statements: environment or quality at large, and lists of capabilities and levels.
NAMED_LEVEL = re.compile(r"^达到.*(?:要求|标准|目标)$")
BROAD = re.compile(r"^(?:生态)?环境质量$|^(?:总体|整体)?质量(?:水平)?$")
BROAD_ITEM = re.compile(r"(?:力|水平|形势|意识|氛围)$")  # 能力, 影响力, 竞争力 …
SUBJECT_END = re.compile(
    r"(?:率|度|指数|比重|比例|强度|能耗|水耗|消耗|总量|排放量|排放|浓度|噪声|环境质量|空气质量|水质|减排|二氧化硫|二氧化氮|一氧化碳|臭氧|pm2\.?5|pm10|颗粒物)$"
)
TITLE = re.compile(
    r"(?:获批|获得|创建|争创|建成|创成|通过)(?:建成为|建成|成为|为|建|成(?![市都]))?(?P<t>.{2,24}?(?:称号|验收|"
    r"(?:示范|模范|文明|卫生|园林|生态|先进)(?:城市|县|市|区|镇|乡|省)))"
)
# "城区黑臭水体基本消除", "全面消除劣Ⅴ类水体": a bad thing to be eliminated, named before or after.
ELIMINATE = re.compile(r"^(?P<before>.*?)(?P<how>基本|全面|彻底|全部)消除(?P<after>.*)$")
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
        if title and not re.search(r"[的、,，]", title.group("t")):  # a designation is a name, not a description
            out.append(Qualitative(a, b, title.group("t").strip('“”"'), year))
            continue
        if task:
            out.append(Qualitative(a, b, task.group("t"), year))
            continue
        eliminate = ELIMINATE.match(clause.strip())
        if eliminate:
            thing = clean_indicator(eliminate.group("before")) or clean_indicator(eliminate.group("after"))
            if 2 <= len(thing) <= 20 and not re.search(r"[、，,]", thing):
                out.append(Qualitative(a, b, thing, year, note=f"{eliminate.group('how')}消除 (eliminated)"))
            continue
        coverage = COVERAGE.match(clause.strip())
        if coverage:
            subject = coverage.group("subject") if coverage.group("subject") is not None else coverage.group("subject2")
            name = clean_indicator(subject) + (coverage.group("scope") or coverage.group("scope2") or "").strip()
            if len(re.sub(r"[(（)）“”\"\s]", "", name)) >= 4:  # "监管全覆盖" names nothing to count
                out.append(Qualitative(a, b, name + "覆盖率", year))
            continue
        peer = PEER_LEVEL.search(clause)
        if peer:
            subject = clean_indicator(clause[: peer.start()])
            if CAPABILITY.search(subject) and not BROAD.match(subject):
                out.append(Qualitative(a, b, subject, year))
            continue
        if not cue:
            continue
        subject = clean_indicator(clause[: cue.start()])
        subject = re.sub(r"(?:等指标|等|指标)$", "", subject)
        items = [x.strip() for x in split_items(subject)]
        if BROAD.match(subject) or (len(items) > 1 and any(BROAD_ITEM.search(x) for x in items)):
            continue  # "环境质量明显改善", "治理能力、安全水平和满意度明显提升": broad aims
        items = distribute_suffix(items) if items else items
        named_level = NAMED_LEVEL.search(cue.group(0))  # a capability can reach a named standard too
        if (
            not items
            or not all(SUBJECT_END.search(x) or (named_level and CAPABILITY.search(x)) for x in items)
            or len(subject) > 60
        ):
            continue
        for item in items:
            out.append(Qualitative(a, b, item, year))
    return out
