"""Back-test evidence for a feasibility run, pooled over every series in the store.

A plan's own series are often 3–10 yearly points: too short to judge a model or an interval alone.
So every series the store holds (annual values, as known at the as-of date, on each indicator's
model scale) is back-tested with the run's candidate models; the pooled record sets each series'
combination weights (shrunk toward the pooled skill) and the spread calibration by years ahead.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Optional

import pandas as pd

from . import combine
from .backtest import backtest
from .calibrate import SpreadCalibration, fit_spread
from .forecasters import Forecaster
from .schema import Indicator
from .series import annual, regularize, to_series
from .store import Store
from .transforms import for_bounds


@dataclass
class Evidence:
    weights: pd.DataFrame  # series x model
    pooled: pd.Series  # model -> weight, for series without a back-test of their own
    calibration: SpreadCalibration
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    failures: pd.DataFrame = field(default_factory=pd.DataFrame)

    def weights_for(self, series_id: str, available: list[str]) -> pd.Series:
        w = self.weights.loc[series_id] if series_id in self.weights.index else self.pooled
        w = w.reindex(available).fillna(0.0)
        if w.sum() == 0:  # nothing chosen is available: the available models share equally
            w[:] = 1.0
        return w / w.sum()


def gather(store: Store, indicators: Mapping[str, Indicator], models: Mapping[str, Forecaster], horizon: int,
           as_of: Optional[dt.date], n_origins: int = 3, n_paths: int = 300, seed: int = 0) -> Evidence:
    pool = {}
    for sid, ind in indicators.items():
        raw = to_series(store.observations(sid, known_by=as_of), ind, as_of)
        yearly = annual(raw, ind.aggregation)
        if len(yearly) < 4:
            continue
        y = pd.Series(yearly.to_numpy(), index=pd.PeriodIndex([str(int(v)) for v in yearly.index], freq="Y"))
        y = regularize(y, ind).y
        pool[sid] = pd.Series(for_bounds(ind.lower, ind.upper).forward(y.to_numpy()), index=y.index)
    result = backtest(models, pool, horizon, n_origins=n_origins, n_paths=n_paths, seed=seed)
    if result.table.empty:
        equal = pd.Series(1.0 / len(models), index=list(models))
        return Evidence(pd.DataFrame(), equal, SpreadCalibration(), result.table, result.failures)
    weights = combine.weights(result.table)
    combined = combine.combine_table(result.table, weights)
    # The pool mixes indicators of both directions: calibrate shape only, never shift locations.
    return Evidence(weights, combine.pooled_weights(result.table), fit_spread(combined, symmetric=True),
                    pd.concat([result.table, combined], ignore_index=True), result.failures)
