"""A watchdog for steps that block the event loop.

asyncio can only time out a step that awaits. A handler that blocks (a `time.sleep`, a
synchronous HTTP call, a CPU-bound loop) never gives the loop a chance, and the run would hang
for good. A real-time timer (SIGALRM, main thread, POSIX) fires a little after the step's
timeout; if the main thread is then busy in code rather than waiting in the selector, the
handler raises `StepBlocked` right there, in the blocking code, which fails the step with the
place it was stuck at. While the loop is idle the alarm does nothing: asyncio's own timeout
handles steps that await.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from replay.errors import ReplayError

GRACE = 1.0  # seconds after the step's timeout before the alarm looks


class StepBlocked(ReplayError):
    """The step kept the event loop busy past its timeout."""


def _idle(frame: FrameType | None) -> bool:
    """True when the main thread waits in the event loop's selector (nothing is blocked)."""
    depth = 0
    while frame is not None and depth < 4:
        name = frame.f_code.co_filename
        if name.endswith("selectors.py") or name.endswith("base_events.py"):
            return True
        frame = frame.f_back
        depth += 1
    return False


@contextmanager
def watch(seconds: float) -> Iterator[None]:
    """Raise StepBlocked in blocking code still running `seconds` (+ grace) from now."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> Any:
        if _idle(frame):
            signal.setitimer(signal.ITIMER_REAL, 0.5)  # look again shortly
            return
        msg = f"the step blocked the event loop for more than {seconds:g} s"
        raise StepBlocked(msg)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds + GRACE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
