"""Parsers for what people type: wait times, plan names, days and prices.

Each parser returns the value or raises :class:`InputError` whose message explains what is
accepted, so a dialog can show it and ask again. The config reads ``FREE_WAIT`` with the same
parser the admin panel uses.
"""

import re
from decimal import Decimal, InvalidOperation

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
MAX_WAIT_SECONDS = 30 * DAY
MAX_PLAN_NAME_LENGTH = 32
MIN_PLAN_DAYS = 1
MAX_PLAN_DAYS = 3650
MAX_PRICE_CENTS = 100_000_000

_WAIT_RE = re.compile(r"^(\d+)\s*([smhd]?)$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": MINUTE, "h": HOUR, "d": DAY, "": MINUTE}
WAIT_FORMAT_HINT = 'Use "30m", "2h", "1d" or a number of minutes, from 0 up to 30 days.'


class InputError(ValueError):
    """A value typed by a person (or set in the environment) is not acceptable."""


def parse_wait_time(text: str) -> int:
    """Parse a wait time such as ``"30m"``, ``"2h"``, ``"1d"`` or ``"45"`` (minutes) to seconds.

    >>> parse_wait_time("2h")
    7200
    """
    match = _WAIT_RE.match(text.strip())
    if match is None:
        msg = f"{text.strip()!r} is not a wait time. {WAIT_FORMAT_HINT}"
        raise InputError(msg)
    amount, unit = match.groups()
    seconds = int(amount) * _UNIT_SECONDS[unit.lower()]
    if seconds > MAX_WAIT_SECONDS:
        msg = f"{text.strip()!r} is longer than 30 days. {WAIT_FORMAT_HINT}"
        raise InputError(msg)
    return seconds


def format_wait_time(seconds: int) -> str:
    """Format seconds compactly: ``"1d 2h"``, ``"30m"``, ``"0m"``."""
    parts: list[str] = []
    remainder = seconds
    for unit, size in (("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", 1)):
        amount, remainder = divmod(remainder, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return " ".join(parts) or "0m"


def parse_plan_name(text: str) -> str:
    """Check a new plan's name: not empty, at most 32 characters, one line."""
    name = text.strip()
    if not name:
        msg = "The name cannot be empty."
        raise InputError(msg)
    if len(name) > MAX_PLAN_NAME_LENGTH:
        msg = f"The name is {len(name)} characters long; the limit is {MAX_PLAN_NAME_LENGTH}."
        raise InputError(msg)
    if "\n" in name:
        msg = "The name must fit on one line."
        raise InputError(msg)
    return name


def parse_plan_days(text: str) -> int:
    """Parse a plan's duration: a whole number of days from 1 to 3650."""
    value = text.strip()
    if not value.isdigit():
        msg = f"Send a whole number of days from {MIN_PLAN_DAYS} to {MAX_PLAN_DAYS}."
        raise InputError(msg)
    days = int(value)
    if not MIN_PLAN_DAYS <= days <= MAX_PLAN_DAYS:
        msg = f"{days} is out of range: send a number from {MIN_PLAN_DAYS} to {MAX_PLAN_DAYS}."
        raise InputError(msg)
    return days


def parse_price(text: str) -> int:
    """Parse a non-negative price such as ``"9.99"`` or ``"10"`` into cents."""
    value = text.strip().replace(",", ".")
    try:
        price = Decimal(value)
    except InvalidOperation:
        price = Decimal("NaN")
    if not price.is_finite() or price < 0:
        msg = 'Send a non-negative number such as "9.99" or "0".'
        raise InputError(msg)
    cents = price * 100
    if cents != cents.to_integral_value():
        msg = "Prices have at most two decimal places."
        raise InputError(msg)
    if cents > MAX_PRICE_CENTS:
        msg = "That price is too high."
        raise InputError(msg)
    return int(cents)


def format_price(cents: int) -> str:
    """Format cents as ``"9.99"``."""
    return f"{cents // 100}.{cents % 100:02d}"
