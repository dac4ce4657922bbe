"""Scenario errors: every problem of a file at once, each at its file:line:column."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from replay.errors import ReplayError


@dataclass(frozen=True, slots=True, order=True)
class Issue:
    """One problem in a scenario file: where, what is wrong, and how to fix it."""

    file: str
    line: int
    column: int
    message: str
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ScenarioError(ReplayError):
    """A scenario file breaks the language; carries every issue found in it."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = sorted(set(issues))
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in scenario"
        super().__init__(head + ":\n" + "\n".join(issue.format() for issue in self.issues))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """`"did you mean 'click'?"` when a close match exists."""
    options = [c for c in choices if isinstance(c, str)]
    close = closest(word, options)
    return f"did you mean {close!r}?" if close else None


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option `word` most likely misspells, or None when none is close.

    A wrong plural is the commonest slip (`replys`, `max_querys`), and plain similarity ranks
    it badly: `replys` is closer to `reply` than to `replies`. So an option that is the same
    word once plurals are undone wins first (the plural one when `word` looks plural); then
    difflib's ratio decides, with a small bonus for a shared prefix as a tie-breaker.
    """
    base = _singular(word)
    same = [option for option in options if _singular(option) == base]
    if same:
        plural = base != word
        return max(
            same,
            key=lambda option: ((_singular(option) != option) == plural, _ratio(word, option)),
        )
    scored = [
        (ratio + PREFIX_BONUS * min(len(os.path.commonprefix([word, option])), 5), option)
        for option in options
        if (ratio := _ratio(word, option)) >= CUTOFF
    ]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


CUTOFF = 0.6  # difflib.get_close_matches' default: below it, a hint misleads more than helps
PREFIX_BONUS = 0.02  # per shared leading character, up to 5: enough to break near-ties only


def _ratio(word: str, option: str) -> float:
    return difflib.SequenceMatcher(None, word, option).ratio()


def _singular(word: str) -> str:
    """`replies` -> `reply`, `calls` -> `call`; only for comparing, never shown."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def known(kind: str, names: Iterable[str]) -> str:
    listed = ", ".join(repr(n) for n in names)
    return f"the {kind} defined are: {listed}" if listed else f"no {kind} are defined"
