"""Budgets: `max_queries`, `max_query_ms`, `max_ms` and `n_plus_one`, turned into verdicts.

A breach fails the step and names the worst offenders, so the message alone tells where to
look: the most repeated statements, the slowest ones, the bot's slowest functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from replay.capture.fingerprint import short_sql
from replay.capture.nplusone import Finding, is_allowed
from replay.capture.profile import ProfileSummary
from replay.result import NPlusOne, QueryStats, StatementGroup
from replay.scenario.model import Expect


@dataclass(frozen=True, slots=True)
class Verdict:
    failures: tuple[str, ...]
    warnings: tuple[str, ...]
    findings: tuple[NPlusOne, ...]


def _where(group: StatementGroup) -> str:
    # A flush's call site is the line that caused it (often a query's, by autoflush): say so,
    # or the UPDATE reads as if that line wrote it.
    return f"at {group.call_site}" + (" (by a flush)" if group.orm == "flush" else "")


def _worst_by_count(queries: QueryStats, limit: int = 3) -> str:
    ranked = sorted(queries.statements, key=lambda g: (-g.count, -g.time_ms))[:limit]
    return "; ".join(f"{g.count} × {short_sql(g.fingerprint, 70)} {_where(g)}" for g in ranked)


def _worst_by_time(queries: QueryStats, limit: int = 3) -> str:
    ranked = sorted(queries.statements, key=lambda g: -g.time_ms)[:limit]
    return "; ".join(
        f"{g.time_ms:.1f} ms in {g.count} × {short_sql(g.fingerprint, 70)} {_where(g)}"
        for g in ranked
    )


def _slowest_code(profile: ProfileSummary | None) -> str:
    if profile is None:
        return "run with profiling on to see where the time went"
    if not profile.top:
        # Profiled, but every sample fell in aiogram, the driver or the event loop.
        return (
            "no function of the bot's own code was sampled "
            "(the time went to libraries: see the call tree)"
        )
    return "slowest of the bot's functions: " + "; ".join(
        f"{t.function} ({t.file}:{t.line}) {t.ms:.1f} ms" for t in profile.top[:3]
    )


def judge(
    expect: Expect,
    queries: QueryStats,
    wall_ms: float,
    findings: Sequence[Finding],
    allow: Sequence[str],
    profile: ProfileSummary | None,
) -> Verdict:
    failures: list[str] = []
    warnings: list[str] = []
    if expect.max_queries is not None and queries.count > expect.max_queries:
        failures.append(
            f"{queries.count} SQL queries, over the budget of {expect.max_queries}; "
            f"most run: {_worst_by_count(queries)}"
        )
    if expect.max_query_ms is not None and queries.time_ms > expect.max_query_ms:
        failures.append(
            f"{queries.time_ms:.1f} ms in SQL, over the budget of {expect.max_query_ms:g} ms; "
            f"slowest: {_worst_by_time(queries)}"
        )
    if expect.max_ms is not None and wall_ms > expect.max_ms:
        failures.append(
            f"step took {wall_ms:.1f} ms, over the budget of {expect.max_ms:g} ms; "
            + _slowest_code(profile)
        )
    mode = expect.n_plus_one or "fail"
    reported = []
    for finding in findings:
        severity = "allowed" if mode == "allow" or is_allowed(finding, allow) else mode
        reported.append(
            NPlusOne(
                fingerprint=finding.fingerprint,
                count=finding.count,
                call_site=finding.call_site,
                kind=finding.kind,
                message=finding.message,
                hint=finding.hint,
                function=finding.function,
                sql=finding.sql,
                severity=severity,
            )
        )
        text = f"N+1 {finding.message}; fix: {finding.hint}"
        if severity == "fail":
            failures.append(text)
        elif severity == "warn":
            warnings.append(text)
    return Verdict(tuple(failures), tuple(warnings), tuple(reported))
