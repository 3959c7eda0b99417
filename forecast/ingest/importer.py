"""Import observations (long CSV/XLSX: series_id, ds, y) and indicator metadata into the store.

Validation happens before anything is written, and the write is one transaction: a file with any
error leaves the store exactly as it was, and the error names the file, row and column.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pandas as pd
import yaml
from pydantic import ValidationError

from forecast.schema import Frequency, Indicator
from forecast.store import Store

REQUIRED = ("series_id", "ds", "y")
OPTIONAL = ("unit", "region", "source", "source_url", "known_at")
MAX_REPORTED = 20  # errors listed before "... and N more"


@dataclass(frozen=True)
class Problem:
    file: str
    row: Optional[int]  # line in the file as a spreadsheet shows it (header = 1)
    column: Optional[str]
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more")
        super().__init__("import failed, nothing was written:\n  " + "\n  ".join(shown))


@dataclass
class ImportSummary:
    file: str
    batch_id: int
    rows: int
    series: dict[str, int] = field(default_factory=dict)
    indicators_registered: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    already_imported: bool = False  # the same bytes were imported before (batch_id is that batch)


# -- indicator metadata -------------------------------------------------------------------------

def read_indicators(path: Path) -> list[Indicator]:
    """A YAML file: `indicators:` list (or a bare list) of Indicator fields."""
    name = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed([Problem(name, None, None, f"cannot read indicator metadata: {exc}")]) from None
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

def read_table(path: Path) -> pd.DataFrame:
    """The file's cells as text, exactly as written (no NA guessing, no type guessing)."""
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        elif suffix in (".csv", ".txt"):
            frame = _read_csv_text(path)
        else:
            raise ImportFailed([Problem(name, None, None, f"unsupported file type {suffix!r}: use .csv or .xlsx")])
    except ImportFailed:
        raise
    except FileNotFoundError:
        raise ImportFailed([Problem(name, None, None, "file not found")]) from None
    except pd.errors.EmptyDataError:
        raise ImportFailed([Problem(name, None, None, "the file is empty")]) from None
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        raise ImportFailed([Problem(name, None, None, f"cannot parse the file: {exc}")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _read_csv_text(path: Path) -> pd.DataFrame:
    # Spreadsheets saved on Chinese-locale machines are often GB18030, not UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is neither UTF-8 nor GB18030 text")


_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_YEAR_START = re.compile(r"^(\d{4})-01-01$")


def parse_period(text: str, frequency: Frequency) -> pd.Period:
    """The period a `ds` cell names at `frequency`.

    Yearly: 2015 or 2015-01-01. Monthly: 2015-03 or 2015-03-01. Quarterly: 2015Q1, 2015-Q1 or
    the quarter's first day.
    """
    text = text.strip()
    if frequency is Frequency.Y:
        if _YEAR.match(text):
            return pd.Period(str(int(text)), "Y")
        if m := _YEAR_START.match(text):
            return pd.Period(m.group(1), "Y")
        raise ValueError(f"{text!r} is not a year (write 2015 or 2015-01-01)")
    if frequency is Frequency.Q:
        if m := _QUARTER.match(text):
            return pd.Period(f"{m.group(1)}Q{m.group(2)}", "Q")
        if (m := _MONTH.match(text)) and int(m.group(2)) in (1, 4, 7, 10):
            return pd.Period(f"{m.group(1)}-{int(m.group(2)):02d}", "M").asfreq("Q")
        raise ValueError(f"{text!r} is not a quarter (write 2015Q1 or a quarter's first day)")
    if m := _MONTH.match(text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return pd.Period(f"{m.group(1)}-{month:02d}", "M")
    raise ValueError(f"{text!r} is not a month (write 2015-03 or 2015-03-01)")


def validate_observations(frame: pd.DataFrame, name: str, known: dict[str, Indicator]) -> list[dict]:
    """Rows ready for the store, or ImportFailed listing every problem."""
    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ImportFailed([Problem(name, 1, c, "required column is missing (need series_id, ds, y)") for c in missing])
    if frame.empty:
        raise ImportFailed([Problem(name, None, None, "the file has a header but no data rows")])

    rows: list[dict] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        line = index + 2  # header is line 1
        before = len(problems)
        sid = str(record["series_id"]).strip()
        if not sid:
            problems.append(Problem(name, line, "series_id", "empty series_id"))
            continue
        indicator = known.get(sid)
        if indicator is None:
            problems.append(Problem(name, line, "series_id",
                                    f"unknown indicator {sid!r}: register it with --indicators META.yaml first"))
            continue
        try:
            period = parse_period(str(record["ds"]), indicator.frequency)
        except ValueError as exc:
            problems.append(Problem(name, line, "ds", _period_problem(str(record["ds"]), sid, indicator, exc)))
            period = None
        value = _parse_number(str(record["y"]))
        if value is None:
            problems.append(Problem(name, line, "y", f"{record['y']!r} is not a finite number"))
        elif (why := indicator.out_of_bounds(value)) is not None:
            problems.append(Problem(name, line, "y", f"{why} for {sid}"))
        unit = str(record.get("unit", "")).strip()
        if unit and indicator.unit and _norm_unit(unit) != _norm_unit(indicator.unit):
            problems.append(Problem(name, line, "unit",
                                    f"unit mismatch: {unit!r} but indicator {sid} is in {indicator.unit!r}"))
        known_at = None
        if str(record.get("known_at", "")).strip():
            try:
                known_at = dt.date.fromisoformat(str(record["known_at"]).strip())
            except ValueError:
                problems.append(Problem(name, line, "known_at", f"{record['known_at']!r} is not a date (YYYY-MM-DD)"))
        if period is not None:
            key = (sid, str(period))
            if key in first_row_of:
                problems.append(Problem(name, line, "ds",
                                        f"duplicate period {period} for {sid} (first at row {first_row_of[key]})"))
            else:
                first_row_of[key] = line
        if len(problems) == before:
            source = str(record.get("source", "") or record.get("source_url", "")).strip() or None
            rows.append({"series_id": sid, "period": str(period), "value": value,
                         "known_at": known_at, "source": source})
    if problems:
        raise ImportFailed(problems)
    return rows


def _period_problem(text: str, sid: str, indicator: Indicator, exc: ValueError) -> str:
    for other in Frequency:
        if other is indicator.frequency:
            continue
        try:
            parse_period(text, other)
        except ValueError:
            continue
        return (f"mixed frequencies: {text!r} is a {other.name_en} period but series {sid} is "
                f"{indicator.frequency.name_en}")
    return f"{exc}; series {sid} is {indicator.frequency.name_en}"


def _parse_number(text: str) -> Optional[float]:
    text = text.strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _norm_unit(unit: str) -> str:
    return unit.lower().replace("µ", "u").replace("μ", "u").replace("³", "3").replace(" ", "")


def import_file(store: Store, path: Path, indicators_file: Optional[Path] = None) -> ImportSummary:
    """Validate `path` (and optional indicator metadata), then write it all in one transaction."""
    path = Path(path)
    new_indicators = read_indicators(Path(indicators_file)) if indicators_file else []
    known = store.indicators() | {i.id: i for i in new_indicators}
    frame = read_table(path)
    rows = validate_observations(frame, str(path), known)
    ignored = [c for c in frame.columns if c not in REQUIRED + OPTIONAL]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if (earlier := store.batch_with_digest(digest)) is not None:
        return ImportSummary(str(path), earlier, 0, {}, 0, ignored, already_imported=True)
    with store.transaction() as conn:
        store.upsert_indicators(conn, new_indicators)
        batch_id = store.add_batch(conn, str(path.name), digest, rows)
    per_series: dict[str, int] = {}
    for r in rows:
        per_series[r["series_id"]] = per_series.get(r["series_id"], 0) + 1
    return ImportSummary(str(path), batch_id, len(rows), per_series, len(new_indicators), ignored)
