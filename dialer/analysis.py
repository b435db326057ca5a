"""Transcription and lead analysis behind two ports, each with an embedded default.

Transcriber: `OffTranscriber` (the default: transcription is off and says so) or
`AssemblyAITranscriber` (AssemblyAI's official SDK, speaker labels on). The flows that use
them are dialer/analysis_flows.py's.
Analyst: `RuleBasedAnalyst` (the default: engine.analysis.score_by_rules) or
`OpenAIAnalyst` (the `openai` SDK against any OpenAI-compatible API, structured JSON output
checked against engine.analysis.RESULT_SCHEMA). Chosen by settings; see `transcriber_for`
and `analyst_for`.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

import assemblyai as aai
import httpx
import openai

from config.settings import Settings
from engine.analysis import (
    RESULT_SCHEMA,
    AnalysisResult,
    LeadFacts,
    parse_ai_answer,
    prompt,
    score_by_rules,
)


class TranscriptionFailed(Exception):
    """The vendor could not transcribe the recording; the message says why."""


class AnalysisFailed(Exception):
    """The AI could not be asked or did not answer; the message says why."""


@dataclass(frozen=True)
class TranscriptText:
    text: str
    utterances: list[dict[str, Any]] = field(default_factory=list)


class Transcriber(Protocol):
    name: str
    enabled: bool

    async def transcribe(self, audio: str | bytes) -> TranscriptText:
        """`audio` is a URL the vendor fetches, or the recording's bytes to upload."""
        ...


class Analyst(Protocol):
    name: str  # recorded with each result as its "model"

    async def analyse(self, facts: LeadFacts) -> AnalysisResult: ...


class OffTranscriber:
    name = "off"
    enabled = False

    async def transcribe(self, audio: str | bytes) -> TranscriptText:
        raise TranscriptionFailed("Transcription is off (PIVOTAL_TRANSCRIPTION=off).")


class AssemblyAITranscriber:
    name = "assemblyai"
    enabled = True

    def __init__(
        self, *, api_key: str, base_url: str | None = None, poll_seconds: float = 3.0
    ) -> None:
        self.settings = aai.Settings(api_key=api_key, polling_interval=poll_seconds)
        if base_url:
            self.settings.base_url = base_url

    async def transcribe(self, audio: str | bytes) -> TranscriptText:
        config = aai.TranscriptionConfig(speaker_labels=True)
        try:
            async with (
                aai.AsyncClient(settings=self.settings) as client,
                aai.AsyncTranscriber(client=client, config=config) as transcriber,
            ):
                # The SDK uploads bytes (POST /v2/upload) and passes a URL on as is.
                transcript = await transcriber.transcribe(audio)
        except aai.types.AssemblyAIError as exc:
            raise TranscriptionFailed(f"AssemblyAI: {str(exc).strip()}") from None
        except httpx.HTTPError as exc:
            raise TranscriptionFailed(f"AssemblyAI could not be reached ({exc!r}).") from None
        if transcript.status == aai.TranscriptStatus.error:
            raise TranscriptionFailed(f"AssemblyAI: {transcript.error or 'transcription failed'}")
        utterances = [
            {"speaker": u.speaker, "text": u.text, "start": u.start, "end": u.end}
            for u in transcript.utterances or []
        ]
        return TranscriptText(transcript.text or "", utterances)


class RuleBasedAnalyst:
    name = "rules"

    async def analyse(self, facts: LeadFacts) -> AnalysisResult:
        return score_by_rules(facts)


class OpenAIAnalyst:
    def __init__(
        self,
        *,
        api_key: str | None,
        model: str,
        base_url: str | None = None,
        timeout_seconds: float = 60.0,
    ) -> None:
        self.name = f"openai:{model}"
        self.model = model
        # A local OpenAI-compatible server may need no key; the SDK insists on one.
        self.options: dict[str, Any] = {
            "api_key": api_key or "no-key",
            "base_url": base_url,
            "timeout": timeout_seconds,
            "max_retries": 0,
        }

    async def analyse(self, facts: LeadFacts) -> AnalysisResult:
        response_format: Any = {
            "type": "json_schema",
            "json_schema": {"name": "lead_analysis", "strict": True, "schema": RESULT_SCHEMA},
        }
        try:
            async with openai.AsyncOpenAI(**self.options) as client:
                completion = await client.chat.completions.create(
                    model=self.model,
                    messages=prompt(facts),  # type: ignore[arg-type]
                    response_format=response_format,
                    temperature=0,
                )
        except openai.APITimeoutError:
            raise AnalysisFailed("The AI did not answer in time.") from None
        except openai.APIStatusError as exc:
            raise AnalysisFailed(f"The AI answered HTTP {exc.status_code}.") from None
        except openai.APIError as exc:
            raise AnalysisFailed(f"The AI could not be reached ({exc.message}).") from None
        if not completion.choices:
            raise AnalysisFailed("The AI answered no choices.")
        return parse_ai_answer(completion.choices[0].message.content)


def transcriber_for(settings: Settings) -> Transcriber:
    if settings.transcription == "assemblyai":
        return AssemblyAITranscriber(
            api_key=settings.assemblyai_api_key or "",
            base_url=settings.assemblyai_base_url,
            poll_seconds=settings.assemblyai_poll_seconds,
        )
    return OffTranscriber()


def analyst_for(settings: Settings) -> Analyst:
    if settings.analysis == "openai":
        return OpenAIAnalyst(
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout_seconds=settings.analysis_timeout_seconds,
        )
    return RuleBasedAnalyst()
