"""A run on the latest data: every target gets a state, and no one target can sink the run."""

from __future__ import annotations

import pytest
import yaml

from forecast.ingest.importer import import_file
from forecast.jobs.run import run_plan
from forecast.report.wording import message
from forecast.schema import Plan
from forecast.store import Store
from forecast.targets import feasibility as fz
from forecast.targets.feasibility import rules


@pytest.fixture()
def gappy(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'forecast.db'}")
    (tmp_path / "ind.yaml").write_text(
        yaml.safe_dump(
            {"indicators": [{"id": "x:rate", "unit": "%", "direction": "higher", "lower": 0, "upper": 100}]}
        ),
        encoding="utf-8",
    )
    years = [2010, 2011, 2013, 2014, 2015, 2016]  # 2012 was never published
    (tmp_path / "obs.csv").write_text(
        "series_id,ds,y\n" + "".join(f"x:rate,{y},{90 + i * 0.5}\n" for i, y in enumerate(years)), encoding="utf-8"
    )
    import_file(store, tmp_path / "obs.csv", tmp_path / "ind.yaml")
    store.save_plan(
        Plan(
            id="p",
            targets=[
                {"id": "gap", "comparator": ">=", "value": 90, "unit": "%", "year": 2012, "series_id": "x:rate"},
                {"id": "seen", "comparator": ">=", "value": 90, "unit": "%", "year": 2014, "series_id": "x:rate"},
                {"id": "ahead", "comparator": ">=", "value": 95, "unit": "%", "year": 2020, "series_id": "x:rate"},
            ],
        )
    )
    return store


def test_a_target_year_in_a_gap_of_the_data_is_said_not_guessed(gappy):
    a = {x.target_id: x for x in run_plan(gappy, "p", models=["rw_drift"], n_paths=300).assessments}
    assert a["gap"].status is fz.Status.year_missing
    assert "2012 is within the data but not observed (nearby years: 2010, 2011, 2013, 2014)" in message(
        a["gap"].to_dict(), "en"
    )
    assert a["seen"].status is fz.Status.observed and a["ahead"].probability is not None


def test_one_target_that_cannot_be_assessed_does_not_sink_the_run(gappy, monkeypatch):
    real = rules.rule_for

    def broken_for_one(target, *args, **kwargs):
        if target.id == "seen":
            raise RuntimeError("broken")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(rules, "rule_for", broken_for_one)
    a = {x.target_id: x for x in run_plan(gappy, "p", models=["rw_drift"], n_paths=300).assessments}
    assert a["seen"].status is fz.Status.failed and "RuntimeError: broken" in message(a["seen"].to_dict(), "en")
    assert a["ahead"].probability is not None  # the others are assessed as usual
