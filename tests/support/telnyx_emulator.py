"""A local Telnyx Call Control v2 emulator: the subset Pivotal uses, for tests.

It serves `POST /v2/calls` (dial) and `POST /v2/calls/{call_control_id}/actions/{answer,
bridge,speak,hangup,record_start,record_stop}` on a real HTTP port, so the official SDK talks
to it through its `base_url`. Requests are checked as Telnyx checks them (Bearer API key,
connection id, E.164 numbers, base64 client_state, known enum values, a call that is still
up); a repeated `command_id` is ignored for 60 s as Telnyx documents. Each call then plays
a script chosen by destination number (answered, machine, busy, no answer, rejected, ...)
and the emulator posts the webhooks Telnyx would send, shaped as in Telnyx's documented
examples and signed with Ed25519 over "{timestamp}|{body}" like Telnyx's, to the dial's
`webhook_url`. Failed deliveries are retried (as Telnyx does); duplicated and out-of-order
deliveries happen on demand. Every request is recorded for the tests to inspect.

Durations are Telnyx-like seconds multiplied by `time_scale`.
"""

import asyncio
import base64
import binascii
import contextlib
import io
import json
import math
import re
import time
import uuid
import warnings
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import websockets
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.server import serve

with warnings.catch_warnings():  # deprecated (removed in 3.13): fine for a 3.11 test double
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
AMD_MODES = {
    "premium",
    "premium_ios_call_screening_detection",
    "detect",
    "detect_beep",
    "detect_words",
    "greeting_end",
    "disabled",
}
COMMAND_ID_WINDOW_S = 60.0  # Telnyx: "Commands with duplicate command_ids within 60 seconds
# will be ignored."

Outcome = Literal["answered", "machine", "busy", "no_answer", "rejected", "not_found"]


@dataclass(frozen=True)
class Script:
    """How the callee at one number behaves."""

    outcome: Outcome = "answered"
    setup_s: float = 0.3  # dial → call.initiated
    ring_s: float = 4.0  # → answered, busy, rejected (no_answer waits the dial's timeout)
    amd_s: float = 2.5  # answered → call.machine.detection.ended
    talk_s: float = 60.0  # answered → the callee hangs up
    recording_s: float = 1.0  # recording stopped → call.recording.saved
    duplicate: bool = False  # every webhook of the call delivered twice
    hangup_first: bool = False  # the call's webhooks held back, then the hangup sent first
    voice_hz: float = 300.0  # the pitch the callee speaks at on a media stream


@dataclass(frozen=True)
class Dial:
    """One accepted `POST /calls`; `duplicate` when its command_id was seen before."""

    to: str
    from_: str
    call_control_id: str
    command_id: str | None
    client_state: str | None
    body: dict[str, Any]
    duplicate: bool
    at: float


@dataclass(frozen=True)
class Delivery:
    event_type: str
    event_id: str
    call_control_id: str | None
    attempt: int
    status: int  # 0: no answer (connection refused, timeout)


@dataclass
class _Failure:
    action: str
    status: int
    after_effect: bool  # the command takes effect, then the answer is an error (lost answer)
    delay_s: float
    times: int


@dataclass
class EmuCall:
    call_control_id: str
    call_leg_id: str
    call_session_id: str
    direction: Literal["outgoing", "incoming"]
    to: str
    from_: str
    client_state: str | None
    webhook_url: str | None
    amd: str
    timeout_s: float
    script: Script
    state: Literal["initiated", "parked", "answered", "ended"] = "initiated"
    start_time: str = ""
    recording: bool = False
    recording_started_at: str | None = None
    commands: dict[str, float] = field(default_factory=dict)  # command_id → first seen
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    hangup_cause: str | None = None
    stream: asyncio.Task[None] | None = None  # a media stream to the app (streaming_start)
    heard: bytearray = field(default_factory=bytearray)  # 16-bit PCM the app streamed back
    stream_error: str | None = None


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _error(status: int, code: str, title: str, detail: str, pointer: str | None = None) -> Any:
    error: dict[str, Any] = {"code": code, "title": title, "detail": detail}
    if pointer:
        error["source"] = {"pointer": pointer}
    return JSONResponse({"errors": [error]}, status)


class _Refused(Exception):
    def __init__(self, response: Any) -> None:
        self.response = response


class TelnyxEmulator:
    def __init__(
        self,
        *,
        api_key: str = "KEY0123456789ABCDEF_emulator",
        connection_id: str = "1684641123236054244",
        signing_key: Ed25519PrivateKey | None = None,
        time_scale: float = 1.0,
        default: Script | None = None,
        webhook_url: str | None = None,  # the Call Control application's URL
        delivery_retries: int = 3,
        retry_delay_s: float = 1.0,  # Telnyx-like seconds between delivery attempts
    ) -> None:
        self.api_key = api_key
        self.connection_id = connection_id
        self.signing_key = signing_key or Ed25519PrivateKey.generate()
        self.time_scale = time_scale
        self.default = default or Script()
        self.webhook_url = webhook_url
        self.delivery_retries = delivery_retries
        self.retry_delay_s = retry_delay_s
        self.scripts: dict[str, Script] = {}
        self.dials: list[Dial] = []
        self.calls: dict[str, EmuCall] = {}
        self.commands: list[tuple[str, str, dict[str, Any]]] = []  # (action, call, body)
        self.refusals: list[tuple[str, int, str]] = []  # (path, status, code)
        self.deliveries: list[Delivery] = []
        self._failures: list[_Failure] = []
        self._dial_commands: dict[str, tuple[EmuCall, float]] = {}
        self._outbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._in_flight = 0
        self._saves = 0  # recording.saved events still to come
        self.base_url = ""
        self.app = Starlette(
            routes=[
                Route("/v2/calls", self._dial, methods=["POST"]),
                Route(
                    "/v2/calls/{call_control_id}/actions/{action}", self._action, methods=["POST"]
                ),
                Route("/recordings/{name}", self._recording, methods=["GET"]),
            ]
        )
        self.recordings: dict[str, bytes] = {}  # what the "presigned S3 URLs" serve

    # --- test controls -----------------------------------------------------------------------

    @property
    def public_key(self) -> str:
        """The base64 key to verify this emulator's webhooks with (Telnyx's "public key")."""
        raw = self.signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def script(self, number: str, **changes: Any) -> None:
        """Sets how the callee at `number` behaves (fields of Script)."""
        self.scripts[number] = Script(**changes)

    def fail_next(
        self,
        action: str,
        *,
        status: int = 500,
        after_effect: bool = True,
        delay_s: float = 0.0,
        times: int = 1,
    ) -> None:
        """The next `times` requests for `action` ("dial", "hangup", ...) answer `status`
        after `delay_s` real seconds; with `after_effect` the command is carried out first,
        as when Telnyx acted but its answer was lost."""
        self._failures.append(_Failure(action, status, after_effect, delay_s, times))

    def placed(self, number: str | None = None) -> list[EmuCall]:
        """Calls really placed (repeated command_ids place none), optionally to one number."""
        return [
            c
            for c in self.calls.values()
            if c.direction == "outgoing" and (number is None or c.to == number)
        ]

    def commands_for(self, action: str) -> list[tuple[str, dict[str, Any]]]:
        return [(call, body) for name, call, body in self.commands if name == action]

    def signed_headers(
        self, body: bytes, *, timestamp: int | None = None, key: Ed25519PrivateKey | None = None
    ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = (key or self.signing_key).sign(stamp.encode() + b"|" + body)
        return {
            "content-type": "application/json",
            "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
            "telnyx-timestamp": stamp,
        }

    def event(self, call: EmuCall, event_type: str, **payload: Any) -> dict[str, Any]:
        """A webhook body for `call`, as Telnyx shapes it."""
        return {
            "data": {
                "record_type": "event",
                "event_type": event_type,
                "id": str(uuid.uuid4()),
                "occurred_at": _now_iso(),
                "payload": {
                    "call_control_id": call.call_control_id,
                    "connection_id": self.connection_id,
                    "call_leg_id": call.call_leg_id,
                    "call_session_id": call.call_session_id,
                    "client_state": call.client_state,
                    "from": call.from_,
                    "to": call.to,
                    **payload,
                },
            },
            "meta": {"attempt": 1, "delivered_to": call.webhook_url},
        }

    async def post(
        self,
        url: str,
        body: dict[str, Any],
        *,
        timestamp: int | None = None,
        key: Ed25519PrivateKey | None = None,
    ) -> httpx.Response:
        """Posts one webhook now, e.g. a forged (another key) or stale (old timestamp) one."""
        raw = json.dumps(body).encode()
        async with httpx.AsyncClient() as http:
            headers = self.signed_headers(raw, timestamp=timestamp, key=key)
            return await http.post(url, content=raw, headers=headers)

    def incoming(self, *, from_: str, to: str) -> EmuCall:
        """An incoming call, parked until answered, announced to the application's URL."""
        call = self._new_call("incoming", to, from_, None, self.webhook_url, "disabled", 30.0)
        call.state = "parked"
        self._send(call, "call.initiated", direction="incoming", state="parked")
        return call

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["TelnyxEmulator"]:
        sender = asyncio.get_running_loop().create_task(self._deliver())
        try:
            async with serve(self.app) as host:
                self.base_url = f"http://{host}/v2"
                yield self
        finally:
            for call in self.calls.values():
                for timer in call.timers:
                    timer.cancel()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def wait_idle(self, within: float = 10.0) -> None:
        """Until every call is over and every webhook has been delivered."""
        deadline = time.monotonic() + within
        while (
            any(c.state != "ended" for c in self.calls.values())
            or self._saves
            or self._in_flight
            or not self._outbox.empty()
        ):
            if time.monotonic() > deadline:
                raise AssertionError("the emulator did not settle in time")
            await asyncio.sleep(0.01)

    # --- the API -----------------------------------------------------------------------------

    async def _dial(self, request: Request) -> Any:
        try:
            body = await self._read(request, "/calls")
            self._dial_checks(body)
        except _Refused as refused:
            return refused.response
        failure = self._failure("dial")
        command_id = body.get("command_id")
        seen = self._dial_commands.get(command_id) if isinstance(command_id, str) else None
        if seen is not None and time.monotonic() - seen[1] < COMMAND_ID_WINDOW_S:
            call = seen[0]  # Telnyx ignores the repeated command: no second call
            self.dials.append(self._dial_record(body, call, duplicate=True))
        elif failure is not None and not failure.after_effect:
            return await self._fail(failure)
        else:
            call = self._place(body)
            if isinstance(command_id, str):
                self._dial_commands[command_id] = (call, time.monotonic())
            self.dials.append(self._dial_record(body, call, duplicate=False))
        if failure is not None:
            return await self._fail(failure)
        return JSONResponse(
            {
                "data": {
                    "call_control_id": call.call_control_id,
                    "call_leg_id": call.call_leg_id,
                    "call_session_id": call.call_session_id,
                    "is_alive": False,
                    "record_type": "call",
                }
            }
        )

    def _dial_checks(self, body: dict[str, Any]) -> None:
        if body.get("connection_id") != self.connection_id:
            raise _Refused(
                _error(
                    422, "10015", "Invalid connection_id", "Unknown connection.", "/connection_id"
                )
            )
        for name in ("to", "from"):
            value = body.get(name)
            if not isinstance(value, str) or not E164.match(value):
                detail = f"The '{name}' parameter must be a number in +E.164 format."
                raise _Refused(_error(422, "10016", "Invalid phone number", detail, f"/{name}"))
        state = body.get("client_state")
        if state is not None and not _is_base64(state):
            detail = "client_state must be a valid Base-64 encoded string."
            raise _Refused(_error(422, "90053", "Invalid client_state", detail, "/client_state"))
        amd = body.get("answering_machine_detection", "disabled")
        if amd not in AMD_MODES:
            raise _Refused(
                _error(
                    422,
                    "10015",
                    "Invalid value",
                    f"answering_machine_detection must be one of {sorted(AMD_MODES)}.",
                    "/answering_machine_detection",
                )
            )
        timeout = body.get("timeout_secs", 30)
        if not isinstance(timeout, int) or not 5 <= timeout <= 600:
            raise _Refused(
                _error(422, "10015", "Invalid value", "timeout_secs: 5 to 600.", "/timeout_secs")
            )
        url = body.get("webhook_url")
        if url is not None and (
            not isinstance(url, str) or not url.startswith(("http://", "https://"))
        ):
            raise _Refused(
                _error(422, "10015", "Invalid value", "webhook_url: a URL.", "/webhook_url")
            )

    async def _action(self, request: Request) -> Any:
        action = request.path_params["action"]
        control_id = request.path_params["call_control_id"]
        handlers = {
            "answer": self._answer,
            "bridge": self._bridge,
            "speak": self._speak,
            "hangup": self._hangup,
            "record_start": self._record_start,
            "record_stop": self._record_stop,
            "streaming_start": self._streaming_start,
        }
        try:
            body = await self._read(request, f"/calls/{control_id}/actions/{action}")
            handler = handlers.get(action)
            if handler is None:
                raise _Refused(_error(404, "10005", "Resource not found", f"No action {action}."))
            call = self.calls.get(control_id)
            if call is None:
                raise _Refused(
                    _error(404, "10005", "Resource not found", "Unknown call_control_id.")
                )
            if call.state == "ended":
                raise _Refused(
                    _error(422, "90018", "Call has already ended", "This call is no longer active.")
                )
            failure = self._failure(action)
            if failure is not None and not failure.after_effect:
                return await self._fail(failure)
            command_id = body.get("command_id")
            self.commands.append((action, control_id, body))
            repeated = isinstance(command_id, str) and (
                time.monotonic() - call.commands.get(command_id, -1e9) < COMMAND_ID_WINDOW_S
            )
            if not repeated:
                if isinstance(command_id, str):
                    call.commands[command_id] = time.monotonic()
                handler(call, body)
        except _Refused as refused:
            return refused.response
        if failure is not None:
            return await self._fail(failure)
        return JSONResponse({"data": {"result": "ok"}})

    async def _read(self, request: Request, path: str) -> dict[str, Any]:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            self.refusals.append((path, 401, "10009"))
            detail = "Could not understand the provided credentials."
            raise _Refused(_error(401, "10009", "Authentication failed", detail))
        try:
            body = json.loads(await request.body() or b"{}")
        except json.JSONDecodeError:
            body = None
        if not isinstance(body, dict):
            self.refusals.append((path, 400, "10015"))
            raise _Refused(_error(400, "10015", "Bad Request", "The body must be a JSON object."))
        return body

    def _failure(self, action: str) -> _Failure | None:
        for failure in self._failures:
            if failure.action == action and failure.times > 0:
                failure.times -= 1
                return failure
        return None

    async def _fail(self, failure: _Failure) -> Any:
        if failure.delay_s:
            await asyncio.sleep(failure.delay_s)
        return _error(failure.status, "90000", "Internal error", "Injected by the emulator.")

    # --- commands on calls ---------------------------------------------------------------------

    def _require_answered(self, call: EmuCall) -> None:
        if call.state != "answered":
            raise _Refused(
                _error(422, "90034", "Call is not answered", f"The call is {call.state}.")
            )

    def _answer(self, call: EmuCall, body: dict[str, Any]) -> None:
        if call.direction != "incoming" or call.state != "parked":
            raise _Refused(_error(422, "90034", "Invalid call state", "Only a parked call."))
        call.state = "answered"
        call.client_state = body.get("client_state", call.client_state)
        self._send(call, "call.answered", start_time=call.start_time)

    def _bridge(self, call: EmuCall, body: dict[str, Any]) -> None:
        other = self.calls.get(str(body.get("call_control_id")))
        if other is None or other.state == "ended":
            detail = "call_control_id: the call to bridge with is not active."
            raise _Refused(_error(422, "10015", "Invalid value", detail, "/call_control_id"))
        self._require_answered(call)
        for leg, peer in ((call, other), (other, call)):
            self._send(leg, "call.bridged", state="bridged", peer=peer.call_control_id)

    def _speak(self, call: EmuCall, body: dict[str, Any]) -> None:
        for name in ("payload", "voice"):
            if not isinstance(body.get(name), str) or not body[name]:
                raise _Refused(_error(422, "10015", "Invalid value", f"{name} is required."))
        self._require_answered(call)
        self._send(call, "call.speak.started")
        words = len(str(body["payload"]).split())
        self._later(
            call, 0.4 * words, lambda: self._send(call, "call.speak.ended", status="completed")
        )

    def _hangup(self, call: EmuCall, _body: dict[str, Any]) -> None:
        cause = "normal_clearing" if call.state == "answered" else "originator_cancel"
        self._end(call, cause, "caller", "200" if cause == "normal_clearing" else "487")

    def _record_start(self, call: EmuCall, body: dict[str, Any]) -> None:
        if body.get("channels") not in ("single", "dual") or body.get("format") not in (
            "wav",
            "mp3",
        ):
            raise _Refused(
                _error(
                    422, "10015", "Invalid value", "channels (single|dual) and format (wav|mp3)."
                )
            )
        self._require_answered(call)
        call.recording = True
        call.recording_started_at = _now_iso()

    def _record_stop(self, call: EmuCall, _body: dict[str, Any]) -> None:
        self._require_answered(call)
        if not call.recording:
            raise _Refused(_error(422, "90036", "Not recording", "No recording in progress."))
        self._save_recording(call)

    def _streaming_start(self, call: EmuCall, body: dict[str, Any]) -> None:
        url = body.get("stream_url")
        if not isinstance(url, str) or not url.startswith(("ws://", "wss://")):
            detail = "stream_url: a ws:// or wss:// URL."
            raise _Refused(_error(422, "10015", "Invalid value", detail, "/stream_url"))
        checks = {
            "stream_track": (None, "inbound_track", "outbound_track", "both_tracks"),
            "stream_bidirectional_mode": (None, "mp3", "rtp"),
            "stream_bidirectional_codec": (None, "PCMU", "PCMA", "G722", "OPUS", "AMR-WB"),
        }
        for name, allowed in checks.items():
            if body.get(name) not in allowed:
                raise _Refused(_error(422, "10015", "Invalid value", f"{name}.", f"/{name}"))
        self._require_answered(call)
        two_way = body.get("stream_bidirectional_mode") == "rtp"
        call.stream = asyncio.get_running_loop().create_task(self._stream(call, url, two_way))

    async def _stream(self, call: EmuCall, url: str, two_way: bool) -> None:
        """Telnyx's side of a media stream: the callee's voice as PCMU `media` frames every
        20 ms in real time (frames shaped as Telnyx documents them), and, when
        bidirectional, what the app sends back kept in `call.heard`."""
        stream_id = str(uuid.uuid4())
        try:
            async with websockets.connect(url) as socket:
                await socket.send(json.dumps({"event": "connected", "version": "1.0.0"}))
                start = {
                    "call_control_id": call.call_control_id,
                    "client_state": call.client_state,
                    "media_format": {"encoding": "PCMU", "sample_rate": 8000, "channels": 1},
                }
                await socket.send(
                    json.dumps(
                        {
                            "event": "start",
                            "sequence_number": "1",
                            "start": start,
                            "stream_id": stream_id,
                        }
                    )
                )
                listener = asyncio.get_running_loop().create_task(
                    self._listen(call, socket, two_way)
                )
                chunk, begun = 0, time.monotonic()
                while call.state == "answered":
                    chunk += 1
                    media = {
                        "track": "inbound",
                        "chunk": str(chunk),
                        "timestamp": str(chunk * 20),
                        "payload": base64.b64encode(_voice(call.script.voice_hz, chunk)).decode(),
                    }
                    frame = {"event": "media", "sequence_number": str(chunk + 1), "media": media}
                    await socket.send(json.dumps(frame | {"stream_id": stream_id}))
                    await asyncio.sleep(max(0.0, begun + chunk * 0.02 - time.monotonic()))
                stop = {"call_control_id": call.call_control_id}
                await socket.send(
                    json.dumps({"event": "stop", "stop": stop, "stream_id": stream_id})
                )
                listener.cancel()
        except (OSError, websockets.ConnectionClosed) as exc:
            call.stream_error = str(exc) or type(exc).__name__

    @staticmethod
    async def _listen(call: EmuCall, socket: Any, two_way: bool) -> None:
        async for message in socket:
            frame = json.loads(message)
            if two_way and frame.get("event") == "media":
                ulaw = base64.b64decode(frame["media"]["payload"])
                call.heard.extend(audioop.ulaw2lin(ulaw, 2))

    # --- call scripts ----------------------------------------------------------------------------

    def _new_call(
        self,
        direction: Literal["outgoing", "incoming"],
        to: str,
        from_: str,
        client_state: str | None,
        webhook_url: str | None,
        amd: str,
        timeout_s: float,
    ) -> EmuCall:
        call = EmuCall(
            call_control_id=f"v3:{uuid.uuid4().hex}",
            call_leg_id=str(uuid.uuid4()),
            call_session_id=str(uuid.uuid4()),
            direction=direction,
            to=to,
            from_=from_,
            client_state=client_state,
            webhook_url=webhook_url,
            amd=amd,
            timeout_s=timeout_s,
            script=self.scripts.get(to, self.default),
            start_time=_now_iso(),
        )
        self.calls[call.call_control_id] = call
        return call

    def _place(self, body: dict[str, Any]) -> EmuCall:
        call = self._new_call(
            "outgoing",
            body["to"],
            body["from"],
            body.get("client_state"),
            body.get("webhook_url") or self.webhook_url,
            body.get("answering_machine_detection", "disabled"),
            float(body.get("timeout_secs", 30)),
        )
        script = call.script
        self._later(call, script.setup_s, lambda: self._initiated(call))
        return call

    def _initiated(self, call: EmuCall) -> None:
        self._send(call, "call.initiated", direction="outgoing", state="bridging")
        script = call.script
        if script.outcome in ("answered", "machine"):
            self._later(call, script.ring_s, lambda: self._answered(call))
        elif script.outcome == "busy":
            self._later(call, script.ring_s, lambda: self._end(call, "user_busy", "callee", "486"))
        elif script.outcome == "rejected":
            self._later(
                call, script.ring_s, lambda: self._end(call, "call_rejected", "callee", "603")
            )
        elif script.outcome == "not_found":
            self._later(
                call, script.setup_s, lambda: self._end(call, "not_found", "unknown", "404")
            )
        else:  # no_answer: rings until the dial's timeout_secs
            self._later(call, call.timeout_s, lambda: self._end(call, "timeout", "caller", "487"))

    def _answered(self, call: EmuCall) -> None:
        call.state = "answered"
        self._send(call, "call.answered", start_time=call.start_time)
        script = call.script
        if call.amd != "disabled":
            result = "machine" if script.outcome == "machine" else "human"
            self._later(
                call,
                script.amd_s,
                lambda: self._send(call, "call.machine.detection.ended", result=result),
            )
        self._later(
            call, script.talk_s, lambda: self._end(call, "normal_clearing", "callee", "200")
        )

    def _end(self, call: EmuCall, cause: str, source: str, sip: str) -> None:
        if call.state == "ended":
            return
        for timer in call.timers:
            timer.cancel()
        call.timers.clear()
        call.state = "ended"
        call.hangup_cause = cause
        self._send(
            call,
            "call.hangup",
            state="hangup",
            start_time=call.start_time,
            hangup_cause=cause,
            hangup_source=source,
            sip_hangup_cause=sip,
            call_quality_stats={
                "inbound": {"jitter_max_variance": "2.74", "mos": "4.50", "packet_count": "591"},
                "outbound": {"packet_count": "0", "skip_packet_count": "0"},
            },
        )
        if call.recording:
            self._save_recording(call)

    def _save_recording(self, call: EmuCall) -> None:
        call.recording = False
        started, ended = call.recording_started_at, _now_iso()
        recording_id = str(uuid.uuid4())
        self._saves += 1

        def saved() -> None:
            self._saves -= 1
            # Telnyx links presigned S3 URLs; here the emulator serves the file itself.
            base = f"{self.base_url.removesuffix('/v2')}/recordings/{recording_id}"
            self.recordings[f"{recording_id}.wav"] = _dual_channel_wav()
            self._send(
                call,
                "call.recording.saved",
                recording_id=recording_id,
                channels="dual",
                recording_started_at=started,
                recording_ended_at=ended,
                recording_urls={"mp3": f"{base}.mp3", "wav": f"{base}.wav"},
                public_recording_urls={},
            )

        # Not a call timer: the recording is saved after the call, whatever ends it.
        asyncio.get_running_loop().call_later(call.script.recording_s * self.time_scale, saved)

    async def _recording(self, request: Request) -> Any:
        data = self.recordings.get(request.path_params["name"])
        if data is None:
            return JSONResponse({"error": "NoSuchKey"}, status_code=404)
        return Response(data, media_type="audio/wav")

    def _later(self, call: EmuCall, seconds: float, step: Any) -> None:
        call.timers.append(asyncio.get_running_loop().call_later(seconds * self.time_scale, step))

    # --- webhooks ------------------------------------------------------------------------------

    def _send(self, call: EmuCall, event_type: str, **payload: Any) -> None:
        if not call.webhook_url:
            return
        body = self.event(call, event_type, **payload)
        if call.script.hangup_first and call.direction == "outgoing":
            if event_type != "call.hangup" and call.state != "ended":
                call.held.append(body)
                return
            if event_type == "call.hangup":
                bodies, call.held = [body, *call.held], []
            else:
                bodies = [body]
        else:
            bodies = [body]
        for item in bodies:
            for _ in range(2 if call.script.duplicate else 1):
                self._outbox.put_nowait((call.webhook_url, item))

    async def _deliver(self) -> None:
        async with httpx.AsyncClient(timeout=5.0) as http:
            while True:
                url, body = await self._outbox.get()
                self._in_flight += 1
                try:
                    await self._deliver_one(http, url, body)
                finally:
                    self._in_flight -= 1

    async def _deliver_one(self, http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> None:
        data = body["data"]
        for attempt in range(1, self.delivery_retries + 2):
            body = {**body, "meta": {"attempt": attempt, "delivered_to": url}}
            raw = json.dumps(body).encode()
            try:
                response = await http.post(url, content=raw, headers=self.signed_headers(raw))
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            self.deliveries.append(
                Delivery(
                    data["event_type"],
                    data["id"],
                    data["payload"].get("call_control_id"),
                    attempt,
                    status,
                )
            )
            if 200 <= status < 300:
                return
            await asyncio.sleep(self.retry_delay_s * self.time_scale)

    def _dial_record(self, body: dict[str, Any], call: EmuCall, *, duplicate: bool) -> Dial:
        return Dial(
            to=body["to"],
            from_=body["from"],
            call_control_id=call.call_control_id,
            command_id=body.get("command_id"),
            client_state=body.get("client_state"),
            body=body,
            duplicate=duplicate,
            at=time.time(),
        )


def _dual_channel_wav(seconds: float = 1.0) -> bytes:
    """A Telnyx-style dual-channel recording: caller (300 Hz) left, callee (700 Hz) right."""
    frames = bytearray()
    for i in range(int(8000 * seconds)):
        for hz in (300.0, 700.0):
            sample = int(8000 * math.sin(2 * math.pi * hz * i / 8000))
            frames += sample.to_bytes(2, "little", signed=True)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def _voice(hz: float, chunk: int) -> bytes:
    """20 ms of the callee (chunk n of the stream), μ-law encoded by the standard library's
    reference codec: an encoder independent of the app's."""
    start = (chunk - 1) * 160
    samples = (int(9000 * math.sin(2 * math.pi * hz * (start + i) / 8000)) for i in range(160))
    pcm = b"".join(s.to_bytes(2, "little", signed=True) for s in samples)
    return audioop.lin2ulaw(pcm, 2)


def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        return False
    return True
