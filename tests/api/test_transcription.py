"""Transcription starts by itself: a recording saved by the dialer's repository while
transcription is on is queued, taken by the API process's worker, uploaded from the storage
port through the AssemblyAI SDK (to a local emulator) and the lead analysed after it; two
API processes never both send one transcript to the vendor."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from api.deps import Principal
from config.settings import Settings
from engine.roles import Role
from store import analysis, dialing
from store.blobs import LocalFolderStore
from store.models import Lead, Recording, Transcript
from tests.api.activity import Activity, at
from tests.conftest import Actors
from tests.support.assemblyai_emulator import AssemblyAIEmulator
from tests.support.waits import wait_for

STALE = timedelta(minutes=11)
AUDIO = b"RIFF....WAVEfmt fake audio of a call"


@contextlib.asynccontextmanager
async def _api_process(settings: Settings, **changes: Any) -> AsyncIterator[FastAPI]:
    """Another app (its own engine and worker) on the test's database."""
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        yield app


def _on(emulator: AssemblyAIEmulator, files: Path) -> dict[str, Any]:
    return {
        "transcription": "assemblyai",
        "assemblyai_api_key": emulator.api_key,
        "assemblyai_base_url": emulator.base_url,
        "assemblyai_poll_seconds": 0.02,
        "transcription_poll_seconds": 0.05,
        "storage_path": str(files),
    }


async def _statuses(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        return list(await session.scalars(select(Transcript.status).order_by(Transcript.id)))


async def _calls(sessions: async_sessionmaker[AsyncSession], agent_id: int, n: int) -> list[int]:
    act = Activity(sessions)
    people = await act.account("Acme", "acme.com", n)
    campaign = await act.campaign("Laptops")
    return [
        await act.call(
            campaign,
            p,
            agent_id,
            at("2026-05-04T10:00"),
            talk=30,
            disposition="qualified",
            lead=True,
        )
        for p in people
    ]


async def test_a_saved_recording_is_transcribed_and_its_lead_analysed_with_no_api_call(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    actors: Actors,
    tmp_path: Path,
) -> None:
    agent = await actors.user(Role.AGENT)
    qa = await actors.headers_for(Role.QA_ANALYST)
    first, second = await _calls(sessions, agent.id, 2)
    await LocalFolderStore(tmp_path).put("recordings/1.wav", AUDIO, content_type="audio/wav")
    async with (
        AssemblyAIEmulator().running() as emulator,
        _api_process(settings, **_on(emulator, tmp_path)),
    ):
        async with sessions() as session, session.begin():
            await dialing.record_recordings(
                session,
                [(first, "blob:recordings/1.wav"), (second, "https://rec.test/2.wav")],
                transcribe=True,
            )
        await wait_for(lambda: _done(sessions, 2))
        uploaded = list(emulator.uploads.values())
        assert uploaded == [AUDIO]  # the stored file went up as bytes, the URL as a URL
        urls = sorted(t.audio_url for t in emulator.transcripts.values())
        assert urls[0] == "https://cdn.assemblyai.test/upload/" + next(iter(emulator.uploads))
        assert urls[1] == "https://rec.test/2.wav"
        assert all(t.speaker_labels for t in emulator.transcripts.values())

        leads = (await client.get("/api/v1/leads", headers=qa)).json()["items"]
        for lead in leads:
            url = f"/api/v1/leads/{lead['id']}/analysis"
            await wait_for(lambda url=url: _analysed(client, qa, url))
            detail = (await client.get(f"/api/v1/leads/{lead['id']}", headers=qa)).json()
            assert detail["transcript"]["text"].startswith("Hi, this is Sam")
    assert emulator.requests.count(("POST", "/v2/transcript")) == 2


async def _done(sessions: async_sessionmaker[AsyncSession], n: int) -> bool:
    statuses = await _statuses(sessions)
    return len(statuses) == n and all(s == "done" for s in statuses)


async def _analysed(client: httpx.AsyncClient, headers: dict[str, str], url: str) -> bool:
    return bool((await client.get(url, headers=headers)).json()["status"] == "done")


async def test_no_transcript_is_queued_when_transcription_is_off(
    sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    agent = await actors.user(Role.AGENT)
    (call_id,) = await _calls(sessions, agent.id, 1)
    async with sessions() as session, session.begin():
        await dialing.record_recordings(session, [(call_id, "blob:recordings/9.wav")])
    async with sessions() as session:
        assert len((await session.scalars(select(Recording))).all()) == 1
    assert await _statuses(sessions) == []


async def test_a_missing_file_fails_the_transcript_with_the_reason(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    actors: Actors,
    tmp_path: Path,
) -> None:
    agent = await actors.user(Role.AGENT)
    (call_id,) = await _calls(sessions, agent.id, 1)
    async with (
        AssemblyAIEmulator().running() as emulator,
        _api_process(settings, **_on(emulator, tmp_path)) as app,
    ):
        with app.state.fanout.subscribe(Principal(Role.QA_ANALYST, None, None)) as watcher:
            async with sessions() as session, session.begin():
                await dialing.record_recordings(
                    session, [(call_id, "blob:recordings/gone.wav")], transcribe=True
                )
            await wait_for(lambda: _failed(sessions))
            [ended] = json.loads(await asyncio.wait_for(watcher.queue.get(), 5))
    async with sessions() as session:
        text = await session.scalar(select(Transcript.text))
        transcript_id = await session.scalar(select(Transcript.id))
        lead_id = await session.scalar(select(Lead.id))
    assert text == "The recording's file is missing from storage."
    assert emulator.requests == []
    assert ended == {
        "type": "transcription.ended",
        "id": transcript_id,
        "status": "failed",
        "message": f"The transcript of lead #{lead_id} failed.",
        "link": f"#/qa?lead={lead_id}",
        "lead_ids": [lead_id],
    }


async def _failed(sessions: async_sessionmaker[AsyncSession]) -> bool:
    return await _statuses(sessions) == ["failed"]


async def test_two_api_processes_never_both_transcribe_one_recording(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    actors: Actors,
    tmp_path: Path,
) -> None:
    agent = await actors.user(Role.AGENT)
    calls = await _calls(sessions, agent.id, 8)
    async with sessions() as session, session.begin():
        await dialing.record_recordings(
            session, [(c, f"https://rec.test/{c}.wav") for c in calls], transcribe=True
        )
    async with AssemblyAIEmulator(processing_polls=2).running() as emulator:
        on = _on(emulator, tmp_path) | {"transcription_concurrency": 3}
        async with _api_process(settings, **on), _api_process(settings, **on):
            await wait_for(lambda: _done(sessions, 8))
    sent = sorted(t.audio_url for t in emulator.transcripts.values())
    assert sent == sorted(f"https://rec.test/{c}.wav" for c in calls)  # each exactly once


async def test_racing_claims_take_each_queued_transcript_once(
    sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    agent = await actors.user(Role.AGENT)
    calls = await _calls(sessions, agent.id, 6)
    async with sessions() as session, session.begin():
        await dialing.record_recordings(
            session, [(c, f"https://rec.test/{c}.wav") for c in calls], transcribe=True
        )

    async def claim_all() -> list[int]:
        mine = []
        while True:
            async with sessions() as session, session.begin():
                claimed = await analysis.claim_transcript(session, stale_after=STALE)
            if claimed is None:
                return mine
            mine.append(claimed)

    taken = [t for batch in await asyncio.gather(*[claim_all() for _ in range(4)]) for t in batch]
    assert len(taken) == len(set(taken)) == 6
    assert await _statuses(sessions) == ["pending"] * 6


async def test_a_transcript_left_pending_by_a_dead_process_is_taken_again_after_its_timeout(
    sessions: async_sessionmaker[AsyncSession], actors: Actors
) -> None:
    agent = await actors.user(Role.AGENT)
    (call_id,) = await _calls(sessions, agent.id, 1)
    async with sessions() as session, session.begin():
        await dialing.record_recordings(
            session, [(call_id, "https://rec.test/1.wav")], transcribe=True
        )
    async with sessions() as session, session.begin():
        first = await analysis.claim_transcript(session, stale_after=STALE)
    async with sessions() as session, session.begin():
        assert await analysis.claim_transcript(session, stale_after=STALE) is None
        transcript = await session.get(Transcript, first)
        assert transcript is not None and transcript.claimed_at is not None
        transcript.claimed_at -= timedelta(minutes=12)  # its worker died 12 minutes ago
    async with sessions() as session, session.begin():
        assert await analysis.claim_transcript(session, stale_after=STALE) == first
