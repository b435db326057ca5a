"""Accounts, contacts and custom field definitions."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import Field, HttpUrl

from api.deps import PageDep, Principal, SessionDep, SettingsDep, require
from api.schemas import Page, ReadModel, RowId, Strict
from engine import custom_fields
from engine.contacts import PhoneStatus, normalize_domain, normalize_email, require_e164
from engine.errors import FieldError, ValidationFailed
from store import audience, audit, triggers
from store.models import Account, Contact, CustomFieldDefinition
from store.pagination import paginate

router = APIRouter(tags=["audience"])

ReadAudience = Annotated[Principal, Depends(require("contacts", "read"))]
WriteAudience = Annotated[Principal, Depends(require("contacts", "write"))]
Name = Annotated[str, Field(min_length=1, max_length=300)]
Short = Annotated[str, Field(max_length=200)]


# --- schemas -------------------------------------------------------------------------------


class AccountFields(Strict):
    industry: Short | None = None
    annual_revenue: Annotated[int, Field(ge=0)] | None = None
    employees_size_range: Annotated[str, Field(max_length=50)] | None = None
    staff_count: Annotated[int, Field(ge=0)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    hq_street: Short | None = None
    hq_city: Short | None = None
    hq_state: Annotated[str, Field(max_length=100)] | None = None
    hq_postal_code: Annotated[str, Field(max_length=20)] | None = None
    hq_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    year_founded: Annotated[int, Field(ge=1600, le=2100)] | None = None
    sic_code: Annotated[str, Field(max_length=10)] | None = None
    naics_code: Annotated[str, Field(max_length=10)] | None = None
    linkedin_url: HttpUrl | None = None
    main_phone: Annotated[str, Field(max_length=50)] | None = None
    main_phone_extension: Annotated[str, Field(max_length=10)] | None = None
    intent_topics: Annotated[list[Short], Field(max_length=100)] | None = None
    tech_stack: Annotated[list[Short], Field(max_length=200)] | None = None
    custom_fields: dict[str, Any] | None = None


class AccountCreate(AccountFields):
    name: Name
    domain: Annotated[str, Field(max_length=253)] | None = None


class AccountUpdate(AccountFields):
    name: Name | None = None
    domain: Annotated[str, Field(max_length=253)] | None = None


class AccountRead(ReadModel):
    id: int
    name: str
    domain: str | None
    industry: str | None
    annual_revenue: int | None
    employees_size_range: str | None
    staff_count: int | None
    hq_city: str | None
    hq_country: str | None
    linkedin_url: str | None
    main_phone_e164: str | None
    intent_topics: list[Any]
    tech_stack: list[Any]
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class ContactFields(Strict):
    account_id: RowId | None = None
    first_name: Annotated[str, Field(max_length=150)] | None = None
    last_name: Annotated[str, Field(max_length=150)] | None = None
    full_name: Name | None = None
    job_title: Name | None = None
    email: Annotated[str, Field(max_length=320)] | None = None
    direct_phone: Annotated[str, Field(max_length=50)] | None = None
    phone_extension: Annotated[str, Field(max_length=10)] | None = None
    mobile_phone: Annotated[str, Field(max_length=50)] | None = None
    phone_region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    seniority_level: Annotated[str, Field(max_length=50)] | None = None
    department: Annotated[str, Field(max_length=100)] | None = None
    street: Name | None = None
    city: Short | None = None
    state: Annotated[str, Field(max_length=100)] | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    timezone: Annotated[str, Field(max_length=64)] | None = None
    linkedin_url: HttpUrl | None = None
    intent_topics: Annotated[list[Short], Field(max_length=100)] | None = None
    consent_basis: (
        Literal["consent", "legitimate_interest", "contract", "legal_obligation", "none"] | None
    ) = None
    consent_source: Short | None = None
    consent_at: datetime | None = None
    custom_fields: dict[str, Any] | None = None


class ContactRead(ReadModel):
    id: int
    account_id: int | None
    full_name: str | None
    first_name: str | None
    last_name: str | None
    job_title: str | None
    email: str | None
    email_verification_status: str
    email_status: str
    direct_phone_e164: str | None
    phone_extension: str | None
    phone_status: str
    mobile_phone_e164: str | None
    seniority_level: str | None
    department: str | None
    city: str | None
    country: str | None
    timezone: str | None
    consent_basis: str | None
    consent_source: str | None
    consent_at: datetime | None
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CustomFieldCreate(Strict):
    entity: Literal["contact", "account"]
    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    label: Name
    field_type: Literal["text", "number", "boolean", "date", "select", "multi_select"]
    options: Annotated[list[Short], Field(max_length=200)] = []
    required: bool = False


class CustomFieldRead(ReadModel):
    id: int
    entity: str
    key: str
    label: str
    field_type: str
    options: list[Any]
    required: bool


# --- accounts ------------------------------------------------------------------------------


async def _apply_account(
    session: SessionDep, account: Account, body: AccountFields, region: str, partial: bool
) -> None:
    values = body.model_dump(exclude_unset=True, mode="json")
    if "domain" in values:
        values["domain"] = normalize_domain(values["domain"]) if values["domain"] else None
    if "main_phone" in values:
        raw = values["main_phone"]
        account.main_phone_e164 = require_e164(raw, region, "main_phone") if raw else None
    if "custom_fields" in values:
        specs = await audience.field_specs(session, entity="account")
        values["custom_fields"] = custom_fields.validate(
            specs, values["custom_fields"] or {}, partial=partial
        )
    for key, value in values.items():
        setattr(account, key, value)


@router.get("/accounts")
async def list_accounts(
    _: ReadAudience,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    industry: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[AccountRead]:
    query = audience.accounts_query(q=q, industry=industry)
    result = await paginate(session, query, Account.id, limit=page.limit, cursor=page.cursor)
    return Page[AccountRead](
        items=[AccountRead.model_validate(a) for a in result.items], next_cursor=result.next_cursor
    )


@router.post("/accounts", status_code=201)
async def create_account(
    body: AccountCreate, _: WriteAudience, session: SessionDep, settings: SettingsDep
) -> AccountRead:
    account = Account()
    await _apply_account(session, account, body, settings.default_phone_region, partial=False)
    await audience.save(session, account, unique_field="domain")
    await session.commit()
    return AccountRead.model_validate(account)


@router.get("/accounts/{account_id}")
async def get_account(account_id: RowId, _: ReadAudience, session: SessionDep) -> AccountRead:
    return AccountRead.model_validate(
        await audience.get_account_or_raise(session, account_id=account_id)
    )


@router.patch("/accounts/{account_id}")
async def update_account(
    account_id: RowId,
    body: AccountUpdate,
    _: WriteAudience,
    session: SessionDep,
    settings: SettingsDep,
) -> AccountRead:
    account = await audience.get_account_or_raise(session, account_id=account_id)
    await _apply_account(session, account, body, settings.default_phone_region, partial=True)
    await triggers.record_updated(session, account)
    await audience.save(session, account, unique_field="domain")
    await session.commit()
    return AccountRead.model_validate(account)


@router.delete("/accounts/{account_id}", status_code=204)
async def delete_account(account_id: RowId, principal: WriteAudience, session: SessionDep) -> None:
    account = await audience.get_account_or_raise(session, account_id=account_id)
    await session.delete(account)
    audit.record(
        session,
        action="account.delete",
        target_type="account",
        target_id=account_id,
        data={"domain": account.domain},
        by=principal.audit(),
    )
    await session.commit()


# --- contacts ------------------------------------------------------------------------------


async def _apply_contact(
    session: SessionDep, contact: Contact, body: ContactFields, region: str, partial: bool
) -> None:
    values = body.model_dump(exclude_unset=True, mode="json")
    region = values.pop("phone_region", None) or region
    if values.get("email"):
        values["email"] = normalize_email(values["email"])
        if "account_id" not in values and contact.account_id is None:
            linked = await audience.account_for_email(session, email=values["email"])
            values["account_id"] = linked.id if linked else None
    if values.get("account_id") is not None:
        await audience.get_account_or_raise(session, account_id=values["account_id"])
    if "direct_phone" in values:
        raw = values["direct_phone"]
        contact.direct_phone_e164 = require_e164(raw, region, "direct_phone") if raw else None
        contact.phone_status = PhoneStatus.VALID if raw else PhoneStatus.MISSING
    if "mobile_phone" in values:
        raw = values.pop("mobile_phone")
        contact.mobile_phone_e164 = require_e164(raw, region, "mobile_phone") if raw else None
    if "custom_fields" in values:
        specs = await audience.field_specs(session, entity="contact")
        values["custom_fields"] = custom_fields.validate(
            specs, values["custom_fields"] or {}, partial=partial
        )
    for key, value in values.items():
        setattr(contact, key, value)
    names = [contact.first_name, contact.last_name]
    if not contact.full_name and any(names):
        contact.full_name = " ".join(n for n in names if n)


@router.get("/contacts")
async def list_contacts(
    _: ReadAudience,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    account_id: RowId | None = None,
) -> Page[ContactRead]:
    query = audience.contacts_query(q=q, account_id=account_id)
    result = await paginate(session, query, Contact.id, limit=page.limit, cursor=page.cursor)
    return Page[ContactRead](
        items=[ContactRead.model_validate(c) for c in result.items], next_cursor=result.next_cursor
    )


@router.post("/contacts", status_code=201)
async def create_contact(
    body: ContactFields, _: WriteAudience, session: SessionDep, settings: SettingsDep
) -> ContactRead:
    contact = Contact()
    await _apply_contact(session, contact, body, settings.default_phone_region, partial=False)
    await audience.save(session, contact, unique_field="email")
    await session.commit()
    return ContactRead.model_validate(contact)


@router.get("/contacts/{contact_id}")
async def get_contact(contact_id: RowId, _: ReadAudience, session: SessionDep) -> ContactRead:
    return ContactRead.model_validate(
        await audience.get_contact_or_raise(session, contact_id=contact_id)
    )


@router.patch("/contacts/{contact_id}")
async def update_contact(
    contact_id: RowId,
    body: ContactFields,
    _: WriteAudience,
    session: SessionDep,
    settings: SettingsDep,
) -> ContactRead:
    contact = await audience.get_contact_or_raise(session, contact_id=contact_id)
    await _apply_contact(session, contact, body, settings.default_phone_region, partial=True)
    await triggers.record_updated(session, contact)
    await audience.save(session, contact, unique_field="email")
    await session.commit()
    return ContactRead.model_validate(contact)


@router.delete("/contacts/{contact_id}", status_code=204)
async def delete_contact(contact_id: RowId, principal: WriteAudience, session: SessionDep) -> None:
    contact = await audience.get_contact_or_raise(session, contact_id=contact_id)
    await session.delete(contact)
    audit.record(
        session,
        action="contact.delete",
        target_type="contact",
        target_id=contact_id,
        data={"email": contact.email},
        by=principal.audit(),
    )
    await session.commit()


# --- custom field definitions --------------------------------------------------------------


@router.get("/custom-fields")
async def list_custom_fields(_: ReadAudience, session: SessionDep) -> list[CustomFieldRead]:
    rows = await audience.field_definitions(session)
    return [CustomFieldRead.model_validate(r) for r in rows]


@router.post("/custom-fields", status_code=201)
async def create_custom_field(
    body: CustomFieldCreate, principal: WriteAudience, session: SessionDep
) -> CustomFieldRead:
    if body.field_type in ("select", "multi_select") and not body.options:
        raise ValidationFailed([FieldError("options", "A select field needs options.")])
    definition = CustomFieldDefinition(**body.model_dump())
    await audience.save(session, definition, unique_field="key")
    audit.record(
        session,
        action="custom_field.create",
        target_type="custom_field",
        target_id=definition.id,
        data={"key": body.key},
        by=principal.audit(),
    )
    await session.commit()
    return CustomFieldRead.model_validate(definition)
