"""Alembic environment: runs revisions on the async engine for the configured database.

The URL comes from `sqlalchemy.url` when a caller sets it (tests do), else from settings.
"""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from config.settings import get_settings
from store.db import create_engine
from store.models import Base, include_for_dialect

config = context.config
target_metadata = Base.metadata


def _do_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_for_dialect(connection.dialect.name),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run)
    await engine.dispose()


def run() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    asyncio.run(_run_online(url))


run()
