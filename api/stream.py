"""Live events to browsers: `/api/v1/stream` (WebSocket) and `/api/v1/stream/sse` (fallback).

Each API process holds one subscription to the dialer's events (actors/gateway.py) and fans
each batch out in-process: a subscriber gets the events its role may see, as one message
per batch. An agent sees its own state and calls; data ops see import progress; QA analysts
see lead changes and the ends of transcriptions and analyses; managers and admins see
everything. Events made in an API process itself (a QA decision, a job's end) leave through
its `Outbox`, down the same shared path, so every process's subscribers get them.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from actors.gateway import DialerGateway
from api.deps import CurrentPrincipal, Principal, authenticate
from engine.roles import Role

log = logging.getLogger(__name__)
router = APIRouter(tags=["stream"])

Batch = list[dict[str, Any]]
# A subscriber this far behind is told to reload its state rather than be waited for.
BACKLOG = 256
RESUBSCRIBE_SECONDS = 0.2
RESYNC = json.dumps([{"type": "resync"}])
WATCHERS = frozenset({Role.ADMIN, Role.CAMPAIGN_MANAGER})
# Roles that see only some kinds of event: data ops follow the imports they run, QA
# analysts the leads they review. Clients have no stream.
TOPICS: dict[Role, frozenset[str]] = {
    Role.DATA_OPS: frozenset({"import.progress"}),
    Role.QA_ANALYST: frozenset({"leads.changed", "analysis.ended", "transcription.ended"}),
}
# An outbox gathers its events this long into one batch: one message per burst, not per event.
GATHER_SECONDS = 0.005


class Subscriber:
    """One browser's view of the stream: what its role may see, serialised, queued."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.sees_all = principal.role in WATCHERS
        self.queue: asyncio.Queue[str] = asyncio.Queue(BACKLOG)

    def wants(self, event: dict[str, Any]) -> bool:
        if self.sees_all or event.get("type") == "resync":
            return True
        if event.get("type") in TOPICS.get(self.principal.role, ()):
            return True
        return self.principal.role is Role.AGENT and event.get("agent_id") == self.principal.user_id

    def offer(self, batch: Batch, whole: str) -> None:
        """`whole` is the batch already serialised, shared by every subscriber that sees all."""
        if self.sees_all:
            text = whole
        else:
            picked = [event for event in batch if self.wants(event)]
            if not picked:
                return
            text = json.dumps(picked, default=str)
        if self.queue.full():
            while not self.queue.empty():
                self.queue.get_nowait()
            text = RESYNC
        self.queue.put_nowait(text)


class Fanout:
    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()

    async def run(self, dialer: DialerGateway) -> None:
        """Forwards every batch; when the source breaks (its actor restarting) subscribers
        are told to resync and the subscription is made again."""
        while True:
            try:
                async for batch in dialer.events():
                    self.publish(batch)
                return
            except Exception:
                log.warning("event subscription lost; subscribing again", exc_info=True)
                self.publish([{"type": "resync"}])
                await asyncio.sleep(RESUBSCRIBE_SECONDS)

    def publish(self, batch: Batch) -> None:
        whole = json.dumps(batch, default=str)
        for subscriber in list(self.subscribers):
            subscriber.offer(batch, whole)

    @contextlib.contextmanager
    def subscribe(self, principal: Principal) -> Any:
        subscriber = Subscriber(principal)
        self.subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self.subscribers.discard(subscriber)


class Outbox:
    """Events made in this API process: gathered for a few milliseconds, then sent as one
    batch through the dialer's shared event path (Redis or the event hub) so the
    subscribers of every API process get them, this one's included. With no shared path
    (no dialer) they go straight to this process's fan-out."""

    def __init__(self, fanout: Fanout) -> None:
        self.fanout = fanout
        self._events: Batch = []
        self._wake = asyncio.Event()

    def emit(self, events: Batch) -> None:
        self._events.extend(events)
        self._wake.set()

    async def run(self, dialer: DialerGateway) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(GATHER_SECONDS)
            self._wake.clear()
            batch, self._events = self._events, []
            try:
                if await dialer.publish(batch):
                    continue
            except Exception:
                log.warning(
                    "the shared event path failed; only this process's subscribers get %d events",
                    len(batch),
                    exc_info=True,
                )
            self.fanout.publish(batch)


def _allowed(principal: Principal) -> None:
    if principal.role not in WATCHERS | {Role.AGENT} | set(TOPICS):
        raise HTTPException(403, "Your role has no live stream.")


@router.websocket("/stream")
async def stream(
    websocket: WebSocket,
    access_token: Annotated[str | None, Query(max_length=2000)] = None,
    api_key: Annotated[str | None, Query(max_length=200)] = None,
) -> None:
    """Browsers cannot set headers on a WebSocket: the token comes as a query parameter."""
    app = websocket.app
    ip = websocket.client.host if websocket.client else "unknown"
    async with app.state.sessions() as session:
        try:
            principal = await authenticate(
                session, app.state.settings, bearer=access_token, api_key=api_key, ip=ip
            )
            _allowed(principal)
        except HTTPException as exc:
            # Accepted, then closed with a code: a browser sees why, not a failed handshake.
            await websocket.accept()
            await websocket.close(code=4401 if exc.status_code == 401 else 4403)
            return
    await websocket.accept()
    with app.state.fanout.subscribe(principal) as subscriber:
        await websocket.send_json([{"type": "hello", "role": principal.role.value}])
        receiver = asyncio.create_task(_drain(websocket))
        try:
            while not receiver.done():
                getter = asyncio.create_task(subscriber.queue.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when="FIRST_COMPLETED")
                if getter not in done:
                    getter.cancel()
                    break
                await websocket.send_text(getter.result())
        except WebSocketDisconnect:
            pass
        finally:
            receiver.cancel()


async def _drain(websocket: WebSocket) -> None:
    """Reads (and ignores) client messages so a closed socket is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()


@router.get("/stream/sse")
async def stream_sse(request: Request, principal: CurrentPrincipal) -> StreamingResponse:
    _allowed(principal)

    async def events() -> AsyncIterator[str]:
        with request.app.state.fanout.subscribe(principal) as subscriber:
            yield "event: hello\ndata: {}\n\n"
            while not await request.is_disconnected():
                try:
                    batch = await asyncio.wait_for(subscriber.queue.get(), 15)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"data: {batch}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
