from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from forecast.ingest.transforms import EDGE, Identity, Log, Logit, for_bounds

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(st.floats(0.01, 99.99))
def test_logit_round_trips_inside_the_bounds(y):
    t = Logit(0, 100)
    assert np.isclose(t.inverse(t.forward(np.array([y])))[0], y, rtol=1e-9, atol=1e-9)


@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=50))
def test_any_model_output_maps_back_inside_the_bounds(z):
    y = Logit(0, 100).inverse(np.array(z))
    assert np.all((y >= 0) & (y <= 100))
    assert np.all(Log(0).inverse(np.array(z)) >= 0)


@given(st.floats(1e-3, 1e6))
def test_log_round_trips_positive_values(y):
    t = Log(0)
    assert np.isclose(t.inverse(t.forward(np.array([y])))[0], y, rtol=1e-9)


@given(st.floats(0, 100))
def test_values_on_a_bound_stay_finite(y):
    assert np.isfinite(Logit(0, 100).forward(np.array([y]))).all()


@given(st.floats(1, 99), st.floats(1, 99))
def test_logit_keeps_order(a, b):
    t = Logit(0, 100)
    fa, fb = t.forward(np.array([a, b]))
    assert (a < b) == (fa < fb) or a == b


def test_for_bounds_picks_the_transform():
    assert isinstance(for_bounds(0, 100), Logit)
    assert isinstance(for_bounds(0, None), Log)
    assert isinstance(for_bounds(None, None), Identity)
    mirrored = for_bounds(None, 10)
    assert np.all(mirrored.inverse(np.array([-50.0, 0.0, 50.0])) <= 10)
    assert EDGE > 0
