"""What lead analysis reads (lead, call, answers, questions, transcript) and what it writes
(`Lead.ai_analysis` / `Lead.ai_score`, transcript rows). The rules are engine.analysis's.

`Lead.ai_analysis` holds `{status: pending|done|failed, run, model, at, score?, reasons?,
summary?, sentiment?, error?}`; `run` names the latest request, so an older run finishing
late never overwrites a newer one. A transcript row is `queued`, then `pending` once a
worker claimed it (`claimed_at`), then `done` with its text and utterances, or `failed`
with the reason as its text.
"""

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.analysis import AnalysisResult, LeadFacts, Question
from engine.errors import NotFound
from store.leads import get_or_raise
from store.models import Call, Lead, QualificationQuestion, Recording, Transcript, utcnow


async def facts(session: AsyncSession, *, lead_id: int) -> LeadFacts:
    lead = await get_or_raise(session, lead_id=lead_id)
    query = select(QualificationQuestion).where(
        QualificationQuestion.campaign_id == lead.campaign_id
    )
    questions = [
        Question(
            key=q.key,
            label=q.label,
            required=q.required,
            answer_type=q.answer_type,
            options=tuple(str(o) for o in q.options),
            qualifying_options=tuple(str(o) for o in q.qualifying_options),
            qualifying_min=q.qualifying_min,
        )
        for q in await session.scalars(
            query.order_by(QualificationQuestion.position, QualificationQuestion.id)
        )
    ]
    disposition = None
    transcript = None
    if lead.call_id is not None:
        call = await session.get(Call, lead.call_id)
        disposition = call.disposition if call else None
        query_t = (
            select(Transcript.text)
            .join(Recording, Recording.id == Transcript.recording_id)
            .where(Recording.call_id == lead.call_id, Transcript.status == "done")
            .order_by(Transcript.id.desc())
            .limit(1)
        )
        transcript = await session.scalar(query_t)
    return LeadFacts(dict(lead.answers), questions, disposition, transcript)


async def start(session: AsyncSession, *, lead_id: int, run: str, model: str) -> Lead:
    """Mark the lead's analysis pending for this run (the score is cleared until it ends)."""
    lead = await get_or_raise(session, lead_id=lead_id)
    lead.ai_analysis = {"status": "pending", "run": run, "model": model, "at": _now()}
    lead.ai_score = None
    return lead


async def _current(session: AsyncSession, lead_id: int, run: str) -> Lead | None:
    lead = await session.get(Lead, lead_id, with_for_update=True)
    if lead is None or lead.ai_analysis.get("run") != run:
        return None  # deleted, or a newer run superseded this one
    return lead


async def finish(
    session: AsyncSession, *, lead_id: int, run: str, model: str, result: AnalysisResult
) -> bool:
    lead = await _current(session, lead_id, run)
    if lead is None:
        return False
    state = {"status": "done", "run": run, "model": model, "at": _now()}
    lead.ai_analysis = state | result.as_json()
    lead.ai_score = result.score
    return True


async def fail(session: AsyncSession, *, lead_id: int, run: str, model: str, error: str) -> bool:
    lead = await _current(session, lead_id, run)
    if lead is None:
        return False
    lead.ai_analysis = {
        "status": "failed",
        "run": run,
        "model": model,
        "at": _now(),
        "error": error[:1000],
    }
    lead.ai_score = None
    return True


async def analysis(session: AsyncSession, *, lead_id: int) -> dict[str, Any]:
    lead = await get_or_raise(session, lead_id=lead_id)
    return dict(lead.ai_analysis)


# --- transcripts -----------------------------------------------------------------------------


async def recording_or_raise(session: AsyncSession, *, recording_id: int) -> Recording:
    recording = await session.get(Recording, recording_id)
    if recording is None:
        raise NotFound("Recording")
    return recording


async def queue_transcript(session: AsyncSession, *, recording_id: int) -> Transcript:
    await recording_or_raise(session, recording_id=recording_id)
    transcript = Transcript(recording_id=recording_id, status="queued", utterances=[])
    session.add(transcript)
    await session.flush()
    return transcript


async def claim_transcript(session: AsyncSession, *, stale_after: timedelta) -> int | None:
    """Moves the oldest queued transcript (or one claimed more than `stale_after` ago: its
    worker died) to `pending` and returns its id. The UPDATE only matches while the row is
    still takeable, so of two workers racing for it one wins: the loser's UPDATE finds it
    taken (PostgreSQL re-checks the row after the winner commits; SQLite writes one at a
    time) and it tries the next."""
    now = utcnow()
    takeable = or_(
        Transcript.status == "queued",
        and_(Transcript.status == "pending", Transcript.claimed_at < now - stale_after),
    )
    candidates = await session.scalars(
        select(Transcript.id).where(takeable).order_by(Transcript.id).limit(5)
    )
    for transcript_id in candidates.all():
        claimed = await session.execute(
            update(Transcript)
            .where(Transcript.id == transcript_id, takeable)
            .values(status="pending", claimed_at=now)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return transcript_id
    return None


async def transcript_audio_url(session: AsyncSession, *, transcript_id: int) -> str:
    query = (
        select(Recording.url)
        .join(Transcript, Transcript.recording_id == Recording.id)
        .where(Transcript.id == transcript_id)
    )
    url = await session.scalar(query)
    if url is None:
        raise NotFound("Transcript")
    return url


async def leads_of_transcript(session: AsyncSession, *, transcript_id: int) -> list[int]:
    """The leads of the call the transcript's recording belongs to."""
    query = (
        select(Lead.id)
        .join(Recording, Recording.call_id == Lead.call_id)
        .join(Transcript, Transcript.recording_id == Recording.id)
        .where(Transcript.id == transcript_id)
        .order_by(Lead.id)
    )
    return list(await session.scalars(query))


async def finish_transcript(
    session: AsyncSession, *, transcript_id: int, text: str, utterances: list[Any]
) -> None:
    transcript = await session.get(Transcript, transcript_id)
    if transcript is not None:
        transcript.status = "done"
        transcript.text = text
        transcript.utterances = utterances


async def fail_transcript(session: AsyncSession, *, transcript_id: int, error: str) -> None:
    transcript = await session.get(Transcript, transcript_id)
    if transcript is not None:
        transcript.status = "failed"
        transcript.text = error[:1000]


def _now() -> str:
    return utcnow().isoformat()
