"""The SQL listeners: registered once per process, routed by the running step's probe."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, event, literal, select, text
from sqlalchemy.orm import Session

from replay.capture import sql
from replay.probe import StepProbe, current_probe

HERE = "tests/capture/test_sql_listeners.py"


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    yield engine
    engine.dispose()


def _execute(engine: Engine, statement: str = "SELECT 1") -> int:
    """Run `statement`; returns the line it ran on (the call site replay should report)."""
    with engine.connect() as connection:
        line = sys._getframe().f_lineno + 1
        connection.execute(text(statement))
    return line


def _in_probe(engine: Engine, probe: StepProbe, statement: str = "SELECT 1") -> int:
    token = current_probe.set(probe)
    try:
        return _execute(engine, statement)
    finally:
        current_probe.reset(token)


def test_install_registers_every_listener() -> None:
    sql.install()
    assert sql.installed()
    assert event.contains(Engine, "before_cursor_execute", sql._before_cursor_execute)
    assert event.contains(Engine, "after_cursor_execute", sql._after_cursor_execute)
    assert event.contains(Engine, "handle_error", sql._handle_error)
    assert event.contains(Session, "do_orm_execute", sql._do_orm_execute)


def test_installing_twice_records_a_statement_once(engine: Engine) -> None:
    sql.install()
    sql.install()
    probe = StepProbe(0)
    _in_probe(engine, probe)
    assert [s.sql for s in probe.statements] == ["SELECT 1"]


def test_a_statement_in_a_step_has_its_call_site(engine: Engine) -> None:
    sql.install()
    probe = StepProbe(0)
    line = _in_probe(engine, probe, "SELECT 2 WHERE 1 = 1")
    (statement,) = probe.statements
    assert (statement.sql, statement.call_site, statement.function) == (
        "SELECT 2 WHERE 1 = 1",
        f"{HERE}:{line}",
        "_execute",
    )
    assert statement.error is None
    assert statement.orm is None  # Core, not the ORM


def test_a_statement_outside_any_step_is_not_recorded(engine: Engine) -> None:
    sql.install()
    before, after = StepProbe(0), StepProbe(1)
    _in_probe(engine, before, "SELECT 10")
    _execute(engine, "SELECT 11")  # no probe set
    _in_probe(engine, after, "SELECT 12")
    assert [s.sql for s in before.statements] == ["SELECT 10"]
    assert [s.sql for s in after.statements] == ["SELECT 12"]
    assert before.late_statements == after.late_statements == []


def test_a_probe_without_sql_capture_records_nothing(engine: Engine) -> None:
    sql.install()
    probe = StepProbe(0, capture_sql=False)
    _in_probe(engine, probe)
    assert probe.statements == []


def test_a_statement_after_the_probe_closed_is_late(engine: Engine) -> None:
    sql.install()
    probe = StepProbe(0)
    probe.closed = True
    _in_probe(engine, probe)
    assert (len(probe.statements), len(probe.late_statements)) == (0, 1)


def test_a_failing_statement_is_recorded_with_its_error(engine: Engine) -> None:
    sql.install()
    probe = StepProbe(0)
    with pytest.raises(Exception, match="no such table"):
        _in_probe(engine, probe, "SELECT * FROM missing")
    (statement,) = probe.statements
    assert statement.error == "OperationalError: no such table: missing"


def test_orm_selects_are_labelled_query(engine: Engine) -> None:
    sql.install()
    probe = StepProbe(0)
    token = current_probe.set(probe)
    try:
        with Session(engine) as session:
            session.execute(select(literal(3)))
    finally:
        current_probe.reset(token)
    assert [(s.sql, s.orm) for s in probe.statements] == [("SELECT ? AS anon_1", "query")]
