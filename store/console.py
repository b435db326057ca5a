"""What the agent console reads: a campaign's kit (script, questions, dispositions), the
screen pop of a call (contact, account, previous attempts, activity, suppressions) and the
agent's own figures for the day."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.errors import NotFound
from store import campaign_setup, suppressions
from store.models import (
    Account,
    Activity,
    Call,
    CallScript,
    Campaign,
    Contact,
    Disposition,
    Lead,
    QualificationQuestion,
    Suppression,
)

HISTORY = 10  # previous calls and activity entries shown in a screen pop


@dataclass
class ConsoleKit:
    campaign: Campaign
    script: str
    questions: list[QualificationQuestion]
    dispositions: list[Disposition]


@dataclass
class ScreenPop:
    call: Call
    campaign: Campaign
    contact: Contact
    account: Account | None
    previous_calls: list[Call]
    activity: list[Activity]
    suppressions: list[Suppression]


async def console_kit(session: AsyncSession, *, campaign_id: int) -> ConsoleKit:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.kind != "call":
        raise NotFound("Call campaign")
    script = await session.scalar(
        select(CallScript.body)
        .where(CallScript.campaign_id == campaign_id)
        .order_by(CallScript.version.desc(), CallScript.id.desc())
        .limit(1)
    )
    questions = await campaign_setup.questions(session, campaign_id=campaign_id)
    rows = await session.scalars(
        select(Disposition)
        .where(or_(Disposition.campaign_id == campaign_id, Disposition.campaign_id.is_(None)))
        .order_by(Disposition.campaign_id.is_(None), Disposition.id)  # the campaign's win
    )
    chosen: dict[str, Disposition] = {}
    for row in rows:
        chosen.setdefault(row.code, row)
    ordered = sorted(chosen.values(), key=lambda d: (d.shortcut or "~", d.code))
    return ConsoleKit(campaign, script or "", questions, ordered)


async def screen_pop(session: AsyncSession, *, call_id: int, agent_id: int | None) -> ScreenPop:
    """The call's screen pop; with `agent_id`, only a call of that agent (else not found)."""
    call = await session.get(Call, call_id)
    if call is None or (agent_id is not None and call.agent_id != agent_id):
        raise NotFound("Call")
    campaign = await session.get_one(Campaign, call.campaign_id)
    contact = await session.get_one(Contact, call.contact_id)
    account = await session.get(Account, contact.account_id) if contact.account_id else None
    previous = await session.scalars(
        select(Call)
        .where(Call.contact_id == contact.id, Call.id != call.id)
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(HISTORY)
    )
    activity = await session.scalars(
        select(Activity)
        .where(Activity.contact_id == contact.id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .limit(HISTORY)
    )
    found = await suppressions.matches(
        session,
        phone=call.phone_e164,
        email=contact.email,
        domain=account.domain if account else None,
        client_id=campaign.client_id,
    )
    return ScreenPop(call, campaign, contact, account, list(previous), list(activity), found)


@dataclass(frozen=True)
class AgentDay:
    calls: int
    connected: int
    talk_seconds: float
    leads: int


async def agent_day(session: AsyncSession, *, agent_id: int, since: datetime) -> AgentDay:
    calls, connected, talk = (
        await session.execute(
            select(
                func.count(Call.id),
                func.count(Call.answered_at),
                func.coalesce(func.sum(Call.talk_seconds), 0.0),
            ).where(Call.agent_id == agent_id, Call.started_at >= since)
        )
    ).one()
    leads = await session.scalar(
        select(func.count(Lead.id)).where(Lead.agent_id == agent_id, Lead.created_at >= since)
    )
    return AgentDay(int(calls), int(connected), float(talk or 0.0), int(leads or 0))


def as_dict(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}
