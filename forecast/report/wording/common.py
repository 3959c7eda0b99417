"""Number formatting both languages share."""

from __future__ import annotations

from typing import Optional

from forecast.targets.feasibility.bands import format_probability


def g(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.4g}"


def signed(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:+.3g}"


def p(x: Optional[float]) -> str:
    return "—" if x is None else format_probability(x)


def span_of(values) -> str:
    lo, hi = f"{min(values):.2f}", f"{max(values):.2f}"
    return lo if lo == hi else f"{lo}–{hi}"


def years(span) -> str:
    if not span:
        return ""
    return str(span[0]) if span[0] == span[-1] else f"{span[0]}–{span[-1]}"


def pace(result: dict) -> Optional[str]:
    """How the yearly step needed compares with the history's: "beyond_best" (faster than its best year),
    "beyond_average" (within its best year, faster than its average) or "within_average"."""
    need, avg, best = result.get("required_step"), result.get("average_step"), result.get("best_step")
    if need is None or need == 0 or (avg is None and best is None):
        return None
    d = 1.0 if need > 0 else -1.0  # the way the value must move; the history's steps measured along it
    if best is not None and abs(need) > d * best:
        return "beyond_best"
    if avg is not None and abs(need) > d * avg:
        return "beyond_average"
    return "within_average"
