"""Files as planners have them: Chinese headers, a column mapping, a title row above the header, `;` and tab
delimiters; and the defects found probing the importer (duplicate columns, XLSX gaps, unbounded echo)."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from forecast.cli.main import app
from forecast.ingest.importer import ImportFailed, import_file, read_table

MAX_CELL_CHARS = 1000  # README, Limits

runner = CliRunner()


def write(tmp_path, text, name="obs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def workbook(tmp_path, sheets: dict, name="obs.xlsx"):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def test_chinese_headers_are_understood(store, tmp_path, indicators_yaml):
    path = write(
        tmp_path,
        "指标,年份,数值,地区,单位,来源\nx:pass_rate,2014,94.7,全国,%,国家统计局\n"
        "x:pass_rate,2015,96.8,全国,%,国家统计局\n",
    )
    summary = import_file(store, path, indicators_yaml)
    assert summary.rows == 2 and not summary.ignored_columns
    assert store.observations("x:pass_rate") == [("2014", 94.7), ("2015", 96.8)]
    assert store.provenance("x:pass_rate")["sources"] == ["国家统计局"]


def test_a_series_may_be_named_by_its_chinese_name(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "指标,年份,数值\n合格率,2014,94.7\n")
    import_file(store, path, indicators_yaml)
    assert store.observations("x:pass_rate") == [("2014", 94.7)]


def test_column_mapping_for_any_other_layout(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "指标名称,统计年度,值,备注\nx:pass_rate,2014,94.7,初步\n")
    with pytest.raises(ImportFailed, match="columns seen on row 1: 指标名称, 统计年度, 值, 备注"):
        import_file(store, path, indicators_yaml)
    from forecast.ingest.importer import parse_columns

    summary = import_file(store, path, indicators_yaml, columns=parse_columns("series_id=指标名称,ds=统计年度,y=值"))
    assert summary.rows == 1 and summary.ignored_columns == ["备注"]
    result = runner.invoke(
        app,
        [
            "--workspace",
            str(tmp_path / "ws"),
            "data",
            "import",
            str(path),
            "-i",
            str(indicators_yaml),
            "--columns",
            "series_id=指标名称,ds=统计年度,y=值",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "imported 1 observations" in result.output


@pytest.mark.parametrize(
    "text, words",
    [
        ("y=值,y=数", "names y twice"),
        ("value=值", "not a column the importer reads"),
        ("series_id", "NAME=HEADER"),
    ],
)
def test_bad_column_mappings_are_refused(text, words):
    from forecast.ingest.importer import parse_columns

    with pytest.raises(ValueError, match=words):
        parse_columns(text)


def test_a_mapped_header_that_is_absent_lists_the_columns_seen(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\nx:pass_rate,2014,94.7\n")
    with pytest.raises(ImportFailed, match="columns seen: series_id, ds, y"):
        import_file(store, path, indicators_yaml, columns={"source": "数据来源"})


def test_missing_column_error_lists_the_columns_seen(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,when,y\nx:pass_rate,2014,95\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    (problem,) = info.value.problems
    assert problem.column == "ds" and "columns seen: series_id, when, y" in problem.message


def test_header_below_a_title_row_is_found(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "2014-2015年合格率统计表,,\n,,\nseries_id,ds,y\nx:pass_rate,2014,94.7\nx:pass_rate,2015,x\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    assert [(p.row, p.column) for p in info.value.problems] == [(5, "y")]  # the row a spreadsheet shows
    path = write(tmp_path, "2014-2015年合格率统计表,,\n,,\nseries_id,ds,y\nx:pass_rate,2014,94.7\n")
    summary = import_file(store, path, indicators_yaml)
    assert summary.rows == 1 and any("header on row 3" in n for n in summary.notes)


def test_a_header_that_is_not_found_is_located(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "表1 合格率\n说明: 单位 %\nseries_id,年度,y\nx:pass_rate,2014,94.7\n")
    with pytest.raises(ImportFailed, match="the header seems to be on row 3"):
        import_file(store, path, indicators_yaml)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters_are_detected(store, tmp_path, indicators_yaml, delimiter):
    text = delimiter.join(["series_id", "ds", "y"]) + "\n" + delimiter.join(["x:pass_rate", "2014", "94.7"]) + "\n"
    summary = import_file(store, write(tmp_path, text), indicators_yaml)
    assert summary.rows == 1 and store.observations("x:pass_rate") == [("2014", 94.7)]
    assert any("separated" in n for n in summary.notes)


def test_a_semicolon_file_with_decimal_commas_is_refused_never_misread(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id;ds;y\nx:pass_rate;2014;94,7\n")
    with pytest.raises(ImportFailed, match="ambiguous"):
        import_file(store, path, indicators_yaml)


# -- defect 5: duplicate column names --------------------------------------------------------------


@pytest.mark.parametrize("header", ["series_id,ds,y,y", "series_id,ds,y,数值"])
def test_duplicate_columns_are_refused(store, tmp_path, indicators_yaml, header):
    path = write(tmp_path, header + "\nx:pass_rate,2014,94.7,50\n")
    with pytest.raises(ImportFailed, match="keep one") as info:
        import_file(store, path, indicators_yaml)
    assert info.value.problems[0].row == 1
    assert store.counts()["observations"] == 0


# -- defect 12: rows with extra fields, year 0000, 100.0000001, XLSX gaps ----------------------------


def test_a_row_with_extra_fields_says_so(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\nx:pass_rate,2014,94,7\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    (problem,) = info.value.problems
    assert problem.row == 2 and "4 cells but the header has 3 columns" in problem.message
    assert "unknown indicator" not in str(info.value)


def test_year_zero_and_a_value_just_above_the_bound_are_told_plainly(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\nx:pass_rate,0000,94\nx:pass_rate,2015,100.0000001\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    first, second = info.value.problems
    assert "year 0000 is outside" in first.message
    assert "100.0000001 is above the upper bound 100" in second.message


def test_known_at_in_the_future_is_refused(store, tmp_path, indicators_yaml):
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = write(tmp_path, f"series_id,ds,y,known_at\nx:pass_rate,2014,94,{later}\n")
    with pytest.raises(ImportFailed, match="in the future"):
        import_file(store, path, indicators_yaml)


def test_xlsx_date_cells_are_periods(store, tmp_path, indicators_yaml):
    path = workbook(
        tmp_path,
        {
            "data": [
                ("series_id", "ds", "y", "known_at"),
                ("x:pass_rate", dt.datetime(2014, 1, 1), 94.7, dt.datetime(2015, 3, 1)),
                ("x:pm25_monthly", dt.datetime(2015, 3, 1), 41.5, None),
            ]
        },
    )
    assert import_file(store, path, indicators_yaml).rows == 2
    assert store.observations("x:pm25_monthly") == [("2015-03", 41.5)]


def test_xlsx_other_sheets_are_named_and_one_can_be_chosen(store, tmp_path, indicators_yaml):
    path = workbook(
        tmp_path, {"说明": [("本表为测试",)], "数据": [("series_id", "ds", "y"), ("x:pass_rate", 2014, 94.7)]}
    )
    with pytest.raises(ImportFailed, match="no header row found"):
        import_file(store, path, indicators_yaml)
    summary = import_file(store, path, indicators_yaml, sheet="数据")
    assert summary.rows == 1 and any("other sheets not read: 说明" in n for n in summary.notes)
    with pytest.raises(ImportFailed, match="no sheet 'Sheet9'"):
        read_table(path, sheet="Sheet9")


def test_xlsx_formula_without_a_saved_value_says_it_is_a_formula(store, tmp_path, indicators_yaml):
    path = workbook(tmp_path, {"data": [("series_id", "ds", "y"), ("x:pass_rate", 2014, "=90+4.7")]})
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "C") and "formula =90+4.7 has no saved value" in problem.message


# -- defect 4: limits, and messages that never echo a huge cell -------------------------------------


def test_an_oversized_csv_cell_is_refused_with_a_short_message(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\nx:pass_rate,2014," + "9" * 200_000 + "\n")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    assert len(str(info.value)) < 600


def test_a_long_cell_is_refused_and_not_echoed(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\nx:pass_rate,2014," + "1" * (MAX_CELL_CHARS + 1) + "\n")
    with pytest.raises(ImportFailed, match="above the limit") as info:
        import_file(store, path, indicators_yaml)
    assert len(str(info.value)) < 600


def test_an_xlsx_that_unpacks_to_a_huge_cell_is_refused_before_it_is_read(store, tmp_path, indicators_yaml):
    """A small file holding one 60 MB cell: refused from the zip directory, in little memory and a short message."""
    path = workbook(tmp_path, {"data": [("series_id", "ds", "y"), ("x:pass_rate", 2014, "PLACEHOLDER")]})
    huge = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"PLACEHOLDER" in data:
                data = data.replace(b"PLACEHOLDER", b"7" * (60 * 2**20))
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    assert huge.stat().st_size < 1_000_000
    with pytest.raises(ImportFailed, match="unpacks to 60 MB, above the limit") as info:
        import_file(store, huge, indicators_yaml)
    assert len(str(info.value)) < 600


def test_many_problems_are_listed_up_to_a_limit(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "series_id,ds,y\n" + "".join(f"x:pass_rate,{1900 + i},bad\n" for i in range(100)))
    with pytest.raises(ImportFailed, match=r"\.\.\. and 80 more") as info:
        import_file(store, path, indicators_yaml)
    assert len(str(info.value).splitlines()) == 22


def test_cli_prints_notes_and_refuses_a_corrupt_xlsx_without_a_traceback(tmp_path, indicators_yaml):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    result = runner.invoke(
        app, ["--workspace", str(tmp_path / "ws"), "data", "import", str(bad), "-i", str(indicators_yaml)]
    )
    assert result.exit_code == 1 and "not a readable XLSX workbook" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_values_above_the_header_are_never_skipped(store, tmp_path, indicators_yaml):
    path = write(tmp_path, "x:pass_rate,2013,93.1\nseries_id,ds,y\nx:pass_rate,2014,94.7\n")
    with pytest.raises(ImportFailed, match="row 1 is above the header"):
        import_file(store, path, indicators_yaml)
