"""Count previews over many contacts on PostgreSQL (DESIGN.md target: ≤ 200 ms at 1,000,000).

    python -m bench.filters --size smoke|full

Starts its own PostgreSQL, migrates it to head, bulk-loads contacts and accounts with COPY,
runs ANALYZE, then times typical filter shapes through `store.filters.count` (the code the
count endpoint runs) and prints `count_<shape>_ms: <p50> ms` per shape, then the worst,
and `count_p50_ms`, `count_p99_ms` over every run of every shape.
`--explain` also prints each shape's plan; `--index "SQL"` (repeatable) creates an index
before timing, to try the fix for a slow shape without touching the migrations.
"""

import argparse
import asyncio
import json
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy import func, text

from bench._postgres import postgres_server
from engine import filters as language
from engine.custom_fields import FieldSpec
from store import filters
from store.db import create_engine, session_factory

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"smoke": 20_000, "full": 1_000_000}
RUNS = {"smoke": 5, "full": 15}
CONTACTS_PER_ACCOUNT = 10
CUSTOM = {"contact": [FieldSpec("seats", "number"), FieldSpec("tier", "select", ("a", "b"))]}
# Server memory as a production box of this size would have it (24 GiB, 2 cores).
SERVER = {"shared_buffers": "2GB", "effective_cache_size": "12GB", "work_mem": "32MB"}
SERVER |= {"max_wal_size": "4GB", "maintenance_work_mem": "1GB"}

EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
FIRST = ["ada", "bob", "cy", "dana", "eli", "fay", "gus", "hana", "ivan", "jo", "kai", "lena"]
LAST = ["smith", "garcia", "nguyen", "müller", "rossi", "khan", "kim", "silva", "ito", "novak"]
LAST += [f"family{i}" for i in range(190)]  # 200 surnames: an equals hits ~0.5 %
TITLES = ["CTO", "VP Engineering", "Head of IT", "IT Manager", "Software Engineer", "CFO"]
TITLES += ["Procurement Lead", "Founder", "Co-Founder & CEO", "Sales Director", "Analyst"]
INDUSTRIES = ["Software", "Retail", "Banking", "Health", "Logistics", "Energy", "Media"]
INDUSTRIES += [f"Industry {i}" for i in range(13)]
COUNTRIES = ["US", "GB", "DE", "FR", "NL", "ES", "IT", "CA", "AU", "IN"]

SHAPES: dict[str, dict[str, Any]] = {
    "equals": {"field": "contact.last_name", "operator": "equals", "value": "garcia"},
    "contains": {"field": "contact.email", "operator": "contains", "value": "nguyen"},
    "ends_with": {"field": "contact.email", "operator": "ends_with", "value": "@company777.com"},
    "date_range_join": {
        "op": "and",
        "conditions": [
            {
                "field": "contact.created_at",
                "operator": "between",
                "value": ["2023-01-01", "2023-03-31"],
            },
            {"field": "account.industry", "operator": "equals", "value": "Software"},
        ],
    },
    "or_group_join": {
        "op": "or",
        "conditions": [
            {"field": "contact.job_title", "operator": "contains", "value": "founder"},
            {"field": "account.industry", "operator": "equals", "value": "Banking"},
        ],
    },
    "custom_number": {"field": "contact.custom.seats", "operator": "gt", "value": 450},
}


# --- data ----------------------------------------------------------------------------------


def _when(rng: random.Random) -> datetime:
    return EPOCH + timedelta(seconds=rng.randrange(3 * 365 * 86_400))


def accounts(count: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for i in range(1, count + 1):
        created = _when(rng)
        yield (
            i,
            f"Company {i}",
            f"company{i}.com",
            rng.choice(INDUSTRIES),
            rng.randrange(100_000, 500_000_000),
            rng.choice(COUNTRIES),
            json.dumps(rng.sample(["python", "aws", "sap", "salesforce", "azure"], 2)),
            "[]",
            "{}",
            created,
            created,
        )


def contacts(count: int, n_accounts: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for i in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        account = rng.randrange(1, n_accounts + 1) if rng.random() < 0.85 else None
        host = f"company{account}.com" if account else f"mail{i % 97}.example"
        created = _when(rng)
        custom = {"seats": rng.randrange(1, 501), "tier": rng.choice("ab")}
        yield (
            i,
            account,
            f"{first} {last}",
            first,
            last,
            rng.choice(TITLES),
            f"{first}.{last}.{i}@{host}",
            "unverified",
            "active",
            f"+1212{i:07d}",
            "valid",
            rng.choice(COUNTRIES),
            "[]",
            json.dumps(custom),
            created,
            created,
        )


ACCOUNT_COLUMNS = [
    "id", "name", "domain", "industry", "annual_revenue", "hq_country",
    "tech_stack", "intent_topics", "custom_fields", "created_at", "updated_at",
]  # fmt: skip
CONTACT_COLUMNS = [
    "id", "account_id", "full_name", "first_name", "last_name", "job_title", "email",
    "email_verification_status", "email_status", "direct_phone_e164", "phone_status",
    "country", "intent_topics", "custom_fields", "created_at", "updated_at",
]  # fmt: skip


async def load(url: str, size: int) -> float:
    """COPY the rows in; returns the seconds it took (ANALYZE included)."""
    rng = random.Random(7)
    n_accounts = max(1, size // CONTACTS_PER_ACCOUNT)
    started = time.perf_counter()
    connection = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        await connection.copy_records_to_table(
            "accounts", records=accounts(n_accounts, rng), columns=ACCOUNT_COLUMNS
        )
        await connection.copy_records_to_table(
            "contacts", records=contacts(size, n_accounts, rng), columns=CONTACT_COLUMNS
        )
        for table in ("accounts", "contacts"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
        await connection.execute("VACUUM ANALYZE accounts, contacts")
    finally:
        await connection.close()
    return time.perf_counter() - started


# --- timing --------------------------------------------------------------------------------


async def time_shapes(
    url: str, runs: int, *, explain: bool, indexes: list[str]
) -> dict[str, list[float]]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    timings: dict[str, list[float]] = {}
    try:
        async with sessions() as session:
            for statement in indexes:
                await session.execute(text(statement))
            if indexes:
                await session.execute(text("ANALYZE contacts, accounts"))
            await session.commit()
        for name, raw in SHAPES.items():
            node = language.validate(raw, custom=CUSTOM)
            async with sessions() as session:
                found = await filters.count(session, node)  # warm-up: caches, plan
                if explain:
                    await _explain(session, node, name)
                timings[name] = []
                for _ in range(runs):
                    started = time.perf_counter()
                    await filters.count(session, node)
                    timings[name].append((time.perf_counter() - started) * 1000)
            print(f"count_{name}_rows: {found} contacts")
    finally:
        await engine.dispose()
    return timings


async def _explain(session: Any, node: language.Group, name: str) -> None:
    query = filters.ids_query(node).with_only_columns(func.count())
    compiled = query.compile(session.bind, compile_kwargs={"literal_binds": True})
    plan = await session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}"))
    print(f"# plan {name}:\n#   " + "\n#   ".join(row[0] for row in plan))


def report(timings: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"count_{name}_ms: {value:.1f} ms")
    worst = max(medians, key=lambda n: medians[n])
    print(f"count_worst_ms: {medians[worst]:.1f} ms ({worst})")
    every = sorted(v for values in timings.values() for v in values)
    print(f"count_p50_ms: {statistics.median(every):.1f} ms")
    print(f"count_p99_ms: {every[min(len(every) - 1, int(len(every) * 0.99))]:.1f} ms")


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="smoke")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--index", action="append", default=[], help="CREATE INDEX … to try")
    args = parser.parse_args()
    size = SIZES[args.size]
    with postgres_server(SERVER) as url:
        migrate(url)
        print(f"contacts: {size} rows")
        print(f"load_s: {asyncio.run(load(url, size)):.1f} s")
        timings = asyncio.run(
            time_shapes(url, RUNS[args.size], explain=args.explain, indexes=args.index)
        )
    report(timings)


if __name__ == "__main__":
    main()
