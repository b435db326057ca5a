"""Contact import of a generated CSV (DESIGN.md target: 100,000 contacts ≤ 15 s; aim ≤ 5 s).

    python -m bench.imports --size smoke|full

Generates realistic contacts (some invalid phones and emails, some duplicates within the
file, a tenth matching existing contacts), then times the import the API runs: reading and
sniffing the file (`engine.imports.read_table`), the mapping check and `store.imports.run`
(validation, dedup, chunked bulk writes, error rows). On a PostgreSQL it starts itself, and
on SQLite; a bare PostgreSQL COPY of the same valid rows is printed as the physical floor.
Prints `import_100k_s` (PostgreSQL; at smoke size the time scaled to 100,000 rows),
`rows_per_s`, `error_rows`, `copy_100k_s`, `peak_rss_mb`, and the same on SQLite.
"""

import argparse
import asyncio
import csv
import io
import random
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select

from bench._postgres import postgres_server
from engine import imports as rules
from store import imports as store
from store.db import create_engine, session_factory
from store.models import Account, Contact

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"smoke": 5_000, "full": 100_000}
SERVER = {"shared_buffers": "1GB", "max_wal_size": "4GB", "synchronous_commit": "off"}
FIRST = ["Ada", "Bob", "Cy", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Zoë"]
LAST = ["Smith", "Garcia", "Nguyen", "Müller", "Rossi", "Khan", "Kim", "Silva", "Ito"]
TITLES = ["CTO", "VP Engineering", "Head of IT", "IT Manager", "CFO", "Founder"]
HEADERS = ["First Name", "Last Name", "E-mail", "Work Phone", "Job Title", "City", "Country"]
ACCOUNTS = 1_000


def generate(size: int) -> tuple[bytes, int]:
    """The CSV file and how many of its rows are bad (invalid or duplicated)."""
    rng = random.Random(11)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    bad = 0
    for i in range(size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{i}@company{i % (ACCOUNTS * 2)}.com"
        phone = f"(212) {200 + i // 10_000:03d}-{i % 10_000:04d}"
        roll = rng.random()
        if roll < 0.02:
            email, bad = email.replace("@", " at "), bad + 1
        elif roll < 0.04:
            phone, bad = "555-01", bad + 1
        elif roll < 0.05 and i > 0:
            j = rng.randrange(i)  # a duplicate of an earlier row (by phone)
            phone, bad = f"(212) {200 + j // 10_000:03d}-{j % 10_000:04d}", bad + 1
        writer.writerow([first, last, email, phone, rng.choice(TITLES), "Paris, TX", "US"])
    return buffer.getvalue().encode(), bad


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


async def import_file(url: str, content: bytes) -> tuple[float, int, int]:
    """(seconds, contacts written, error rows) for one import into a fresh database."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            accounts = [
                {"name": f"Company {i}", "domain": f"company{i}.com"} for i in range(ACCOUNTS)
            ]
            await session.execute(insert(Account), accounts)
            job = await store.create(
                session, filename="bench.csv", options={}, rows_total=0, by_user=None
            )
        started = time.perf_counter()
        table = rules.read_table(content, "bench.csv")
        mapping = rules.check_mapping(rules.suggest_mapping(table.headers), table.headers, [])
        async with sessions() as session, session.begin():
            job = await store.get_or_raise(session, import_id=job.id)
            await store.mark_running(session, job=job, mapping=mapping)
        await store.run(
            sessions,
            import_id=job.id,
            table=table,
            mapping=mapping,
            specs=[],
            options=rules.Options(),
            parallel=True,  # as a file of POOL_ROWS rows or more is, at any --size
        )
        seconds = time.perf_counter() - started
        async with sessions() as session:
            job = await store.get_or_raise(session, import_id=job.id)
            assert job.status == "finished", job.options.get("failure")
            written = int(await session.scalar(select(func.count()).select_from(Contact)) or 0)
        return seconds, written, job.rows_failed
    finally:
        await engine.dispose()


async def bare_copy(url: str, content: bytes) -> float:
    """COPY of the same rows, already clean, into an empty copy of the contacts table."""
    table = rules.read_table(content, "bench.csv")
    now = datetime.now(UTC)
    fixed = ("unverified", "active", "valid", "[]", "{}", now, now)
    records = [(r[0], r[1], f"x{i}{r[2]}", r[3], r[4], *fixed) for i, r in enumerate(table.rows)]
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        await connection.execute("CREATE TABLE copy_floor (LIKE contacts INCLUDING ALL)")
        started = time.perf_counter()
        await connection.copy_records_to_table(
            "copy_floor",
            records=records,
            columns=[
                "first_name",
                "last_name",
                "email",
                "direct_phone",
                "job_title",
                "email_verification_status",
                "email_status",
                "phone_status",
                "intent_topics",
                "custom_fields",
                "created_at",
                "updated_at",
            ],
        )
        return time.perf_counter() - started
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="smoke")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    size = SIZES[args.size]
    content, bad = generate(size)
    print(f"rows: {size} ({len(content) / 1e6:.1f} MB, {bad} bad or duplicated)")
    with postgres_server(SERVER) as url:
        migrate(url)
        seconds, written, errors = asyncio.run(import_file(url, content))
        copy_s = asyncio.run(bare_copy(url, content))
    print(f"import_100k_s: {seconds * 100_000 / size:.2f} s (scaled to 100k from {size})")
    print(f"import_s: {seconds:.2f} s")
    print(f"rows_per_s: {size / seconds:.0f}")
    print(f"contacts_written: {written}")
    print(f"error_rows: {errors}")
    print(f"copy_100k_s: {copy_s * 100_000 / size:.2f} s")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            migrate(url)
            seconds, _, _ = asyncio.run(import_file(url, content))
        print(f"sqlite_import_100k_s: {seconds * 100_000 / size:.2f} s")
        print(f"sqlite_rows_per_s: {size / seconds:.0f}")
    store.shutdown_pool()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak_rss_mb: {peak:.0f} MB (this process: file, chunks, writes)")
    # The largest child process: a validation worker or a PostgreSQL process.
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"child_peak_rss_mb: {children:.0f} MB (validation workers, PostgreSQL)")


if __name__ == "__main__":
    main()
