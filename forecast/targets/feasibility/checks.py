"""Checks across a run's assessments that one target alone cannot see: data too old for a target
whose year has passed, and linked series of one concept and region that disagree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from forecast.targets.feasibility.simulated import SeriesForecast
from forecast.targets.feasibility.types import Assessment, Status, note

FORECASTS = (Status.forecast, Status.already_met)


def flag_stale(assessments: Sequence[Assessment], reference_year: int) -> None:
    """A target whose year has passed by `reference_year` (the as-of date's year, or today's) but is still
    forecast: its data stops before the target year, so the answer is a forecast, not the outcome."""
    for a in assessments:
        if a.status in FORECASTS and a.target_year is not None and a.target_year < reference_year:
            a.warnings.append(
                note("stale", latest_year=a.latest_year, target_year=a.target_year, reference_year=reference_year)
            )


def flag_disagreeing_series(assessments: Sequence[Assessment], series: Mapping[str, SeriesForecast]) -> None:
    """Series of one concept and region that give a target different answers: the target's own series
    says the latest value misses the bar and another says it meets it (or the other way round)."""
    for a in assessments:
        if a.sense is None or a.threshold is None or a.latest_value is None or a.series_id is None:
            continue
        if a.series_id not in series:
            continue
        own = series[a.series_id].indicator
        if not own.concept:
            continue
        meets = _meets(a.sense, a.threshold, a.latest_value)
        for sid, other in series.items():
            ind = other.indicator
            if sid == a.series_id or (ind.concept, ind.region, ind.unit) != (own.concept, own.region, own.unit):
                continue
            if not len(other.annual):
                continue
            year, value = int(other.annual.index[-1]), float(other.annual.iloc[-1])
            if _meets(a.sense, a.threshold, value) != meets:
                a.warnings.append(
                    note(
                        "series_disagree",
                        series_id=sid,
                        year=year,
                        value=value,
                        own_series=a.series_id,
                        own_year=a.latest_year,
                        own_value=a.latest_value,
                    )
                )


def _meets(sense: str, threshold: float, value: float) -> bool:
    return bool(value >= threshold - 1e-9 if sense == ">=" else value <= threshold + 1e-9) and np.isfinite(value)
