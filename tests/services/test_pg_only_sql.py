"""Why the PostgreSQL sandbox matters: a bot whose SQL only PostgreSQL runs (a `jsonb` upsert
with `ON CONFLICT DO UPDATE`, `jsonb_build_object`, `||` and `->>`) passes there, and on the
default SQLite sandbox errors with the database's error recorded on the failed statement."""

from __future__ import annotations

from replay import run_scenario

from .conftest import SCENARIOS

SCENARIO = SCENARIOS / "pg_only.yaml"


def test_postgres_only_sql_passes_on_the_postgres_sandbox(postgres_url: str) -> None:
    result = run_scenario(SCENARIO, profile=False, database_url=postgres_url)
    assert result.passed, [(s.name, s.failures) for s in result.steps if not s.passed]
    # The second /theme took the ON CONFLICT path and merged into the seeded jsonb.
    assert result.steps[1].replies == ("theme light, lang de",)
    assert [s.queries.failed for s in result.steps] == [0, 0]


def test_postgres_only_sql_errors_on_sqlite() -> None:
    # No server needed: this is the default sandbox.
    result = run_scenario(SCENARIO, profile=False)
    assert result.status == "error"
    first = result.steps[0]
    assert first.status == "error"
    assert "no such function: jsonb_build_object" in first.failures[0]
    assert first.queries.count == first.queries.failed == 1
    [statement] = first.queries.statements
    assert statement.sql.startswith("INSERT INTO settings")
    assert statement.errors == ("OperationalError: no such function: jsonb_build_object",)
    assert statement.call_site.startswith("tests/bots/pg_only.py:")
