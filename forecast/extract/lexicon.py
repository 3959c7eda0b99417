"""The vocabulary of plan targets: cue words and what they commit to, words that say which way an
indicator is better, noise around indicator names, and the phrases that name a target year or a base.

Word lists only, and the small helpers that apply them; the mention finder (`mentions.py`) puts them
together. Everything here works on normalised text (`normalise.char_normalise`).
"""

from __future__ import annotations

import re
from typing import Optional

from ..schema import Comparator
from .context import FIVE_YEAR
from .normalise import char_normalise

HAN = "\u4e00-\u9fff"


BOUNDARY = "，,；;。:：！!？?|\n"


# A year that a target is "by": 到2020年, 至2020年底, 力争2017年, 2020年前, 2027年6月底前; and a year
# opening a clause that states a level ("2028年竹产业质量竞争力指数达88", as headlines put it).
LEVEL_VERB = r"(?:达到|达|提高到|提升到|降至|降到|控制在|不低于|不高于|不超过|超过|突破|稳定在|保持在)"
TARGET_YEAR = re.compile(
    r"(?:(?:到|至|于|力争|确保|争取)\s*(?:20\d\d)\s*年(?:底|末)?|"
    r"(?:20\d\d)\s*年(?:\s*\d{1,2}\s*月?)?\s*(?:底|末)?(?:以?前|之前)|"
    r"(?:20\d\d)\s*年(?:底|末)?(?=\s*(?:要|将|应)?\s*(?:达到|实现|降至|降到|提高到|提升到|控制在|不低于|不高于|不超过)))"
)
# The year of one clause only: it opens the clause that states the level, and governs nothing after it.
CLAUSE_YEAR = re.compile(rf"^\s*(20\d\d)\s*年(?:底|末)?(?=[^\d，,。；;：:]{{2,30}}?{LEVEL_VERB}\s*$)")


YEAR_IN = re.compile(r"(20\d\d|19\d\d)")


BASE_YEAR = re.compile(
    r"(?:较|比|与|相对于|相比)\s*(\d{4})\s*年(?:末|底)?(?:相比|水平)?|在\s*(\d{4})\s*年(?:的)?基础上"
)


BASE_PHRASE = re.compile(
    r"(?:较|比|与|相对于).{0,12}?(?:年|时期|期末|末|水平)(?:末|底)?(?:相比|水平)?$|在.{0,12}?(?:基础上|末)$"
)


# Cues directly before the number, longest first within each group, by kind: floor (at least), ceiling
# (at most), avg_growth, control (控制在: a ceiling unless 以上 follows), maintain, reduce/increase
# (a change), reach (a level), count (a verb of building or winning before a count).
CUES = [
    ("avg_growth", r"年均(?:增长|提高|提升|递增|增速)(?:达到|为)?"),
    ("floor", r"(?:提高|提升|增长|增加|上升|扩大)(?:到|至)"),
    ("ceiling", r"(?:降低|下降|减少|压减|缩小|削减|压缩|缩短|缩减)(?:到|至)|降至|减至"),
    ("control", r"控制在|控制到|控制于"),
    ("maintain", r"(?:保持|稳定|维持)(?:在|于)?"),
    ("floor", r"不低于|不少于|不小于|至少|达到或超过|达到或高于"),  # negated forms before the words they end in
    ("ceiling", r"不高于|不超过|不大于|不多于"),
    ("floor", r"超过|高于|大于|多于|突破"),
    ("ceiling", r"低于|少于|小于"),
    ("reduce", r"(?:分别)?(?:下降|降低|减少|削减|压减|降)"),
    ("increase", r"(?:分别)?(?:提高|提升|增长|增加|上升)"),
    ("reach", r"达到|达|为|是|实现|提高到|完成"),
    (
        "count",
        r"争创|建成|建设|创建|创成|培育|打造|新增|完成|引进|建立|形成|拥有|共有|有|争取|培养|认定|获得|申请|授权|制修订|新建|配备|配齐|配置|创|建",
    ),
]


CUE_RE = [(kind, re.compile(rf"(?:{pattern})\s*$")) for kind, pattern in CUES]


COUNT_VERBS = re.compile(CUES[-1][1])


TARGET_VERBS = re.compile(
    r"达到|达|不低于|不少于|超过|控制在|保持|稳定|提高|提升|增长|下降|降低|减少|削减|"
    r"争创|建成|建设|创建|培育|打造|新增|完成|实现|力争|确保|突破"
)


# Indicators that are better when lower: "达到 X" for them is a ceiling.
LOWER_BETTER = re.compile(
    r"浓度|排放|能耗|水耗|物耗|煤耗|死亡|事故|发生率|投诉|伤亡|损失|不合格|超标|噪声|"
    r"贫困|失业率|误差|时长|等待时间|返修|耗时|成本|pm2\.?5|pm10|二氧化硫|氮氧化物|化学需氧量|氨氮|劣[ⅴv5]类"
)


# ... unless the indicator is itself a reduction ("降幅", "下降百分比", "削减比例"), which is better when higher.
REDUCTION_NAME = re.compile(
    r"降幅|下降(?:百分比|比例|率|幅度)|削减(?:比例|率)|减少(?:比例|率)|减排率|削减|(?:降低|下降|减少)$"
)


INCREASE_NAME = re.compile(r"(?:提升|提高|增长|增加)(?:率|幅度)?$")


METRIC_NOUN = re.compile(
    r"(?:率|度|指数|比重|比例|强度|能耗|水耗|总量|排放量|浓度|噪声|覆盖率|数量|数|量|面积|产值|增加值)$"
)


LEADING_NOISE = re.compile(
    r"^(?:[\s、,，;；——\-•·]|其中|同时|并且|以及|并|和|及|\d{1,2}[.．、](?!\d)|[(（](?:\d{1,2}|[一二三四五六七八九十]+)[)）]|\d{4}\s*年以来|到\s*\d{4}\s*年(?:底|末)?|至\s*\d{4}\s*年(?:底|末)?|\d{4}\s*年(?:底|末)?(?:以?前)?|"
    r"自\s*\d{4}\s*年(?:以来)?|近\s*\d*\s*年来|[一二三四五六七八九十\d]+年来|近年来|"
    r"[“\"]?十[一二三四五]?五[”\"]?(?:期间|时期|以来)|"
    r"力争|确保|争取|努力|[全我本][市县区省镇乡州盟旗]|本地|当地|我国|全国|使|将|实现|共有|拥有|共|累计|"
    r"建成|创建|培育|打造|新增|完成|建立|形成|争创|引进|获得|获评|荣获|达到)+"
)  # not 建设: "建设工程…" is a noun


TRAILING_NOISE = re.compile(
    r"(?:[\s、,，和及约在]|分别|均|累计|曾经|曾一度|一度|曾|已经|已|等指标|指标|要|将|必须|应|要求|力争|20\d\d\s*年(?:底|末)?)+$"
)


def clean_indicator(text: str) -> str:
    text = text.strip()
    for _ in range(3):
        text = LEADING_NOISE.sub("", text)
        text = BASE_PHRASE.sub("", text).strip()  # "较2020年" before the year alone is stripped as noise
        text = TRAILING_NOISE.sub("", text)
    text = text.strip(" 、,，")
    return text if re.search(rf"[{HAN}a-z0-9]", text) else ""  # a bracket or dash alone names nothing


FIVE_YEAR_END = re.compile(
    r"(?:到|至)\s*[“\"]?(十[一二三四五]?五)[”\"]?\s*(?:时期|期)?末|"
    r"(?<![较比与在])[“\"]?(十[一二三四五]?五)[”\"]?\s*期间\s*[,，]"
)


BARE_YEAR = re.compile(r"(?:^|[。；;\n])\s*(20\d\d)\s*年\s*[,，]")


def target_years(s: str, bare: bool = False) -> list[tuple[int, int]]:
    """(position, year) of every 'by year' expression in a paragraph: 到2025年, 2025年前, 2025年达到,
    到“十四五”末 and “十四五”期间 (2025), and with `bare` a sentence opening "2025年，" (read so only where targets are set)."""
    out = []
    for m in TARGET_YEAR.finditer(s):
        y = YEAR_IN.search(m.group(0))
        if y:
            out.append((m.start(), int(y.group(1))))
    for m in FIVE_YEAR_END.finditer(s):
        name = m.group(1) or m.group(2)
        if name in FIVE_YEAR:
            out.append((m.start(), FIVE_YEAR[name]))
    if bare:
        out.extend((m.start(1), int(m.group(1))) for m in BARE_YEAR.finditer(s))
    return sorted(out)


FIVE_YEAR_BASE = re.compile(r"(?:较|比|与|在)\s*[“\"]?(十[一二三四五]?五)[”\"]?\s*(?:时期|期)?末")


def base_year_of(text: str) -> Optional[int]:
    m = BASE_YEAR.search(text)
    if not m:
        five = FIVE_YEAR_BASE.search(text)  # "比“十三五”末提高" → 2020
        return FIVE_YEAR.get(five.group(1)) if five else None
    return int(m.group(1) or m.group(2))


SHARED_HEADS = [
    "环境质量",
    "排放总量",
    "排放量",
    "排放强度",
    "合格率",
    "达标率",
    "覆盖率",
    "普及率",
    "满意度",
    "浓度",
    "比例",
    "比重",
    "增加值",
    "总产值",
    "产值",
    "能耗",
    "水耗",
    "削减率",
    "下降率",
    "降幅",
    "增幅",
    "利用率",
    "处理率",
]


COMPLETE_HEAD = re.compile(r"(?:率|比重|比例|指数|强度|能耗|水耗|浓度)$")  # already a measure: takes no shared head


def distribute_suffix(items: list[str]) -> list[str]:
    """'二氧化硫、氮氧化物、氨氮排放量' → each item gets the head noun the last one carries."""
    last = items[-1]
    for head in SHARED_HEADS:
        if last.endswith(head) and len(last) > len(head):
            return [
                x if COMPLETE_HEAD.search(x) or any(x.endswith(h) for h in SHARED_HEADS) else x + head
                for x in items[:-1]
            ] + [last]
    return items


# A rate of handling bad things ("不合格产品处置率", "事故隐患整改率") is better when higher: the head decides.
HANDLING_RATE = re.compile(r"(?:处置|处理|查处|整改|办结|召回|销毁|结案|核查|排查|化解|治理|消除)率$")


# The joints of a list of names; 及 inside a word ("普及率", "涉及", "及时") joins nothing.
LIST_JOINT = re.compile(r"、|和|与|(?<![普涉以])及(?![时早])")


def split_items(text: str) -> list[str]:
    """'A、B和C' → [A, B, C]; '农业标准化生产普及率' stays whole."""
    return [x for x in LIST_JOINT.split(text) if x.strip()]


def lower_better(indicator: str) -> bool:
    s = char_normalise(indicator)
    return bool(LOWER_BETTER.search(s)) and not REDUCTION_NAME.search(s) and not HANDLING_RATE.search(s)


def clause_start(s: str, pos: int) -> int:
    i = pos
    while i > 0 and s[i - 1] not in BOUNDARY:
        i -= 1
    return i


def clause_end(s: str, pos: int) -> int:
    i = pos
    while i < len(s) and s[i] not in BOUNDARY:
        i += 1
    return i


def match_cue(pre: str) -> tuple[str, str, str]:
    """(kind, cue text, text before the cue) for the cue that ends `pre`, or ("", "", pre)."""
    stripped = pre.rstrip()
    for kind, rx in CUE_RE:
        m = rx.search(stripped)
        if m:
            return kind, m.group(0).strip(), stripped[: m.start()]
    return "", "", stripped


def cue_comparator(kind: str, suffix: str, unit: str, op: str) -> tuple[Optional[Comparator], str]:
    """(comparator, note) from the cue kind and suffix; None leaves it to the indicator's direction."""
    suffix = suffix.strip()
    note = ""
    if op:
        return (Comparator.ge if op[0] in ">≥" else Comparator.le), (
            f"stated as '{op.strip()}'; recorded as inclusive" if op.strip() in "<>" else ""
        )
    about = suffix == "左右"
    if kind == "avg_growth":
        return Comparator.avg_growth_ge, ("stated as about (左右)" if about else "")
    if about and kind not in ("reduce", "increase"):
        return Comparator.about, ""
    if kind == "maintain":
        return (Comparator.maintain_le if suffix in ("以下", "以内", "之内") else Comparator.maintain_ge), ""
    if kind == "control":
        return (Comparator.ge if suffix in ("以上", "及以上") else Comparator.le), ""
    if kind in ("floor", "ceiling"):
        return (Comparator.ge if kind == "floor" else Comparator.le), ""
    if kind in ("reduce", "increase"):
        if unit == "%":
            return (Comparator.reduce_by_pct if kind == "reduce" else Comparator.increase_by_pct), (
                "stated as about (左右)" if about else ""
            )
        if unit in ("个百分点", "百分点"):
            return (
                Comparator.qualitative,
                f"a change of {unit} (percentage points) relative to a base; no comparator expresses it",
            )
        return Comparator.qualitative, "an absolute change relative to a base; no comparator expresses it"
    if suffix in ("以上", "及以上"):
        return Comparator.ge, note
    if suffix in ("以下", "以内", "之内"):
        return Comparator.le, note
    return None, note


def suffix_of(m) -> str:
    """The bound word after a number (以上, 以下, 左右 …), without an inclusive note "(含90分)"."""
    return re.sub(r"[(（]含[^()（）]*[)）]", "", m.group("suffix") or "").strip()
