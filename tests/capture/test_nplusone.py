"""`find_n_plus_one` on hand-made statements: grouping, threshold, labels, exclusions."""

from __future__ import annotations

from replay.capture.nplusone import Finding, find_n_plus_one, is_allowed
from replay.capture.statements import Statement

SQL = "SELECT users.id FROM users WHERE users.id = ?"
SITE = "bot/handlers.py:12"


def _run(
    count: int,
    *,
    sql: str = SQL,
    site: str | None = SITE,
    orm: str | None = "query",
    same_params: bool = False,
    error: str | None = None,
) -> list[Statement]:
    return [
        Statement(
            sql=sql,
            params=1,
            ms=0.1,
            call_site=site,
            function="handler",
            orm=orm,
            error=error,
            param_key=0 if same_params else n,
        )
        for n in range(count)
    ]


def _summary(findings: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.kind, f.count, f.call_site) for f in findings]


def test_two_runs_of_one_query_from_one_place_is_a_finding() -> None:
    assert _summary(find_n_plus_one(_run(2))) == [("repeated_query", 2, SITE)]


def test_a_single_run_is_not_a_finding() -> None:
    assert find_n_plus_one(_run(1)) == []


def test_threshold_is_inclusive() -> None:
    assert _summary(find_n_plus_one(_run(5), threshold=5)) == [("repeated_query", 5, SITE)]
    assert find_n_plus_one(_run(5), threshold=6) == []


def test_literal_values_do_not_split_a_group() -> None:
    statements = [
        Statement(f"SELECT * FROM t WHERE id = {n}", 0, 0.1, SITE, "f", "query", param_key=n)
        for n in range(3)
    ]
    (finding,) = find_n_plus_one(statements)
    assert (finding.fingerprint, finding.count) == ("SELECT * FROM t WHERE id = ?", 3)


def test_the_same_query_from_two_places_is_two_groups() -> None:
    statements = _run(2, site="bot/a.py:1") + _run(3, site="bot/b.py:2")
    assert _summary(find_n_plus_one(statements)) == [
        ("repeated_query", 3, "bot/b.py:2"),
        ("repeated_query", 2, "bot/a.py:1"),
    ]


def test_identical_parameters_are_a_duplicate() -> None:
    (finding,) = find_n_plus_one(_run(3, same_params=True))
    assert (finding.kind, finding.distinct_params) == ("duplicate", 1)
    assert finding.message == f"duplicate query: 3 × `{SQL}` at {SITE} in handler()"


def test_lazy_loads_are_labelled() -> None:
    (finding,) = find_n_plus_one(_run(4, orm="lazy_load"))
    assert finding.kind == "lazy_load"
    assert finding.message == f"lazy load: 4 × `{SQL}` at {SITE} in handler()"


def test_column_loads_are_labelled() -> None:
    assert _summary(find_n_plus_one(_run(4, orm="column_load"))) == [("column_load", 4, SITE)]


def test_core_statements_without_orm_kind_are_repeated_queries() -> None:
    assert _summary(find_n_plus_one(_run(3, orm=None))) == [("repeated_query", 3, SITE)]


def test_eager_loads_are_never_findings() -> None:
    assert find_n_plus_one(_run(10, orm="eager")) == []


def test_failed_statements_are_never_findings() -> None:
    assert find_n_plus_one(_run(5, error="OperationalError: locked")) == []


def test_writes_are_never_findings() -> None:
    assert find_n_plus_one(_run(5, sql="UPDATE users SET name = ? WHERE id = ?", orm=None)) == []


def test_with_queries_count_as_selects() -> None:
    sql = "WITH x AS (SELECT 1) SELECT * FROM x WHERE a = ?"
    assert _summary(find_n_plus_one(_run(2, sql=sql))) == [("repeated_query", 2, SITE)]


def test_partly_identical_parameters_are_mentioned() -> None:
    statements = _run(3) + _run(1)  # param keys 0, 1, 2, 0: four runs, three distinct
    (finding,) = find_n_plus_one(statements)
    assert finding.message == (
        f"repeated query: 4 × `{SQL}` at {SITE} in handler() (2 of them with identical parameters)"
    )


def test_statements_without_a_call_site_group_under_a_question_mark() -> None:
    assert _summary(find_n_plus_one(_run(2, site=None))) == [("repeated_query", 2, "?")]


def test_most_repeated_first() -> None:
    statements = _run(2, sql="SELECT a FROM t WHERE x = ?") + _run(5)
    assert [f.count for f in find_n_plus_one(statements)] == [5, 2]


def test_is_allowed_by_call_site_glob_or_fingerprint_regex() -> None:
    (finding,) = find_n_plus_one(_run(2))
    assert is_allowed(finding, ["bot/*.py:*"])
    assert is_allowed(finding, [r"FROM users WHERE users\.id"])
    assert not is_allowed(finding, ["bot/other.py:*", "FROM orders"])
    assert not is_allowed(finding, ["[unclosed"])  # a bad regex is skipped, not an error
