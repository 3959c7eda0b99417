"""The domain vocabulary, validated at the boundary (files, CLI) and trusted inside."""

from __future__ import annotations

import enum
import math
import re
from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

# Ids of indicators (series), plans, targets and runs: 1-64 characters, letters of any script, digits and
# `_ . : -`, starting with a letter or digit. No slash, no space, no leading dot: an id is always one safe
# file-name component, so every file the service names after an id stays in its folder.
ID_PATTERN = r"[^\W_][\w.:-]{0,63}"  # the whole id must match (re.fullmatch)
ID_RULE = "1-64 letters, digits or _ . : -, starting with a letter or digit"
_ID = re.compile(ID_PATTERN)


def check_id(value: str, what: str = "id") -> str:
    """`value` when it follows ID_PATTERN; otherwise ValueError naming `what` and the rule."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        shown = repr(value if not isinstance(value, str) or len(value) <= 70 else value[:70] + "…")
        raise ValueError(f"{what} {shown} is not a valid id ({ID_RULE})")
    return value


Id = Annotated[str, AfterValidator(check_id)]


def _exact(x: float) -> str:
    """The shortest text that reads back as `x`: 100.0000001 is never shown as 100."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


class Direction(str, enum.Enum):
    higher = "higher"  # higher is better (pass rates, satisfaction)
    lower = "lower"  # type: ignore[assignment]  # lower is better (PM2.5, emissions); shadows str.lower


class Frequency(str, enum.Enum):
    Y = "Y"
    Q = "Q"
    M = "M"

    @property
    def periods_per_year(self) -> int:
        return {"Y": 1, "Q": 4, "M": 12}[self.value]

    @property
    def name_en(self) -> str:
        return {"Y": "yearly", "Q": "quarterly", "M": "monthly"}[self.value]


class Aggregation(str, enum.Enum):
    """How the sub-annual values of a year make the value a target speaks of."""

    mean = "mean"  # annual mean concentration (PM2.5)
    last = "last"  # year-end value
    sum = "sum"  # annual total (emissions)


class Indicator(BaseModel):
    """One measured series: what it is, its unit, which way is better and its hard bounds."""

    model_config = ConfigDict(frozen=True)

    id: Id
    name_zh: str = ""
    name_en: str = ""
    unit: str = ""
    direction: Direction
    lower: Optional[float] = None
    upper: Optional[float] = None
    frequency: Frequency = Frequency.Y
    aggregation: Aggregation = Aggregation.mean
    region: str = ""
    source: str = ""
    # Data-validity rule for the annual statistic of sub-annual data: the periods a year needs (default:
    # all of them). GB 3095-2012 style: an annual mean from at least 11 valid monthly means.
    min_periods_per_year: Optional[int] = Field(default=None, ge=1)
    concept: str = ""  # key in the indicator dictionary (forecast/dictionary), for linking plan targets
    synonyms: tuple[str, ...] = ()  # other names plans use for this series

    @model_validator(mode="after")
    def _bounds_ordered(self) -> Indicator:
        if self.lower is not None and self.upper is not None and not self.lower < self.upper:
            raise ValueError(f"indicator {self.id}: lower bound {self.lower} must be below upper {self.upper}")
        if self.min_periods_per_year is not None:
            if self.min_periods_per_year > self.frequency.periods_per_year:
                raise ValueError(
                    f"indicator {self.id}: min_periods_per_year {self.min_periods_per_year} exceeds the "
                    f"{self.frequency.periods_per_year} periods of a {self.frequency.name_en} year"
                )
            if self.aggregation is Aggregation.sum and self.min_periods_per_year < self.frequency.periods_per_year:
                raise ValueError(
                    f"indicator {self.id}: an annual sum needs every period; min_periods_per_year cannot be lower"
                )
        return self

    def name(self, lang: str = "zh") -> str:
        return (self.name_zh if lang == "zh" else self.name_en) or self.name_en or self.name_zh or self.id

    def out_of_bounds(self, value: float) -> Optional[str]:
        """Why `value` cannot be a value of this indicator, or None."""
        if self.lower is not None and value < self.lower:
            return f"{_exact(value)} is below the lower bound {_exact(self.lower)} {self.unit}".rstrip()
        if self.upper is not None and value > self.upper:
            return f"{_exact(value)} is above the upper bound {_exact(self.upper)} {self.unit}".rstrip()
        return None


class Comparator(str, enum.Enum):
    """Target semantics. Labels follow the gold plan files (`../shared/data/plans/gold`)."""

    ge = ">="  # reach at least v in the target year
    le = "<="  # at most v in the target year
    eq = "=="  # "达到 X": read as reaching X in the indicator's better direction
    maintain_ge = "maintain>="  # at least v in every year up to the target year
    maintain_le = "maintain<="
    reduce_by_pct = "reduce_by_pct"  # at least p% below the base-year value
    increase_by_pct = "increase_by_pct"  # at least p% above the base-year value
    about = "about"  # "左右": within a tolerance band around v in the target year
    avg_growth_ge = "avg_growth>="  # "年均增长 p%": average annual growth from the base year of at least p%
    qualitative = "qualitative"  # no number to test

    @classmethod
    def parse(cls, text: str) -> Comparator:
        aliases = {">": cls.ge, "<": cls.le, "decline>=": cls.reduce_by_pct, "increase>=": cls.increase_by_pct}
        text = str(text).strip()
        if text in aliases:
            return aliases[text]
        return cls(text)


class Attribute(str, enum.Enum):
    binding = "约束性"
    expected = "预期性"


class Target(BaseModel):
    """One quantified (or qualitative) target of a plan."""

    id: Id
    indicator: str = ""  # the plan's own wording
    indicator_en: str = ""
    comparator: Comparator
    value: Optional[float] = None
    unit: str = ""
    year: Optional[int] = None
    base_year: Optional[int] = None
    base_value: Optional[float] = None  # a base value stated by the plan, used when the data lacks the base year
    tolerance: Optional[float] = None  # half-width of the "about" band, in the target's unit (default: see feasibility)
    attribute: Optional[Attribute] = None
    quote: str = ""
    series_id: Optional[Id] = None  # the series that measures it, when linked
    stand_in: bool = False  # the linked series is a stand-in (e.g. national for municipal)
    outcome: Optional[float] = None  # realised value, for replays of history
    related: list[str] = Field(default_factory=list)  # ids of other statements of the same target
    note: str = ""

    @field_validator("related", mode="before")
    @classmethod
    def _related_list(cls, v):
        return [] if v is None else [v] if isinstance(v, str) else list(v)

    @field_validator("comparator", mode="before")
    @classmethod
    def _parse_comparator(cls, v):
        return v if isinstance(v, Comparator) else Comparator.parse(v)

    @field_validator("attribute", mode="before")
    @classmethod
    def _blank_attribute(cls, v):
        return v or None

    @model_validator(mode="after")
    def _numeric_needs_value(self) -> Target:
        if self.comparator is not Comparator.qualitative:
            if self.value is None or not math.isfinite(self.value):
                raise ValueError(f"target {self.id}: comparator {self.comparator.value} needs a numeric value")
        if self.comparator is Comparator.reduce_by_pct and self.value is not None and not 0 <= self.value < 100:
            raise ValueError(f"target {self.id}: a reduction of {self.value}% is not between 0 and 100")
        if self.comparator is Comparator.avg_growth_ge and self.value is not None and not self.value > -100:
            raise ValueError(f"target {self.id}: an average annual growth of {self.value}% is impossible")
        if self.tolerance is not None and not (math.isfinite(self.tolerance) and self.tolerance >= 0):
            raise ValueError(f"target {self.id}: tolerance must be a number >= 0, not {self.tolerance}")
        return self

    @property
    def relative(self) -> bool:
        """The value is a percentage change from a base, not a level in the series' unit."""
        return self.comparator in (Comparator.reduce_by_pct, Comparator.increase_by_pct, Comparator.avg_growth_ge)

    @property
    def assessable(self) -> bool:
        return self.comparator is not Comparator.qualitative and self.year is not None


class Plan(BaseModel):
    id: Id
    title: str = ""
    region: str = ""
    region_en: str = ""
    issued: Optional[str] = None
    period: Optional[tuple[int, int]] = None
    note: str = ""
    targets: list[Target]

    @model_validator(mode="after")
    def _unique_target_ids(self) -> Plan:
        seen = set()
        for t in self.targets:
            if t.id in seen:
                raise ValueError(f"plan {self.id}: target id {t.id!r} appears twice")
            seen.add(t.id)
        return self

    @field_validator("issued", mode="before")
    @classmethod
    def _date_to_text(cls, v):
        return None if v is None else str(v)
