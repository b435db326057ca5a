"""End to end in a real browser: an admin onboards a client organisation on /admin/clients,
creates a user for it on /admin, sees the user counted and named, then deactivates the client
(after confirming) and its user can no longer sign in. Screenshotted and checked with
axe-core."""

from playwright.async_api import expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from store import demo
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

ADMIN = demo.DEMO_LOGINS[0].email
BUYER, BUYER_PASSWORD = "buyer@initech.example", "initech-pass-123"


async def test_an_admin_onboards_a_client_and_gives_it_a_user(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as session, session.begin():
        await demo.seed(session)
    async with serve(create_app(settings)) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        page = await new_page(browser)
        await sign_in(page, base, ADMIN)
        await page.get_by_role("link", name="Admin").click()
        await (
            page.get_by_role("navigation", name="Admin sections")
            .get_by_role("link", name="Clients")
            .click()
        )
        await page.get_by_label("Organisation name").fill("Initech")
        await page.get_by_label("Contact email").fill("ops@initech.example")
        await page.get_by_role("button", name="Add client").click()
        await expect(page.get_by_text("Initech added.")).to_be_visible()
        initech = page.get_by_role("row").filter(has_text="Initech")
        await expect(initech).to_contain_text("ops@initech.example")

        await page.get_by_role("link", name="Users").click()
        await page.get_by_label("Email", exact=True).fill(BUYER)
        await page.get_by_label("Full name").fill("Ina Buyer")
        await page.get_by_label("Password", exact=True).fill(BUYER_PASSWORD)
        await page.get_by_label("Role", exact=True).select_option("client_user")
        await page.get_by_label("Client organisation").select_option(label="Initech")
        await page.get_by_role("button", name="Create user").click()
        await expect(page.get_by_text(f"User {BUYER} created.")).to_be_visible()
        buyer_row = page.get_by_role("row").filter(has_text=BUYER)
        await expect(buyer_row.get_by_role("cell", name="Initech", exact=True)).to_be_visible()

        await page.get_by_role("link", name="Clients").click()
        users_cell = initech.get_by_role("cell").nth(3)
        await expect(users_cell).to_have_text("1")
        await screenshot(page, "admin-clients")
        await check_accessibility(page, "admin clients")

        await initech.get_by_role("button", name="Deactivate Initech").click()
        dialog = page.get_by_role("dialog", name="Deactivate client organisation")
        await expect(dialog).to_contain_text("1 user of Initech will not be able to sign in")
        await dialog.get_by_role("button", name="Deactivate").click()
        await expect(initech.get_by_role("cell", name="inactive", exact=True)).to_be_visible()

        buyer = await new_page(browser)
        await sign_in(buyer, base, BUYER, BUYER_PASSWORD)
        await expect(buyer.get_by_text("Wrong email or password.")).to_be_visible()
