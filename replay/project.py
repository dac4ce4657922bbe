"""The project replay runs in: its root, which files are the bot's own code, and how paths show.

Everything replay prints or saves names files relative to the project root, never absolutely
(reports get shared; absolute paths leak user names and layouts).
"""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

_REPLAY_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
# The interpreter's own directories and the virtualenv's (which may sit inside the project).
_LIBRARY_DIRS = tuple(
    {
        os.path.abspath(path) + os.sep
        for path in (
            *(
                sysconfig.get_paths().get(key)
                for key in ("stdlib", "platstdlib", "purelib", "platlib")
            ),
            sys.prefix,
            sys.exec_prefix,
            sys.base_prefix,
        )
        if path
    }
)


@dataclass(eq=False)
class Project:
    root: Path
    _app_cache: dict[str, bool] = field(default_factory=dict, repr=False)
    _relative_cache: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def current(cls) -> Project:
        return cls(Path.cwd().resolve())

    def __post_init__(self) -> None:
        self._prefix = str(self.root) + os.sep

    def is_app_file(self, filename: str) -> bool:
        """True for the bot's own source: inside the root, not a library, not replay itself."""
        cached = self._app_cache.get(filename)
        if cached is None:
            path = os.path.abspath(filename)
            cached = (
                not filename.startswith("<")
                and path.startswith(self._prefix)
                and not path.startswith(_REPLAY_DIR)
                and not path.startswith(_LIBRARY_DIRS)
                and f"{os.sep}site-packages{os.sep}" not in path
            )
            self._app_cache[filename] = cached
        return cached

    def relative(self, filename: str) -> str:
        """`filename` relative to the root; library files as `package/module.py`."""
        cached = self._relative_cache.get(filename)
        if cached is None:
            cached = self._relative(filename)
            self._relative_cache[filename] = cached
        return cached

    def _relative(self, filename: str) -> str:
        if filename.startswith("<"):
            return filename
        path = os.path.abspath(filename)
        for marker in (f"{os.sep}site-packages{os.sep}", f"{os.sep}dist-packages{os.sep}"):
            if marker in path:
                return path.split(marker, 1)[1].replace(os.sep, "/")
        if path.startswith(self._prefix):
            return path[len(self._prefix) :].replace(os.sep, "/")
        if path.startswith(_REPLAY_DIR):
            return "replay/" + path[len(_REPLAY_DIR) :].replace(os.sep, "/")
        for library in _LIBRARY_DIRS:
            if path.startswith(library):
                return path[len(library) :].replace(os.sep, "/")
        return os.path.basename(path)
