"""SQL capture and N+1 findings on tests/bots/planted.py: exact counts, call sites, labels."""

from __future__ import annotations

import re

from replay.capture.nplusone import HINTS
from replay.result import StepResult

from .conftest import PLANTED, RunSteps, site

LAZY_SQL = "SELECT authors.id, authors.name FROM authors WHERE authors.id = ?"
BOOKS_SQL = "SELECT books.id, books.title, books.author_id FROM books ORDER BY books.id"


def _line_with(fragment: str) -> str:
    lines = [n for n, t in enumerate(PLANTED.read_text().splitlines(), 1) if fragment in t]
    assert len(lines) == 1, lines
    return f"tests/bots/planted.py:{lines[0]}"


def _groups(step: StepResult) -> list[tuple[int, str, str | None]]:
    return [(g.count, g.call_site, g.orm) for g in step.queries.statements]


def _findings(step: StepResult) -> list[tuple[str, int, str, str]]:
    return [(f.kind, f.count, f.call_site, f.severity) for f in step.n_plus_one]


# -- each planted pattern -----------------------------------------------------------------------


def test_lazy_relationship_loads(run: RunSteps) -> None:
    step = run("- send: /lazy\n").steps[0]
    books = _line_with("select(Book).order_by(Book.id))).all()")
    assert step.queries.count == 7
    assert _groups(step) == [(1, books, "query"), (6, site("lazy"), "lazy_load")]
    assert _findings(step) == [("lazy_load", 6, site("lazy"), "fail")]
    finding = step.n_plus_one[0]
    assert finding.function == "lazy"
    assert finding.fingerprint == LAZY_SQL
    assert finding.message == f"lazy load: 6 × `{LAZY_SQL}` at {site('lazy')} in lazy()"
    assert step.status == "failed"
    assert step.failures == (f"N+1 {finding.message}; fix: {HINTS['lazy_load']}",)


def test_session_get_in_a_loop_is_a_repeated_query(run: RunSteps) -> None:
    step = run("- send: /get\n").steps[0]
    assert step.queries.count == 6
    assert _groups(step) == [(6, site("get"), "query")]
    assert _findings(step) == [("repeated_query", 6, site("get"), "fail")]
    assert step.n_plus_one[0].function == "get_loop"
    assert step.n_plus_one[0].hint == HINTS["repeated_query"]


def test_selectinload_is_never_a_finding(run: RunSteps) -> None:
    step = run("- send: /selectin\n").steps[0]
    assert step.queries.count == 2
    assert _groups(step) == [(1, site("selectin"), "query"), (1, site("selectin"), "eager")]
    assert step.n_plus_one == ()
    assert (step.status, step.replies) == ("passed", ("12 books",))


def test_same_query_same_parameters_is_a_duplicate(run: RunSteps) -> None:
    step = run("- send: /dup\n").steps[0]
    assert _groups(step) == [(3, site("dup"), "query")]
    assert _findings(step) == [("duplicate", 3, site("dup"), "fail")]
    assert step.n_plus_one[0].message == (
        "duplicate query: 3 × `SELECT authors.id FROM authors WHERE authors.id = ?` "
        f"at {site('dup')} in duplicate()"
    )


def test_deferred_column_loads(run: RunSteps) -> None:
    step = run("- send: /blurbs\n").steps[0]
    assert step.queries.count == 5
    assert _groups(step)[1] == (4, site("column"), "column_load")
    assert _findings(step) == [("column_load", 4, site("column"), "fail")]
    assert step.n_plus_one[0].fingerprint == "SELECT books.blurb FROM books WHERE books.id = ?"


def test_statements_of_a_spawned_task_are_late_not_in_the_next_step(run: RunSteps) -> None:
    spawn, after = run("- send: /spawn\n- send: /selectin\n").steps
    assert spawn.queries.count == 0
    assert spawn.queries.statements == ()
    assert [(g.count, g.call_site, g.function) for g in spawn.queries.late] == [
        (1, site("late"), "later")
    ]
    assert spawn.warnings == (
        f"1 SQL statement(s) ran after the step ended, from a task it started (at {site('late')})"
        "; not counted in any step",
    )
    assert spawn.status == "passed"
    assert after.queries.count == 2
    assert after.queries.late == ()


def test_a_failed_statement_is_recorded_with_its_error(run: RunSteps) -> None:
    step = run("- send: /fail\n").steps[0]
    assert (step.queries.count, step.queries.failed) == (1, 1)
    (group,) = step.queries.statements
    assert (group.sql, group.call_site) == ("SELECT * FROM no_such_table", site("fail"))
    assert group.errors == ("OperationalError: no such table: no_such_table",)
    assert step.n_plus_one == ()
    assert (step.status, step.replies) == ("passed", ("query failed",))


def test_an_executemany_insert_counts_once(run: RunSteps) -> None:
    step = run("- send: /batch\n").steps[0]
    assert step.queries.count == 1
    (group,) = step.queries.statements
    assert (group.count, group.call_site, group.fingerprint) == (
        1,
        site("batch"),
        "INSERT INTO authors (name) VALUES (...)",
    )
    assert group.rows == 5
    assert step.n_plus_one == ()


def test_an_executemany_insert_is_no_flush(run: RunSteps) -> None:
    step = run("- send: /batch\n").steps[0]
    assert [g.orm for g in step.queries.statements] == [None]


def test_an_autoflush_before_a_query_is_labelled_flush(run: RunSteps) -> None:
    step = run("- send: /rename\n").steps[0]
    get = _line_with("author = await session.get(Author, 1)")
    assert [(g.fingerprint, g.call_site, g.orm) for g in step.queries.statements] == [
        ("SELECT authors.id, authors.name FROM authors WHERE authors.id = ?", get, "query"),
        ("UPDATE authors SET name=? WHERE authors.id = ?", site("flush"), "flush"),
        ("SELECT authors.id FROM authors WHERE authors.name = ?", site("flush"), "query"),
    ]
    assert (step.status, step.replies) == ("passed", ("renamed 1",))


def test_a_flush_by_commit_is_labelled_flush(run: RunSteps) -> None:
    step = run("- send: /retitle\n").steps[0]
    assert [(g.count, g.call_site, g.orm) for g in step.queries.statements][1:] == [
        (1, site("commit"), "flush")
    ]
    assert step.queries.statements[1].fingerprint == "UPDATE books SET title=? WHERE books.id = ?"


def test_a_failed_flush_is_labelled_flush_and_the_next_query_is_not(run: RunSteps) -> None:
    step = run("- send: /clash\n").steps[0]
    assert [(g.call_site, g.orm, len(g.errors)) for g in step.queries.statements] == [
        (site("clash"), "flush", 1),
        (site("after"), "query", 0),
    ]
    assert step.replies == ("kept Author 1",)


def test_a_job_is_measured_like_a_step(run: RunSteps) -> None:
    step = run("- job: nightly\n").steps[0]
    assert step.queries.count == 7
    assert _findings(step) == [("repeated_query", 6, site("job"), "fail")]
    assert step.n_plus_one[0].function == "nightly"
    assert step.status == "failed"


# -- what findings do -------------------------------------------------------------------------


def test_n_plus_one_warn_keeps_the_step_passing_with_a_warning(run: RunSteps) -> None:
    step = run("- send: /get\n  expect: {n_plus_one: warn}\n").steps[0]
    assert (step.status, step.failures) == ("passed", ())
    assert _findings(step) == [("repeated_query", 6, site("get"), "warn")]
    assert step.warnings == (f"N+1 {step.n_plus_one[0].message}; fix: {HINTS['repeated_query']}",)


def test_n_plus_one_allow_records_the_finding_only(run: RunSteps) -> None:
    step = run("- send: /get\n  expect: {n_plus_one: allow}\n").steps[0]
    assert (step.status, step.failures, step.warnings) == ("passed", (), ())
    assert _findings(step) == [("repeated_query", 6, site("get"), "allowed")]


def test_n_plus_one_fail_from_defaults(run: RunSteps) -> None:
    header = (
        "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"
        "defaults: {expect: {n_plus_one: warn}}\n"
    )
    steps = run("- send: /get\n- send: /dup\n  expect: {n_plus_one: fail}\n", header).steps
    assert [s.status for s in steps] == ["passed", "failed"]


def test_allow_n_plus_one_by_call_site_glob(run: RunSteps) -> None:
    line = site("get").rsplit(":", 1)[1]
    header = (
        "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"
        f"allow_n_plus_one: ['tests/bots/plant*.py:{line}']\n"
    )
    get, dup = run("- send: /get\n- send: /dup\n", header).steps
    assert (get.status, _findings(get)) == (
        "passed",
        [("repeated_query", 6, site("get"), "allowed")],
    )
    assert (dup.status, _findings(dup)) == ("failed", [("duplicate", 3, site("dup"), "fail")])


def test_allow_n_plus_one_by_fingerprint_regex(run: RunSteps) -> None:
    header = (
        "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"
        "allow_n_plus_one: ['FROM books WHERE books\\.id = \\?$']\n"
    )
    blurbs, lazy = run("- send: /blurbs\n- send: /lazy\n", header).steps
    assert (blurbs.status, _findings(blurbs)) == (
        "passed",
        [("column_load", 4, site("column"), "allowed")],
    )
    assert lazy.status == "failed"


def test_threshold_above_the_count_removes_the_findings(run: RunSteps) -> None:
    steps = run("- send: /lazy\n- send: /get\n- job: nightly\n", n_plus_one_threshold=7).steps
    assert [(s.status, s.n_plus_one) for s in steps] == [("passed", ())] * 3
    assert [s.queries.count for s in steps] == [7, 6, 7]


def test_threshold_equal_to_the_count_keeps_the_finding(run: RunSteps) -> None:
    steps = run("- send: /get\n- send: /dup\n", n_plus_one_threshold=6).steps
    assert [_findings(s) for s in steps] == [[("repeated_query", 6, site("get"), "fail")], []]


# -- budgets ------------------------------------------------------------------------------------


def test_max_queries_names_the_most_repeated_statements(run: RunSteps) -> None:
    step = run("- send: /lazy\n  expect: {max_queries: 3, n_plus_one: allow}\n").steps[0]
    books = _line_with("select(Book).order_by(Book.id))).all()")
    assert step.failures == (
        f"7 SQL queries, over the budget of 3; most run: 6 × {LAZY_SQL} at {site('lazy')}; "
        f"1 × SELECT books.id, books.title, books.author_id FROM books ORDER BY boo… at {books}",
    )


def test_max_queries_says_which_statement_a_flush_ran(run: RunSteps) -> None:
    step = run("- send: /rename\n  expect: {max_queries: 2}\n").steps[0]
    (failure,) = step.failures
    # Equal counts rank by time, so the order of the three varies; the labels do not.
    update = f"1 × UPDATE authors SET name=? WHERE authors.id = ? at {site('flush')} (by a flush)"
    query = f"1 × SELECT authors.id FROM authors WHERE authors.name = ? at {site('flush')}"
    head = "3 SQL queries, over the budget of 2; most run: "
    assert failure.startswith(head)
    worst = failure.removeprefix(head).split("; ")
    assert update in worst
    assert query in worst


def test_max_queries_at_the_count_passes(run: RunSteps) -> None:
    step = run("- send: /lazy\n  expect: {max_queries: 7, n_plus_one: allow}\n").steps[0]
    assert (step.status, step.failures) == ("passed", ())


def test_max_query_ms_names_the_slowest_statements(run: RunSteps) -> None:
    step = run("- send: /get\n  expect: {max_query_ms: 0, n_plus_one: allow}\n").steps[0]
    (failure,) = step.failures
    pattern = (
        r"\d+\.\d ms in SQL, over the budget of 0 ms; slowest: "
        rf"\d+\.\d ms in 6 × {re.escape(LAZY_SQL)} at {re.escape(site('get'))}"
    )
    assert re.fullmatch(pattern, failure), failure


def test_max_ms_names_the_bots_slowest_functions(run: RunSteps) -> None:
    step = run("- send: /lazy\n  expect: {max_ms: 0, n_plus_one: allow}\n", profile=True).steps[0]
    (failure,) = step.failures
    assert re.match(
        r"step took \d+\.\d ms, over the budget of 0 ms; slowest of the bot's functions: ", failure
    ), failure
    assert "lazy (tests/bots/planted.py:" in failure


def test_max_ms_without_the_profiler_says_how_to_see_more(run: RunSteps) -> None:
    step = run("- send: /get\n  expect: {max_ms: 0, n_plus_one: allow}\n").steps[0]
    (failure,) = step.failures
    assert re.fullmatch(
        r"step took \d+\.\d ms, over the budget of 0 ms; "
        r"run with profiling on to see where the time went",
        failure,
    ), failure


def test_budgets_from_defaults_and_a_steps_override(run: RunSteps) -> None:
    header = (
        "app: tests.bots.planted:create_app\nactors: {alice: {}}\n"
        "defaults: {expect: {max_queries: 2, n_plus_one: allow}}\n"
    )
    steps = run(
        "- send: /selectin\n- send: /get\n- send: /get\n  expect: {max_queries: 6}\n", header
    )
    assert [s.status for s in steps.steps] == ["passed", "failed", "passed"]


def test_no_sql_capture_records_nothing(run: RunSteps) -> None:
    step = run("- send: /lazy\n", capture_sql=False).steps[0]
    assert (step.queries.count, step.queries.statements, step.n_plus_one) == (0, (), ())
    assert step.status == "passed"
