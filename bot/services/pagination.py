"""A page of rows, as the admin lists show them."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 10

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):  # noqa: UP046 - the bot targets Python 3.11
    """``items`` of page ``number`` (0-based) out of ``total`` rows."""

    items: Sequence[T]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return (self.number + 1) * self.size < self.total

    @property
    def offset(self) -> int:
        return self.number * self.size


def clamp_page(number: int) -> int:
    """Callback data comes from the client: never trust a negative page."""
    return max(0, number)
