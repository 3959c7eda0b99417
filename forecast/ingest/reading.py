"""Reading an observation file into text cells: CSV (any of `,` `;` tab) or XLSX, within stated limits.

Nothing is guessed about values here: every cell stays the text it shows (an XLSX number as the
shortest text of its float, a date cell as YYYY-MM-DD). What is found is the layout: the delimiter,
the header row (it may sit below a title row), and which column is which (English names, the
Chinese names planners use, or a mapping given with `--columns`). Any file that cannot be read is
refused with ImportFailed, whatever the library reading it raised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
import zipfile
from pathlib import Path
from typing import Optional

import pandas as pd

from forecast.ingest.problems import ImportFailed, Problem, bounded, fail

REQUIRED = ("series_id", "ds", "y")
OPTIONAL = ("unit", "region", "source", "source_url", "known_at")

# Limits (README, "Limits"): each refuses the file with a short message.
MAX_FILE_BYTES = 50 * 2**20  # a CSV or XLSX file on disk
MAX_XLSX_UNPACKED = 50 * 2**20  # what an XLSX unpacks to (a 300 KB file can hold a 300 MB cell)
MAX_CELL_CHARS = 1000  # characters in one cell
MAX_ROWS = 1_000_000  # data rows in one file
MAX_COLUMNS = 200  # columns of an XLSX sheet
HEADER_SEARCH_ROWS = 20  # rows searched for the header (exports put a title above it)

# Column names understood without `--columns` (case-insensitive for the English ones).
ALIASES = {
    "series_id": ("series_id", "指标"),
    "ds": ("ds", "年份"),
    "y": ("y", "数值"),
    "unit": ("unit", "单位"),
    "region": ("region", "地区"),
    "source": ("source", "来源"),
    "source_url": ("source_url",),
    "known_at": ("known_at",),
}
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
NEED = "need series_id, ds, y (or 指标, 年份, 数值; or name them with --columns series_id=...,ds=...,y=...)"


def parse_columns(text: Optional[str]) -> dict[str, str]:
    """`series_id=指标名称,ds=统计年度,y=值` -> {"series_id": "指标名称", ...}; ValueError when malformed."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        key, sep, header = item.partition("=")
        key, header = key.strip(), header.strip()
        if not sep or not header:
            raise ValueError(f"--columns {bounded(item, 60)!r}: expected NAME=HEADER, e.g. series_id=指标名称")
        if key not in REQUIRED + OPTIONAL:
            raise ValueError(
                f"--columns: {bounded(key, 40)!r} is not a column the importer reads "
                f"(one of {', '.join(REQUIRED + OPTIONAL)})"
            )
        if key in mapping:
            raise ValueError(f"--columns names {key} twice")
        mapping[key] = header
    return mapping


def read_table(path: Path, columns: Optional[dict[str, str]] = None, sheet: Optional[str] = None) -> pd.DataFrame:
    """The file's data rows as text cells, under canonical column names where recognised.

    `frame.attrs`: `rows` (each record's row in the file, as a spreadsheet numbers it), `header_row`,
    `headers` (canonical name -> the file's own header), `notes` (what was read differently than
    plainly: rows above the header, other sheets, the delimiter).
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise fail(name, f"unsupported file type {bounded(suffix, 20)!r}: use .csv or .xlsx")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise fail(name, "file not found") from None
    except OSError as exc:
        raise fail(name, f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise fail(name, "not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise fail(name, f"the file is {info.st_size / 2**20:.0f} MB, above the limit of {MAX_FILE_BYTES // 2**20} MB")
    if info.st_size == 0:
        raise fail(name, "the file is empty")
    notes: list[str] = []
    if suffix in (".xlsx", ".xlsm"):
        cells = _xlsx_cells(path, name, sheet, notes)
    else:
        if sheet:
            raise fail(name, "--sheet is for XLSX workbooks; this is a CSV file")
        cells = _csv_cells(path, name, notes)
    return _frame(cells, name, columns or {}, notes)


# -- CSV ----------------------------------------------------------------------------------------


def _csv_cells(path: Path, name: str, notes: list[str]) -> list[tuple[int, list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(name, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise fail(name, "the file contains NUL bytes: it is not a text file (save it as CSV or XLSX)")
    text = None
    # Spreadsheets saved on Chinese-locale machines are often GB18030, not UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise fail(name, "the file is neither UTF-8 nor GB18030 text")
    if not text.strip():
        raise fail(name, "the file is empty")
    delimiter = _delimiter(text)
    if delimiter != ",":
        notes.append(f"read as {_DELIMITER_NAMES[delimiter]}-separated")
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, row in enumerate(reader, 1):
            rows.append((number, row))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise fail(name, f"more than {MAX_ROWS:,} rows: above the limit")
    except csv.Error as exc:
        why = str(exc)
        if "field larger than field limit" in why:
            why = f"a cell is longer than the limit of {MAX_CELL_CHARS} characters"
        raise fail(
            name, f"cannot parse the file as {_DELIMITER_NAMES[delimiter]}-separated text: {why}", row=len(rows) + 1
        ) from None
    return rows


def _delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into at least three fields (`,` on a tie)."""
    sample = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        score = sum(1 for r in rows if len(r) >= 3)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# -- XLSX ---------------------------------------------------------------------------------------


def _xlsx_cells(path: Path, name: str, sheet: Optional[str], notes: list[str]) -> list[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise fail(name, f"not a readable XLSX workbook (corrupt, or not a zip archive): {bounded(exc, 80)}") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise fail(
            name,
            f"the workbook unpacks to {unpacked / 2**20:.0f} MB, above the limit of "
            f"{MAX_XLSX_UNPACKED // 2**20} MB (a cell or sheet is far too large)",
        )
    try:
        values, sheet_name, others = _sheet_rows(path, sheet, data_only=True)
        # A blank cell may be a formula without a saved value: only the formulas' pass can tell.
        formulas, _, _ = _sheet_rows(path, sheet_name, data_only=False)
    except ImportFailed:
        raise
    except KeyError as exc:
        if sheet is not None and str(exc.args[0] if exc.args else "") == sheet:
            raise fail(name, f"no sheet {bounded(sheet, 60)!r} in the workbook") from None
        raise fail(name, f"cannot read the workbook: KeyError: {bounded(exc, 80)}") from None
    except Exception as exc:  # openpyxl and zipfile raise many types for a damaged workbook
        raise fail(name, f"cannot read the workbook: {type(exc).__name__}: {bounded(exc, 120)}") from None
    if others:
        notes.append(f"read sheet {sheet_name!r}; other sheets not read: {', '.join(others)} (choose one with --sheet)")
    problems: list[Problem] = []
    rows: list[tuple[int, list[str]]] = []
    for number in range(1, max(len(values), len(formulas)) + 1):
        row = values[number - 1] if number <= len(values) else ()
        written = formulas[number - 1] if number <= len(formulas) else ()
        for col, formula in enumerate(written):  # a formula the saving program did not compute
            if (col >= len(row) or row[col] is None) and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    Problem(
                        name,
                        number,
                        _letter(col),
                        f"formula {bounded(formula, 40)} has no saved "
                        "value: open the file in Excel and save it, or paste the values",
                    )
                )
        rows.append((number, [_cell_text(v) for v in row]))
    if problems:
        raise ImportFailed(problems)
    return rows


def _sheet_rows(path: Path, sheet: Optional[str], data_only: bool) -> tuple[list[tuple], str, list[str]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise fail(str(path), f"no sheet {bounded(sheet, 60)!r} in the workbook (sheets: {', '.join(names)})")
        chosen = sheet if sheet is not None else names[0]
        worksheet = book[chosen]
        worksheet.reset_dimensions()  # the stored dimension may be wrong: read the cells that are there
        rows = []
        for row in worksheet.iter_rows(values_only=True):
            if len(row) > MAX_COLUMNS:
                raise fail(str(path), f"sheet {chosen!r} has more than {MAX_COLUMNS} columns: above the limit")
            end = len(row)
            while end and row[end - 1] is None:
                end -= 1
            rows.append(tuple(row[:end]))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise fail(str(path), f"more than {MAX_ROWS:,} rows: above the limit")
        return rows, chosen, [n for n in names if n != chosen]
    finally:
        book.close()


def _cell_text(value) -> str:
    """An XLSX cell as the text it shows: a number as the shortest text of its float, a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# -- layout -------------------------------------------------------------------------------------


def _canonical(header: str, columns: dict[str, str]) -> Optional[str]:
    for key, named in columns.items():
        if header == named:
            return key
    for key, names in ALIASES.items():
        if key in columns:
            continue  # a column named explicitly is not also found by its alias
        if header in names or header.lower() in names:
            return key
    return None


def _frame(cells: list[tuple[int, list[str]]], name: str, columns: dict[str, str], notes: list[str]) -> pd.DataFrame:
    rows = [(n, r) for n, r in ((n, _trim(r)) for n, r in cells) if r]  # blank rows carry nothing
    if not rows:
        raise fail(name, "the file is empty")
    header_at = _header_index(rows, name, columns)
    header_row, header = rows[header_at]
    header = [h.strip() for h in header]
    for number, row in rows[:header_at]:  # a title or a note, never data: a row of values is not skipped
        if (filled := sum(1 for c in row if c.strip())) > 2:
            raise fail(
                name,
                f"row {number} is above the header (row {header_row}) but holds {filled} values; "
                "only a title or a note may stand above the header",
                row=number,
            )
    if header_at > 0 or header_row > 1:
        notes.append(f"header on row {header_row}; rows above it not read")
    names: list[str] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for col, h in enumerate(header):
        key = _canonical(h, columns) if h else None
        label = key or h or f"(column {_letter(col)})"
        if label in seen:
            first = header[seen[label]]
            what = f"column {h!r} appears twice" if first == h else f"columns {first!r} and {h!r} both mean {key}"
            problems.append(
                Problem(name, header_row, h, f"{what} (columns {_letter(seen[label])} and {_letter(col)}): keep one")
            )
        seen.setdefault(label, col)
        names.append(label)
    for key, named in columns.items():
        if key not in names:
            problems.append(
                Problem(
                    name,
                    header_row,
                    named,
                    f"--columns {key}={named}: no such column; columns seen: {', '.join(h for h in header if h)}",
                )
            )
    records, lines = [], []
    for number, row in rows[header_at + 1 :]:
        if len(row) > len(header):
            problems.append(
                Problem(name, number, None, f"the row has {len(row)} cells but the header has {len(header)} columns")
            )
            continue
        if max(map(len, row)) > MAX_CELL_CHARS:
            problems += [
                Problem(
                    name, number, names[col], f"a cell of {len(text):,} characters: above the limit of {MAX_CELL_CHARS}"
                )
                for col, text in enumerate(row)
                if len(text) > MAX_CELL_CHARS
            ]
        records.append(row if len(row) == len(header) else row + [""] * (len(header) - len(row)))
        lines.append(number)
    if len(records) > MAX_ROWS:
        problems.append(Problem(name, None, None, f"{len(records):,} data rows: above the limit of {MAX_ROWS:,}"))
    if problems:
        raise ImportFailed(problems)
    frame = pd.DataFrame(records, columns=names, dtype=object) if records else pd.DataFrame(columns=names)
    frame.attrs.update(
        rows=lines,
        header_row=header_row,
        notes=notes,
        headers={n: h for n, h in zip(names, header) if n in REQUIRED + OPTIONAL},
    )
    return frame


def _trim(row: list[str]) -> list[str]:
    """The row without its trailing blank cells (empty when the whole row is blank)."""
    if row and row[-1].strip():
        return row
    row = list(row)
    while row and not row[-1].strip():
        row.pop()
    return row


def _header_index(rows: list[tuple[int, list[str]]], name: str, columns: dict[str, str]) -> int:
    """The first row naming every required column; otherwise refuse, saying where the header seems to be."""
    best: Optional[int] = None
    best_found: set[Optional[str]] = set()
    for i, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {_canonical(h.strip(), columns) for h in row} & set(REQUIRED)
        if found == set(REQUIRED):
            return i
        if len(found) > len(best_found):
            best, best_found = i, found
    if best is None:
        seen = ", ".join(h.strip() for h in rows[0][1] if h.strip())
        raise fail(name, f"no header row found: {NEED}; columns seen on row {rows[0][0]}: {seen}", row=rows[0][0])
    number, row = rows[best]
    missing = [c for c in REQUIRED if c not in best_found]
    seen = ", ".join(h.strip() for h in row if h.strip())
    where = "" if number == 1 else f"the header seems to be on row {number}; "
    raise ImportFailed(
        [Problem(name, number, c, f"required column is missing ({NEED}); {where}columns seen: {seen}") for c in missing]
    )
