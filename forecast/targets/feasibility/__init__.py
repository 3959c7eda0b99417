"""Target semantics: from a target and simulated paths to a probability, intervals and the
official-style progress category, side by side.

Every target becomes a statement about annual values: "the target-year value is at least v",
"every year up to T is at least v", "the target-year value is p% below the base-year value". Its
probability is the share of paths for which the statement holds.

Modules: types (the assessment: a state and its parameters, no words), rules (target -> rule on
annual values, units), bands (likelihood bands, at risk, early warning, tallies), progress (official
CAGR categories, 时序进度 time-elapsed progress, yearly steps), restatements (conflicting statements of
one target), checks (stale data, disagreeing series), simulated (a series' paths), assess (assembly).
The words are in `forecast.report.wording`.
"""

from forecast.targets.feasibility.assess import (
    assess,
    assess_observed,
    assess_reported,
    assess_target,
    not_assessable,
    with_outcome,
)
from forecast.targets.feasibility.bands import AT_RISK_BANDS, BANDS, at_risk, band, format_probability, tally, warned
from forecast.targets.feasibility.checks import flag_disagreeing_series, flag_stale
from forecast.targets.feasibility.progress import (
    CATEGORIES,
    TIME_PROGRESS,
    cagr,
    official_category,
    reference_year,
    steps,
    time_progress,
)
from forecast.targets.feasibility.restatements import flag_restatements, statement, statement_text
from forecast.targets.feasibility.rules import (
    ABOUT_TOLERANCE,
    Rule,
    about_tolerance,
    base_value,
    in_series_unit,
    rule_for,
)
from forecast.targets.feasibility.simulated import SeriesForecast
from forecast.targets.feasibility.types import Assessment, Status, note

__all__ = [
    "ABOUT_TOLERANCE",
    "AT_RISK_BANDS",
    "BANDS",
    "CATEGORIES",
    "Assessment",
    "Rule",
    "SeriesForecast",
    "Status",
    "about_tolerance",
    "assess",
    "assess_observed",
    "assess_reported",
    "assess_target",
    "at_risk",
    "band",
    "base_value",
    "cagr",
    "flag_restatements",
    "format_probability",
    "in_series_unit",
    "not_assessable",
    "note",
    "official_category",
    "reference_year",
    "rule_for",
    "statement",
    "statement_text",
    "tally",
    "with_outcome",
    "TIME_PROGRESS",
    "flag_disagreeing_series",
    "flag_stale",
    "steps",
    "time_progress",
    "warned",
]
