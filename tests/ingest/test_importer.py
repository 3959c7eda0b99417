"""Import: every bad file gets an error naming file, row and column, and the store stays as it was."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.ingest.importer import ImportFailed, import_file, parse_period
from forecast.schema import Frequency

GOOD = "series_id,ds,y,unit\nx:pass_rate,2014,94.7,%\nx:pass_rate,2015,96.8,%\nx:pm25,2015,80.6,ug/m3\n"


def write(tmp_path, text, name="obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_imports_with_batch(store, tmp_path, indicators_yaml):
    summary = import_file(store, write(tmp_path, GOOD), indicators_yaml)
    assert summary.rows == 3 and summary.series == {"x:pass_rate": 2, "x:pm25": 1}
    assert store.observations("x:pass_rate") == [("2014", 94.7), ("2015", 96.8)]
    again = import_file(store, write(tmp_path, GOOD))
    assert again.already_imported and store.counts()["observations"] == 3


@pytest.mark.parametrize(
    "body, row, column, words",
    [
        ("x:pass_rate,2014,abc,%\n", 2, "y", "not a finite number"),
        ("x:pass_rate,2014,105,%\n", 2, "y", "above the upper bound 100"),
        ("x:pm25,2014,-3,ug/m3\n", 2, "y", "below the lower bound"),
        (
            "x:pass_rate,2014,95,%\nx:pass_rate,2014,96,%\n",
            3,
            "ds",
            "duplicate period 2014 for x:pass_rate (first at row 3)",
        ),
        ("x:nope,2014,95,%\n", 2, "series_id", "unknown indicator"),
        ("x:pass_rate,2014-03,95,%\n", 2, "ds", "mixed frequencies"),
        ("x:pm25_monthly,2014,95,ug/m3\n", 2, "ds", "mixed frequencies"),
        ("x:pm25,2014,35,mg/m3\n", 2, "unit", "unit mismatch"),
        ("x:pass_rate,20x4,95,%\n", 2, "ds", "is not a year"),
        ("x:pass_rate,2014,nan,%\n", 2, "y", "not a finite number"),
        ("x:pass_rate,2014,,%\n", 2, "y", "not a finite number"),
    ],
)
def test_each_problem_is_located_and_nothing_is_written(store, tmp_path, indicators_yaml, body, row, column, words):
    import_file(store, write(tmp_path, GOOD, "first.csv"), indicators_yaml)
    before = store.counts()
    path = write(tmp_path, "series_id,ds,y,unit\nx:pass_rate,2016,97,%\n" + body)
    with pytest.raises(ImportFailed) as info:
        import_file(store, path)
    problem = info.value.problems[0]
    row += 1  # below the header and one good row
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert words in problem.message
    assert str(path) in str(info.value) and f"row {row}" in str(info.value)
    assert store.counts() == before


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        ("series_id,ds,y\n", "no data rows"),
        ("series_id,when,y\nx:pass_rate,2014,95\n", "required column is missing"),
        ('series_id,ds,y\n"x:pass_rate,2014,95\n', "cannot parse"),
    ],
)
def test_file_level_problems(store, tmp_path, indicators_yaml, text, words):
    before = store.counts()
    with pytest.raises(ImportFailed, match=words):
        import_file(store, write(tmp_path, text), indicators_yaml)
    assert store.counts() == before


def test_xlsx_and_gb18030(store, tmp_path, indicators_yaml):
    frame = pd.DataFrame({"series_id": ["x:pass_rate"] * 2, "ds": ["2014", "2015"], "y": [94.7, 96.8]})
    frame.to_excel(tmp_path / "obs.xlsx", index=False)
    assert import_file(store, tmp_path / "obs.xlsx", indicators_yaml).rows == 2
    (tmp_path / "gb.csv").write_bytes("series_id,ds,y,source\nx:pass_rate,2016,97,国家统计局\n".encode("gb18030"))
    assert import_file(store, tmp_path / "gb.csv").rows == 1


def test_bad_indicator_metadata_is_located(store, tmp_path):
    meta = write(tmp_path, "indicators:\n  - {id: a, direction: sideways}\n", "meta.yaml")
    with pytest.raises(ImportFailed, match=r"indicators\[0\]\.direction"):
        import_file(store, write(tmp_path, GOOD), meta)
    assert store.counts()["indicators"] == 0


def test_later_vintage_wins_and_as_of_sees_the_earlier(store, tmp_path, indicators_yaml):
    import_file(
        store, write(tmp_path, "series_id,ds,y,known_at\nx:pass_rate,2015,96.0,2016-02-01\n", "a.csv"), indicators_yaml
    )
    import_file(store, write(tmp_path, "series_id,ds,y,known_at\nx:pass_rate,2015,96.8,2017-03-01\n", "b.csv"))
    assert store.observations("x:pass_rate") == [("2015", 96.8)]
    import datetime as dt

    assert store.observations("x:pass_rate", known_by=dt.date(2016, 12, 31)) == [("2015", 96.0)]


def test_parse_period_forms():
    assert str(parse_period("2015", Frequency.Y)) == "2015"
    assert str(parse_period("2015-01-01", Frequency.Y)) == "2015"
    assert str(parse_period("2015-3", Frequency.M)) == "2015-03"
    assert str(parse_period("2015-03-01", Frequency.M)) == "2015-03"
    assert str(parse_period("2015Q2", Frequency.Q)) == "2015Q2"
    with pytest.raises(ValueError):
        parse_period("2015-13", Frequency.M)


cell = st.one_of(
    st.sampled_from(["", "nan", "inf", "-1", "101", "1e400", "2014", "2014-02", "x:pass_rate", "x:other", "97.5", '"']),
    st.text(alphabet=string.printable + "合格率", max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=0, max_size=6), header=st.booleans())
def test_random_malformed_files_fail_cleanly_or_import_whole(store, tmp_path, indicators_yaml, rows, header):
    """Whatever the bytes, the importer either imports every row or raises ImportFailed and writes nothing."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    if header:
        writer.writerow(["series_id", "ds", "y"])
    writer.writerows(rows)
    path = write(tmp_path, buf.getvalue(), "random.csv")
    before = store.counts()
    try:
        summary = import_file(store, path, indicators_yaml)
    except ImportFailed as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert store.counts() == before
    else:
        after = store.counts()
        assert after["observations"] - before["observations"] == summary.rows
        assert summary.already_imported or summary.rows == len(rows)
