"""Likelihood in words (IPCC calibrated language), the at-risk line and the tally of stored results."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

# IPCC calibrated language: (lower bound of P, key, en, zh), first match wins.
BANDS = (
    (0.90, "very_likely", "very likely", "很可能"),
    (0.66, "likely", "likely", "可能"),
    (0.33, "about_even", "about as likely as not", "不确定"),
    (0.10, "unlikely", "unlikely", "不太可能"),
    (0.00, "very_unlikely", "very unlikely", "很不可能"),
)

# Below 66% "likely" no longer holds: a planner must look at these (and at targets already missed).
AT_RISK_BANDS = frozenset({"about_even", "unlikely", "very_unlikely"})

def at_risk(result: dict) -> bool:
    """A stored assessment that needs attention: missed in an observed target year, or less than likely."""
    if result.get("status") == "observed":
        return result.get("actual_met") is False
    return result.get("band") in AT_RISK_BANDS

def tally(results: Sequence[dict]) -> Counter:
    """Stored assessments counted by likelihood band (forecasts), observed met / missed, and not assessed."""
    counts: Counter = Counter()
    for r in results:
        if r.get("status") == "observed":
            if r.get("actual_met") is not None:
                counts["observed_met" if r["actual_met"] else "observed_missed"] += 1
        elif r.get("band"):
            counts[r["band"]] += 1
        elif r.get("probability") is None:
            counts["not_assessed"] += 1
    return counts

def band(p: float) -> tuple[str, str, str]:
    for lower, key, en, zh in BANDS:
        if p >= lower:
            return key, en, zh
    return BANDS[-1][1:]

def format_probability(p: float) -> str:
    """Percent, without claiming certainty a finite number of paths cannot show."""
    text = f"{p:.0%}"
    return "<1%" if text == "0%" else ">99%" if text == "100%" else text

def _equals(p: float) -> str:
    return "" if format_probability(p)[0] in "<>" else "= "
