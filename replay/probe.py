"""What a running step collects, and how code deep inside the bot finds it.

The runner opens a `StepProbe` for each step and sets it in a ContextVar before feeding the
update. Everything the bot does in that task, and in tasks it spawns (they copy the context),
reaches the same probe: Bot API calls from the offline session, SQL statements from the
engine listeners, errors swallowed by error routers. After the step the probe is closed;
whatever still arrives (a task the handler spawned) is kept as late, never counted in the
step that happens to run next.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from replay.capture.statements import Statement
    from replay.telegram.calls import ApiCall


@dataclass(slots=True, eq=False)
class StepProbe:
    index: int
    capture_sql: bool = True
    calls: list[ApiCall] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    late_calls: list[ApiCall] = field(default_factory=list)
    late_statements: list[Statement] = field(default_factory=list)
    handled_errors: list[BaseException] = field(default_factory=list)
    closed: bool = False

    def add_call(self, call: ApiCall) -> None:
        if self.closed:
            call.late = True
            self.late_calls.append(call)
        else:
            self.calls.append(call)

    def add_statement(self, statement: Statement) -> None:
        if self.closed:
            self.late_statements.append(statement)
        else:
            self.statements.append(statement)


current_probe: ContextVar[StepProbe | None] = ContextVar("replay_current_probe", default=None)
