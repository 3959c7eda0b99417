"""Prophet (piecewise-linear or logistic trend plus yearly seasonality), sampled by Prophet itself."""

from __future__ import annotations

import contextlib
import json
import logging
import warnings
from collections.abc import Iterator
from typing import Optional

import numpy as np
import pandas as pd

from .base import Forecaster, ForecasterError, ParameterError

_GROWTHS = ("linear", "logistic", "flat")


class ProphetForecaster(Forecaster):
    """Prophet for monthly or quarterly series with at least two full seasons.

    Fitted once by MAP (Prophet's default); each path is one of Prophet's own posterior predictive
    draws: future trend changes simulated like the past ones, plus observation noise. Seasonal and
    trend parameters are held at their MAP values, as Prophet does without MCMC.

    `growth="logistic"` saturates the trend between `floor` and `cap` (in the series' units) and
    the paths are clipped to that range. Do not combine it with `Bounded`, which already fits on a
    logit scale where `cap` and `floor` would mean something else.
    """

    name = "prophet"
    # Two monthly seasons. Quarterly series would do with 8 points, but min_obs is read before the
    # frequency is known (the runner skips on it), so one number serves both: 24.
    min_obs = 24
    seasonal = True
    frequencies = ("Q", "M", "D")

    def __init__(self, growth: str = "linear", cap: Optional[float] = None, floor: Optional[float] = None):
        self.growth = growth
        self.cap = cap
        self.floor = floor

    # -- fit -----------------------------------------------------------------------------------
    def _fit(self, y):
        m = self.season_length_
        if m == 1:
            raise ForecasterError("prophet needs a monthly or quarterly series; this one is yearly")
        if len(y) < 2 * m:
            raise ForecasterError(f"prophet needs at least two seasonal cycles ({2 * m} observations), got {len(y)}")
        if self.growth == "logistic":
            low = -np.inf if self.floor is None else self.floor
            if np.any(y > self.cap) or np.any(y < low):
                raise ForecasterError(f"prophet logistic growth: the series leaves [{self.floor}, {self.cap}]")
        with _prophet() as (Prophet, _):
            model = Prophet(
                growth=self.growth,
                yearly_seasonality=max(1, m // 2),  # as many harmonics as the season can show
                weekly_seasonality=False,
                daily_seasonality=False,
            )
            history = self._frame(pd.period_range(end=self.last_period_, periods=len(y)))
            history["y"] = y
            try:
                # A fixed Stan seed: the optimiser starts from Prophet's deterministic init anyway,
                # and leaving it unset would let cmdstanpy draw one from a fresh generator.
                model.fit(history, seed=1)
            except (RuntimeError, ValueError) as exc:
                raise ForecasterError(f"prophet fit failed: {exc}") from None
        model.stan_fit = None  # optimiser output on temporary CSV files; prediction uses model.params
        self.n_obs_ = len(y)
        self.model_ = model

    def _check_params(self):
        if self.growth not in _GROWTHS:
            raise ParameterError(f"growth must be one of {_GROWTHS}, got {self.growth!r}")
        if self.growth == "logistic":
            if self.cap is None:
                raise ParameterError("growth='logistic' needs a cap")
            if self.floor is not None and not self.floor < self.cap:
                raise ParameterError(f"floor ({self.floor}) must be below cap ({self.cap})")
        elif self.cap is not None or self.floor is not None:
            raise ParameterError("cap and floor apply only with growth='logistic'")

    def _frame(self, periods: pd.PeriodIndex) -> pd.DataFrame:
        frame = pd.DataFrame({"ds": periods.to_timestamp(how="start")})
        if self.growth == "logistic":
            frame["cap"] = float(self.cap)  # type: ignore[arg-type]  # _check_params: logistic has a cap
            if self.floor is not None:
                frame["floor"] = float(self.floor)
        return frame

    # -- sample --------------------------------------------------------------------------------
    def _sample(self, h, n, rng):
        future = self._frame(pd.period_range(start=self.last_period_ + 1, periods=h))
        model = self.model_
        saved = model.uncertainty_samples
        with _global_numpy_seed(int(rng.integers(2**31))), _no_prophet_deprecations():
            try:
                model.uncertainty_samples = n
                draws = model.predictive_samples(future)["yhat"]  # (h, n)
            finally:
                model.uncertainty_samples = saved
        paths = np.asarray(draws, dtype=float)[:, :n].T
        if self.growth == "logistic":
            paths = np.clip(paths, -np.inf if self.floor is None else self.floor, self.cap)
        return paths

    # -- persistence ---------------------------------------------------------------------------
    def to_json(self) -> str:
        """The fitted forecaster as JSON (Prophet's own model serialisation inside)."""
        if not getattr(self, "fitted_", False):
            raise ForecasterError(f"{self.name}: call fit before to_json")
        with _prophet() as (_, serialize):
            model = serialize.model_to_json(self.model_)
        return json.dumps(
            {
                "params": self.get_params(),
                "last_period": str(self.last_period_),
                "freq": self.last_period_.freqstr,
                "season_length": self.season_length_,
                "n_obs": self.n_obs_,
                "model": model,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ProphetForecaster:
        data = json.loads(text)
        self = cls(**data["params"])
        self.last_period_ = pd.Period(data["last_period"], freq=data["freq"])
        self.season_length_ = data["season_length"]
        self.n_obs_ = data["n_obs"]
        with _prophet() as (_, serialize):
            self.model_ = serialize.model_from_json(data["model"])
        self.fitted_ = True
        return self

    # Pickle the Prophet model as its JSON: the model object also carries a cmdstanpy backend that
    # points at this machine's compiled Stan binary, and Prophet advises against pickling it.
    def __getstate__(self):
        state = self.__dict__.copy()
        if "model_" in state:
            with _prophet() as (_, serialize):
                state["model_"] = serialize.model_to_json(state["model_"])
        return state

    def __setstate__(self, state):
        if isinstance(state.get("model_"), str):
            with _prophet() as (_, serialize):
                state["model_"] = serialize.model_from_json(state["model_"])
        self.__dict__.update(state)


@contextlib.contextmanager
def _prophet() -> Iterator[tuple]:
    """Import Prophet and hold its and cmdstanpy's logging at WARNING; levels restored after.

    Also hides the deprecation warnings Prophet's own code raises with newer pandas. Nothing is
    configured at module import: this module must stay cheap and side-effect free for code that
    never uses Prophet.
    """
    plot = logging.getLogger("prophet.plot")
    plot_level = plot.level
    plot.setLevel(logging.CRITICAL)  # "Importing plotly failed": we never plot
    try:
        from prophet import Prophet, serialize

        try:  # cmdstanpy sets its logger's level the first time it is asked for it; let it do so now
            from cmdstanpy.utils.logging import get_logger

            get_logger()
        except ImportError:  # pragma: no cover - layout of other cmdstanpy versions
            pass
    finally:
        plot.setLevel(plot_level)
    loggers = [logging.getLogger(name) for name in ("cmdstanpy", "prophet")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(max(lg.getEffectiveLevel(), logging.WARNING))
    try:
        with _no_prophet_deprecations():
            yield Prophet, serialize
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


@contextlib.contextmanager
def _no_prophet_deprecations() -> Iterator[None]:
    """Hide deprecation warnings raised inside Prophet's code (newer pandas); ours still show."""
    with warnings.catch_warnings():
        for category in (DeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", category=category, module=r"prophet\.")
        yield


@contextlib.contextmanager
def _global_numpy_seed(seed: int) -> Iterator[None]:
    """Seed numpy's global generator (Prophet samples from it) and put its old state back after."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)
