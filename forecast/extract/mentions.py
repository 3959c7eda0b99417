"""The mention finder: quantified statements in running text.

A plan states a target as <indicator> <cue> <number><unit><suffix>: "抽检合格率稳定在95%以上",
"PM2.5年均浓度控制在42微克/立方米以下", "二氧化硫排放量较2015年下降15%", "服务业增加值年均增长9.3%",
"建成幸福美丽新村300个以上", "药品生产企业100%通过GMP认证". The cue and the suffix decide the
comparator; words of the indicator decide which way "达到 X" points (a concentration is a ceiling).
Everything here works on one paragraph in its normalised form (same length as the original, so
every span is also a span of the document). The words themselves are in `lexicon.py`.
"""

from __future__ import annotations

import re
from typing import Optional

from ..schema import Comparator
from .items import Mention
from .lexicon import (
    CLAUSE_YEAR,
    COUNT_VERBS,
    HAN,
    TARGET_VERBS,
    base_year_of,
    clause_end,
    clause_start,
    clean_indicator,
    cue_comparator,
    match_cue,
    suffix_of,
    target_years,
)
from .normalise import MEASURE_WORDS, UNIT_WORDS, normalise_unit
from .numerals import chinese_frames
from .statements import back_reference, from_to, list_mentions, split_shared_value, with_subject, year_before

_UNIT_RE = "|".join(re.escape(u) for u in UNIT_WORDS)


_NUM = r"\d+(?:\.\d+)?"
_PER_UNIT = r"(?:/(?:千人|万人|十万人|百万人口|万台|人|户))?"  # "4批次/千人": a rate per population is one unit


MENTION = re.compile(
    rf"(?P<op>[<>≥≤]=?\s*)?(?P<num>{_NUM})(?:\s*(?P<unit>(?:{_UNIT_RE}){_PER_UNIT}))?"
    rf"(?:\s*(?P<dash>[-—–~～至])\s*(?P<num2>{_NUM})(?:\s*(?P<unit2>{_UNIT_RE}))?)?"
    rf"(?P<suffix>\s*(?:[(（]含[^()（）]{{0,10}}[)）]\s*)?(?:及以上|以上|以下|以内|之内|左右))?"  # "90分(含90分)以上"
)


# A threshold inside a name ("年营业收入超过500亿元的龙头企业", "面积1万平方米以上的园区"): an amount
# followed by 的 and more of the name describes what is counted; it is no target.
MODIFIER = re.compile(rf"(?:\s*[、和及与]\s*{_NUM}\s*(?:{_UNIT_RE}))*\s*的\s*[\u4e00-\u9fff]")


# People or firms taking part ("1200余人参加", "300多家企业参与"): an attendance, not a target.
PARTICIPANTS = re.compile(
    r"^\s*(?:余|多)?\s*(?:人次|人|名|家|个)?\s*(?:[\u4e00-\u9fff]{0,6}?)(?:参加|参与|参训|出席|到会|报名)"
)
EXISTING = re.compile(r"(?:现有|已有|已建成|已经建成|目前已?有?|现已)\s*$")
# Counts of the plan's own parts and partners ("会同14个部门", "从…4个方面", "5项措施"): no target.
STRUCTURE_NOUN = re.compile(
    r"^\s*(?:方面|部门|单位|措施|举措|重点任务|任务|环节|领域|章|节|部分|维度|原则|步骤|阶段|条)"
)


def excluded(s: str, m: re.Match) -> bool:
    """Numbers that are not quantities: years, dates, codes, ordinals, document numbers, enumerators."""
    a, b = m.start("num"), m.end("num")
    num = m.group("num")
    before, after = s[max(0, a - 6) : a], s[b : b + 4]
    if re.fullmatch(r"(19|20)\d\d", num) and (
        re.match(r"\s*(年|[-—–~～/.]\s*\d)", after) or re.search(r"[-—–~～]\s*$", before)
    ):
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
    if re.search(r"(?:这|上述|以上|该)\s*$", before) and re.match(r"\s*(?:个|项)\s*指标", after):
        return True  # "这4个指标": a reference, not a count
    if a == 0 or re.fullmatch(r"[\s—\-(（]*", s[:a]):  # an enumerator "1." or "(2)" at the start
        if re.match(r"\s*[.．、)）]", after):
            return True
    opening = max(s.rfind("《", 0, a), s.rfind("〔", 0, a))
    if opening >= 0 and s.find("》" if s[opening] == "《" else "〕", opening) >= b:
        return True
    return False


def find_mentions(s: str, bare_years: bool = False) -> list[Mention]:
    """Every quantified statement in the normalised paragraph `s` (`bare_years`: see target_years)."""
    years = target_years(s, bare=bare_years)
    raw = [m for m in MENTION.finditer(s) if not excluded(s, m)]
    taken = [(m.start(), m.end()) for m in raw]
    raw = sorted(
        raw + [c for c in chinese_frames(s) if not any(a < c.end() and c.start() < b for a, b in taken)],
        key=lambda m: m.start(),
    )
    mentions: list[Mention] = []
    previous_end = 0
    i = 0
    while i < len(raw):
        m = raw[i]
        # A list of numbers joined by 、/和 after "分别": one mention per number, subjects split alike.
        group = [m]
        j = i + 1
        while (
            j < len(raw)
            and re.fullmatch(r"\s*[、和及与,，]\s*", s[group[-1].end() : raw[j].start()])
            and (raw[j].group("unit") or "") == (m.group("unit") or "")
        ):
            group.append(raw[j])
            j += 1
        cstart = clause_start(s, m.start())
        start = max(cstart, previous_end if previous_end <= m.start() else cstart)
        pre = s[start : m.start()]
        back = back_reference(s, raw, i, cstart, mentions)
        if back:
            mentions.extend(back)
            previous_end = back[-1].end
            i += len(back)
            continue
        pair = from_to(s, m, raw[i + 1] if i + 1 < len(raw) else None, start, years)
        if pair:
            mentions.extend(pair)
            previous_end = pair[-1].end
            i += 1 if m.group("num2") else 2
            continue
        if len(group) > 1 and "分别" in pre:
            mentions.extend(list_mentions(s, group, start, years))
            previous_end = group[-1].end()
            i = j
            continue
        # "规模以上工业总产值突破4000亿元，年均增长7%以上": a clause with no subject of its own, right
        # after a statement in the same sentence, is about that statement's indicator.
        carry = (
            mentions[-1].indicator
            if mentions and re.fullmatch(r"\s*[,，]\s*", s[mentions[-1].end : cstart] or "x")
            else ""
        )
        mention = _mention(s, m, start, years, carry=carry)
        if mention is not None:
            mention.indicator = with_subject(s, mention)
            mentions.extend(split_shared_value(mention))
            previous_end = mention.end
        elif mentions and (
            aside := ASIDE_YEAR.search(
                s[max(cstart, s.rfind("(", 0, m.start()), s.rfind("（", 0, m.start())) : m.start()]
            )
        ):
            # "合格率达到95%（2020年为93%）": the level in an earlier year, given in brackets.
            unit = normalise_unit(m.group("unit") or "")
            mentions.append(
                Mention(
                    start=cstart,
                    end=m.end(),
                    value=float(m.group("num")),
                    unit=unit or mentions[-1].unit,
                    comparator=Comparator.eq,
                    indicator=mentions[-1].indicator,
                    year=int(aside.group(1)),
                    cue="from",
                    note="the level in an earlier year, stated beside the target",
                )
            )
            previous_end = m.end()
        i += 1
    return mentions


ASIDE_YEAR = re.compile(r"^[,，(（]?\s*(\d{4})\s*年(?:底|末)?\s*(?:为|是|达到|达|:|：)?\s*$")


def _accept(m: re.Match, kind: str) -> bool:
    """A number is a quantity when it has a unit, a comparison word before it, or 以上/以下/左右 after it."""
    unit = m.group("unit") or m.group("unit2")
    if m.group("op") or m.group("suffix"):
        return True
    if kind == "count":
        return bool(unit)
    return bool(kind) or bool(unit)


SUBJECTLESS_CUES = {"avg_growth", "floor", "ceiling", "control", "maintain", "reduce", "increase", "reach"}


# A per-capita denominator between the cue and the number ("不少于每百万人口900份") belongs to the name.
PER = re.compile(r"每\s*[十百千万]*\s*(?:人口|人|户|家|台|辆|平方公里)\s*$")


def _mention(s: str, m: re.Match, start: int, years, carry: str = "") -> Optional[Mention]:
    pre = s[start : m.start()]
    per = PER.search(pre)
    kind, _, before_cue = match_cue(pre[: per.start()] if per else pre)
    if per and kind:
        before_cue = f"{before_cue}({per.group(0).strip()})"
    elif per:
        kind, _, before_cue = match_cue(pre)
    kind = getattr(m, "kind", "") or kind  # "翻一番" states its own change
    unit = normalise_unit(m.group("unit") or m.group("unit2") or "")  # "30～35微克/立方米"
    suffix = suffix_of(m)
    end = m.end()
    after = s[end : clause_end(s, end)]
    # A following 、-list item starts a new statement: the indicator after a count stops there.
    after_item = re.split(r"、(?=\s*\d)|\d", after, maxsplit=1)[0]
    if not _accept(m, kind):
        return None
    raw_unit = m.group("unit") or m.group("unit2") or ""
    if raw_unit not in MEASURE_WORDS and unit != "%" and MODIFIER.match(after):
        return None
    if raw_unit in MEASURE_WORDS and STRUCTURE_NOUN.match(after_item):
        return None
    if raw_unit in MEASURE_WORDS | {"人次"} and PARTICIPANTS.match(after) and kind in ("", "count", "reach"):
        return None
    if kind in ("", "count") and EXISTING.search(pre):
        kind = "existing"  # "依托现有26个站点": what there is already, not a target
    comparator, note = cue_comparator(kind, suffix, unit, m.group("op") or "")
    relative = comparator in (Comparator.reduce_by_pct, Comparator.increase_by_pct, Comparator.qualitative) or kind in (
        "reduce",
        "increase",
    )
    base_year = base_year_of(before_cue) if relative else None
    indicator_text = before_cue
    verb_after = bool(re.match(rf"\s*[{HAN}]", after_item)) and not re.fullmatch(r"\s*等+\s*", after_item)  # "…30个等"
    quote_end = end
    if raw_unit in MEASURE_WORDS and verb_after and (kind in ("count", "") or not clean_indicator(before_cue)):
        # "建成 5 个以上示范项目": the thing counted follows the count.
        indicator_text = after_item
        quote_end = end + len(after_item.rstrip())
        sentence = s[max(s.rfind("。", 0, m.start()), s.rfind("\n", 0, m.start())) + 1 : m.start()]
        if kind == "" and not suffix and not (TARGET_VERBS.search(sentence) or COUNT_VERBS.search(sentence)):
            kind = "weak"
    elif unit == "%" and verb_after and not kind and suffix in ("", "以上", "及以上") and not MODIFIER.match(after):
        # "药品生产企业 100% 通过 GMP 认证": the share that does something.
        indicator_text = before_cue.rstrip() + after_item
        quote_end = end + len(after_item.rstrip())
        comparator = Comparator.ge
    if re.search(r"(全市|全部|所有|全县|全区)\s*$", pre) and raw_unit in MEASURE_WORDS and not suffix:
        comparator = Comparator.eq
        note = "a count of all units (全…), read as exactly this many"
    indicator = clean_indicator(indicator_text)
    if not indicator and carry and kind in SUBJECTLESS_CUES and indicator_text is before_cue:
        indicator = carry
    if not indicator:
        return None
    range_hi = float(m.group("num2")) if m.group("num2") else None
    if range_hi is not None:
        note = f"range {m.group('num')}–{m.group('num2')} stated: a floor keeps the lower end, a ceiling the upper end"
    own_year = CLAUSE_YEAR.match(s[clause_start(s, m.start()) : m.start()])
    mention = Mention(
        start=start,
        end=max(quote_end, end),
        value=float(m.group("num")),
        unit=unit,
        comparator=comparator,
        indicator=indicator,
        base_year=base_year,
        year=int(own_year.group(1)) if own_year else year_before(years, m.start()),
        suffix=suffix,
        cue=kind,
        note=note,
        range_hi=range_hi,
        level_year=bool(own_year),
    )
    mention.verb = bool(TARGET_VERBS.search(s[clause_start(s, m.start()) : m.start()]))
    return mention
