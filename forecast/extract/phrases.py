"""The rules that recognise quantified targets in running text.

A plan states a target as <indicator> <cue> <number><unit><suffix>: "抽检合格率稳定在95%以上",
"PM2.5年均浓度控制在42微克/立方米以下", "二氧化硫排放量较2015年下降15%", "服务业增加值年均增长9.3%",
"建成幸福美丽新村300个以上", "药品生产企业100%通过GMP认证". The cue and the suffix decide the
comparator; words of the indicator decide which way "达到 X" points (a concentration is a ceiling).
Everything here works on one paragraph in its normalised form (same length as the original, so
every span is also a span of the document).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .context import FIVE_YEAR
from .normalise import MEASURE_WORDS, UNIT_WORDS, normalise_unit

HAN = "\u4e00-\u9fff"
BOUNDARY = "，,；;。:：！!？?|\n"
_UNIT_RE = "|".join(re.escape(u) for u in UNIT_WORDS)
_NUM = r"\d+(?:\.\d+)?"
MENTION = re.compile(
    rf"(?P<op>[<>≥≤]=?\s*)?(?P<num>{_NUM})(?:\s*(?P<unit>{_UNIT_RE}))?"
    rf"(?:\s*(?P<dash>[-—–~～至])\s*(?P<num2>{_NUM})(?:\s*(?P<unit2>{_UNIT_RE}))?)?"
    rf"(?P<suffix>\s*(?:及以上|以上|以下|以内|之内|左右))?"
)
# A year that a target is "by": 到2020年, 至2020年底, 力争2017年, 2020年前.
TARGET_YEAR = re.compile(r"(?:(?:到|至|于|力争|确保|争取)\s*(?:20\d\d)\s*年(?:底|末)?|(?:20\d\d)\s*年(?:底|末)?(?:以?前|之前)|"
                         r"(?:20\d\d)\s*年(?:底|末)?(?=\s*(?:要|将|应)?\s*(?:达到|实现|降至|降到|提高到|提升到|控制在|不低于|不高于|不超过)))")
YEAR_IN = re.compile(r"(20\d\d|19\d\d)")
BASE_YEAR = re.compile(r"(?:较|比|与|相对于|相比)\s*(\d{4})\s*年(?:末|底)?(?:相比|水平)?|在\s*(\d{4})\s*年(?:的)?基础上")
BASE_PHRASE = re.compile(r"(?:较|比|与|相对于).{0,12}?(?:年|时期|期末|末|水平)(?:末|底)?(?:相比|水平)?$|在.{0,12}?(?:基础上|末)$")

# Cues directly before the number, longest first within each group.
CUES = [
    ("avg_growth>=", r"年均(?:增长|提高|提升|递增|增速)(?:达到|为)?"),
    (">=", r"(?:提高|提升|增长|增加|上升|扩大)(?:到|至)"),
    ("<=", r"(?:降低|下降|减少|压减|缩小|削减|压缩|缩短|缩减)(?:到|至)|降至|减至"),
    ("control", r"控制在|控制到|控制于"),
    ("maintain", r"(?:保持|稳定|维持)(?:在|于)?"),
    (">=", r"不低于|不少于|不小于|至少|达到或超过|达到或高于"),  # negated forms before the words they end in
    ("<=", r"不高于|不超过|不大于|不多于"),
    (">=", r"超过|高于|大于|多于|突破"),
    ("<=", r"低于|少于|小于"),
    ("reduce", r"(?:分别)?(?:下降|降低|减少|削减|压减|降)"),
    ("increase", r"(?:分别)?(?:提高|提升|增长|增加|上升)"),
    ("reach", r"达到|达|为|是|实现|提高到|完成"),
    ("count", r"争创|建成|建设|创建|创成|培育|打造|新增|完成|引进|建立|形成|拥有|共有|有|争取|培养|认定|获得|申请|授权|制修订|新建|创|建"),
]
_CUE_RE = [(kind, re.compile(rf"(?:{pattern})\s*$")) for kind, pattern in CUES]
COUNT_VERBS = re.compile(CUES[-1][1])
TARGET_VERBS = re.compile(r"达到|达|不低于|不少于|超过|控制在|保持|稳定|提高|提升|增长|下降|降低|减少|削减|"
                          r"争创|建成|建设|创建|培育|打造|新增|完成|实现|力争|确保|突破")

# Indicators that are better when lower: "达到 X" for them is a ceiling.
LOWER_BETTER = re.compile(r"浓度|排放|能耗|水耗|物耗|煤耗|死亡|事故|发生率|投诉|伤亡|损失|不合格|超标|噪声|"
                          r"贫困|失业率|误差|时长|等待时间|返修|耗时|成本|pm2\.?5|pm10|二氧化硫|氮氧化物|化学需氧量|氨氮")
# ... unless the indicator is itself a reduction ("降幅", "下降百分比", "削减比例"), which is better when higher.
REDUCTION_NAME = re.compile(r"降幅|下降(?:百分比|比例|率|幅度)|削减(?:比例|率)|减少(?:比例|率)|减排率|削减|(?:降低|下降|减少)$")
INCREASE_NAME = re.compile(r"(?:提升|提高|增长|增加)(?:率|幅度)?$")
METRIC_NOUN = re.compile(r"(?:率|度|指数|比重|比例|强度|能耗|水耗|总量|排放量|浓度|噪声|覆盖率|数量|数|量|面积|产值|增加值)$")

LEADING_NOISE = re.compile(
    r"^(?:[\s、,，;；——\-•·]|其中|同时|并且|以及|并|和|及|\d{1,2}[.．、](?!\d)|[(（](?:\d{1,2}|[一二三四五六七八九十]+)[)）]|\d{4}\s*年以来|到\s*\d{4}\s*年(?:底|末)?|至\s*\d{4}\s*年(?:底|末)?|\d{4}\s*年(?:底|末)?(?:以?前)?|"
    r"自\s*\d{4}\s*年(?:以来)?|近\s*\d*\s*年来|[一二三四五六七八九十\d]+年来|近年来|"
    r"[“\"]?十[一二三四五]?五[”\"]?(?:期间|时期|以来)|"
    r"力争|确保|争取|努力|[全我本][市县区省镇乡州盟旗]|使|将|实现|共有|拥有|共|累计|"
    r"建成|创建|培育|打造|新增|完成|建立|形成|争创|引进|获得|获评|荣获|达到)+")  # not 建设: "建设工程…" is a noun
TRAILING_NOISE = re.compile(r"(?:[\s、,，和及约]|分别|均|累计|曾经|曾一度|一度|曾|已经|已|等指标|指标|要|将|必须|应|要求|力争|20\d\d\s*年(?:底|末)?)+$")


@dataclass
class Mention:
    """One quantified statement found in a paragraph (spans are paragraph offsets)."""

    start: int
    end: int
    value: float
    unit: str
    comparator: str  # a Comparator value, or "" when only the indicator's direction can decide
    indicator: str
    base_year: Optional[int] = None
    year: Optional[int] = None  # a target year stated in the paragraph before the number
    suffix: str = ""
    cue: str = ""
    note: str = ""
    in_list: bool = False
    verb: bool = False  # a target verb (达到, 建成, 下降 …) stands in the clause before the number
    range_hi: Optional[float] = None  # "92%-95%": the upper end (value holds the lower)


def excluded(s: str, m: re.Match) -> bool:
    """Numbers that are not quantities: years, dates, codes, ordinals, document numbers, enumerators."""
    a, b = m.start("num"), m.end("num")
    num = m.group("num")
    before, after = s[max(0, a - 6):a], s[b:b + 4]
    if re.fullmatch(r"(19|20)\d\d", num) and (re.match(r"\s*(年|[-—–~～/.]\s*\d)", after) or re.search(r"[-—–~～]\s*$", before)):
        return True
    if re.match(r"\s*(年|月|日|号|届|期|版|章|节|页|周|时|点)", after) and not m.group("unit"):
        return True
    if (re.match(r"[-/.·:]\d", after) and not m.group("num2")) or re.search(r"[·:/]$", before):  # dates, 3·15
        return True
    if re.search(r"(第|专栏|表|图|附件|附表|见|〔|\[|编号|代码|no\.?)\s*$", before):
        return True
    if re.search(r"[a-z&]$", before) and not m.group("op"):  # pm2.5, gb17167, iso9001
        return True
    if not m.group("unit") and re.match(r"[a-z]", after):
        return True
    if re.search(r"“\s*$", before) and re.match(r"\s*”", after):
        return True
    if a == 0 or re.fullmatch(r"[\s—\-(（]*", s[:a]):  # an enumerator "1." or "(2)" at the start
        if re.match(r"\s*[.．、)）]", after):
            return True
    opening = max(s.rfind("《", 0, a), s.rfind("〔", 0, a))
    if opening >= 0 and s.find("》" if s[opening] == "《" else "〕", opening) >= b:
        return True
    return False


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


def _match_cue(pre: str) -> tuple[str, str, str]:
    """(kind, cue text, text before the cue) for the cue that ends `pre`, or ("", "", pre)."""
    stripped = pre.rstrip()
    for kind, rx in _CUE_RE:
        m = rx.search(stripped)
        if m:
            return kind, m.group(0).strip(), stripped[:m.start()]
    return "", "", stripped


def clean_indicator(text: str) -> str:
    text = text.strip()
    for _ in range(3):
        text = LEADING_NOISE.sub("", text)
        text = BASE_PHRASE.sub("", text).strip()  # "较2020年" before the year alone is stripped as noise
        text = TRAILING_NOISE.sub("", text)
    text = text.strip(" 、,，")
    return text if re.search(rf"[{HAN}a-z0-9]", text) else ""  # a bracket or dash alone names nothing


FIVE_YEAR_END = re.compile(r"(?:到|至)\s*[“\"]?(十[一二三四五]?五)[”\"]?\s*(?:时期|期)?末|"
                           r"(?<![较比与在])[“\"]?(十[一二三四五]?五)[”\"]?\s*期间\s*[,，]")
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


def find_mentions(s: str, bare_years: bool = False) -> list[Mention]:
    """Every quantified statement in the normalised paragraph `s` (`bare_years`: see target_years)."""
    years = target_years(s, bare=bare_years)
    raw = [m for m in MENTION.finditer(s) if not excluded(s, m)]
    mentions: list[Mention] = []
    previous_end = 0
    i = 0
    while i < len(raw):
        m = raw[i]
        # A list of numbers joined by 、/和 after "分别": one mention per number, subjects split alike.
        group = [m]
        j = i + 1
        while j < len(raw) and re.fullmatch(r"\s*[、和及与,，]\s*", s[group[-1].end():raw[j].start()]) \
                and (raw[j].group("unit") or "") == (m.group("unit") or ""):
            group.append(raw[j])
            j += 1
        cstart = clause_start(s, m.start())
        start = max(cstart, previous_end if previous_end <= m.start() else cstart)
        pre = s[start:m.start()]
        pair = _from_to(s, m, raw[i + 1] if i + 1 < len(raw) else None, start, years)
        if pair:
            mentions.extend(pair)
            previous_end = pair[-1].end
            i += 1 if m.group("num2") else 2
            continue
        if len(group) > 1 and "分别" in pre:
            mentions.extend(_list_mentions(s, group, start, years))
            previous_end = group[-1].end()
            i = j
            continue
        # "规模以上工业总产值突破4000亿元，年均增长7%以上": a clause with no subject of its own, right
        # after a statement in the same sentence, is about that statement's indicator.
        carry = mentions[-1].indicator if mentions and re.fullmatch(r"\s*[,，]\s*", s[mentions[-1].end:cstart] or "x") else ""
        mention = _mention(s, m, start, years, carry=carry)
        if mention is not None:
            mention.indicator = with_subject(s, mention)
            mentions.extend(split_shared_value(mention))
            previous_end = mention.end
        elif mentions and (aside := ASIDE_YEAR.search(s[max(cstart, s.rfind("(", 0, m.start()),
                                                            s.rfind("（", 0, m.start())):m.start()])):
            # "合格率达到95%（2020年为93%）": the level in an earlier year, given in brackets.
            unit = normalise_unit(m.group("unit") or "")
            mentions.append(Mention(start=cstart, end=m.end(), value=float(m.group("num")), unit=unit or mentions[-1].unit,
                                    comparator="==", indicator=mentions[-1].indicator, year=int(aside.group(1)),
                                    cue="from", note="the level in an earlier year, stated beside the target"))
            previous_end = m.end()
        i += 1
    return mentions


ASIDE_YEAR = re.compile(r"^[,，(（]?\s*(\d{4})\s*年(?:底|末)?\s*(?:为|是|达到|达|:|：)?\s*$")


FROM = re.compile(r"(?:由|从)\s*(?:(?P<year>\d{4})\s*年(?:末|底)?的?)?\s*$")
TO = re.compile(r"\s*(?:(?P<up>提高|提升|增长|增加|上升|扩大)|(?P<down>下降|降低|减少|压减|缩小|降))?\s*(?:到|至)\s*")


def _from_to(s: str, m: re.Match, nxt: Optional[re.Match], start: int, years) -> Optional[list[Mention]]:
    """'城镇化率由2020年的60%提高到65%': the first number is where the indicator starts (a baseline,
    cue "from"), the second the target."""
    head = FROM.search(s[start:m.start()])
    if head is None:
        return None
    if m.group("num2"):  # "由60%至65%" read as one span
        low, high, to_end, verb = m.group("num"), m.group("num2"), m.end(), None
        unit = m.group("unit") or m.group("unit2")
    else:
        if nxt is None:
            return None
        verb = TO.fullmatch(s[m.end():nxt.start()])
        if verb is None:
            return None
        low, high, to_end = m.group("num"), nxt.group("num"), nxt.end()
        unit = m.group("unit") or nxt.group("unit")
    subject = clean_indicator(s[start:start + head.start()])
    if not subject:
        return None
    comparator = ">=" if verb is not None and verb.group("up") else "<=" if verb is not None and verb.group("down") else ""
    unit = normalise_unit(unit or "")
    base = Mention(start=start, end=m.end("num") + (len(m.group("unit") or "")), value=float(low), unit=unit,
                   comparator="==", indicator=subject, year=int(head.group("year")) if head.group("year") else None,
                   cue="from", note="the level it starts from (由…到)")
    target = Mention(start=start, end=to_end, value=float(high), unit=unit, comparator=comparator, indicator=subject,
                     year=_year_before(years, m.start()), cue="reach", verb=True)
    return [base, target]


def _year_before(years: list[tuple[int, int]], pos: int) -> Optional[int]:
    found = [y for p, y in years if p < pos]
    return found[-1] if found else None


FIVE_YEAR_BASE = re.compile(r"(?:较|比|与|在)\s*[“\"]?(十[一二三四五]?五)[”\"]?\s*(?:时期|期)?末")


def _base_year(text: str) -> Optional[int]:
    m = BASE_YEAR.search(text)
    if not m:
        five = FIVE_YEAR_BASE.search(text)  # "比“十三五”末提高" → 2020
        return FIVE_YEAR.get(five.group(1)) if five else None
    return int(m.group(1) or m.group(2))


def _comparator(kind: str, suffix: str, unit: str, op: str) -> tuple[str, str]:
    """(comparator, note) from the cue kind and suffix; "" leaves it to the indicator's direction."""
    suffix = suffix.strip()
    note = ""
    if op:
        return (">=" if op[0] in ">≥" else "<="), (f"stated as '{op.strip()}'; recorded as inclusive" if op.strip() in "<>" else "")
    about = suffix == "左右"
    if kind == "avg_growth>=":
        return "avg_growth>=", ("stated as about (左右)" if about else "")
    if about and kind not in ("reduce", "increase"):
        return "about", ""
    if kind == "maintain":
        return ("maintain<=" if suffix in ("以下", "以内", "之内") else "maintain>="), ""
    if kind == "control":
        return (">=" if suffix in ("以上", "及以上") else "<="), ""
    if kind in (">=", "<="):
        return kind, ""
    if kind in ("reduce", "increase"):
        if unit == "%":
            return ("reduce_by_pct" if kind == "reduce" else "increase_by_pct"), ("stated as about (左右)" if about else "")
        if unit in ("个百分点", "百分点"):
            return "qualitative", f"a change of {unit} (percentage points) relative to a base; no comparator expresses it"
        return "qualitative", "an absolute change relative to a base; no comparator expresses it"
    if suffix in ("以上", "及以上"):
        return ">=", note
    if suffix in ("以下", "以内", "之内"):
        return "<=", note
    return "", note


def _accept(m: re.Match, kind: str) -> bool:
    """A number is a quantity when it has a unit, a comparison word before it, or 以上/以下/左右 after it."""
    unit = m.group("unit") or m.group("unit2")
    if m.group("op") or m.group("suffix"):
        return True
    if kind == "count":
        return bool(unit)
    return bool(kind) or bool(unit)


SUBJECTLESS_CUES = {"avg_growth>=", ">=", "<=", "control", "maintain", "reduce", "increase", "reach"}


# A per-capita denominator between the cue and the number ("不少于每百万人口900份") belongs to the name.
PER = re.compile(r"每\s*[十百千万]*\s*(?:人口|人|户|家|台|辆|平方公里)\s*$")


def _mention(s: str, m: re.Match, start: int, years, carry: str = "") -> Optional[Mention]:
    pre = s[start:m.start()]
    per = PER.search(pre)
    kind, _, before_cue = _match_cue(pre[:per.start()] if per else pre)
    if per and kind:
        before_cue = f"{before_cue}({per.group(0).strip()})"
    elif per:
        kind, _, before_cue = _match_cue(pre)
    unit = normalise_unit(m.group("unit") or m.group("unit2") or "")  # "30～35微克/立方米"
    suffix = (m.group("suffix") or "").strip()
    end = m.end()
    after = s[end:clause_end(s, end)]
    # A following 、-list item starts a new statement: the indicator after a count stops there.
    after_item = re.split(r"、(?=\s*\d)|\d", after, maxsplit=1)[0]
    if not _accept(m, kind):
        return None
    comparator, note = _comparator(kind, suffix, unit, m.group("op") or "")
    relative = comparator in ("reduce_by_pct", "increase_by_pct", "qualitative") or kind in ("reduce", "increase")
    base_year = _base_year(before_cue) if relative else None
    indicator_text = before_cue
    verb_after = bool(re.match(rf"\s*[{HAN}]", after_item))
    raw_unit = m.group("unit") or m.group("unit2") or ""
    quote_end = end
    if raw_unit in MEASURE_WORDS and verb_after and (kind in ("count", "") or not clean_indicator(before_cue)):
        # "建成 5 个以上示范项目": the thing counted follows the count.
        indicator_text = after_item
        quote_end = end + len(after_item.rstrip())
        sentence = s[max(s.rfind("。", 0, m.start()), s.rfind("\n", 0, m.start())) + 1:m.start()]
        if kind == "" and not suffix and not (TARGET_VERBS.search(sentence) or COUNT_VERBS.search(sentence)):
            kind = "weak"
    elif unit == "%" and verb_after and not kind and not suffix:
        # "药品生产企业 100% 通过 GMP 认证": the share that does something.
        indicator_text = before_cue.rstrip() + after_item
        quote_end = end + len(after_item.rstrip())
        comparator = ">="
    if re.search(r"(全市|全部|所有|全县|全区)\s*$", pre) and raw_unit in MEASURE_WORDS and not suffix:
        comparator = "=="
        note = "a count of all units (全…), read as exactly this many"
    indicator = clean_indicator(indicator_text)
    if not indicator and carry and kind in SUBJECTLESS_CUES and indicator_text is before_cue:
        indicator = carry
    if not indicator:
        return None
    range_hi = float(m.group("num2")) if m.group("num2") else None
    if range_hi is not None:
        note = (f"range {m.group('num')}–{m.group('num2')} stated: a floor keeps the lower end, "
                f"a ceiling the upper end")
    mention = Mention(start=start, end=max(quote_end, end), value=float(m.group("num")), unit=unit,
                      comparator=comparator, indicator=indicator, base_year=base_year,
                      year=_year_before(years, m.start()), suffix=suffix, cue=kind, note=note, range_hi=range_hi)
    mention.verb = bool(TARGET_VERBS.search(s[clause_start(s, m.start()):m.start()]))
    return mention


def _list_mentions(s: str, group: list[re.Match], start: int, years) -> list[Mention]:
    """'A、B、C排放量在2010年基础上分别下降15.2%、11.2%、9.1%': one mention per subject."""
    first = group[0]
    pre = s[start:first.start()]
    kind, _, before_cue = _match_cue(pre)
    head = before_cue.split("分别")[0]
    base_year = _base_year(pre)
    subject = clean_indicator(BASE_PHRASE.sub("", head.strip()) if base_year is None else BASE_YEAR.split(head)[0])
    items = [x for x in re.split(r"[、和及与]", subject) if x.strip()]
    if len(items) != len(group):
        items = [subject] * len(group)
    else:
        items = distribute_suffix(items)
    out = []
    for item, m in zip(items, group):
        unit = normalise_unit(m.group("unit") or group[0].group("unit") or "")
        comparator, note = _comparator(kind, (m.group("suffix") or ""), unit, m.group("op") or "")
        out.append(Mention(start=start, end=group[-1].end(), value=float(m.group("num")), unit=unit,
                           comparator=comparator, indicator=clean_indicator(item), base_year=base_year,
                           year=_year_before(years, first.start()), suffix=(m.group("suffix") or "").strip(),
                           cue=kind, note=note, in_list=True))
    return out


SHARED_HEADS = ["环境质量", "排放总量", "排放量", "排放强度", "合格率", "达标率", "覆盖率", "普及率", "满意度", "浓度", "比例", "比重",
                "增加值", "总产值", "产值", "能耗", "水耗", "削减率", "下降率", "降幅", "增幅", "利用率", "处理率"]


COMPLETE_HEAD = re.compile(r"(?:率|比重|比例|指数|强度|能耗|水耗|浓度)$")  # already a measure: takes no shared head


def distribute_suffix(items: list[str]) -> list[str]:
    """'二氧化硫、氮氧化物、氨氮排放量' → each item gets the head noun the last one carries."""
    last = items[-1]
    for head in SHARED_HEADS:
        if last.endswith(head) and len(last) > len(head):
            return [x if COMPLETE_HEAD.search(x) or any(x.endswith(h) for h in SHARED_HEADS) else x + head
                    for x in items[:-1]] + [last]
    return items


def split_shared_value(mention: Mention) -> list[Mention]:
    """'使用登记率、定期检验率达到100%': two indicators, each a rate, share one value."""
    items = [x for x in re.split(r"[、]|和(?=[^、]*$)", mention.indicator) if x.strip()]
    if len(items) < 2 or not all(METRIC_NOUN.search(x) and len(x) >= 3 for x in items):
        return [mention]
    from dataclasses import replace

    return [replace(mention, indicator=clean_indicator(x), in_list=True) for x in items]


SUBJECT_CUT = re.compile(r"达到|提高|提升|实现|必须|要|应|全面|基本|建立|质量|水平")


def with_subject(s: str, mention: Mention) -> str:
    """'生活性服务业质量达到国内先进水平，顾客满意度达到85以上': a bare '顾客满意度' takes the subject
    of the clause before it in the same sentence, in brackets: '(生活性服务业)顾客满意度'."""
    name = mention.indicator
    if len(name) > 5 or not METRIC_NOUN.search(name) or mention.in_list:
        return name
    at = s.find(name, mention.start)
    p = clause_start(s, at if at >= 0 else mention.start)
    if p == 0 or s[p - 1] not in ",，":  # after "；" a new statement starts with its own subject
        return name
    previous = s[clause_start(s, p - 1):p - 1]
    if re.search(r"\d", previous):
        return name
    cut = SUBJECT_CUT.search(previous)
    subject = previous[:cut.start()] if cut else previous
    subject = clean_indicator(subject.split("等")[-1])[-12:]
    if len(subject) < 2:
        return name
    mention.start = min(mention.start, clause_start(s, p - 1))  # the quote shows the clause it refers to
    return f"({subject}){name}"
