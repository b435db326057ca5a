"""A local AssemblyAI v2 emulator: the subset the official SDK calls, for tests.

`POST /v2/upload` (raw audio → `upload_url`), `POST /v2/transcript` (create from an
`audio_url`) and `GET /v2/transcript/{id}` (poll: `queued` → `processing` → `completed` with
`text`, `words` and, when `speaker_labels` was asked for, `utterances`). Requests are
checked as AssemblyAI does (the API key in `authorization`, a JSON body with an http(s)
`audio_url`, known types); `mode` switches the outcome: `error` (the transcript ends in
status `error` with a message), `http_500` (every API call answers 500) or `slow` (every
answer waits `delay_s`). Every request is recorded for the tests to inspect.
"""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.server import serve

Mode = Literal["ok", "error", "http_500", "slow"]
DIALOGUE = (
    ("A", "Hi, this is Sam from Pivotal. Do you have a minute?"),
    ("B", "Sure. We are looking at new laptops, budget around fifty thousand."),
    ("A", "Great, I will have a specialist follow up this week."),
)


@dataclass
class EmuTranscript:
    id: str
    audio_url: str
    speaker_labels: bool
    polls: int = 0
    body: dict[str, Any] = field(default_factory=dict)


class AssemblyAIEmulator:
    def __init__(
        self,
        *,
        api_key: str = "aai-emulator-key",
        mode: Mode = "ok",
        delay_s: float = 2.0,
        processing_polls: int = 1,
        dialogue: tuple[tuple[str, str], ...] = DIALOGUE,
    ) -> None:
        self.api_key = api_key
        self.mode: Mode = mode
        self.delay_s = delay_s
        self.processing_polls = processing_polls
        self.dialogue = dialogue
        self.transcripts: dict[str, EmuTranscript] = {}
        self.uploads: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path)
        self.refusals: list[tuple[str, int, str]] = []  # (path, status, error)
        self.base_url = ""
        self.app = Starlette(
            routes=[
                Route("/v2/upload", self._upload, methods=["POST"]),
                Route("/v2/transcript", self._create, methods=["POST"]),
                Route("/v2/transcript/{transcript_id}", self._get, methods=["GET"]),
            ]
        )

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["AssemblyAIEmulator"]:
        async with serve(self.app) as host:
            self.base_url = f"http://{host}"
            yield self

    # --- the API ----------------------------------------------------------------------------

    def _refuse(self, path: str, status: int, error: str) -> JSONResponse:
        self.refusals.append((path, status, error))
        return JSONResponse({"error": error}, status_code=status)

    async def _gate(self, request: Request) -> JSONResponse | None:
        """Auth, then the failure switches; None lets the request through."""
        path = request.url.path
        self.requests.append((request.method, path))
        if request.headers.get("authorization") != self.api_key:
            return self._refuse(path, 401, "Authentication error, API token missing/invalid")
        if self.mode == "http_500":
            return self._refuse(path, 500, "Internal server error")
        if self.mode == "slow":
            await asyncio.sleep(self.delay_s)
        return None

    async def _upload(self, request: Request) -> JSONResponse:
        if (refused := await self._gate(request)) is not None:
            return refused
        data = await request.body()
        if not data:
            return self._refuse(request.url.path, 400, "Upload is empty")
        key = uuid.uuid4().hex
        self.uploads[key] = data
        return JSONResponse({"upload_url": f"https://cdn.assemblyai.test/upload/{key}"})

    async def _create(self, request: Request) -> JSONResponse:
        if (refused := await self._gate(request)) is not None:
            return refused
        path = request.url.path
        try:
            body = await request.json()
        except ValueError:
            return self._refuse(path, 400, "Invalid JSON body")
        if not isinstance(body, dict):
            return self._refuse(path, 400, "The body must be an object")
        audio_url = body.get("audio_url")
        if not isinstance(audio_url, str) or urlparse(audio_url).scheme not in {"http", "https"}:
            return self._refuse(path, 400, "audio_url must be an http(s) URL")
        speaker_labels = body.get("speaker_labels", False)
        if not isinstance(speaker_labels, bool):
            return self._refuse(path, 400, "speaker_labels must be a boolean")
        transcript = EmuTranscript(uuid.uuid4().hex, audio_url, speaker_labels, body=body)
        self.transcripts[transcript.id] = transcript
        return JSONResponse(self._shape(transcript, "queued"))

    async def _get(self, request: Request) -> JSONResponse:
        if (refused := await self._gate(request)) is not None:
            return refused
        transcript = self.transcripts.get(request.path_params["transcript_id"])
        if transcript is None:
            return self._refuse(request.url.path, 404, "Transcript not found")
        transcript.polls += 1
        if transcript.polls <= self.processing_polls:
            return JSONResponse(self._shape(transcript, "processing"))
        if self.mode == "error":
            shape = self._shape(transcript, "error")
            shape["error"] = "Download error: the audio URL could not be fetched"
            return JSONResponse(shape)
        return JSONResponse(self._completed(transcript))

    def _shape(self, transcript: EmuTranscript, status: str) -> dict[str, Any]:
        return {
            "id": transcript.id,
            "audio_url": transcript.audio_url,
            "status": status,
            "speaker_labels": transcript.speaker_labels,
            "language_code": "en_us",
            "text": None,
            "words": None,
            "utterances": None,
            "error": None,
        }

    def _completed(self, transcript: EmuTranscript) -> dict[str, Any]:
        utterances = []
        all_words: list[dict[str, Any]] = []
        clock = 0
        for speaker, text in self.dialogue:
            words = []
            for word in text.split():
                words.append(
                    {
                        "text": word,
                        "start": clock,
                        "end": clock + 300,
                        "confidence": 0.97,
                        "speaker": speaker if transcript.speaker_labels else None,
                    }
                )
                clock += 320
            all_words += words
            utterances.append(
                {
                    "text": text,
                    "start": words[0]["start"],
                    "end": words[-1]["end"],
                    "confidence": 0.97,
                    "speaker": speaker,
                    "words": words,
                }
            )
        shape = self._shape(transcript, "completed")
        shape |= {
            "text": " ".join(text for _, text in self.dialogue),
            "words": all_words,
            "utterances": utterances if transcript.speaker_labels else None,
            "audio_duration": clock // 1000,
            "confidence": 0.97,
        }
        return shape
