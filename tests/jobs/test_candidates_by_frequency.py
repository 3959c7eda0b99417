"""A catalogue default per frequency: each series runs the candidates of its own frequency, in its
back-tests (also where `forecast run` back-tests annual values of a monthly series) and in its
forecast; a series short enough for the short-history prior runs the catalogue's `short` list (the
candidates the prior weighs); candidates named by the caller run everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from forecast.forecasters import catalogue
from forecast.ingest.importer import import_file
from forecast.jobs.predict import predict
from forecast.jobs.run import run_plan
from forecast.schema import Plan
from forecast.store import Store

BY_FREQUENCY = {
    "Y": ["rw_drift", "linear_trend"],
    "Q": ["rw_drift", "theta"],
    "M": ["rw_drift", "theta"],
    "D": ["rw_drift"],
}

SHORT = ["theta", "linear_trend"]


@pytest.fixture()
def by_frequency(tmp_path):
    path = tmp_path / "catalogue.yaml"
    doc = {"candidates": {"rw_drift": {}, "theta": {}, "linear_trend": {}}, "default": BY_FREQUENCY, "short": SHORT}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return catalogue.load(path)


def _models_by_series(table: pd.DataFrame) -> dict[str, set[str]]:
    return {sid: set(g["model"]) for sid, g in table.groupby("series_id")}


def test_predict_runs_each_series_on_its_own_frequencys_default(by_frequency):
    rng = np.random.default_rng(3)
    series = {
        "yearly": pd.Series(50 + np.cumsum(rng.normal(1, 2, 20)), index=pd.period_range("2001", periods=20, freq="Y")),
        "quarterly": pd.Series(
            80 + np.cumsum(rng.normal(0.5, 1, 40)), index=pd.period_range("2010Q1", periods=40, freq="Q")
        ),
    }
    result = predict(series, 4, by_frequency.instantiate(), n_paths=100, n_origins=2, uses=by_frequency.uses())
    assert _models_by_series(result.ensemble.table) == {
        "yearly": {"rw_drift", "linear_trend"},
        "quarterly": {"rw_drift", "theta"},
    }
    assert set(result.forecasts["series_id"]) == {"yearly", "quarterly"}
    assert result.errors.empty

    named = ["rw_drift", "theta", "linear_trend"]
    everywhere = predict(
        series, 4, by_frequency.instantiate(named), n_paths=100, n_origins=2, uses=by_frequency.uses(named)
    )
    assert _models_by_series(everywhere.ensemble.table) == {"yearly": set(named), "quarterly": set(named)}


def test_forecast_run_back_tests_a_monthly_series_with_the_models_that_simulate_it(tmp_path, by_frequency):
    rng = np.random.default_rng(5)
    months = pd.period_range("2005-01", periods=16 * 12, freq="M")
    monthly = (
        60 - 0.05 * np.arange(len(months)) + 8 * np.sin(2 * np.pi * months.month / 12) + rng.normal(0, 2, len(months))
    )
    rows = [("x:pm25_monthly", f"{p.year}-{p.month:02d}-01", v) for p, v in zip(months, monthly, strict=True)]
    rows += [("x:pass_rate", str(2005 + i), 90 + 0.3 * i + rng.normal(0, 0.4)) for i in range(16)]
    (tmp_path / "obs.csv").write_text(
        "series_id,ds,y\n" + "".join(f"{s},{d},{v:.3f}\n" for s, d, v in rows), encoding="utf-8"
    )
    (tmp_path / "ind.yaml").write_text(
        "indicators:\n"
        "  - {id: 'x:pass_rate', unit: '%', direction: higher, lower: 0, upper: 100}\n"
        "  - {id: 'x:pm25_monthly', unit: µg/m³, direction: lower, lower: 0, frequency: M, aggregation: mean}\n",
        encoding="utf-8",
    )
    store = Store(f"sqlite:///{tmp_path / 'forecast.db'}")
    import_file(store, tmp_path / "obs.csv", tmp_path / "ind.yaml")
    target = {"comparator": ">=", "year": 2023, "unit": "%", "indicator_en": "x"}
    store.save_plan(
        Plan(
            id="p",
            targets=[
                {**target, "id": "rate", "indicator": "合格率", "value": 95, "series_id": "x:pass_rate"},
                {
                    **target,
                    "id": "pm",
                    "indicator": "PM2.5",
                    "comparator": "<=",
                    "value": 45,
                    "unit": "µg/m³",
                    "series_id": "x:pm25_monthly",
                },
            ],
        )
    )
    result = run_plan(store, "p", n_paths=200, catalogue_file=tmp_path / "catalogue.yaml")

    # The back-tests ran on annual values for both series, each with its own frequency's candidates.
    assert _models_by_series(result.evidence.table) == {
        "x:pass_rate": {"rw_drift", "linear_trend"},
        "x:pm25_monthly": {"rw_drift", "theta"},
    }
    assert set(result.series["x:pass_rate"].weights) <= {"rw_drift", "linear_trend"}
    assert set(result.series["x:pm25_monthly"].weights) <= {"rw_drift", "theta"}
    assert not result.series["x:pass_rate"].skipped and not result.series["x:pm25_monthly"].skipped
    assert result.settings["models"] == ["rw_drift", "linear_trend", "theta"]
    assert result.settings["models_by_frequency"] == {**BY_FREQUENCY, "short": SHORT}
    assert all(a.probability is not None for a in result.assessments)


def test_a_default_by_frequency_names_every_frequency(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "candidates:\n  rw_drift: {}\ndefault: {Y: [rw_drift], Q: [rw_drift], M: [rw_drift]}\n", encoding="utf-8"
    )
    with pytest.raises(catalogue.CatalogueError, match="missing or empty: D"):
        catalogue.load(path)
    path.write_text(
        "candidates:\n  rw_drift: {}\ndefault: {Y: [rw_drift], Q: [rw_drift], M: [rw_drift], D: [rw_drift], W: [rw_drift]}\n",
        encoding="utf-8",
    )
    with pytest.raises(catalogue.CatalogueError, match="unknown keys: W"):
        catalogue.load(path)
    path.write_text("candidates:\n  rw_drift: {}\ndefault: {Y: [rw_drift], Q: [theta], M: [rw_drift], D: [rw_drift]}\n")
    with pytest.raises(catalogue.CatalogueError, match="not defined: theta"):
        catalogue.load(path)


def test_one_default_list_serves_every_frequency(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("candidates:\n  rw_drift: {}\n  theta: {}\ndefault: [theta, rw_drift]\n", encoding="utf-8")
    chosen = catalogue.load(path)
    assert chosen.names() == ["theta", "rw_drift"]
    assert chosen.uses() == {code: ("theta", "rw_drift") for code in (*catalogue.FREQUENCIES, catalogue.SHORT)}
    assert chosen.uses(["rw_drift"]) is None
    assert catalogue.for_series({"theta": 1, "rw_drift": 2}, None, "M") == {"theta": 1, "rw_drift": 2}
    assert catalogue.for_series({"theta": 1, "rw_drift": 2}, {"M": ("rw_drift",)}, "M") == {"rw_drift": 2}


def test_a_series_the_short_history_prior_covers_runs_the_short_list(by_frequency):
    rng = np.random.default_rng(4)
    years = {"long": 20, "short": 8}  # the shipped prior covers yearly series of 3 to 12 points
    series = {
        sid: pd.Series(50 + np.cumsum(rng.normal(1, 2, n)), index=pd.period_range("2001", periods=n, freq="Y"))
        for sid, n in years.items()
    }
    result = predict(series, 4, by_frequency.instantiate(), n_paths=100, n_origins=2, uses=by_frequency.uses())
    assert _models_by_series(result.ensemble.table) == {"long": {"rw_drift", "linear_trend"}, "short": set(SHORT)}
    assert set(result.forecasts["series_id"]) == {"long", "short"} and result.errors.empty
    # Without the prior a short series is combined from its own back-tests, on its frequency's list.
    own = predict(series, 4, by_frequency.instantiate(), n_paths=100, n_origins=2, uses=by_frequency.uses(), prior=None)
    assert _models_by_series(own.ensemble.table)["short"] == {"rw_drift", "linear_trend"}


def test_the_short_list_defaults_to_the_yearly_one_and_must_name_candidates(tmp_path):
    path = tmp_path / "catalogue.yaml"
    doc = {"candidates": {"rw_drift": {}, "theta": {}, "linear_trend": {}}, "default": BY_FREQUENCY}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert catalogue.load(path).short == BY_FREQUENCY["Y"]
    for short, message in (([], "short must be a non-empty list"), (["gbm_lags"], "not defined: gbm_lags")):
        path.write_text(yaml.safe_dump({**doc, "short": short}), encoding="utf-8")
        with pytest.raises(catalogue.CatalogueError, match=message):
            catalogue.load(path)


def test_a_gap_in_a_short_series_does_not_split_its_back_tests_from_its_forecast(tmp_path, by_frequency):
    # 12 observed years over 13 (2010 missing): the run weighs it by the prior of 12-point histories,
    # so its back-tests must run the short list too, not count the filled year and take the yearly one.
    rng = np.random.default_rng(6)
    years = [y for y in range(2005, 2018) if y != 2010]
    (tmp_path / "obs.csv").write_text(
        "series_id,ds,y\n"
        + "".join(f"x:rate,{y},{90 + 0.4 * i + rng.normal(0, 0.3):.3f}\n" for i, y in enumerate(years)),
        encoding="utf-8",
    )
    (tmp_path / "ind.yaml").write_text(
        "indicators:\n  - {id: 'x:rate', unit: '%', direction: higher, lower: 0, upper: 100}\n", encoding="utf-8"
    )
    store = Store(f"sqlite:///{tmp_path / 'forecast.db'}")
    import_file(store, tmp_path / "obs.csv", tmp_path / "ind.yaml")
    target = {"id": "rate", "indicator": "合格率", "indicator_en": "x", "comparator": ">=", "value": 96, "unit": "%"}
    store.save_plan(Plan(id="p", targets=[{**target, "year": 2020, "series_id": "x:rate"}]))
    result = run_plan(store, "p", n_paths=200, catalogue_file=tmp_path / "catalogue.yaml")

    assert result.settings["basis"]["x:rate"]["k"] == 12
    assert _models_by_series(result.evidence.table) == {"x:rate": set(SHORT)}
    assert set(result.series["x:rate"].weights) <= set(SHORT)
