"""Files in, files out for `forecast predict`: read and check a long series file, forecast, write.

A series with bad input (an unreadable date or value, a duplicate period, a value outside the bounds,
too few points) is listed in the errors file and left out; the rest are forecast. Missing periods
inside a series are filled as `forecast run` fills them (`ingest.series.fill_gaps`), and the summary
says which.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from forecast.defaults import FAN_LEVELS, MIN_POINTS
from forecast.engine import Engine
from forecast.evaluation.metrics import LEVELS
from forecast.forecasters import catalogue as cat
from forecast.ingest.importer import ImportFailed, parse_period, read_table
from forecast.ingest.numbers import NotANumber, parse_number
from forecast.ingest.series import fill_gaps
from forecast.io import atomic_path
from forecast.jobs.predict import predict
from forecast.schema import Frequency

FREQS = ("Y", "Q", "M", "D")  # pandas period codes


class BatchInputError(ValueError):
    """The request itself is unusable (file, options); nothing was written."""


DEFAULT_LEVELS = FAN_LEVELS  # 0.025, 0.1, 0.5, 0.9, 0.975: the quantiles a run stores and its fans draw


def parse_levels(text: Optional[str]) -> tuple[float, ...]:
    if not text:
        return DEFAULT_LEVELS
    if text.strip().lower() == "all":
        return LEVELS
    try:
        levels = sorted({round(float(x), 6) for x in text.split(",") if x.strip()})
    except ValueError:
        raise BatchInputError(f"--quantiles {text!r}: levels must be numbers such as 0.1,0.5,0.9") from None
    if not levels or any(not 0 < p < 1 for p in levels):
        raise BatchInputError(f"--quantiles {text!r}: every level must lie strictly between 0 and 1")
    return tuple(levels)


def _period(text: str, freq: str) -> pd.Period:
    if freq == "D":
        return pd.Period(str(text).strip()[:10], "D")
    return parse_period(str(text), Frequency(freq))


def read_series(path: Path, freq: str, lower: Optional[float], upper: Optional[float], filled: Optional[dict] = None):
    """(series id -> Series, list of per-series input errors); `filled`, when given, receives
    series id -> the periods filled inside it."""
    try:
        frame = read_table(path)
    except ImportFailed as exc:
        raise BatchInputError(str(exc)) from None
    missing = [c for c in ("series_id", "ds", "y") if c not in frame.columns]
    if missing:
        raise BatchInputError(f"{path}: required column(s) missing: {', '.join(missing)} (need series_id, ds, y)")
    if frame.empty:
        raise BatchInputError(f"{path}: no data rows")
    series, errors = {}, []
    frame["_row"] = frame.attrs.get("rows") or list(np.arange(len(frame)) + 2)
    for sid, group in frame.groupby("series_id", sort=False):
        problems, periods, values = [], [], []
        for rec in group.to_dict("records"):
            try:
                periods.append(_period(rec["ds"], freq))
            except ValueError as exc:
                problems.append(f"row {rec['_row']}, column 'ds': {exc}")
                continue
            try:
                value = parse_number(str(rec["y"]))  # the importer's rule: "9,5" is refused, never 95
            except NotANumber as exc:
                problems.append(f"row {rec['_row']}, column 'y': {exc}")
                periods.pop()
                continue
            if (lower is not None and value < lower) or (upper is not None and value > upper):
                problems.append(f"row {rec['_row']}, column 'y': {value:g} is outside [{lower}, {upper}]")
            values.append(value)
        if not problems:
            y = pd.Series(values, index=pd.PeriodIndex(periods, freq=freq)).sort_index()
            if y.index.has_duplicates:
                problems.append(
                    f"duplicate periods: {', '.join(sorted({str(p) for p in y.index[y.index.duplicated()]}))}"
                )
            elif len(y) < MIN_POINTS:  # observations as given: a filled period is not one
                problems.append(f"{len(y)} observation(s); at least {MIN_POINTS} are needed")
        if problems:
            errors.append(
                {
                    "series_id": str(sid),
                    "model": "",
                    "origin": "",
                    "stage": "input",
                    "error": f"{path}: " + "; ".join(problems[:5]),
                }
            )
        else:
            regular = fill_gaps(y, lower, upper)
            series[str(sid)] = regular.y
            if regular.filled and filled is not None:
                filled[str(sid)] = regular.filled
    return series, errors


def run_batch(
    series_file: Path,
    horizon: int,
    out: Path,
    freq: str = "Y",
    lower=None,
    upper=None,
    quantiles: Optional[str] = None,
    models: Optional[str] = None,
    catalogue: Optional[Path] = None,
    n_paths: int = 500,
    n_origins: int = 3,
    jobs: int = 1,
    seed: int = 0,
    engine: Optional[Engine] = None,
) -> str:
    freq = freq.upper()
    if freq not in FREQS:
        raise BatchInputError(f"--freq {freq!r}: use Y, Q, M or D")
    if lower is not None and upper is not None and not lower < upper:
        raise BatchInputError(f"--lower {lower} must be below --upper {upper}")
    levels = parse_levels(quantiles)
    names = [m.strip() for m in models.split(",")] if models else None
    try:
        chosen = cat.load(catalogue)
        candidates = chosen.instantiate(names)
    except cat.CatalogueError as exc:
        raise BatchInputError(str(exc)) from None
    filled: dict[str, list[str]] = {}
    series, input_errors = read_series(Path(series_file), freq, lower, upper, filled)
    result = (
        predict(
            series,
            horizon,
            candidates,
            lower=lower,
            upper=upper,
            n_paths=n_paths,
            n_origins=n_origins,
            seed=seed,
            levels=levels,
            jobs=jobs,
            engine=engine,
            uses=chosen.uses(names),
        )
        if series
        else None
    )
    forecasts = result.forecasts if result is not None else pd.DataFrame()
    errors = pd.concat(
        [
            pd.DataFrame(input_errors, columns=["series_id", "model", "origin", "stage", "error"]),
            result.errors if result is not None else None,
        ],
        ignore_index=True,
    )
    errors_path = out.with_name(out.stem + ".errors.csv")
    for frame, path in ((forecasts, out), (errors, errors_path)):
        with atomic_path(path) as tmp:
            frame.to_csv(tmp, index=False)
    failed = sorted({e["series_id"] for e in input_errors})
    forecast_ids = set(forecasts["series_id"]) if len(forecasts) else set()
    unforecast = sorted(set(series) - forecast_ids)
    lines = [
        f"forecast {len(forecast_ids)} of {len(series) + len(failed)} series, {horizon} steps: {out}",
        f"errors: {len(errors)} row(s) in {errors_path}",
    ]
    if failed or unforecast:
        lines.append(f"not forecast: {', '.join(failed + unforecast)[:300]}")
    if filled:  # the rule `forecast run` uses: interior gaps interpolated on the model scale, not counted as data
        lines.append(
            "missing periods filled by interpolation (as `forecast run` does; not counted as observations): "
            + "; ".join(f"{sid} {', '.join(p)}" for sid, p in filled.items())[:300]
        )
    if result is not None:
        own = set(result.ensemble.weights.index)
        pooled = sorted(forecast_ids - own)
        if pooled:
            lines.append(
                f"{len(pooled)} series too short for a back-test of their own: combined with the "
                f"pooled weights {result.ensemble.pooled.round(2).to_dict()}"
            )
    if result is not None and result.ensemble.mixture.factors:
        lines.append(
            "spread calibration by step: "
            + ", ".join(f"{k}:{v:.2f}" for k, v in sorted(result.ensemble.mixture.factors.items()))
        )
    return "\n".join(lines)
