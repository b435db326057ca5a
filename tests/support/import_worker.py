"""Runs one import in its own process, as an API process would, pausing after each chunk so
a test can SIGKILL it mid-way:

    python -m tests.support.import_worker DATABASE_URL IMPORT_ID CHUNK_ROWS PAUSE_SECONDS
"""

import asyncio
import sys
import time
from typing import Any

from config.settings import Settings
from store import imports
from store.db import create_engine, session_factory


async def main(url: str, import_id: int, chunk_rows: int, pause: float) -> None:
    engine = create_engine(url)

    def slowly(event: dict[str, Any]) -> None:
        time.sleep(pause)  # blocks the loop on purpose: the next chunk waits

    try:
        await imports.execute(
            session_factory(engine),
            import_id=import_id,
            settings=Settings(environment="test", database_url=url),
            progress=slowly,
            chunk_rows=chunk_rows,
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    url, import_id, chunk_rows, pause = sys.argv[1:5]
    asyncio.run(main(url, int(import_id), int(chunk_rows), float(pause)))
