"""The number rule (defect 1): a cell is read as exactly the decimal it shows, or refused; never a guess."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.ingest.importer import ImportFailed, import_file

FULL_WIDTH = str.maketrans("0123456789.,-+%", "０１２３４５６７８９．，－＋％")


@pytest.mark.parametrize(
    "text, unit, value",
    [
        ("94.7", "", 94.7),
        (" 3 ", "", 3.0),
        ("-2.5", "", -2.5),
        ("\u22122.5", "", -2.5),
        (".5", "", 0.5),
        ("1e5", "", 1e5),
        ("1,234.5", "", 1234.5),
        ("1,234,567", "", 1234567.0),
        ("１２３．５", "", 123.5),
        ("94.7%", "%", 94.7),
        ("９４．７％", "%", 94.7),
        ("5‰", "‰", 5.0),
    ],
)
def test_accepted_notations(text, unit, value):
    from forecast.ingest.numbers import parse_number

    assert parse_number(text, unit) == value


@pytest.mark.parametrize(
    "text, unit, words",
    [
        ("9,5", "", "ambiguous"),  # was stored as 95
        ("44,6", "", "ambiguous"),  # was stored as 446
        ("1_0", "", "'_'"),  # was stored as 10 (Python's float accepts underscores)
        ("1,234", "", "ambiguous"),  # 1234 or 1.234: not decided for the planner
        ("9，5", "", "ambiguous"),
        ("12,34.5", "", "ambiguous"),
        ("94.7%", "", "ends in '%'"),  # a per-cent sign where the unit is not %: not 0.947, not 94.7
        ("94.7%", "µg/m³", "ends in '%'"),
        ("5‰", "%", "ends in '‰'"),
        ("10²", "", "'²'"),  # NFKC would read it as 102
        ("①", "", "'①'"),
        ("١٢", "", "'١'"),  # Arabic-Indic digits: float() accepts them
        ("1 234", "", "not a finite number"),
        ("nan", "", "not a finite number"),
        ("inf", "", "not a finite number"),
        ("1e400", "", "too large"),
        ("", "", "empty"),
        ("0x10", "", "not a finite number"),
        ("--1", "", "not a finite number"),
    ],
)
def test_refused_notations(text, unit, words):
    from forecast.ingest.numbers import NotANumber, parse_number

    with pytest.raises(NotANumber, match=words):
        parse_number(text, unit)


def test_a_decimal_comma_is_refused_with_file_row_and_column(store, tmp_path, indicators_yaml):
    path = tmp_path / "obs.csv"
    path.write_text('series_id,ds,y\nx:pm25,2014,"9,5"\nx:pm25,2015,1_0\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_file(store, path, indicators_yaml)
    where = [(p.file, p.row, p.column) for p in info.value.problems]
    assert where == [(str(path), 2, "y"), (str(path), 3, "y")]
    assert store.counts()["observations"] == 0


def _notations(value: Decimal, percent: bool):
    """Ways a file may write `value` under the rule, each meaning exactly `value`."""
    plain = format(value, "f")
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, _, frac = digits.partition(".")
    grouped = f"{int(whole):,}"
    forms = [plain, format(value, "E"), plain.translate(FULL_WIDTH)]
    if grouped.count(",") >= 2 or (grouped.count(",") == 1 and frac):
        forms.append(sign + grouped + ("." + frac if frac else ""))
    if percent:
        forms += [plain + "%", plain + " %", plain.translate(FULL_WIDTH) + "％"]
    return forms


decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False, places=4
)


@given(value=decimals, percent=st.booleans())
def test_every_allowed_notation_means_the_decimal_written(value, percent):
    from forecast.ingest.numbers import parse_number

    for text in _notations(value, percent):
        assert parse_number(text, "%" if percent else "") == float(value), text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.decimals(min_value=0, max_value=Decimal("100"), places=3), min_size=1, max_size=8),
    style=st.integers(0, 2),
)
def test_round_trip_through_a_file_stores_the_number_meant(store, tmp_path, indicators_yaml, values, style):
    """Write generated numbers in an allowed notation, import, compare what is stored: exactly the number."""
    path = tmp_path / f"rt-{style}.csv"
    rows = []
    for i, v in enumerate(values):
        forms = _notations(v, percent=True)
        rows.append(f'x:pass_rate,{1900 + i},"{forms[(style + i) % len(forms)]}"')
    path.write_text("series_id,ds,y,unit\n" + "\n".join(r + ",%" for r in rows) + "\n", encoding="utf-8")
    summary = import_file(store, path, indicators_yaml)
    stored = dict(store.observations("x:pass_rate"))
    if not summary.already_imported:
        assert [stored[str(1900 + i)] for i in range(len(values))] == [float(v) for v in values]
