"""Calls, leads and emails made through the dialer's and the email pacer's own repositories
(store.dialing, store.email), for the reporting tests; only the clock is set by hand."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store import dialing, email
from store.models import Account, Call, Campaign, CampaignLead, Contact, Lead


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Activity:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def account(self, name: str, domain: str, people: int) -> list[int]:
        """An account and `people` contacts of it; their ids."""
        async with self.sessions() as session, session.begin():
            account = Account(name=name, domain=domain)
            session.add(account)
            await session.flush()
            contacts = [
                Contact(
                    account_id=account.id,
                    full_name=f"{name} {n}",
                    email=f"p{n}@{domain}",
                    direct_phone_e164=f"+1212555{account.id:02d}{n:02d}",
                )
                for n in range(people)
            ]
            session.add_all(contacts)
        return [c.id for c in contacts]

    async def campaign(self, name: str, kind: str = "call", client_id: int | None = None) -> int:
        async with self.sessions() as session, session.begin():
            campaign = Campaign(kind=kind, name=name, client_id=client_id, settings={})
            session.add(campaign)
        return campaign.id

    async def call(
        self,
        campaign_id: int,
        contact_id: int,
        agent_id: int,
        started: datetime,
        *,
        talk: float | None = None,
        disposition: str = "no_answer",
        lead: bool = False,
    ) -> int:
        """One dial: answered and disposed by the agent when `talk` is given (seconds), else
        ended unanswered with `disposition` as its outcome."""
        async with self.sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id)
            assert contact is not None
            campaign_lead = CampaignLead(campaign_id=campaign_id, contact_id=contact_id)
            session.add(campaign_lead)
            await session.flush()
            (call_id,) = await dialing.record_dials(
                session,
                [
                    dialing.DialIntent(
                        campaign_id=campaign_id,
                        lead_id=campaign_lead.id,
                        contact_id=contact_id,
                        account_id=contact.account_id,
                        agent_id=agent_id,
                        phone_e164=contact.direct_phone_e164 or "",
                        attempt_no=1,
                        carrier="simulated",
                    )
                ],
            )
            answered = started + timedelta(seconds=5) if talk is not None else None
            ended = answered + timedelta(seconds=talk) if answered and talk else started
            outcome = dialing.CallOutcome(
                call_id=call_id,
                status="ended",
                answered_at=answered,
                ended_at=ended,
                outcome=None if talk is not None else disposition,
            )
            await dialing.record_outcomes(session, [outcome])
            if talk is not None:
                await dialing.record_disposition(
                    session, _disposed(call_id, agent_id, disposition, lead)
                )
            # The clock: the call (and its lead) happened at `started`.
            await session.execute(update(Call).where(Call.id == call_id).values(started_at=started))
            await session.execute(
                update(Lead).where(Lead.call_id == call_id).values(created_at=started)
            )
        return call_id

    async def emails(
        self,
        campaign_id: int,
        results: dict[int, str],
        events: list[tuple[int, str]],
        sent: datetime,
    ) -> dict[int, int]:
        """Queues, sends (contact id → sent|bounced) and records events (contact id, kind);
        returns contact id → message id."""
        async with self.sessions() as session, session.begin():
            loaded = await email.load_campaign(session, campaign_id)
            await email.queue_step(session, loaded, step=1, contact_ids=list(results), now=sent)
            queued = await email.read_queued(session, loaded, limit=100, after=0, now=sent)
            ids = {m.contact_id: m.message_id for m in queued}
            await email.mark_sending(session, list(ids.values()))
            await email.record_results(
                session,
                [
                    email.SendResult(
                        message_id=ids[contact],
                        status=status,
                        contact_id=contact,
                        rfc_message_id=f"<{ids[contact]}@test>",
                        sent_at=sent,
                    )
                    for contact, status in results.items()
                ],
            )
            await email.record_events(
                session, [(ids[contact], kind, {}, None) for contact, kind in events]
            )
        return ids


def _disposed(call_id: int, agent_id: int, code: str, lead: bool) -> Any:
    return dialing.DispositionRecord(
        call_id=call_id,
        code=code,
        agent_id=agent_id,
        answers={"budget": "=1+1"},
        notes=None,
        close_lead=True,
        suppress_number=False,
        create_qa_lead=lead,
        next_attempt_at=None,
        callback_at=None,
        callback_agent_id=None,
    )
