"""Forecaster adapters, one module per model, and the registry that names them."""
from __future__ import annotations

from .arima import AutoARIMA
from .base import Forecaster, ForecasterError
from .ets import DampedETS
from .gbm import GradientBoostingLags
from .linear import LinearTrend
from .naive import RandomWalkDrift
from .prophet_model import ProphetForecaster
from .snaive import SeasonalNaive
from .theta import Theta
from .transformed import Bounded

REGISTRY: dict[str, type[Forecaster]] = {
    cls.name: cls for cls in (RandomWalkDrift, DampedETS, LinearTrend, Theta, AutoARIMA, SeasonalNaive,
                              ProphetForecaster, GradientBoostingLags)}
DEFAULT_MODELS = ("rw_drift", "theta", "ets_damped")  # when no catalogue file is at hand


def build(name: str, **params) -> Forecaster:
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(REGISTRY)}") from None
    return cls(**params)


__all__ = ["Forecaster", "ForecasterError", "AutoARIMA", "Bounded", "DampedETS", "GradientBoostingLags",
           "LinearTrend", "ProphetForecaster", "RandomWalkDrift", "SeasonalNaive", "Theta",
           "REGISTRY", "DEFAULT_MODELS", "build"]
