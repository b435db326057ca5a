"""The send pacers on real Ray: SIGKILL of the pacer shard's worker process mid-campaign."""

import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
import ray
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.email_gateway import RayEmail
from config.settings import Settings
from store.models import EmailMessage
from tests.actors.emails import Sink, one_step_campaign
from tests.support.waits import wait_for

CONNECTIONS = 2


@pytest.fixture
async def email(
    ray_address: str, settings: Settings, sink: Sink, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[RayEmail]:
    """Started after `sessions` emptied the tables: the pacers rebuild their state from them."""
    pacers = RayEmail(
        settings.model_copy(
            update={
                "dialer_enabled": True,
                "smtp_port": sink.port,
                "smtp_connections": CONNECTIONS,
                "public_base_url": "https://pivotal.test",
            }
        ),
        namespace=f"t-{uuid.uuid4().hex[:8]}",
    )
    await pacers.start()
    yield pacers
    await pacers.close()
    ray.kill(pacers.host.actor, no_restart=True)


async def _rows(sessions: async_sessionmaker[AsyncSession], campaign: int) -> list[EmailMessage]:
    async with sessions() as session:
        query = select(EmailMessage).where(EmailMessage.campaign_id == campaign)
        return list((await session.scalars(query)).all())


@pytest.mark.slow
async def test_a_sigkilled_pacer_process_resumes_with_no_duplicate_and_no_gap(
    email: RayEmail, sink: Sink, sessions: async_sessionmaker[AsyncSession]
) -> None:
    emails = [f"r{n}@ok.com" for n in range(80)]
    campaign = await one_step_campaign(sessions, emails, rate_per_minute=1200)
    await email.command("start_campaign", campaign)
    await wait_for(_received(sink, 15))
    first_pid = await email.host.actor.ping.remote()
    os.kill(first_pid, signal.SIGKILL)
    received_at_kill = len(sink.handler.received)
    assert received_at_kill < len(emails)  # killed mid-campaign

    await wait_for(_running(email), within=30)
    assert await email.host.actor.ping.remote() != first_pid  # a new worker process
    await wait_for(lambda: _settled(sessions, campaign), within=60)

    received = sink.handler.recipients()
    assert max(received.values()) == 1  # no duplicate: never two mails to one contact
    rows = {r.to_email: r.status for r in await _rows(sessions, campaign)}
    assert sorted(rows) == sorted(emails)  # one row per (campaign, step, contact)
    statuses = Counter(rows.values())
    assert statuses.keys() <= {"sent", "unknown"}
    # At most once: only messages that were with the relay when the process died can be
    # `unknown`, and they are bounded by the relay's in-flight slots.
    assert statuses["unknown"] <= 2 * CONNECTIONS
    sent = {e for e, s in rows.items() if s == "sent"}
    assert sent <= set(received)  # every row marked sent reached the relay
    # No silent gap: a contact the relay never got is one whose message was inside an SMTP
    # transaction at the kill; it is marked `unknown` for an operator, never resent (a
    # second mail would break at-most-once), so at most the in-flight slots are missing.
    missing = set(emails) - set(received)
    assert missing <= {e for e, s in rows.items() if s == "unknown"}
    assert len(received) >= len(emails) - 2 * CONNECTIONS


def _received(sink: Sink, at_least: int):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        return len(sink.handler.received) >= at_least

    return check


def _running(email: RayEmail):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        try:
            return bool(await email.command("campaigns_snapshot"))
        except Exception:
            return False

    return check


async def _settled(sessions: async_sessionmaker[AsyncSession], campaign: int) -> bool:
    rows = await _rows(sessions, campaign)
    return bool(rows) and all(r.status in ("sent", "unknown") for r in rows)
