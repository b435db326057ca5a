"""SQLAlchemy 2 models for the whole domain (DESIGN.md "Data", seed 002 §5).

Portable across SQLite and PostgreSQL: JSON becomes JSONB on PostgreSQL, ids are BIGINT
there and INTEGER (rowid) on SQLite, and the trigram indexes exist on PostgreSQL only.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

Id = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend (SQLite would hand back naive datetimes)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: Json}


def pk() -> Mapped[int]:
    return mapped_column(Id, primary_key=True, autoincrement=True)


def fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(Id, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


def created() -> Mapped[datetime]:
    return mapped_column(default=utcnow, index=True)


def updated() -> Mapped[datetime]:
    return mapped_column(default=utcnow, onupdate=utcnow)


def json_list() -> Mapped[list[Any]]:
    return mapped_column(Json, default=list)


def json_dict() -> Mapped[dict[str, Any]]:
    return mapped_column(Json, default=dict)


def trigram(name: str, column: str) -> Index:
    """A trigram GIN index on PostgreSQL (contains / ends-with filters); skipped elsewhere."""
    index = Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
    return index.ddl_if(dialect="postgresql")


def include_for_dialect(dialect: str) -> Callable[..., bool]:
    """Alembic filter: leave out indexes a model declares for another dialect only."""

    def include(obj: Any, _name: Any, type_: str, reflected: bool, _compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        if type_ == "index" and not reflected and condition is not None:
            return condition.dialect in (None, dialect)
        return True

    return include


# --- people and access -------------------------------------------------------------------


class Client(Base):
    """A customer organisation whose users work in the client portal."""

    __tablename__ = "clients"
    # "Acme" and "ACME" are one organisation: the index, not a prior SELECT, settles two
    # concurrent creates
    __table_args__ = (Index("uq_clients_name_lower", func.lower(text("name")), unique=True),)
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = created()
    # a deactivated client's users cannot sign in and its API keys stop working
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    contact_email: Mapped[str | None] = mapped_column(String(320), nullable=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = pk()
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), index=True)
    client_id: Mapped[int | None] = fk("clients.id", nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class RefreshToken(Base):
    """One refresh token; rotation links tokens of a login into a family, and reusing a
    rotated token revokes the whole family (a stolen token is then worthless)."""

    __tablename__ = "refresh_tokens"
    id: Mapped[int] = pk()
    user_id: Mapped[int] = fk("users.id")
    family: Mapped[str] = mapped_column(String(64), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[int | None] = fk("clients.id", nullable=True)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()


# --- audience ------------------------------------------------------------------------------


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (trigram("ix_accounts_domain_trgm", "domain"),)
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(300), index=True)
    domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    industry: Mapped[str | None] = mapped_column(String(200), index=True)
    annual_revenue: Mapped[int | None] = mapped_column(BigInteger)
    employees_size_range: Mapped[str | None] = mapped_column(String(50))
    staff_count: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    hq_street: Mapped[str | None] = mapped_column(String(300))
    hq_city: Mapped[str | None] = mapped_column(String(200))
    hq_state: Mapped[str | None] = mapped_column(String(100))
    hq_postal_code: Mapped[str | None] = mapped_column(String(20))
    hq_country: Mapped[str | None] = mapped_column(String(2))
    year_founded: Mapped[int | None]
    sic_code: Mapped[str | None] = mapped_column(String(10))
    naics_code: Mapped[str | None] = mapped_column(String(10))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    main_phone: Mapped[str | None] = mapped_column(String(50))
    main_phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    main_phone_extension: Mapped[str | None] = mapped_column(String(10))
    intent_topics: Mapped[list[Any]] = json_list()
    tech_stack: Mapped[list[Any]] = json_list()
    custom_fields: Mapped[dict[str, Any]] = json_dict()
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        trigram("ix_contacts_email_trgm", "email"),
        trigram("ix_contacts_direct_phone_e164_trgm", "direct_phone_e164"),
    )
    id: Mapped[int] = pk()
    account_id: Mapped[int | None] = fk("accounts.id", nullable=True, ondelete="SET NULL")
    full_name: Mapped[str | None] = mapped_column(String(300))
    first_name: Mapped[str | None] = mapped_column(String(150))
    last_name: Mapped[str | None] = mapped_column(String(150), index=True)
    job_title: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    email_verification_status: Mapped[str] = mapped_column(String(20), default="unverified")
    email_status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    direct_phone: Mapped[str | None] = mapped_column(String(50))
    direct_phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    phone_extension: Mapped[str | None] = mapped_column(String(10))
    phone_status: Mapped[str] = mapped_column(String(20), default="missing")
    mobile_phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    seniority_level: Mapped[str | None] = mapped_column(String(50))
    department: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    intent_topics: Mapped[list[Any]] = json_list()
    consent_basis: Mapped[str | None] = mapped_column(String(50))
    consent_source: Mapped[str | None] = mapped_column(String(200))
    consent_at: Mapped[datetime | None]
    custom_fields: Mapped[dict[str, Any]] = json_dict()
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class CustomFieldDefinition(Base):
    """A custom field on contacts or accounts: its type is checked on every write."""

    __tablename__ = "custom_field_definitions"
    __table_args__ = (UniqueConstraint("entity", "key"),)
    id: Mapped[int] = pk()
    entity: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    field_type: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[Any]] = json_list()
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created()


class Suppression(Base):
    """A do-not-contact entry. `client_id` null means global."""

    __tablename__ = "suppressions"
    __table_args__ = (
        UniqueConstraint("kind", "value", "client_id"),
        Index("ix_suppressions_kind_value", "kind", "value"),
        # NULLs are distinct in a unique constraint: global entries need their own index.
        Index(
            "uq_suppressions_global",
            "kind",
            "value",
            unique=True,
            sqlite_where=text("client_id IS NULL"),
            postgresql_where=text("client_id IS NULL"),
        ),
    )
    id: Mapped[int] = pk()
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(320))
    client_id: Mapped[int | None] = fk("clients.id", nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    consent_basis: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()


class Segment(Base):
    __tablename__ = "segments"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(20), default="contact")
    definition: Mapped[dict[str, Any]] = json_dict()
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class ContactList(Base):
    __tablename__ = "lists"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    source_segment_id: Mapped[int | None] = fk("segments.id", nullable=True, ondelete="SET NULL")
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class ListMember(Base):
    __tablename__ = "list_members"
    list_id: Mapped[int] = mapped_column(
        Id, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        Id, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = created()


class DomainSet(Base):
    __tablename__ = "domain_sets"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    domains: Mapped[list[Any]] = json_list()
    stats: Mapped[dict[str, Any]] = json_dict()
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class ImportJob(Base):
    __tablename__ = "imports"
    id: Mapped[int] = pk()
    entity: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="uploaded", index=True)
    mapping: Mapped[dict[str, Any]] = json_dict()
    options: Mapped[dict[str, Any]] = json_dict()
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_failed: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    finished_at: Mapped[datetime | None]
    # Beaten while a process runs the import; a running import whose beat is old (or
    # cleared by a clean shutdown) has lost its process and may be resumed.
    heartbeat_at: Mapped[datetime | None]


class ImportError_(Base):
    __tablename__ = "import_errors"
    id: Mapped[int] = pk()
    import_id: Mapped[int] = fk("imports.id")
    row_number: Mapped[int]
    field: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(500))
    raw: Mapped[dict[str, Any]] = json_dict()


# --- campaigns and calling -----------------------------------------------------------------


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = pk()
    kind: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    client_id: Mapped[int | None] = fk("clients.id", nullable=True, ondelete="SET NULL")
    audience: Mapped[dict[str, Any]] = json_dict()
    settings: Mapped[dict[str, Any]] = json_dict()
    schedule_start: Mapped[datetime | None]
    schedule_end: Mapped[datetime | None]
    owner_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class CallScript(Base):
    __tablename__ = "call_scripts"
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    body: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = created()


class QualificationQuestion(Base):
    __tablename__ = "qualification_questions"
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300))
    answer_type: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[Any]] = json_list()
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # what qualifies a lead (engine.analysis): some options, or a number question's minimum
    qualifying_options: Mapped[list[Any]] = json_list()
    qualifying_min: Mapped[float | None] = mapped_column(Float)


class Disposition(Base):
    """A disposition an agent can choose, with its queue rule. Null campaign = default set."""

    __tablename__ = "dispositions"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)
    id: Mapped[int] = pk()
    campaign_id: Mapped[int | None] = fk("campaigns.id", nullable=True)
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(30))
    retry_outcome: Mapped[str | None] = mapped_column(String(20))
    shortcut: Mapped[str | None] = mapped_column(String(2))


class AgentSession(Base):
    """An agent's last known console state, so a restarted dialer can seat agents again."""

    __tablename__ = "agent_sessions"
    agent_id: Mapped[int] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_ids: Mapped[list[Any]] = json_list()
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(60))
    call_id: Mapped[int | None] = fk("calls.id", nullable=True, ondelete="SET NULL")
    updated_at: Mapped[datetime] = updated()


class CampaignLead(Base):
    """A contact in a call campaign's audience with its dialing state (the hopper's source)."""

    __tablename__ = "campaign_leads"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id"),
        Index("ix_campaign_leads_due", "campaign_id", "status", "next_attempt_at"),
    )
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    contact_id: Mapped[int] = fk("contacts.id")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_disposition: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = updated()


class Call(Base):
    __tablename__ = "calls"
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    contact_id: Mapped[int] = fk("contacts.id")
    agent_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default="dialing")
    disposition: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    answers: Mapped[dict[str, Any]] = json_dict()
    started_at: Mapped[datetime] = created()
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    talk_seconds: Mapped[float | None] = mapped_column(Float)


class CallAttempt(Base):
    """One dial of one lead. The unique key makes a retried dial harmless."""

    __tablename__ = "call_attempts"
    __table_args__ = (UniqueConstraint("campaign_lead_id", "attempt_no"),)
    id: Mapped[int] = pk()
    call_id: Mapped[int | None] = fk("calls.id", nullable=True)
    campaign_lead_id: Mapped[int] = fk("campaign_leads.id")
    attempt_no: Mapped[int]
    carrier: Mapped[str] = mapped_column(String(20))
    carrier_call_id: Mapped[str | None] = mapped_column(String(100), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = created()


class Callback(Base):
    __tablename__ = "callbacks"
    id: Mapped[int] = pk()
    campaign_lead_id: Mapped[int] = fk("campaign_leads.id")
    agent_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    due_at: Mapped[datetime] = mapped_column(index=True)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()


class Recording(Base):
    __tablename__ = "recordings"
    id: Mapped[int] = pk()
    call_id: Mapped[int] = fk("calls.id")
    url: Mapped[str] = mapped_column(String(1000))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = created()


class Transcript(Base):
    __tablename__ = "transcripts"
    id: Mapped[int] = pk()
    recording_id: Mapped[int] = fk("recordings.id")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    text: Mapped[str | None] = mapped_column(Text)
    utterances: Mapped[list[Any]] = json_list()
    created_at: Mapped[datetime] = created()
    # When a worker took it: a `pending` one claimed long ago died with its process.
    claimed_at: Mapped[datetime | None]


# --- email ---------------------------------------------------------------------------------


class SenderProfile(Base):
    """Who an email campaign sends as, through which SMTP relay, and how much per day.

    The password is write-only through the API (never returned) and encrypted at rest."""

    __tablename__ = "sender_profiles"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[int | None] = fk("clients.id", nullable=True, ondelete="SET NULL")
    from_name: Mapped[str] = mapped_column(String(200))
    from_email: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    postal_address: Mapped[str] = mapped_column(Text)
    smtp_host: Mapped[str | None] = mapped_column(String(253))  # null: the settings' relay
    smtp_port: Mapped[int | None]
    smtp_tls: Mapped[str] = mapped_column(String(10), default="none")  # none|starttls|tls
    smtp_username: Mapped[str | None] = mapped_column(String(320))
    # Fernet-encrypted (engine/credentials.py `seal`, key derived from PIVOTAL_SECRET_KEY).
    smtp_password: Mapped[str | None] = mapped_column(String(1000))
    daily_cap: Mapped[int | None]
    warmup_plan: Mapped[list[Any]] = json_list()  # day n's cap is warmup_plan[n - 1]
    warmup_started_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class EmailTemplate(Base):
    __tablename__ = "email_templates"
    id: Mapped[int] = pk()
    campaign_id: Mapped[int | None] = fk("campaigns.id", nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(500))
    html: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    step: Mapped[int] = mapped_column(Integer, default=1)
    variant: Mapped[str] = mapped_column(String(10), default="A")
    created_at: Mapped[datetime] = created()


class EmailMessage(Base):
    """One intended message. The unique key is persisted before sending: never two mails."""

    __tablename__ = "email_messages"
    __table_args__ = (
        UniqueConstraint("campaign_id", "step", "contact_id"),
        Index("ix_email_messages_campaign_status", "campaign_id", "status"),
    )
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    step: Mapped[int] = mapped_column(Integer, default=1)
    contact_id: Mapped[int] = fk("contacts.id")
    to_email: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    message_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    provider_id: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created()
    sent_at: Mapped[datetime | None]
    sender_profile_id: Mapped[int | None] = fk(
        "sender_profiles.id", nullable=True, ondelete="SET NULL"
    )
    template_id: Mapped[int | None] = fk("email_templates.id", nullable=True, ondelete="SET NULL")
    variant: Mapped[str | None] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]  # last `queued → sending`: shown for `unknown` rows


class EmailEvent(Base):
    __tablename__ = "email_events"
    id: Mapped[int] = pk()
    message_id: Mapped[int] = fk("email_messages.id")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    data: Mapped[dict[str, Any]] = json_dict()
    created_at: Mapped[datetime] = created()
    # Set for events that must count once (a bounce, a provider's event id): retries are no-ops.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)


# --- leads and QA --------------------------------------------------------------------------


class Lead(Base):
    __tablename__ = "leads"
    id: Mapped[int] = pk()
    campaign_id: Mapped[int] = fk("campaigns.id")
    contact_id: Mapped[int] = fk("contacts.id")
    call_id: Mapped[int | None] = fk("calls.id", nullable=True, ondelete="SET NULL")
    agent_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    qa_status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    answers: Mapped[dict[str, Any]] = json_dict()
    checklist: Mapped[dict[str, Any]] = json_dict()
    ai_analysis: Mapped[dict[str, Any]] = json_dict()
    ai_score: Mapped[int | None]
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class QaReview(Base):
    __tablename__ = "qa_reviews"
    id: Mapped[int] = pk()
    lead_id: Mapped[int] = fk("leads.id")
    reviewer_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created()


# --- client orders (bridge model) ----------------------------------------------------------


class Order(Base):
    """A client's campaign order. Orders never create campaigns; ops link them by hand."""

    __tablename__ = "orders"
    id: Mapped[int] = pk()
    client_id: Mapped[int] = fk("clients.id")
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    audience: Mapped[dict[str, Any]] = json_dict()
    lead_goal: Mapped[int | None]
    pacing: Mapped[dict[str, Any]] = json_dict()
    compliance_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()
    # The wizard: who confirmed the compliance terms and when; the question version pinned
    # at submission (later question versions never change a submitted order).
    compliance_confirmed_at: Mapped[datetime | None]
    compliance_confirmed_by_id: Mapped[int | None] = fk(
        "users.id", nullable=True, ondelete="SET NULL"
    )
    question_version: Mapped[int | None]


class OrderAsset(Base):
    __tablename__ = "order_assets"
    id: Mapped[int] = pk()
    order_id: Mapped[int] = fk("orders.id")
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10), default="")  # sniffed: pdf, png, docx …
    uploaded_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()


class OrderQualification(Base):
    __tablename__ = "order_qualifications"
    id: Mapped[int] = pk()
    order_id: Mapped[int] = fk("orders.id")
    question: Mapped[str] = mapped_column(String(500))
    answer_type: Mapped[str] = mapped_column(String(20), default="text")
    options: Mapped[list[Any]] = json_list()
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created()
    qualifying_options: Mapped[list[Any]] = json_list()  # which options qualify a lead
    qualifying_min: Mapped[float | None] = mapped_column(Float)  # … or the least number


class OrderCampaignLink(Base):
    __tablename__ = "order_campaign_links"
    __table_args__ = (UniqueConstraint("order_id", "campaign_id"),)
    id: Mapped[int] = pk()
    order_id: Mapped[int] = fk("orders.id")
    campaign_id: Mapped[int] = fk("campaigns.id")
    linked_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()


class OrderDelivery(Base):
    __tablename__ = "order_deliveries"
    id: Mapped[int] = pk()
    order_id: Mapped[int] = fk("orders.id")
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    lead_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created()


# --- logs and webhooks ---------------------------------------------------------------------


class Activity(Base):
    """What happened to a contact or account (call started/ended, email sent …)."""

    __tablename__ = "activity_log"
    id: Mapped[int] = pk()
    kind: Mapped[str] = mapped_column(String(40), index=True)
    contact_id: Mapped[int | None] = fk("contacts.id", nullable=True)
    account_id: Mapped[int | None] = fk("accounts.id", nullable=True)
    campaign_id: Mapped[int | None] = fk("campaigns.id", nullable=True, ondelete="SET NULL")
    actor_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    data: Mapped[dict[str, Any]] = json_dict()
    created_at: Mapped[datetime] = created()


class AuditEntry(Base):
    """Who did which critical action or download, when, from where."""

    __tablename__ = "audit_log"
    id: Mapped[int] = pk()
    action: Mapped[str] = mapped_column(String(60), index=True)
    actor_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    api_key_id: Mapped[int | None] = fk("api_keys.id", nullable=True, ondelete="SET NULL")
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = json_dict()
    created_at: Mapped[datetime] = created()


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"
    id: Mapped[int] = pk()
    client_id: Mapped[int | None] = fk("clients.id", nullable=True)
    url: Mapped[str] = mapped_column(String(1000))
    events: Mapped[list[Any]] = json_list()
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created()


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = pk()
    subscription_id: Mapped[int] = fk("webhook_subscriptions.id")
    event: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = json_dict()
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created()
    # pending → sending (claimed; due_at is then the lease's end) → delivered | failed
    due_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    delivered_at: Mapped[datetime | None]


class WebhookEvent(Base):
    """A webhook received from a provider (Telnyx), kept once per event id: redeliveries
    are answered without acting twice, and unknown events stay on record."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)
    id: Mapped[int] = pk()
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")  # delivered, ignored
    payload: Mapped[dict[str, Any]] = json_dict()
    received_at: Mapped[datetime] = created()
    handled_at: Mapped[datetime | None]


# --- client order wizard, outgoing webhooks, automation -----------------------------------


class OrderAudienceMember(Base):
    """The contacts (and their accounts) an order's audience held when it was snapshotted.
    No foreign keys: the snapshot stays as it was even when contacts are deleted later."""

    __tablename__ = "order_audience_members"
    __table_args__ = (UniqueConstraint("order_id", "contact_id"),)
    id: Mapped[int] = pk()
    order_id: Mapped[int] = fk("orders.id")
    contact_id: Mapped[int] = mapped_column(Id)
    account_id: Mapped[int | None] = mapped_column(Id)


class WebhookAttempt(Base):
    """One try at sending a webhook delivery, whatever came of it."""

    __tablename__ = "webhook_attempts"
    id: Mapped[int] = pk()
    delivery_id: Mapped[int] = fk("webhook_deliveries.id")
    number: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created()


class AutomationRule(Base):
    """When `trigger` happens and every condition holds, run the actions (engine/automation)."""

    __tablename__ = "automation_rules"
    id: Mapped[int] = pk()
    name: Mapped[str] = mapped_column(String(200))
    trigger: Mapped[str] = mapped_column(String(40), index=True)
    conditions: Mapped[list[Any]] = json_list()
    actions: Mapped[list[Any]] = json_list()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True, ondelete="SET NULL")
    created_at: Mapped[datetime] = created()
    updated_at: Mapped[datetime] = updated()


class Notification(Base):
    __tablename__ = "notifications"
    id: Mapped[int] = pk()
    user_id: Mapped[int] = fk("users.id")
    message: Mapped[str] = mapped_column(String(1000))
    record_type: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Id)
    rule_id: Mapped[int | None] = fk("automation_rules.id", nullable=True, ondelete="SET NULL")
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created()
