"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per session (tests/support/postgres.py); both
databases are migrated with Alembic to head, exactly as the run command does.
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from api.security import create_access_token
from bench._postgres import postgres_server
from config.settings import Settings
from engine.roles import Role
from store import users
from store.models import Base, Client, User
from tests.actors.emails import Sink, smtp_sink
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    return config


@pytest.fixture
def sink() -> Iterator[Sink]:
    """A real SMTP server (aiosmtpd) keeping what it receives, for the pacer's tests."""
    yield from smtp_sink()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server({"max_connections": "200"}) as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    command.upgrade(alembic_config(url), "head")
    return url


def settings_for(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    """The tests' settings: the API alone (no dialer, media or sink unless `overrides` turn
    them on), files under `tmp_path`; a module's own `settings` fixture passes its extras."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": "t" * 40,
        "dialer_enabled": False,
        "smtp_sink_enabled": False,
        "media_enabled": False,
        "storage_path": str(tmp_path / "files"),
    }
    return Settings(**(values | overrides))


def sink_settings(database_url: str, tmp_path: Path) -> Settings:
    """The tests' settings with the embedded SMTP sink on: a free port, its Maildir under
    `tmp_path`."""
    return settings_for(
        database_url,
        tmp_path,
        smtp_sink_enabled=True,
        smtp_sink_port=free_port(),
        smtp_sink_maildir=str(tmp_path / "mail"),
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await _empty_all_tables(app.state.sessions)
        yield app


async def _empty_all_tables(sessions: async_sessionmaker[AsyncSession]) -> None:
    tables = Base.metadata.sorted_tables
    async with sessions() as session, session.begin():
        if session.bind.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                await session.execute(delete(table))


@pytest.fixture
def sessions(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    factory: async_sessionmaker[AsyncSession] = app.state.sessions
    return factory


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class Actors:
    """Builds users of any role and the headers that authenticate them."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessions = sessions
        self.settings = settings
        self.count = 0

    async def client_org(self, name: str) -> Client:
        async with self.sessions() as session, session.begin():
            org = Client(name=name)
            session.add(org)
        return org

    async def user(
        self, role: Role, client_id: int | None = None, password: str = "pw-123456789"
    ) -> User:
        self.count += 1
        async with self.sessions() as session, session.begin():
            return await users.create(
                session,
                email=f"{role.value}{self.count}@test.pivotal.dev",
                full_name=f"{role.value} {self.count}",
                password=password,
                role=role,
                client_id=client_id,
            )

    def headers(self, user: User) -> dict[str, str]:
        token = create_access_token(self.settings, user_id=user.id, role=user.role)
        return {"Authorization": f"Bearer {token}"}

    async def headers_for(self, role: Role, client_id: int | None = None) -> dict[str, str]:
        return self.headers(await self.user(role, client_id))


@pytest.fixture
def actors(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> Actors:
    return Actors(sessions, settings)
