"""Builders for dialer tests: a call campaign with agents and leads, and a running floor."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.floor import Floor, FloorConfig
from dialer.media import MediaPort
from engine.disposition import DEFAULT_DISPOSITIONS
from engine.roles import Role
from store import users
from store.models import Campaign, Contact, Disposition, QualificationQuestion
from tests.support.published import Published

ALL_DAY = {"start": "00:00", "end": "23:59"}


class Clock:
    """A wall clock tests can hold still or move."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)


@dataclass
class Setup:
    campaign_ids: list[int] = field(default_factory=list)
    agent_ids: list[int] = field(default_factory=list)
    phones: dict[int, str] = field(default_factory=dict)  # contact id → phone


async def add_dispositions(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        for d in DEFAULT_DISPOSITIONS:
            session.add(
                Disposition(
                    code=d.code,
                    label=d.label,
                    rule=d.rule,
                    shortcut=d.shortcut,
                    retry_outcome=d.retry_outcome,
                )
            )


async def add_campaign(
    sessions: async_sessionmaker[AsyncSession],
    phones: list[str],
    *,
    settings: dict[str, Any] | None = None,
    timezone: str | None = "America/New_York",
    setup: Setup,
) -> int:
    async with sessions() as session, session.begin():
        contacts = [
            Contact(
                email=f"c{len(setup.phones) + n}@lead-{len(setup.campaign_ids)}.com",
                direct_phone_e164=phone,
                phone_status="valid",
                timezone=timezone,
            )
            for n, phone in enumerate(phones)
        ]
        session.add_all(contacts)
        await session.flush()
        campaign = Campaign(
            kind="call",
            name=f"Campaign {len(setup.campaign_ids) + 1}",
            settings={"calling_window": ALL_DAY, "wrap_up_seconds": 5} | (settings or {}),
            audience={"contact_ids": [c.id for c in contacts]},
        )
        session.add(campaign)
        await session.flush()
        session.add(
            QualificationQuestion(
                campaign_id=campaign.id,
                key="budget",
                label="Budget?",
                answer_type="radio",
                options=["Yes", "No"],
                required=True,
            )
        )
    setup.campaign_ids.append(campaign.id)
    setup.phones.update({c.id: c.direct_phone_e164 or "" for c in contacts})
    return campaign.id


async def add_agents(
    sessions: async_sessionmaker[AsyncSession], count: int, setup: Setup
) -> list[int]:
    ids = []
    async with sessions() as session, session.begin():
        for _ in range(count):
            n = len(setup.agent_ids) + len(ids)
            user = await users.create(
                session,
                email=f"agent{n}@floor.test",
                full_name=f"Agent {n}",
                password="x",
                role=Role.AGENT,
            )
            ids.append(user.id)
    setup.agent_ids += ids
    return ids


def us_numbers(count: int, area: str = "212", start: int = 0) -> list[str]:
    return [f"+1{area}{2000000 + start + n:07d}" for n in range(count)]


def floor_config(database_url: str, **profile: Any) -> FloorConfig:
    options = {"time_scale": 0.002, "seed": 7} | profile
    return FloorConfig(
        database_url=database_url,
        carrier_options=options,
        tick_seconds=0.02,
        flush_seconds=0.01,
        low_water=20,
    )


async def started(
    config: FloorConfig,
    clock: Clock | None = None,
    media: MediaPort | None = None,
    published: Published | None = None,
) -> Floor:
    """`published`, when given, collects every event the floor sends out."""
    floor = Floor(config, clock=clock or Clock(), media=media, publish=published)
    await floor.start()
    return floor


@asynccontextmanager
async def running(config: FloorConfig, *args: Any, **kwargs: Any) -> AsyncIterator[Floor]:
    """A floor `started` with these arguments, closed on the way out whatever happened."""
    floor = await started(config, *args, **kwargs)
    try:
        yield floor
    finally:
        await floor.close()


async def staffed(floor: Floor, campaigns: list[int], agents: list[int]) -> None:
    """Start these campaigns on `floor` and log every agent in to all of them, ready."""
    for campaign in campaigns:
        await floor.start_campaign(campaign)
    for agent_id in agents:
        floor.login(agent_id, campaigns)
        floor.ready(agent_id)


async def call_campaign(
    sessions: async_sessionmaker[AsyncSession], numbers: list[str], agents: int, **campaign: Any
) -> tuple[int, list[int]]:
    """The default dispositions, a call campaign to `numbers` (`campaign` goes to
    `add_campaign`) and `agents` new agents: (the campaign's id, the agents' ids)."""
    setup = Setup()
    await add_dispositions(sessions)
    campaign_id = await add_campaign(sessions, numbers, setup=setup, **campaign)
    return campaign_id, await add_agents(sessions, agents, setup)
