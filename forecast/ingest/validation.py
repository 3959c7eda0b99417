"""Checking observation rows against the indicators they name, before anything is written.

Every problem is collected (by file, row and column), so one pass over a file says all that is wrong.
A frame comes from `reading.read_table` (its `attrs` give the file's row numbers and header names) or
from any other reader that builds text cells under the canonical column names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

import pandas as pd

from forecast.ingest.numbers import NotANumber, parse_number, shown
from forecast.ingest.problems import ImportFailed, Problem
from forecast.ingest.reading import NEED, REQUIRED
from forecast.schema import Frequency, Indicator

YEARS = (1000, 2999)  # the years a `ds` may name; year 0000 or 30000 is a typing slip, not a period

_YEAR = re.compile(r"(\d{4})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-01)?", re.ASCII)
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.ASCII | re.IGNORECASE)
_YEAR_START = re.compile(r"(\d{4})-01-01", re.ASCII)


def _year(text: str) -> str:
    year = int(text)
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"year {text} is outside {YEARS[0]}–{YEARS[1]}")
    return str(year)


def parse_period(text: str, frequency: Frequency) -> pd.Period:
    """The period a `ds` cell names at `frequency`.

    Yearly: 2015 or 2015-01-01. Monthly: 2015-03 or 2015-03-01. Quarterly: 2015Q1, 2015-Q1 or
    the quarter's first day.
    """
    text = str(text).strip()
    if frequency is Frequency.Y:
        if m := (_YEAR.fullmatch(text) or _YEAR_START.fullmatch(text)):
            return pd.Period(_year(m.group(1)), "Y")
        raise ValueError(f"{shown(text)} is not a year (write 2015 or 2015-01-01)")
    if frequency is Frequency.Q:
        if m := _QUARTER.fullmatch(text):
            return pd.Period(f"{_year(m.group(1))}Q{m.group(2)}", "Q")
        if (m := _MONTH.fullmatch(text)) and int(m.group(2)) in (1, 4, 7, 10):
            return pd.Period(f"{_year(m.group(1))}-{int(m.group(2)):02d}", "M").asfreq("Q")
        raise ValueError(f"{shown(text)} is not a quarter (write 2015Q1 or a quarter's first day)")
    if m := _MONTH.fullmatch(text):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return pd.Period(f"{_year(m.group(1))}-{month:02d}", "M")
    raise ValueError(f"{shown(text)} is not a month (write 2015-03 or 2015-03-01)")


def resolve_series(text: str, region: str, known: dict[str, Indicator]) -> tuple[Optional[Indicator], str]:
    """The indicator a `series_id` cell names: its id, or exactly its Chinese or English name or a synonym
    (narrowed by the row's region when several match). (None, why) when none or several do."""
    if text in known:
        return known[text], ""
    named = [i for i in known.values() if text in (i.name_zh, i.name_en) or text in i.synonyms]
    if region and len(named) > 1:
        named = [i for i in named if i.region == region] or named
    if len(named) == 1:
        return named[0], ""
    if named:
        ids = ", ".join(sorted(i.id for i in named)[:5])
        return None, f"{shown(text)} names several indicators ({ids}): write the series id, or add a 地区/region column"
    return None, f"unknown indicator {shown(text)}: register it with --indicators META.yaml first"


def validate_observations(
    frame: pd.DataFrame, name: str, known: dict[str, Indicator], today: Optional[dt.date] = None
) -> list[dict]:
    """Rows ready for the store, or ImportFailed listing every problem."""
    today = today or dt.date.today()
    headers = {c: c for c in frame.columns} | dict(frame.attrs.get("headers") or {})
    header_row = frame.attrs.get("header_row", 1)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        seen = ", ".join(str(c) for c in frame.columns) or "none"
        raise ImportFailed(
            [
                Problem(name, header_row, c, f"required column is missing ({NEED}); columns seen: {seen}")
                for c in missing
            ]
        )
    if frame.empty:
        raise ImportFailed([Problem(name, None, None, "the file has a header but no data rows")])
    lines = frame.attrs.get("rows")
    if not lines or len(lines) != len(frame):  # a frame not straight from read_table: its rows follow the header
        lines = [i + header_row + 1 for i in range(len(frame))]

    def problem(line, column, message):
        problems.append(Problem(name, line, headers.get(column, column), message))

    problems: list[Problem] = []
    rows: list[dict] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for line, record in zip(lines, frame.to_dict("records")):
        before = len(problems)
        text = str(record["series_id"]).strip()
        if not text:
            problem(line, "series_id", "empty series_id")
            continue
        indicator, why = resolve_series(text, str(record.get("region", "") or "").strip(), known)
        if indicator is None:
            problem(line, "series_id", why)
            continue
        sid = indicator.id
        try:
            period = parse_period(str(record["ds"]), indicator.frequency)
        except ValueError as exc:
            problem(line, "ds", _period_problem(str(record["ds"]), sid, indicator, exc))
            period = None
        try:
            value = parse_number(str(record["y"]), indicator.unit)
        except NotANumber as exc:
            problem(line, "y", str(exc))
            value = None
        if value is not None and (outside := indicator.out_of_bounds(value)) is not None:
            problem(line, "y", f"{outside} for {sid}")
        unit = str(record.get("unit", "") or "").strip()
        if unit and indicator.unit and _norm_unit(unit) != _norm_unit(indicator.unit):
            problem(line, "unit", f"unit mismatch: {shown(unit)} but indicator {sid} is in {indicator.unit!r}")
        known_at = None
        if str(record.get("known_at", "") or "").strip():
            text_at = str(record["known_at"]).strip()
            try:
                known_at = dt.date.fromisoformat(text_at)
            except ValueError:
                problem(line, "known_at", f"{shown(text_at)} is not a date (YYYY-MM-DD)")
            else:
                if known_at > today:
                    problem(
                        line,
                        "known_at",
                        f"{known_at} is in the future (today is {today}): a value cannot be "
                        "known before it is published",
                    )
        if period is not None:
            key = (sid, str(period))
            if key in first_row_of:
                problem(line, "ds", f"duplicate period {period} for {sid} (first at row {first_row_of[key]})")
            else:
                first_row_of[key] = line
        if len(problems) == before:
            source = str(record.get("source", "") or record.get("source_url", "") or "").strip() or None
            rows.append(
                {"series_id": sid, "period": str(period), "value": value, "known_at": known_at, "source": source}
            )
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
        return (
            f"mixed frequencies: {shown(text)} is a {other.name_en} period but series {sid} is "
            f"{indicator.frequency.name_en}"
        )
    return f"{exc}; series {sid} is {indicator.frequency.name_en}"


def _norm_unit(unit: str) -> str:
    return unit.lower().replace("µ", "u").replace("μ", "u").replace("³", "3").replace(" ", "")
