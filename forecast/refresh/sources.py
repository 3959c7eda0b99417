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
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from forecast.ingest.importer import MAX_REPORTED, ImportFailed, read_table, validate_observations
from forecast.ingest.problems import bounded
from forecast.ingest.reading import MAX_FILE_BYTES
from forecast.io import write_atomic
from forecast.refresh.config import SqlSource
from forecast.schema import Indicator
from forecast.store import Store

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
    notes: list[str] = field(default_factory=list)  # how a file was read (header row, delimiter, other sheets)
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
    """Entries waiting in the drop folder (not hidden or partial): files, and anything else that is not a
    folder (a symbolic link, a FIFO), which `read_file` rejects. Links are never followed."""
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        if p.name.startswith((".", "~$")) or p.name.endswith(".part"):
            continue
        if stat.S_ISDIR(p.lstat().st_mode):  # processed/, rejected/ (a link to a folder is not a folder here)
            continue
        out.append(p)
    return sorted(out)


def read_file(store: Store, path: Path, known: dict[str, Indicator]) -> Candidate:
    """One drop-folder entry read and validated; any problem, whatever raised it, is this file's rejection."""
    found = Candidate(_text(path.name), path=path)
    try:
        data = _regular_file_bytes(path)
    except _NotReadable as exc:
        found.problems = [f"{found.name}: {exc}"]
        return found
    found.digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() not in FILE_TYPES:
        found.problems = [f"{found.name}: unsupported file type {bounded(path.suffix, 20)!r}: use .csv or .xlsx"]
        return found
    if (batch := store.batch_with_digest(found.digest)) is not None:
        found.already_batch = batch
        return found
    try:
        frame = read_table(path)
        found.notes = [_text(n) for n in frame.attrs.get("notes") or []]
        found.rows = fresh(store, validate_observations(frame, found.name, known))
    except ImportFailed as exc:
        found.problems = [_text(p) for p in exc.problems[:MAX_REPORTED]]
        if len(exc.problems) > MAX_REPORTED:
            found.problems.append(f"... and {len(exc.problems) - MAX_REPORTED} more")
    except Exception as exc:  # a file no reader anticipated still rejects only itself
        found.problems = [f"{found.name}: cannot read the file: {type(exc).__name__}: {bounded(exc, 200)}"]
    return found


def _text(value) -> str:
    """Text safe to write as UTF-8: a file name's undecodable bytes become U+FFFD."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _NotReadable(Exception):
    pass


def _regular_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file, opened without following a link and only within the size limit."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if os.path.islink(path):
            raise _NotReadable(
                "a symbolic link: drop folder entries must be regular files, links are not followed"
            ) from None
        raise _NotReadable(f"cannot open: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _NotReadable("not a regular file (a device, FIFO or socket): not read")
        if info.st_size > MAX_FILE_BYTES:
            raise _NotReadable(
                f"the file is {info.st_size / 2**20:.0f} MB, above the limit of {MAX_FILE_BYTES // 2**20} MB"
            )
        return fh.read(MAX_FILE_BYTES + 1)


def read_sql(store: Store, source: SqlSource, known: dict[str, Indicator]) -> Candidate:
    """The query's rows that are new or differ from the latest stored value of their period."""
    import pandas as pd
    import sqlalchemy as sa

    name = f"sql:{source.name}"
    try:
        url = expand_url(source.url)
    except KeyError as exc:
        return Candidate(
            name, error=f"{name}: environment variable {exc.args[0]} is not set (named in its url); nothing was read"
        )
    try:
        engine = sa.create_engine(url)
        if engine.dialect.name == "sqlite":  # SQLite creates a missing file on connect: a source must exist
            database = engine.url.database or ""
            if database in ("", ":memory:") or not Path(database).is_file():
                engine.dispose()
                return Candidate(
                    name,
                    error=f"{name}: the SQLite database {bounded(database, 120)!r} does not exist; nothing was read",
                )
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
        return Candidate(name, problems=[str(p) for p in exc.problems[:MAX_REPORTED]])
    rows = fresh(store, rows)
    digest = hashlib.sha256(repr(sorted((r["series_id"], r["period"], r["value"]) for r in rows)).encode()).hexdigest()
    return Candidate(name, digest, rows)


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def expand_url(url: str, environ=None) -> str:
    """`url` with each ${VAR} taken from the environment; KeyError naming the first one that is unset
    (a missing variable is never left in as literal text). A `$` not followed by `{` stays as it is."""
    environ = os.environ if environ is None else environ

    def value(m: re.Match) -> str:
        var = m.group(1)
        if var not in environ:
            raise KeyError(var)
        return environ[var]

    return _VAR.sub(value, url)


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


def _cut(name: str, limit: int) -> str:
    """`name` cut to at most `limit` bytes of UTF-8 (a file name may already be near the 255-byte limit)."""
    return name.encode("utf-8", "surrogateescape")[:limit].decode("utf-8", "ignore")


def settle(
    path: Path, drop_folder: Path, refresh_id: str, problems: Optional[list[str]] = None, note: Optional[str] = None
) -> Path:
    """Move a drop file to processed/<refresh>/ or, with its reasons, to rejected/<refresh>/.

    The reason file is written (atomically) before the move: a refresh killed in between leaves
    the file in the drop folder, and the next refresh judges it again.
    """
    dest = drop_folder / ("rejected" if problems else "processed") / refresh_id
    dest.mkdir(parents=True, exist_ok=True)
    if problems or note:
        text = "\n".join(problems or [note]) + "\n"
        write_atomic(dest / f"{_cut(path.name, 200)}.reason.txt", text)
    target = dest / path.name
    os.replace(path, target)
    return target
