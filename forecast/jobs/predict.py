"""Batch probabilistic forecasts for many series: back-test, select, combine, calibrate, forecast.

The library function behind `forecast predict` and the M3 benchmark. Per series (in parallel):
a rolling-origin back-test of every candidate and a final fit on all data. Pooled over series:
combination weights from back-test skill and a spread calibration of the combined distribution.
A series that cannot be forecast gets a row in `errors`, never silent output.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import pandas as pd

from forecast.engine import Engine, LocalEngine
from forecast.evaluation import combine
from forecast.evaluation.backtest import backtest, quantile_block
from forecast.evaluation.calibrate import median_of
from forecast.evaluation.metrics import LEVELS, level_column
from forecast.evaluation.prior import prior_covers, scale_class, series_scale
from forecast.forecasters import Forecaster
from forecast.forecasters.base import frequency_code
from forecast.forecasters.catalogue import for_series
from forecast.ingest.transforms import for_bounds


@dataclass
class PredictResult:
    forecasts: pd.DataFrame  # series_id, ds, step, mean, q...
    errors: pd.DataFrame  # series_id, model, stage, error
    ensemble: combine.Ensemble  # weights, calibrations and the calibrated back-test rows
    seconds: dict = field(default_factory=dict)


def _per_series(sid: str, y: pd.Series, shared: tuple):
    """Back-test rows and final per-model [mean, quantiles] blocks for one series (model scale):
    a task of the engine's map."""
    candidates, uses, prior, h, n_origins, n_paths, seed, levels = shared
    models = for_series(candidates, uses, frequency_code(y), short=prior_covers(prior, len(y)))
    bt = backtest(models, {sid: y}, h, n_origins=n_origins, n_paths=n_paths, seed=seed, levels=levels)
    finals, errors = {}, [dict(r, stage="backtest") for r in bt.failures.to_dict("records")]
    rng = np.random.default_rng([seed, zlib.crc32(sid.encode()), 1])
    for name, model in models.items():
        if model.not_applicable(y) is not None:  # a skip, not an error: the model is not made for it
            continue
        try:
            finals[name] = quantile_block(model.clone().fit(y).sample_paths(h, n_paths, rng), levels)
        except Exception as exc:  # reported per series and model, never replaced silently
            errors.append(
                {
                    "series_id": sid,
                    "model": name,
                    "origin": str(y.index[-1]),
                    "stage": "forecast",
                    "error": f"{type(exc).__name__}: {exc}",
                }
            )
    return sid, bt.table, finals, errors


def predict(
    series: Mapping[str, pd.Series],
    h: int,
    models: Mapping[str, Forecaster],
    lower: Optional[float] = None,
    upper: Optional[float] = None,
    n_paths: int = 500,
    n_origins: int = 3,
    seed: int = 0,
    levels: Sequence[float] = LEVELS,
    jobs: int = 1,
    engine: Optional[Engine] = None,
    combination: str = "mixture",
    prior="default",
    uses: Optional[Mapping[str, Sequence[str]]] = None,
) -> PredictResult:
    """Forecast every series `h` steps ahead; quantiles at `levels` (LEVELS always used inside).
    The per-series work runs on `engine` (default: `jobs` local worker processes); `combination`
    is the rule pooling the candidates (`combine.pool_quantiles`); `uses` (`Catalogue.uses`) which of
    them each series runs, by its frequency (default: all of them).

    Series shorter than the short-history prior's `max_k` take weights and calibration from `prior`
    ("default": the shipped one; None: the pooled back-tests alone), see forecast.evaluation.prior.
    """
    started = time.perf_counter()
    prior = combine.resolve_prior(prior)
    transform = for_bounds(lower, upper)
    work = {sid: pd.Series(transform.forward(y.to_numpy(float)), index=y.index) for sid, y in series.items()}
    own = engine or LocalEngine(jobs)
    try:
        outputs = list(own.map(_per_series, work, (models, uses, prior, h, n_origins, n_paths, seed, LEVELS)).values())
    finally:
        if engine is None:  # a pool made here is closed here
            own.close()
    fitted = time.perf_counter()

    tables = [t for _, t, _, _ in outputs if len(t)]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    errors = pd.DataFrame(
        [e for *_, errs in outputs for e in errs], columns=["series_id", "model", "origin", "stage", "error"]
    )
    scale = scale_class(lower, upper)
    ensemble = combine.fit_ensemble(table, list(models), rule=combination, prior=prior, default_scale=scale)
    rows = [
        _final_rows(sid, series[sid], finals, ensemble, transform, levels, h, scale)
        for sid, _, finals, _ in outputs
        if finals
    ]
    forecasts = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    done = time.perf_counter()
    return PredictResult(
        forecasts, errors, ensemble, {"per_series": fitted - started, "pooled": done - fitted, "total": done - started}
    )


def _final_rows(sid, y, finals, ensemble: combine.Ensemble, transform, levels, h, scale="free") -> pd.DataFrame:
    names = list(finals)
    weights = ensemble.weights_for(sid, names, len(y), scale)
    lv = np.array(LEVELS)
    steps = np.arange(1, h + 1)
    stacked = np.stack([np.sort(finals[m][:, 1:], axis=1) for m in names])  # column 0 is the mean
    mixed = combine.pool_quantiles(stacked, np.tile(weights.to_numpy(float), (h, 1)), lv, ensemble.rule)
    calibration = ensemble.calibration_for(len(y), scale, series_scale(transform.forward(y.to_numpy(float))))
    calibrated = calibration.apply_quantiles(mixed, steps, median_of(mixed, lv), lv)
    quantiles = transform.inverse(calibrated)  # quantiles commute with the monotone transform
    # The mean of the calibrated distribution, by the midpoint rule over the even levels.
    even = np.round(np.arange(1, 100) / 100, 2)
    mean = np.array([np.interp(even, lv, row).mean() for row in quantiles])
    out = pd.DataFrame({level_column(p): [np.interp(p, lv, row) for row in quantiles] for p in levels})
    out.insert(0, "mean", mean)
    out.insert(0, "step", steps)
    future = pd.period_range(y.index[-1] + 1, periods=h, freq=y.index.freq)
    out.insert(0, "ds", [period_start(p) for p in future])
    out.insert(0, "series_id", sid)
    return out


def period_start(p: pd.Period) -> str:
    """YYYY-MM-DD of a period's first day, without timestamps (placeholder years such as 0001 work)."""
    first = p.asfreq("M", how="start")
    return f"{first.year:04d}-{first.month:02d}-01"
