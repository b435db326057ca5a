"""A local OpenAI-compatible Chat Completions emulator: the subset the `openai` SDK calls.

`POST /v1/chat/completions` with `Authorization: Bearer <key>`, a known `model`, a
non-empty `messages` list of `{role, content}` and, when given, a `response_format` of type
`json_object` or `json_schema` (with `json_schema.name` and an object `schema`), answered
in the documented `chat.completion` shape. Requests are checked as OpenAI does (401 on a
bad key, 400/404 with the `{"error": {...}}` body on a bad request or unknown model). The
answer's content is `answer` (a dict, sent as JSON); `mode` switches it: `malformed` (the
content is not the requested JSON), `http_500` (the request fails with 500) or `slow`
(the answer waits `delay_s`). Every accepted request body is kept in `requests`.
"""

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.server import serve

Mode = Literal["ok", "malformed", "http_500", "slow"]
ROLES = {"system", "user", "assistant", "developer", "tool"}
ANSWER: dict[str, Any] = {
    "score": 82,
    "reasons": [
        {"criterion": "budget", "points": 40, "max_points": 50, "note": "budget stated"},
        {"criterion": "disposition", "points": 30, "max_points": 30, "note": "qualified"},
    ],
    "summary": "The prospect plans a laptop refresh and confirmed a budget.",
    "sentiment": "positive",
}


def _error(status: int, message: str, kind: str, code: str | None = None) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return JSONResponse(body, status_code=status)


class OpenAIEmulator:
    def __init__(
        self,
        *,
        api_key: str = "sk-emulator-key",
        models: tuple[str, ...] = ("gpt-4o-mini",),
        mode: Mode = "ok",
        delay_s: float = 2.0,
        answer: dict[str, Any] | None = None,
    ) -> None:
        self.api_key = api_key
        self.models = models
        self.mode: Mode = mode
        self.delay_s = delay_s
        self.answer = answer or ANSWER
        self.requests: list[dict[str, Any]] = []
        self.refusals: list[tuple[int, str]] = []
        self.base_url = ""
        self.app = Starlette(
            routes=[Route("/v1/chat/completions", self._complete, methods=["POST"])]
        )

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["OpenAIEmulator"]:
        async with serve(self.app) as host:
            self.base_url = f"http://{host}/v1"
            yield self

    def _refuse(self, response: JSONResponse, why: str) -> JSONResponse:
        self.refusals.append((response.status_code, why))
        return response

    async def _complete(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            why = "Incorrect API key provided."
            return self._refuse(_error(401, why, "invalid_request_error", "invalid_api_key"), why)
        try:
            body = await request.json()
        except ValueError:
            why = "We could not parse the JSON body of your request."
            return self._refuse(_error(400, why, "invalid_request_error"), why)
        problem = self._check(body)
        if problem is not None:
            status, why = problem
            code = "model_not_found" if status == 404 else None
            return self._refuse(_error(status, why, "invalid_request_error", code), why)
        self.requests.append(body)
        if self.mode == "http_500":
            return _error(
                500, "The server had an error while processing your request.", "server_error"
            )
        if self.mode == "slow":
            await asyncio.sleep(self.delay_s)
        content = json.dumps(self.answer)
        if self.mode == "malformed":
            content = '{"score": "very high", "summary": 3'
        return JSONResponse(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 120, "completion_tokens": 60, "total_tokens": 180},
            }
        )

    def _check(self, body: Any) -> tuple[int, str] | None:
        if not isinstance(body, dict):
            return 400, "The body must be a JSON object."
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return 400, "you must provide a model parameter"
        if model not in self.models:
            return 404, f"The model `{model}` does not exist or you do not have access to it."
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return 400, "'messages' must be a non-empty array"
        for i, message in enumerate(messages):
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                return 400, f"Invalid value for 'messages[{i}].role'."
            if not isinstance(message.get("content"), str):
                return 400, f"Invalid type for 'messages[{i}].content'."
        response_format = body.get("response_format")
        if response_format is None:
            return None
        if not isinstance(response_format, dict):
            return 400, "'response_format' must be an object"
        kind = response_format.get("type")
        if kind == "json_schema":
            spec = response_format.get("json_schema")
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                return 400, "Missing required parameter: 'response_format.json_schema.name'."
            schema = spec.get("schema")
            if not isinstance(schema, dict) or schema.get("type") != "object":
                return 400, "Invalid schema for response_format: the root must be an object."
            if spec.get("strict") and schema.get("additionalProperties") is not False:
                return 400, "Invalid schema: 'additionalProperties' is required to be false."
        elif kind == "json_object":
            if not any("json" in m["content"].lower() for m in messages):
                return 400, "'messages' must contain the word 'json' to use json_object."
        elif kind != "text":
            return 400, f"Invalid value for 'response_format.type': {kind!r}."
        return None
