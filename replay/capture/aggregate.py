"""Statements of a step -> the grouped figures reports show."""

from __future__ import annotations

from collections.abc import Iterable

from replay.capture.fingerprint import fingerprint
from replay.capture.statements import Statement
from replay.result import QueryStats, StatementGroup


def group_statements(statements: Iterable[Statement]) -> tuple[StatementGroup, ...]:
    """Statements grouped by (fingerprint, call site), in the order they first ran."""
    groups: dict[tuple[str, str], list[Statement]] = {}
    for statement in statements:
        key = (fingerprint(statement.sql), statement.call_site or "?")
        groups.setdefault(key, []).append(statement)
    result = []
    for (print_, site), members in groups.items():
        rows = [m.rows for m in members if m.rows is not None]
        result.append(
            StatementGroup(
                sql=members[0].sql,
                fingerprint=print_,
                count=len(members),
                time_ms=round(sum(m.ms for m in members), 3),
                call_site=site,
                function=members[0].function or "",
                rows=sum(rows) if rows else None,
                orm=members[0].orm,
                errors=tuple(m.error for m in members if m.error),
                params=members[0].params,
            )
        )
    return tuple(result)


def query_stats(statements: list[Statement], late: list[Statement]) -> QueryStats:
    return QueryStats(
        count=len(statements),
        time_ms=round(sum(s.ms for s in statements), 3),
        statements=group_statements(statements),
        late=group_statements(late),
        failed=sum(1 for s in statements if s.error),
    )
