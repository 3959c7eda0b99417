"""Import observations (long CSV/XLSX: series_id, ds, y) and indicator metadata into the store.

Validation happens before anything is written, and the write is one transaction: a file with any
error leaves the store exactly as it was, and the error names the file, row and column. Reading is
`reading` (layout, limits), numbers follow `numbers` (one rule, never a changed magnitude), rows are
checked by `validation`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml
from pydantic import ValidationError

from forecast.ingest.problems import MAX_REPORTED, ImportFailed, Problem, bounded
from forecast.ingest.reading import MAX_FILE_BYTES, OPTIONAL, REQUIRED, parse_columns, read_table
from forecast.ingest.validation import parse_period, validate_observations
from forecast.schema import Indicator
from forecast.store import Store

__all__ = [
    "ImportFailed",
    "ImportSummary",
    "Problem",
    "import_file",
    "parse_columns",
    "parse_period",
    "read_indicators",
    "read_table",
    "validate_observations",
    "REQUIRED",
    "OPTIONAL",
    "MAX_REPORTED",
]


@dataclass
class ImportSummary:
    file: str
    batch_id: int
    rows: int
    series: dict[str, int] = field(default_factory=dict)
    indicators_registered: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    already_imported: bool = False  # the same bytes were imported before (batch_id is that batch)
    notes: list[str] = field(default_factory=list)  # how the file was read (header row, delimiter, sheets)


# -- indicator metadata -------------------------------------------------------------------------


def read_indicators(path: Path) -> list[Indicator]:
    """A YAML file: `indicators:` list (or a bare list) of Indicator fields."""
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFailed([Problem(name, None, None, f"above the limit of {MAX_FILE_BYTES // 2**20} MB")])
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            [Problem(name, None, None, f"cannot read indicator metadata: {bounded(exc, 200)}")]
        ) from None
    items = doc.get("indicators") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise ImportFailed([Problem(name, None, None, "expected a non-empty list under `indicators:`")])
    out, problems = [], []
    for i, item in enumerate(items):
        try:
            out.append(Indicator.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                problems.append(Problem(name, None, f"indicators[{i}].{loc}", err["msg"]))
    if problems:
        raise ImportFailed(problems)
    return out


# -- observation files --------------------------------------------------------------------------


def import_file(
    store: Store,
    path: Path,
    indicators_file: Optional[Path] = None,
    columns: Optional[dict[str, str]] = None,
    sheet: Optional[str] = None,
) -> ImportSummary:
    """Validate `path` (and optional indicator metadata), then write it all in one transaction.

    `columns` maps canonical names to the file's headers (`{"series_id": "指标名称"}`); `sheet` picks
    an XLSX sheet (default: the first).
    """
    path = Path(path)
    new_indicators = read_indicators(Path(indicators_file)) if indicators_file else []
    known = store.indicators() | {i.id: i for i in new_indicators}
    frame = read_table(path, columns=columns, sheet=sheet)
    rows = validate_observations(frame, str(path), known)
    ignored = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    notes = list(frame.attrs.get("notes") or [])
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ImportFailed([Problem(str(path), None, None, f"cannot read the file: {exc.strerror or exc}")]) from None
    if (earlier := store.batch_with_digest(digest)) is not None:
        return ImportSummary(str(path), earlier, 0, {}, 0, ignored, already_imported=True, notes=notes)
    with store.transaction() as conn:
        store.upsert_indicators(conn, new_indicators)
        batch_id = store.add_batch(conn, str(path.name), digest, rows)
    per_series: dict[str, int] = {}
    for r in rows:
        per_series[r["series_id"]] = per_series.get(r["series_id"], 0) + 1
    return ImportSummary(str(path), batch_id, len(rows), per_series, len(new_indicators), ignored, notes=notes)
