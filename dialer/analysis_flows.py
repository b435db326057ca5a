"""The multi-step work around the analysis ports (dialer/analysis.py): transcribe a recording,
analyse a lead, and the background worker that transcribes saved recordings by itself.

A recording saved while transcription is on gets a `queued` transcript in the same
transaction (store.dialing.record_recordings). Each API process runs one
`TranscriptionWorker`; a worker takes a queued transcript only by moving it to `pending`
itself (store.analysis.claim_transcript), so however many processes run, each transcript is
sent to the vendor once; one left pending by a process that died is taken again after its
timeout. After a transcript, the leads of its call are analysed again so
their score can use it. Failures and timeouts end as `failed` with the reason; never pending.
Each run's end goes out on the live stream through `emit` (engine/live.py shapes).
"""

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config.settings import Settings
from dialer.analysis import AnalysisFailed, TranscriptionFailed, analyst_for, transcriber_for
from engine import live
from engine.analysis import MalformedAnswer
from store import analysis
from store.blobs import BlobMissing, BlobStore, build_blob_store

log = logging.getLogger(__name__)
Sessions = async_sessionmaker[AsyncSession]
BLOB = "blob:"  # a Recording.url with this prefix names a key in the storage port


async def run_analysis(
    sessions: Sessions, settings: Settings, *, lead_id: int, run: str, emit: live.Emit
) -> None:
    """Ask the configured analyst about one lead, store what came of it and say so live."""
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
    score = None if error else result.score
    if error:
        message = f"The analysis of lead #{lead_id} failed: {error}"
    else:
        message = f"Lead #{lead_id} scored {score}."
    ended = live.job_ended(
        "analysis",
        lead_id,
        status="failed" if error else "done",
        message=message,
        link=live.lead_link(lead_id),
        lead_id=lead_id,
        score=score,
    )
    emit([ended, live.leads_changed([lead_id], "scored")])


async def analyse_lead(
    sessions: Sessions, settings: Settings, *, lead_id: int, emit: live.Emit
) -> None:
    """A new analysis run of one lead, recorded as pending first."""
    run = uuid.uuid4().hex
    async with sessions() as session, session.begin():
        await analysis.start(session, lead_id=lead_id, run=run, model=analyst_for(settings).name)
    await run_analysis(sessions, settings, lead_id=lead_id, run=run, emit=emit)


async def run_transcription(
    sessions: Sessions, settings: Settings, blobs: BlobStore, *, transcript_id: int
) -> bool:
    """Transcribe a claimed transcript's recording; whether it ended done."""
    transcriber = transcriber_for(settings)
    async with sessions() as session:
        url = await analysis.transcript_audio_url(session, transcript_id=transcript_id)
    try:
        # Stored files go up to the vendor as bytes; anything else is a URL it fetches.
        audio = await blobs.read(url.removeprefix(BLOB)) if url.startswith(BLOB) else url
        text = await asyncio.wait_for(
            transcriber.transcribe(audio), timeout=settings.transcription_timeout_seconds
        )
    except TimeoutError:
        error = f"The transcription timed out after {settings.transcription_timeout_seconds:g} s."
    except BlobMissing:
        error = "The recording's file is missing from storage."
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
        return True
    async with sessions() as session, session.begin():
        await analysis.fail_transcript(session, transcript_id=transcript_id, error=error)
    return False


class TranscriptionWorker:
    """Claims queued transcripts and runs them, `transcription_concurrency` at a time. It
    looks for work every `transcription_poll_seconds`, or at once after `wake()`."""

    def __init__(
        self,
        sessions: Sessions,
        settings: Settings,
        blobs: BlobStore | None = None,
        emit: live.Emit = live.nowhere,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.emit = emit
        self.blobs = blobs or build_blob_store(settings)
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(settings.transcription_concurrency)
        self._running: set[asyncio.Task[None]] = set()
        # A run ends by its timeout; one still pending well after that lost its process.
        self.stale_after = timedelta(seconds=settings.transcription_timeout_seconds + 60)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        try:
            while True:
                await self._slots.acquire()
                claimed = await self._claim()
                if claimed is None:
                    self._slots.release()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._wake.wait(), self.settings.transcription_poll_seconds
                        )
                    self._wake.clear()
                    continue
                task = asyncio.get_running_loop().create_task(self._process(claimed))
                self._running.add(task)
                task.add_done_callback(self._running.discard)
        finally:
            for task in list(self._running):
                task.cancel()

    async def _claim(self) -> int | None:
        try:
            async with self.sessions() as session, session.begin():
                return await analysis.claim_transcript(session, stale_after=self.stale_after)
        except Exception:  # the database may be briefly away: try again at the next poll
            log.exception("claiming a transcript failed")
            return None

    async def _process(self, transcript_id: int) -> None:
        try:
            done = await run_transcription(
                self.sessions, self.settings, self.blobs, transcript_id=transcript_id
            )
            async with self.sessions() as session:
                lead_ids = await analysis.leads_of_transcript(session, transcript_id=transcript_id)
            self.emit([_transcription_ended(transcript_id, lead_ids, done)])
            for lead_id in lead_ids if done else []:
                await analyse_lead(self.sessions, self.settings, lead_id=lead_id, emit=self.emit)
        except Exception:
            log.exception("transcript %s could not be processed", transcript_id)
        finally:
            self._slots.release()


def _transcription_ended(transcript_id: int, lead_ids: list[int], done: bool) -> dict[str, Any]:
    about = f"lead #{lead_ids[0]}" if lead_ids else f"transcript #{transcript_id}"
    return live.job_ended(
        "transcription",
        transcript_id,
        status="done" if done else "failed",
        message=f"The transcript of {about} is ready."
        if done
        else (f"The transcript of {about} failed."),
        link=live.lead_link(lead_ids[0]) if lead_ids else None,
        lead_ids=lead_ids,
    )
