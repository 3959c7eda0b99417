"""Defaults shared by the commands, the jobs and the refresh configuration: one place each."""

from __future__ import annotations

import datetime as dt
import uuid

SEED = 20170101  # same seed, same data, same numbers
N_PATHS = 2000  # simulated paths per series in a feasibility run
FAN_LEVELS = (0.025, 0.1, 0.5, 0.9, 0.975)  # the quantiles a run stores and the fan charts draw
MIN_POINTS = 3  # fewest observations a series needs before any model is fitted to it


def new_id() -> str:
    """A run or refresh id: sortable by creation time, unique across processes."""
    return dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
