"""The refresh tables (store revision 0002): begin, publish, complete, and what a killed refresh left.

Store writes of one refresh happen in two transactions: the vintage (its batches) when it is
ingested, and every run of every plan at publication. Until published, no run of the refresh
exists; a refresh killed before publication is marked abandoned and its committed, validated
batches are adopted by the next refresh, so no data is lost and no half-run is visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Optional

import sqlalchemy as sa

from forecast.store.database import Store, jsonable
from forecast.store.tables import batches, observations, plans, refresh_batches, refresh_runs, refreshes, runs

RUNNING, PUBLISHED, COMPLETE, ABANDONED = "running", "published", "complete", "abandoned"


def begin(conn: sa.Connection, refresh_id: str, started_at: dt.datetime) -> None:
    conn.execute(sa.insert(refreshes).values(id=refresh_id, started_at=started_at, status=RUNNING))


def link_batch(conn: sa.Connection, refresh_id: str, batch_id: int) -> None:
    conn.execute(sa.insert(refresh_batches).values(refresh_id=refresh_id, batch_id=batch_id))


def abandon_unpublished(store: Store) -> list[str]:
    """Mark refreshes that died before publishing as abandoned; their batches await adoption."""
    with store.transaction() as conn:
        ids = list(conn.execute(sa.select(refreshes.c.id).where(refreshes.c.status == RUNNING)).scalars())
        if ids:
            conn.execute(
                sa.update(refreshes)
                .where(refreshes.c.id.in_(ids))
                .values(status=ABANDONED, finished_at=dt.datetime.now())
            )
    return ids


def adopt_abandoned_batches(conn: sa.Connection, refresh_id: str) -> list[int]:
    """Move the batches of abandoned refreshes to `refresh_id`: they are part of its vintage."""
    abandoned = sa.select(refreshes.c.id).where(refreshes.c.status == ABANDONED)
    ids = list(
        conn.execute(sa.select(refresh_batches.c.batch_id).where(refresh_batches.c.refresh_id.in_(abandoned))).scalars()
    )
    if ids:
        conn.execute(
            sa.update(refresh_batches).where(refresh_batches.c.batch_id.in_(ids)).values(refresh_id=refresh_id)
        )
    return ids


def orphan_batch_ids(store: Store) -> list[int]:
    """Batches of abandoned refreshes (committed data no published refresh has run on yet)."""
    abandoned = sa.select(refreshes.c.id).where(refreshes.c.status == ABANDONED)
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(refresh_batches.c.batch_id).where(refresh_batches.c.refresh_id.in_(abandoned))
            ).scalars()
        )


def batch_ids(store: Store, refresh_id: str) -> list[int]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(refresh_batches.c.batch_id).where(refresh_batches.c.refresh_id == refresh_id)
            ).scalars()
        )


def batch_rows(store: Store, batch_ids: list[int]) -> list[dict]:
    if not batch_ids:
        return []
    q = (
        sa.select(observations.c.series_id, observations.c.period, observations.c.value, batches.c.source_file)
        .join(batches, batches.c.id == observations.c.batch_id)
        .where(observations.c.batch_id.in_(batch_ids))
    )
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def periods_before(store: Store, series_ids: set[str], new_batches: list[int]) -> dict[str, dict[str, None]]:
    """series -> periods stored before this refresh (outside `new_batches`): what a value revises."""
    if not series_ids:
        return {}
    q = (
        sa.select(observations.c.series_id, observations.c.period)
        .distinct()
        .where(observations.c.series_id.in_(sorted(series_ids)), observations.c.batch_id.not_in(new_batches or [-1]))
    )
    out: dict[str, dict[str, None]] = {}
    with store.engine.connect() as conn:
        for sid, period in conn.execute(q):
            out.setdefault(sid, {})[period] = None
    return out


def publish(
    store: Store,
    refresh_id: str,
    started_at: dt.datetime,
    exists: bool,
    saved: list[tuple],
    input_key: str,
    summary: dict,
) -> None:
    """Every run of the refresh and the refresh itself, in one transaction."""
    with store.transaction() as conn:
        if not exists:
            begin(conn, refresh_id, started_at)
        for run, results, fans in saved:
            Store.insert_run(conn, run, results, fans)
            conn.execute(sa.insert(refresh_runs).values(run_id=run["id"], refresh_id=refresh_id))
        conn.execute(
            sa.update(refreshes)
            .where(refreshes.c.id == refresh_id)
            .values(status=PUBLISHED, input_key=input_key, summary=jsonable(summary))
        )


def complete(store: Store, refresh_id: str, summary: dict) -> None:
    with store.transaction() as conn:
        conn.execute(
            sa.update(refreshes)
            .where(refreshes.c.id == refresh_id)
            .values(status=COMPLETE, summary=jsonable(summary), finished_at=dt.datetime.now())
        )


def published_unfinished(store: Store) -> list[dict]:
    """Refreshes whose runs are stored but whose reports or summary may be missing."""
    with store.engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                sa.select(refreshes).where(refreshes.c.status == PUBLISHED).order_by(refreshes.c.started_at)
            )
        ]


def latest_input_key(store: Store) -> Optional[str]:
    q = (
        sa.select(refreshes.c.input_key)
        .where(refreshes.c.status.in_([PUBLISHED, COMPLETE]))
        .order_by(refreshes.c.started_at.desc())
        .limit(1)
    )
    with store.engine.connect() as conn:
        return conn.execute(q).scalar()


def refreshes_list(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(refreshes).order_by(refreshes.c.started_at))]


def run_ids(store: Store, refresh_id: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(sa.select(refresh_runs.c.run_id).where(refresh_runs.c.refresh_id == refresh_id)).scalars()
        )


def untracked_runs(store: Store) -> list[dict]:
    """Runs of published refreshes that MLflow has not received yet (server down at the time)."""
    q = (
        sa.select(runs)
        .join(refresh_runs, refresh_runs.c.run_id == runs.c.id)
        .where(runs.c.mlflow_run_id.is_(None))
        .order_by(runs.c.created_at)
    )
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def input_key(store: Store, plan_ids: list[str], settings: dict) -> str:
    """What a refresh's results depend on: every stored value with its vintage, the indicators' metadata
    (bounds), the plans and the settings (including the resolved model candidates and the package version)."""
    digest = hashlib.sha256()
    q = sa.select(
        observations.c.series_id, observations.c.period, observations.c.value, observations.c.known_at
    ).order_by(observations.c.series_id, observations.c.period, observations.c.known_at, observations.c.value)
    with store.engine.connect() as conn:
        for row in conn.execute(q):
            digest.update(repr(tuple(row)).encode())
    specs = {k: v for k, v in plan_specs(store).items() if k in plan_ids}
    indicators = {i: ind.model_dump(mode="json") for i, ind in store.indicators().items()}
    digest.update(
        json.dumps(
            {"plans": specs, "settings": settings, "indicators": indicators}, sort_keys=True, default=str
        ).encode()
    )
    return digest.hexdigest()


def plan_specs(store: Store) -> dict[str, dict]:
    """Stored plan specs as stored: one plan that no longer validates fails its own run, not the refresh."""
    with store.engine.connect() as conn:
        return {pid: spec for pid, spec in conn.execute(sa.select(plans.c.id, plans.c.spec).order_by(plans.c.id))}
