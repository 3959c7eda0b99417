from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.schema import Indicator
from forecast.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'forecast.db'}")


@pytest.fixture
def rate_indicator() -> Indicator:
    return Indicator(id="x:pass_rate", name_zh="合格率", unit="%", direction="higher", lower=0, upper=100)


@pytest.fixture
def indicators_yaml(tmp_path) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(
        "indicators:\n"
        "  - {id: 'x:pass_rate', name_zh: 合格率, unit: '%', direction: higher, lower: 0, upper: 100}\n"
        "  - {id: 'x:pm25', name_zh: PM2.5, unit: µg/m³, direction: lower, lower: 0}\n"
        "  - {id: 'x:pm25_monthly', unit: µg/m³, direction: lower, lower: 0, frequency: M}\n",
        encoding="utf-8",
    )
    return path


def yearly(values, start=2010) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(str(start), periods=len(values), freq="Y"))
