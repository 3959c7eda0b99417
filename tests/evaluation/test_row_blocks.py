"""What works on a back-test table row by row gives the same numbers a block of rows at a time.

A province's pooled table is too large to transform whole (each step took a few times its size), so
the combination, the calibration and the prior's corrections work `metrics.ROWS_AT_ONCE` rows at a
time. These tests hold them to the last bit against one block for the whole table.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.evaluation import metrics as M
from forecast.evaluation.calibrate import SpreadCalibration, apply_to_table, calibrated_pits, fit_spread, pits
from forecast.evaluation.combine import RULES, combine_table, fit_ensemble, weights
from forecast.evaluation.prior import corrections, default_prior, stretch_factor

MODELS = ("rw_drift", "theta", "ets_damped")


@contextmanager
def rows_at_once(n: int):
    before = M.ROWS_AT_ONCE
    M.ROWS_AT_ONCE = n
    try:
        yield
    finally:
        M.ROWS_AT_ONCE = before


def pooled_table(seed: int, n_series: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per-model back-test rows like `backtest`'s: 3 origins × up to 3 steps, a model missing now and
    then, the odd constant forecast, training lengths short (the prior's) and long, two scale classes."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_series):
        sid, level, n0 = f"s{s:03d}", rng.uniform(5, 100), int(rng.integers(4, 12))
        for origin in range(3):
            for step in range(1, 4):
                y = level + rng.normal(0, 3)
                for m in MODELS:
                    if rng.random() < 0.1:
                        continue  # this model failed at this origin
                    centre, spread = level + rng.normal(0, 2), rng.uniform(0.0 if rng.random() < 0.05 else 0.5, 4)
                    q = np.sort(centre + spread * rng.standard_normal(len(M.LEVELS)))
                    rows.append(
                        {"series_id": sid, "model": m, "origin": origin, "step": step, "y": y, "mean": q.mean()}
                        | dict(zip([M.level_column(p) for p in M.LEVELS], q, strict=True))
                        | {"last": level, "scale": rng.choice([0.0, 1.0, 2.5]), "n_train": n0 + origin}
                    )
    scale_of = {f"s{s:03d}": ("free" if s % 2 else "positive") for s in range(n_series)}
    return pd.DataFrame(rows), scale_of


def same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    else:
        assert repr(a) == repr(b)  # NaN equal to NaN, floats to the last bit


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), n_series=st.integers(1, 12), at_once=st.integers(1, 40), rule=st.sampled_from(RULES))
def test_combination_in_row_blocks_is_the_same(seed, n_series, at_once, rule):
    table, _ = pooled_table(seed, n_series)
    w = weights(table)
    whole = combine_table(table, w, rule=rule)
    with rows_at_once(at_once):
        same(combine_table(table, w, rule=rule), whole)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), n_series=st.integers(1, 12), at_once=st.integers(1, 40))
def test_calibration_in_row_blocks_is_the_same(seed, n_series, at_once):
    table, _ = pooled_table(seed, n_series)
    combined = combine_table(table, weights(table))
    cal = fit_spread(combined, symmetric=True)
    whole = (
        cal.to_dict(),
        apply_to_table(combined, cal),
        stretch_factor(combined),
        pits(apply_to_table(combined, cal)),
    )
    with rows_at_once(at_once):
        blocked = fit_spread(combined, symmetric=True)
        same(blocked.to_dict(), whole[0])
        same(apply_to_table(combined, blocked), whole[1])
        same(stretch_factor(combined), whole[2])
        same(calibrated_pits(combined, blocked), whole[3])


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), n_series=st.integers(2, 12), at_once=st.integers(1, 40))
def test_the_prior_s_corrections_and_the_whole_fit_in_row_blocks_are_the_same(seed, n_series, at_once):
    table, scale_of = pooled_table(seed, n_series)
    prior = default_prior()
    whole = fit_ensemble(table, list(MODELS), symmetric=True, scale_of=scale_of)
    assert whole.corrections  # the short rows reached the prior's corrections
    with rows_at_once(at_once):
        same(
            {k: c.to_dict() for k, c in corrections(table, prior, scale_of, "free").items()},
            {k: c.to_dict() for k, c in whole.corrections.items()},
        )
        blocked = fit_ensemble(table, list(MODELS), symmetric=True, scale_of=scale_of)
    same(blocked.combined, whole.combined)
    same(blocked.describe(), whole.describe())


def test_applying_a_calibration_leaves_its_input_as_it_was():
    table, _ = pooled_table(1, 4)
    combined = combine_table(table, weights(table))
    before = combined.copy(deep=True)
    out = apply_to_table(combined, SpreadCalibration({1: 2.0, 2: 3.0}))
    pd.testing.assert_frame_equal(combined, before, check_exact=True)
    assert not np.allclose(out["q0.01"], before["q0.01"])  # and the copy was calibrated


def test_the_ensemble_scores_its_two_frames_as_one_table():
    table, scale_of = pooled_table(3, 8)
    ens = fit_ensemble(table, list(MODELS), symmetric=True, scale_of=scale_of)
    rows = ens.rows()
    assert len(rows) == len(table) + len(ens.combined) and set(rows["model"]) == {*MODELS, "combined"}
    for by in (["model"], ["series_id", "model"]):
        got = ens.score(by)
        expected = M.score(rows, by=by).merge(rows.groupby(by).size().rename("points").reset_index(), on=by)
        # pandas' grouped mean may differ in the last bit with the groups around it
        pd.testing.assert_frame_equal(got, expected, rtol=1e-12)
    kept = ens.score(["model"])
    kept.loc[0, "crps"] = -1.0  # the caller's copy: the ensemble scores once and keeps its own
    assert ens.score(["model"]).loc[0, "crps"] != -1.0
    picked = ens.rows(["s001", "s005"])
    assert set(picked["series_id"]) == {"s001", "s005"} and set(picked["model"]) == {*MODELS, "combined"}


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), sizes=st.lists(st.integers(1, 6), min_size=1, max_size=6))
def test_back_test_batches_are_joined_as_pandas_joins_them_and_let_go(seed, sizes):
    from forecast.evaluation.backtest import concat_emptying

    table, _ = pooled_table(seed, sum(sizes))
    ids = sorted(table["series_id"].unique())
    cuts = np.cumsum([0, *sizes])
    parts = [table[table["series_id"].isin(ids[a:b])].reset_index(drop=True) for a, b in zip(cuts, cuts[1:])]
    expected = pd.concat(parts, ignore_index=True)
    tables = list(parts)
    got = concat_emptying(tables)
    assert tables == []  # each part let go once copied
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_batches_of_unlike_columns_are_joined_by_pandas_rules():
    from forecast.evaluation.backtest import concat_emptying

    a = pd.DataFrame({"series_id": ["a"], "y": [1.0]})
    b = pd.DataFrame({"series_id": ["b"], "y": [2], "extra": [3.0]})  # an int column, and one more
    pd.testing.assert_frame_equal(concat_emptying([a, b]), pd.concat([a, b], ignore_index=True))
