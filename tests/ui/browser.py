"""Shared parts of the browser tests: Debian's Chromium driven by Playwright, sign-in, an
axe-core accessibility check and screenshots at 1366x768 in var/test-output/ui."""

import contextlib
import json
import math
import struct
import wave
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from store import demo

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "ui" / "dist"
AXE = ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "var" / "test-output" / "ui"
TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1366, "height": 768}

needs_built_ui = pytest.mark.skipif(
    not (DIST / "index.html").is_file(),
    reason="ui/dist is not built: run `cd ui && npm ci && npm run build` (scripts/test does)",
)


def chromium_args(microphone: Path | None = None) -> list[str]:
    """Headless Chromium; with `microphone`, a fake one playing that WAV file."""
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    if microphone is not None:
        args += [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone}",
        ]
    return args


def write_tone(path: Path, hz: float, seconds: float = 2.0, rate: int = 48_000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = (
            struct.pack("<h", int(12_000 * math.sin(2 * math.pi * hz * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(b"".join(frames))
    return path


@contextlib.asynccontextmanager
async def chromium(microphone: Path | None = None) -> AsyncIterator[Any]:
    """A browser; `expect` waits up to TIMEOUT_MS."""
    from playwright.async_api import async_playwright, expect

    expect.set_options(timeout=TIMEOUT_MS)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=chromium_args(microphone)
        )
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser: Any) -> Any:
    """A page in its own context (its own session storage: one user per page)."""
    return await (await browser.new_context(viewport=VIEWPORT, accept_downloads=True)).new_page()


async def sign_in(page: Any, base: str, email: str, password: str = demo.DEMO_PASSWORD) -> None:
    await page.goto(base)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def check_accessibility(page: Any, screen: str) -> None:
    """No serious or critical axe-core violations (WCAG 2 A and AA rules) on the page."""
    await page.add_script_tag(path=str(AXE))
    results = await page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    serious = [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{screen}: accessibility violations\n{json.dumps(serious, indent=1)}"


async def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"))
