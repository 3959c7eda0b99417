"""The grammar of table cells and headers: value cells ("95", "≥97", "〔14〕"), attribute cells
(约束性/预期性), value-column headings (基期值, 2025年目标值 …), the header line of a flattened
table, and the Row every table reader fills."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .lexicon import cue_comparator
from .mentions import MENTION
from .normalise import char_normalise, normalise_unit

ATTRIBUTE = re.compile(r"^(约束性|预期性)$")


# A value cell: "95", "≥97", "<3", "98%以上", and "〔14〕", the way five-year plans mark a cumulative figure.
VALUE = re.compile(
    r"^(?P<op>[<>≥≤]=?)?(?P<num>\d+(?:\.\d+)?)(?P<unit>%|‰|万|亿|个|家|件|项|所|座|条|名|处|台|批次|人次)?"
    r"(?:[-—–~～](?P<num2>\d+(?:\.\d+)?)(?:%|‰|万|亿)?)?"
    r"(?P<suffix>以上|以下|左右)?$|^[〔\[](?P<cum>\d+(?:\.\d+)?)[〕\]]$"
)  # also ranges "5-8"


# A target cell in words ("完成市下达目标", "全覆盖", "达到省考核要求", "稳定达到Ⅲ类"): what it must contain.
TARGET_CELL = re.compile(
    r"完成|下达|覆盖|达到|达标|要求|目标|任务|考核|稳定|保持|持续|优于|好于|不低于|不高于|控制|"
    r"类及以上|提高|提升|下降|降低|改善|领先|前列|先进|不发生|杜绝|消除"
)


# Value-column headings: "2020年基期值", "2025年目标值", "2020年指标", "2027年" and year-less "基期值" / "目标值".
_LABEL = (
    r"基期值?|基数|现状值?|实际(?:完成)?值?|完成值?|预计(?:完成)?值?|目标值?|规划(?:目标)?值?|预期(?:目标)?值?|指标值?"
)


COLUMN = re.compile(
    rf"(?P<label2>{_LABEL})[(（](?P<year2>(?:19|20)\d\d)年?[)）]|"  # "现状值(2020年)"
    rf"(?P<year>(?:19|20)\d\d)年(?:底|末)?[(（]?(?P<label>{_LABEL})?[)）]?|"  # "2025年目标值", "2025年(目标)"
    r"(?P<bare>基期值|现状值|目标值|规划值)"
)


BASE_LABEL = re.compile(r"基期|基数|现状|实际|完成|预计")


PLACEHOLDER = re.compile(r"^(?:—+|-+|/|－|无|空)$")


YEAR_COL = re.compile(r"(20\d\d|19\d\d)\s*年")


HEADER = re.compile(r"指标")


HEADER_COLUMNS = re.compile(r"单位|属性|目标值|基期|现状|\d{4}\s*年")


@dataclass
class Row:
    """One indicator row: its name, unit, value cells and attribute, and the span of its anchor line."""

    name_parts: list[str] = field(default_factory=list)
    unit: str = ""
    values: list[str] = field(default_factory=list)
    attribute: Optional[str] = None
    label: str = ""
    span: tuple[int, int] = (0, 0)
    own_name: bool = True

    @property
    def name(self) -> str:
        return "".join(self.name_parts)


def unspaced(line: str) -> str:
    """A header without its spaces: web pages space out short headings ("指  标", "单 位")."""
    return re.sub(r"\s+", "", char_normalise(line))


# Heading cells of indicator tables: what the rows are, which columns hold values, and the others.
NAME_HEADING = re.compile(r"序号|分类|类别|类型|领域|方面|指标|名称|项目|内容")
VALUE_HEADING = re.compile(r"(?:19|20)\d\d\s*年|目标|指标值|预期值|规划值|基期|基数|现状")
OTHER_HEADING = re.compile(r"^(?:单位|计量单位|属性|指标属性|备注|责任单位|牵头单位|序号)$")


def is_heading(cell: str) -> bool:
    s = re.sub(r"\s+", "", char_normalise(cell))
    return (
        0 < len(s) <= 12
        and not VALUE.match(s)
        and not re.match(r"^\d{1,2}[.、．]?$", s)
        and bool(NAME_HEADING.search(s) or VALUE_HEADING.search(s) or OTHER_HEADING.match(s))
    )


def is_layout_header(line: str) -> bool:
    """The header line of a table laid out in text: it names 指标 and two of 单位/属性/目标值/基期/年, or
    every word of it is a heading ("序号 分类 工作内容及指标 2025年目标") naming rows and a value column."""
    s = unspaced(line)
    if len(line.strip()) <= 60 and bool(HEADER.search(s)) and len(HEADER_COLUMNS.findall(s)) >= 2 and "。" not in s:
        return True
    tokens = char_normalise(line).split()
    return (
        2 <= len(tokens) <= 8
        and all(is_heading(t) for t in tokens)
        and any(NAME_HEADING.search(t) for t in tokens)
        and any(VALUE_HEADING.search(t) for t in tokens)
    )


def header_years(line: str) -> list[int]:
    return [int(y) for y in YEAR_COL.findall(char_normalise(line))]


def value_columns(headings: list[str], plan_start: Optional[int] = None) -> list[tuple[Optional[int], str]]:
    """(year, role) of each value column named in `headings` (one string per cell, or one string for a
    whole header line), left to right; role is "base" or "target".

    A column labelled 基期/现状/实际/预计 holds the level the plan starts from; 目标/规划/预期/指标 a
    target. A year column without a label is the base when its year is before the plan period
    ("2020年 2025年 2027年" in a 2021–2025 plan); a later one is a target year ("2025年 2035年").
    When the period is unknown, the first of two or more unlabelled year columns is the base."""
    found: list[tuple[Optional[int], str]] = []
    for heading in headings:
        for m in COLUMN.finditer(unspaced(heading)):
            year = m.group("year") or m.group("year2")
            label = m.group("label") or m.group("label2") or m.group("bare") or ""
            found.append(
                (int(year) if year else None, "base" if BASE_LABEL.search(label) else "target" if label else "")
            )
    if plan_start:
        found = [(y, role or ("base" if y and y < plan_start else "target")) for y, role in found]
    elif not any(role == "base" for _, role in found) and len(found) >= 2 and found[0][1] == "":
        found[0] = (found[0][0], "base")
    return [(year, role or "target") for year, role in found]


def ends_table(line: str) -> bool:
    """A heading or a sentence of prose: the flattened table is over."""
    s = char_normalise(line).strip()
    if not s:
        return False
    if re.match(
        r"^(第[一二三四五六七八九十]+[章节篇]|[一二三四五六七八九十]+、|[(][一二三四五六七八九十]+[)]|\d+[.、](?!\d)|专栏\s*\d|表\s*\d)",
        s,
    ):
        return True
    return "。" in s or (len(s) > 40 and s.count(",") + s.count("，") >= 2)


def bare_value(cell: str) -> Optional[re.Match]:
    """A cell that is only a value: '80个以上', '1个', '95%', '>71.8'."""
    return MENTION.fullmatch(char_normalise(cell).strip().rstrip("。;；"))


CUMULATIVE = re.compile(r"^[〔\[]\s*(\d+(?:\.\d+)?)\s*[〕\]]$")


def table_value(cell: str):
    """(value, comparator or None, unit, note) of a table value cell, or None when it is not a number.
    "〔14〕" is how five-year plans mark a figure accumulated over the plan period."""
    cumulative = CUMULATIVE.match(char_normalise(cell).strip())
    if cumulative:
        return float(cumulative.group(1)), None, "", "〔〕: accumulated over the plan period"
    m = bare_value(cell)
    if m is None:
        return None
    mention_cmp, note = cue_comparator(
        "", m.group("suffix") or "", normalise_unit(m.group("unit") or ""), m.group("op") or ""
    )
    return float(m.group("num")), mention_cmp, normalise_unit(m.group("unit") or ""), note
