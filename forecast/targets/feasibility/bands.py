"""Likelihood bands (IPCC calibrated language; their words are in report.wording), the at-risk line, the
early-warning rule and the tally of stored results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# IPCC calibrated language: (lower bound of P, key), first match wins.
BANDS = ((0.90, "very_likely"), (0.66, "likely"), (0.33, "about_even"), (0.10, "unlikely"), (0.00, "very_unlikely"))

# Below 66% "likely" no longer holds: a planner must look at these (and at targets already missed).
AT_RISK_BANDS = frozenset({"about_even", "unlikely", "very_unlikely"})


def at_risk(result: dict) -> bool:
    """A stored assessment that needs attention: missed in an observed target year, or less than likely."""
    if result.get("status") in ("observed", "broken"):
        return result.get("actual_met") is False
    return result.get("band") in AT_RISK_BANDS


def warned(result: dict, binding: bool) -> bool:
    """On the 预警 (early warning) list: a binding (约束性) target that is at risk, or whose time-elapsed
    progress is behind schedule."""
    return binding and (at_risk(result) or (result.get("progress") or {}).get("category") == "behind")


def tally(results: Sequence[dict]) -> Counter:
    """Stored assessments counted by likelihood band (forecasts), observed met / missed, and not assessed."""
    counts: Counter = Counter()
    for r in results:
        if r.get("status") in ("observed", "broken"):
            if r.get("actual_met") is not None:
                counts["observed_met" if r["actual_met"] else "observed_missed"] += 1
        elif r.get("band"):
            counts[r["band"]] += 1
        elif r.get("probability") is None:
            counts["not_assessed"] += 1
    return counts


def band(p: float) -> str:
    for lower, key in BANDS:
        if p >= lower:
            return key
    return BANDS[-1][1]


def format_probability(p: float) -> str:
    """Percent, without claiming certainty a finite number of paths cannot show."""
    text = f"{p:.0%}"
    return "<1%" if text == "0%" else ">99%" if text == "100%" else text
