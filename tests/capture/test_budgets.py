"""`max_ms` breaches say where the time went, or why that cannot be told."""

from __future__ import annotations

from replay.budgets import judge
from replay.capture.profile import ProfileSummary, TopFunction
from replay.result import QueryStats, StatementGroup
from replay.scenario import Expect


def _failures(profile: ProfileSummary | None) -> tuple[str, ...]:
    return judge(Expect(max_ms=10), QueryStats(), 25.0, (), (), profile).failures


def test_max_ms_without_a_profile_says_to_turn_profiling_on() -> None:
    assert _failures(None) == (
        "step took 25.0 ms, over the budget of 10 ms; "
        "run with profiling on to see where the time went",
    )


def test_max_ms_with_a_profile_of_library_time_only_points_at_the_call_tree() -> None:
    assert _failures(ProfileSummary(samples=200)) == (
        "step took 25.0 ms, over the budget of 10 ms; "
        "no function of the bot's own code was sampled "
        "(the time went to libraries: see the call tree)",
    )


def test_max_ms_with_a_profile_names_the_bots_slowest_functions() -> None:
    top = (TopFunction("render", "bot/views.py", 12, 18.0),)
    assert _failures(ProfileSummary(top=top, samples=200)) == (
        "step took 25.0 ms, over the budget of 10 ms; "
        "slowest of the bot's functions: render (bot/views.py:12) 18.0 ms",
    )


def test_max_ms_at_the_budget_passes() -> None:
    assert judge(Expect(max_ms=25), QueryStats(), 25.0, (), (), None).failures == ()


def test_a_budget_breach_labels_the_statements_of_a_flush() -> None:
    update = StatementGroup(
        "UPDATE t SET a=?", "UPDATE t SET a=?", 2, 1.0, "bot/x.py:9", orm="flush"
    )
    select = StatementGroup("SELECT t.a FROM t", "SELECT t.a FROM t", 1, 1.0, "bot/x.py:9")
    queries = QueryStats(count=3, time_ms=2.0, statements=(update, select))
    assert judge(Expect(max_queries=1), queries, 1.0, (), (), None).failures == (
        "3 SQL queries, over the budget of 1; most run: "
        "2 × UPDATE t SET a=? at bot/x.py:9 (by a flush); 1 × SELECT t.a FROM t at bot/x.py:9",
    )
