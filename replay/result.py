"""Results of a run: frozen data with a JSON form (schema version 1) that round-trips.

Keys are stable and changes are additive only: CI jobs and `replay compare` read these files
across versions. Paths inside are relative to the project root.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from replay.capture.profile import ProfileSummary

SCHEMA_VERSION = 1

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass(frozen=True, slots=True)
class StatementGroup:
    """The statements of a step with one fingerprint and one call site."""

    sql: str
    fingerprint: str
    count: int
    time_ms: float
    call_site: str
    function: str = ""
    rows: int | None = None
    orm: str | None = None
    errors: tuple[str, ...] = ()
    params: int = 0  # bound parameters of one execution (of the whole batch for executemany)

    def to_json(self) -> dict[str, Any]:
        return {
            "sql": self.sql,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "time_ms": self.time_ms,
            "call_site": self.call_site,
            "function": self.function,
            "params": self.params,
            "rows": self.rows,
            "orm": self.orm,
            "errors": list(self.errors),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatementGroup:
        return cls(
            sql=data["sql"],
            fingerprint=data["fingerprint"],
            count=data["count"],
            time_ms=data["time_ms"],
            call_site=data["call_site"],
            function=data.get("function", ""),
            rows=data.get("rows"),
            orm=data.get("orm"),
            errors=tuple(data.get("errors", ())),
            params=data.get("params", 0),
        )


@dataclass(frozen=True, slots=True)
class QueryStats:
    count: int = 0
    time_ms: float = 0.0
    statements: tuple[StatementGroup, ...] = ()
    late: tuple[StatementGroup, ...] = ()
    failed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "time_ms": self.time_ms,
            "failed": self.failed,
            "statements": [s.to_json() for s in self.statements],
            "late": [s.to_json() for s in self.late],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueryStats:
        return cls(
            count=data["count"],
            time_ms=data["time_ms"],
            statements=tuple(StatementGroup.from_json(s) for s in data.get("statements", ())),
            late=tuple(StatementGroup.from_json(s) for s in data.get("late", ())),
            failed=data.get("failed", 0),
        )


@dataclass(frozen=True, slots=True)
class NPlusOne:
    """An N+1 finding as reported; `severity` is fail, warn or allowed."""

    fingerprint: str
    count: int
    call_site: str
    kind: str
    message: str
    hint: str = ""
    function: str = ""
    sql: str = ""
    severity: str = "fail"

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "count": self.count,
            "call_site": self.call_site,
            "kind": self.kind,
            "message": self.message,
            "hint": self.hint,
            "function": self.function,
            "sql": self.sql,
            "severity": self.severity,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NPlusOne:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


@dataclass(frozen=True, slots=True)
class CallRecord:
    method: str
    params: dict[str, Any]
    error: str | None = None
    late: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method, "params": self.params}
        if self.error:
            data["error"] = self.error
        if self.late:
            data["late"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CallRecord:
        return cls(
            data["method"], data.get("params", {}), data.get("error"), data.get("late", False)
        )


@dataclass(frozen=True, slots=True)
class ChatLine:
    """One line of the step's chat transcript, as a person saw it."""

    sender: str  # "user" or "bot"
    chat_id: int
    text: str
    buttons: tuple[tuple[str, ...], ...] = ()
    action: str = "sent"  # sent, edited, deleted, pressed, toast, joined, ...
    actor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "chat_id": self.chat_id,
            "text": self.text,
            "buttons": [list(row) for row in self.buttons],
            "action": self.action,
            "actor": self.actor,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatLine:
        return cls(
            sender=data["sender"],
            chat_id=data["chat_id"],
            text=data["text"],
            buttons=tuple(tuple(row) for row in data.get("buttons", ())),
            action=data.get("action", "sent"),
            actor=data.get("actor"),
        )


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall time of a step over several iterations."""

    min_ms: float
    median_ms: float
    max_ms: float
    runs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "min_ms": self.min_ms,
            "median_ms": self.median_ms,
            "max_ms": self.max_ms,
            "runs": self.runs,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Timing:
        return cls(data["min_ms"], data["median_ms"], data["max_ms"], data["runs"])


@dataclass(frozen=True, slots=True)
class StepResult:
    index: int
    name: str
    actor: str | None
    verb: str
    status: str
    failures: tuple[str, ...] = ()
    wall_ms: float = 0.0
    queries: QueryStats = field(default_factory=QueryStats)
    n_plus_one: tuple[NPlusOne, ...] = ()
    calls: tuple[CallRecord, ...] = ()
    replies: tuple[str, ...] = ()
    state: str | None = None
    profile: ProfileSummary | None = None
    source: str = ""
    warnings: tuple[str, ...] = ()
    transcript: tuple[ChatLine, ...] = ()
    timing: Timing | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "actor": self.actor,
            "verb": self.verb,
            "status": self.status,
            "failures": list(self.failures),
            "wall_ms": self.wall_ms,
            "queries": self.queries.to_json(),
            "n_plus_one": [f.to_json() for f in self.n_plus_one],
            "calls": [c.to_json() for c in self.calls],
            "replies": list(self.replies),
            "state": self.state,
            "profile": self.profile.to_json() if self.profile else None,
            "source": self.source,
            "warnings": list(self.warnings),
            "transcript": [line.to_json() for line in self.transcript],
            "timing": self.timing.to_json() if self.timing else None,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepResult:
        profile = data.get("profile")
        timing = data.get("timing")
        return cls(
            index=data["index"],
            name=data["name"],
            actor=data.get("actor"),
            verb=data["verb"],
            status=data["status"],
            failures=tuple(data.get("failures", ())),
            wall_ms=data.get("wall_ms", 0.0),
            queries=QueryStats.from_json(data.get("queries") or {"count": 0, "time_ms": 0.0}),
            n_plus_one=tuple(NPlusOne.from_json(f) for f in data.get("n_plus_one", ())),
            calls=tuple(CallRecord.from_json(c) for c in data.get("calls", ())),
            replies=tuple(data.get("replies", ())),
            state=data.get("state"),
            profile=ProfileSummary.from_json(profile) if profile else None,
            source=data.get("source", ""),
            warnings=tuple(data.get("warnings", ())),
            transcript=tuple(ChatLine.from_json(line) for line in data.get("transcript", ())),
            timing=Timing.from_json(timing) if timing else None,
            error=data.get("error"),
        )


@dataclass(frozen=True, slots=True)
class RunResult:
    scenario: str
    status: str
    started_at: str
    duration_ms: float
    steps: tuple[StepResult, ...]
    path: str = ""
    description: str = ""
    iterations: int = 1
    load: dict[str, Any] | None = None
    setup_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def failed_steps(self) -> tuple[StepResult, ...]:
        return tuple(step for step in self.steps if not step.passed)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "scenario": self.scenario,
            "path": self.path,
            "description": self.description,
            "status": self.status,
            "started_at": self.started_at,
            "duration_ms": self.duration_ms,
            "setup_ms": self.setup_ms,
            "iterations": self.iterations,
            "steps": [step.to_json() for step in self.steps],
            "load": self.load,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        schema = data.get("schema")
        if schema != SCHEMA_VERSION:
            from replay.errors import ReplayError

            msg = (
                f"unsupported result schema {schema!r}; this replay reads schema {SCHEMA_VERSION}"
            )
            raise ReplayError(msg)
        return cls(
            scenario=data["scenario"],
            status=data["status"],
            started_at=data["started_at"],
            duration_ms=data["duration_ms"],
            steps=tuple(StepResult.from_json(step) for step in data["steps"]),
            path=data.get("path", ""),
            description=data.get("description", ""),
            iterations=data.get("iterations", 1),
            load=data.get("load"),
            setup_ms=data.get("setup_ms", 0.0),
        )


def overall_status(steps: tuple[StepResult, ...] | list[StepResult]) -> str:
    statuses = {step.status for step in steps}
    if ERROR in statuses:
        return ERROR
    if FAILED in statuses:
        return FAILED
    return PASSED
