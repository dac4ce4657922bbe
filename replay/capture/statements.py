"""The record of one SQL statement a step ran."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Statement:
    """One cursor execution, attributed to the code in the bot that caused it.

    `orm` says how the ORM came to run it: "query" (an explicit select), "lazy_load" (a
    relationship loaded on attribute access), "column_load" (a deferred or expired column),
    "eager" (a selectinload/subquery load: never an N+1), "flush" (written by a Session flush:
    an autoflush before a query, or an explicit flush or commit), or None for Core statements.
    """

    sql: str
    params: int
    ms: float
    call_site: str | None
    function: str | None
    orm: str | None = None
    rows: int | None = None
    error: str | None = None
    executemany: bool = False
    param_key: int | None = None  # hash of the parameters: equal keys mean a duplicate

    @property
    def is_select(self) -> bool:
        head = self.sql.lstrip()[:6].upper()
        return head == "SELECT" or head.startswith("WITH")
