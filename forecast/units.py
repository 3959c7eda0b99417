"""Units of plan targets and series: one spelling per unit, and conversion between compatible ones.

Plans write the same unit many ways (%, ％, 百分点; µg/m³, μg/m3, 微克/立方米; 亿元, 万元). Each
spelling maps to a unit of a small pint registry built for this domain (no default definitions, so
it loads in milliseconds); pint then says whether two units share a dimension and by what factor
they differ. A target in ‰ against a series in % is converted; µg/m³ against % is refused.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

# Canonical unit -> pint definition. Dimensions: ratio (dimensionless; % and scores out of 100),
# concentration, money, count, area, days. Counts of different things (个, 件, 项 ...) share one dimension
# because plans use them interchangeably for "number of".
_DEFINITIONS = (
    "percent = 0.01",
    "permille = 0.001",
    "ratio = 1",
    "ug_m3 = [concentration]",
    "mg_m3 = 1000 ug_m3",
    "yuan = [money]",
    "wan_yuan = 1e4 yuan",
    "yi_yuan = 1e8 yuan",
    "item = [count]",
    "wan_item = 1e4 item",
    "ton = [mass]",
    "wan_ton = 1e4 ton",
    "mg_l = [water_concentration]",
    "hectare = 15 mu",
    "point = 0.01",  # plan scores (满意度 85 分) are out of 100, as interchangeable with % as plans use them
    "mu = [area]",
    "wan_mu = 1e4 mu",
    "km2 = 1500 mu",
    "day = [days]",
)

# Spellings (after removing spaces and folding full-width forms) -> canonical unit.
_SPELLINGS = {
    "%": "percent",
    "percent": "percent",
    "百分比": "percent",  # 百分点 is a change, not a level: left out
    "‰": "permille",
    "permille": "permille",
    "千分比": "permille",
    "ratio": "ratio",
    "µg/m³": "ug_m3",
    "μg/m³": "ug_m3",
    "ug/m3": "ug_m3",
    "µg/m3": "ug_m3",
    "μg/m3": "ug_m3",
    "ug/m³": "ug_m3",
    "微克/立方米": "ug_m3",
    "微克每立方米": "ug_m3",
    "mg/m3": "mg_m3",
    "mg/m³": "mg_m3",
    "毫克/立方米": "mg_m3",
    "元": "yuan",
    "万元": "wan_yuan",
    "亿元": "yi_yuan",
    "亿": "yi_yuan",
    "个": "item",
    "件": "item",
    "项": "item",
    "家": "item",
    "户": "item",
    "所": "item",
    "座": "item",
    "人": "item",
    "次": "item",
    "人次": "item",
    "批次": "item",
    "张": "item",
    "床位": "item",
    "张床位": "item",
    "万个": "wan_item",
    "万人": "wan_item",
    "万人次": "wan_item",
    "万件": "wan_item",
    "万户": "wan_item",
    "吨": "ton",
    "t": "ton",
    "万吨": "wan_ton",
    "mg/l": "mg_l",
    "毫克/升": "mg_l",
    "公顷": "hectare",
    "ha": "hectare",
    "分": "point",
    "score": "point",
    "score(0-100)": "point",
    "points": "point",
    "亩": "mu",
    "万亩": "wan_mu",
    "平方公里": "km2",
    "km²": "km2",
    "km2": "km2",
    "天": "day",
    "days": "day",
    "d": "day",
}

_PRETTY = {
    "percent": "%",
    "permille": "‰",
    "ug_m3": "µg/m³",
    "mg_m3": "mg/m³",
    "yuan": "元",
    "wan_yuan": "万元",
    "yi_yuan": "亿元",
    "item": "个",
    "point": "分",
    "mu": "亩",
    "wan_mu": "万亩",
    "km2": "km²",
    "day": "天",
    "wan_item": "万",
    "ton": "吨",
    "wan_ton": "万吨",
    "mg_l": "mg/L",
    "hectare": "公顷",
}


class UnitError(ValueError):
    pass


@functools.lru_cache(maxsize=1)
def _registry():
    import pint  # lazily: only runs that compare units pay for it

    registry = pint.UnitRegistry(None)
    for line in _DEFINITIONS:
        registry.define(line)
    return registry


def _fold(text: str) -> str:
    # Full-width forms (％, ｍ) to ASCII, no spaces; keep case for µ/μ handling.
    folded = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in str(text))
    return re.sub(r"\s+", "", folded)


def canonical(unit: Optional[str]) -> Optional[str]:
    """The canonical name of a unit spelling; None for blank; the folded, lower-cased text if unknown
    (so two spellings of an unknown unit that differ only in case still agree)."""
    text = _fold(unit or "")
    if not text:
        return None
    return _SPELLINGS.get(text) or _SPELLINGS.get(text.lower()) or text.lower()


def pretty(unit: Optional[str]) -> str:
    name = canonical(unit)
    return "" if name is None else _PRETTY.get(name, name)


def factor(from_unit: Optional[str], to_unit: Optional[str]) -> float:
    """Multiply a value in `from_unit` by this to express it in `to_unit`.

    Blank units are taken to agree with anything (many plans and sources leave the unit out);
    an unknown spelling must match the other side exactly. Raises UnitError otherwise.
    """
    a, b = canonical(from_unit), canonical(to_unit)
    if a is None or b is None or a == b:
        return 1.0
    registry = _registry()
    known = set(_SPELLINGS.values())
    if a not in known or b not in known:
        raise UnitError(f"unit {from_unit!r} cannot be compared with {to_unit!r}")
    try:
        return float(registry.Quantity(1.0, a).to(b).magnitude)
    except Exception:  # pint's DimensionalityError: different kinds of quantity
        raise UnitError(
            f"unit {from_unit!r} ({pretty(from_unit)}) is not convertible to {to_unit!r} ({pretty(to_unit)})"
        ) from None
