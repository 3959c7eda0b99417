"""The report's data model: a `Report` holds the run's header facts, a `Summary`, one `TargetView`
per target in plan order, and the back-test evidence for the appendix. Everything a renderer shows
is a field here, so every number in every format comes from one place (`build` fills it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from forecast import defaults
from forecast.report.numbers import pct
from forecast.schema import Plan, Target
from forecast.targets.feasibility.bands import BANDS

BAND_ORDER = [key for _, key in BANDS]
WITH_NUMBERS = {"forecast", "already_met", "observed", "broken"}  # statuses that carry an assessment in numbers
# The unassessed, grouped by why (states not named here are "other").
UNASSESSED_GROUPS = {
    "qualitative": "group_qualitative",
    "no_series": "group_no_series",
    "too_few_points": "group_too_few",
}
FAN_LEVELS = tuple(str(level) for level in defaults.FAN_LEVELS)  # keys of the stored quantiles


@dataclass
class Provenance:
    """Where a target's numbers come from."""

    series_id: str
    indicator: str  # the series' own name (it may be a stand-in for the target's indicator)
    source: str  # the indicator metadata's source
    sources: list[str]  # sources named by the observations (URLs or citations)
    files: list[str]  # imported files
    vintage: str  # the latest date a value used became known, or the latest import date
    n_points: int
    stand_in: bool


@dataclass
class TargetView:
    """One target as every format shows it."""

    index: int  # 1-based position in the plan
    target: Target
    result: dict  # the stored assessment, as is
    name: str
    goal: str  # in the plan's own unit
    unit: str  # the unit of every number from the forecast: the series' (a target is converted to it)
    attribute: str
    binding: bool
    status: str
    status_text: str
    probability: Optional[float]
    probability_text: str
    band: Optional[str]
    band_text: str
    risk: Optional[float]  # chance the target is missed (1 or 0 once observed); None: not assessed
    at_risk: bool
    official: str
    time_progress: str  # 时序进度 in words, with its two shares
    warned: bool  # on the 预警 (early warning) list
    step: str  # the yearly change needed in the series' unit, beside the history's
    required_change: Optional[float]
    historical_change: Optional[float]
    latest: str
    interval80: str
    interval95: str
    median: str
    actual: str
    message: str
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # said first: stale data, disagreeing series
    why_combined: str = ""  # why the combined probability differs from the models' own (calibration)
    conflicts: list[str] = field(default_factory=list)  # other statements of this target that disagree
    model: str = ""  # what produced the probability: the combination and its weights
    by_model: list[tuple[str, str]] = field(default_factory=list)  # (model, probability or why not)
    skill: list[dict] = field(default_factory=list)  # back-test skill rows for this series
    skill_scope: str = ""  # "own" (this series' back-tests) or "pooled"
    basis: str = ""  # what the probability rests on (forecast.report.basis), "" for runs before it was recorded
    thin: bool = False  # that evidence is thin: the report warns
    provenance: Optional[Provenance] = None
    history: dict[int, float] = field(default_factory=dict)  # annual observed values, as of the run
    fan: list[dict] = field(default_factory=list)  # {"year", "0.025", "0.1", "0.5", "0.9", "0.975"}
    chart_svg: Optional[str] = None  # an <svg> element (fan_chart), its text escaped
    hint: str = ""  # what to fill in to make an unassessed target assessable (report/hints.py)
    region: str = ""  # the series' region (else the plan's): what `--by region` groups by
    concept: str = ""  # the series' indicator concept: the other grouping of a large plan

    @property
    def assessed(self) -> bool:
        return self.status in WITH_NUMBERS

    @property
    def rates(self) -> str:
        if self.required_change is None and self.historical_change is None:
            return "—"
        return f"{pct(self.required_change)} / {pct(self.historical_change)}"

    @property
    def sort_key(self) -> tuple:
        """Most at risk first; binding before expected at equal risk; unassessed last."""
        return (self.risk is None, -(self.risk or 0.0), not self.binding, self.index)


@dataclass
class Summary:
    bands: list[tuple[str, str, int]]  # (band key, words, count), every band, in IPCC order
    observed_met: int
    observed_not_met: int
    not_assessed: int
    binding_at_risk: list[TargetView]
    other_at_risk: list[TargetView]
    early_warning: list[TargetView] = field(default_factory=list)  # 预警: binding, at risk or behind schedule


@dataclass
class Report:
    lang: str
    text: dict
    plan: Plan
    run: dict
    as_of: str
    vintage: str
    generated: str
    models: list[str]
    targets: list[TargetView]
    summary: Summary
    backtest: dict  # the run's back-test summary (forecast.evaluation.evidence.skill_summary), {} for older runs
    calibration: dict
    trend: Optional[dict] = None  # P(met) across the plan's runs: see history.report_trend and _trend.*.j2
    tracking_problem: Optional[str] = None  # MLflow could not take the run when the report was written

    @property
    def by_risk(self) -> list[TargetView]:
        """The targets assessed in numbers, most at risk first (the unassessed have their own section)."""
        return sorted(self.assessed, key=lambda t: t.sort_key)

    @property
    def thin(self) -> list[TargetView]:
        """Targets whose probability rests on thin evidence: the report warns about them first."""
        return [t for t in self.targets if t.thin]

    @property
    def assessed(self) -> list[TargetView]:
        return [t for t in self.targets if t.assessed]

    @property
    def unassessed(self) -> list[TargetView]:
        return [t for t in self.targets if not t.assessed]

    @property
    def unassessed_groups(self) -> list[tuple[str, list[TargetView]]]:
        """(heading, targets) for the unassessed, grouped by why: qualitative, no series, too few points, other."""
        groups: dict[str, list[TargetView]] = {}
        for v in self.unassessed:
            groups.setdefault(UNASSESSED_GROUPS.get(v.status, "group_other"), []).append(v)
        order = [*UNASSESSED_GROUPS.values(), "group_other"]
        return [(self.text[key], groups[key]) for key in order if key in groups]

    @property
    def title(self) -> str:
        return self.plan.title or self.plan.id
