"""Property: values read from a SQL source survive the trip to the store exactly, so a source that
returns what is already stored brings nothing new (the idempotency of a refresh rests on it)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.refresh.config import SqlSource
from forecast.refresh.sources import read_sql
from forecast.schema import Indicator
from forecast.store import Store

RATE = Indicator(id="x:rate", direction="higher", lower=0, upper=100)
values = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
column_type = st.sampled_from(["real", "integer", "text"])


@settings(max_examples=40, deadline=None)
# Years whose vintage (June 1 of the year) lies in the past: a known_at in the future is refused on import.
@given(st.dictionaries(st.integers(1990, dt.date.today().year - 1), values, min_size=1, max_size=8), column_type)
def test_sql_values_round_trip_and_a_repeat_brings_nothing(by_year, kind):
    if kind == "integer":
        by_year = {y: float(round(v)) for y, v in by_year.items()}
    with tempfile.TemporaryDirectory() as tmp:
        source_db = sa.create_engine(f"sqlite:///{Path(tmp) / 'src.db'}")
        with source_db.begin() as conn:
            conn.execute(sa.text(f"create table t (series_id text, ds integer, y {kind}, known_at date)"))
            conn.execute(
                sa.text("insert into t values ('x:rate', :ds, :y, :k)"),
                [{"ds": y, "y": v if kind != "text" else repr(v), "k": dt.date(y, 6, 1)} for y, v in by_year.items()],
            )
        source_db.dispose()
        store = Store(f"sqlite:///{Path(tmp) / 'store.db'}")
        with store.transaction() as conn:
            store.upsert_indicators(conn, [RATE])
        source = SqlSource(name="src", url=f"sqlite:///{Path(tmp) / 'src.db'}", query="select * from t")
        first = read_sql(store, source, {"x:rate": RATE})
        assert first.error is None and not first.problems
        assert {int(r["period"]): r["value"] for r in first.rows} == by_year
        assert {r["known_at"] for r in first.rows} == {dt.date(y, 6, 1) for y in by_year}
        with store.transaction() as conn:
            store.add_batch(conn, "sql:src", first.digest, first.rows)
        again = read_sql(store, source, {"x:rate": RATE})
        assert again.rows == [] and not again.accepted
        store.engine.dispose()
