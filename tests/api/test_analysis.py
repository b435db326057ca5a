"""AI analysis and transcription over HTTP: the real SDKs against local emulators of the
vendors' APIs, and the embedded defaults (rule-based scoring, transcription off) without."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from engine.roles import Role
from store.models import Call, Campaign, Contact, Lead, QualificationQuestion, Recording
from tests.conftest import Actors
from tests.support.assemblyai_emulator import AssemblyAIEmulator
from tests.support.openai_emulator import OpenAIEmulator

Lead_ = tuple[int, int]  # (lead id, recording id)


async def _lead(
    sessions: async_sessionmaker[AsyncSession], answers: dict[str, Any], **timeline: Any
) -> Lead_:
    """A lead of a campaign asking budget (required) and timeline (`timeline` changes it)."""
    async with sessions() as session, session.begin():
        campaign = Campaign(kind="call", name="Laptops", settings={})
        contact = Contact(full_name="Ada Buyer", email="ada@acme.test")
        session.add_all([campaign, contact])
        await session.flush()
        session.add_all(
            [
                QualificationQuestion(
                    campaign_id=campaign.id,
                    key="budget",
                    label="Budget?",
                    answer_type="number",
                    required=True,
                    position=0,
                ),
                QualificationQuestion(
                    campaign_id=campaign.id,
                    key="timeline",
                    label="When?",
                    answer_type="choice",
                    options=["q1", "q2", "later"],
                    position=1,
                    **timeline,
                ),
            ]
        )
        call = Call(
            campaign_id=campaign.id,
            contact_id=contact.id,
            phone_e164="+12125550100",
            status="ended",
            disposition="qualified",
        )
        session.add(call)
        await session.flush()
        recording = Recording(call_id=call.id, url="https://rec.test/call-1.wav")
        lead = Lead(
            campaign_id=campaign.id, contact_id=contact.id, call_id=call.id, answers=answers
        )
        session.add_all([recording, lead])
        await session.flush()
        return lead.id, recording.id


@contextlib.asynccontextmanager
async def _serving(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app with some settings changed, on the same database as the `client` fixture."""
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


def _openai(emulator: OpenAIEmulator, api_key: str | None = None) -> dict[str, Any]:
    """Settings that send the analysis to this emulator, with its key unless told another."""
    return {
        "analysis": "openai",
        "openai_api_key": api_key or emulator.api_key,
        "openai_base_url": emulator.base_url,
    }


def _assemblyai(emulator: AssemblyAIEmulator) -> dict[str, Any]:
    """Settings that send transcriptions to this emulator, polled every 20 ms."""
    return {
        "transcription": "assemblyai",
        "assemblyai_api_key": emulator.api_key,
        "assemblyai_base_url": emulator.base_url,
        "assemblyai_poll_seconds": 0.02,
    }


async def _settled(
    client: httpx.AsyncClient, headers: dict[str, str], lead_id: int
) -> dict[str, Any]:
    for _ in range(500):
        response = await client.get(f"/api/v1/leads/{lead_id}/analysis", headers=headers)
        assert response.status_code == 200, response.text
        if response.json()["status"] != "pending":
            return dict(response.json())
        await asyncio.sleep(0.02)
    raise AssertionError("the analysis stayed pending")


async def _transcript(
    client: httpx.AsyncClient, headers: dict[str, str], lead_id: int
) -> dict[str, Any]:
    for _ in range(500):
        response = await client.get(f"/api/v1/leads/{lead_id}", headers=headers)
        transcript = response.json()["transcript"]
        if transcript is not None and transcript["status"] not in ("queued", "pending"):
            return dict(transcript)
        await asyncio.sleep(0.02)
    raise AssertionError("the transcript stayed pending")


async def _analyse(
    client: httpx.AsyncClient, headers: dict[str, str], lead_id: int
) -> dict[str, Any]:
    started = await client.post(f"/api/v1/leads/{lead_id}/analysis", headers=headers)
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "pending"
    return await _settled(client, headers, lead_id)


@pytest.fixture
async def qa(actors: Actors) -> dict[str, str]:
    return await actors.headers_for(Role.QA_ANALYST)


async def test_embedded_default_scores_by_rules_and_leaves_transcription_off(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    actors: Actors,
    qa: dict[str, str],
) -> None:
    lead_id, recording_id = await _lead(sessions, {"budget": 5000, "timeline": "next year"})
    before = await client.get(f"/api/v1/leads/{lead_id}/analysis", headers=qa)
    assert before.json()["status"] == "none"
    done = await _analyse(client, qa, lead_id)
    assert done["status"] == "done", done
    assert done["model"] == "rules"
    result = done["result"]
    # budget (required) 46.7 of 46.7, timeline half of 23.3 (not an option), disposition 30
    assert result["score"] == 88
    assert [r["criterion"] for r in result["reasons"]] == ["budget", "timeline", "disposition"]
    assert "not one of the options" in result["reasons"][1]["note"]
    detail = (await client.get(f"/api/v1/leads/{lead_id}", headers=qa)).json()
    assert detail["ai_score"] == 88
    assert detail["ai_analysis"]["summary"] == result["summary"]

    off = await client.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
    assert off.status_code == 409
    assert "Transcription is off" in off.json()["message"]
    missing = await client.post("/api/v1/recordings/999999/transcribe", headers=qa)
    assert missing.status_code == 404
    agent = await actors.headers_for(Role.AGENT)
    refused = await client.post(f"/api/v1/leads/{lead_id}/analysis", headers=agent)
    assert refused.status_code == 403
    manager = await actors.headers_for(Role.CAMPAIGN_MANAGER)
    assert (
        await client.post(f"/api/v1/leads/{lead_id}/analysis", headers=manager)
    ).status_code == 403
    assert (
        await client.get(f"/api/v1/leads/{lead_id}/analysis", headers=manager)
    ).status_code == 200
    assert (await client.post("/api/v1/leads/999999/analysis", headers=qa)).status_code == 404


@pytest.mark.parametrize("required", [False, True])
async def test_rule_based_analysis_refuses_points_to_a_non_qualifying_answer(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    qa: dict[str, str],
    required: bool,
) -> None:
    answers = {"budget": 5000, "timeline": "later"}
    lead_id, _ = await _lead(sessions, answers, required=required, qualifying_options=["q1", "q2"])
    result = (await _analyse(client, qa, lead_id))["result"]
    timeline = result["reasons"][1]
    assert timeline["points"] == 0
    assert timeline["note"] == "answered 'later': does not qualify (qualifying: 'q1', 'q2')"
    if required:  # budget 35 + disposition 30 = 65, capped: a required answer disqualifies
        assert result["score"] == 40
        assert "Disqualified: required timeline" in result["summary"]
    else:  # budget 46.7 + disposition 30
        assert result["score"] == 77
        assert "Disqualified" not in result["summary"]


async def test_a_run_left_pending_by_a_restart_shows_as_interrupted(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], qa: dict[str, str]
) -> None:
    lead_id, _ = await _lead(sessions, {"budget": 1})
    long_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    async with sessions() as session, session.begin():
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.ai_analysis = {"status": "pending", "run": "old", "model": "rules", "at": long_ago}
    shown = (await client.get(f"/api/v1/leads/{lead_id}/analysis", headers=qa)).json()
    assert shown["status"] == "failed"
    assert shown["error"] == "The run was interrupted; run it again."
    assert (await _analyse(client, qa, lead_id))["status"] == "done"


async def test_the_ai_result_is_stored_shown_and_a_malformed_answer_fails_until_retried(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    qa: dict[str, str],
) -> None:
    lead_id, _ = await _lead(sessions, {"budget": 5000, "timeline": "q1"})
    async with (
        OpenAIEmulator(api_key="sk-test").running() as emulator,
        _serving(settings, **_openai(emulator), openai_model="gpt-4o-mini") as http,
    ):
        done = await _analyse(http, qa, lead_id)
        assert done["status"] == "done", done
        assert done["model"] == "openai:gpt-4o-mini"
        assert done["result"]["score"] == 82
        assert done["result"]["sentiment"] == "positive"
        sent = emulator.requests[-1]
        assert sent["response_format"]["type"] == "json_schema"
        assert sent["response_format"]["json_schema"]["strict"] is True
        assert '"budget"' in sent["messages"][1]["content"]
        detail = (await http.get(f"/api/v1/leads/{lead_id}", headers=qa)).json()
        assert detail["ai_score"] == 82
        assert detail["ai_analysis"]["reasons"][0]["criterion"] == "budget"

        emulator.mode = "malformed"
        failed = await _analyse(http, qa, lead_id)
        assert failed["status"] == "failed"
        assert failed["error"].startswith("Malformed AI answer: The AI's answer is not JSON")
        assert failed["result"] is None
        detail = (await http.get(f"/api/v1/leads/{lead_id}", headers=qa)).json()
        assert detail["ai_score"] is None
        # QA is not blocked by a failed analysis
        moved = await http.post(
            f"/api/v1/leads/{lead_id}/transition", json={"to": "under_review"}, headers=qa
        )
        assert moved.status_code == 200, moved.text

        emulator.mode = "http_500"
        failed = await _analyse(http, qa, lead_id)
        assert failed["error"] == "The AI answered HTTP 500."

        emulator.mode = "ok"
        retried = await _analyse(http, qa, lead_id)
        assert retried["status"] == "done"
        assert retried["result"]["score"] == 82


async def test_a_wrong_key_or_a_slow_ai_ends_as_failed(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    qa: dict[str, str],
) -> None:
    lead_id, _ = await _lead(sessions, {"budget": 5000})
    async with OpenAIEmulator(mode="slow", delay_s=1.0).running() as emulator:
        async with _serving(settings, **_openai(emulator, "sk-wrong")) as http:
            failed = await _analyse(http, qa, lead_id)
            assert failed["error"] == "The AI answered HTTP 401."
            assert emulator.refusals == [(401, "Incorrect API key provided.")]
        async with _serving(settings, **_openai(emulator), analysis_timeout_seconds=0.3) as http:
            timed_out = await _analyse(http, qa, lead_id)
            assert timed_out["status"] == "failed"
            assert timed_out["error"] in {
                "The analysis timed out after 0.3 s.",
                "The AI did not answer in time.",
            }
            assert len(emulator.requests) == 1


async def test_a_transcript_with_speakers_is_stored_and_fed_to_the_analysis(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    qa: dict[str, str],
) -> None:
    lead_id, recording_id = await _lead(sessions, {"budget": 5000, "timeline": "q2"})
    async with (
        AssemblyAIEmulator(api_key="aai-key").running() as assembly,
        OpenAIEmulator().running() as ai,
        _serving(settings, **_assemblyai(assembly), **_openai(ai)) as http,
    ):
        started = await http.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
        assert started.status_code == 202, started.text
        assert started.json()["status"] == "queued"
        transcript = await _transcript(http, qa, lead_id)
        assert transcript["status"] == "done", transcript
        assert transcript["text"].startswith("Hi, this is Sam")
        assert [u["speaker"] for u in transcript["utterances"]] == ["A", "B", "A"]
        assert "fifty thousand" in transcript["utterances"][1]["text"]
        (created,) = assembly.transcripts.values()
        assert created.speaker_labels is True
        assert created.audio_url == "https://rec.test/call-1.wav"

        await _analyse(http, qa, lead_id)
        assert "fifty thousand" in ai.requests[-1]["messages"][1]["content"]

        assembly.mode = "error"
        await http.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
        failed = await _transcript(http, qa, lead_id)
        assert failed["status"] == "failed"
        assert "audio URL could not be fetched" in failed["text"]

        assembly.mode = "ok"
        await http.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
        assert (await _transcript(http, qa, lead_id))["status"] == "done"


async def test_transcription_failures_and_timeouts_are_stored(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    qa: dict[str, str],
) -> None:
    lead_id, recording_id = await _lead(sessions, {"budget": 5000})
    async with AssemblyAIEmulator(mode="http_500").running() as assembly:
        base = _assemblyai(assembly)
        async with _serving(settings, **base) as http:
            await http.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
            failed = await _transcript(http, qa, lead_id)
            assert failed["status"] == "failed"
            assert "Internal server error" in failed["text"]
        assembly.mode, assembly.delay_s = "slow", 1.0
        async with _serving(settings, **base, transcription_timeout_seconds=0.3) as http:
            await http.post(f"/api/v1/recordings/{recording_id}/transcribe", headers=qa)
            timed_out = await _transcript(http, qa, lead_id)
            assert timed_out == {
                "status": "failed",
                "text": "The transcription timed out after 0.3 s.",
                "utterances": [],
            }


def test_assemblyai_transcription_needs_its_key() -> None:
    with pytest.raises(ValueError, match="PIVOTAL_ASSEMBLYAI_API_KEY"):
        Settings(environment="test", transcription="assemblyai")
    chosen = Settings(environment="test", transcription="assemblyai", assemblyai_api_key="k")
    assert chosen.analysis == "rules"
