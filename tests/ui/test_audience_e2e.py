"""End to end in a real browser against a real uvicorn: a data-ops user imports a messy
Windows-1252 CSV through the wizard, watches the progress bar reach done, downloads the
error file and checks its rows; then builds a filter with a nested group, sees the live
count and saves it as a segment, snapshots it into a list and matches a domain set; a
campaign manager exports the segment and assigns the domain set to a draft campaign."""

import asyncio
import csv
import io
import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from config.settings import Settings
from store import demo
from store.models import Campaign, Contact, DomainSet, Segment
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

DOMAIN = "acme-e2e.com"
# Semicolon-separated, Windows-1252 (é, ü, ß are single bytes), CRLF, a BOM-less header
# with human names the API suggests fields for.
MESSY = (
    "First Name;Surname;E-mail;Work Phone;Company Domain;Job Title\r\n"
    f"José;Müller;jose.muller@{DOMAIN};+1 212 555 0100;{DOMAIN};Directeur Général\r\n"
    f"Ann;Weiß;ann.weiss@{DOMAIN};(303) 555-0101;{DOMAIN};CFO\r\n"
    "Bob;Broken;bob@@nowhere;+1 212 555 0102;;CTO\r\n"
    f"Cleo;Callme;cleo@{DOMAIN};12;{DOMAIN};COO\r\n"
    f"José;Again;JOSE.MULLER@{DOMAIN};+1 212 555 0103;{DOMAIN};Duplicate\r\n"
    f"Dan;Phoneonly;;+1 415 555 0104;{DOMAIN};VP Sales\r\n"
).encode("cp1252")


async def _screen(page: Any, name: str) -> None:
    await screenshot(page, name)
    await check_accessibility(page, name)


async def _import_through_the_wizard(page: Any, tmp_path: Path) -> None:
    source = tmp_path / "messy-contacts.csv"
    source.write_bytes(MESSY)
    await page.get_by_role("link", name="Imports").click()
    await expect(page.get_by_role("heading", name="Import contacts or accounts")).to_be_visible()
    await _screen(page, "audience-import-upload")
    await page.get_by_label("File (CSV or XLSX)").set_input_files(str(source))
    await expect(page.get_by_test_id("file-size")).to_have_text(
        f"messy-contacts.csv · {len(MESSY)} B"
    )
    await page.get_by_role("button", name="Upload and preview").click()

    # the mapping: the API's suggestions are preselected, the preview says what fails
    await expect(page.get_by_label("Field for column E-mail")).to_have_value("email")
    await expect(page.get_by_label("Field for column Surname")).to_have_value("last_name")
    await expect(page.get_by_label("Field for column Work Phone")).to_have_value("direct_phone")
    preview = page.get_by_role("region", name="Preview rows")
    await expect(preview).to_contain_text("Directeur Général")  # decoded from Windows-1252
    await expect(preview).to_contain_text("Duplicate of row 2 in this file.")
    await expect(page.get_by_text("would be rejected")).to_contain_text("3 would be rejected")
    await _screen(page, "audience-import-mapping")

    # a field mapped twice is caught before running, then fixed
    await page.get_by_label("Field for column Job Title").select_option("email")
    await expect(page.get_by_text("email is already mapped from “E-mail”.")).to_be_visible()
    run = page.get_by_role("button", name=re.compile("Run the import of 6 rows"))
    await expect(run).to_be_disabled()
    await page.get_by_label("Field for column Job Title").select_option("job_title")
    await run.click()

    # progress, live from the stream, until done
    await expect(page.get_by_test_id("import-status")).to_contain_text("Done")
    await expect(page.get_by_label("Import progress")).to_have_attribute("value", "100")
    figures = page.get_by_test_id("import-figures")
    await expect(figures).to_contain_text("6 of 6 (100 %)")
    await expect(figures).to_contain_text("Rejected rows3")
    await expect(figures).to_contain_text("3 / 0 / 0")
    await _screen(page, "audience-import-progress")

    button = page.get_by_role("button", name="Download the error file (3 rows)")
    async with page.expect_download() as info:
        await button.click()
    download = await info.value
    text = await asyncio.to_thread(Path(await download.path()).read_text, "utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["row_number"], r["field"]) for r in rows] == [
        ("4", "email"),
        ("5", "direct_phone"),
        ("6", "email"),
    ]
    assert rows[2]["reason"] == "Duplicate of row 2 in this file."
    assert rows[1]["Surname"] == "Callme" and rows[1]["Work Phone"] == "12"
    assert rows[2]["First Name"] == "José"


async def _segment_with_a_nested_group(page: Any) -> None:
    await page.get_by_role("link", name="Segments").click()
    await page.get_by_role("button", name="New segment").click()
    await page.get_by_label("Name", exact=True).fill("E2E imported leaders")
    count = page.get_by_test_id("live-count")
    await page.get_by_role("button", name="Add condition", exact=True).click()
    await page.get_by_label("Condition 1 field").select_option("contact.email")
    await page.get_by_label("Condition 1 operator").select_option("ends_with")
    await expect(count).to_contain_text("Fix the marked conditions")
    await page.get_by_label("Condition 1 value").fill(f"@{DOMAIN}")
    await expect(count).to_have_text("2 contacts match")  # Dan has no email
    await page.get_by_role("button", name="Add group", exact=True).click()
    await page.get_by_label("Condition 2.1 field").select_option("contact.job_title")
    await page.get_by_label("Condition 2.1 operator").select_option("starts_with")
    await page.get_by_label("Condition 2.1 value").press_sequentially("direct")
    await expect(count).to_have_text("1 contact matches")
    await page.get_by_role("button", name="Add condition to group 2").click()
    await page.get_by_label("Condition 2.2 field").select_option("contact.last_name")
    await page.get_by_label("Condition 2.2 operator").select_option("in")
    await page.get_by_label("Condition 2.2 values").fill("Weiß, Nobody")
    await expect(count).to_have_text("2 contacts match")
    await _screen(page, "audience-segment-builder")
    await page.emulate_media(color_scheme="dark")
    await _screen(page, "audience-segment-builder-dark")
    await page.emulate_media(color_scheme="light")
    await page.get_by_role("button", name="Save segment").click()
    await expect(page.get_by_role("heading", name="Segment: E2E imported leaders")).to_be_visible()
    saved = page.get_by_role("region", name="Saved segments")
    await expect(saved).to_contain_text("E2E imported leaders2 contacts")


async def _list_and_domain_set(page: Any, tmp_path: Path) -> None:
    await page.get_by_role("link", name="Lists").click()
    await page.get_by_label("New list name").fill("E2E call list")
    await page.get_by_role("button", name="Create").click()
    await page.get_by_label("Snapshot a segment into this list").select_option(
        label="E2E imported leaders"
    )
    await page.get_by_role("button", name="Add its contacts").click()
    await expect(page.get_by_test_id("list-size")).to_contain_text("2 contacts")
    await _screen(page, "audience-lists")

    domains = tmp_path / "targets.txt"
    domains.write_text(f"https://www.{DOMAIN}/about\nnot a domain\nunknown-e2e.org\n")
    await page.get_by_role("link", name="Domain sets").click()
    await page.get_by_label("File (CSV or TXT, one domain per line)").set_input_files(str(domains))
    await page.get_by_role("button", name="Upload and match").click()
    await expect(page.get_by_role("list", name="Unmatched domains")).to_contain_text(
        "unknown-e2e.org"
    )
    await expect(page.get_by_role("list", name="Invalid lines")).to_contain_text("line 2")
    await _screen(page, "audience-domain-sets")


async def _manager_exports_and_assigns(page: Any) -> None:
    """A campaign manager exports the saved segment and makes the domain set the audience
    of a draft campaign."""
    await page.get_by_role("link", name="Segments").click()
    await page.get_by_role("button", name=re.compile("E2E imported leaders")).click()
    async with page.expect_download() as info:
        await page.get_by_role("button", name="Export CSV").click()
    download = await info.value
    text = await asyncio.to_thread(Path(await download.path()).read_text, "utf-8-sig")
    exported = csv.DictReader(io.StringIO(text))
    assert sorted(row["email"] for row in exported) == [
        f"ann.weiss@{DOMAIN}",
        f"jose.muller@{DOMAIN}",
    ]
    await page.get_by_role("link", name="Domain sets").click()
    await page.get_by_role("button", name=re.compile("targets.txt")).click()
    assign = page.get_by_label("Assign as the audience of a campaign (draft or scheduled)")
    await assign.select_option(label="Acme Q1 IT outreach (call, draft)")
    await page.get_by_role("button", name="Assign", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("“Acme Q1 IT outreach” now calls")
    await _screen(page, "audience-domain-sets-manager")


async def test_data_ops_import_and_segment_then_a_manager_exports_and_assigns(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    async with sessions() as session, session.begin():
        await demo.seed(session)
    async with serve(create_app(settings)) as host, chromium() as browser:
        base = f"http://localhost:{host.rsplit(':', 1)[1]}/"
        page = await new_page(browser)
        await sign_in(page, base, f"dataops@{demo.DEMO_DOMAIN}")
        await expect(page.get_by_role("heading", name="Segments", exact=True)).to_be_visible()
        await _import_through_the_wizard(page, tmp_path)
        await _segment_with_a_nested_group(page)
        await _list_and_domain_set(page, tmp_path)
        manager = await new_page(browser)
        await sign_in(manager, base, f"manager@{demo.DEMO_DOMAIN}")
        await _manager_exports_and_assigns(manager)

    async with sessions() as session:
        names = await session.scalars(
            select(Contact.full_name).where(Contact.email.like(f"%@{DOMAIN}")).order_by(Contact.id)
        )
        assert list(names) == ["José Müller", "Ann Weiß"]
        segment = await session.scalar(select(Segment).where(Segment.name.like("E2E%")))
        assert segment is not None and segment.definition["conditions"][1]["op"] == "or"
        audience = await session.scalar(
            select(Campaign.audience).where(Campaign.name == "Acme Q1 IT outreach")
        )
        domain_set = await session.scalar(select(DomainSet.id))
        assert audience == {"domain_set_id": domain_set}
