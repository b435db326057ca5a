"""End to end in a real browser against a real uvicorn (and the dialer on Ray): a campaign
manager sets up and starts a call campaign and prepares an email campaign up to its
pre-flight; an admin creates a client user and a client's API key (picking the organisation
by name), uploads suppressions, removes one and finds those actions in the audit log. Every
screen is screenshotted and checked with axe-core."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.runtime import RayDialer
from api.app import create_app
from config.settings import Settings
from store import demo
from store.models import (
    ApiKey,
    AuditEntry,
    AutomationRule,
    CallScript,
    Campaign,
    Client,
    Contact,
    QualificationQuestion,
    Suppression,
    User,
)
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
GOOD_CSV = (
    b"kind,value,reason\n"
    b"email,gone@example.org,Asked by phone\n"
    b"domain,rival-e2e.com,Client exclusion\n"
)
BAD_CSV = b"kind,value\nemail,not-an-address\nfax,123\n"


@contextlib.asynccontextmanager
async def _site(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], floor: Any = None
) -> AsyncIterator[tuple[str, Any]]:
    """The demo data served by a real uvicorn (with `floor` as its dialer), and a browser."""
    async with sessions() as session, session.begin():
        await demo.seed(session)
    async with serve(create_app(settings, dialer=floor)) as host, chromium() as browser:
        yield f"http://localhost:{host.rsplit(':', 1)[1]}/", browser


@pytest.fixture
async def floor_site(
    dialer: RayDialer,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[tuple[str, Any]]:
    """With the dialer on Ray: starting a call campaign needs it."""
    async with _site(settings, sessions, dialer) as site:
        yield site


@pytest.fixture
async def site(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> AsyncIterator[tuple[str, Any]]:
    async with _site(settings, sessions) as site:
        yield site


async def _look(page: Any, name: str) -> None:
    await screenshot(page, name)
    await check_accessibility(page, name)


async def _saved(page: Any, text: str) -> None:
    from playwright.async_api import expect

    await expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


async def test_a_manager_sets_up_and_starts_a_call_campaign_and_prepares_an_email_one(
    floor_site: tuple[str, Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    from playwright.async_api import expect

    base, browser = floor_site
    page = await new_page(browser)
    await sign_in(page, base, MANAGER)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    await expect(page.get_by_role("heading", name="Campaigns", exact=True)).to_be_visible()
    await _look(page, "setup-campaigns")

    # A new call campaign: settings, a script with a placeholder from the picker, a question.
    await page.get_by_label("Campaign name").fill("Spring renewals")
    await page.get_by_role("button", name="Create").click()
    await expect(page.get_by_role("heading", name="Call campaign: Spring renewals")).to_be_visible()
    await page.get_by_label("Caller ID").fill("+14155550100")
    await page.get_by_label("Audience source").select_option(label="All contacts")
    await page.get_by_label("From", exact=True).fill("09:00")
    await page.get_by_label("Until").fill("17:30")
    await page.get_by_role("button", name="Save settings").click()
    await _saved(page, "Settings saved.")

    script = page.get_by_label("Script text")
    await script.fill("Hello , thanks for taking my call.")
    await script.evaluate("box => box.setSelectionRange(6, 6)")
    await page.get_by_label("Placeholder").select_option("contact.first_name")
    await page.get_by_role("button", name="Insert placeholder").click()
    await expect(script).to_have_value("Hello {{contact.first_name}}, thanks for taking my call.")
    await expect(page.get_by_test_id("script-preview")).to_have_text(
        "Hello Dana, thanks for taking my call."
    )
    await page.get_by_role("button", name="Save script").click()
    await _saved(page, "Script saved")

    await page.get_by_role("button", name="Add question").click()
    await page.get_by_label("Question 1 key").fill("budget")
    await page.get_by_label("Question 1 text").fill("Is there budget this year?")
    await page.get_by_label("Question 1 answer type").select_option("radio")
    await page.get_by_label("Question 1 options").fill("Yes, No")
    qualifying = page.get_by_role("group", name="Qualifying answers for question 1")
    await qualifying.get_by_role("checkbox", name="Yes").check()
    await page.get_by_role("button", name="Save questions").click()
    await _saved(page, "Questions saved.")
    await _look(page, "setup-call-campaign")

    await page.get_by_role("button", name="Start").click()
    await expect(page.get_by_test_id("campaign-status")).to_have_text("running")

    async with sessions() as session:
        campaign = (
            await session.scalars(select(Campaign).where(Campaign.name == "Spring renewals"))
        ).one()
        script_body = await session.scalar(
            select(CallScript.body)
            .where(CallScript.campaign_id == campaign.id)
            .order_by(CallScript.version.desc())
        )
        question = (
            await session.scalars(
                select(QualificationQuestion).where(
                    QualificationQuestion.campaign_id == campaign.id
                )
            )
        ).one()
    assert campaign.status == "running"
    assert campaign.audience == {"all_contacts": True}
    assert campaign.settings["caller_id"] == "+14155550100"
    assert campaign.settings["calling_window"]["start"] == "09:00"
    assert campaign.settings["calling_window"]["end"] == "17:30"
    assert script_body == "Hello {{contact.first_name}}, thanks for taking my call."
    assert (question.key, question.answer_type, question.options) == (
        "budget",
        "radio",
        ["Yes", "No"],
    )
    assert question.qualifying_options == ["Yes"]

    # An email campaign: a template previewed for a contact, a sender, a step, the pre-flight.
    await page.goto(f"{base}#/campaigns?kind=email")
    await page.get_by_label("Campaign name").fill("Spring newsletter")
    await page.get_by_role("button", name="Create").click()
    await expect(
        page.get_by_role("heading", name="Email campaign: Spring newsletter")
    ).to_be_visible()
    await page.get_by_role("button", name="New template").click()
    await page.get_by_label("Template name").fill("Spring intro")
    await page.get_by_label("Subject").fill("{{contact.first_name|Hello}}, spring is here")
    await page.get_by_role("button", name="Save template").click()
    await _saved(page, "Template Spring intro saved.")
    async with sessions() as session:
        contact = (
            await session.scalars(
                select(Contact).where(Contact.first_name.is_not(None)).order_by(Contact.id)
            )
        ).first()
    assert contact is not None
    await page.get_by_label("Preview for contact").select_option(str(contact.id))
    await expect(page.get_by_test_id("preview-subject")).to_have_text(
        f"{contact.first_name}, spring is here"
    )
    assert f"contact={contact.id}" in page.url  # the preview's contact is in the link

    await page.get_by_label("Audience source").select_option(label="All contacts")
    await page.get_by_label("Profile name").fill("Spring sender")
    await page.get_by_label("From name").fill("Pivotal Demo")
    await page.get_by_label("From email").fill("news@pivotal-demo.com")
    await page.get_by_label("Postal address (in every footer)").fill("1 Demo Plaza, New York")
    await page.get_by_role("button", name="Create sender profile").click()
    await _saved(page, "Sender profile created.")
    await expect(page.get_by_label("Sender profile")).not_to_have_value("")
    await page.get_by_role("button", name="Add step").click()
    await page.get_by_role("button", name="Save plan").click()
    await _saved(page, "Plan saved.")

    await page.get_by_role("button", name="Run pre-flight").click()
    preflight = page.get_by_test_id("preflight")
    await expect(preflight).to_contain_text("Ready to launch.")
    await expect(preflight.get_by_test_id("excluded-suppressed_email")).to_contain_text(
        "Address on a suppression list"
    )
    await expect(preflight.get_by_test_id("excluded-suppressed_domain")).to_be_visible()
    await expect(page.get_by_role("button", name="Launch")).to_be_enabled()
    await _look(page, "setup-email-campaign")


async def test_an_admin_manages_keys_and_suppressions_and_audits_them(
    site: tuple[str, Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    from playwright.async_api import expect

    base, browser = site
    page = await new_page(browser)
    await sign_in(page, base, ADMIN)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    await expect(page.get_by_role("heading", name="Users and roles")).to_be_visible()
    await expect(page.get_by_role("cell", name=MANAGER)).to_be_visible()

    # A client user: the organisation is picked by name, and only for the client role.
    await page.get_by_label("Email", exact=True).fill("buyer@globex-e2e.com")
    await page.get_by_label("Full name", exact=True).fill("Bea Buyer")
    await page.get_by_label("Password", exact=True).fill("long-enough-pw")
    await expect(page.get_by_label("Client organisation")).to_have_count(0)
    await page.get_by_label("Role", exact=True).select_option("client_user")
    await page.get_by_label("Client organisation").select_option(label="Globex Demo Inc")
    await _look(page, "admin-users")
    await page.get_by_role("button", name="Create user").click()
    await _saved(page, "User buyer@globex-e2e.com created.")
    await expect(page.get_by_role("cell", name="buyer@globex-e2e.com")).to_be_visible()
    await expect(page.get_by_label("Client organisation")).to_have_count(0)  # the form is reset

    # An API key for a client: its secret once, then only the prefix.
    sections = page.get_by_role("navigation", name="Admin sections")
    await sections.get_by_role("link", name="API keys").click()
    await page.get_by_label("Key name").fill("CRM sync")
    await page.get_by_label("Key role").select_option("client_user")
    await page.get_by_label("Client organisation").select_option(label="Acme Demo Corp")
    await page.get_by_role("button", name="Create key").click()
    secret = await page.get_by_test_id("api-key-secret").inner_text()
    assert secret.startswith("pvk_")
    await _look(page, "admin-api-keys")
    await page.get_by_role("button", name="I have stored it").click()
    await expect(page.get_by_test_id("api-key-secret")).to_have_count(0)
    await expect(page.get_by_role("cell", name=f"{secret[:12]}…")).to_be_visible()
    assert secret not in await page.content()

    # Suppressions: a bad file shows its row errors, a good one is imported, one is removed.
    await sections.get_by_role("link", name="Suppressions").click()
    upload = page.get_by_label("CSV file")
    await upload.set_input_files({"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD_CSV})
    await page.get_by_role("button", name="Upload CSV").click()
    errors = page.get_by_test_id("upload-errors")
    await expect(errors).to_contain_text("Use phone, email or domain.")
    await expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    await upload.set_input_files({"name": "good.csv", "mimeType": "text/csv", "buffer": GOOD_CSV})
    await page.get_by_role("button", name="Upload CSV").click()
    await _saved(page, "2 rows read: 2 added, 0 already suppressed.")
    await page.get_by_label("Search value").fill("rival-e2e")
    await page.get_by_role("button", name="Search").click()
    assert "q=rival-e2e" in page.url
    await _look(page, "admin-suppressions")
    await page.get_by_role("button", name="Remove rival-e2e.com").click()
    await _look(page, "admin-suppression-remove")
    await page.get_by_role("dialog").get_by_role("button", name="Remove").click()
    await _saved(page, "rival-e2e.com removed")
    await expect(page.get_by_text("No suppression matches.")).to_be_visible()
    async with sessions() as session:
        left = await session.scalar(
            select(func.count())
            .select_from(Suppression)
            .where(Suppression.source == "csv:good.csv")
        )
        key = (await session.scalars(select(ApiKey).where(ApiKey.name == "CRM sync"))).one()
        buyer = await session.scalar(select(User).where(User.email == "buyer@globex-e2e.com"))
        acme, globex = (
            await session.scalars(select(Client).order_by(Client.name))
        ).all()  # the demo's two organisations
    assert left == 1
    assert key.revoked_at is None
    assert (key.role, key.client_id) == ("client_user", acme.id)
    assert buyer is not None and (buyer.role, buyer.client_id) == ("client_user", globex.id)

    await sections.get_by_role("link", name="Webhooks").click()
    await expect(page.get_by_role("heading", name="Webhook subscriptions")).to_be_visible()
    await _look(page, "admin-webhooks")

    # An automation rule built in the typed editor: a field, its operators, a user picked.
    await sections.get_by_role("link", name="Automation").click()
    await page.get_by_label("Rule name").fill("Hot leads e2e")
    await page.get_by_label("Trigger").select_option("qa.decided")
    await page.get_by_role("button", name="Add condition").click()
    await page.get_by_label("Condition 1 field").select_option(label="ai score")
    await page.get_by_label("Condition 1 operator").select_option(label="is more than")
    await page.get_by_label("Condition 1 value").fill("70")
    await page.get_by_label("Action 1 user").select_option(index=1)
    await page.get_by_label("Action 1 message").fill("A hot lead")
    await page.get_by_label("View as JSON (what is sent)").check()
    await expect(page.get_by_test_id("rule-json")).to_contain_text('"value": 70')
    await _look(page, "admin-automation")
    await page.get_by_role("button", name="Create rule").click()
    await _saved(page, "Rule Hot leads e2e created.")
    listed = page.get_by_role("table", name="Automation rules").get_by_role("row")
    await expect(listed.filter(has_text="Hot leads e2e")).to_contain_text("qa.decided")
    async with sessions() as session:
        rule = (
            await session.scalars(
                select(AutomationRule).where(AutomationRule.name == "Hot leads e2e")
            )
        ).one()
    assert rule.conditions == [{"field": "ai_score", "op": "gt", "value": 70}]
    assert rule.actions[0]["message"] == "A hot lead" and rule.actions[0]["user_id"] > 0

    # The audit log: the suppression actions of today by this admin, then the key.
    await sections.get_by_role("link", name="Audit log").click()
    today = datetime.now().date().isoformat()
    await page.get_by_label("Action").fill("suppression.")
    await page.get_by_label("User").select_option(label=ADMIN)
    await page.get_by_label("From day").fill(today)
    await page.get_by_label("To day").fill(today)
    await page.get_by_role("button", name="Filter").click()
    entries = page.get_by_test_id("audit-entries")
    await expect(entries.get_by_role("row")).to_have_count(3)  # header, import, delete
    await expect(entries).to_contain_text("suppression.import")
    await expect(entries).to_contain_text("suppression.delete")
    await expect(entries).to_contain_text("rival-e2e.com")
    assert "action=suppression." in page.url and f"from={today}" in page.url
    await _look(page, "admin-audit")
    await page.get_by_label("Action").fill("api_key.create")
    await page.get_by_role("button", name="Filter").click()
    await expect(entries.get_by_role("row")).to_have_count(2)
    await expect(entries).to_contain_text(f"api_key {key.id}")
    async with sessions() as session:
        logged = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.created_at >= datetime.now(UTC).replace(hour=0, minute=0))
        )
    assert logged and logged >= 3

    # The running settings, read-only, secrets masked.
    await sections.get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    table = page.get_by_role("table", name="Settings")
    await expect(table).to_contain_text("PIVOTAL_CARRIER")
    secret = table.get_by_role("row").filter(has_text="PIVOTAL_SECRET_KEY")
    await expect(secret).to_contain_text("set")
    await _look(page, "admin-settings")
