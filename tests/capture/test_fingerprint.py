"""`fingerprint`: one text for every run of "the same query", whatever its values."""

from __future__ import annotations

import pytest

from replay.capture.fingerprint import fingerprint, short_sql


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM t WHERE a = 1", "SELECT * FROM t WHERE a = ?"),
        ("SELECT * FROM t WHERE a = -2.5", "SELECT * FROM t WHERE a = ?"),
        ("SELECT * FROM t WHERE b = 'x'", "SELECT * FROM t WHERE b = ?"),
        ("SELECT * FROM t WHERE b = 'it''s'", "SELECT * FROM t WHERE b = ?"),
        ("SELECT * FROM t WHERE a = $1 AND b = $2", "SELECT * FROM t WHERE a = ? AND b = ?"),
        ("SELECT * FROM t WHERE a = %(a_1)s", "SELECT * FROM t WHERE a = ?"),
        ("SELECT * FROM t WHERE a = %s", "SELECT * FROM t WHERE a = ?"),
        ("SELECT * FROM t WHERE a = :a", "SELECT * FROM t WHERE a = ?"),
        ("SELECT * FROM t LIMIT 10 OFFSET 20", "SELECT * FROM t LIMIT ? OFFSET ?"),
    ],
)
def test_literals_and_parameters_become_a_question_mark(sql: str, expected: str) -> None:
    assert fingerprint(sql) == expected


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM t WHERE id IN (1)",
        "SELECT * FROM t WHERE id IN (1, 2, 3)",
        "SELECT * FROM t WHERE id IN (?, ?)",
        "SELECT * FROM t WHERE id IN ($1, $2, $3, $4)",
        "SELECT * FROM t WHERE id IN (__[POSTCOMPILE_id_1])",
    ],
)
def test_in_lists_of_any_length_collapse(sql: str) -> None:
    assert fingerprint(sql) == "SELECT * FROM t WHERE id IN (...)"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SAVEPOINT sa_savepoint_1", "SAVEPOINT ?"),
        ("SAVEPOINT sa_savepoint_12", "SAVEPOINT ?"),
        ("RELEASE SAVEPOINT sa_savepoint_3", "RELEASE SAVEPOINT ?"),
        ('ROLLBACK TO SAVEPOINT "sp_7"', "ROLLBACK TO SAVEPOINT ?"),
    ],
)
def test_savepoint_names_are_normalised(sql: str, expected: str) -> None:
    assert fingerprint(sql) == expected


def test_whitespace_is_collapsed() -> None:
    assert fingerprint("SELECT a\n  FROM t\n\tWHERE a = 1  ") == "SELECT a FROM t WHERE a = ?"


def test_digits_inside_identifiers_stay() -> None:
    sql = 'SELECT t1.col_2, "x3" FROM table9 AS t1'
    assert fingerprint(sql) == sql


def test_different_queries_keep_different_fingerprints() -> None:
    assert fingerprint("SELECT a FROM t WHERE a = 1") != fingerprint("SELECT b FROM t WHERE a = 1")


def test_short_sql_cuts_with_an_ellipsis() -> None:
    assert short_sql("SELECT  a\nFROM t", 120) == "SELECT a FROM t"
    assert short_sql("SELECT abcdefghij FROM t", 10) == "SELECT ab…"


def test_asyncpg_typed_binds_fingerprint_like_sqlite_ones() -> None:
    postgres = (
        "SELECT a FROM t WHERE t.id = $1::INTEGER AND t.at < $2::TIMESTAMP WITHOUT TIME ZONE"
    )
    sqlite = "SELECT a FROM t WHERE t.id = ? AND t.at < ?"
    assert fingerprint(postgres) == fingerprint(sqlite)


def test_a_cast_in_the_sql_itself_is_kept() -> None:
    assert fingerprint("SELECT a::text FROM t") == "SELECT a::text FROM t"
