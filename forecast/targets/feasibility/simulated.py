"""A simulated series: its history, each model's paths and the combined paths the assessment counts over."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Optional

import numpy as np
import pandas as pd

from forecast.ingest.series import annual_paths
from forecast.schema import Indicator


@dataclass
class SeriesForecast:
    """Everything simulated for one series: history, paths per model, the combined paths."""

    indicator: Indicator
    history: pd.Series  # as observed (possibly sub-annual), gap-filled for the models
    annual: pd.Series  # observed annual values by year (gaps left as gaps)
    paths: dict[str, np.ndarray] = field(default_factory=dict)
    combined: Optional[np.ndarray] = None  # weighted, calibrated mixture: what the assessment uses
    weights: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # model -> error: it tried and failed
    skipped: dict[str, str] = field(default_factory=dict)  # model -> why it does not apply to this series
    filled: list[str] = field(default_factory=list)
    later: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))  # annual values after the as-of date

    @property
    def n_observed(self) -> int:
        """Observations as published: the periods filled for the models are not data."""
        return len(self.history) - len(self.filled)

    def year_values(self, years: Sequence[int], paths: np.ndarray) -> np.ndarray:
        """(n_paths, len(years)) annual values: observed years broadcast, later years from `paths`."""
        latest = int(self.annual.index[-1]) if len(self.annual) else -1
        columns = []
        for year in years:
            if year <= latest and year in self.annual.index:
                columns.append(np.full(len(paths), float(self.annual[year])))
            else:
                columns.append(annual_paths(self.history, paths, year, self.indicator.aggregation))
        return np.column_stack(columns)

    def without_paths(self) -> SeriesForecast:
        """A copy without the simulated paths (kept: which models simulated, whether they combined),
        so a run over thousands of series holds its results, not its paths."""
        return replace(
            self,
            paths={m: p[:0] for m, p in self.paths.items()},
            combined=None if self.combined is None else self.combined[:0],
        )
