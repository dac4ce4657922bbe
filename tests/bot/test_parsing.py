import pytest

from bot.parsing import (
    InputError,
    format_price,
    format_wait_time,
    parse_plan_days,
    parse_plan_name,
    parse_price,
    parse_wait_time,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30m", 1800),
        ("2h", 7200),
        ("1d", 86400),
        ("45", 2700),
        ("0", 0),
        (" 2H ", 7200),
        ("90s", 90),
        ("30d", 30 * 86400),
        ("43200", 30 * 86400),
    ],
)
def test_parse_wait_time_accepts_units_and_bare_minutes(text: str, seconds: int) -> None:
    assert parse_wait_time(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.5h", "2w", "h", "31d", "43201", "1h30m"])
def test_parse_wait_time_rejects_with_an_explanation(text: str) -> None:
    with pytest.raises(InputError, match="30m"):
        parse_wait_time(text)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0m"), (1800, "30m"), (3600, "1h"), (90000, "1d 1h"), (90, "1m 30s")]
)
def test_format_wait_time(seconds: int, text: str) -> None:
    assert format_wait_time(seconds) == text


def test_format_wait_time_round_trips_through_the_parser() -> None:
    for text in ("30m", "2h", "1d"):
        assert format_wait_time(parse_wait_time(text)) == text


def test_plan_name_is_stripped_and_bounded() -> None:
    assert parse_plan_name("  gold ") == "gold"
    assert parse_plan_name("x" * 32) == "x" * 32
    for bad in ("", "   ", "x" * 33, "two\nlines"):
        with pytest.raises(InputError):
            parse_plan_name(bad)


def test_plan_days_must_be_an_integer_from_1_to_3650() -> None:
    assert parse_plan_days("1") == 1
    assert parse_plan_days(" 3650 ") == 3650
    for bad in ("0", "3651", "-1", "1.5", "ten", ""):
        with pytest.raises(InputError):
            parse_plan_days(bad)


def test_price_is_parsed_to_cents() -> None:
    assert parse_price("9.99") == 999
    assert parse_price("10") == 1000
    assert parse_price("0") == 0
    assert parse_price("4,50") == 450
    for bad in ("-1", "abc", "1.999", "nan", "inf", ""):
        with pytest.raises(InputError):
            parse_price(bad)


def test_format_price() -> None:
    assert format_price(999) == "9.99"
    assert format_price(5) == "0.05"
