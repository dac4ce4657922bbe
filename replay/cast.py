"""The people and chats of a run: actors with Faker-filled gaps, chats with their ids.

Values are generated from a Faker seeded with the scenario's `faker_seed`, in the order the
actors are defined, so a scenario always meets the same Alice. Generated ids stay in a range
that seeded database rows and small hand-written ids do not use.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from faker import Faker

from replay.scenario.model import ActorSpec, ChatSpec
from replay.target import ActorInfo, ChatInfo
from replay.telegram.world import TgChat, TgUser

GENERATED_ID_RANGE = (700_000_000, 799_999_999)


@dataclass(frozen=True, slots=True)
class Cast:
    actors: Mapping[str, ActorInfo]
    chats: Mapping[str, ChatInfo]

    @property
    def admin_ids(self) -> tuple[int, ...]:
        return tuple(actor.id for actor in self.actors.values() if actor.admin)

    def admin_ids_of_vus(self, vus: int, shared: frozenset[str]) -> tuple[int, ...]:
        """The ids admin actors get as virtual users 1..vus (load runs): the app must know
        them all as admins from the start."""
        positions = [
            position
            for position, actor in enumerate(self.actors.values())
            if actor.admin and actor.name not in shared
        ]
        return tuple(vu_actor_id(p, vu) for vu in range(1, vus + 1) for p in positions)

    def user(self, name: str) -> TgUser:
        actor = self.actors[name]
        return TgUser(
            actor.id,
            first_name=actor.first_name,
            last_name=actor.last_name,
            username=actor.username,
            language_code=actor.language_code,
        )

    def chat(self, name: str) -> TgChat:
        chat = self.chats[name]
        return TgChat(chat.id, chat.type, title=chat.title)


def build_cast(
    actors: Mapping[str, ActorSpec],
    chats: Mapping[str, ChatSpec],
    faker_seed: int,
    *,
    vu: int = 0,
    shared: frozenset[str] = frozenset(),
) -> Cast:
    """Actors and chats of one (virtual) user; `vu` > 0 gives each unshared actor its own id."""
    faker = Faker()
    faker.seed_instance(faker_seed)
    low, high = GENERATED_ID_RANGE
    used: set[int] = {spec.id for spec in actors.values() if spec.id is not None}
    cast: dict[str, ActorInfo] = {}
    for position, (name, spec) in enumerate(actors.items()):
        first = spec.first_name or faker.first_name()
        last = spec.last_name if spec.first_name else faker.last_name()
        username = spec.username or f"{first}_{faker.pystr(min_chars=4, max_chars=4)}".lower()
        actor_id = spec.id if spec.id is not None else faker.random_int(low, high)
        while spec.id is None and actor_id in used:
            actor_id = faker.random_int(low, high)
        used.add(actor_id)
        if vu and name not in shared:
            actor_id = vu_actor_id(position, vu)
        cast[name] = ActorInfo(
            name=name,
            id=actor_id,
            first_name=first,
            last_name=last or None,
            username=username,
            language_code=spec.language_code or "en",
            admin=spec.admin,
        )
    chat_infos: dict[str, ChatInfo] = {}
    for name, chat_spec in chats.items():
        chat_id = chat_spec.id
        if chat_id is None:
            chat_id = -1_000_000_000_000 - zlib.crc32(name.encode())
        chat_infos[name] = ChatInfo(name, chat_id, chat_spec.type, chat_spec.title or name)
    return Cast(cast, chat_infos)


VU_ID_BASE = 1_000_000_000
MAX_ACTORS_PER_VU = 1000


def vu_actor_id(position: int, vu: int) -> int:
    """The id of the actor at `position` (in the scenario) as virtual user `vu`: distinct for
    every pair, deterministic, and clear of generated (7xx,xxx,xxx) and small hand-written ids."""
    return VU_ID_BASE + vu * MAX_ACTORS_PER_VU + position
