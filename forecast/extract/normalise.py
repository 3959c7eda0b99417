"""Character and unit normalisation that keeps every character where it was.

Quotes must be verbatim substrings of the document, so matching runs on a copy in which each
character is replaced by its NFKC form only when that form is one character long (full-width digits,
letters and punctuation become ASCII); offsets found in the copy are valid in the original.
"""

from __future__ import annotations

import re
import unicodedata

# Canonical unit spellings: every alias on the right is written as the key.
_UNIT_ALIASES = {
    "%": ["%", "％", "percent"],
    "‰": ["‰"],
    "µg/m³": ["µg/m³", "μg/m³", "µg/m3", "μg/m3", "ug/m3", "ug/m³", "微克/立方米", "微克每立方米"],
    "mg/L": ["mg/l", "mg/L", "毫克/升"],
    "m²": ["m²", "m2", "平方米"],
    "km²": ["km²", "km2", "平方公里", "平方千米"],
    "km": ["km", "公里", "千米"],
    "": ["-", "—", "/", ""],
}
_ALIAS_TO_UNIT = {alias.lower(): unit for unit, aliases in _UNIT_ALIASES.items() for alias in aliases}


def normalise_unit(unit: str | None) -> str:
    """One spelling per unit: ％→%, μg/m3 and 微克/立方米 → µg/m³, 平方米 → m², '-' → ''."""
    text = char_normalise(str(unit or "")).strip()
    text = re.sub(r"\s+", "", text)
    return _ALIAS_TO_UNIT.get(text.lower(), text)


def char_normalise(text: str) -> str:
    """NFKC per character where that keeps the length (full-width → ASCII), lower-cased ASCII, and
    traditional characters as simplified ones (達到 → 达到), one character for one."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        if len(n) != 1:
            n = ch
        if n == "μ":  # Greek mu and the micro sign are the same unit prefix
            n = "µ"
        if "\u4e00" <= n <= "\u9fff" and not _in_gb2312(n):
            n = _simplified(n)  # only characters no simplified text uses (著 in 显著 stays as it is)
        out.append(n.lower() if n.isascii() else n)
    return "".join(out)


_SIMPLIFIED: dict[str, str] = {}


def _in_gb2312(ch: str) -> bool:
    """GB2312 holds the simplified characters: one outside it is a traditional (or rare) form."""
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _simplified(ch: str) -> str:
    """The simplified form of one character (mirror sites serve plans in traditional characters)."""
    if ch not in _SIMPLIFIED:
        global _T2S
        if _T2S is None:
            from opencc_purepy import OpenCC  # pure Python, its dictionaries ship with it

            _T2S = OpenCC("t2s")
        converted = _T2S.convert(ch)
        _SIMPLIFIED[ch] = converted if len(converted) == 1 else ch
    return _SIMPLIFIED[ch]


_T2S = None


# Measure words: a count of things, "建成 5 个示范区".
MEASURE_WORDS = {
    "个",
    "件",
    "项",
    "家",
    "所",
    "座",
    "条",
    "名",
    "次",
    "处",
    "台",
    "批",
    "支",
    "部",
    "本",
    "种",
    "类",
    "套",
    "张",
    "辆",
    "艘",
    "只",
    "头",
    "棵",
    "株",
    "篇",
    "门",
    "场",
    "户",
    "人",
}

# Units that can follow a number in a plan, longest first so "亿元" wins over "元".
UNIT_WORDS = sorted(
    {
        *MEASURE_WORDS,
        "%",
        "‰",
        "个百分点",
        "百分点",
        "µg/m³",
        "µg/m3",
        "ug/m3",
        "微克/立方米",
        "mg/l",
        "毫克/升",
        "万亿元",
        "亿元",
        "万元",
        "千元",
        "元",
        "美元",
        "万美元",
        "亿美元",
        "万元/人",
        "元/人",
        "美元/人",
        "元/吨",
        "吨标准煤/万元",
        "立方米/万元",  # per-unit amounts are one unit
        "万人次",
        "人次",
        "万人",
        "万批次",
        "批次",
        "学时",
        "课时",
        "户次",
        "件次",
        "场次",
        "台次",
        "万份",
        "份",
        "万户",
        "万册",
        "册",
        "万亩",
        "亩",
        "公顷",
        "万公顷",
        "平方公里",
        "平方千米",
        "万平方米",
        "平方米",
        "万立方米",
        "立方米",
        "万吨标准煤",
        "吨标准煤",
        "万吨",
        "吨",
        "公里",
        "千米",
        "km",
        "米",
        "万千瓦时",
        "千瓦时",
        "万千瓦",
        "千瓦",
        "兆瓦",
        "床",
        "床位",
        "万辆",
        "万头",
        "分",
        "岁",
        "个工作日",
        "工作日",
        "天",
        "小时",
        "分钟",
        "倍",
        "标台",
        "kwh",
        "mw",
        "gw",
        "t",
        "万",
        "亿",  # "人口达到120万": a bare multiplier is the unit
        *(f"{m}{w}" for m in ("万", "亿") for w in ("个", "件", "项", "家", "户", "人", "台", "辆", "株", "头", "张")),
    },
    key=len,
    reverse=True,
)


# Units that arrive split over two table lines ("万立" / "方米") and what they join into.
UNIT_JOINS = {"万立": "万立方米", "立方": "立方米", "平方": "平方米", "万平": "万平方米"}
KNOWN_UNITS = set(UNIT_WORDS) | {"万立方米", "平方公里", "平方米", "万平方米"}


def is_unit_token(token: str) -> bool:
    """A table cell or token that reads as a unit (including '-' for none and Latin abbreviations)."""
    t = char_normalise(token).strip()
    if not t:
        return False
    if t in {"-", "—", "/"} or t in KNOWN_UNITS or t in UNIT_JOINS:
        return True
    if re.fullmatch(r"[a-zµ/%‰³²0-9.]{1,8}", t) and not re.fullmatch(r"[<>]?\d+(\.\d+)?%?", t):
        return True
    return bool(
        re.fullmatch(
            r"(万|亿|千|百)?(元|人|户|册|亩|吨|个|件|项|家|床位|平方|公里|米|台|辆|次|分|岁|年|批次|人次|学时|起)", t
        )
    )
