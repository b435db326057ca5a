"""Demo data: `python -m store.demo` fills an empty database and is a no-op the second time.

Everything is deterministic (fixed names, numbers and seeds) so demos and screenshots repeat.
The run command also adds samples (seed 002 §11): three leads waiting in QA, with a call
recording, a transcript and a rule-based score, and a domain set of target accounts.
"""

import array
import asyncio
import io
import math
import random
import wave
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import get_settings
from engine.analysis import LeadFacts, Question, score_by_rules
from engine.disposition import DEFAULT_DISPOSITIONS
from engine.roles import Role
from store import users
from store.blobs import BlobStore, build_blob_store
from store.db import create_engine, session_factory, transaction
from store.dialing import CLOSED
from store.models import (
    Account,
    Call,
    CallScript,
    Campaign,
    CampaignLead,
    Client,
    Contact,
    CustomFieldDefinition,
    Disposition,
    EmailTemplate,
    Lead,
    Order,
    QualificationQuestion,
    Recording,
    SenderProfile,
    Suppression,
    Transcript,
    User,
)
from store.segments import add_domain_set

DEMO_PASSWORD = "pivotal-demo-1"
DEMO_DOMAIN = "demo.pivotal.dev"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    client: str | None = None


DEMO_LOGINS = (
    DemoLogin(Role.ADMIN, f"admin@{DEMO_DOMAIN}"),
    DemoLogin(Role.CAMPAIGN_MANAGER, f"manager@{DEMO_DOMAIN}"),
    DemoLogin(Role.DATA_OPS, f"dataops@{DEMO_DOMAIN}"),
    DemoLogin(Role.QA_ANALYST, f"qa@{DEMO_DOMAIN}"),
    DemoLogin(Role.AGENT, f"agent1@{DEMO_DOMAIN}"),
    DemoLogin(Role.AGENT, f"agent2@{DEMO_DOMAIN}"),
    DemoLogin(Role.CLIENT_USER, "buyer@acme-demo.com", client="Acme Demo Corp"),
)

INDUSTRIES = ("Software", "Manufacturing", "Healthcare", "Financial Services", "Logistics")
CITIES = (
    ("New York", "NY", "212"),
    ("Chicago", "IL", "312"),
    ("Denver", "CO", "303"),
    ("San Francisco", "CA", "415"),
    ("Atlanta", "GA", "404"),
)
FIRST = ("Ava", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Iris", "Jonas")
LAST = ("Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Vega")
TITLES = ("VP Sales", "Head of IT", "CFO", "Operations Manager", "Director of Marketing")

SCRIPT = (
    "Hi {{contact.first_name}}, this is {{agent.first_name}} calling for Pivotal about "
    "{{account.name}}'s plans for {{campaign.topic}}. Do you have two minutes?"
)
# An unsure budget still qualifies (the client nurtures those), a decision this year
# qualifies, "Later" does not; ten seats or more qualify.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "budget",
        "Is there budget allocated this year?",
        required=True,
        answer_type="radio",
        options=("Yes", "No", "Unsure"),
        qualifying_options=("Yes", "Unsure"),
    ),
    Question(
        "timeline",
        "When do you plan to decide?",
        required=True,
        answer_type="dropdown",
        options=("Q1", "Q2", "H2", "Later"),
        qualifying_options=("Q1", "Q2", "H2"),
    ),
    Question("seats", "How many seats would you need?", answer_type="number", qualifying_min=10),
    Question("notes", "Anything else the client should know?"),
)

# (answers, what the callee said) of the three sample leads in QA: the rules score them 88
# (qualifies), 77 (qualifies, unsure budget) and 40 (disqualified: no budget, decides later).
SAMPLE_LEADS: tuple[tuple[dict[str, object], tuple[str, ...]], ...] = (
    (
        {"budget": "Yes", "timeline": "Q1", "seats": 40},
        ("Yes, budget is set aside for this year.", "We want to decide in Q1, for forty seats."),
    ),
    (
        {"budget": "Unsure", "timeline": "H2"},
        ("I'm not sure about budget yet.", "Probably the second half of the year."),
    ),
    (
        {"budget": "No", "timeline": "Later", "notes": "Call back after the merger."},
        ("There is no budget right now.", "Try us again after the merger closes."),
    ),
)
SAMPLE_DOMAINS = (
    b"domain\ncompany00-demo.com\ncompany03-demo.com\ncompany07-demo.com\nnot-a-customer.example\n"
)


async def seed(session: AsyncSession, *, samples: BlobStore | None = None) -> bool:
    """Adds the demo set; returns False (doing nothing) when it is already there. With a blob
    store for their recordings, also the samples: leads in QA and a domain set."""
    if await users.get_by_email(session, email=DEMO_LOGINS[0].email):
        return False
    clients = {name: Client(name=name) for name in ("Acme Demo Corp", "Globex Demo Inc")}
    session.add_all(clients.values())
    await session.flush()
    for login in DEMO_LOGINS:
        await users.create(
            session,
            email=login.email,
            full_name=login.email.split("@")[0].title(),
            password=DEMO_PASSWORD,
            role=login.role,
            client_id=clients[login.client].id if login.client else None,
        )
    contacts = await _audience(session)
    await _suppressions(session, contacts)
    campaign = await _call_campaign(session, clients["Acme Demo Corp"], contacts)
    if samples is not None:
        await _sample_leads(session, samples, campaign, contacts[-len(SAMPLE_LEADS) :])
        await add_domain_set(
            session, content=SAMPLE_DOMAINS, name="Acme target accounts", owner_id=None
        )
    await _email_campaign(session, clients["Acme Demo Corp"])
    session.add(
        Order(
            client_id=clients["Acme Demo Corp"].id,
            title="Q1 IT decision makers, US East",
            kind="telemarketing",
            status="submitted",
            audience={"industries": ["Software"], "regions": ["US-East"]},
            lead_goal=50,
            pacing={"leads_per_week": 10},
            compliance_confirmed=True,
        )
    )
    session.add(Order(client_id=clients["Globex Demo Inc"].id, title="Draft order", kind="email"))
    return True


async def _audience(session: AsyncSession) -> list[Contact]:
    rng = random.Random(7)
    session.add(
        CustomFieldDefinition(
            entity="contact",
            key="buying_role",
            label="Buying role",
            field_type="select",
            options=["decision_maker", "influencer", "user"],
        )
    )
    contacts: list[Contact] = []
    for n in range(20):
        city, state, area = CITIES[n % len(CITIES)]
        domain = f"company{n:02d}-demo.com"
        account = Account(
            name=f"Company {n:02d} Demo",
            domain=domain,
            industry=INDUSTRIES[n % len(INDUSTRIES)],
            staff_count=rng.randint(20, 5000),
            hq_city=city,
            hq_state=state,
            hq_country="US",
            main_phone=f"+1{area}555{n:04d}",
            main_phone_e164=f"+1{area}555{n:04d}",
        )
        session.add(account)
        await session.flush()
        for m in range(5):
            first, last = FIRST[(n + m) % len(FIRST)], LAST[(n * 3 + m) % len(LAST)]
            phone = f"+1{area}{rng.randint(201, 999)}{rng.randint(1000, 9999)}"
            contact = Contact(
                account_id=account.id,
                first_name=first,
                last_name=last,
                full_name=f"{first} {last}",
                job_title=TITLES[(n + m) % len(TITLES)],
                email=f"{first}.{last}{m}@{domain}".lower(),
                direct_phone=phone,
                direct_phone_e164=phone,
                phone_status="valid",
                city=city,
                state=state,
                country="US",
                consent_basis="legitimate_interest",
                consent_source="demo data",
                custom_fields={"buying_role": ("decision_maker", "influencer", "user")[m % 3]},
            )
            contacts.append(contact)
    session.add_all(contacts)
    await session.flush()
    return contacts


async def _suppressions(session: AsyncSession, contacts: list[Contact]) -> None:
    session.add_all(
        [
            Suppression(
                kind="phone",
                value=contacts[3].direct_phone_e164 or "",
                source="demo",
                reason="Requested do-not-call",
                consent_basis="none",
            ),
            Suppression(
                kind="email", value=contacts[8].email or "", source="demo", reason="Unsubscribed"
            ),
            Suppression(
                kind="domain",
                value="company19-demo.com",
                source="demo",
                reason="Client exclusion list",
            ),
        ]
    )


async def _call_campaign(
    session: AsyncSession, client: Client, contacts: list[Contact]
) -> Campaign:
    campaign = Campaign(
        kind="call",
        name="Acme Q1 IT outreach",
        client_id=client.id,
        settings={
            "calling_window": {"start": "08:00", "end": "21:00"},
            "max_attempts": 3,
            "wrap_up_seconds": 30,
            "topic": "IT modernisation",
        },
        audience={"all_contacts": True},
    )
    session.add(campaign)
    await session.flush()
    session.add(CallScript(campaign_id=campaign.id, body=SCRIPT))
    for position, question in enumerate(QUESTIONS):
        session.add(
            QualificationQuestion(
                campaign_id=campaign.id,
                key=question.key,
                label=question.label,
                answer_type=question.answer_type,
                options=list(question.options),
                required=question.required,
                qualifying_options=list(question.qualifying_options),
                qualifying_min=question.qualifying_min,
                position=position,
            )
        )
    for default in DEFAULT_DISPOSITIONS:
        session.add(
            Disposition(
                code=default.code,
                label=default.label,
                rule=default.rule,
                retry_outcome=default.retry_outcome,
                shortcut=default.shortcut,
            )
        )
    session.add_all(
        CampaignLead(campaign_id=campaign.id, contact_id=c.id, priority=0) for c in contacts
    )
    return campaign


async def _email_campaign(session: AsyncSession, client: Client) -> None:
    """Ready to start: a sender (sending to the local SMTP sink of the settings), a template
    and a one-step plan at 60 messages a minute."""
    sender = SenderProfile(
        name="Acme demo sender",
        client_id=client.id,
        from_name="Acme Demo Corp",
        from_email="news@acme-demo.com",
        reply_to="sales@acme-demo.com",
        postal_address="Acme Demo Corp, 1 Demo Plaza, New York, NY 10001, USA",
    )
    campaign = Campaign(
        kind="email",
        name="Acme Q1 nurture",
        client_id=client.id,
        audience={"all_contacts": True},
    )
    session.add_all([sender, campaign])
    await session.flush()
    template = EmailTemplate(
        campaign_id=campaign.id,
        name="Intro",
        subject="{{contact.first_name|Hello}}, a quick idea for {{account.name|your team}}",
        html="<p>Hi {{contact.first_name|there}},</p><p>A short idea for your team.</p>",
        text_body="Hi {{contact.first_name|there}},\nA short idea for your team.",
    )
    session.add(template)
    await session.flush()
    campaign.settings = {
        "email": {
            "sender_profile_id": sender.id,
            "steps": [{"template_id": template.id}],
            "rate_per_minute": 60,
        }
    }


async def _sample_leads(
    session: AsyncSession, blobs: BlobStore, campaign: Campaign, contacts: list[Contact]
) -> None:
    """Leads as agent2's qualified calls leave them: closed in the hopper, waiting in QA."""
    agent = await users.get_by_email(session, email=DEMO_LOGINS[5].email)
    assert agent is not None
    ended = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    for n, (contact, (answers, said)) in enumerate(zip(contacts, SAMPLE_LEADS, strict=True)):
        call = await _sample_call(session, campaign, contact, agent, answers, ended)
        lines = (f"Hi {contact.first_name}, this is Agent2 calling for Pivotal.", *said)
        recording = Recording(call_id=call.id, url=f"blob:recordings/demo-{n + 1}.wav")
        recording.duration_seconds = 3.0 * len(lines)
        session.add(recording)
        await session.flush()
        await blobs.put(recording.url[5:], _sample_audio(len(lines)), content_type="audio/wav")
        session.add(_sample_transcript(recording.id, lines))
        facts = LeadFacts(answers=answers, questions=QUESTIONS, disposition="qualified")
        result = score_by_rules(facts)
        analysis = {"status": "done", "run": "demo", "model": "rules", "at": ended.isoformat()}
        session.add(
            Lead(
                campaign_id=campaign.id,
                contact_id=contact.id,
                call_id=call.id,
                agent_id=agent.id,
                answers=answers,
                ai_analysis=analysis | result.as_json(),
                ai_score=result.score,
            )
        )
        ended += timedelta(minutes=17)
    await session.flush()


async def _sample_call(
    session: AsyncSession,
    campaign: Campaign,
    contact: Contact,
    agent: User,
    answers: dict[str, object],
    ended: datetime,
) -> Call:
    call = Call(
        campaign_id=campaign.id,
        contact_id=contact.id,
        agent_id=agent.id,
        phone_e164=contact.direct_phone_e164 or "",
        status="disposed",
        disposition="qualified",
        answers=answers,
        started_at=ended - timedelta(seconds=95),
        answered_at=ended - timedelta(seconds=80),
        ended_at=ended,
        talk_seconds=80.0,
    )
    session.add(call)
    await session.execute(
        update(CampaignLead)
        .where(CampaignLead.campaign_id == campaign.id, CampaignLead.contact_id == contact.id)
        .values(status=CLOSED, attempts=1, last_disposition="qualified")
    )
    await session.flush()
    return call


def _sample_transcript(recording_id: int, lines: tuple[str, ...]) -> Transcript:
    utterances = [
        {"speaker": "AB"[i % 2], "text": text, "start": i * 3000, "end": i * 3000 + 2600}
        for i, text in enumerate(lines)
    ]
    return Transcript(
        recording_id=recording_id, status="done", text=" ".join(lines), utterances=utterances
    )


def _sample_audio(lines: int) -> bytes:
    """3 s per transcript line, agent (330 Hz) and callee (440 Hz) taking turns, 8 kHz."""
    rate, samples = 8000, array.array("h")
    for line in range(lines):
        hz = (330, 440)[line % 2]
        samples.extend(
            int(6000 * math.sin(2 * math.pi * hz * t / rate)) if t < rate * 2.6 else 0
            for t in range(rate * 3)
        )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


async def main() -> None:
    settings = get_settings()
    engine = create_engine(settings.database_url)
    async with transaction(session_factory(engine)) as session:
        created = await seed(session, samples=build_blob_store(settings))
    await engine.dispose()
    print("demo data loaded" if created else "demo data already present")
    print(f"demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        print(f"  {login.role.value:<17} {login.email}")


if __name__ == "__main__":
    asyncio.run(main())
