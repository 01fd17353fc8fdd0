"""`wbpulse login-link`: a one-time dashboard link for a user of the configured database, on the user's
own terminal only. Its code signs in once at POST /v1/auth/code, as a code the bot asked for would."""

import base64
import re
import secrets
from pathlib import Path
from urllib.parse import unquote

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from bootstrap.app import create_app
from bootstrap.container import build_container
from domain.identity import User
from tests.integration.test_http_app import Client, settings_for
from tests.integration.wbpulse_process import clean_env, run_to_end

PORT = 8123  # only written into the link: nothing listens on it
LINK = re.compile(
    rf"^open the dashboard: http://localhost:{PORT}/app/login\?code=(\S+)  "
    r"\(good once, for 5 minutes; `wbpulse login-link` prints a new one\)$"
)


@pytest.fixture
def env(database_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DATA_DIR=str(tmp_path / "data"),
        PORT=str(PORT),
        API_SECRET_KEY="login-link-test-key",
        JWT_SECRET="jwt-secret-for-the-login-link-test-0123",
        ENCRYPTION_KEY=base64.urlsafe_b64encode(b"l" * 32).decode(),
    )


@pytest.fixture
async def api(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    return await aiohttp_client(create_app(build_container(settings_for(database_url, redis_url))))


async def a_user(engine: AsyncEngine) -> int:
    telegram_id = secrets.randbelow(10**12) + 1
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        await uow.users.add(User(telegram_id=telegram_id, username="seller", first_name="Ann"))
        await uow.commit()
    return telegram_id


async def test_login_link_prints_a_link_whose_code_signs_in_once(
    env: dict[str, str], tmp_path: Path, pg_engine: AsyncEngine, api: TestClient
) -> None:
    telegram_id = await a_user(pg_engine)
    result = run_to_end(["login-link", "--telegram-id", str(telegram_id)], env, tmp_path)
    assert result.returncode == 0, result.stderr
    match = LINK.match(result.stdout.strip())
    assert match is not None, result.stdout
    code = unquote(match.group(1))
    assert code not in result.stderr  # the code goes to the terminal, never to a log line
    first = await api.post("/v1/auth/code", json={"code": code})
    assert first.status == 200
    assert (await first.json())["token_type"] == "Bearer"
    again = await api.post("/v1/auth/code", json={"code": code})
    assert again.status == 401


async def test_each_login_link_is_a_new_code(
    env: dict[str, str], tmp_path: Path, pg_engine: AsyncEngine
) -> None:
    telegram_id = await a_user(pg_engine)
    links = [
        run_to_end(["login-link", "--telegram-id", str(telegram_id)], env, tmp_path).stdout for _ in "ab"
    ]
    assert all(LINK.match(link.strip()) for link in links), links
    assert links[0] != links[1]


def test_login_link_for_an_unknown_user_says_so_and_prints_no_link(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = run_to_end(["login-link", "--telegram-id", "999999999999"], env, tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("wbpulse: no user with telegram id 999999999999")
