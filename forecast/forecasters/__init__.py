"""Forecaster adapters, one module per model, and the registry that names them.

Every module of this package is imported here, so each model class has entered `REGISTRY` (by
subclassing `Forecaster` with a `name`) before anyone looks a model up: a new model is one file in
this folder and its entry in the catalogue.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import REGISTRY, Forecaster, ForecasterError, ParameterError, season_length
from .transformed import Bounded


def build(name: str, **params) -> Forecaster:
    """A fresh forecaster of the registered model `name` with these constructor settings."""
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(REGISTRY)}") from None
    return cls(**params)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from .arima import AutoARIMA  # noqa: E402  re-exported for callers that name a model's class
from .ets import DampedETS  # noqa: E402
from .gbm import GradientBoostingLags  # noqa: E402
from .linear import LinearTrend  # noqa: E402
from .naive import RandomWalkDrift  # noqa: E402
from .prophet_model import ProphetForecaster  # noqa: E402
from .snaive import SeasonalNaive  # noqa: E402
from .theta import Theta  # noqa: E402

__all__ = [
    "Forecaster",
    "ForecasterError",
    "ParameterError",
    "AutoARIMA",
    "Bounded",
    "DampedETS",
    "GradientBoostingLags",
    "LinearTrend",
    "ProphetForecaster",
    "RandomWalkDrift",
    "SeasonalNaive",
    "Theta",
    "REGISTRY",
    "build",
    "season_length",
]
