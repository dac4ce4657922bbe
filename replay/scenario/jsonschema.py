"""The JSON Schema of scenario files, for editors (yaml-language-server and friends)."""

from __future__ import annotations

from typing import Any

from replay.scenario.model import Scenario


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://replay.dev/schema/scenario-v1.json",
        "title": "replay scenario (version 1)",
        "description": "A scenario for replay, the aiogram bot profiler. See docs/scenarios.md.",
        **{key: value for key, value in schema.items() if key not in {"title", "description"}},
    }
