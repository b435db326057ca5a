"""End to end in a real browser: the app's embedded SMTP sink receives a mail over SMTP;
a campaign manager finds it on the "Sent mail (sink)" screen, filters by recipient and opens
it (headers, parts); an admin sees the same screen. Screenshotted and checked with axe-core."""

from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from playwright.async_api import expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from store import demo
from tests.conftest import sink_settings
from tests.support.server import serve
from tests.ui.browser import (
    check_accessibility,
    chromium,
    needs_built_ui,
    new_page,
    screenshot,
    sign_in,
)

pytestmark = needs_built_ui

MANAGER, ADMIN = demo.DEMO_LOGINS[1].email, demo.DEMO_LOGINS[0].email


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return sink_settings(database_url, tmp_path)


def _mail(to: str, subject: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Acme Demo Corp <news@acme-demo.com>", to, subject
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content("Hi there\n--\nAcme Demo Corp, 1 Demo Plaza")
    mail.add_alternative("<p>Hi there</p>", subtype="html")
    return mail


async def test_managers_and_admins_read_the_mail_the_sink_received(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        await demo.seed(session)
    app = create_app(settings)
    async with serve(app) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        for to, subject in (("ann@example.com", "For Ann"), ("bob@example.org", "For Bob")):
            await aiosmtplib.send(
                _mail(to, subject), hostname="127.0.0.1", port=settings.smtp_sink_port
            )

        page = await new_page(browser)
        await sign_in(page, base, MANAGER)
        await page.get_by_role("link", name="Sent mail (sink)").click()
        mails = page.get_by_test_id("sent-mail")
        await expect(mails.get_by_role("row")).to_have_count(3)  # header + 2
        await page.get_by_label("Recipient").fill("bob@example.org")
        await page.get_by_role("button", name="Filter").click()
        await expect(mails.get_by_role("row")).to_have_count(2)
        assert "to=bob%40example.org" in page.url
        await page.get_by_role("link", name="For Bob").click()
        await expect(page.get_by_test_id("mail-text")).to_contain_text("1 Demo Plaza")
        await expect(page.get_by_test_id("mail-headers")).to_contain_text(
            "List-Unsubscribe=One-Click"
        )
        assert "mail=" in page.url
        await screenshot(page, "sent-mail")
        await check_accessibility(page, "sent mail")

        admin = await new_page(browser)
        await sign_in(admin, base, ADMIN)
        await admin.get_by_role("link", name="Sent mail (sink)").click()
        await expect(admin.get_by_test_id("sent-mail").get_by_role("row")).to_have_count(3)
        await check_accessibility(admin, "sent mail (admin)")
