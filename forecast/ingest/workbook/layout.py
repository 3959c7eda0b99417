"""What a fill-in workbook asks for: the plan's numeric targets grouped into one row per indicator.

Targets on the same indicator (the same wording, restatements named in `related`, or one linked
series) share a row. Each row becomes one indicator in the store: its unit is the unit of the
row's level targets, its direction comes from what the targets ask (at least / at most / cut /
raise), its bounds from the kind of quantity (a rate in % lies in 0–100; a count, an amount or a
concentration is never negative), its concept from the indicator dictionary. Concentrations
(PM2.5) are also asked month by month. An indicator the store already holds is used as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Optional

from forecast.schema import Aggregation, Comparator, Direction, Frequency, Indicator, Plan, Target
from forecast.units import UnitError, canonical, factor

FORMAT = "forecast-workbook"  # the marker the importer recognises
VERSION = 1
YEARS_BEFORE_BASE = 5  # the default first year: the plan's base year minus this
CONCEPT_SCORE = 85.0  # a dictionary name must match the wording this well to give the row its concept
MONTHLY_MIN_PERIODS = 11  # GB 3095-2012: an annual mean needs at least 11 valid monthly means

_HIGHER = {Comparator.ge, Comparator.maintain_ge, Comparator.increase_by_pct, Comparator.avg_growth_ge}
_LOWER = {Comparator.le, Comparator.maintain_le, Comparator.reduce_by_pct}
# Wording of indicators where less is better, for targets that only say "达到 X" or "X 左右".
_LOWER_WORDS = (
    "浓度",
    "能耗",
    "排放",
    "死亡率",
    "发生率",
    "事故",
    "投诉",
    "不合格",
    "超标",
    "污染",
    "噪声",
    "失业",
    "贫困",
)
# Wording of a change rather than a level: such a value may be negative or exceed 100%.
_CHANGE_WORDS = ("增长", "增速", "增幅", "降幅", "下降", "提升", "变化", "比上年", "growth", "change")
_MONTHLY_CONCEPTS = {"pm25_concentration"}
_MONTHLY_UNITS = {"ug_m3", "mg_m3"}


@dataclass
class Row:
    """One indicator the workbook asks for, with the targets that need it."""

    id: str  # the series id its values are stored under
    indicator: Indicator
    targets: list[Target]
    unit_locked: bool  # the unit comes from the plan (or the store): the person cannot change it
    in_store: bool = False  # the store already holds this series: prefilled, marked as such
    values: dict[str, float] = field(default_factory=dict)  # period text -> stored latest value
    sources: list[str] = field(default_factory=list)  # sources named by the stored values
    monthly_id: Optional[str] = None  # the id of its monthly series, when it is asked month by month
    monthly_values: dict[str, float] = field(default_factory=dict)
    yearly: bool = True  # asked year by year on the annual sheet (False: a stored monthly series)

    @property
    def target_ids(self) -> list[str]:
        return [t.id for t in self.targets]


@dataclass
class Layout:
    plan: Plan
    rows: list[Row]
    years: list[int]
    base_year: Optional[int]

    @property
    def monthly(self) -> list[Row]:
        return [r for r in self.rows if r.monthly_id]


def base_year(plan: Plan) -> Optional[int]:
    """The year before the plan period (a 十三五 plan's base year is 2015), else the targets' base years."""
    if plan.period:
        return int(plan.period[0]) - 1
    years = [t.base_year for t in plan.targets if t.base_year]
    return min(years) if years else None


def year_span(
    plan: Plan, start: Optional[int] = None, end: Optional[int] = None, today: Optional[dt.date] = None
) -> list[int]:
    """From the base year minus five (or `start`) to the latest target year, but not past this year."""
    this_year = (today or dt.date.today()).year
    target_years = [t.year for t in plan.targets if t.year] + [t.base_year for t in plan.targets if t.base_year]
    base = base_year(plan)
    last = end if end is not None else min(max(target_years, default=this_year), this_year)
    if start is None:
        start = (base if base is not None else min(target_years, default=last)) - YEARS_BEFORE_BASE
    if start > last:
        raise ValueError(f"the first year {start} is after the last year {last}")
    return list(range(start, last + 1))


def numeric_targets(plan: Plan) -> list[Target]:
    return [t for t in plan.targets if t.comparator is not Comparator.qualitative]


def _wording_key(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’、,，。:：()（）\[\]【】《》<>]+", "", str(text)).lower()


def _id_part(text: str) -> str:
    """Only id characters (letters, digits, _ . -), starting with a letter or digit."""
    return re.sub(r"^[_.\-]+", "", re.sub(r"[^\w.\-]+", "", text))


ID_ROOM = 64 - len(":monthly") - 3  # ids stay within 64 characters with the monthly suffix and a ".NN"


def series_id(prefix: str, wording: str) -> str:
    """A stable id from the region (or plan) and the indicator's wording; long wording is shortened with a hash."""
    prefix = _id_part(prefix)[:20] or "plan"
    key = _id_part(_wording_key(wording)) or "indicator"
    if len(prefix) + 1 + len(key) > ID_ROOM:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
        key = key[: ID_ROOM - len(prefix) - 8] + "." + digest
    return f"{prefix}:{key}"


def _groups(targets: list[Target]) -> list[list[Target]]:
    """Targets sharing wording, a linked series or a `related` restatement, in plan order."""
    parent = list(range(len(targets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple, int] = {}
    index = {t.id: i for i, t in enumerate(targets)}
    for i, t in enumerate(targets):
        keys = [("w", _wording_key(t.indicator or t.id))] + ([("s", t.series_id)] if t.series_id else [])
        for key in keys:
            if key in first_of:
                parent[find(i)] = find(first_of[key])
            else:
                first_of[key] = i
        for other in t.related:
            if other in index:
                parent[find(i)] = find(index[other])
    groups: dict[int, list[Target]] = {}
    for i, t in enumerate(targets):
        groups.setdefault(find(i), []).append(t)
    return sorted(groups.values(), key=lambda g: index[g[0].id])


def _split_by_unit(group: list[Target]) -> list[list[Target]]:
    """Level targets whose units cannot be converted into each other measure different things."""
    parts: list[list[Target]] = []
    relative = [t for t in group if t.relative]
    for t in (t for t in group if not t.relative):
        for part in parts:
            try:
                factor(t.unit, part[0].unit)
            except UnitError:
                continue
            part.append(t)
            break
        else:
            parts.append([t])
    if not parts:
        return [relative]
    parts[0].extend(relative)
    return parts


def direction_of(targets: list[Target], wording: str) -> Direction:
    votes = [
        Direction.higher if t.comparator in _HIGHER else Direction.lower
        for t in targets
        if t.comparator in _HIGHER | _LOWER
    ]
    if votes:
        return max((Direction.higher, Direction.lower), key=votes.count)
    return Direction.lower if any(w in wording for w in _LOWER_WORDS) else Direction.higher


def bounds_of(unit: str, wording: str) -> tuple[Optional[float], Optional[float]]:
    if any(w in wording.lower() for w in _CHANGE_WORDS):
        return None, None
    kind = canonical(unit)
    if kind == "percent":
        return 0.0, 100.0
    if kind == "permille":
        return 0.0, 1000.0
    if "满意度" in wording and kind in (None, "point"):
        return 0.0, 100.0
    return 0.0, None


def concept_of(wording: str, dictionary: Mapping[str, list[str]]) -> str:
    from forecast.targets.linking import similarity

    best, concept = 0.0, ""
    for key, names in dictionary.items():
        score = max((similarity(wording, n) for n in names), default=0.0)
        if score > best:
            best, concept = score, key
    return concept if best >= CONCEPT_SCORE else ""


def _new_row(plan: Plan, prefix: str, group: list[Target], dictionary: Mapping[str, list[str]]) -> Row:
    lead = group[0]
    wording = lead.indicator or lead.id
    level_units = [t.unit for t in group if not t.relative and t.unit]
    unit = level_units[0] if level_units else ""
    lower, upper = bounds_of(unit, wording)
    concept = concept_of(wording, dictionary)
    indicator = Indicator(
        id=series_id(prefix, wording),
        name_zh=wording,
        name_en=next((t.indicator_en for t in group if t.indicator_en), ""),
        unit=unit,
        direction=direction_of(group, wording),
        lower=lower,
        upper=upper,
        frequency=Frequency.Y,
        region=plan.region,
        concept=concept,
    )
    row = Row(indicator.id, indicator, group, unit_locked=bool(unit))
    if concept in _MONTHLY_CONCEPTS or canonical(unit) in _MONTHLY_UNITS:
        row.monthly_id = indicator.id + ":monthly"
    return row


def monthly_indicator(row: Row) -> Indicator:
    """The monthly series of a row asked month by month: same meaning, annual value = mean of the months."""
    base = row.indicator
    return base.model_copy(
        update={
            "id": row.monthly_id,
            "frequency": Frequency.M,
            "aggregation": Aggregation.mean,
            "min_periods_per_year": MONTHLY_MIN_PERIODS,
            "name_zh": f"{base.name_zh}(月均值)" if base.name_zh else "",
            "name_en": f"{base.name_en} (monthly mean)" if base.name_en else "",
        }
    )


def _stored(store, indicators: Mapping[str, Indicator], plan: Plan, row: Row) -> Optional[Indicator]:
    """The store's series for this row: a target's linked series, the row's own id, or the one series
    of the plan's region with the row's concept."""
    for t in row.targets:
        if t.series_id and t.series_id in indicators:
            return indicators[t.series_id]
    if row.id in indicators:
        return indicators[row.id]
    if row.indicator.concept and plan.region:
        same = [i for i in indicators.values() if i.concept == row.indicator.concept and i.region == plan.region]
        if len(same) == 1:
            return same[0]
    return None


def plan_layout(
    plan: Plan,
    store=None,
    start: Optional[int] = None,
    end: Optional[int] = None,
    dictionary: Optional[Mapping[str, list[str]]] = None,
    today: Optional[dt.date] = None,
) -> Layout:
    """The rows of the workbook for `plan`; with a store, rows it already holds are prefilled."""
    from forecast.targets.linking import load_dictionary

    dictionary = load_dictionary() if dictionary is None else dictionary
    prefix = plan.region or plan.id
    rows = [
        _new_row(plan, prefix, part, dictionary)
        for group in _groups(numeric_targets(plan))
        for part in _split_by_unit(group)
    ]
    _unique_ids(rows)
    if store is not None:
        indicators = store.indicators()
        for row in rows:
            _prefill(store, indicators, plan, row)
    return Layout(plan, rows, year_span(plan, start, end, today), base_year(plan))


def _unique_ids(rows: list[Row]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        n = seen.get(row.id, 0)
        seen[row.id] = n + 1
        if n:  # two rows with the same wording but units that do not convert
            row.id = f"{row.id}.{n + 1}"
            row.indicator = row.indicator.model_copy(update={"id": row.id})
            if row.monthly_id:
                row.monthly_id = row.id + ":monthly"


def _prefill(store, indicators: Mapping[str, Indicator], plan: Plan, row: Row) -> None:
    own_id = row.id
    found = _stored(store, indicators, plan, row)
    if found is not None:
        row.id, row.indicator, row.unit_locked, row.in_store = found.id, found, True, True
        row.sources = store.provenance(found.id)["sources"]
        if found.frequency is Frequency.M:  # a stored monthly series is asked on the monthly sheet only
            row.yearly, row.monthly_id = False, found.id
            row.monthly_values = dict(store.observations(found.id))
            return
        row.values = dict(store.observations(found.id))
        if found.id != own_id:  # another series (linked by hand): it has no monthly sibling of ours
            row.monthly_id = None
    if row.monthly_id and row.monthly_id in indicators:
        row.monthly_values = dict(store.observations(row.monthly_id))
        row.in_store = True
