"""SQL fingerprints: one text for every run of "the same query" whatever its values.

Literals and bound parameters become `?`, `IN (...)` lists of any length collapse, savepoint
names and whitespace are normalised, as Sentry and pt-query-digest do; the result stays
readable so `allow_n_plus_one:` can match it with a regex.
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\s+"), " "),
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"(?<![\w$])-?\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"\$\d+"), "?"),
    # asyncpg's typed binds ($1::INTEGER): the same query as SQLite's plain ? must match it.
    (re.compile(r"\?::[A-Za-z_]\w*(?:\s+WITH(?:OUT)?\s+TIME\s+ZONE)?(?:\[\])?", re.I), "?"),
    (re.compile(r"%\(\w+\)s|%s|(?<!:):\w+(?=[\s,)]|$)"), "?"),
    (re.compile(r"\(\s*__\[POSTCOMPILE_\w+\]\s*\)"), "(...)"),
    (re.compile(r"\(\s*\?(?:\s*,\s*\?)*\s*\)"), "(...)"),
    (re.compile(r"(?i)\b((?:release |rollback to )?savepoint) \"?\w+\"?"), r"\1 ?"),
)


@lru_cache(maxsize=4096)
def fingerprint(sql: str) -> str:
    """The normalised form of `sql` (cached: a bot runs few distinct statements)."""
    text = sql
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def short_sql(sql: str, limit: int = 120) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
