"""The reference prior of short histories: its spread never shrinks with years ahead, and a store's
own evidence moves the calibration toward what that evidence says, the more the more there is."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from forecast.evaluation.calibrate import SpreadCalibration
from forecast.evaluation.metrics import LEVELS, level_column
from forecast.evaluation.prior import PriorCalibration, blend, corrections, default_prior

LV = np.array(LEVELS)
PRIOR = default_prior()
ENTRIES = sorted(PRIOR.entries)


def test_the_shipped_prior_covers_short_histories_on_both_scales():
    assert PRIOR.max_k > 10
    for scale in ("free", "positive"):
        for k in range(3, PRIOR.max_k):
            entry = PRIOR.entry(scale, k)
            assert entry.windows >= 100 and abs(sum(entry.weights.values()) - 1) < 1e-3
            assert all(entry.error_quantiles(h, [0.9])[0] > 0 for h in range(1, 11))
    assert not PRIOR.covers(PRIOR.max_k) and PRIOR.covers(4)


@settings(max_examples=60, deadline=None)
@given(
    entry=st.sampled_from(ENTRIES),
    h=st.integers(1, 12),
    s=st.floats(1e-3, 1e3),
    factor=st.floats(0.2, 5.0),
    median=st.lists(st.floats(-1e3, 1e3), min_size=12, max_size=12),
)
def test_the_priors_spread_never_shrinks_with_years_ahead(entry, h, s, factor, median):
    # Whatever the series' scale, its median path and the local stretch: no interval is narrower
    # for a later year than for an earlier one, and every interval is centred on the median.
    cal = PriorCalibration(PRIOR.entries[entry], s, factor)
    rows = np.array(median[:h])[:, None] + norm.ppf(LV)[None, :]
    out = cal.apply_quantiles(rows, np.arange(1, h + 1), np.array(median[:h]), LV)
    for lo, hi in ((0.25, 0.75), (0.1, 0.9), (0.025, 0.975)):
        width = np.array([np.interp(hi, LV, r) - np.interp(lo, LV, r) for r in out])
        assert np.all(width > 0) and np.all(np.diff(width) >= -1e-9 * width.max())
        centre = np.array([np.interp(hi, LV, r) + np.interp(lo, LV, r) for r in out]) / 2
        assert np.allclose(centre, median[:h], atol=1e-6 * (1 + np.abs(median[:h]).max()))


def test_paths_keep_their_ranks_and_take_the_priors_spread():
    entry = PRIOR.entry("positive", 5)
    rng = np.random.default_rng(1)
    paths = np.cumsum(rng.standard_normal((2000, 4)), axis=1)
    out = PriorCalibration(entry, 0.5).apply_paths(paths)
    for k in range(4):
        assert np.all(np.diff(out[np.argsort(paths[:, k]), k]) >= 0)  # order within the year is kept
        lo, hi = np.quantile(out[:, k], [0.1, 0.9])
        expected = 0.5 * entry.error_quantiles(k + 1, [0.1, 0.9])
        assert np.allclose([lo, hi], np.median(paths[:, k]) + expected, atol=0.02)


def _short_backtest(n_series: int, spread: float, k: int = 5, seed: int = 0) -> pd.DataFrame:
    """Back-test rows at training length k: model quantiles N(0, 1), outcomes N(0, spread²)."""
    rng = np.random.default_rng(seed)
    model = next(iter(PRIOR.entry("free", k).weights))
    q = {level_column(p): float(v) for p, v in zip(LEVELS, norm.ppf(LV))}
    return pd.DataFrame(
        [
            {
                "series_id": f"s{i}",
                "model": model,
                "origin": "2000",
                "step": step,
                "y": float(rng.normal(0.0, spread)),
                "mean": 0.0,
                **q,
                "last": 0.0,
                "scale": 1.0,
                "n_train": k,
            }
            for i in range(n_series)
            for step in (1, 2)
        ]
    )


@settings(max_examples=25, deadline=None)
@given(points=st.integers(0, 5000), more=st.integers(1, 5000), local=st.floats(0.2, 5.0))
def test_local_evidence_moves_the_stretch_toward_itself_as_it_grows(points, more, local):
    few, many = blend(local, points), blend(local, points + more)
    assert min(1.0, local) - 1e-9 <= few <= max(1.0, local) + 1e-9  # between the prior (1) and the local value
    assert abs(np.log(many) - np.log(local)) <= abs(np.log(few) - np.log(local)) + 1e-12
    assert blend(local, 0) == 1.0


def test_a_stores_own_short_back_tests_move_the_prior_toward_them_as_they_grow():
    for spread in (0.5, 3.0):
        previous = None
        for n in (5, 50, 500):
            fix = corrections(_short_backtest(n, spread), PRIOR, {}, "free")["free"]
            assert fix.points == 2 * n and fix.series == n
            local = fix.local_factor
            assert min(1.0, local) - 1e-9 <= fix.factor <= max(1.0, local) + 1e-9
            gap = abs(np.log(fix.factor) - np.log(local))
            if previous is not None:
                assert gap < previous
            previous = gap
        assert (fix.factor > 1.0) == (spread > 1.0)  # wide outcomes widen the prior, narrow ones narrow it


def test_series_of_max_k_points_or_more_keep_the_pooled_back_test_calibration():
    from forecast.evaluation.combine import Ensemble

    mixture = SpreadCalibration({1: 1.3}, {1: 99})
    e = Ensemble(pd.DataFrame(), pd.Series({"rw_drift": 1.0}), mixture, prior=PRIOR)
    assert e.calibration_for(PRIOR.max_k + 5) is mixture and e.basis(PRIOR.max_k + 5).source == "local"
    assert e.calibration_for(4) is not mixture and e.basis(4).source == "prior" and e.basis(4).thin


def test_a_short_series_takes_the_weights_its_candidates_earned_at_its_length():
    from forecast.evaluation.combine import Ensemble

    local = pd.DataFrame({"rw_drift": [1.0], "theta": [0.0], "ets_damped": [0.0]}, index=["s"])
    e = Ensemble(local, pd.Series({"rw_drift": 1.0}), SpreadCalibration(), prior=PRIOR)
    available = ["rw_drift", "theta", "ets_damped"]
    short = e.weights_for("s", available, 8, "free")
    expected = pd.Series(PRIOR.entry("free", 8).weights).reindex(available).fillna(0.0)
    assert np.allclose(short.to_numpy(), (expected / expected.sum()).to_numpy())
    assert e.weights_for("s", available, 20, "free")["rw_drift"] == 1.0  # long: its own back-tests
