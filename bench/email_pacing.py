"""Email pacing benchmark: the send pacers against an aiosmtpd sink in another process.

    .venv/bin/python -m bench.email_pacing --size smoke|full

1. Two bare `aiosmtplib` loops send the same number of messages over the same C
   connections, each before and after the pacer run (averaged): one builds each message
   with the standard library and sends it with `send_message` (the issue's reference, "a
   bare aiosmtplib loop … ≈ 700 msg/s here": `ratio_to_bare_aiosmtplib` is measured
   against it), the other sends prebuilt bytes with `sendmail` (the SMTP floor of this
   machine: `ratio_to_bare_prebuilt_bytes`).
2. The pacers (actors/pacer.py, SQLite file database, the same C connections) send an
   email campaign at an unlimited rate: every message is rendered, guarded against the
   database and written before and after its send.
3. The pacers send at a set rate; each full window (60 s at full size) is counted at the
   sink: the pacing error is the worst window's deviation from the rate.
Figures come from the sink's receive times. Prints DESIGN.md's figures, one per line.
"""

import argparse
import asyncio
import multiprocessing
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiosmtplib
from alembic import command
from alembic.config import Config
from sqlalchemy import insert

from actors.pacer import PacerConfig, Pacers
from store.db import create_engine, session_factory
from store.models import Campaign, Contact, EmailTemplate, SenderProfile

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Size:
    messages: int  # throughput runs
    rate_per_minute: float
    pacing_seconds: float
    window_seconds: float
    connections: int = 10


SIZES = {
    "smoke": Size(messages=1500, rate_per_minute=3000, pacing_seconds=16, window_seconds=15),
    "full": Size(messages=20000, rate_per_minute=6000, pacing_seconds=182, window_seconds=60),
}


# --- the sink, in its own process ----------------------------------------------------------


def _sink(port: int, control: Connection) -> None:
    from aiosmtpd.controller import Controller

    received: list[tuple[float, str]] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            now = time.time()
            received.extend((now, rcpt) for rcpt in envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    control.send("ready")
    while True:
        order = control.recv()
        if order == "dump":
            control.send(list(received))
            received.clear()
        elif order == "count":
            control.send(len(received))
        else:
            break
    controller.stop()


class Sink:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.control, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("spawn").Process(
            target=_sink, args=(self.port, child), daemon=True
        )
        self.process.start()
        assert self.control.recv() == "ready"

    def dump(self) -> list[tuple[float, str]]:
        self.control.send("dump")
        result: list[tuple[float, str]] = self.control.recv()
        return result

    def count(self) -> int:
        self.control.send("count")
        return int(self.control.recv())

    def stop(self) -> None:
        self.control.send("stop")
        self.process.join(10)


def _rate(received: list[tuple[float, str]]) -> float:
    times = sorted(t for t, _ in received)
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


# --- the bare loop -------------------------------------------------------------------------


def _sample_message(n: int) -> bytes:
    body = ("<p>Hello there, this is a sample of a marketing message body.</p>\n" * 20).encode()
    return (
        b"From: Bench <bench@pivotal.dev>\r\nTo: c%d@sink.dev\r\nSubject: Hello\r\n"
        b"Message-ID: <bare.%d@pivotal.dev>\r\nContent-Type: text/html\r\n\r\n" % (n, n)
    ) + body


async def bare_loop(port: int, messages: int, connections: int, build: bool = False) -> None:
    """Prebuilt bytes through `sendmail`, or (`build`) an `EmailMessage` built per message
    and sent with `send_message`, the usual way to write such a loop."""
    payloads = [] if build else [_sample_message(n) for n in range(messages)]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(messages):
        queue.put_nowait(n)

    async def worker() -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        while not queue.empty():
            n = queue.get_nowait()
            if build:
                message = EmailMessage()
                message["From"], message["To"] = "Bench <bench@pivotal.dev>", f"c{n}@sink.dev"
                message["Subject"] = "Hello"
                message.set_content("Hello there, a sample marketing body.\n" * 20)
                message.add_alternative("<p>Hello there, a sample body.</p>\n" * 20, "html")
                await smtp.send_message(message)
            else:
                await smtp.sendmail("bench@pivotal.dev", [f"c{n}@sink.dev"], payloads[n])
        await smtp.quit()

    await asyncio.gather(*(worker() for _ in range(connections)))


# --- the pacers ----------------------------------------------------------------------------


async def seed(url: str, contacts: int, rate: float, name: str) -> int:
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        sender = SenderProfile(
            name="bench",
            from_name="Bench",
            from_email="bench@pivotal.dev",
            postal_address="1 Main Street, Springfield",
        )
        template = EmailTemplate(
            name="bench",
            subject="Hello {{contact.first_name|there}}",
            html="<p>Hello {{contact.first_name|there}}, this is a sample marketing body.</p>\n"
            * 20
            + '<a href="https://example.com/offer">offer</a>',
            text_body="Hello {{contact.first_name|there}}",
        )
        session.add_all([sender, template])
        await session.flush()
        first = await session.scalar(
            insert(Contact).returning(Contact.id),
            [{"email": f"{name}{n}@sink.dev", "first_name": f"N{n}"} for n in range(1)],
        )
        await session.execute(
            insert(Contact),
            [{"email": f"{name}{n}@sink.dev", "first_name": f"N{n}"} for n in range(1, contacts)],
        )
        assert first is not None
        campaign = Campaign(
            kind="email",
            name=name,
            audience={"contact_ids": list(range(first, first + contacts))},
            settings={
                "email": {
                    "sender_profile_id": sender.id,
                    "rate_per_minute": rate,
                    "steps": [{"template_id": template.id}],
                    "frequency_cap": {"max": 100, "days": 1},
                }
            },
        )
        session.add(campaign)
    await engine.dispose()
    return campaign.id


async def run_campaign(pacers: Pacers, sink: Sink, campaign: int, messages: int) -> None:
    await pacers.start_campaign(campaign)
    deadline = time.monotonic() + max(600.0, messages / 5)
    while sink.count() < messages:
        assert time.monotonic() < deadline, "the pacer did not finish"
        await asyncio.sleep(0.2)


def pacing_error(received: list[tuple[float, str]], rate: float, window: float) -> float:
    times = sorted(t for t, _ in received)
    start, worst = times[0], 0.0
    expected = rate / 60 * window
    while start + window <= times[-1] + 1e-9:
        count = sum(1 for t in times if start <= t < start + window)
        worst = max(worst, abs(count - expected) / expected * 100)
        start += window
    return worst


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


async def main(size: Size, url: str) -> dict[str, float]:
    sink = Sink()
    figures: dict[str, float] = {}
    if True:
        fast = await seed(url, size.messages, 10_000_000, "fast")
        paced = await seed(url, int(size.rate_per_minute / 60 * size.pacing_seconds) + 50,
                           size.rate_per_minute, "paced")  # fmt: skip
        pacers = Pacers(
            PacerConfig(
                database_url=url,
                secret_key="bench-" * 8,
                smtp_port=sink.port,
                connections=size.connections,
            )
        )
        await pacers.start()
        try:
            prebuilt, built = await bare_loops(sink, size)
            await run_campaign(pacers, sink, fast, size.messages)
            fast_received = sink.dump()
            if fast in pacers.runs:  # not completed by itself yet: it must not send on
                await pacers.set_campaign_status(fast, "completed")
            after = await bare_loops(sink, size)
            prebuilt, built = (prebuilt + after[0]) / 2, (built + after[1]) / 2

            await pacers.start_campaign(paced)
            await asyncio.sleep(size.pacing_seconds + 1)
            paced_received = sink.dump()
        finally:
            await pacers.close()
            sink.stop()
    duplicates = sum(
        n - 1 for n in Counter(r for _, r in fast_received + paced_received).values() if n > 1
    )
    pacer_rate = _rate(fast_received)
    figures["pacing_error_pct"] = pacing_error(
        paced_received, size.rate_per_minute, size.window_seconds
    )
    figures["pacer_msgs_per_s"] = pacer_rate
    figures["bare_send_message_msgs_per_s"] = built
    figures["bare_prebuilt_bytes_msgs_per_s"] = prebuilt
    figures["ratio_to_bare_aiosmtplib"] = pacer_rate / built
    figures["ratio_to_bare_prebuilt_bytes"] = pacer_rate / prebuilt
    figures["duplicate_sends"] = duplicates
    return figures


async def bare_loops(sink: Sink, size: Size) -> tuple[float, float]:
    """(prebuilt bytes, built per message) rates of the bare loops, msg/s."""
    await bare_loop(sink.port, size.messages, size.connections)
    prebuilt = _rate(sink.dump())
    await bare_loop(sink.port, size.messages, size.connections, build=True)
    return prebuilt, _rate(sink.dump())


UNITS = {
    "pacing_error_pct": "%",
    "pacer_msgs_per_s": "msg/s",
    "bare_send_message_msgs_per_s": "msg/s",
    "bare_prebuilt_bytes_msgs_per_s": "msg/s",
    "duplicate_sends": "messages",
}


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="smoke")
    args = parser.parse_args()
    size = SIZES[args.size]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        migrate(url)
        figures = asyncio.run(main(size, url))
    figures["messages_per_s"] = figures["pacer_msgs_per_s"]  # the name
    for name, value in figures.items():
        unit = UNITS.get(name, "")
        shown = f"{value:.0f}" if name == "duplicate_sends" else f"{value:.3f}"
        print(f"{name}: {shown} {unit}".rstrip())
    print(f"connections: {size.connections}")
    print(f"set_rate_per_minute: {size.rate_per_minute:.0f} msg/min")
    print(f"bench_seconds: {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    cli()
