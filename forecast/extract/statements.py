"""Statements that hold more than one number or borrow their subject: "由60%提高到65%" (a start and a
target), "A、B、C分别下降15%、11%、9%" and "到2024年和2026年分别达到96%和98%" (lists), "这4个指标分别是…"
(levels named back), "使用登记率、定期检验率达到100%" (a shared value) and "…质量达到先进水平，顾客满意度
达到85以上" (a subject carried from the clause before)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from ..schema import Comparator
from .items import Mention
from .lexicon import (
    BASE_PHRASE,
    BASE_YEAR,
    METRIC_NOUN,
    base_year_of,
    clause_start,
    clean_indicator,
    cue_comparator,
    distribute_suffix,
    match_cue,
    split_items,
    suffix_of,
)
from .normalise import normalise_unit
from .numerals import chinese_number

# "这4个指标分别是83.5、91.1%…": levels named back by the indicators stated before them.
BACK_REFERENCE = re.compile(
    r"(?:这|上述|以上|该)\s*(?P<n>\d+|[两二三四五六七八九十])\s*(?:个|项)\s*指标\s*分别\s*(?:是|为|达到|达)\s*$"
)


def back_reference(s: str, raw: list, i: int, cstart: int, mentions: list[Mention]) -> list[Mention]:
    """'而在2015年,这4个指标分别是83.5、91.1%、92.9%和75': the levels, in order, of the last four
    indicators stated, in the year the sentence names (a level stated, cue "from")."""
    ref = BACK_REFERENCE.search(s[cstart : raw[i].start()])
    if ref is None:
        return []
    n = int(ref.group("n")) if ref.group("n").isdigit() else int(chinese_number(ref.group("n")) or 0)
    group = raw[i : i + n]
    if (
        n < 2
        or len(group) < n
        or len(mentions) < n
        or not all(re.fullmatch(r"\s*[、和及与,，]\s*", s[a.end() : b.start()]) for a, b in zip(group, group[1:]))
    ):
        return []
    sentence = s[max(s.rfind("。", 0, cstart), s.rfind("；", 0, cstart)) + 1 : raw[i].start()]
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", sentence)]  # "而在2015年": the year of the levels
    out = []
    for before, m in zip(mentions[-n:], group):
        unit = normalise_unit(m.group("unit") or "")
        out.append(
            Mention(
                start=cstart,
                end=group[-1].end(),
                value=float(m.group("num")),
                unit=unit or before.unit,
                comparator=Comparator.eq,
                indicator=before.indicator,
                year=years[-1] if years else None,
                cue="from",
                note="a level named back ('这…个指标分别是')",
                in_list=True,
            )
        )
    return out


FROM = re.compile(r"(?:由|从)\s*(?:(?P<year>\d{4})\s*年(?:末|底)?的?)?\s*$")


TO = re.compile(r"\s*(?:(?P<up>提高|提升|增长|增加|上升|扩大)|(?P<down>下降|降低|减少|压减|缩小|降))?\s*(?:到|至)\s*")


def from_to(s: str, m: re.Match, nxt: Optional[re.Match], start: int, years) -> Optional[list[Mention]]:
    """'城镇化率由2020年的60%提高到65%': the first number is where the indicator starts (a baseline,
    cue "from"), the second the target."""
    head = FROM.search(s[start : m.start()])
    if head is None:
        return None
    if m.group("num2"):  # "由60%至65%" read as one span
        low, high, to_end, verb = m.group("num"), m.group("num2"), m.end(), None
        unit = m.group("unit") or m.group("unit2")
    else:
        if nxt is None:
            return None
        verb = TO.fullmatch(s[m.end() : nxt.start()])
        if verb is None:
            return None
        low, high, to_end = m.group("num"), nxt.group("num"), nxt.end()
        unit = m.group("unit") or nxt.group("unit")
    subject = clean_indicator(s[start : start + head.start()])
    if not subject:
        return None
    comparator = (
        Comparator.ge
        if verb is not None and verb.group("up")
        else Comparator.le
        if verb is not None and verb.group("down")
        else None
    )
    unit = normalise_unit(unit or "")
    base = Mention(
        start=start,
        end=m.end("num") + (len(m.group("unit") or "")),
        value=float(low),
        unit=unit,
        comparator=Comparator.eq,
        indicator=subject,
        year=int(head.group("year")) if head.group("year") else None,
        cue="from",
        note="the level it starts from (由…到)",
    )
    target = Mention(
        start=start,
        end=to_end,
        value=float(high),
        unit=unit,
        comparator=comparator,
        indicator=subject,
        year=year_before(years, m.start()),
        cue="reach",
        verb=True,
    )
    return [base, target]


def year_before(years: list[tuple[int, int]], pos: int) -> Optional[int]:
    found = [y for p, y in years if p < pos]
    return found[-1] if found else None


def list_mentions(s: str, group: list[re.Match], start: int, years) -> list[Mention]:
    """'A、B、C排放量在2010年基础上分别下降15.2%、11.2%、9.1%': one mention per subject."""
    first = group[0]
    pre = s[start : first.start()]
    kind, _, before_cue = match_cue(pre)
    head = before_cue.split("分别")[0]
    base_year = base_year_of(pre)
    subject = clean_indicator(BASE_PHRASE.sub("", head.strip()) if base_year is None else BASE_YEAR.split(head)[0])
    items = split_items(subject)
    # "到2024年和2026年分别达到96%和98%": one subject, one year per value, in order.
    listed = (
        [int(y) for y in re.findall(r"(20\d\d)\s*年", YEAR_LIST.search(pre).group(0))] if YEAR_LIST.search(pre) else []
    )
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
        year = listed[k] if len(listed) == len(group) else year_before(years, first.start())
        out.append(
            Mention(
                start=start,
                end=group[-1].end(),
                value=float(m.group("num")),
                unit=unit,
                comparator=comparator,
                indicator=clean_indicator(item),
                base_year=base_year,
                year=year,
                suffix=suffix_of(m),
                cue=kind,
                note=note,
                in_list=True,
            )
        )
    return out


YEAR_LIST = re.compile(r"(?:到|至)?\s*20\d\d\s*年(?:底|末)?(?:\s*[、和及与]\s*(?:到|至)?\s*20\d\d\s*年(?:底|末)?)+")


def split_shared_value(mention: Mention) -> list[Mention]:
    """'使用登记率、定期检验率达到100%': two indicators, each a rate, share one value."""
    items = [x for x in re.split(r"[、]|和(?=[^、]*$)", mention.indicator) if x.strip()]
    if len(items) < 2 or not all(METRIC_NOUN.search(x) and len(x) >= 3 for x in items):
        return [mention]
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
    previous = s[clause_start(s, p - 1) : p - 1]
    if re.search(r"\d", previous):
        return name
    cut = SUBJECT_CUT.search(previous)
    subject = previous[: cut.start()] if cut else previous
    subject = clean_indicator(subject.split("等")[-1])[-12:]
    if len(subject) < 2:
        return name
    mention.start = min(mention.start, clause_start(s, p - 1))  # the quote shows the clause it refers to
    return f"({subject}){name}"
