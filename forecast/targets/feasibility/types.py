"""What an assessment is: its state, its numbers, and notes in both report languages."""
from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Optional


class Status(str, enum.Enum):
    forecast = "forecast"  # a probability from simulated paths
    already_met = "already_met"  # the latest value meets it; the probability says whether it holds
    observed = "observed"  # the target year is in the data: compare with the actual
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
    message_en: str
    message_zh: str
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
    required_change: Optional[float] = None  # CAGR needed from the latest value to the threshold
    historical_change: Optional[float] = None  # CAGR from the reference year to the latest
    official: dict = field(default_factory=dict)
    actual: Optional[float] = None  # the observed or recorded outcome, when there is one
    actual_met: Optional[bool] = None
    by_model: dict = field(default_factory=dict)  # model -> probability, or "failed: why"
    notes: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # statement() of each restatement that says something else

    def to_dict(self) -> dict:
        d = asdict(self)
        d["status"] = self.status.value
        return d

def note(en: str, zh: str) -> dict:
    """A note on an assessment, in both report languages."""
    return {"en": en, "zh": zh}
