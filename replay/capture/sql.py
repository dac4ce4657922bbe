"""SQL capture: every statement of every engine, routed to the step that caused it.

Listeners are registered once, on SQLAlchemy's `Engine` and `Session` classes, so they see
every engine the bot creates (an `AsyncEngine` runs on a sync `Engine` underneath) without
replay knowing about it; `event.remove` is slow and cannot run while an event fires, so they
are never removed. When no step is running, or the running one does not capture SQL, a
listener costs one ContextVar read.

The statement is routed by the `current_probe` ContextVar. Under asyncio the listeners run in
SQLAlchemy's greenlet, which carries the calling task's context, so this is right under
concurrency; only work pushed to `run_in_executor` loses it. The call site is the innermost
frame of the bot's own code: the sync frames first, then, for async engines, the frames of the
greenlet parent that awaits the statement.
"""

from __future__ import annotations

import sys
import threading
from contextvars import ContextVar
from time import perf_counter
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

from replay.capture.statements import Statement
from replay.probe import StepProbe, current_probe
from replay.project import Project

try:  # greenlet comes with sqlalchemy[asyncio]; sync-only installs may lack it
    from greenlet import getcurrent  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover
    getcurrent = None

_ORM_KIND = "_replay_orm_kind"
_START = "_replay_start"
_PROBE = "_replay_probe"

# The Session flushing in this context, set by `before_flush`: statements run meanwhile are
# the flush's (an autoflush before a query, or a flush/commit), not the query's that caused it.
_flushing: ContextVar[Session | None] = ContextVar("replay_flushing", default=None)

_install_lock = threading.Lock()
_installed = False
_project = Project.current()


def set_project(project: Project) -> None:
    """Call sites are shown relative to this project (default: the working directory)."""
    global _project  # noqa: PLW0603 - one setting for the process-wide listeners
    _project = project


def install() -> None:
    """Register the listeners (idempotent, process-wide)."""
    global _installed  # noqa: PLW0603 - listeners are registered once per process
    with _install_lock:
        if _installed:
            return
        event.listen(Engine, "before_cursor_execute", _before_cursor_execute)
        event.listen(Engine, "after_cursor_execute", _after_cursor_execute)
        event.listen(Engine, "handle_error", _handle_error)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush_postexec", _after_flush)
        # A failed flush rolls its transaction back instead of reaching after_flush_postexec.
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        _installed = True


def installed() -> bool:
    return _installed


def _do_orm_execute(state: ORMExecuteState) -> None:
    probe = current_probe.get()
    if probe is None or not probe.capture_sql:
        return
    if not state.is_select:
        return  # flushes and bulk writes: the cursor events still count them
    if state.lazy_loaded_from is not None:
        kind = "lazy_load"
    elif state.is_column_load:
        kind = "column_load"
    elif state.is_relationship_load:
        kind = "eager"  # selectinload / subqueryload chunks: one per batch, never an N+1
    else:
        kind = "query"
    state.update_execution_options(**{_ORM_KIND: kind})


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if current_probe.get() is not None:
        _flushing.set(session)


def _after_flush(session: Session, flush_context: Any) -> None:
    if _flushing.get() is session:
        _flushing.set(None)


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    if _flushing.get() is session:
        _flushing.set(None)


def _in_flush() -> bool:
    session = _flushing.get()
    # `_flushing` is True exactly while Session.flush runs; it also covers a flush that found
    # nothing to write after before_flush and returned without any closing event.
    return session is not None and bool(getattr(session, "_flushing", True))


def _before_cursor_execute(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    probe = current_probe.get()
    if probe is None or not probe.capture_sql or context is None:
        return
    setattr(context, _PROBE, probe)
    setattr(context, _START, perf_counter())


def _after_cursor_execute(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    probe: StepProbe | None = getattr(context, _PROBE, None)
    if probe is None:
        return
    elapsed = (perf_counter() - getattr(context, _START)) * 1000
    probe.add_statement(_record(statement, parameters, context, executemany, elapsed, cursor))


def _handle_error(exception_context: Any) -> None:
    context = exception_context.execution_context
    probe: StepProbe | None = getattr(context, _PROBE, None) if context is not None else None
    if probe is None:
        return
    start = getattr(context, _START, perf_counter())
    statement = _record(
        exception_context.statement or "",
        exception_context.parameters,
        context,
        bool(getattr(context, "executemany", False)),
        (perf_counter() - start) * 1000,
        None,
    )
    original = exception_context.original_exception
    statement.error = f"{type(original).__name__}: {original}"
    probe.add_statement(statement)


def _record(
    sql: str, parameters: Any, context: Any, executemany: bool, ms: float, cursor: Any
) -> Statement:
    call_site, function = find_call_site()
    options = getattr(context, "execution_options", None) or {}
    return Statement(
        sql=sql,
        params=_param_count(parameters, executemany),
        ms=ms,
        call_site=call_site,
        function=function,
        orm="flush" if _in_flush() else options.get(_ORM_KIND),
        rows=_rows(cursor),
        executemany=executemany,
        param_key=_param_key(parameters),
    )


def _param_count(parameters: Any, executemany: bool) -> int:
    if executemany and isinstance(parameters, list | tuple):
        return sum(len(p) for p in parameters if hasattr(p, "__len__"))
    return len(parameters) if hasattr(parameters, "__len__") else 0


def _param_key(parameters: Any) -> int | None:
    try:
        return hash(repr(parameters))
    except Exception:  # noqa: BLE001 - a parameter with a broken repr only loses duplicate detection
        return None


def _rows(cursor: Any) -> int | None:
    if cursor is None:
        return None
    # The async adapters buffer the whole result before the event fires.
    buffered = getattr(cursor, "_rows", None)
    if buffered is not None and getattr(cursor, "description", None):
        return len(buffered)
    count = getattr(cursor, "rowcount", -1)
    return count if isinstance(count, int) and count >= 0 else None


def find_call_site() -> tuple[str | None, str | None]:
    """(file:line, function) of the innermost frame of the bot's own code."""
    found = _search(sys._getframe(2))
    if found is None and getcurrent is not None:
        greenlet = getcurrent()
        while found is None and greenlet is not None:
            greenlet = greenlet.parent
            frame = getattr(greenlet, "gr_frame", None) if greenlet is not None else None
            if frame is not None:
                found = _search(frame)
    if found is None:
        return None, None
    frame = found
    function = frame.f_code.co_name
    if function.startswith("<") and frame.f_back is not None:
        # A comprehension or lambda: name the function it sits in, which is what people search.
        outer = frame.f_back
        if outer.f_code.co_filename == frame.f_code.co_filename:
            function = outer.f_code.co_name
    return f"{_project.relative(frame.f_code.co_filename)}:{frame.f_lineno}", function


def _search(frame: FrameType | None) -> FrameType | None:
    is_app = _project.is_app_file
    while frame is not None:
        if is_app(frame.f_code.co_filename):
            return frame
        frame = frame.f_back
    return None
