"""Any bytes, as CSV or as XLSX: a clean import or a clean refusal (ImportFailed, nothing else), and after a
refusal the database file is byte for byte what it was."""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.ingest.importer import ImportFailed, import_file

HEADERS = ["series_id", "ds", "y", "unit", "known_at", "指标", "年份", "数值", "y", ""]
CELLS = [
    "x:pass_rate",
    "x:pm25",
    "x:pm25_monthly",
    "合格率",
    "2014",
    "2015-03",
    "0000",
    "2014Q1",
    "94.7",
    "9,5",
    "1_0",
    "1,234.5",
    "１２",
    "94%",
    "100.0000001",
    "-3",
    "nan",
    "",
    " ",
    "=A1",
    '"',
    "\n",
    "\x00",
    "%",
    "2099-01-01",
]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check(store, db, path, indicators_yaml):
    before_bytes, before_counts = _digest(db), store.counts()
    try:
        summary = import_file(store, path, indicators_yaml)
    except ImportFailed as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert len(str(exc)) < 21 * 400  # bounded, whatever the input
        assert _digest(db) == before_bytes and store.counts() == before_counts
    else:
        assert store.counts()["observations"] - before_counts["observations"] == summary.rows


csv_like = st.lists(st.lists(st.one_of(st.sampled_from(CELLS + HEADERS), st.text(max_size=6)), max_size=5), max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        csv_like.map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8")),
        st.tuples(
            st.sampled_from([b"series_id,ds,y\n", b"\xef\xbb\xbfseries_id;ds;y\n", b"series_id\tds\ty\n"]),
            st.binary(max_size=120),
        ).map(lambda t: t[0] + t[1]),
    ),
    encoding=st.sampled_from(["raw", "gb18030"]),
)
def test_any_bytes_as_csv_import_cleanly_or_refuse_cleanly(store, tmp_path, indicators_yaml, data, encoding):
    if encoding == "gb18030":
        data = data.decode("utf-8", "replace").encode("gb18030", "replace")
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    _check(store, tmp_path / "forecast.db", path, indicators_yaml)


def _xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


xlsx_cell = st.one_of(
    st.sampled_from(CELLS + HEADERS),
    st.integers(-10, 3000),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
    st.dates().map(lambda d: d),
    st.text(max_size=6),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(xlsx_cell, max_size=5), max_size=6),
    header=st.booleans(),
    damage=st.one_of(st.none(), st.tuples(st.integers(0, 4000), st.binary(min_size=1, max_size=40))),
)
def test_any_xlsx_imports_cleanly_or_refuses_cleanly(store, tmp_path, indicators_yaml, rows, header, damage):
    """Workbooks with any cells, and the same bytes damaged anywhere (a corrupt zip, a broken sheet)."""
    clean = []
    for row in rows:  # openpyxl refuses to write some strings at all (control characters)
        clean.append([c if not isinstance(c, str) or c.isprintable() else "?" for c in row])
    data = _xlsx_bytes(([["series_id", "ds", "y"]] if header else []) + clean)
    if damage is not None:
        at, junk = damage
        at %= len(data)
        data = data[:at] + junk + data[at + len(junk) :]
    path = tmp_path / "any.xlsx"
    path.write_bytes(data)
    _check(store, tmp_path / "forecast.db", path, indicators_yaml)


def test_a_damaged_sheet_inside_a_valid_zip_is_a_refusal(store, tmp_path, indicators_yaml):
    good = _xlsx_bytes([["series_id", "ds", "y"], ["x:pass_rate", 2014, 94.7]])
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    path = tmp_path / "half.xlsx"
    path.write_bytes(buf.getvalue())
    _check(store, tmp_path / "forecast.db", path, indicators_yaml)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=8),
    as_text=st.booleans(),
)
def test_xlsx_numbers_are_stored_exactly_as_the_cells_hold_them(store, tmp_path, indicators_yaml, values, as_text):
    """A number cell (or its shortest text in a text cell) is stored as exactly that float."""
    rows = [["series_id", "ds", "y"]] + [
        ["x:pass_rate", 1900 + i, repr(v) if as_text else v] for i, v in enumerate(values)
    ]
    path = tmp_path / "numbers.xlsx"
    path.write_bytes(_xlsx_bytes(rows))
    book = openpyxl.load_workbook(path, read_only=True)  # what the file holds (the writer may round subnormals)
    held = [row[2] for row in list(book.active.iter_rows(values_only=True))[1:]]
    book.close()
    held = [float(v) for v in held]
    summary = import_file(store, path, indicators_yaml)
    if not summary.already_imported:
        stored = dict(store.observations("x:pass_rate"))
        assert [stored[str(1900 + i)] for i in range(len(values))] == held
