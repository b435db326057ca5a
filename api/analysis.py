"""AI analysis of leads and transcription of recordings, run in the background by the
flows of dialer/analysis_flows.py.

A run never blocks QA: it is recorded at once (202), then done or failed with the reason
(vendor error, malformed AI answer, timeout); any run can be repeated. Transcripts start by
themselves when a recording is saved; asking for one here queues it for the worker.
"""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request

from api.deps import Principal, SessionDep, SettingsDep, require
from api.schemas import ReadModel, RowId
from config.settings import Settings
from dialer.analysis import analyst_for, transcriber_for
from dialer.analysis_flows import run_analysis
from engine.errors import Conflict
from store import analysis

router = APIRouter(tags=["analysis"])

Reader = Annotated[Principal, Depends(require("leads", "read"))]
Reviewer = Annotated[Principal, Depends(require("leads", "write"))]

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


@router.post("/leads/{lead_id}/analysis", status_code=202)
async def start_analysis(
    lead_id: RowId, _: Reviewer, session: SessionDep, settings: SettingsDep, request: Request
) -> AnalysisRead:
    run = uuid.uuid4().hex
    model = analyst_for(settings).name
    lead = await analysis.start(session, lead_id=lead_id, run=run, model=model)
    state = dict(lead.ai_analysis)
    await session.commit()
    app = request.app
    _spawn(
        run_analysis(
            app.state.sessions, settings, lead_id=lead_id, run=run, emit=app.state.outbox.emit
        )
    )
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
    """Queues a (new) transcript of the recording for this process's worker to take."""
    await analysis.recording_or_raise(session, recording_id=recording_id)
    if not transcriber_for(settings).enabled:
        raise Conflict("Transcription is off (PIVOTAL_TRANSCRIPTION=off); nothing was started.")
    transcript = await analysis.queue_transcript(session, recording_id=recording_id)
    transcript_id = transcript.id
    await session.commit()
    request.app.state.transcription.wake()
    return TranscriptionStarted(
        transcript_id=transcript_id, recording_id=recording_id, status="queued"
    )
