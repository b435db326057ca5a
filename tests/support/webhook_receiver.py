"""A webhook receiver to run with tests/support/server.serve: checks each request's
`Pivotal-Signature` like a customer would, and answers as the test scripted it."""

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response

from engine.hooks import verify


@dataclass
class Received:
    delivery: str
    event: str
    body: dict[str, Any]
    signed: bool


@dataclass
class Receiver:
    secret: str = ""
    # what to do for the n-th request (0-based): an HTTP status, or "slow" (outlast the timeout)
    script: list[int | str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    slow_seconds: float = 2.0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            raw = await request.body()
            header = request.headers.get("pivotal-signature", "")
            n = len(self.received)
            self.received.append(
                Received(
                    request.headers.get("pivotal-delivery", ""),
                    request.headers.get("pivotal-event", ""),
                    await request.json(),
                    verify(self.secret, header, raw, now=int(time.time())),
                )
            )
            action = self.script[n] if n < len(self.script) else 200
            if action == "slow":
                await asyncio.sleep(self.slow_seconds)
                action = 200
            return Response(status_code=int(action))

        return app
