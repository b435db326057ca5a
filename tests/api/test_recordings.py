"""Recordings streamed with HTTP range requests, to authorised roles, downloads audited."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.recordings import byte_range
from config.settings import Settings
from engine import recordings as links
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


@pytest.fixture
async def recording_id(app: FastAPI, sessions: async_sessionmaker[AsyncSession]) -> int:
    """A recording whose audio is stored (`a_recording`)."""
    return await a_recording(app, sessions)


async def downloads(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        found = await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "recording.download")
        )
        return len(found.all())


async def test_whole_file_then_ranges_for_seeking(
    recording_id: int,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
) -> None:
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
    recording_id: int,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
    role: Role,
    status: int,
) -> None:
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


async def test_a_signed_link_streams_with_ranges_without_the_bearer_token(
    recording_id: int,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
) -> None:
    qa = await actors.user(Role.QA_ANALYST)
    linked = await client.post(
        f"/api/v1/recordings/{recording_id}/link", headers=actors.headers(qa)
    )
    assert linked.status_code == 200
    url = linked.json()["url"]
    expires_at = datetime.fromisoformat(linked.json()["expires_at"])
    assert url.startswith(f"/api/v1/recordings/{recording_id}/audio?token=")
    assert timedelta(minutes=4) < expires_at - datetime.now(UTC) <= timedelta(minutes=5)

    first = await client.get(url, headers={"Range": "bytes=0-"})
    assert first.status_code == 206 and first.content == AUDIO
    seek = await client.get(url, headers={"Range": "bytes=5000-5099"})
    assert seek.status_code == 206 and seek.content == AUDIO[5000:5100]
    assert seek.headers["content-range"] == f"bytes 5000-5099/{len(AUDIO)}"
    # the playback from the first byte is audited as the user who asked for the link
    async with sessions() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "recording.download")
            )
        ).all()
    assert [(e.actor_id, e.target_id) for e in entries] == [(qa.id, str(recording_id))]


async def test_forged_expired_or_foreign_links_are_refused(
    app: FastAPI,
    recording_id: int,
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
    settings: Settings,
) -> None:
    other_id = await a_recording(app, sessions)
    qa = await actors.headers_for(Role.QA_ANALYST)
    url = (await client.post(f"/api/v1/recordings/{recording_id}/link", headers=qa)).json()["url"]
    token = url.partition("token=")[2]
    holder = links.LinkHolder(user_id=1, api_key_id=None)

    def audio(rec: int, tok: str) -> str:
        return f"/api/v1/recordings/{rec}/audio?token={tok}"

    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    expired = links.link_token(
        settings.secret_key,
        recording_id=recording_id,
        holder=holder,
        expires_at=datetime.now(UTC) - timedelta(seconds=1),
    )
    other_key = links.link_token(
        "x" * 40,
        recording_id=recording_id,
        holder=holder,
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    for bad in (forged, expired, other_key, "nonsense"):
        refused = await client.get(audio(recording_id, bad))
        assert refused.status_code == 401, bad
        assert refused.json()["code"] == "unauthenticated"
    assert "expired" in (await client.get(audio(recording_id, expired))).json()["message"]
    # a good link names one recording only
    foreign = await client.get(audio(other_id, token))
    assert foreign.status_code == 404 and foreign.json()["code"] == "not_found"
    assert (await client.get(f"/api/v1/recordings/{recording_id}/audio")).status_code == 401
    assert await downloads(sessions) == 0


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.AGENT, 403)])
async def test_links_follow_the_audio_access_rules(
    recording_id: int,
    client: httpx.AsyncClient,
    actors: Actors,
    role: Role,
    status: int,
) -> None:
    headers = await actors.headers_for(role)
    linked = await client.post(f"/api/v1/recordings/{recording_id}/link", headers=headers)
    assert linked.status_code == status
    missing = await client.post("/api/v1/recordings/999999/link", headers=headers)
    assert missing.status_code == (404 if status == 200 else 403)
