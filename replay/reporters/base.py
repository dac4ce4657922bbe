"""The reporter interface, in the style of pyinstrument's renderers.

`render(result) -> str` does no I/O, so a saved run (`run.json`) renders again later with
`replay report`, and the CLI, the pytest plugin and `/profile` share every format.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from replay.errors import ReplayError
from replay.result import RunResult


class Reporter(ABC):
    """Renders results in one format."""

    #: the file extension of this format, for `--output-dir` style writers
    extension = ".txt"

    @abstractmethod
    def render(self, result: RunResult) -> str:
        """One run as text."""

    def render_many(self, results: Sequence[RunResult]) -> str:
        """Several runs; formats with a natural container override this."""
        return "\n".join(self.render(result) for result in results)


FORMATS = ("text", "json", "html", "junit", "speedscope")


def reporter_for(name: str, *, color: bool = False) -> Reporter:
    """The reporter of a format name (`text`, `json`, `html`, `junit`, `speedscope`)."""
    if name == "text":
        from replay.reporters.console import ConsoleReporter

        return ConsoleReporter(color=color)
    if name == "json":
        from replay.reporters.jsonformat import JsonReporter

        return JsonReporter()
    if name == "html":
        from replay.reporters.html import HtmlReporter

        return HtmlReporter()
    if name == "junit":
        from replay.reporters.junit import JunitReporter

        return JunitReporter()
    if name == "speedscope":
        from replay.reporters.speedscope import SpeedscopeReporter

        return SpeedscopeReporter()
    msg = f"unknown format {name!r}; use one of: {', '.join(FORMATS)}"
    raise ReplayError(msg)
