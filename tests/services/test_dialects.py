"""The same scenario gives the same numbers on SQLite and on the PostgreSQL sandbox: per-step
query counts, statements per call site and N+1 findings (kind, count, call site, fingerprint).

Where the two databases really differ, the difference is asserted exactly (so a change on
either side shows), and the reason is written next to it:

- The asyncpg dialect renders typed bind parameters (`$1::INTEGER`, `$2::VARCHAR`), so the
  PostgreSQL fingerprint of a query is its SQLite fingerprint with `::TYPE` after the
  placeholders. Fingerprints are compared with those casts removed (`dialect_neutral`).
- The SQLite dialect writes `LIMIT ? OFFSET ?` for `.limit(n)`, PostgreSQL `LIMIT ?`: the same
  statement from the same line, a different fingerprint (only per-step counts and call sites
  are compared, and no N+1 finding involves a LIMIT).
- planted_all's `/batch` inserts authors without ids, after the seed inserted ids 1..6
  explicitly. SQLite takes the next rowid; PostgreSQL's `authors_id_seq` was never advanced,
  so the insert collides with id 1 (a UniqueViolation: the step errors). The nightly job then
  sees 6 authors on PostgreSQL and 11 on SQLite, so it runs 1 + 6 and 1 + 11 queries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from replay import RunResult, StepResult, run_scenario

from .conftest import ROOT

_TYPED_BIND = re.compile(
    r"\?::[A-Z]+(?: WITH(?:OUT)? TIME ZONE| PRECISION)?(?:\(\d+(?:, ?\d+)?\))?(?:\[\])?"
)


def dialect_neutral(fingerprint: str) -> str:
    """The fingerprint without the `::TYPE` casts the asyncpg dialect adds to parameters."""
    return _TYPED_BIND.sub("?", fingerprint)


def findings(step: StepResult) -> list[tuple[str, int, str, str]]:
    return sorted(
        (n.kind, n.count, n.call_site, dialect_neutral(n.fingerprint)) for n in step.n_plus_one
    )


def call_sites(step: StepResult) -> Counter[str]:
    """How many statements ran at each line of the bot's code."""
    sites: Counter[str] = Counter()
    for group in step.queries.statements:
        sites[group.call_site] += group.count
    return sites


def both(path: str, postgres_url: str) -> tuple[RunResult, RunResult]:
    scenario = ROOT / path
    return (
        run_scenario(scenario, profile=False),
        run_scenario(scenario, profile=False, database_url=postgres_url),
    )


def test_the_typed_bind_casts_are_all_that_is_removed() -> None:
    # The comparison below must not hide a real difference: only `?::TYPE` goes.
    assert dialect_neutral("SELECT a FROM t WHERE t.id = ?::INTEGER") == (
        "SELECT a FROM t WHERE t.id = ?"
    )
    assert dialect_neutral("x = ?::VARCHAR(20) AND y = ?::TIMESTAMP WITHOUT TIME ZONE") == (
        "x = ? AND y = ?"
    )
    assert dialect_neutral("x = ?::INTEGER AND y IN (?::BIGINT[]) LIMIT ?::INTEGER") == (
        "x = ? AND y IN (?) LIMIT ?"
    )
    assert (
        dialect_neutral("SELECT '1'::INTEGER, data::jsonb") == "SELECT '1'::INTEGER, data::jsonb"
    )


@pytest.mark.parametrize("path", ["scenarios/vip_flow.yaml", "scenarios/users_admin.yaml"])
def test_the_example_bot_measures_the_same_on_both_databases(path: str, postgres_url: str) -> None:
    sqlite, postgres = both(path, postgres_url)
    assert sqlite.passed, [s.failures for s in sqlite.steps if not s.passed]
    assert postgres.passed, [s.failures for s in postgres.steps if not s.passed]
    assert [s.name for s in postgres.steps] == [s.name for s in sqlite.steps]
    for lite, pg in zip(sqlite.steps, postgres.steps, strict=True):
        assert pg.queries.count == lite.queries.count, lite.name
        assert call_sites(pg) == call_sites(lite), lite.name
        assert findings(pg) == findings(lite), lite.name


def test_planted_patterns_are_found_alike_on_both_databases(postgres_url: str) -> None:
    sqlite, postgres = both("tests/scenarios/planted_all.yaml", postgres_url)
    lite_steps = {s.name: s for s in sqlite.steps}
    pg_steps = {s.name: s for s in postgres.steps}
    assert list(pg_steps) == list(lite_steps)
    differing = {"7 send /batch", "8 job nightly"}  # the sequence; see the module docstring
    assert differing <= set(lite_steps)
    all_findings: list[Any] = []
    for name, lite in lite_steps.items():
        if name in differing:
            continue
        pg = pg_steps[name]
        assert (pg.status, pg.failures) == (lite.status, lite.failures), name
        assert pg.queries.count == lite.queries.count, name
        assert call_sites(pg) == call_sites(lite), name
        assert findings(pg) == findings(lite), name
        all_findings += findings(pg)
    # The comparison covered every kind of finding the planted bot has.
    assert {kind for kind, *_ in all_findings} >= {
        "lazy_load",
        "repeated_query",
        "duplicate",
        "column_load",
    }

    batch_lite, batch_pg = lite_steps["7 send /batch"], pg_steps["7 send /batch"]
    assert batch_lite.passed
    assert batch_pg.status == "error"
    assert "UniqueViolationError" in batch_pg.failures[0]
    assert "authors_pkey" in batch_pg.failures[0]
    assert batch_pg.queries.count == batch_lite.queries.count == 1
    assert batch_pg.queries.failed == 1

    nightly_lite, nightly_pg = lite_steps["8 job nightly"], pg_steps["8 job nightly"]
    assert (nightly_lite.queries.count, nightly_pg.queries.count) == (1 + 11, 1 + 6)
    [lite_finding], [pg_finding] = findings(nightly_lite), findings(nightly_pg)
    assert pg_finding == (lite_finding[0], 6, lite_finding[2], lite_finding[3])
    assert lite_finding[1] == 11
