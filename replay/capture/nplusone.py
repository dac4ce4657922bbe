"""N+1 findings: the same query run again and again from one place in the bot's code.

Per step, SELECTs are grouped by (fingerprint, call site), as Prosopite and django-zeal do; a
group of `threshold` or more is a finding. It is labelled from how the ORM issued it: a lazy
relationship load, a deferred/expired column load, or a repeated explicit query. When every
run had the same parameters it is a duplicate instead (a caching hint, as in
django-debug-toolbar). `selectinload` batches are never findings: one per 500 parents is the
fix, not the problem.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from replay.capture.fingerprint import fingerprint, short_sql
from replay.capture.statements import Statement

DEFAULT_THRESHOLD = 2

HINTS = {
    "lazy_load": (
        "a relationship is loaded once per row: load it with the parent rows, "
        "e.g. .options(selectinload(Parent.children)) on the query that fetched them"
    ),
    "column_load": (
        "a deferred or expired column is loaded once per row: undefer() it on the query, "
        "or keep objects from expiring (expire_on_commit=False)"
    ),
    "repeated_query": (
        "the same query runs once per item: fetch all the rows in one query before the loop "
        "(WHERE id IN (...)), or eager-load them with selectinload"
    ),
    "duplicate": (
        "the same query with the same parameters ran again: reuse the first result "
        "(pass it along, or cache it for the update)"
    ),
}

LABELS = {
    "lazy_load": "lazy load",
    "column_load": "column load",
    "repeated_query": "repeated query",
    "duplicate": "duplicate query",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One N+1 pattern in a step."""

    fingerprint: str
    count: int
    call_site: str
    function: str
    kind: str  # lazy_load | column_load | repeated_query | duplicate
    sql: str
    distinct_params: int
    message: str
    hint: str


def find_n_plus_one(
    statements: Iterable[Statement], threshold: int = DEFAULT_THRESHOLD
) -> list[Finding]:
    """Every N+1 pattern among `statements`, most repeated first."""
    groups: dict[tuple[str, str], list[Statement]] = {}
    for statement in statements:
        if statement.orm == "eager" or statement.error or not statement.is_select:
            continue
        key = (fingerprint(statement.sql), statement.call_site or "?")
        groups.setdefault(key, []).append(statement)
    findings = []
    for (print_, site), members in groups.items():
        if len(members) < threshold:
            continue
        findings.append(_finding(print_, site, members))
    findings.sort(key=lambda f: (-f.count, f.call_site, f.fingerprint))
    return findings


def _finding(print_: str, site: str, members: list[Statement]) -> Finding:
    distinct = len({m.param_key for m in members})
    orm_kinds = {m.orm for m in members}
    if distinct == 1:
        kind = "duplicate"
    elif "lazy_load" in orm_kinds:
        kind = "lazy_load"
    elif "column_load" in orm_kinds:
        kind = "column_load"
    else:
        kind = "repeated_query"
    function = members[0].function or "?"
    count = len(members)
    detail = ""
    if kind != "duplicate" and distinct < count:
        detail = f" ({count - distinct + 1} of them with identical parameters)"
    message = (
        f"{LABELS[kind]}: {count} × `{short_sql(print_, 80)}` at {site} in {function}(){detail}"
    )
    return Finding(
        fingerprint=print_,
        count=count,
        call_site=site,
        function=function,
        kind=kind,
        sql=members[0].sql,
        distinct_params=distinct,
        message=message,
        hint=HINTS[kind],
    )


def is_allowed(finding: Finding, allow: Sequence[str]) -> bool:
    """`allow_n_plus_one:` entries: a call-site glob (`bot/x.py:*`) or a fingerprint regex."""
    for pattern in allow:
        if fnmatch.fnmatchcase(finding.call_site, pattern):
            return True
        try:
            if re.search(pattern, finding.fingerprint):
                return True
        except re.error:
            continue
    return False
