"""Import batches: list them, and take one back (`forecast data batches`, `forecast data undo`).

A batch is one imported file (or SQL source) with its rows. Undo removes its observations, its link
to a refresh and the batch itself in one transaction. A stored run that used the batch (created after
it, on one of its series, with data it could see) keeps its results: undo refuses then, unless forced,
because those results would no longer follow from the stored data.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from forecast.store.database import Store
from forecast.store.tables import assessments, batches, forecasts, observations, refresh_batches, runs


class UndoRefused(Exception):
    """The batch does not exist, or stored runs used it (and undo was not forced)."""


@dataclass(frozen=True)
class Undone:
    batch_id: int
    source_file: str
    rows: int
    runs_kept: list[str]  # runs that had used the batch (forced undo): kept as they were


def list_batches(store: Store) -> list[dict]:
    """Every batch, oldest first: id, file, rows, imported at, series count, vintage range, refresh."""
    obs = (
        sa.select(
            observations.c.batch_id,
            sa.func.count(sa.distinct(observations.c.series_id)).label("series"),
            sa.func.min(observations.c.known_at).label("known_from"),
            sa.func.max(observations.c.known_at).label("known_to"),
        )
        .group_by(observations.c.batch_id)
        .subquery()
    )
    q = (
        sa.select(
            batches.c.id,
            batches.c.source_file,
            batches.c.n_rows,
            batches.c.imported_at,
            obs.c.series,
            obs.c.known_from,
            obs.c.known_to,
            refresh_batches.c.refresh_id,
        )
        .join(obs, obs.c.batch_id == batches.c.id, isouter=True)
        .join(refresh_batches, refresh_batches.c.batch_id == batches.c.id, isouter=True)
        .order_by(batches.c.id)
    )
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def runs_using(conn: sa.Connection, batch_id: int) -> list[str]:
    """Ids of stored runs that used the batch: created after it, on one of its series, seeing its data."""
    batch = conn.execute(sa.select(batches).where(batches.c.id == batch_id)).one()
    rows = conn.execute(
        sa.select(observations.c.series_id, observations.c.known_at).where(observations.c.batch_id == batch_id)
    ).all()
    series = {sid for sid, _ in rows}
    used = []
    for run in conn.execute(
        sa.select(runs.c.id, runs.c.as_of).where(runs.c.created_at >= batch.imported_at).order_by(runs.c.created_at)
    ):
        visible = {sid for sid, known_at in rows if run.as_of is None or known_at is None or known_at <= run.as_of}
        if not visible:
            continue
        touched = set(conn.execute(sa.select(forecasts.c.series_id).where(forecasts.c.run_id == run.id)).scalars())
        touched |= {
            (r or {}).get("series_id")
            for r in conn.execute(sa.select(assessments.c.result).where(assessments.c.run_id == run.id)).scalars()
        }
        if touched & visible & series:
            used.append(run.id)
    return used


def undo_batch(store: Store, batch_id: int, force: bool = False) -> Undone:
    """Remove one batch in one transaction; UndoRefused when it is unknown or used by a stored run."""
    with store.transaction() as conn:
        batch = conn.execute(sa.select(batches).where(batches.c.id == batch_id)).one_or_none()
        if batch is None:
            known = list(conn.execute(sa.select(batches.c.id).order_by(batches.c.id)).scalars())
            shown = ", ".join(map(str, known[-10:])) or "none"
            raise UndoRefused(f"no batch {batch_id} (batches: {shown}; see `forecast data batches`)")
        used = runs_using(conn, batch_id)
        if used and not force:
            more = f" and {len(used) - 5} more" if len(used) > 5 else ""
            raise UndoRefused(
                f"batch {batch_id} ({batch.source_file}) was used by stored run(s) "
                f"{', '.join(used[:5])}{more}; their results would no longer follow from the data. "
                "Pass --force to remove it anyway (the runs are kept as they were)"
            )
        n = conn.execute(sa.delete(observations).where(observations.c.batch_id == batch_id)).rowcount
        conn.execute(sa.delete(refresh_batches).where(refresh_batches.c.batch_id == batch_id))
        conn.execute(sa.delete(batches).where(batches.c.id == batch_id))
    return Undone(batch_id, batch.source_file, n, used)
