"""`{{ ... }}` in steps: actors, chats, vars, seeded Faker; generated actors are seeded too."""

from __future__ import annotations

import re

from .conftest import RunSteps

HEADER = """\
app: tests.bots.basic:create_app
faker_seed: 7
vars: {plan: monthly}
actors:
  carol: {}
  admin: {id: 1001, admin: true}
chats:
  vip: {id: -1001, title: VIP}
"""


def _greeting(reply: str) -> tuple[str, str]:
    """("name", "args") of basic.py's `Hello, <name> (<args>)! Ready?`."""
    match = re.fullmatch(r"Hello, (.+?)(?: \((.*)\))?! Ready\?", reply)
    assert match is not None, reply
    return match.group(1), match.group(2) or ""


def test_actor_and_chat_ids_and_vars(run: RunSteps) -> None:
    result = run(
        "- send: '/start {{ actors.admin.id }} {{ chats.vip.id }} {{ plan }}"
        " {{ chats.vip.title }}'\n",
        HEADER,
    )
    assert _greeting(result.steps[0].replies[0])[1] == "1001 -1001 monthly VIP"


def test_a_whole_template_keeps_its_type_in_mappings(run: RunSteps) -> None:
    result = run("- send: {contact: {phone_number: '{{ actors.admin.id }}'}}\n", HEADER)
    assert result.steps[0].replies == ("Phone 1001",)


def test_templates_in_expectations(run: RunSteps) -> None:
    result = run(
        "- send: /start {{ plan }}\n  expect: {reply: {contains: '({{ plan }})'}}\n", HEADER
    )
    assert (result.steps[0].status, result.steps[0].failures) == ("passed", ())


def test_faker_values_are_the_same_for_the_same_seed(run: RunSteps) -> None:
    steps = "- send: '/start {{ faker.name }}'\n- send: '/start {{ faker.name }}'\n"
    first = [s.replies for s in run(steps, HEADER).steps]
    again = [s.replies for s in run(steps, HEADER).steps]
    assert first == again
    assert first[0] != first[1]  # each use draws a new value


def test_faker_values_change_with_the_seed(run: RunSteps) -> None:
    steps = "- send: '/start {{ faker.name }}'\n"
    seven = run(steps, HEADER).steps[0].replies
    eight = run(steps, HEADER.replace("faker_seed: 7", "faker_seed: 8")).steps[0].replies
    overridden = run(steps, HEADER, faker_seed=8).steps[0].replies
    assert seven != eight
    assert overridden == eight


def test_generated_actor_names_are_seeded(run: RunSteps) -> None:
    steps = "- send: /start\n"
    seven = _greeting(run(steps, HEADER).steps[0].replies[0])[0]
    again = _greeting(run(steps, HEADER).steps[0].replies[0])[0]
    other = _greeting(run(steps, HEADER, faker_seed=8).steps[0].replies[0])[0]
    assert seven == again
    assert seven != other
    assert seven.strip() and seven != "carol"


def test_first_name_of_a_generated_actor_in_a_template(run: RunSteps) -> None:
    result = run("- send: '/start {{ actors.carol.first_name }}'\n", HEADER)
    name, args = _greeting(result.steps[0].replies[0])
    assert args == name


def test_vu_is_zero_outside_load_runs(run: RunSteps) -> None:
    result = run("- send: '/start vu{{ vu }}'\n", HEADER)
    assert _greeting(result.steps[0].replies[0])[1] == "vu0"
