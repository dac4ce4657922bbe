"""The `replay` command group (the subcommands register themselves on it)."""

from __future__ import annotations

import click

from replay import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="replay")
def cli() -> None:
    """Replay YAML scenarios through your aiogram bot's real Dispatcher, offline, and profile
    every step: time, call tree, SQL statements, N+1 patterns, Bot API calls.

    \b
    Quick start:
      replay run scenarios/vip_flow.yaml     run one scenario, show a per-step table
      replay run scenarios/                  run every scenario in a directory
      replay validate scenarios/             check scenario files without running them
      replay list                            show the scenarios and what they do

    The bot is loaded through its app factory: [tool.replay] app = "module:function" in
    pyproject.toml, a scenario's app: key, or --app. See docs/scenarios.md.
    """
