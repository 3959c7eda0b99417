"""A plan's title, region, issue date and period, from the document's own lines."""

from __future__ import annotations

import re
from typing import Optional

from .context import FIVE_YEAR, FIVE_YEAR_RE, YEAR_RANGE
from .normalise import char_normalise

TITLE = re.compile(
    r"^[\s《]*(?P<t>[^\s，,。《》]{2,40}?(?:规划|纲要|计划|方案|意见|行动)(?:[(（][^)）]{4,20}[)）])?)[》\s]*$"
)


DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


REGION = re.compile(r"^(.{2,8}?(?:自治州|地区|市|县|区|州|盟|旗|省))")


def plan_metadata(text: str, norm: str):
    """Title, region, issue date and period from the document's own lines, where it states them."""
    title = issued = None
    for line in text.splitlines():
        s = line.strip()
        if title is None and "关于" not in s and "通知" not in s:
            m = TITLE.match(s)
            if m:
                title = m.group("t")
        if issued is None:
            d = DATE.match(char_normalise(line))
            if d:
                issued = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    if title is None:  # only named inside a line: "关于印发《某市质量发展规划》的通知"
        for line in (x for x in text.splitlines()[:30] if "印发" in x):
            m = re.search(r"《([^《》]{2,40}?(?:规划|纲要|计划|方案|意见)(?:[(（][^)）]{4,20}[)）])?)》", line)
            if m:
                title = m.group(1)
                break
    region = None
    if title:
        r = REGION.match(title)
        region = r.group(1) if r else None
    if region is None:
        counts: dict[str, int] = {}
        for r in re.findall(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2}市)", text):
            if r[0] not in "全我本该城各强省县区都" and not r.endswith("强市"):
                counts[r] = counts.get(r, 0) + 1
        region = max(counts, key=counts.get) if counts else None
    period = None
    if title:
        t = char_normalise(title)
        m = YEAR_RANGE.search(t)
        if m:
            period = (int(m.group(1)), int(m.group(2)))
        else:
            five = FIVE_YEAR_RE.search(t)
            if five and five.group(1) in FIVE_YEAR:
                end = FIVE_YEAR[five.group(1)]
                period = (end - 4, end)
    return title, region, issued, period


def year_of(date: Optional[str]) -> Optional[int]:
    return int(date[:4]) if date else None
