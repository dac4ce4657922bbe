"""The JSON Schema `replay schema` prints describes the same language the loader accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from replay.scenario import load_scenario
from replay.scenario.jsonschema import scenario_schema
from replay.scenario.model import VERBS

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "spec_example.yaml"


def _example() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    plain: dict[str, Any] = json.loads(json.dumps(data))  # as an editor sees it: plain JSON
    return plain


def test_the_spec_example_loads() -> None:
    scenario = load_scenario(EXAMPLE)
    assert scenario.name == "vip_flow"
    assert [step.verb for step in scenario.steps] == [
        "send",
        "click",
        "send",
        "join",
        "advance",
        "job",
        "repeat",
    ]


def test_schema_is_a_draft_2020_12_object_schema() -> None:
    schema = scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["steps"]["type"] == "array"
    assert schema["properties"]["steps"]["items"] == {"$ref": "#/$defs/Step"}
    json.dumps(schema)  # plain JSON all the way down


def test_step_schema_uses_the_yaml_spelling_as() -> None:
    step = scenario_schema()["$defs"]["Step"]
    assert step["additionalProperties"] is False
    assert "as" in step["properties"]
    assert "actor" not in step["properties"]
    assert set(VERBS) <= set(step["properties"])


def test_every_key_of_the_spec_example_is_in_the_schema() -> None:
    schema = scenario_schema()
    defs = schema["$defs"]
    example = _example()
    assert set(example) <= set(schema["properties"])
    steps = list(example["steps"])
    for step in example["steps"]:
        steps.extend(step.get("steps", []))
    for step in steps:
        assert set(step) <= set(defs["Step"]["properties"]), step
        assert set(step.get("expect", {})) <= set(defs["Expect"]["properties"]), step
    assert set(example["defaults"]["expect"]) <= set(defs["Expect"]["properties"])
    assert set(example["load"]) <= set(defs["LoadSpec"]["properties"])
    for actor in example["actors"].values():
        assert set(actor) <= set(defs["ActorSpec"]["properties"])


def test_n_plus_one_choices_are_listed() -> None:
    expect = scenario_schema()["$defs"]["Expect"]["properties"]["n_plus_one"]
    choices = [option.get("enum") for option in expect["anyOf"] if "enum" in option]
    assert choices == [["fail", "warn", "allow"]]


def test_the_spec_example_validates_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(scenario_schema()).validate(_example())


def test_the_schema_rejects_an_unknown_step_key() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    bad = _example()
    bad["steps"][0]["clik"] = "OK"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(scenario_schema()).validate(bad)


def test_toast_is_a_text_check_in_the_schema() -> None:
    toast = scenario_schema()["$defs"]["Expect"]["properties"]["toast"]
    assert {"$ref": "#/$defs/TextExpect"} in toast["anyOf"]


def test_forge_is_a_click_key_in_the_schema() -> None:
    forge = scenario_schema()["$defs"]["ClickTarget"]["properties"]["forge"]
    assert {"type": "boolean"} in forge["anyOf"]
