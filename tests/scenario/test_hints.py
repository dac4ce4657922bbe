"""`did you mean ...?`: which of the names a misspelt one is taken for."""

from __future__ import annotations

import pytest

from replay.scenario.errors import did_you_mean
from replay.scenario.model import Expect
from replay.scenario.pydantic_issues import keys_of

EXPECT_KEYS = keys_of(Expect)


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("replys", "replies"),
        ("max_querys", "max_queries"),
        ("reply_", "reply"),
        ("no_replys", "no_reply"),
        ("buttns", "buttons"),
        ("calss", "calls"),
        ("stat", "state"),
        ("max_querie", "max_queries"),
        ("p95", "p95_ms"),
        ("toasts", "toast"),
    ],
)
def test_expect_key_typos(word: str, meant: str) -> None:
    assert did_you_mean(word, EXPECT_KEYS) == f"did you mean {meant!r}?"


def test_a_wrong_plural_prefers_the_plural_over_a_closer_singular() -> None:
    # By similarity alone `replys` is closer to `reply` (0.91) than to `replies` (0.77).
    assert did_you_mean("replys", ["reply", "replies"]) == "did you mean 'replies'?"


def test_a_singular_prefers_the_singular() -> None:
    assert did_you_mean("reply", ["replies", "reply"]) == "did you mean 'reply'?"


def test_a_missing_plural_s_finds_the_plural() -> None:
    assert did_you_mean("step", ["steps", "state"]) == "did you mean 'steps'?"


def test_a_shared_prefix_breaks_a_near_tie() -> None:
    # Equal similarity (0.75) to both; the one that starts the same way wins.
    assert did_you_mean("abcd", ["xbcd", "abce"]) == "did you mean 'abce'?"


def test_nothing_close_gives_no_hint() -> None:
    assert did_you_mean("zzz", EXPECT_KEYS) is None
