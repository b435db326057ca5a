"""Reads the agent console needs besides the dialer itself: a campaign's console kit (script,
qualification questions, dispositions with their shortcut keys), a call's screen pop and the
agent's own figures for the day."""

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import AwareDatetime, BaseModel

from api.deps import CurrentPrincipal, Principal, SessionDep, require
from engine.calling_window import CallingWindow, callee_timezones, is_callable
from engine.errors import DomainError
from engine.roles import Role, can
from store import console

router = APIRouter(tags=["console"])

Reader = Annotated[Principal, Depends(require("campaigns", "read"))]
AgentUser = Annotated[Principal, Depends(require("console", "read"))]

CONTACT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "full_name",
    "job_title",
    "email",
    "direct_phone_e164",
    "mobile_phone_e164",
    "seniority_level",
    "department",
    "city",
    "state",
    "country",
    "timezone",
    "linkedin_url",
    "consent_basis",
    "custom_fields",
)
ACCOUNT_FIELDS = (
    "id",
    "name",
    "domain",
    "industry",
    "staff_count",
    "annual_revenue",
    "employees_size_range",
    "hq_city",
    "hq_state",
    "hq_country",
    "main_phone_e164",
    "custom_fields",
)


class QuestionRead(BaseModel):
    key: str
    label: str
    answer_type: str
    options: list[Any]
    required: bool
    qualifying_options: list[Any] = []  # the options that qualify a lead (QA scoring)
    qualifying_min: float | None = None  # … or, for a number question, the least number


class DispositionRead(BaseModel):
    code: str
    label: str
    rule: str
    shortcut: str | None
    retry_outcome: str | None = None  # which retry delay a `retry` disposition uses


class ConsoleKitRead(BaseModel):
    campaign_id: int
    name: str
    status: str
    topic: str | None
    wrap_up_seconds: float
    script: str
    questions: list[QuestionRead]
    dispositions: list[DispositionRead]


class CalleeTime(BaseModel):
    zone: str
    local_time: datetime


class PreviousCall(BaseModel):
    id: int
    campaign_id: int
    status: str
    disposition: str | None
    notes: str | None
    started_at: datetime
    talk_seconds: float | None


class ActivityRead(BaseModel):
    kind: str
    campaign_id: int | None
    data: dict[str, Any]
    created_at: datetime


class SuppressionHit(BaseModel):
    kind: str
    value: str
    reason: str | None
    client_id: int | None


class ScreenPopRead(BaseModel):
    call_id: int
    campaign_id: int
    campaign_name: str
    phone_e164: str
    status: str
    answered_at: datetime | None
    contact: dict[str, Any]
    account: dict[str, Any] | None
    callee_times: list[CalleeTime]
    window_open: bool
    previous_calls: list[PreviousCall]
    activity: list[ActivityRead]
    suppressions: list[SuppressionHit]


class AgentDayRead(BaseModel):
    since: datetime
    calls: int
    connected: int
    talk_seconds: float
    leads: int


@router.get("/campaigns/{campaign_id}/console-kit")
async def console_kit(campaign_id: int, _: Reader, session: SessionDep) -> ConsoleKitRead:
    kit = await console.console_kit(session, campaign_id=campaign_id)
    settings = kit.campaign.settings or {}
    return ConsoleKitRead(
        campaign_id=kit.campaign.id,
        name=kit.campaign.name,
        status=kit.campaign.status,
        topic=settings.get("topic"),
        wrap_up_seconds=float(settings.get("wrap_up_seconds", 30)),
        script=kit.script,
        questions=[
            QuestionRead(
                key=q.key,
                label=q.label,
                answer_type=q.answer_type,
                options=q.options,
                required=q.required,
                qualifying_options=q.qualifying_options,
                qualifying_min=q.qualifying_min,
            )
            for q in kit.questions
        ],
        dispositions=[
            DispositionRead(
                code=d.code,
                label=d.label,
                rule=d.rule,
                shortcut=d.shortcut,
                retry_outcome=d.retry_outcome,
            )
            for d in kit.dispositions
        ],
    )


def _screen_pop_scope(principal: Principal) -> int | None:
    """Agents see their own calls only; the floor's watchers see every call."""
    if principal.role is Role.AGENT:
        return principal.user_id if principal.user_id is not None else -1
    if can(principal.role, "read", "live"):
        return None
    raise HTTPException(403, "Your role may not read screen pops.")


def _callee_times(zones: list[str], now: datetime) -> list[CalleeTime]:
    times = []
    for name in zones:
        try:
            times.append(CalleeTime(zone=name, local_time=now.astimezone(ZoneInfo(name))))
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return times


@router.get("/calls/{call_id}/screen-pop")
async def screen_pop(
    call_id: int, principal: CurrentPrincipal, session: SessionDep
) -> ScreenPopRead:
    pop = await console.screen_pop(session, call_id=call_id, agent_id=_screen_pop_scope(principal))
    now = datetime.now(UTC)
    zones = callee_timezones(pop.call.phone_e164, pop.contact.timezone)
    try:
        window = CallingWindow.from_settings(
            (pop.campaign.settings or {}).get("calling_window") or {}
        )
        window_open = is_callable(window, zones, now)
    except DomainError:
        window_open = False
    return ScreenPopRead(
        call_id=pop.call.id,
        campaign_id=pop.campaign.id,
        campaign_name=pop.campaign.name,
        phone_e164=pop.call.phone_e164,
        status=pop.call.status,
        answered_at=pop.call.answered_at,
        contact=console.as_dict(pop.contact, CONTACT_FIELDS),
        account=console.as_dict(pop.account, ACCOUNT_FIELDS) if pop.account else None,
        callee_times=_callee_times(zones, now),
        window_open=window_open,
        previous_calls=[
            PreviousCall(
                id=c.id,
                campaign_id=c.campaign_id,
                status=c.status,
                disposition=c.disposition,
                notes=c.notes,
                started_at=c.started_at,
                talk_seconds=c.talk_seconds,
            )
            for c in pop.previous_calls
        ],
        activity=[
            ActivityRead(
                kind=a.kind, campaign_id=a.campaign_id, data=a.data, created_at=a.created_at
            )
            for a in pop.activity
        ],
        suppressions=[
            SuppressionHit(kind=s.kind, value=s.value, reason=s.reason, client_id=s.client_id)
            for s in pop.suppressions
        ],
    )


@router.get("/console/today")
async def agent_today(
    principal: AgentUser,
    session: SessionDep,
    since: Annotated[AwareDatetime | None, Query()] = None,
) -> AgentDayRead:
    """The agent's own calls, connects, talk time and leads since `since` (default: the
    start of the UTC day; the console sends the agent's local midnight)."""
    start = since or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert principal.user_id is not None, "console roles are user logins"
    day = await console.agent_day(session, agent_id=principal.user_id, since=start)
    return AgentDayRead(
        since=start,
        calls=day.calls,
        connected=day.connected,
        talk_seconds=day.talk_seconds,
        leads=day.leads,
    )
