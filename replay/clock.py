"""The process clock that `advance:` moves, through time-machine.

Nothing is patched until the first `advance:`, so runs without one pay no overhead. The clock
ticks on from wherever it was moved to. `time.monotonic` and `perf_counter` are never
moved: asyncio's timers and replay's own measurements stay real.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import time_machine


class Clock:
    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None
        self.shifted = timedelta()

    def advance(self, delta: timedelta) -> None:
        if self._traveller is None:
            import time_machine  # imports pytest too: only when a scenario moves the clock

            self._travel = time_machine.travel(datetime.now(UTC) + delta, tick=True)
            self._traveller = self._travel.start()
        else:
            self._traveller.shift(delta)
        self.shifted += delta

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
        self._travel = None
        self._traveller = None
