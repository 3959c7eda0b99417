"""Combination rules beside the mixture: median, trimmed mean and mean of the candidates' quantiles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.evaluation.combine import RULES, pool_means, pool_quantiles

LEVELS = np.array([0.1, 0.5, 0.9])


def _stack(*rows):
    return np.array([[r] for r in rows], dtype=float)  # (M, 1 row, L)


def test_median_mean_and_trimmed_mean_level_by_level():
    q = _stack([1, 2, 3], [2, 4, 6], [10, 11, 12], [3, 5, 7])
    w = np.ones((1, 4))
    np.testing.assert_allclose(pool_quantiles(q, w, LEVELS, "median")[0], [2.5, 4.5, 6.5])
    np.testing.assert_allclose(pool_quantiles(q, w, LEVELS, "mean")[0], [4, 5.5, 7])
    np.testing.assert_allclose(pool_quantiles(q, w, LEVELS, "trimmed")[0], [2.5, 4.5, 6.5])  # middle two of four
    q5 = np.concatenate([q, _stack([0, 0, 100])])
    np.testing.assert_allclose(
        pool_quantiles(q5, np.ones((1, 5)), LEVELS, "trimmed")[0], [2, 11 / 3, 25 / 3]
    )  # lowest and highest of five dropped per level


def test_models_without_weight_are_left_out_and_two_models_are_not_trimmed():
    q = _stack([1, 2, 3], [5, 6, 7], [100, 200, 300])
    w = np.array([[0.5, 0.5, 0.0]])
    for rule in ("median", "mean", "trimmed"):
        np.testing.assert_allclose(pool_quantiles(q, w, LEVELS, rule)[0], [3, 4, 5])
    np.testing.assert_allclose(pool_means(np.array([[1.0], [5.0], [np.nan]]), w, "median"), [3.0])


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown combination rule"):
        pool_quantiles(_stack([1, 2, 3]), np.ones((1, 1)), LEVELS, "vote")


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 10_000), st.sampled_from(RULES))
def test_pooled_quantiles_never_cross_and_stay_within_the_models(m, rows, seed, rule):
    rng = np.random.default_rng(seed)
    levels = np.linspace(0.05, 0.95, 7)
    q = np.sort(rng.normal(0, 10, (m, rows, len(levels))), axis=2)
    w = rng.integers(0, 2, (rows, m)).astype(float)
    w[:, 0] = 1.0  # at least one model per row
    w /= w.sum(axis=1, keepdims=True)
    out = pool_quantiles(q, w, levels, rule)
    assert out.shape == (rows, len(levels))
    assert (np.diff(out, axis=1) >= -1e-9).all()
    present = np.where((w > 0).T[:, :, None], q, np.nan)
    assert (out >= np.nanmin(present, axis=0) - 1e-9).all() and (out <= np.nanmax(present, axis=0) + 1e-9).all()
