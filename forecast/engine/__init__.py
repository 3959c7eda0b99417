"""Where per-series work runs: the one dispatch point between the library and an execution engine.

A run hands an engine a function and the series' inputs; the engine applies the function to each
and returns the results in the inputs' order. `local` runs worker processes on this machine;
`spark` runs the same function on a Spark cluster through `groupBy(...).applyInPandas`. Every
series draws from its own random stream (seed + series id), so results are identical whatever the
engine and however the series are partitioned.
"""

from forecast.engine.base import Engine, engine_for
from forecast.engine.local import LocalEngine

__all__ = ["Engine", "LocalEngine", "engine_for"]
