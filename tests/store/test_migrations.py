"""Alembic revisions and models must describe the same schema, on both databases."""

import asyncio
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from config.settings import get_settings
from engine.credentials import unseal
from store.db import create_engine
from store.models import Base, include_for_dialect
from tests.conftest import alembic_config


def _drift(url: str) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_for_dialect(connection.dialect.name),
            },
        )
        return list(compare_metadata(context, Base.metadata))

    async def run() -> list[object]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            diff = await connection.run_sync(compare)
        await engine.dispose()
        return diff

    return asyncio.run(run())


def _tables(url: str) -> set[str]:
    async def run() -> set[str]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(run())


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    assert _drift(database_url) == []


def test_downgrade_to_base_and_back(database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    assert _tables(database_url) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert set(Base.metadata.tables) <= _tables(database_url)


def _sql(url: str, statement: str) -> list[Any]:
    async def run() -> list[Any]:
        engine = create_engine(url)
        async with engine.begin() as connection:
            result = await connection.execute(text(statement))
            rows = list(result.all()) if result.returns_rows else []
        await engine.dispose()
        return rows

    return asyncio.run(run())


def test_0006_seals_relay_passwords_stored_in_plaintext(database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "0005")
    _sql(
        database_url,
        "INSERT INTO sender_profiles (name, from_name, from_email, postal_address, smtp_tls,"
        " smtp_password, warmup_plan, created_at, updated_at) VALUES ('old', 'Old',"
        " 'old@pivotal.test', '1 Main Street', 'none', 'plain-secret', '[]',"
        " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    )
    try:
        command.upgrade(config, "head")
        ((stored,),) = _sql(database_url, "SELECT smtp_password FROM sender_profiles")
        assert stored != "plain-secret"
        assert unseal(get_settings().secret_key, stored) == "plain-secret"
        command.downgrade(config, "0005")
        assert _sql(database_url, "SELECT smtp_password FROM sender_profiles") == [
            ("plain-secret",)
        ]
        command.upgrade(config, "head")
    finally:
        _sql(database_url, "DELETE FROM sender_profiles")
