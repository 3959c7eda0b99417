"""Our metrics agree with the neutral scorer the benchmarks use, and behave as defined."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.evaluation import metrics as M
from tests.conftest import SHARED

SCORER = SHARED.parent / "tools" / "eval" / "metrics.py"


@pytest.fixture(scope="module")
def neutral():
    if not SCORER.exists():
        pytest.skip("shared scorer not present")
    spec = importlib.util.spec_from_file_location("neutral_metrics", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["neutral_metrics"] = module
    spec.loader.exec_module(module)
    return module


def test_agrees_with_the_neutral_scorer(neutral):
    rng = np.random.default_rng(0)
    y, f = rng.normal(100, 20, 500), rng.normal(100, 20, 500)
    np.testing.assert_allclose(M.smape_terms(y, f), neutral.smape_terms(y, f))
    np.testing.assert_allclose(M.pinball(y, f, 0.3), neutral.pinball(y, f, 0.3))
    np.testing.assert_allclose(
        M.interval_score(y, f - 10, f + 10, 0.05), neutral.interval_score(y, f - 10, f + 10, 0.05)
    )
    x = rng.normal(50, 5, 30)
    assert M.mase_scale(x, 1) == pytest.approx(neutral.mase_scale(x, 1))
    assert M.mase_scale(x, 12) == pytest.approx(neutral.mase_scale(x, 12))
    levels = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    q = np.sort(rng.normal(0, 1, (200, 5)), axis=1)
    c = rng.normal(0, 1.5, 200)
    np.testing.assert_allclose(M.prob_at_least(c, levels, q), neutral.prob_at_least(c, levels, q))
    p, o = rng.uniform(size=300), rng.integers(0, 2, 300)
    brier, table = M.brier_with_reliability(p, o)
    ref = neutral.brier_decomposition(p, o)
    assert brier == pytest.approx(ref["brier"])
    assert table["count"].fillna(0).tolist() == [r["count"] for r in ref["reliability_table"]]


@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_smape_is_bounded_and_symmetric(y, f):
    a, b = M.smape_terms([y], [f])[0], M.smape_terms([f], [y])[0]
    assert 0 <= a <= 200 + 1e-9 and a == pytest.approx(b)


def _table(y, q_lo, q_hi):
    import pandas as pd

    n = len(y)
    return pd.DataFrame(
        {
            "series_id": "s",
            "model": "m",
            "origin": "o",
            "step": np.arange(1, n + 1),
            "y": y,
            "mean": (q_lo + q_hi) / 2,
            "q0.1": q_lo,
            "q0.5": (q_lo + q_hi) / 2,
            "q0.9": q_hi,
            "q0.025": q_lo - 1,
            "q0.975": q_hi + 1,
            "last": 10.0,
            "scale": 1.0,
        }
    )


def test_coverage_counts_inside_points():
    t = _table(np.array([0.0, 5.0, 10.0, 20.0]), np.full(4, 1.0), np.full(4, 12.0))
    out = M.score(t, metrics=("coverage80", "coverage95"))
    assert out["coverage80"][0] == 0.5 and out["coverage95"][0] == 0.75


def test_threshold_events_use_the_last_step():
    t = _table(np.array([9.0, 12.0]), np.array([8.0, 9.0]), np.array([11.0, 13.0]))
    ev = M.threshold_events(t, deltas=(0.0, 0.2))
    assert list(ev["event"]) == [1.0, 1.0] and len(ev) == 2  # y=12 at the last step: >= 10 and >= 12


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 60), at_once=st.integers(1, 20), seed=st.integers(0, 2**16))
def test_pinball_and_crps_in_row_chunks_are_the_same_numbers(rows, at_once, seed):
    import pandas as pd

    rng = np.random.default_rng(seed)
    q = np.sort(rng.normal(50, 10, (rows, len(M.LEVELS))), axis=1)
    table = pd.DataFrame(q, columns=[M.level_column(p) for p in M.LEVELS])
    table["y"], table["scale"] = rng.normal(50, 12, rows), rng.choice([0.0, 1.5, 3.0], rows)
    table["series_id"], table["mean"] = rng.choice(["a", "b"], rows), q[:, 50]
    whole = M.score(table, by=["series_id"], metrics=("pinball", "crps"))
    before = M.ROWS_AT_ONCE
    M.ROWS_AT_ONCE = at_once
    try:
        chunked = M.score(table, by=["series_id"], metrics=("pinball", "crps"))
    finally:
        M.ROWS_AT_ONCE = before
    assert repr(chunked.to_dict("list")) == repr(whole.to_dict("list"))  # to the last bit, NaN included
