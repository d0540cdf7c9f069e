"""Numbers and dates as people type them (app.engine.numbers)."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from app.engine.numbers import parse_date, parse_number


@pytest.mark.parametrize("text,kind,unit,expected", [
    ("150", "money", "万元", 150),
    ("150万", "money", "万元", 150),          # 万 in a 万元 field is the field's own unit
    ("30万元", "money", "万元", 30),
    ("1亿", "money", "万元", 10000),
    ("1.5亿", "money", "万元", 15000),
    ("5000元", "money", "万元", 0.5),          # yuan
    ("5千", "money", "万元", 0.5),
    ("CNY 300,000", "money", "万元", 30),
    ("¥5000", "money", "万元", 0.5),
    ("300000 yuan", "money", "万元", 30),
    ("150", "money", "", 150),                 # a money fact without a unit is in 万元
    ("1,000", "int", "人", 1000),
    ("１２３", "int", "", 123),                 # full-width digits
    ("１，２００", "int", "人", 1200),           # full-width comma
    ("８人", "int", "人", 8),
    ("1万", "int", "人", 10000),               # a count: 万 multiplies
    ("1.5万", "int", "人", 15000),
    ("2024年", "int", "年", 2024),
    (" 8 ", "int", "人", 8),
    ("约 8", "int", "人", 8),
    ("30万元/亩", "number", "万元/亩", 30),
    ("30", "number", "万元/亩", 30),
    ("2.5", "number", "", 2.5),
    ("0", "int", "人", 0),
    ("12.", "money", "万元", 12),
    ("8\u200b", "int", "人", 8),               # a pasted zero-width space
    ("8\r\n", "int", "人", 8),                  # pasted from a spreadsheet cell
    ("\x00１5\t0", "money", "万元", 150),        # control characters and a tab dropped
])
def test_accepted(text, kind, unit, expected):
    value = parse_number(text, kind, unit)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text,kind,unit,key", [
    ("", "int", "人", "ui.input.empty"),
    ("   ", "money", "万元", "ui.input.empty"),
    ("abc", "int", "人", "ui.input.not_number"),
    ("八", "int", "人", "ui.input.not_number"),
    ("1,00", "int", "人", "ui.input.not_number"),   # not a thousands separator
    ("-5", "int", "人", "ui.input.negative"),
    ("1.5", "int", "人", "ui.input.not_whole"),
    ("5000元", "int", "人", "ui.input.bad_unit"),   # yuan are not people
    ("8kg", "int", "人", "ui.input.bad_unit"),
    ("1" + "0" * 20, "money", "万元", "ui.input.too_large"),
    ("9" * 400, "int", "人", "ui.input.too_large"),      # absurdly long
    ("\x1b[31m8", "int", "人", "ui.input.not_number"),  # a pasted terminal escape: refused, said
    ("1e9", "int", "人", "ui.input.bad_unit"),           # no exponents
])
def test_refused_with_a_message_key(text, kind, unit, key):
    with pytest.raises(ValueError) as exc:
        parse_number(text, kind, unit)
    assert exc.value.args[0] == key


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators_and_full_width_round_trip(n):
    assert parse_number(f"{n:,}", "int", "人") == n
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full, "int", "人") == n


@given(st.text(max_size=20))
def test_never_crashes(text):
    try:
        parse_number(text, "money", "万元")
    except ValueError as exc:
        assert exc.args[0].startswith("ui.input.")


@pytest.mark.parametrize("text", ["2019-05-01", "2019/5/1", "2019.05.01", "2019年5月1日", "20190501",
                                  "２０１９－０５－０１", "2019年5月1号"])
def test_dates(text):
    assert parse_date(text) == dt.date(2019, 5, 1)


@pytest.mark.parametrize("text,key", [
    ("2019-02-30", "ui.input.no_such_date"),
    ("2019年5月", "ui.input.need_day"),
    ("2019", "ui.input.need_day"),
    ("yesterday", "ui.input.not_date"),
    ("", "ui.input.empty"),
    ("2030-01-01", "ui.input.future_date"),
])
def test_bad_dates(text, key):
    with pytest.raises(ValueError) as exc:
        parse_date(text, latest=dt.date(2026, 11, 22))
    assert exc.value.args[0] == key
