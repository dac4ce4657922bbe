"""Scenario errors: every problem of a file at once, each at its file:line:column."""

from __future__ import annotations

import difflib
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
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def known(kind: str, names: Iterable[str]) -> str:
    listed = ", ".join(repr(n) for n in names)
    return f"the {kind} defined are: {listed}" if listed else f"no {kind} are defined"
