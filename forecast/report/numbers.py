"""How the report writes numbers; a missing value (None, NaN, a field an older run lacks) is a dash."""

from __future__ import annotations

import math
import numbers
from typing import Optional

DASH = "—"


def finite(x) -> Optional[float]:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
    return float(x) if math.isfinite(x) else None


def pct(x) -> str:
    """A signed change: +1.2%."""
    return DASH if (v := finite(x)) is None else f"{v:+.1%}"


def num(x, digits: int = 4) -> str:
    return DASH if (v := finite(x)) is None else f"{v:.{digits}g}"


def share(x) -> str:
    """A share or a probability of a set of events: 71%."""
    return DASH if (v := finite(x)) is None else f"{v:.0%}"
