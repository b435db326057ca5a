"""The FastAPI application: routers under /api/v1, one error shape, the web UI at /."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from actors.email_gateway import EmailGateway, RayEmail
from actors.gateway import DialerGateway
from api import (
    admin,
    analysis,
    audience,
    auth,
    automation,
    campaign_setup,
    campaigns,
    clients,
    console,
    email_recovery,
    errors,
    esp_webhooks,
    exports,
    hooks,
    imports,
    leads,
    mail_sink,
    media,
    order_wizard,
    orders,
    recordings,
    reporting,
    search,
    segments,
    stream,
    suppressions,
    webhooks,
)
from api import dialer as dialer_api
from api import email as email_api
from api.hook_sender import HookSender
from config.settings import Settings, get_settings
from dialer.analysis import transcriber_for
from dialer.analysis_flows import TranscriptionWorker
from store.blobs import build_blob_store
from store.db import create_engine, session_factory
from store.mail_sink import SinkServer


async def start_dialer(settings: Settings) -> DialerGateway:
    from actors.runtime import RayDialer  # imports Ray only when the dialer runs

    dialer = RayDialer(settings)
    await dialer.start()
    return dialer


UI_DIR = Path(__file__).resolve().parent.parent / "ui"


def create_app(settings: Settings | None = None, dialer: DialerGateway | None = None) -> FastAPI:
    """`dialer` lets a caller (tests, benchmarks) bring a dialer it started itself;
    otherwise the app starts one when `dialer_enabled` is set."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        app.state.sessions = session_factory(engine)
        # The embedded SMTP sink, up before the pacers that may send to it.
        sink = SinkServer(
            host=settings.smtp_sink_host,
            port=settings.smtp_sink_port,
            maildir=settings.smtp_sink_maildir,
        )
        if settings.smtp_sink_enabled:
            await asyncio.to_thread(sink.start)
        owned = dialer is None and settings.dialer_enabled
        if owned:
            app.state.dialer = await start_dialer(settings)
        email_owned = owned and type(app.state.email) is EmailGateway
        if email_owned:
            app.state.email = RayEmail(settings)
            await app.state.email.start()
        loop = asyncio.get_running_loop()
        fanout = loop.create_task(app.state.fanout.run(app.state.dialer))
        outbox = loop.create_task(app.state.outbox.run(app.state.dialer))
        await imports.resume_stale(app)
        background = [fanout, outbox]
        # Saved recordings are transcribed by this worker (one per API process).
        app.state.transcription = TranscriptionWorker(
            app.state.sessions, settings, emit=app.state.outbox.emit
        )
        if transcriber_for(settings).enabled:
            background.append(loop.create_task(app.state.transcription.run()))
        if settings.webhook_worker_enabled:
            sender = HookSender(app.state.sessions, settings, emit=app.state.outbox.emit)
            background.append(loop.create_task(sender.run()))
        try:
            yield
        finally:
            await imports.stop(app)
            for task in background:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if owned:
                await app.state.dialer.close()
            if email_owned:
                await app.state.email.close()
            await asyncio.to_thread(sink.stop)
            await engine.dispose()

    app = FastAPI(
        title="Pivotal",
        version="0.1.0",
        description="Real-time telephony and campaign engine for B2B outbound teams.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.login_limits = auth.LoginLimits(settings)
    app.state.dialer = dialer or DialerGateway()
    app.state.email = EmailGateway()
    app.state.fanout = stream.Fanout()
    app.state.outbox = stream.Outbox(app.state.fanout)
    app.state.blobs = build_blob_store(settings)
    errors.install(app)
    app.add_middleware(
        errors.BodyLimit,
        max_bytes=settings.max_body_bytes,
        allowances={
            "/api/v1/imports": settings.max_import_bytes,
            # multipart framing comes on top of the file itself
            r"/api/v1/client/orders/\d+/assets": settings.order_asset_max_bytes + 64_000,
        },
    )

    v1 = APIRouter(prefix="/api/v1")
    for module in (
        auth,
        audience,
        segments,
        exports,
        imports,
        campaigns,
        dialer_api,
        media,
        recordings,
        email_api,
        console,
        stream,
        orders,
        order_wizard,
        leads,
        analysis,
        suppressions,
        admin,
        clients,
        webhooks,
        reporting,
        search,
        hooks,
        automation,
        esp_webhooks,
        campaign_setup,
        mail_sink,
        email_recovery,
    ):
        v1.include_router(module.router)

    @v1.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(v1)
    app.include_router(email_api.public)
    built = UI_DIR / "dist"
    app.mount("/", StaticFiles(directory=built if built.is_dir() else UI_DIR, html=True), "ui")
    return app
