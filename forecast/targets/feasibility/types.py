"""What an assessment is: its state and the numbers that state speaks of. No words: `forecast.report.wording`
puts a state and its parameters into each report language in one place (older stored runs carry text instead)."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Optional


class Status(str, enum.Enum):
    forecast = "forecast"  # a probability from simulated paths
    already_met = "already_met"  # the latest value meets it; the probability says whether it holds
    observed = "observed"  # the target year is in the data: compare with the actual
    broken = "broken"  # a "maintain" target failed in an observed year of its period: missed, whatever comes next
    too_few_points = "too_few_points"
    qualitative = "qualitative"
    no_year = "no_year"
    no_series = "no_series"
    no_base_value = "no_base_value"
    unit_mismatch = "unit_mismatch"
    year_missing = "year_missing"  # the target year is inside the observed span but has no value
    failed = "failed"  # the assessment itself raised: reported for this target, the run goes on
    model_failed = "model_failed"


@dataclass
class Assessment:
    target_id: str
    status: Status
    params: dict = field(default_factory=dict)  # what the state's sentence needs (see report.wording)
    series_id: Optional[str] = None
    sense: Optional[str] = None
    threshold: Optional[float] = None
    target_year: Optional[int] = None
    latest_year: Optional[int] = None
    latest_value: Optional[float] = None
    n_points: int = 0
    probability: Optional[float] = None
    band: Optional[str] = None
    median: Optional[float] = None
    interval80: Optional[tuple[float, float]] = None
    interval95: Optional[tuple[float, float]] = None
    required_change: Optional[float] = None  # CAGR needed from the latest value to the threshold (None once met)
    historical_change: Optional[float] = None  # CAGR from the reference year to the latest
    required_step: Optional[float] = None  # yearly change needed, in the series' unit (None once met)
    average_step: Optional[float] = None  # average yearly change in the history, in the series' unit
    best_step: Optional[float] = None  # the largest one-year change the better way in the history
    official: dict = field(default_factory=dict)
    progress: dict = field(default_factory=dict)  # time-elapsed progress (时序进度), see progress.time_progress
    actual: Optional[float] = None  # the observed or recorded outcome, when there is one
    actual_met: Optional[bool] = None
    by_model: dict = field(default_factory=dict)  # model -> probability, or "failed: why"
    notes: list = field(default_factory=list)  # note(code, **params)
    warnings: list = field(default_factory=list)  # note(code, **params) a planner must see first (stale data, ...)
    conflicts: list = field(default_factory=list)  # statement() of each restatement that says something else

    def to_dict(self) -> dict:
        d = asdict(self)
        d["status"] = self.status.value
        return d


def note(code: str, **params) -> dict:
    """A note on an assessment: what it says (`code`) and its numbers; report.wording words it."""
    return {"code": code, **params}
