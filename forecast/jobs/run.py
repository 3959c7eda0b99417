"""One feasibility run: every target of a plan, from the store's data as of a date.

Per linked series, every candidate model simulates paths; the paths are combined with weights from
pooled back-test skill and stretched by the back-test spread calibration (see `evaluation.evidence`),
and each target's probability is a count over those paths. `run_plan` computes and returns the run;
`save_run` stores it (the refresh job publishes many runs in one transaction instead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd

from forecast import defaults
from forecast.engine import Engine, LocalEngine
from forecast.evaluation.combine import Ensemble
from forecast.evaluation.evidence import gather, pooled_skill, skill_summary
from forecast.evaluation.prior import scale_class, series_scale
from forecast.forecasters import Bounded, Forecaster, catalogue
from forecast.ingest.series import annual, as_of_date, regularize, steps_to_year_end, to_series
from forecast.ingest.transforms import for_bounds
from forecast.schema import Plan, Target
from forecast.store import Store
from forecast.targets.feasibility.assess import assess_reported
from forecast.targets.feasibility.checks import flag_disagreeing_series, flag_stale
from forecast.targets.feasibility.restatements import flag_restatements
from forecast.targets.feasibility.simulated import SeriesForecast
from forecast.targets.feasibility.types import Assessment


@dataclass
class RunResult:
    run_id: str
    plan: Plan
    as_of: Optional[dt.date]
    created_at: dt.datetime
    settings: dict
    data_hash: str
    assessments: list[Assessment]
    series: dict[str, SeriesForecast]
    fans: list[dict]
    evidence: Ensemble
    evidence_failures: pd.DataFrame
    mlflow_run_id: Optional[str] = None

    def records(self) -> tuple[dict, list[dict], list[dict]]:
        """The run as the store keeps it: (run row, assessment results, fan quantiles)."""
        run = {
            "id": self.run_id,
            "plan_id": self.plan.id,
            "as_of": self.as_of,
            "created_at": self.created_at,
            "settings": self.settings,
            "data_hash": self.data_hash,
        }
        return run, [a.to_dict() for a in self.assessments], self.fans


def save_run(store: Store, result: RunResult) -> None:
    """Store a computed run (one transaction)."""
    store.save_run(*result.records())


def run_plan(
    store: Store,
    plan_id: str,
    as_of: Optional[str | int | dt.date] = None,
    models: Optional[Sequence[str]] = None,
    n_paths: int = defaults.N_PATHS,
    seed: int = defaults.SEED,
    progress: Optional[Callable[[str, str, int, int], None]] = None,
    catalogue_file: Optional[Path] = None,
    engine: Optional[Engine] = None,
    evidence_cache: Optional[dict] = None,
) -> RunResult:
    """Compute a run from the store's data; nothing is written (see `save_run`).

    `progress(stage, series_id, done, total)`, when given, hears of each series back-tested and
    simulated. `catalogue_file` is the model catalogue to use (default: the installed one); `engine`
    runs the per-series back-tests and simulations (default: this process). `evidence_cache`, shared by
    the runs of one refresh, keeps the pooled back-test evidence (the whole store's back-tests) of each
    as-of date, candidate set and horizon, so plans on unchanged data do not back-test the store again.
    """
    plan = store.plan(plan_id)
    tell = progress or (lambda stage, item, done, total: None)
    as_of_day = as_of_date(as_of)
    chosen = catalogue.load(catalogue_file)
    candidates = chosen.instantiate(models)  # unknown names fail before any work
    uses = chosen.uses(models)  # each series' candidates, by its frequency
    indicators = store.indicators(t.series_id for t in plan.targets if t.series_id)
    horizons = _horizon_years(plan.targets)
    series: dict[str, SeriesForecast] = {}
    observed_rows: list[tuple] = []
    for sid in horizons:
        if sid not in indicators:
            continue
        ind = indicators[sid]
        raw = to_series(store.observations(sid, known_by=as_of_day), ind, as_of_day)
        observed_rows += [(sid, str(p), v) for p, v in raw.items()]
        regular = regularize(raw, ind)
        series[sid] = SeriesForecast(ind, regular.y, annual(raw, ind), filled=regular.filled)
        if as_of_day is not None:  # what happened next, to set beside a replayed forecast
            series[sid].later = annual(to_series(store.observations(sid), ind), ind)

    to_simulate = {
        sid: last
        for sid, last in horizons.items()
        if sid in series
        and len(series[sid].history) >= defaults.MIN_POINTS
        and len(series[sid].annual)
        and last > series[sid].annual.index[-1]
    }
    years_ahead = max((last - int(series[sid].annual.index[-1]) for sid, last in to_simulate.items()), default=1)
    own = engine or LocalEngine(1)
    key = (as_of_day, tuple(candidates), _frozen(uses), min(years_ahead, 10), seed)
    if evidence_cache is None or key not in evidence_cache:
        evidence, failures = gather(
            store,
            store.indicators(),  # the whole store's back-tests, once per cache
            candidates,
            min(years_ahead, 10),
            as_of_day,
            seed=seed,
            on_series=lambda sid, done, total: tell("back-test", sid, done, total),
            engine=own,
            uses=uses,
        )
        if evidence_cache is None:
            evidence_cache = {}
        evidence_cache[key] = (evidence, failures, pooled_skill(evidence))  # the pooled summary: once, too
    evidence, evidence_failures, pooled = evidence_cache[key]
    targets_of: dict[str, list[int]] = {}
    for i, t in enumerate(plan.targets):
        targets_of.setdefault(t.series_id or "", []).append(i)
    work = {sid: (series[sid], last, [plan.targets[i] for i in targets_of[sid]]) for sid, last in to_simulate.items()}
    # What combining needs, sent to the workers; the pooled back-test rows stay here.
    slim = replace(evidence, table=pd.DataFrame(), combined=pd.DataFrame())
    period_start = int(plan.period[0]) if plan.period else None
    simulated = own.map(
        simulate_series,
        work,
        (candidates, uses, slim, n_paths, seed, period_start),
        on_done=lambda sid, done, total: tell("simulate", sid, done, total),
    )
    by_target: dict[int, Assessment] = {}
    for sid, (s, assessed, _) in simulated.items():
        series[sid] = s
        by_target.update(zip(targets_of[sid], assessed, strict=True))
    assessments = [
        by_target.get(i) or assess_reported(t, series.get(t.series_id or ""), period_start)
        for i, t in enumerate(plan.targets)
    ]
    flag_restatements(plan.targets, assessments)
    created_at = dt.datetime.now()
    flag_stale(assessments, (as_of_day or created_at.date()).year)
    flag_disagreeing_series(assessments, series)
    settings = {
        "plan": plan.id,
        "as_of": as_of_day.isoformat() if as_of_day else None,
        "models": list(candidates),
        "models_by_frequency": None if uses is None else {code: list(names) for code, names in uses.items()},
        "n_paths": n_paths,
        "seed": seed,
        "catalogue": chosen.source,
        "candidates": {name: chosen.candidates[name] for name in candidates},  # model and settings of each
        "calibration": evidence.mixture.to_dict(),
        "backtest": skill_summary(evidence, list(series), pooled),
        "weights": {sid: s.weights for sid, s in series.items() if s.weights},
        "basis": {sid: _basis(evidence, s).to_dict() for sid, s in series.items() if s.weights},
    }
    data_hash = hashlib.sha256(repr(sorted(observed_rows)).encode()).hexdigest()
    fans = [f for sid in series if sid in simulated for f in simulated[sid][2]]
    return RunResult(
        defaults.new_id(),
        plan,
        as_of_day,
        created_at,
        settings,
        data_hash,
        assessments,
        series,
        fans,
        evidence,
        evidence_failures,
    )


def simulate_series(sid: str, work: tuple, shared: tuple) -> tuple[SeriesForecast, list[Assessment], list[dict]]:
    """One series' task of the engine's map: simulate every model, combine, assess the series'
    targets, take the fan quantiles; the paths are then dropped (they stay with the worker)."""
    s, last_year, targets = work
    candidates, uses, evidence, n_paths, seed, period_start = shared
    # A series the short-history prior covers runs the candidates the prior weighs (`short`).
    chosen = catalogue.for_series(
        candidates, uses, s.indicator.frequency.value, short=evidence.uses_prior(len(s.annual))
    )
    _simulate(s, chosen, last_year, n_paths, _rng(seed, sid))
    _combine(sid, s, evidence, n_paths)
    return s.without_paths(), [assess_reported(t, s, period_start) for t in targets], _fan(sid, s)


def _frozen(uses: Optional[dict[str, tuple[str, ...]]]) -> Optional[tuple]:
    """`uses` as a key of the evidence cache."""
    return None if uses is None else tuple(sorted(uses.items()))


def _horizon_years(targets: Sequence[Target]) -> dict[str, int]:
    """For each linked series, the last year any of its targets speaks of."""
    out: dict[str, int] = {}
    for t in targets:
        if t.series_id and t.assessable and t.year is not None:
            out[t.series_id] = max(out.get(t.series_id, 0), int(t.year))
    return out


def _rng(seed: int, series_id: str) -> np.random.Generator:
    # One stream per series, so adding a target elsewhere does not change this series' paths.
    return np.random.default_rng([seed, zlib.crc32(series_id.encode())])


def _simulate(
    s: SeriesForecast, candidates: dict[str, Forecaster], last_year: int, n_paths: int, rng: np.random.Generator
) -> None:
    h = steps_to_year_end(s.history.index[-1], last_year)
    for name, base in candidates.items():
        model = Bounded(base, s.indicator.lower, s.indicator.upper)  # fits a fresh copy; `base` stays unfitted
        if (why := model.not_applicable(s.history)) is not None:
            s.skipped[name] = why
            continue
        try:
            s.paths[name] = model.fit(s.history).sample_paths(h, n_paths, rng)
        except Exception as exc:  # one model failing must not sink the run: it is reported per series
            s.failures[name] = f"{type(exc).__name__}: {exc}"


def _combine(sid: str, s: SeriesForecast, ensemble: Ensemble, n_paths: int) -> None:
    """Weighted mixture of the models' paths, calibrated on the model scale (so it stays in bounds)."""
    if not s.paths:
        return
    n, scale = len(s.annual), scale_class(s.indicator.lower, s.indicator.upper)
    w = ensemble.weights_for(sid, list(s.paths), n, scale)
    s.weights = {m: float(v) for m, v in w.items() if v > 0}
    stacked = np.concatenate([s.paths[m][: max(int(round(v * n_paths)), 1)] for m, v in s.weights.items()])
    transform = for_bounds(s.indicator.lower, s.indicator.upper)
    per_year = s.indicator.frequency.periods_per_year
    s_model = series_scale(transform.forward(s.annual.to_numpy(float)))  # yearly change on the model scale
    calibration = ensemble.calibration_for(n, scale, s_model)  # the short-history prior's for a short series
    s.combined = transform.inverse(calibration.apply_paths(transform.forward(stacked), per_year))


def _basis(ensemble: Ensemble, s: SeriesForecast):
    """What a series' probabilities rest on: the prior of short histories or the pooled back-tests."""
    return ensemble.basis(len(s.annual), scale_class(s.indicator.lower, s.indicator.upper))


def _fan(sid: str, s: SeriesForecast) -> list[dict]:
    """Annual quantiles of the combined paths, for the fan charts."""
    if s.combined is None:
        return []
    last, horizon = s.history.index[-1], s.combined.shape[1]
    years, year = [], int(s.annual.index[-1]) + 1
    while steps_to_year_end(last, year) <= horizon:
        years.append(year)
        year += 1
    rows = []
    for year in years:
        qs = np.quantile(s.year_values([year], s.combined)[:, 0], defaults.FAN_LEVELS)
        rows.append(
            {
                "series_id": sid,
                "period": str(year),
                "quantiles": {str(level): float(v) for level, v in zip(defaults.FAN_LEVELS, qs, strict=True)},
            }
        )
    return rows
