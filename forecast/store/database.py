"""The one place that reads and writes the database (SQLite by default, PostgreSQL by URL).

Observations keep their import batch and, when known, the date they became known (vintage), so a
run `as of` a date sees only what was known then. Every write is one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import sqlalchemy as sa

from forecast.schema import Indicator, Plan
from forecast.store.tables import (
    assessments,
    batches,
    forecasts,
    indicators,
    metadata,
    observations,
    plans,
    refresh_runs,
    runs,
)


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the database to a schema revision (default: the latest, in `migrations/`), in one transaction.

    The tables in `tables.py` describe the latest revision; every change to them ships as a new
    revision. An earlier `revision` builds an older schema (to test upgrades from it).
    """
    from alembic import command

    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def is_current(engine: sa.Engine) -> bool:
    """True when the database is at the latest revision: opening it then needs no migration (and no write)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == set(ScriptDirectory.from_config(_alembic_config()).get_heads())


class Store:
    def __init__(self, url: str):
        self.engine = sa.create_engine(url)
        if not is_current(self.engine):  # a new or older database: upgraded once, then opened read-only
            migrate(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            yield conn

    # -- indicators ---------------------------------------------------------------------------
    def indicators(self, ids: Optional[Iterable[str]] = None) -> dict[str, Indicator]:
        """Every indicator, or those of `ids` that exist (a plan's: a province's store has 20,000)."""
        q = sa.select(indicators.c.spec)
        if ids is not None:
            q = q.where(indicators.c.id.in_(sorted(set(ids))))
        with self.engine.connect() as conn:
            return {spec["id"]: Indicator.model_validate(spec) for spec in conn.execute(q).scalars()}

    @staticmethod
    def upsert_indicators(conn: sa.Connection, items: Iterable[Indicator]) -> None:
        for ind in items:
            spec = ind.model_dump(mode="json")
            conn.execute(sa.delete(indicators).where(indicators.c.id == ind.id))
            conn.execute(sa.insert(indicators).values(id=ind.id, spec=spec))

    # -- observations -------------------------------------------------------------------------
    @staticmethod
    def add_batch(conn: sa.Connection, source_file: str, sha256: str, rows: list[dict]) -> int:
        batch_id = conn.execute(
            sa.insert(batches).values(
                source_file=source_file, sha256=sha256, imported_at=dt.datetime.now(), n_rows=len(rows)
            )
        ).inserted_primary_key[0]
        if rows:
            conn.execute(sa.insert(observations), [dict(r, batch_id=batch_id) for r in rows])
        return batch_id

    def batch_with_digest(self, sha256: str) -> Optional[int]:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(batches.c.id).where(batches.c.sha256 == sha256)).scalar()

    def observations(self, series_id: str, known_by: Optional[dt.date] = None) -> list[tuple[str, float]]:
        """(period, value) pairs, the latest vintage known by `known_by` winning for each period.

        Values without a recorded vintage count as known at any date; the period filter of an
        as-of run is applied by the caller, who knows the frequency.
        """
        q = sa.select(
            observations.c.period, observations.c.value, observations.c.batch_id, observations.c.known_at
        ).where(observations.c.series_id == series_id)
        if known_by is not None:
            q = q.where(sa.or_(observations.c.known_at.is_(None), observations.c.known_at <= known_by))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        latest: dict[str, tuple] = {}
        for period, value, batch_id, known_at in rows:
            key = (known_at or dt.date.min, batch_id)
            if period not in latest or key > latest[period][0]:
                latest[period] = (key, value)
        return sorted((p, v) for p, (_, v) in latest.items())

    def provenance(self, series_id: str, known_by: Optional[dt.date] = None) -> dict:
        """Where a series' values known by `known_by` came from: the sources they name, the files
        they were imported from, the latest vintage (`known_at`) and the latest import date."""
        q = (
            sa.select(observations.c.source, observations.c.known_at, batches.c.source_file, batches.c.imported_at)
            .join(batches, observations.c.batch_id == batches.c.id)
            .where(observations.c.series_id == series_id)
        )
        if known_by is not None:
            q = q.where(sa.or_(observations.c.known_at.is_(None), observations.c.known_at <= known_by))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        known = [r.known_at for r in rows if r.known_at is not None]
        return {
            "sources": sorted({r.source for r in rows if r.source}),
            "files": sorted({Path(r.source_file).name for r in rows}),
            "known_at": max(known) if known else None,
            "imported_at": max((r.imported_at for r in rows), default=None),
        }

    def series_summary(self) -> list[dict]:
        q = (
            sa.select(
                observations.c.series_id,
                sa.func.count(sa.distinct(observations.c.period)).label("n"),
                sa.func.min(observations.c.period).label("first"),
                sa.func.max(observations.c.period).label("last"),
            )
            .group_by(observations.c.series_id)
            .order_by(observations.c.series_id)
        )
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def counts(self) -> dict[str, int]:
        """Row counts per table: what an aborted import must leave unchanged."""
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
            }

    # -- plans --------------------------------------------------------------------------------
    def save_plan(self, plan: Plan) -> None:
        with self.transaction() as conn:
            self.insert_plan(conn, plan)

    @staticmethod
    def insert_plan(conn: sa.Connection, plan: Plan) -> None:
        """Store (or replace) a plan inside the caller's transaction."""
        conn.execute(sa.delete(plans).where(plans.c.id == plan.id))
        conn.execute(
            sa.insert(plans).values(id=plan.id, spec=plan.model_dump(mode="json"), imported_at=dt.datetime.now())
        )

    def plans(self) -> list[Plan]:
        with self.engine.connect() as conn:
            return [
                Plan.model_validate(s) for s in conn.execute(sa.select(plans.c.spec).order_by(plans.c.id)).scalars()
            ]

    def plan(self, plan_id: str) -> Plan:
        with self.engine.connect() as conn:
            spec = conn.execute(sa.select(plans.c.spec).where(plans.c.id == plan_id)).scalar_one_or_none()
        if spec is None:
            known = ", ".join(p.id for p in self.plans()) or "none"
            raise LookupError(f"no plan {plan_id!r} in the store (known: {known})")
        return Plan.model_validate(spec)

    # -- runs ---------------------------------------------------------------------------------
    def save_run(self, run: dict, results: list[dict], fans: list[dict]) -> None:
        with self.transaction() as conn:
            self.insert_run(conn, run, results, fans)

    @staticmethod
    def insert_run(conn: sa.Connection, run: dict, results: list[dict], fans: list[dict]) -> None:
        """A run with its assessments and fans, inside the caller's transaction."""
        conn.execute(sa.insert(runs).values(**run))
        if results:
            conn.execute(
                sa.insert(assessments),
                [{"run_id": run["id"], "target_id": r["target_id"], "result": jsonable(r)} for r in results],
            )
        if fans:
            conn.execute(sa.insert(forecasts), [dict(f, run_id=run["id"]) for f in fans])

    def set_mlflow_run(self, run_id: str, mlflow_run_id: str) -> None:
        with self.transaction() as conn:
            conn.execute(sa.update(runs).where(runs.c.id == run_id).values(mlflow_run_id=mlflow_run_id))

    def runs(self, plan_id: Optional[str] = None) -> list[dict]:
        q = sa.select(runs).order_by(runs.c.created_at.desc())
        if plan_id:
            q = q.where(runs.c.plan_id == plan_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def run(self, run_id: Optional[str] = None, plan_id: Optional[str] = None) -> dict:
        """One run by id, or the latest (of a plan). One row is read: every run's settings are large."""
        q = sa.select(runs).order_by(runs.c.created_at.desc()).limit(1)
        if run_id is not None:
            q = q.where(runs.c.id == run_id)
        if plan_id:
            q = q.where(runs.c.plan_id == plan_id)
        with self.engine.connect() as conn:
            found = conn.execute(q).first()
        if found is None:
            which = f"run {run_id!r}" if run_id else f"run of plan {plan_id!r}" if plan_id else "run"
            raise LookupError(f"no {which} in the store; run `forecast run PLAN` first")
        return dict(found._mapping)

    def assessments(self, run_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(assessments.c.result).where(assessments.c.run_id == run_id)).scalars())

    def assessment_history(
        self,
        plan_id: str,
        as_of: Optional[dt.date] = None,
        target_id: Optional[str] = None,
        created_by: Optional[dt.datetime] = None,
    ) -> list[tuple]:
        """(run id, plan id, created at, refresh id or None, result) of every assessment in the plan's runs
        on one data cut (`as_of`; None: the latest data), oldest first; of one target, or of runs
        created up to `created_by`, when given."""
        where = [runs.c.plan_id == plan_id, runs.c.as_of.is_(None) if as_of is None else runs.c.as_of == as_of]
        if target_id is not None:
            where.append(assessments.c.target_id == target_id)
        if created_by is not None:
            where.append(runs.c.created_at <= created_by)
        q = (
            sa.select(runs.c.id, runs.c.plan_id, runs.c.created_at, refresh_runs.c.refresh_id, assessments.c.result)
            .join(assessments, assessments.c.run_id == runs.c.id)
            .join(refresh_runs, refresh_runs.c.run_id == runs.c.id, isouter=True)
            .where(*where)
            .order_by(runs.c.created_at, runs.c.id)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(q)]

    def assessment_replays(self, plan_id: str, target_id: str) -> list[tuple]:
        """(run id, plan id, created at, refresh id or None, result, as of) of one target in the plan's
        `--as-of` replays (runs on a data cut), by as-of date then creation."""
        q = (
            sa.select(
                runs.c.id,
                runs.c.plan_id,
                runs.c.created_at,
                refresh_runs.c.refresh_id,
                assessments.c.result,
                runs.c.as_of,
            )
            .join(assessments, assessments.c.run_id == runs.c.id)
            .join(refresh_runs, refresh_runs.c.run_id == runs.c.id, isouter=True)
            .where(runs.c.plan_id == plan_id, runs.c.as_of.is_not(None), assessments.c.target_id == target_id)
            .order_by(runs.c.as_of, runs.c.created_at, runs.c.id)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(q)]

    @contextmanager
    def advisory_lock(self, key: int) -> Iterator[bool]:
        """Hold a PostgreSQL session advisory lock while the block runs; yields whether it was got.

        The server drops it when the connection closes, so a killed holder never leaves it behind.
        SQLite lives in one workspace, whose file lock covers it: always True there.
        """
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        with self.engine.connect() as conn:
            got = conn.execute(sa.text("select pg_try_advisory_lock(:k)"), {"k": key}).scalar_one()
            conn.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    conn.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def fans(self, run_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(forecasts).where(forecasts.c.run_id == run_id))]


def jsonable(obj):
    """Plain JSON values: numpy scalars become Python numbers, NaN and infinities become null."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (bool, str)) or obj is None:
        return obj
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj) if math.isfinite(obj) else None
    return obj
