"""Durations (`30s`, `15m`, `1h30m`) and rates (`20/s`) as scenario files write them."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {
    "ms": timedelta(milliseconds=1),
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/\s*(s|m|h))?\s*$")

DURATION_HINT = "write a number and a unit: 500ms, 30s, 15m, 6h, 2d, 1w, or 1h30m"


def parse_duration(value: str | int | float) -> timedelta:
    """`"1h30m"` -> 1:30:00; a bare number means seconds. Raises ValueError with a hint."""
    if isinstance(value, bool):
        msg = f"bad duration {value!r}: {DURATION_HINT}"
        raise ValueError(msg)
    if isinstance(value, int | float):
        if value < 0:
            msg = f"bad duration {value!r}: a duration cannot be negative"
            raise ValueError(msg)
        return timedelta(seconds=value)
    text = value.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return timedelta(seconds=float(text))  # a bare number means seconds, as in YAML
    position, total = 0, timedelta()
    for match in _PART.finditer(text):
        if text[position : match.start()].strip():
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position == 0 or text[position:].strip():
        msg = f"bad duration {value!r}: {DURATION_HINT}"
        raise ValueError(msg)
    return total


def parse_rate(value: str | int | float) -> float:
    """`"20/s"` -> 20.0 per second; `"300/m"` -> 5.0; a bare number is per second."""
    if isinstance(value, bool):
        msg = f"bad rate {value!r}: write arrivals per second like 20/s, 300/m or 5"
        raise ValueError(msg)
    if isinstance(value, int | float):
        rate = float(value)
    else:
        match = _RATE.match(value)
        if match is None:
            msg = f"bad rate {value!r}: write arrivals per second like 20/s, 300/m or 5"
            raise ValueError(msg)
        per = {"s": 1.0, "m": 60.0, "h": 3600.0}[match.group(2) or "s"]
        rate = float(match.group(1)) / per
    if rate <= 0:
        msg = f"bad rate {value!r}: the rate must be above zero"
        raise ValueError(msg)
    return rate


def format_duration(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
