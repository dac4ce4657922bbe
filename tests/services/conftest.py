"""The servers behind the service tests: PostgreSQL and Redis, named by the environment.

`REPLAY_TEST_POSTGRES_URL` (postgresql+asyncpg://postgres@127.0.0.1:5432/postgres) and
`REPLAY_TEST_REDIS_URL` (redis://127.0.0.1:6379/0) switch the tests on; without them the tests
skip and say which variable they need. CI sets `REPLAY_REQUIRE_SERVICES=1`, which turns a
missing URL into a failure, so the tests cannot silently skip there.

The helpers look at what replay leaves on the servers by name: `replay_<scenario>_*`
databases and `replay:<scenario>:*` keys, so tests running at the same time (each with
scenarios of their own names) do not see each other's.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from replay.postgres import leftover_databases

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIOS = ROOT / "tests" / "scenarios" / "services"

POSTGRES_VAR = "REPLAY_TEST_POSTGRES_URL"
REDIS_VAR = "REPLAY_TEST_REDIS_URL"
REQUIRE_VAR = "REPLAY_REQUIRE_SERVICES"


def service_url(variable: str, example: str) -> str:
    """The URL in `variable`; a skip with the reason, or a failure when services are required."""
    url = os.environ.get(variable, "").strip()
    if url:
        return url
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(
            f"{REQUIRE_VAR}=1 but {variable} is not set; export {variable}={example}",
            pytrace=False,
        )
    pytest.skip(f"set {variable}={example} to run the tests against a real server")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return service_url(POSTGRES_VAR, "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def redis_url() -> str:
    return service_url(REDIS_VAR, "redis://127.0.0.1:6379/0")


def sandbox_databases(server_url: str, scenario: str) -> set[str]:
    """The throwaway databases of `scenario` on the server right now."""
    names = asyncio.run(leftover_databases(server_url))
    return {name for name in names if name.startswith(f"replay_{scenario}_")}


def redis_keys(url: str, pattern: str) -> set[str]:
    """The keys matching `pattern` in the Redis at `url`."""
    import redis

    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        return set(client.scan_iter(match=pattern))
    finally:
        client.close()
