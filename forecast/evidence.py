"""Back-test evidence for a feasibility run, pooled over every series in the store.

A plan's own series are often 3–10 yearly points: too short to judge a model or an interval alone.
So every series the store holds (annual values, as known at the as-of date, on each indicator's
model scale) is back-tested with the run's candidate models; the pooled record sets each series'
combination weights (shrunk toward the pooled skill) and the calibration by years ahead.
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping, Optional

import pandas as pd

from .backtest import backtest
from .combine import Ensemble, fit_ensemble
from .forecasters import Forecaster
from .schema import Indicator
from .series import annual, regularize, to_series
from .store import Store
from .transforms import for_bounds


def gather(store: Store, indicators: Mapping[str, Indicator], models: Mapping[str, Forecaster], horizon: int,
           as_of: Optional[dt.date], n_origins: int = 3, n_paths: int = 300,
           seed: int = 0) -> tuple[Ensemble, pd.DataFrame]:
    """The fitted ensemble and the back-test failures (series, model, origin, error)."""
    pool = {}
    for sid, ind in indicators.items():
        raw = to_series(store.observations(sid, known_by=as_of), ind, as_of)
        yearly = annual(raw, ind)
        if len(yearly) < 4:
            continue
        y = pd.Series(yearly.to_numpy(), index=pd.PeriodIndex([str(int(v)) for v in yearly.index], freq="Y"))
        y = regularize(y, ind).y
        pool[sid] = pd.Series(for_bounds(ind.lower, ind.upper).forward(y.to_numpy()), index=y.index)
    result = backtest(models, pool, horizon, n_origins=n_origins, n_paths=n_paths, seed=seed)
    # The pool mixes indicators of both directions: calibrate shape only, never shift locations.
    return fit_ensemble(result.table, list(models), symmetric=True), result.failures
