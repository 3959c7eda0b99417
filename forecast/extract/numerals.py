"""Numbers written in Chinese, in the frames where plans use them for targets: 百分之九十五, 九成以上,
翻一番 / 翻两番, 两个百分点. Outside these frames a Chinese numeral is no quantity ("一批", "三个方面",
"一是", "十四五"), so only the frames are read.

Each frame found is returned as a `NumberMatch`, which answers `group`, `start` and `end` the way a
match of `mentions.MENTION` does, so the mention finder reads both alike.
"""

from __future__ import annotations

import re
from typing import Optional

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
SUFFIX = r"(?P<suffix>\s*(?:及以上|以上|以下|以内|之内|左右))?"
FRAMES = re.compile(
    rf"(?:百分之(?P<pct>{_CN})|"
    r"(?P<cheng>[一二三四五六七八九])成(?=以上|左右|以下|通过|实现|达到|达标|的|[^\u4e00-\u9fff]|$)|"
    r"翻(?P<fan>[一两二三四])番|"
    rf"(?P<pts>{_CN})个百分点){SUFFIX}"
)


def chinese_number(text: str) -> Optional[float]:
    """九十五 → 95, 两 → 2, 一千二百 → 1200, 九十五点五 → 95.5; None when `text` is not a number."""
    whole, _, frac = text.partition("点")
    total, digit = 0, None
    for ch in whole:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
        else:
            return None
    if not whole:
        return None
    total += digit or 0
    if frac:
        if any(ch not in DIGITS for ch in frac):
            return None
        return float(f"{total}." + "".join(str(DIGITS[ch]) for ch in frac))
    return float(total)


class NumberMatch:
    """A Chinese-numeral frame, read as a number with its unit (and, for 翻番, the change it states)."""

    def __init__(self, start: int, end: int, num: float, unit: str, suffix: str = "", kind: str = ""):
        self._start, self._end, self.kind = start, end, kind  # kind: a cue the frame itself states
        self._groups = {"num": f"{num:g}", "unit": unit or None, "suffix": suffix or None}

    def group(self, name="num"):
        return self._groups.get(name)

    def start(self, name=None) -> int:
        return self._start

    def end(self, name=None) -> int:
        return self._end


def chinese_frames(s: str) -> list[NumberMatch]:
    out = []
    for m in FRAMES.finditer(s):
        suffix = m.group("suffix") or ""
        if m.group("pct"):
            value = chinese_number(m.group("pct"))
            found = NumberMatch(m.start(), m.end(), value, "%", suffix) if value is not None else None
        elif m.group("cheng"):
            found = NumberMatch(m.start(), m.end(), 10 * chinese_number(m.group("cheng")), "%", suffix)
        elif m.group("fan"):  # doubling n times: +100% once, +300% twice …
            n = int(chinese_number(m.group("fan")))
            found = NumberMatch(m.start(), m.end(), 100 * (2**n - 1), "%", kind="increase")
        else:
            value = chinese_number(m.group("pts"))
            found = NumberMatch(m.start(), m.end(), value, "个百分点") if value is not None else None
        if found is not None:
            out.append(found)
    return out
