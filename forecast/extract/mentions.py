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
from dataclasses import dataclass
from typing import Optional

from ..schema import Comparator
from .lexicon import (
    BASE_PHRASE,
    BASE_YEAR,
    BOUNDARY,
    CLAUSE_YEAR,
    COUNT_VERBS,
    CUE_RE,
    HAN,
    METRIC_NOUN,
    TARGET_VERBS,
    base_year_of,
    clean_indicator,
    distribute_suffix,
    target_years,
)
from .normalise import MEASURE_WORDS, UNIT_WORDS, normalise_unit
from .numerals import chinese_frames, chinese_number

_UNIT_RE = "|".join(re.escape(u) for u in UNIT_WORDS)


_NUM = r"\d+(?:\.\d+)?"


MENTION = re.compile(
    rf"(?P<op>[<>≥≤]=?\s*)?(?P<num>{_NUM})(?:\s*(?P<unit>{_UNIT_RE}))?"
    rf"(?:\s*(?P<dash>[-—–~～至])\s*(?P<num2>{_NUM})(?:\s*(?P<unit2>{_UNIT_RE}))?)?"
    rf"(?P<suffix>\s*(?:[(（]含[^()（）]{{0,10}}[)）]\s*)?(?:及以上|以上|以下|以内|之内|左右))?"  # "90分(含90分)以上"
)


def suffix_of(m) -> str:
    """The bound word after a number (以上, 以下, 左右 …), without an inclusive note "(含90分)"."""
    return re.sub(r"[(（]含[^()（）]*[)）]", "", m.group("suffix") or "").strip()


# A threshold inside a name ("年营业收入超过500亿元的龙头企业", "面积1万平方米以上的园区"): an amount
# followed by 的 and more of the name describes what is counted; it is no target.
MODIFIER = re.compile(rf"(?:\s*[、和及与]\s*{_NUM}\s*(?:{_UNIT_RE}))*\s*的\s*[\u4e00-\u9fff]")
# Counts of the plan's own parts and partners ("会同14个部门", "从…4个方面", "5项措施"): no target.
STRUCTURE_NOUN = re.compile(r"^\s*(?:方面|部门|单位|措施|举措|重点任务|任务|环节|领域|章|节|部分|维度|原则|步骤|阶段|条)")
# "这4个指标分别是83.5、91.1%…": levels named back by the indicators stated before them.
BACK_REFERENCE = re.compile(r"(?:这|上述|以上|该)\s*(?P<n>\d+|[两二三四五六七八九十])\s*(?:个|项)\s*指标\s*分别\s*(?:是|为|达到|达)\s*$")


@dataclass
class Mention:
    """One quantified statement found in a paragraph (spans are paragraph offsets)."""

    start: int
    end: int
    value: float
    unit: str
    comparator: Optional[Comparator]  # None when only the indicator's direction can decide
    indicator: str
    base_year: Optional[int] = None
    year: Optional[int] = None  # a target year stated in the paragraph before the number
    suffix: str = ""
    cue: str = ""
    note: str = ""
    in_list: bool = False
    verb: bool = False  # a target verb (达到, 建成, 下降 …) stands in the clause before the number
    range_hi: Optional[float] = None  # "92%-95%": the upper end (value holds the lower)
    level_year: bool = False  # the year opens the clause ("2023年…达到83.5%"): the time of this level only


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
    if re.search(r"(?:这|上述|以上|该)\s*$", before) and re.match(r"\s*(?:个|项)\s*指标", after):
        return True  # "这4个指标": a reference, not a count
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
    for kind, rx in CUE_RE:
        m = rx.search(stripped)
        if m:
            return kind, m.group(0).strip(), stripped[:m.start()]
    return "", "", stripped


def find_mentions(s: str, bare_years: bool = False) -> list[Mention]:
    """Every quantified statement in the normalised paragraph `s` (`bare_years`: see target_years)."""
    years = target_years(s, bare=bare_years)
    raw = [m for m in MENTION.finditer(s) if not excluded(s, m)]
    taken = [(m.start(), m.end()) for m in raw]
    raw = sorted(raw + [c for c in chinese_frames(s) if not any(a < c.end() and c.start() < b for a, b in taken)],
                 key=lambda m: m.start())
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
        back = _back_reference(s, raw, i, cstart, mentions)
        if back:
            mentions.extend(back)
            previous_end = back[-1].end
            i += len(back)
            continue
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
                                    comparator=Comparator.eq, indicator=mentions[-1].indicator, year=int(aside.group(1)),
                                    cue="from", note="the level in an earlier year, stated beside the target"))
            previous_end = m.end()
        i += 1
    return mentions


def _back_reference(s: str, raw: list, i: int, cstart: int, mentions: list[Mention]) -> list[Mention]:
    """'而在2015年,这4个指标分别是83.5、91.1%、92.9%和75': the levels, in order, of the last four
    indicators stated, in the year the sentence names (a level stated, cue "from")."""
    ref = BACK_REFERENCE.search(s[cstart:raw[i].start()])
    if ref is None:
        return []
    n = int(ref.group("n")) if ref.group("n").isdigit() else int(chinese_number(ref.group("n")) or 0)
    group = raw[i:i + n]
    if n < 2 or len(group) < n or len(mentions) < n or not all(
            re.fullmatch(r"\s*[、和及与,，]\s*", s[a.end():b.start()]) for a, b in zip(group, group[1:])):
        return []
    sentence = s[max(s.rfind("。", 0, cstart), s.rfind("；", 0, cstart)) + 1:raw[i].start()]
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", sentence)]  # "而在2015年": the year of the levels
    out = []
    for before, m in zip(mentions[-n:], group):
        unit = normalise_unit(m.group("unit") or "")
        out.append(Mention(start=cstart, end=group[-1].end(), value=float(m.group("num")), unit=unit or before.unit,
                           comparator=Comparator.eq, indicator=before.indicator, year=years[-1] if years else None,
                           cue="from", note="a level named back ('这…个指标分别是')", in_list=True))
    return out


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
    comparator = (Comparator.ge if verb is not None and verb.group("up")
                  else Comparator.le if verb is not None and verb.group("down") else None)
    unit = normalise_unit(unit or "")
    base = Mention(start=start, end=m.end("num") + (len(m.group("unit") or "")), value=float(low), unit=unit,
                   comparator=Comparator.eq, indicator=subject, year=int(head.group("year")) if head.group("year") else None,
                   cue="from", note="the level it starts from (由…到)")
    target = Mention(start=start, end=to_end, value=float(high), unit=unit, comparator=comparator, indicator=subject,
                     year=_year_before(years, m.start()), cue="reach", verb=True)
    return [base, target]


def _year_before(years: list[tuple[int, int]], pos: int) -> Optional[int]:
    found = [y for p, y in years if p < pos]
    return found[-1] if found else None


def cue_comparator(kind: str, suffix: str, unit: str, op: str) -> tuple[Optional[Comparator], str]:
    """(comparator, note) from the cue kind and suffix; None leaves it to the indicator's direction."""
    suffix = suffix.strip()
    note = ""
    if op:
        return (Comparator.ge if op[0] in ">≥" else Comparator.le), (f"stated as '{op.strip()}'; recorded as inclusive" if op.strip() in "<>" else "")
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
            return (Comparator.reduce_by_pct if kind == "reduce" else Comparator.increase_by_pct), ("stated as about (左右)" if about else "")
        if unit in ("个百分点", "百分点"):
            return Comparator.qualitative, f"a change of {unit} (percentage points) relative to a base; no comparator expresses it"
        return Comparator.qualitative, "an absolute change relative to a base; no comparator expresses it"
    if suffix in ("以上", "及以上"):
        return Comparator.ge, note
    if suffix in ("以下", "以内", "之内"):
        return Comparator.le, note
    return None, note


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
    pre = s[start:m.start()]
    per = PER.search(pre)
    kind, _, before_cue = _match_cue(pre[:per.start()] if per else pre)
    if per and kind:
        before_cue = f"{before_cue}({per.group(0).strip()})"
    elif per:
        kind, _, before_cue = _match_cue(pre)
    kind = getattr(m, "kind", "") or kind  # "翻一番" states its own change
    unit = normalise_unit(m.group("unit") or m.group("unit2") or "")  # "30～35微克/立方米"
    suffix = suffix_of(m)
    end = m.end()
    after = s[end:clause_end(s, end)]
    # A following 、-list item starts a new statement: the indicator after a count stops there.
    after_item = re.split(r"、(?=\s*\d)|\d", after, maxsplit=1)[0]
    if not _accept(m, kind):
        return None
    raw_unit = m.group("unit") or m.group("unit2") or ""
    if raw_unit not in MEASURE_WORDS and unit != "%" and MODIFIER.match(after):
        return None
    if raw_unit in MEASURE_WORDS and STRUCTURE_NOUN.match(after_item):
        return None
    comparator, note = cue_comparator(kind, suffix, unit, m.group("op") or "")
    relative = comparator in (Comparator.reduce_by_pct, Comparator.increase_by_pct, Comparator.qualitative) or kind in ("reduce", "increase")
    base_year = base_year_of(before_cue) if relative else None
    indicator_text = before_cue
    verb_after = bool(re.match(rf"\s*[{HAN}]", after_item)) and not re.fullmatch(r"\s*等+\s*", after_item)  # "…30个等"
    quote_end = end
    if raw_unit in MEASURE_WORDS and verb_after and (kind in ("count", "") or not clean_indicator(before_cue)):
        # "建成 5 个以上示范项目": the thing counted follows the count.
        indicator_text = after_item
        quote_end = end + len(after_item.rstrip())
        sentence = s[max(s.rfind("。", 0, m.start()), s.rfind("\n", 0, m.start())) + 1:m.start()]
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
        note = (f"range {m.group('num')}–{m.group('num2')} stated: a floor keeps the lower end, "
                f"a ceiling the upper end")
    own_year = CLAUSE_YEAR.match(s[clause_start(s, m.start()):m.start()])
    mention = Mention(start=start, end=max(quote_end, end), value=float(m.group("num")), unit=unit,
                      comparator=comparator, indicator=indicator, base_year=base_year,
                      year=int(own_year.group(1)) if own_year else _year_before(years, m.start()),
                      suffix=suffix, cue=kind, note=note, range_hi=range_hi, level_year=bool(own_year))
    mention.verb = bool(TARGET_VERBS.search(s[clause_start(s, m.start()):m.start()]))
    return mention


def _list_mentions(s: str, group: list[re.Match], start: int, years) -> list[Mention]:
    """'A、B、C排放量在2010年基础上分别下降15.2%、11.2%、9.1%': one mention per subject."""
    first = group[0]
    pre = s[start:first.start()]
    kind, _, before_cue = _match_cue(pre)
    head = before_cue.split("分别")[0]
    base_year = base_year_of(pre)
    subject = clean_indicator(BASE_PHRASE.sub("", head.strip()) if base_year is None else BASE_YEAR.split(head)[0])
    items = [x for x in re.split(r"[、和及与]", subject) if x.strip()]
    # "到2024年和2026年分别达到96%和98%": one subject, one year per value, in order.
    listed = [int(y) for y in re.findall(r"(20\d\d)\s*年", YEAR_LIST.search(pre).group(0))] if YEAR_LIST.search(pre) else []
    if len(listed) == len(group):
        subject = clean_indicator(YEAR_LIST.sub("", head))
        items = [subject] * len(group)
    elif len(items) != len(group):
        items = [subject] * len(group)
    else:
        items = distribute_suffix(items)
    out = []
    for k, (item, m) in enumerate(zip(items, group)):
        unit = normalise_unit(m.group("unit") or group[0].group("unit") or "")
        comparator, note = cue_comparator(kind, suffix_of(m), unit, m.group("op") or "")
        year = listed[k] if len(listed) == len(group) else _year_before(years, first.start())
        out.append(Mention(start=start, end=group[-1].end(), value=float(m.group("num")), unit=unit,
                           comparator=comparator, indicator=clean_indicator(item), base_year=base_year,
                           year=year, suffix=suffix_of(m), cue=kind, note=note, in_list=True))
    return out


YEAR_LIST = re.compile(r"(?:到|至)?\s*20\d\d\s*年(?:底|末)?(?:\s*[、和及与]\s*(?:到|至)?\s*20\d\d\s*年(?:底|末)?)+")


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
