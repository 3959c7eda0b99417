"""Back-test evidence for a feasibility run, pooled over every series in the store.

A plan's own series are often 3–10 yearly points: too short to judge a model or an interval alone.
So every series the store holds (annual values, as known at the as-of date, on each indicator's
model scale) is back-tested with the run's candidate models; the pooled record sets each series'
combination weights (shrunk toward the pooled skill) and the calibration by years ahead.
Series shorter than the reference prior's `max_k` take weights and calibration from the prior of
short histories (forecast.evaluation.prior) instead, moved by this pool's short back-tests as far as they go.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Optional

import pandas as pd

from forecast.engine import Engine, LocalEngine
from forecast.evaluation.backtest import BacktestResult, backtest
from forecast.evaluation.combine import Ensemble, fit_ensemble, resolve_prior
from forecast.evaluation.prior import corrected_rows, prior_covers, scale_class
from forecast.forecasters import Forecaster
from forecast.forecasters.catalogue import for_series
from forecast.ingest.series import annual, regularize, to_series
from forecast.ingest.transforms import for_bounds
from forecast.schema import Indicator
from forecast.store import Store


def gather(
    store: Store,
    indicators: Mapping[str, Indicator],
    models: Mapping[str, Forecaster],
    horizon: int,
    as_of: Optional[dt.date],
    n_origins: int = 3,
    n_paths: int = 300,
    seed: int = 0,
    on_series: Optional[Callable[[str, int, int], None]] = None,
    engine: Optional[Engine] = None,
    uses: Optional[Mapping[str, Sequence[str]]] = None,
) -> tuple[Ensemble, pd.DataFrame]:
    """The fitted ensemble and the back-test failures (series, model, origin, error).

    The series are read here; their back-tests are the engine's map (one series a task), the
    ensemble fitted on the pooled table is the one reduce. `uses` (`Catalogue.uses`) picks each
    series' candidates by its own frequency, though its back-tests run on its annual values: a
    monthly series is back-tested with the models that will simulate it (a series the short-history
    prior covers, with the `short` list)."""
    prior = resolve_prior()
    pool, scale_of, group_of = {}, {}, {}
    for sid, ind in indicators.items():
        raw = to_series(store.observations(sid, known_by=as_of), ind, as_of)
        yearly = annual(raw, ind)
        if len(yearly) < 4:
            continue
        y = pd.Series(yearly.to_numpy(), index=pd.PeriodIndex([str(int(v)) for v in yearly.index], freq="Y"))
        y = regularize(y, ind).y
        pool[sid] = pd.Series(for_bounds(ind.lower, ind.upper).forward(y.to_numpy()), index=y.index)
        scale_of[sid] = scale_class(ind.lower, ind.upper)
        # Counted as `run` counts them when it weighs the series: observed years, before any gap is filled.
        group_of[sid] = (ind.frequency.value, prior_covers(prior, len(yearly)))
    batches = _batches(list(pool))
    done = 0

    def batch_done(key: str, _i: int, _n: int) -> None:
        nonlocal done
        done += len(batches[key])
        if on_series is not None:
            on_series(batches[key][-1], done, len(pool))

    results = (engine or LocalEngine(1)).map(
        backtest_batch,
        {key: {sid: (group_of[sid], pool[sid]) for sid in sids} for key, sids in batches.items()},
        (models, uses, horizon, n_origins, n_paths, seed),
        on_done=batch_done,
    )
    parts = list(results.values())
    del results  # the batches are let go as they are copied into one table
    result = BacktestResult.concat(parts)
    release_freed_memory()
    # The pool mixes indicators of both directions: calibrate shape only, never shift locations.
    # Short series lean on the shipped prior of short histories, updated by this pool's short back-tests.
    ensemble = fit_ensemble(result.table, list(models), symmetric=True, scale_of=scale_of, prior=prior)
    release_freed_memory()
    return ensemble, result.failures


def release_freed_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's malloc_trim; elsewhere nothing). The
    back-test batches and the fit's transients leave a province's driver with ~0.1–0.3 GB of freed
    but still resident heap, on top of which the next step would add its own."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # a libc without it (musl)
        pass


def _batches(series_ids: list[str], tasks: int = 64, most: int = 100) -> dict[str, list[str]]:
    """The series in consecutive batches, one back-test task each: at least `tasks` tasks for the
    workers to share, at most `most` series a task. One result per series made the driver hold 20,000
    small frames (about twice the pooled table in heap), so a province's store is sent in batches."""
    n = len(series_ids)
    k = min(n, max(tasks, -(-n // most)))  # batches, of sizes differing by one at most
    return {f"{i:06d}": series_ids[i * n // k : (i + 1) * n // k] for i in range(k)}


def backtest_batch(key: str, series: dict[str, tuple[tuple[str, bool], pd.Series]], shared: tuple) -> BacktestResult:
    """A batch's back-tests (series id -> (its own frequency, whether the short-history prior covers
    it) and its annual values): a task of the engine's map. Every series' random stream depends on
    its id only, so the results are the same however the series are batched."""
    models, uses, horizon, n_origins, n_paths, seed = shared
    by_group: dict[tuple[str, bool], dict[str, pd.Series]] = {}
    for sid, (group, y) in series.items():
        by_group.setdefault(group, {})[sid] = y
    parts = [
        backtest(for_series(models, uses, code, short), ys, horizon, n_origins=n_origins, n_paths=n_paths, seed=seed)
        for (code, short), ys in by_group.items()
    ]
    return parts[0] if len(parts) == 1 else BacktestResult.concat(parts)


SKILL_METRICS = ("crps", "smape", "coverage80", "coverage95")


def skill_summary(ensemble: Ensemble, series_ids: list[str], pooled: Optional[dict] = None) -> dict:
    """What a report says about the back-tests behind a run, as plain JSON: `pooled_skill` and each
    linked series' own skill when it was back-tested. `pooled` is `pooled_skill(ensemble)` when the
    caller has it already: the plans of one refresh share one ensemble, and recomputing it per plan
    made a province's refresh quadratic (200 plans × a 20,000-series table)."""
    if ensemble.table.empty:
        return {}
    rest = dict(pooled if pooled is not None else pooled_skill(ensemble))
    return {"pooled": rest.pop("pooled"), "series": series_skill(ensemble, series_ids), **rest}


def _by_model(ensemble: Ensemble) -> dict:
    scores = ensemble.score(["model"], SKILL_METRICS).set_index("model")
    return {
        m: {**{k: float(v) for k, v in row.drop("points").items()}, "points": int(row["points"])}
        for m, row in scores.iterrows()
    }


def series_skill(ensemble: Ensemble, series_ids: list[str]) -> dict:
    """Every linked series' own skill by model, from one grouped pass: filtering the pooled table once
    per series cost a plan of 100 targets 20 s on a store of 1,000 series, and grows with the store."""
    from forecast.evaluation.metrics import score_with_points

    out: dict = {}
    own = ensemble.rows(series_ids)
    if len(own):
        for rec in score_with_points(own, ["series_id", "model"], SKILL_METRICS).to_dict("records"):
            sid, m, points = rec.pop("series_id"), rec.pop("model"), rec.pop("points")
            out.setdefault(sid, {})[m] = {**{k: float(v) for k, v in rec.items()}, "points": int(points)}
    return {sid: out[sid] for sid in series_ids if sid in out}


def pooled_skill(ensemble: Ensemble) -> dict:
    """The pooled part of `skill_summary`: skill per model (and of the calibrated combination),
    interval coverage of the combination, the Brier score and reliability table of threshold events
    (the back-test analogue of the targets' probabilities), and the short-history prior's correction."""
    from forecast.evaluation.calibrate import reliability
    from forecast.evaluation.metrics import brier_with_reliability, threshold_events

    table, combined = ensemble.table, ensemble.combined
    if table.empty:
        return {}
    out: dict = {"pooled": _by_model(ensemble), "n_series": int(table["series_id"].nunique())}
    if len(combined):
        # Coverage of the combination before and after its calibration, side by side (before: as
        # fit_ensemble found it).
        coverage = reliability(combined)
        if ensemble.uncalibrated is not None:
            coverage = coverage.assign(before=ensemble.uncalibrated["observed"])
        out["coverage"] = coverage.to_dict("records")
        events = threshold_events(combined)
        brier, bins = brier_with_reliability(events["p"], events["event"])
        out["events"] = {
            "brier": brier,
            "n": int(len(events)),
            "reliability": bins.dropna(subset=["count"]).drop(columns="bin").to_dict("records"),
        }
    if ensemble.prior is not None and "n_train" in table:
        # How far each scale class's short back-tests moved the prior's stretch (forecast.evaluation.prior).
        out["prior"] = {scale: c.to_dict() for scale, c in ensemble.corrections.items()}
        rows = corrected_rows(
            table,
            ensemble.prior,
            ensemble.corrections,
            ensemble.scale_of,
            ensemble.default_scale,
        )
        if len(rows):  # the short back-tests' coverage as the run calibrates short series
            out["prior_coverage"] = reliability(rows).to_dict("records")
    return out
