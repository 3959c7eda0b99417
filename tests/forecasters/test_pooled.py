"""The pooled autoregression: what it promises beyond the shared contract (test_contract.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forecast.forecasters import ForecasterError, build
from forecast.forecasters.base import mean_abs_change
from forecast.forecasters.pooled import PooledMap, last_window, shipped_map, window_features
from tests.conftest import yearly

ROOT = Path(__file__).resolve().parents[2]
histories = st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=3, max_size=40)


@settings(max_examples=80, deadline=None)
@given(histories, st.floats(1e-3, 1e3), st.floats(-1e4, 1e4))
def test_forecasts_move_with_the_units_of_the_series(values, a, b):
    # The map sees changes over the series' own scale: a rate in % or in per mille, a count shifted
    # by a constant, all get the same forecast in their own units.
    y = np.asarray(values)
    assume(mean_abs_change(y) > 1e-6 * (1 + np.abs(y).max()))  # (nearly) flat: the scale is rounding noise
    plain = build("pooled_ar").fit(yearly(y)).point_forecast(9)
    moved = build("pooled_ar").fit(yearly(a * y + b)).point_forecast(9)
    np.testing.assert_allclose(moved, a * plain + b, rtol=1e-6, atol=1e-6 * (abs(a) * np.abs(y).max() + abs(b) + 1))


def test_a_flat_history_stays_flat_and_certain():
    paths = build("pooled_ar").fit(yearly([5.0] * 8)).sample_paths(8, 100, np.random.default_rng(0))
    assert (paths == 5.0).all()


def test_past_the_maps_horizon_each_path_is_carried_on_from_its_own_values():
    y = np.array([12.0, 13.1, 12.7, 14.2, 15.0, 15.3, 16.8, 16.1, 17.5, 18.2])
    model = build("pooled_ar").fit(yearly(y))
    long, first = model.point_forecast(12), model.point_forecast(6)
    np.testing.assert_array_equal(long[:6], first)
    # the second block: the map applied to the latest six values (the first block's), on the
    # history's own scale (forecast years are not evidence of how much the series moves)
    pooled, s = shipped_map(), mean_abs_change(y)
    recent = last_window(np.concatenate([y, first]), pooled.window)
    x = window_features(recent, np.array([s]), np.array([len(y) + 6]))
    np.testing.assert_allclose(long[6:], recent[-1] + s * pooled.predict(x)[0], rtol=1e-12)


def test_paths_add_the_stored_error_vectors_to_the_point_forecast():
    errors = np.array([[1.0, 2.0], [-1.0, -2.0]])
    pooled = PooledMap(2, np.zeros((2, 3)), np.array([0.5, 1.0]), errors, "test")
    model = build("pooled_ar", pooled=pooled).fit(yearly([1.0, 2.0, 3.0, 4.0]))  # s = 1
    paths = model.sample_paths(2, 200, np.random.default_rng(0))
    assert set(map(tuple, paths.round(12))) == {(5.5, 7.0), (3.5, 3.0)}
    np.testing.assert_array_equal(model.point_forecast(2), [4.5, 5.0])


def test_a_short_history_is_padded_with_its_first_value():
    np.testing.assert_array_equal(last_window(np.array([3.0, 4.0]), 4), [3.0, 3.0, 3.0, 4.0])
    np.testing.assert_array_equal(last_window(np.arange(6.0), 3), [3.0, 4.0, 5.0])


def test_a_map_survives_its_file_to_the_precision_it_is_stored_at():
    pooled = shipped_map()
    again = PooledMap.from_dict(json.loads(json.dumps(pooled.to_dict())))
    np.testing.assert_array_equal(again.coef, pooled.coef)
    np.testing.assert_array_equal(again.errors, pooled.errors)
    assert (again.window, again.source) == (pooled.window, pooled.source)


def test_the_shipped_map_is_the_one_in_models_and_says_what_it_was_learned_from():
    stored = json.loads((ROOT / "models" / "pooled_ar.json").read_text(encoding="utf-8"))
    pooled = shipped_map()
    assert pooled.coef.shape == (pooled.horizon, pooled.window + 1)
    assert pooled.errors.shape[1] == pooled.horizon and len(pooled.errors) >= 1000
    np.testing.assert_array_equal(pooled.intercept, stored["intercept"])
    assert "m3_yearly_train" in pooled.source and "test" not in pooled.source
    assert stored["rows"] > 10_000


def test_made_for_yearly_series_only():
    from tests.forecasters.contract import MONTHLY

    assert "made for Y" in build("pooled_ar").not_applicable(MONTHLY)
    with pytest.raises(ForecasterError, match="at least 3"):
        build("pooled_ar").fit(yearly([1.0, 2.0]))
