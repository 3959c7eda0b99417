"""The one rule for reading a number from a cell. It never changes a value's magnitude: a cell is read
as exactly the decimal it shows, or refused with the reason.

1. Only digits, signs, `.`, `,`, `e`, `%`, `‰` and spaces may appear (ASCII or full-width); the text is
   then NFKC-normalised (full-width digits ０-９, `．`, `，`, `％`, `－` become ASCII) and trimmed;
   U+2212 MINUS SIGN counts as `-`.
2. Accepted: an optional sign, digits with an optional `.` decimal part, an optional exponent (`1.5e3`).
3. Thousands separators: only `,` in groups of three, in a form that cannot be a decimal comma:
   two or more groups (`1,234,567`) or a `.` decimal part (`1,234.5`). A lone group (`1,234`) is
   refused as ambiguous (1234 or 1.234), and so is a decimal comma (`9,5`), a space or `'` separator
   and an underscore (`1_0`).
4. A trailing `%` only where the indicator's unit is `%` (and `‰` only where it is `‰`): `94.7%` is
   94.7, never 0.947. Anywhere else a sign of a unit is refused.
5. NaN and infinities are refused, and so is a number too large for a float.
"""

from __future__ import annotations

import math
import re
import unicodedata

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPED = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?", re.ASCII)
# What may be in a number cell before NFKC: ASCII and full-width digits, signs, points, commas, exponent
# letters, % and ‰, spaces. Anything else is refused first, because NFKC would turn "10²" into "102"
# and "①" into "1": a changed magnitude.
_ALLOWED = frozenset("0123456789+-.,eE%‰０１２３４５６７８９＋－．，ｅＥ％\u2212 \t\u00a0\u3000")
_SHOWN = 40  # characters of a refused cell echoed in a message


class NotANumber(ValueError):
    """The cell is not a number under the rule above; the message says why."""


def shown(text: str, limit: int = _SHOWN) -> str:
    """A cell's text for a message: quoted and cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_number(text: str, unit: str = "") -> float:
    """The float a cell means, or NotANumber. `unit` is the indicator's unit (for `%` and `‰`)."""
    raw = str(text)
    odd = next((c for c in raw if c not in _ALLOWED), None)
    if odd is not None:
        raise NotANumber(f"{shown(raw)} is not a finite number (it contains {odd!r})")
    clean = unicodedata.normalize("NFKC", raw).strip().replace("\u2212", "-")
    if not clean:
        raise NotANumber(f"{shown(raw)} is not a finite number (empty cell)")
    for sign in ("%", "‰"):
        if clean.endswith(sign):
            if unicodedata.normalize("NFKC", unit).strip() != sign:
                raise NotANumber(
                    f"{shown(raw)} ends in {sign!r} but the indicator's unit is "
                    f"{unit or 'not given'}: write the number alone"
                )
            clean = clean[:-1].rstrip()
    if "," in clean:
        grouped = _GROUPED.fullmatch(clean)
        if grouped is None or (grouped.group(2).count(",") == 1 and grouped.group(3) is None):
            raise NotANumber(
                f"{shown(raw)} is ambiguous: a comma may be a decimal comma or a thousands "
                "separator; write the number with '.' as decimal point and no separator"
            )
        clean = grouped.group(1) + grouped.group(2).replace(",", "") + (grouped.group(3) or "")
    if not _NUMBER.fullmatch(clean):
        raise NotANumber(f"{shown(raw)} is not a finite number")
    value = float(clean)
    if not math.isfinite(value):
        raise NotANumber(f"{shown(raw)} is not a finite number (too large)")
    return value
