"""`forecast predict` through the real CLI: good series forecast, bad ones listed, never a crash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from forecast.cli.main import app

runner = CliRunner()


def _write(tmp_path, rows, name="series.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=["series_id", "ds", "y"]).to_csv(path, index=False)
    return path


def _good(sid, n=12, start=2000, level=90.0):
    rng = np.random.default_rng(len(sid))
    return [(sid, str(start + i), round(level + 0.3 * i + rng.normal(0, 0.5), 2)) for i in range(n)]


def test_forecasts_every_series_with_requested_quantiles(tmp_path):
    src = _write(tmp_path, _good("a") + _good("b", level=80))
    out = tmp_path / "f.csv"
    result = runner.invoke(
        app,
        [
            "predict",
            str(src),
            "--horizon",
            "3",
            "--out",
            str(out),
            "--lower",
            "0",
            "--upper",
            "100",
            "--quantiles",
            "0.025,0.5,0.975",
            "--paths",
            "200",
            "--models",
            "rw_drift,linear_trend",
        ],
    )
    assert result.exit_code == 0, result.output
    f = pd.read_csv(out)
    assert list(f.columns) == ["series_id", "ds", "step", "mean", "q0.025", "q0.5", "q0.975"]
    assert len(f) == 6 and set(f["step"]) == {1, 2, 3}
    assert (f["q0.025"] <= f["q0.5"]).all() and (f["q0.5"] <= f["q0.975"]).all()
    assert (f[["q0.025", "q0.975", "mean"]] <= 100).all().all() and (f["q0.025"] >= 0).all()
    assert f.loc[f.series_id == "a", "ds"].tolist() == ["2012-01-01", "2013-01-01", "2014-01-01"]
    assert pd.read_csv(tmp_path / "f.errors.csv").empty


def test_bad_series_are_listed_and_the_rest_forecast(tmp_path):
    rows = _good("ok") + [("short", "2000", 1.0), ("short", "2001", 2.0)]
    rows += [("text", "2000", "abc")] + _good("text", 5, 2001)
    rows += [("dup", "2000", 1.0), ("dup", "2000", 2.0), ("dup", "2001", 2.0), ("dup", "2002", 3.0)]
    rows += [(r[0].replace("ok", "gap"), r[1], r[2]) for r in _good("ok") if r[1] != "2005"]
    rows += [("over", "2000", 101.0)] + _good("over", 5, 2001)
    src = _write(tmp_path, rows)
    out = tmp_path / "f.csv"
    result = runner.invoke(
        app,
        ["predict", str(src), "-h", "2", "-o", str(out), "--upper", "100", "--paths", "100", "--models", "rw_drift"],
    )
    assert result.exit_code == 0, result.output
    # A missing period inside a series is filled as `forecast run` fills it, and the summary says so.
    assert set(pd.read_csv(out)["series_id"]) == {"ok", "gap"}
    assert "filled by interpolation" in result.output and "gap 2005" in result.output
    errors = pd.read_csv(tmp_path / "f.errors.csv").set_index("series_id")["error"]
    assert list(pd.read_csv(out).columns) == [
        "series_id",
        "ds",
        "step",
        "mean",
        "q0.025",
        "q0.1",
        "q0.5",
        "q0.9",
        "q0.975",
    ]  # a few quantiles by default: those a run stores
    assert "at least 3" in errors["short"]
    assert "row 16, column 'y'" in errors["text"] and "not a finite number" in errors["text"]
    assert "duplicate periods: 2000" in errors["dup"]
    assert "gap" not in errors
    assert "outside" in errors["over"]
    assert "forecast 2 of 6 series" in result.output


@pytest.mark.parametrize(
    "args, words",
    [
        (["--freq", "W"], "use Y, Q, M or D"),
        (["--quantiles", "0.5,1.5"], "strictly between 0 and 1"),
        (["--lower", "5", "--upper", "1"], "must be below"),
        (["--models", "nope"], "unknown model 'nope'"),
    ],
)
def test_bad_options_are_refused_before_work(tmp_path, args, words):
    src = _write(tmp_path, _good("a"))
    out = tmp_path / "f.csv"
    result = runner.invoke(app, ["predict", str(src), "-h", "2", "-o", str(out), *args])
    assert result.exit_code == 1 and words in result.output
    assert not out.exists()


def test_unreadable_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("series_id,when,y\na,2000,1\n", encoding="utf-8")
    result = runner.invoke(app, ["predict", str(bad), "-h", "2", "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 1 and "required column is missing" in result.output
    assert "columns seen: series_id, when, y" in result.output
