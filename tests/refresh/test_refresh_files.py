"""A bad file never blocks a good one: corrupt, linked, oversized or hostile-named drop files are each
rejected with a reason while the good file beside them is imported (exit 3); SQL sources name a missing
variable and touch nothing. No plan is run here (`plans: []`), so these refreshes are quick."""

from __future__ import annotations

import os
import zipfile

import openpyxl
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.refresh.config import SqlSource, load_config
from forecast.refresh.job import EXIT_PARTIAL, run_refresh
from forecast.refresh.sources import read_sql
from forecast.store import Store
from forecast.workspace import Workspace

INDICATORS = "indicators:\n  - {id: 't:pass', unit: '%', direction: higher, lower: 0, upper: 100}\n"
GOOD = "series_id,ds,y\nt:pass,2020,90.5\nt:pass,2021,91.0\n"


def _setup(tmp_path):
    ws = Workspace(tmp_path / "ws").ensure()
    store = Store(ws.db_url)
    (tmp_path / "indicators.yaml").write_text(INDICATORS, encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = tmp_path / "refresh.yaml"
    config.write_text("drop_folder: inbox\nindicators: indicators.yaml\nplans: []\ntrack: false\n", encoding="utf-8")
    return ws, store, inbox, config


def _huge_cell_xlsx(path):
    book = openpyxl.Workbook()
    book.active.append(["series_id", "ds", "y"])
    book.active.append(["t:pass", 2022, "PLACEHOLDER"])
    small = path.with_suffix(".tmp")
    book.save(small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename).replace(b"PLACEHOLDER", b"9" * (80 * 2**20))
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    small.unlink()


def test_bad_files_beside_a_good_one_are_rejected_with_reasons_and_the_good_one_imported(tmp_path):
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    (inbox / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(500))  # defect 2: stopped every refresh
    outside = tmp_path / "outside.csv"
    outside.write_text("series_id,ds,y\nt:pass,2019,50\n", encoding="utf-8")
    (inbox / "link.csv").symlink_to(outside)  # defect 6: was followed and imported
    (inbox / "passwd.csv").symlink_to("/etc/passwd")
    (inbox / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    _huge_cell_xlsx(inbox / "huge.xlsx")  # defect 4: 80 MB written into summaries and a database row
    (inbox / "cell.csv").write_text("series_id,ds,y\nt:pass,2023," + "7" * 100_000 + "\n", encoding="utf-8")
    os.mkfifo(inbox / "pipe.csv")

    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == EXIT_PARTIAL
    assert store.observations("t:pass") == [("2020", 90.5), ("2021", 91.0)]  # the good file only
    rejected = {r["file"]: r["problems"] for r in outcome.summary["rejected"]}
    assert set(rejected) == {
        "corrupt.xlsx",
        "link.csv",
        "passwd.csv",
        "dangling.csv",
        "huge.xlsx",
        "cell.csv",
        "pipe.csv",
    }
    assert "not a readable XLSX workbook" in rejected["corrupt.xlsx"][0]
    assert all("symbolic link" in rejected[n][0] for n in ("link.csv", "passwd.csv", "dangling.csv"))
    assert "above the limit" in rejected["huge.xlsx"][0] and "above the limit" in rejected["cell.csv"][0]
    assert "not a regular file" in rejected["pipe.csv"][0]
    moved = ws.root.parent / "inbox" / "rejected" / outcome.refresh_id
    assert sorted(p.name for p in moved.iterdir() if not p.name.endswith(".reason.txt")) == sorted(rejected)
    assert (moved / "link.csv").is_symlink() and outside.read_text().startswith(
        "series_id"
    )  # the link moved, not its target
    assert "symbolic link" in (moved / "link.csv.reason.txt").read_text(encoding="utf-8")
    for written in [*ws.root.rglob("summary.*"), *moved.glob("*.reason.txt")]:
        assert written.stat().st_size < 20_000, written
    assert list(inbox.iterdir()) and not [p for p in inbox.iterdir() if p.name not in ("processed", "rejected")]


def _rejected(outcome) -> dict:
    return {r["file"]: r["problems"] for r in outcome.summary["rejected"]}


def test_a_corrupt_xlsx_is_rejected_and_the_good_file_beside_it_imported(tmp_path):
    """Defect 2: `PK\\x03\\x04` and garbage stopped every refresh with BadZipFile, naming no file."""
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    (inbox / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"garbage" * 70)
    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == EXIT_PARTIAL and store.observations("t:pass") == [("2020", 90.5), ("2021", 91.0)]
    assert list(_rejected(outcome)) == ["corrupt.xlsx"]
    assert (inbox / "rejected" / outcome.refresh_id / "corrupt.xlsx.reason.txt").is_file()


def test_links_in_the_drop_folder_are_rejected_unread(tmp_path):
    """Defect 6: a link to a CSV outside the folder was imported, a link to /etc/passwd was read."""
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    outside = tmp_path / "outside.csv"
    outside.write_text("series_id,ds,y\nt:pass,2019,50\n", encoding="utf-8")
    (inbox / "link.csv").symlink_to(outside)
    (inbox / "passwd.csv").symlink_to("/etc/passwd")
    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == EXIT_PARTIAL and store.observations("t:pass") == [("2020", 90.5), ("2021", 91.0)]
    rejected = _rejected(outcome)
    assert set(rejected) == {"link.csv", "passwd.csv"} and all("symbolic link" in p[0] for p in rejected.values())
    assert "root" not in str(outcome.summary)


def test_an_oversized_cell_is_rejected_with_a_short_reason(tmp_path):
    """Defect 4: one huge cell was echoed whole into five summary files and a database row."""
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    _huge_cell_xlsx(inbox / "huge.xlsx")
    (inbox / "cell.csv").write_text("series_id,ds,y\nt:pass,2023," + "7" * 100_000 + "\n", encoding="utf-8")
    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == EXIT_PARTIAL and store.observations("t:pass") == [("2020", 90.5), ("2021", 91.0)]
    assert set(_rejected(outcome)) == {"huge.xlsx", "cell.csv"}
    for written in [*ws.root.rglob("summary.*"), *(inbox / "rejected").rglob("*.reason.txt")]:
        assert written.stat().st_size < 20_000, written
    with store.engine.connect() as conn:
        assert len(str(conn.exec_driver_sql("select summary from refreshes").all())) < 20_000


def test_cli_refresh_exits_3_on_a_corrupt_xlsx_and_imports_the_good_file(tmp_path):
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    (inbox / "corrupt.xlsx").write_bytes(b"PK\x03\x04garbage")
    result = CliRunner().invoke(app, ["--workspace", str(ws.root), "refresh", "--config", str(config)])
    assert result.exit_code == 3, result.output
    assert "rejected corrupt.xlsx" in result.output and "BadZipFile" not in result.output
    assert store.observations("t:pass") == [("2020", 90.5), ("2021", 91.0)]


def test_summary_md_escapes_file_names_and_keeps_lines(tmp_path):
    """Defect 7: a file named like HTML appeared raw, and a newline in a name broke the summary's lines."""
    ws, store, inbox, config = _setup(tmp_path)
    (inbox / "good.csv").write_text(GOOD, encoding="utf-8")
    hostile = ["<img src=x onerror=alert(1)>.csv", "two\nlines.csv", "[click](javascript:x).csv"]
    for name in hostile:
        (inbox / name).write_text("series_id,ds,y\nt:pass,2022,x\n", encoding="utf-8")
    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == EXIT_PARTIAL
    text = (ws.root / "refresh" / outcome.refresh_id / "summary.md").read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;.csv" in text
    assert "[click](" not in text and "\\[click\\](javascript" in text
    problems = text.split("## Problems")[1]
    assert [line for line in problems.splitlines() if line.startswith("lines.csv")] == []
    assert "two lines.csv" in problems
    assert all("\n" not in line for line in outcome.lines)
    assert not any("\n" in line and "lines.csv" in line for line in outcome.lines)


def test_sql_source_with_a_missing_variable_names_it_and_creates_nothing(tmp_path, monkeypatch):
    """Defect 8: `${VAR}` unset was kept as literal text and an empty file of that name was created."""
    ws, store, _, _ = _setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORECAST_TEST_DB", raising=False)
    before = sorted(p.name for p in tmp_path.iterdir())
    found = read_sql(store, SqlSource(name="stats", url="sqlite:///${FORECAST_TEST_DB}", query="select 1"), {})
    assert found.error and "FORECAST_TEST_DB is not set" in found.error
    missing = read_sql(store, SqlSource(name="stats", url="sqlite:///no-such.db", query="select 1"), {})
    assert missing.error and "does not exist" in missing.error
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_workbook_with_other_sheets_is_imported_and_the_summary_says_which_sheet_was_read(tmp_path):
    """Defect 12: other sheets were ignored without a word."""
    ws, store, inbox, config = _setup(tmp_path)
    book = openpyxl.Workbook()
    book.active.title = "数据"
    book.active.append(["series_id", "ds", "y"])
    book.active.append(["t:pass", 2022, 92.5])
    book.create_sheet("说明").append(["notes for the reader"])
    book.save(inbox / "two-sheets.xlsx")
    outcome = run_refresh(ws, store, load_config(config))
    assert outcome.exit_code == 0 and store.observations("t:pass") == [("2022", 92.5)]
    (source,) = outcome.summary["new_data"]["sources"]
    assert source["notes"] == ["read sheet '数据'; other sheets not read: 说明 (choose one with --sheet)"]
    text = (ws.root / "refresh" / outcome.refresh_id / "summary.md").read_text(encoding="utf-8")
    assert "- two-sheets.xlsx: read sheet '数据'; other sheets not read: 说明" in text
    assert any("other sheets not read" in line for line in outcome.lines)
