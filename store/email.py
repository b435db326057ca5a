"""What email campaigns read and write: templates, sender profiles, intended messages,
the pre-send guard's facts, send results, events and unsubscribes.

Every message is a row of `email_messages` with the unique key (campaign, step, contact),
written before anything is sent. Its status moves queued → sending → sent | failed |
bounced (or back to queued for a retry after a 4xx); `excluded` rows record why the guard
refused a contact; `unknown` rows were being sent when the pacer died and are never sent
again (at most once: see docs/email.md).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from engine.bounces import COMPLAINT, bounce_kind, bounced_rows, parse_bounce
from engine.email import (
    CONTACT_FIELDS,
    Content,
    EmailPlan,
    FrequencyCap,
    Recipient,
    domain_parents,
    exclusion,
)
from engine.errors import FieldError, NotFound
from engine.replies import REPLY, parse_reply, replied_row
from store.db import dialect_insert
from store.models import (
    Account,
    Base,
    Campaign,
    Contact,
    EmailEvent,
    EmailMessage,
    EmailTemplate,
    SenderProfile,
    Suppression,
)
from store.segments import audience_ids

QUEUED, SENDING, SENT, FAILED, BOUNCED, EXCLUDED, UNKNOWN = (
    "queued",
    "sending",
    "sent",
    "failed",
    "bounced",
    "excluded",
    "unknown",
)
# The reason of the rows a stop left unsent (`excluded`).
CAMPAIGN_STOPPED = "campaign_stopped"
# Messages that count towards a contact's frequency cap (maybe delivered).
COUNTED = (SENDING, SENT, UNKNOWN)
STOPPED_STATUSES = ("unsubscribed", "bounced", "complained")
_CHUNK = 500


def now_utc() -> datetime:
    return datetime.now(UTC)


# --- templates and sender profiles ---------------------------------------------------------


async def get_template_or_raise(session: AsyncSession, *, template_id: int) -> EmailTemplate:
    row = await session.get(EmailTemplate, template_id)
    if row is None:
        raise NotFound("Email template")
    return row


def templates_query(*, campaign_id: int | None) -> Select[Any]:
    query = select(EmailTemplate)
    return query.where(EmailTemplate.campaign_id == campaign_id) if campaign_id else query


async def get_sender_or_raise(session: AsyncSession, *, sender_id: int) -> SenderProfile:
    row = await session.get(SenderProfile, sender_id)
    if row is None:
        raise NotFound("Sender profile")
    return row


def senders_query() -> Select[Any]:
    return select(SenderProfile)


@dataclass(frozen=True)
class Sender:
    """A sender profile as the pacer uses it (a plain value that crosses processes)."""

    sender_id: int
    from_name: str
    from_email: str
    reply_to: str | None
    postal_address: str
    smtp_host: str | None
    smtp_port: int | None
    smtp_tls: str
    smtp_username: str | None
    smtp_password: str | None  # sealed (engine/credentials.py): the pacer unseals it
    daily_cap: int | None
    warmup_plan: tuple[int, ...]
    warmup_started_at: datetime | None

    @property
    def domain(self) -> str:
        return self.from_email.rsplit("@", 1)[-1]

    def cap_on(self, day: datetime) -> int | None:
        """Today's cap: the daily cap, lowered by the warm-up plan while it runs."""
        caps = [self.daily_cap] if self.daily_cap else []
        if self.warmup_plan and self.warmup_started_at is not None:
            n = (day.date() - self.warmup_started_at.date()).days
            if 0 <= n < len(self.warmup_plan):
                caps.append(int(self.warmup_plan[n]))
        return min(caps) if caps else None


def sender_of(row: SenderProfile) -> Sender:
    return Sender(
        sender_id=row.id,
        from_name=row.from_name,
        from_email=row.from_email,
        reply_to=row.reply_to,
        postal_address=row.postal_address,
        smtp_host=row.smtp_host,
        smtp_port=row.smtp_port,
        smtp_tls=row.smtp_tls,
        smtp_username=row.smtp_username,
        smtp_password=row.smtp_password,
        daily_cap=row.daily_cap,
        warmup_plan=tuple(int(x) for x in row.warmup_plan or ()),
        warmup_started_at=row.warmup_started_at,
    )


# --- campaigns -----------------------------------------------------------------------------


@dataclass
class EmailCampaign:
    campaign_id: int
    name: str
    status: str
    client_id: int | None
    audience: dict[str, Any]
    plan: EmailPlan
    sender: Sender | None
    templates: dict[int, Content] = field(default_factory=dict)


async def load_campaign(session: AsyncSession, campaign_id: int) -> EmailCampaign:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.kind != "email":
        raise NotFound("Email campaign")
    plan = EmailPlan.from_settings(campaign.settings or {})
    sender = None
    if plan.sender_profile_id is not None:
        row = await session.get(SenderProfile, plan.sender_profile_id)
        sender = sender_of(row) if row is not None else None
    wanted = {v.template_id for s in plan.steps for v in s.variants}
    templates = {}
    if wanted:
        for t in await session.scalars(select(EmailTemplate).where(EmailTemplate.id.in_(wanted))):
            templates[t.id] = Content(t.subject, t.html, t.text_body)
    return EmailCampaign(
        campaign_id=campaign.id,
        name=campaign.name,
        status=campaign.status,
        client_id=campaign.client_id,
        audience=dict(campaign.audience or {}),
        plan=plan,
        sender=sender,
        templates=templates,
    )


async def running_email_campaigns(session: AsyncSession) -> list[int]:
    query = select(Campaign.id).where(
        Campaign.kind == "email", Campaign.status.in_(("running", "paused"))
    )
    return list(await session.scalars(query.order_by(Campaign.id)))


async def completed_since(session: AsyncSession, since: datetime) -> list[tuple[int, datetime]]:
    """Email campaigns completed since `since` (their last change), with when."""
    query = select(Campaign.id, Campaign.updated_at).where(
        Campaign.kind == "email", Campaign.status == "completed", Campaign.updated_at >= since
    )
    return [(int(c), at) for c, at in (await session.execute(query.order_by(Campaign.id))).all()]


async def set_campaign_status(
    session: AsyncSession, campaign_id: int, status: str, *, expected: Sequence[str] = ()
) -> bool:
    """Sets the status; with `expected`, only from one of those (returns whether it moved),
    so a pause racing the pacer's own completion cannot undo it."""
    statement = update(Campaign).where(Campaign.id == campaign_id)
    if expected:
        statement = statement.where(Campaign.status.in_(expected))
    result = await session.execute(statement.values(status=status))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def exclude_unsent(session: AsyncSession, campaign_id: int) -> int:
    """A stopped campaign's rows still `queued` become `excluded` (campaign_stopped): they
    will never be sent, and the counts say so. Returns how many."""
    result = await session.execute(
        update(EmailMessage)
        .where(EmailMessage.campaign_id == campaign_id, EmailMessage.status == QUEUED)
        .values(status=EXCLUDED, error=CAMPAIGN_STOPPED)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def readiness(campaign: EmailCampaign) -> list[FieldError]:
    """What stops this campaign from sending (empty: it can start)."""
    errors = []
    if campaign.sender is None:
        errors.append(FieldError("settings.email.sender_profile_id", "Choose a sender profile."))
    elif not campaign.sender.postal_address.strip():
        errors.append(FieldError("sender.postal_address", "The sender needs a postal address."))
    if not campaign.plan.steps:
        errors.append(FieldError("settings.email.steps", "Add at least one step."))
    for step in campaign.plan.steps:
        for variant in step.variants:
            if variant.template_id not in campaign.templates:
                errors.append(
                    FieldError(
                        f"settings.email.steps.{step.number - 1}.variants",
                        f"Template {variant.template_id} does not exist.",
                    )
                )
    return errors


# --- the guard -----------------------------------------------------------------------------


async def recipients(
    session: AsyncSession,
    contact_ids: Sequence[int],
    *,
    client_id: int | None,
    cap: FrequencyCap,
    now: datetime,
) -> dict[int, Recipient]:
    """The guard's facts for these contacts, read now: two queries per 500 (this runs in
    every send batch, so round trips count)."""
    found: dict[int, Recipient] = {}
    since = now - timedelta(days=cap.period_days)
    scope = or_(Suppression.client_id.is_(None), Suppression.client_id == client_id)
    suppressed_email = (
        exists()
        .where(Suppression.kind == "email", Suppression.value == Contact.email, scope)
        .correlate(Contact)
    )
    recent = (
        select(func.count())
        .where(
            EmailMessage.contact_id == Contact.id,
            EmailMessage.status.in_(COUNTED),
            func.coalesce(EmailMessage.sent_at, EmailMessage.created_at) >= since,
        )
        .correlate(Contact)
        .scalar_subquery()
    )
    for start in range(0, len(contact_ids), _CHUNK):
        chunk = list(contact_ids[start : start + _CHUNK])
        rows = (
            await session.execute(
                select(
                    Contact.id,
                    Contact.email,
                    Contact.email_status,
                    Contact.email_verification_status,
                    suppressed_email,
                    recent,
                ).where(Contact.id.in_(chunk))
            )
        ).all()
        domains = {d for r in rows if r[1] for d in domain_parents(r[1].rsplit("@", 1)[-1])}
        blocked_domains = set(
            await session.scalars(
                select(Suppression.value).where(
                    Suppression.kind == "domain", Suppression.value.in_(domains), scope
                )
            )
        )
        for contact_id, email, status, verification, blocked, messages in rows:
            domain = email.rsplit("@", 1)[-1] if email else ""
            found[contact_id] = Recipient(
                contact_id=contact_id,
                email=email,
                email_status=status,
                verification_status=verification,
                suppressed_email=bool(blocked),
                suppressed_domain=bool(set(domain_parents(domain)) & blocked_domains),
                recent_messages=int(messages or 0),
            )
    return found


@dataclass(frozen=True)
class Preflight:
    audience: int
    sendable: int
    excluded: dict[str, int]
    items: list[tuple[int, str | None, str]]  # (contact id, email, reason), the first 1,000


async def preflight(session: AsyncSession, campaign: EmailCampaign, *, now: datetime) -> Preflight:
    """What launching now would exclude, and why (nothing is written)."""
    ids = list(await session.scalars(await audience_ids(session, campaign.audience)))
    facts = await recipients(
        session, ids, client_id=campaign.client_id, cap=campaign.plan.frequency_cap, now=now
    )
    excluded: dict[str, int] = {}
    items: list[tuple[int, str | None, str]] = []
    for contact_id in ids:
        reason = exclusion(facts[contact_id], campaign.plan.frequency_cap)
        if reason is not None:
            excluded[reason.value] = excluded.get(reason.value, 0) + 1
            if len(items) < 1000:
                items.append((contact_id, facts[contact_id].email, reason.value))
    return Preflight(len(ids), len(ids) - sum(excluded.values()), excluded, items)


# --- intended messages ---------------------------------------------------------------------


async def queue_step(
    session: AsyncSession,
    campaign: EmailCampaign,
    *,
    step: int,
    contact_ids: Sequence[int],
    now: datetime,
) -> tuple[int, int]:
    """Writes the intended messages of one step (once per contact: the unique key makes a
    repeat a no-op). Contacts the guard refuses get an `excluded` row with the reason.
    Returns (queued, excluded)."""
    facts = await recipients(
        session, contact_ids, client_id=campaign.client_id, cap=campaign.plan.frequency_cap, now=now
    )
    rows = []
    counts = [0, 0]
    sender_id = campaign.sender.sender_id if campaign.sender else None
    for contact_id in contact_ids:
        reason = exclusion(facts[contact_id], campaign.plan.frequency_cap)
        counts[reason is not None] += 1
        rows.append(
            {
                "campaign_id": campaign.campaign_id,
                "step": step,
                "contact_id": contact_id,
                "to_email": facts[contact_id].email or "",
                "status": EXCLUDED if reason else QUEUED,
                "error": reason.value if reason else None,
                "sender_profile_id": sender_id,
                "attempts": 0,
                "created_at": now,
            }
        )
    for start in range(0, len(rows), _CHUNK):
        statement = dialect_insert(session, EmailMessage).on_conflict_do_nothing(
            index_elements=["campaign_id", "step", "contact_id"]
        )
        await session.execute(statement, rows[start : start + _CHUNK])
    return counts[0], counts[1]


async def launch(session: AsyncSession, campaign: EmailCampaign, *, now: datetime) -> int:
    """Step 1's messages for the whole audience; contacts already queued are skipped."""
    done = select(EmailMessage.contact_id).where(
        EmailMessage.campaign_id == campaign.campaign_id, EmailMessage.step == 1
    )
    query = (await audience_ids(session, campaign.audience)).where(Contact.id.not_in(done))
    ids = list(await session.scalars(query))
    queued, _ = await queue_step(session, campaign, step=1, contact_ids=ids, now=now)
    return queued


def _followup_candidates(
    campaign: EmailCampaign, step: int, *, sent_before: datetime | None = None
) -> Select[Any]:
    """Contacts who get `step` once its delay has passed (with `sent_before`: whose previous
    step was sent by then): their previous step was sent, this one is not queued yet, and
    they did not reply, unsubscribe, bounce or complain."""
    previous = EmailMessage.__table__.alias("previous")
    replied = exists().where(
        EmailEvent.kind == "reply",
        EmailEvent.message_id == EmailMessage.id,
        EmailMessage.campaign_id == campaign.campaign_id,
        EmailMessage.contact_id == previous.c.contact_id,
    )
    later = select(EmailMessage.contact_id).where(
        EmailMessage.campaign_id == campaign.campaign_id, EmailMessage.step == step
    )
    query = (
        select(previous.c.contact_id)
        .join(Contact, Contact.id == previous.c.contact_id)
        .where(
            previous.c.campaign_id == campaign.campaign_id,
            previous.c.step == step - 1,
            previous.c.status == SENT,
            previous.c.contact_id.not_in(later),
            Contact.email_status.not_in(STOPPED_STATUSES),
            ~replied,
        )
    )
    return query if sent_before is None else query.where(previous.c.sent_at <= sent_before)


async def queue_followups(session: AsyncSession, campaign: EmailCampaign, *, now: datetime) -> int:
    """Queues every follow-up that has come due: step N for contacts whose step N-1 was sent
    at least its delay ago, unless they replied, unsubscribed, bounced or complained."""
    total = 0
    for step in campaign.plan.steps[1:]:
        due = now - timedelta(days=step.delay_days)
        query = _followup_candidates(campaign, step.number, sent_before=due)
        ids = list(await session.scalars(query))
        if ids:
            queued, _ = await queue_step(
                session, campaign, step=step.number, contact_ids=ids, now=now
            )
            total += queued
    return total


async def work_left(session: AsyncSession, campaign: EmailCampaign) -> bool:
    """Whether the campaign still has something to send: a message `queued` (due, waiting
    for a retry, the send window or the daily cap), `sending`, or `unknown` (it waits for an
    operator, who may resend it: the campaign must still be running to send it), or a later
    step still to come for some contact."""
    busy = select(EmailMessage.id).where(
        EmailMessage.campaign_id == campaign.campaign_id,
        EmailMessage.status.in_((QUEUED, SENDING, UNKNOWN)),
    )
    if await session.scalar(busy.limit(1)) is not None:
        return True
    for step in campaign.plan.steps[1:]:
        if await session.scalar(_followup_candidates(campaign, step.number).limit(1)):
            return True
    return False


async def finish_if_done(session: AsyncSession, campaign: EmailCampaign) -> bool:
    """Completes a running campaign with nothing left to send, in the caller's transaction;
    returns whether it did. The campaign row is locked before
    the second look, so an operator's resend committed meanwhile (store/email_recovery.py
    locks it too) is seen, or waits and then finds the campaign completed."""
    if await work_left(session, campaign):
        return False
    locked = select(Campaign.status).where(Campaign.id == campaign.campaign_id).with_for_update()
    if await session.scalar(locked) != "running" or await work_left(session, campaign):
        return False
    return await set_campaign_status(
        session, campaign.campaign_id, "completed", expected=("running",)
    )


@dataclass(frozen=True)
class Outgoing:
    """One claimed message with what it takes to render it."""

    message_id: int  # the email_messages row
    campaign_id: int
    step: int
    contact_id: int
    email: str
    attempts: int
    timezone: str | None
    contact: dict[str, Any]
    account: dict[str, Any] | None


_ACCOUNT_FIELDS = ("name", "domain", "industry", "hq_city", "hq_state", "hq_country")


async def read_queued(
    session: AsyncSession, campaign: EmailCampaign, *, limit: int, after: int, now: datetime
) -> list[Outgoing]:
    """The next due messages (id > `after`) with what it takes to render them. Their rows
    stay `queued`: only `mark_sending`, right before the relay, changes them."""
    query = (
        select(EmailMessage.id, EmailMessage.contact_id, EmailMessage.step, EmailMessage.attempts)
        .where(
            EmailMessage.campaign_id == campaign.campaign_id,
            EmailMessage.status == QUEUED,
            EmailMessage.id > after,
            or_(EmailMessage.next_attempt_at.is_(None), EmailMessage.next_attempt_at <= now),
        )
        .order_by(EmailMessage.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    if not rows:
        return []
    people = await _people(session, [r[1] for r in rows])
    out = []
    for message_id, contact_id, step, attempts in rows:
        contact, account, timezone = people[contact_id]
        out.append(
            Outgoing(
                message_id=message_id,
                campaign_id=campaign.campaign_id,
                step=step,
                contact_id=contact_id,
                email=(contact.get("email") or "").lower(),
                attempts=attempts,
                timezone=timezone,
                contact=contact,
                account=account,
            )
        )
    return out


async def mark_sending(session: AsyncSession, message_ids: Sequence[int]) -> set[int]:
    """`queued → sending` for these rows; returns the ids that moved (only those may be
    sent: a row that did not move was sent, excluded or taken by someone else)."""
    if not message_ids:
        return set()
    moved = await session.scalars(
        update(EmailMessage)
        .where(EmailMessage.id.in_(message_ids), EmailMessage.status == QUEUED)
        .values(status=SENDING, claimed_at=now_utc())
        .returning(EmailMessage.id)
    )
    return set(moved)


async def exclude(session: AsyncSession, reasons: dict[int, str]) -> None:
    """Queued rows the guard refused: `excluded`, with the reason."""
    for reason in set(reasons.values()):
        ids = [m for m, r in reasons.items() if r == reason]
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.id.in_(ids), EmailMessage.status == QUEUED)
            .values(status=EXCLUDED, error=reason)
        )


async def defer(session: AsyncSession, until: dict[int, datetime]) -> None:
    """Queued rows to try again later (outside the send window, over the daily cap)."""
    if until:
        await session.execute(
            update(_messages)
            .where(_messages.c.id == bindparam("b_id"), _messages.c.status == QUEUED)
            .values(next_attempt_at=bindparam("b_at", type_=_messages.c.next_attempt_at.type)),
            [{"b_id": m, "b_at": at} for m, at in until.items()],
        )


async def save_rate(session: AsyncSession, campaign_id: int, rate_per_minute: float) -> None:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("Campaign")
    settings = dict(campaign.settings or {})
    settings["email"] = dict(settings.get("email") or {}) | {"rate_per_minute": rate_per_minute}
    campaign.settings = settings


async def _people(
    session: AsyncSession, contact_ids: Sequence[int]
) -> dict[int, tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
    columns = [getattr(Contact, name) for name in sorted(CONTACT_FIELDS)]
    account_columns = [getattr(Account, name) for name in _ACCOUNT_FIELDS]
    query = (
        select(
            Contact.id,
            Contact.timezone,
            Contact.custom_fields,
            Account.id,
            Account.custom_fields,
            *columns,
            *account_columns,
        )
        .outerjoin(Account, Account.id == Contact.account_id)
        .where(Contact.id.in_(contact_ids))
    )
    found = {}
    names = sorted(CONTACT_FIELDS)
    for row in (await session.execute(query)).all():
        values = list(row)
        contact_id, timezone, custom, account_id, account_custom = values[:5]
        contact = dict(zip(names, values[5 : 5 + len(names)], strict=True))
        contact["custom_fields"] = custom or {}
        account = None
        if account_id is not None:
            account = dict(zip(_ACCOUNT_FIELDS, values[5 + len(names) :], strict=True))
            account["custom_fields"] = account_custom or {}
        found[contact_id] = (contact, account, timezone)
    return found


@dataclass(frozen=True)
class SendResult:
    message_id: int
    status: str  # sent | failed | bounced | queued (retry) | excluded (suppressed at send)
    contact_id: int
    rfc_message_id: str | None = None
    template_id: int | None = None
    variant: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    campaign_id: int | None = None  # for the pacer's live counts until it is written


_messages = Base.metadata.tables["email_messages"]
_RESULT = (
    update(_messages)
    .where(_messages.c.id == bindparam("b_id"), _messages.c.status == SENDING)
    .values(
        status=bindparam("b_status"),
        message_id=func.coalesce(bindparam("b_mid"), _messages.c.message_id),
        template_id=func.coalesce(bindparam("b_tpl"), _messages.c.template_id),
        variant=func.coalesce(bindparam("b_variant"), _messages.c.variant),
        error=bindparam("b_error"),
        sent_at=bindparam("b_sent", type_=_messages.c.sent_at.type),
        next_attempt_at=bindparam("b_next", type_=_messages.c.next_attempt_at.type),
        attempts=_messages.c.attempts + 1,
    )
)


async def record_results(session: AsyncSession, results: Sequence[SendResult]) -> None:
    """Folds a batch of send outcomes into the messages (in bulk); a hard bounce also
    marks the contact's address bounced and records the event once."""
    if not results:
        return
    await session.execute(
        _RESULT,
        [
            {
                "b_id": r.message_id,
                "b_status": r.status,
                "b_mid": r.rfc_message_id,
                "b_tpl": r.template_id,
                "b_variant": r.variant,
                "b_error": r.error,
                "b_sent": r.sent_at,
                "b_next": r.next_attempt_at,
            }
            for r in results
        ],
    )
    bounced = [r for r in results if r.status == BOUNCED]
    if bounced:
        await session.execute(
            update(Contact)
            .where(Contact.id.in_([r.contact_id for r in bounced]))
            .values(email_status="bounced", email_verification_status="bounced")
        )
        await record_events(
            session,
            [
                (r.message_id, "bounce", {"error": r.error}, f"bounce:{r.message_id}")
                for r in bounced
            ],
        )


async def record_events(
    session: AsyncSession, events: Iterable[tuple[int, str, dict[str, Any], str | None]]
) -> None:
    """(message id, kind, data, dedupe key): an event whose key is stored already is a no-op."""
    rows = [
        {"message_id": m, "kind": k, "data": d, "dedupe_key": key, "created_at": now_utc()}
        for m, k, d, key in events
    ]
    if rows:
        statement = dialect_insert(session, EmailEvent).on_conflict_do_nothing()
        await session.execute(statement, rows)


async def recover(session: AsyncSession) -> int:
    """After a crash: a message left `sending` may or may not have reached the relay. It
    becomes `unknown` and is never sent again (at most once); returns how many."""
    result = await session.execute(
        update(EmailMessage)
        .where(EmailMessage.status == SENDING)
        .values(status=UNKNOWN, error="interrupted while sending")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def totals(session: AsyncSession, campaign_id: int) -> dict[str, int]:
    rows = (
        await session.execute(
            select(EmailMessage.status, func.count())
            .where(EmailMessage.campaign_id == campaign_id)
            .group_by(EmailMessage.status)
        )
    ).all()
    return {status: int(n) for status, n in rows}


async def exclusions(session: AsyncSession, campaign_id: int) -> dict[str, int]:
    """The campaign's excluded messages by reason: the guard's (engine/email.py
    `Exclusion`), `replied` and `campaign_stopped`."""
    rows = await session.execute(
        select(EmailMessage.error, func.count())
        .where(EmailMessage.campaign_id == campaign_id, EmailMessage.status == EXCLUDED)
        .group_by(EmailMessage.error)
    )
    return {str(reason or "unknown"): int(n) for reason, n in rows.all()}


async def totals_by_campaign(
    session: AsyncSession, campaign_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    """Messages by campaign and status, for many campaigns in one grouped query."""
    found: dict[int, dict[str, int]] = {c: {} for c in campaign_ids}
    if campaign_ids:
        query = (
            select(EmailMessage.campaign_id, EmailMessage.status, func.count())
            .where(EmailMessage.campaign_id.in_(campaign_ids))
            .group_by(EmailMessage.campaign_id, EmailMessage.status)
        )
        for campaign_id, status, n in (await session.execute(query)).all():
            found[campaign_id][status] = int(n)
    return found


async def sent_since(session: AsyncSession, sender_id: int, since: datetime) -> int:
    """Messages sent (or being sent) through this sender profile since `since`."""
    query = select(func.count()).where(
        EmailMessage.sender_profile_id == sender_id,
        EmailMessage.status.in_(COUNTED),
        func.coalesce(EmailMessage.sent_at, EmailMessage.created_at) >= since,
    )
    return int(await session.scalar(query) or 0)


async def variant_results(
    session: AsyncSession, campaign_id: int, step: int, metric: str
) -> dict[str, tuple[int, int]]:
    """variant → (sent, messages with at least one `open`/`click` event)."""
    kind = "open" if metric == "opens" else "click"
    hit = exists().where(EmailEvent.message_id == EmailMessage.id, EmailEvent.kind == kind)
    rows = (
        await session.execute(
            select(
                EmailMessage.variant,
                func.count(),
                func.count().filter(hit),
            )
            .where(
                EmailMessage.campaign_id == campaign_id,
                EmailMessage.step == step,
                EmailMessage.status == SENT,
                EmailMessage.variant.is_not(None),
            )
            .group_by(EmailMessage.variant)
        )
    ).all()
    return {v: (int(n), int(h)) for v, n, h in rows if v}


# --- unsubscribes and tracking -------------------------------------------------------------


async def get_message(session: AsyncSession, message_id: int) -> EmailMessage | None:
    return await session.get(EmailMessage, message_id)


async def unsubscribe(
    session: AsyncSession, *, message_id: int | None, email: str, source: str
) -> bool:
    """Suppresses the address globally (kind email, consent basis unsubscribe) and marks
    every contact with it unsubscribed, at once. Repeats are harmless; returns whether the
    suppression is new."""
    email = email.lower()
    new = await _suppress_email(
        session, email, source=source, reason="Unsubscribed from an email", basis="unsubscribe"
    )
    await session.execute(
        update(Contact).where(Contact.email == email).values(email_status="unsubscribed")
    )
    if message_id is not None:
        await record_events(
            session, [(message_id, "unsubscribe", {"source": source}, f"unsub:{message_id}")]
        )
    return new


async def _suppress_email(
    session: AsyncSession, email: str, *, source: str, reason: str, basis: str
) -> bool:
    """A global email suppression, unless one exists (also when another request adds it
    now); returns whether it is new."""
    statement = dialect_insert(session, Suppression).on_conflict_do_nothing()
    result = await session.execute(
        statement.values(
            kind="email",
            value=email.lower(),
            client_id=None,
            source=source,
            reason=reason,
            consent_basis=basis,
            created_at=now_utc(),
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def messages_query(*, campaign_id: int, status: str | None) -> Select[Any]:
    query = select(EmailMessage).where(EmailMessage.campaign_id == campaign_id)
    return query.where(EmailMessage.status == status) if status else query


# --- delivery events from ESP webhooks and bounce mail -------------------------------------


@dataclass(frozen=True)
class DeliveryEvent:
    """What a provider, a bounce or a reply said about one of our messages (`message_row`)."""

    message_row: int
    kind: str  # delivered | bounce | soft_bounce | complaint | reply | auto_reply
    source: str  # ses | sendgrid | mailgun | dsn | arf | mail
    key: str  # the source's event id: the event counts once
    data: dict[str, Any]


def inbound_events(secret: str, raw: bytes) -> list[DeliveryEvent]:
    """The events an inbound mail makes: a bounce or feedback-loop complaint (read first,
    engine/bounces.py), else a reply or auto-reply (engine/replies.py); none if it is
    neither, reports no failure, or names no message of ours."""
    report = parse_bounce(raw)
    if report is None:
        reply = parse_reply(raw)
        row = replied_row(secret, reply) if reply is not None else None
        if reply is None or row is None:
            return []
        data = {"from": reply.sender, "subject": reply.subject}
        return [DeliveryEvent(row, reply.kind, "mail", reply.inbound_id, data)]
    verdict = bounce_kind(report)
    if verdict is None or verdict.kind is None:
        return []
    source = "arf" if verdict.kind == COMPLAINT else "dsn"
    data = {"recipient": verdict.email, "status": verdict.status, "diagnostic": verdict.diagnostic}
    return [
        DeliveryEvent(row, verdict.kind, source, f"{report.report_id}:{row}", data)
        for row in bounced_rows(secret, report)
    ]


async def apply_delivery_events(session: AsyncSession, events: Sequence[DeliveryEvent]) -> int:
    """Folds delivery events into messages, contacts and events, idempotently: a delivery
    moves an `unknown` (or `sending`) message to `sent`; a hard bounce makes the message
    `bounced` and the contact's address `bounced`; a complaint makes it `complained` and
    suppresses the address (the guard excludes both from then on); a reply stops the
    contact's later steps of that campaign. A bounce or complaint counts once per message,
    from whichever source tells first; a reply once per inbound mail. Returns how many
    events were about a message of ours."""
    rows = {
        m.id: m
        for m in await session.scalars(
            select(EmailMessage).where(EmailMessage.id.in_({e.message_row for e in events}))
        )
    }
    applied = 0
    for event in events:
        message = rows.get(event.message_row)
        if message is None:
            continue
        applied += 1
        data = {"source": event.source, **event.data}
        if event.kind == "delivered":
            if message.status in (UNKNOWN, SENDING):
                message.status, message.error = SENT, None
                message.sent_at = message.sent_at or now_utc()
            key = f"{event.source}:{event.key}"
        elif event.kind in ("bounce", "complaint"):
            if event.kind == "bounce" and message.status in (SENT, UNKNOWN, SENDING):
                message.status = BOUNCED
                message.error = str(event.data.get("diagnostic") or "bounced")[:500]
            contact = await session.get(Contact, message.contact_id)
            if contact is not None:
                contact.email_status = "bounced" if event.kind == "bounce" else "complained"
                if event.kind == "bounce":
                    contact.email_verification_status = "bounced"
            if event.kind == COMPLAINT:
                await _suppress_email(
                    session,
                    contact.email if contact and contact.email else message.to_email,
                    source=event.source,
                    reason="Complaint: marked an email as spam",
                    basis=COMPLAINT,
                )
            key = f"{event.kind}:{message.id}"
        else:
            if event.kind == REPLY:
                await _stop_sequence(session, message)
            key = f"{event.source}:{event.key}"
        await record_events(session, [(message.id, event.kind, data, key)])
    return applied


async def _stop_sequence(session: AsyncSession, message: EmailMessage) -> None:
    """The contact replied to `message`: its later steps of that campaign still queued are
    not sent (later ones are never queued: `queue_followups`)."""
    await session.execute(
        update(EmailMessage)
        .where(
            EmailMessage.campaign_id == message.campaign_id,
            EmailMessage.contact_id == message.contact_id,
            EmailMessage.step > message.step,
            EmailMessage.status == QUEUED,
        )
        .values(status=EXCLUDED, error="replied")
    )


async def event_counts(session: AsyncSession, campaign_id: int) -> dict[str, int]:
    """Events of the campaign's messages by kind (each open or click, each bounce once)."""
    rows = (
        await session.execute(
            select(EmailEvent.kind, func.count())
            .join(EmailMessage, EmailMessage.id == EmailEvent.message_id)
            .where(EmailMessage.campaign_id == campaign_id)
            .group_by(EmailEvent.kind)
        )
    ).all()
    return {kind: int(n) for kind, n in rows}


async def events_by_campaign(
    session: AsyncSession, campaign_ids: Sequence[int], *, after: int = 0, upto: int | None = None
) -> tuple[dict[int, dict[str, int]], int]:
    """Events of these campaigns' messages with ids in (after, upto], by campaign and kind,
    and the highest id among them (`after` if none): one grouped query, so the pacers can
    add new events to their live statistics every second from the id they reached."""
    query = (
        select(EmailMessage.campaign_id, EmailEvent.kind, func.count(), func.max(EmailEvent.id))
        .join(EmailMessage, EmailMessage.id == EmailEvent.message_id)
        .where(EmailMessage.campaign_id.in_(campaign_ids), EmailEvent.id > after)
        .group_by(EmailMessage.campaign_id, EmailEvent.kind)
    )
    if upto is not None:
        query = query.where(EmailEvent.id <= upto)
    counts: dict[int, dict[str, int]] = {}
    top = after
    for campaign_id, kind, n, highest in (await session.execute(query)).all():
        counts.setdefault(campaign_id, {})[kind] = int(n)
        top = max(top, int(highest))
    return counts, top
