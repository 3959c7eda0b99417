"""New observations for a refresh: files in a drop folder and SQL queries, read and validated.

Validation is the importer's (`read_table`, `validate_observations`): a file with any problem is
rejected whole, with every problem by row and column, and the other files go on. Of a valid source
only the values that are new or differ from the stored latest are kept (`fresh`), whether a file or
a query: sources usually repeat the whole history. Nothing here writes to the store; `settle` moves
a file out of the drop folder once its fate is committed.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from forecast.ingest.importer import ImportFailed, read_table, validate_observations
from forecast.io import write_atomic
from forecast.schema import Indicator
from forecast.store import Store
from forecast.refresh.config import SqlSource

FILE_TYPES = (".csv", ".txt", ".xlsx", ".xlsm")


@dataclass
class Candidate:
    """One source's contribution to the new vintage."""

    name: str  # file name or `sql:<name>`
    digest: str = ""
    rows: list[dict] = field(default_factory=list)  # validated rows that are new or revised
    problems: list[str] = field(default_factory=list)  # why a file was rejected
    error: Optional[str] = None  # why a source could not be read at all (e.g. database down)
    already_batch: Optional[int] = None  # the same bytes were imported before
    path: Optional[Path] = None  # for drop-folder files

    @property
    def accepted(self) -> bool:
        return not self.problems and self.error is None and self.already_batch is None and bool(self.rows)

    @property
    def note(self) -> Optional[str]:
        """Why a valid source adds nothing (written beside a drop file moved to processed/)."""
        if self.already_batch is not None:
            return f"already imported as batch {self.already_batch}"
        if not self.problems and self.error is None and not self.rows:
            return "nothing new: every value in it is already stored"
        return None


def drop_files(folder: Path) -> list[Path]:
    """Files waiting in the drop folder (not in processed/ or rejected/, not hidden or partial)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith(".part"))


def read_file(store: Store, path: Path, known: dict[str, Indicator]) -> Candidate:
    data = path.read_bytes()
    found = Candidate(path.name, hashlib.sha256(data).hexdigest(), path=path)
    if path.suffix.lower() not in FILE_TYPES:
        found.problems = [f"{path.name}: unsupported file type {path.suffix!r}: use .csv or .xlsx"]
        return found
    if (batch := store.batch_with_digest(found.digest)) is not None:
        found.already_batch = batch
        return found
    try:
        found.rows = fresh(store, validate_observations(read_table(path), path.name, known))
    except ImportFailed as exc:
        found.problems = [str(p) for p in exc.problems]
    return found


def read_sql(store: Store, source: SqlSource, known: dict[str, Indicator]) -> Candidate:
    """The query's rows that are new or differ from the latest stored value of their period."""
    import pandas as pd
    import sqlalchemy as sa

    name = f"sql:{source.name}"
    try:
        engine = sa.create_engine(os.path.expandvars(source.url))
        try:
            with engine.connect() as conn:
                result = conn.execute(sa.text(source.query))
                frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        finally:
            engine.dispose()
    except Exception as exc:  # a source that cannot be read is reported; the other sources go on
        return Candidate(name, error=f"{name}: cannot read: {type(exc).__name__}: {_first_line(exc)}")
    # The importer validates text exactly as written; database values are rendered as text first.
    frame = frame.astype(object).where(frame.notna(), "").map(_as_text)
    try:
        rows = validate_observations(frame, name, known)
    except ImportFailed as exc:
        return Candidate(name, problems=[str(p) for p in exc.problems])
    rows = fresh(store, rows)
    digest = hashlib.sha256(repr(sorted((r["series_id"], r["period"], r["value"]) for r in rows)).encode()).hexdigest()
    return Candidate(name, digest, rows)


def fresh(store: Store, rows: list[dict]) -> list[dict]:
    """The rows that are new or differ from the latest stored value of their period.

    A value repeated as stored must not become a new vintage: it would be stamped with today's
    date, change the input key, re-run every plan and be reported as a revision.
    """
    latest = latest_values(store, {r["series_id"] for r in rows})
    return [r for r in rows if latest[r["series_id"]].get(r["period"]) != r["value"]]


def latest_values(store: Store, series_ids) -> dict[str, dict[str, float]]:
    """series -> period -> the latest stored value (the newest vintage)."""
    return {sid: dict(store.observations(sid)) for sid in series_ids}


def _as_text(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a year read as 2015.0 is the year 2015
    return str(value)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


def settle(path: Path, drop_folder: Path, refresh_id: str, problems: Optional[list[str]] = None,
           note: Optional[str] = None) -> Path:
    """Move a drop file to processed/<refresh>/ or, with its reasons, to rejected/<refresh>/.

    The reason file is written (atomically) before the move: a refresh killed in between leaves
    the file in the drop folder, and the next refresh judges it again.
    """
    dest = drop_folder / ("rejected" if problems else "processed") / refresh_id
    dest.mkdir(parents=True, exist_ok=True)
    if problems or note:
        text = "\n".join(problems or [note]) + "\n"
        write_atomic(dest / f"{path.name}.reason.txt", text)
    target = dest / path.name
    os.replace(path, target)
    return target
