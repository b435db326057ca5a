"""Recordings streamed with HTTP range requests, to authorised roles, downloads audited."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.recordings import byte_range
from engine.errors import DomainError
from engine.roles import Role
from store.models import AuditEntry, Call, Campaign, Contact, Recording
from tests.conftest import Actors

AUDIO = bytes(range(256)) * 40  # 10,240 bytes


async def a_recording(
    app: FastAPI, sessions: async_sessionmaker[AsyncSession], *, stored: bool = True
) -> int:
    key = "recordings/2026/11/29/call-1.wav"
    if stored:
        await app.state.blobs.put(key, AUDIO, content_type="audio/wav")
    async with sessions() as session, session.begin():
        campaign = Campaign(kind="call", name="C")
        contact = Contact(full_name="Ann")
        session.add_all([campaign, contact])
        await session.flush()
        call = Call(campaign_id=campaign.id, contact_id=contact.id, phone_e164="+12125550100")
        session.add(call)
        await session.flush()
        recording = Recording(call_id=call.id, url=f"blob:{key}")
        session.add(recording)
        await session.flush()
        return recording.id


async def downloads(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        found = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recording.download")
        )
        return len(found.all())


async def test_whole_file_then_ranges_for_seeking(
    app: FastAPI,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
) -> None:
    recording_id = await a_recording(app, sessions)
    qa = await actors.headers_for(Role.QA_ANALYST)
    url = f"/api/v1/recordings/{recording_id}/audio"

    whole = await client.get(url, headers=qa)
    assert whole.status_code == 200 and whole.content == AUDIO
    assert whole.headers["content-type"] == "audio/wav"
    assert whole.headers["accept-ranges"] == "bytes"

    part = await client.get(url, headers=qa | {"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == AUDIO[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(AUDIO)}"

    tail = await client.get(url, headers=qa | {"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == AUDIO[-10:]
    rest = await client.get(url, headers=qa | {"Range": "bytes=10000-"})
    assert rest.content == AUDIO[10000:]

    beyond = await client.get(url, headers=qa | {"Range": "bytes=20000-"})
    assert beyond.status_code == 416
    assert beyond.json()["code"] == "range_not_satisfiable"
    # the whole download is audited; seeking within it is not a new download
    assert await downloads(sessions) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QA_ANALYST, 200),
        (Role.CAMPAIGN_MANAGER, 200),
        (Role.ADMIN, 200),
        (Role.AGENT, 403),
        (Role.DATA_OPS, 403),
        (Role.CLIENT_USER, 403),
    ],
)
async def test_only_reviewers_managers_and_admins_listen(
    app: FastAPI,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
    role: Role,
    status: int,
) -> None:
    recording_id = await a_recording(app, sessions)
    found = await client.get(
        f"/api/v1/recordings/{recording_id}/audio", headers=await actors.headers_for(role)
    )
    assert found.status_code == status
    assert await downloads(sessions) == (1 if status == 200 else 0)


async def test_unknown_or_unstored_recordings_are_404(
    app: FastAPI,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
) -> None:
    qa = await actors.headers_for(Role.QA_ANALYST)
    missing_file = await a_recording(app, sessions, stored=False)
    for recording_id in (missing_file, 999_999):
        found = await client.get(f"/api/v1/recordings/{recording_id}/audio", headers=qa)
        assert found.status_code == 404
    assert (await client.get("/api/v1/recordings/abc/audio", headers=qa)).status_code == 422
    assert await downloads(sessions) == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 99)),
        ("bytes=-5", (95, 99)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=0-1,5-6", None),  # several ranges: served whole
        ("items=0-5", None),
    ],
)
def test_byte_ranges(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=50-10"])
def test_unsatisfiable_ranges(header: str) -> None:
    with pytest.raises(DomainError) as refused:
        byte_range(header, 100)
    assert refused.value.status == 416
