"""Live handler statistics: time and SQL count per handler, from real traffic.

Off by default. With `PROFILE_HANDLERS=1` an inner middleware is added to every router of the
Dispatcher (inner middlewares see which handler matched); it times the handler and counts the
SQL statements it ran, for a `PROFILE_SAMPLE_RATE` fraction of updates. Times go into one
HdrHistogram per handler (microsecond resolution up to a minute, a few kilobytes each), so
memory stays bounded however long the bot runs. When off, nothing is installed at all.
"""

import random
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject
from hdrh.histogram import HdrHistogram  # type: ignore[import-untyped]
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

MAX_MICROSECONDS = 60_000_000
MAX_HANDLERS = 500  # new handler names past this are counted under "other"

_statements: ContextVar[list[int] | None] = ContextVar("bot_profile_statements", default=None)


@dataclass
class HandlerStat:
    histogram: HdrHistogram = field(default_factory=lambda: HdrHistogram(1, MAX_MICROSECONDS, 3))
    queries: int = 0

    @property
    def count(self) -> int:
        return int(self.histogram.get_total_count())

    def percentile_ms(self, percentile: float) -> float:
        return float(self.histogram.get_value_at_percentile(percentile)) / 1000

    @property
    def max_ms(self) -> float:
        return float(self.histogram.get_max_value()) / 1000

    @property
    def queries_per_call(self) -> float:
        return self.queries / self.count if self.count else 0.0


@dataclass(frozen=True, slots=True)
class StatRow:
    handler: str
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries_per_call: float


class HandlerStats:
    """Per-handler histograms; `record` is called by the middleware."""

    def __init__(self, sample_rate: float = 1.0, rng: random.Random | None = None) -> None:
        self.sample_rate = sample_rate
        self._rng = rng or random.Random()
        self._stats: dict[str, HandlerStat] = {}
        self.started = time.time()

    def sampled(self) -> bool:
        return self.sample_rate >= 1.0 or self._rng.random() < self.sample_rate

    def record(self, handler: str, microseconds: int, queries: int) -> None:
        if handler not in self._stats and len(self._stats) >= MAX_HANDLERS:
            handler = "other"
        stat = self._stats.setdefault(handler, HandlerStat())
        stat.histogram.record_value(max(1, min(microseconds, MAX_MICROSECONDS)))
        stat.queries += queries

    def reset(self) -> None:
        self._stats.clear()
        self.started = time.time()

    def rows(self, limit: int = 15) -> list[StatRow]:
        """The slowest handlers by p95, slowest first."""
        rows = [
            StatRow(
                name,
                s.count,
                s.percentile_ms(50),
                s.percentile_ms(95),
                s.max_ms,
                s.queries_per_call,
            )
            for name, s in self._stats.items()
            if s.count
        ]
        rows.sort(key=lambda row: -row.p95_ms)
        return rows[:limit]


def _handler_name(data: dict[str, Any]) -> str:
    handler: HandlerObject | None = data.get("handler")
    callback = getattr(handler, "callback", None)
    if callback is None:
        return "unknown"
    module = getattr(callback, "__module__", "") or ""
    name = getattr(callback, "__name__", None) or repr(callback)
    return f"{module.removeprefix('bot.handlers.')}.{name}" if module else name


class HandlerStatsMiddleware(BaseMiddleware):
    def __init__(self, stats: HandlerStats) -> None:
        self.stats = stats

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not self.stats.sampled():
            return await handler(event, data)
        counter: list[int] = [0]
        token = _statements.set(counter)
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            elapsed = int((time.perf_counter() - started) * 1_000_000)
            _statements.reset(token)
            self.stats.record(_handler_name(data), elapsed, counter[0])


def _count_statement(*_: Any) -> None:
    counter = _statements.get()
    if counter is not None:
        counter[0] += 1


def install(dispatcher: Dispatcher, engine: AsyncEngine, stats: HandlerStats) -> None:
    """Time every handler, and count the SQL each one runs.

    Inner middlewares of a router apply to its sub-routers too, so registering on the
    Dispatcher's own observers covers every handler exactly once.
    """
    middleware = HandlerStatsMiddleware(stats)
    for name, observer in dispatcher.observers.items():
        if name not in {"update", "error"}:
            observer.middleware(middleware)
    if not event.contains(engine.sync_engine, "after_cursor_execute", _count_statement):
        event.listen(engine.sync_engine, "after_cursor_execute", _count_statement)


def format_stats(stats: HandlerStats) -> str:
    """The `/profile_stats` answer (HTML)."""
    rows = stats.rows()
    minutes = (time.time() - stats.started) / 60
    head = (
        f"<b>Slowest handlers by p95</b> (last {minutes:.0f} min, "
        f"sample rate {stats.sample_rate:g})"
    )
    if not rows:
        return head + "\nNo handler has run yet."
    lines = [f"{'handler':<28} {'n':>5} {'p50':>6} {'p95':>6} {'max':>6} {'SQL':>4}"]
    lines += [
        f"{row.handler[-28:]:<28} {row.count:>5} {row.p50_ms:>6.1f} {row.p95_ms:>6.1f} "
        f"{row.max_ms:>6.1f} {row.queries_per_call:>4.1f}"
        for row in rows
    ]
    return head + "\n<pre>" + escape("\n".join(lines)) + "</pre>\ntimes in ms; SQL per call"
