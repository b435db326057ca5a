"""AI analysis of leads and transcription of recordings, run as background tasks.

A run never blocks QA: it is recorded as pending at once (202), then done or failed with
the reason (vendor error, malformed AI answer, timeout); any run can be repeated.
"""

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.deps import Principal, SessionDep, SettingsDep, require
from api.schemas import ReadModel, RowId
from config.settings import Settings
from dialer.analysis import (
    AnalysisFailed,
    TranscriptionFailed,
    analyst_for,
    transcriber_for,
)
from engine.analysis import MalformedAnswer
from engine.errors import Conflict
from store import analysis

log = logging.getLogger(__name__)
router = APIRouter(tags=["analysis"])

Reader = Annotated[Principal, Depends(require("leads", "read"))]
Reviewer = Annotated[Principal, Depends(require("leads", "write"))]
Sessions = async_sessionmaker[AsyncSession]

# Running tasks, held so they are not garbage-collected before they finish.
_tasks: set[asyncio.Task[None]] = set()


def _spawn(work: Any) -> None:
    task = asyncio.get_running_loop().create_task(work)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


class AnalysisRead(ReadModel):
    lead_id: int
    status: Literal["none", "pending", "done", "failed"]
    model: str | None = None
    at: str | None = None
    error: str | None = None
    result: dict[str, Any] | None = None


class TranscriptionStarted(ReadModel):
    transcript_id: int
    recording_id: int
    status: str


# A run still pending this long after its timeout died with its process (a restart).
INTERRUPTED_AFTER = timedelta(seconds=60)


def _interrupted(raw: dict[str, Any], settings: Settings) -> bool:
    try:
        at = datetime.fromisoformat(raw["at"])
    except (KeyError, TypeError, ValueError):
        return True
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    limit = timedelta(seconds=settings.analysis_timeout_seconds) + INTERRUPTED_AFTER
    return datetime.now(UTC) - at > limit


def _read(lead_id: int, raw: dict[str, Any], settings: Settings | None = None) -> AnalysisRead:
    status = raw.get("status", "none")
    if status == "pending" and settings is not None and _interrupted(raw, settings):
        raw = raw | {"status": "failed", "error": "The run was interrupted; run it again."}
        status = "failed"
    result = None
    if status == "done":
        result = {k: raw.get(k) for k in ("score", "reasons", "summary", "sentiment")}
    return AnalysisRead(
        lead_id=lead_id,
        status=status,
        model=raw.get("model"),
        at=raw.get("at"),
        error=raw.get("error"),
        result=result,
    )


async def run_analysis(sessions: Sessions, settings: Settings, *, lead_id: int, run: str) -> None:
    """Ask the configured analyst about one lead and store what came of it."""
    analyst = analyst_for(settings)
    error: str | None = None
    try:
        async with sessions() as session:
            facts = await analysis.facts(session, lead_id=lead_id)
        result = await asyncio.wait_for(
            analyst.analyse(facts), timeout=settings.analysis_timeout_seconds
        )
    except TimeoutError:
        error = f"The analysis timed out after {settings.analysis_timeout_seconds:g} s."
    except MalformedAnswer as exc:
        error = f"Malformed AI answer: {exc.message}"
    except AnalysisFailed as exc:
        error = str(exc)
    except Exception as exc:  # anything else still ends the run as failed, never pending
        log.exception("analysis of lead %s failed", lead_id)
        error = f"Unexpected error: {type(exc).__name__}."
    async with sessions() as session, session.begin():
        if error is None:
            await analysis.finish(
                session, lead_id=lead_id, run=run, model=analyst.name, result=result
            )
        else:
            await analysis.fail(session, lead_id=lead_id, run=run, model=analyst.name, error=error)


async def run_transcription(
    sessions: Sessions, settings: Settings, *, transcript_id: int, audio_url: str
) -> None:
    transcriber = transcriber_for(settings)
    try:
        text = await asyncio.wait_for(
            transcriber.transcribe(audio_url), timeout=settings.transcription_timeout_seconds
        )
    except TimeoutError:
        error = f"The transcription timed out after {settings.transcription_timeout_seconds:g} s."
    except TranscriptionFailed as exc:
        error = str(exc)
    except Exception as exc:
        log.exception("transcript %s failed", transcript_id)
        error = f"Unexpected error: {type(exc).__name__}."
    else:
        async with sessions() as session, session.begin():
            await analysis.finish_transcript(
                session, transcript_id=transcript_id, text=text.text, utterances=text.utterances
            )
        return
    async with sessions() as session, session.begin():
        await analysis.fail_transcript(session, transcript_id=transcript_id, error=error)


@router.post("/leads/{lead_id}/analysis", status_code=202)
async def start_analysis(
    lead_id: RowId, _: Reviewer, session: SessionDep, settings: SettingsDep, request: Request
) -> AnalysisRead:
    run = uuid.uuid4().hex
    model = analyst_for(settings).name
    lead = await analysis.start(session, lead_id=lead_id, run=run, model=model)
    state = dict(lead.ai_analysis)
    await session.commit()
    _spawn(run_analysis(request.app.state.sessions, settings, lead_id=lead_id, run=run))
    return _read(lead_id, state)


@router.get("/leads/{lead_id}/analysis")
async def get_analysis(
    lead_id: RowId, _: Reader, session: SessionDep, settings: SettingsDep
) -> AnalysisRead:
    return _read(lead_id, await analysis.analysis(session, lead_id=lead_id), settings)


@router.post("/recordings/{recording_id}/transcribe", status_code=202)
async def transcribe(
    recording_id: RowId, _: Reviewer, session: SessionDep, settings: SettingsDep, request: Request
) -> TranscriptionStarted:
    recording = await analysis.recording_or_raise(session, recording_id=recording_id)
    if not transcriber_for(settings).enabled:
        raise Conflict("Transcription is off (PIVOTAL_TRANSCRIPTION=off); nothing was started.")
    transcript = await analysis.start_transcript(session, recording_id=recording_id)
    transcript_id, audio_url = transcript.id, recording.url
    await session.commit()
    _spawn(
        run_transcription(
            request.app.state.sessions,
            settings,
            transcript_id=transcript_id,
            audio_url=audio_url,
        )
    )
    return TranscriptionStarted(
        transcript_id=transcript_id, recording_id=recording_id, status="pending"
    )
