"""Series as the models see them: a float Series on a PeriodIndex, cut to what was known as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from forecast.ingest.transforms import for_bounds
from forecast.schema import Aggregation, Indicator


def as_of_date(as_of: Optional[str | int | dt.date]) -> Optional[dt.date]:
    """`2015` means the end of 2015; `2015-06` the end of June 2015; a full date is itself."""
    if as_of is None or isinstance(as_of, dt.date):
        return as_of
    text = str(as_of).strip()
    try:
        return (
            pd.Period(text, "D").to_timestamp().date()
            if len(text) == 10
            else (pd.Period(text, "Y" if len(text) == 4 else "M").end_time.date())
        )
    except ValueError:
        raise ValueError(f"--as-of {text!r} is not a year, month or date (2015, 2015-06, 2015-06-30)") from None


def to_series(pairs: list[tuple[str, float]], indicator: Indicator, as_of: Optional[dt.date] = None) -> pd.Series:
    """Observations as a sorted Series, keeping only periods that ended by `as_of`."""
    freq = indicator.frequency.value  # Y, Q, M are pandas period codes
    index = pd.PeriodIndex([pd.Period(p, freq) for p, _ in pairs], freq=freq)
    y = pd.Series([v for _, v in pairs], index=index, dtype=float, name=indicator.id).sort_index()
    if as_of is not None:
        y = y[[p.end_time.date() <= as_of for p in y.index]]
    return y


@dataclass
class Regular:
    """A gap-free series for the models, and the periods that were filled to make it so."""

    y: pd.Series
    filled: list[str] = field(default_factory=list)


def regularize(y: pd.Series, indicator: Indicator) -> Regular:
    """Fill interior gaps by straight lines on the model's (transformed) scale, and say which.

    Models on a regular grid cannot take holes; the filled periods are reported with the result,
    never hidden, and never counted as observations. `forecast run` and `forecast predict` share this rule.
    """
    return fill_gaps(y, indicator.lower, indicator.upper)


def fill_gaps(y: pd.Series, lower: Optional[float] = None, upper: Optional[float] = None) -> Regular:
    """`regularize` for values bounded by `lower` and `upper` (either may be None)."""
    if len(y) == 0:
        return Regular(y)
    full = pd.period_range(y.index[0], y.index[-1], freq=y.index.freq)
    if len(full) == len(y):
        return Regular(y.copy())
    transform = for_bounds(lower, upper)
    z = pd.Series(transform.forward(y.to_numpy()), index=y.index).reindex(full)
    missing = [str(p) for p in full[z.isna().to_numpy()]]
    z = z.interpolate(method="linear")
    return Regular(pd.Series(transform.inverse(z.to_numpy()), index=full, name=y.name), missing)


def annual(y: pd.Series, indicator: Indicator) -> pd.Series:
    """Values per calendar year. A sub-annual year counts only when it passes the indicator's validity
    rule (`min_periods_per_year`, default every period); its statistic is taken over the periods present."""
    if y.index.freqstr.startswith("Y") or len(y) == 0:
        return pd.Series(y.to_numpy(), index=[p.year for p in y.index], dtype=float)
    needed = indicator.min_periods_per_year or indicator.frequency.periods_per_year
    groups = y.groupby([p.year for p in y.index])
    valid = groups.count() >= needed
    values = getattr(groups, indicator.aggregation.value)()
    return values[valid].astype(float)


def annual_paths(history: pd.Series, paths: np.ndarray, year: int, how: Aggregation) -> np.ndarray:
    """Each path's value for calendar `year`: observed periods of that year joined with simulated ones.

    `paths` start at the period after the last observation.
    """
    if history.index.freqstr.startswith("Y"):
        step = year - history.index[-1].year
        return paths[:, step - 1]
    future = pd.period_range(history.index[-1] + 1, periods=paths.shape[1], freq=history.index.freq)
    in_year_future = np.array([p.year == year for p in future])
    observed = history[[p.year == year for p in history.index]].to_numpy()
    values = np.concatenate(
        [np.broadcast_to(observed, (paths.shape[0], len(observed))), paths[:, in_year_future]], axis=1
    )
    return {"mean": values.mean, "sum": values.sum, "last": lambda axis: values[:, -1]}[how.value](axis=1)


def steps_to_year_end(last: pd.Period, year: int) -> int:
    """Periods from `last` (exclusive) to the end of `year` (inclusive)."""
    end = (
        pd.Period(f"{year}-12", "M").asfreq(last.freqstr[0])
        if not last.freqstr.startswith("Y")
        else pd.Period(str(year), "Y")
    )
    return max(int((end - last).n), 0)
