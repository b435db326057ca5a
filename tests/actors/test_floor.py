"""The dialer floor on a real database and the simulated carrier (no Ray here)."""

import asyncio
import random
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actors.floor import Floor
from dialer.simulated import SimulatedCarrier
from engine.agent import AgentState
from engine.errors import IllegalTransition, ValidationFailed
from store.models import (
    Activity,
    Call,
    CallAttempt,
    Callback,
    Campaign,
    CampaignLead,
    Lead,
    Recording,
    Suppression,
)
from tests.actors.floors import (
    Clock,
    Setup,
    add_agents,
    add_campaign,
    add_dispositions,
    floor_config,
    running,
    staffed,
    started,
    us_numbers,
)
from tests.support.published import Published
from tests.support.waits import wait_for

NO_ANSWER = {
    "p_answered": 0.0,
    "p_machine": 0.0,
    "p_no_answer": 1.0,
    "p_busy": 0.0,
    "p_failed": 0.0,
}
BUSY = NO_ANSWER | {"p_no_answer": 0.0, "p_busy": 1.0}
ANSWER = NO_ANSWER | {"p_no_answer": 0.0, "p_answered": 1.0, "talk_s": (3600.0, 3600.0)}


@pytest.fixture
def setup() -> Setup:
    return Setup()


def carrier(floor: Floor) -> SimulatedCarrier:
    assert isinstance(floor.carrier, SimulatedCarrier)
    return floor.carrier


async def rows(sessions: async_sessionmaker[AsyncSession], query) -> list:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        return list((await session.execute(query)).all())


async def test_the_longest_idle_agent_gets_the_next_lead(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    campaign = await add_campaign(sessions, us_numbers(3), setup=setup)
    agents = await add_agents(sessions, 3, setup)
    async with running(floor_config(database_url, **ANSWER)) as floor:
        await floor.start_campaign(campaign)
        await floor.set_campaign_status(campaign, "paused")
        for agent_id in (agents[2], agents[0], agents[1]):
            floor.login(agent_id, [campaign])
            floor.ready(agent_id)
            await asyncio.sleep(0.01)
        await floor.set_campaign_status(campaign, "running")
        await wait_for(lambda: len(carrier(floor).dialed_numbers) == 3)
        calls = await rows(sessions, select(Call.agent_id, Call.contact_id).order_by(Call.id))
        assert [c.agent_id for c in calls] == [agents[2], agents[0], agents[1]]
        assert [c.contact_id for c in calls] == sorted(setup.phones)


async def test_an_agent_in_two_campaigns_is_never_reserved_twice(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    first = await add_campaign(
        sessions, us_numbers(60), setup=setup, settings={"retry": {"no_answer": 0}}
    )
    second = await add_campaign(
        sessions, us_numbers(60, start=100), setup=setup, settings={"retry": {"no_answer": 0}}
    )
    agents = await add_agents(sessions, 5, setup)
    async with running(floor_config(database_url, **NO_ANSWER)) as floor:
        await staffed(floor, [first, second], agents)
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            busy = [c.agent_id for c in floor.calls.values()]
            assert len(busy) == len(set(busy))
            reserved = [a for a in floor.agents.values() if a.reservation is not None]
            assert all(a.state is not AgentState.READY for a in reserved)
            await asyncio.sleep(0.002)
        assert carrier(floor).counters["dialed"] > 20
        dialed_campaigns = {c for (c,) in await rows(sessions, select(Call.campaign_id).distinct())}
        assert dialed_campaigns == {first, second}


async def test_a_ready_agent_is_offered_the_higher_priority_campaign_first(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    first = await add_campaign(sessions, us_numbers(5), setup=setup)
    second = await add_campaign(
        sessions, us_numbers(5, start=100), setup=setup, settings={"priority": 10}
    )
    agents = await add_agents(sessions, 2, setup)
    async with running(floor_config(database_url, **ANSWER)) as floor:

        def campaign_of(agent_id: int) -> int | None:
            live = next((c for c in floor.calls.values() if c.agent_id == agent_id), None)
            return live.run.campaign_id if live else None

        async def takes_a_call(agent_id: int) -> int | None:
            floor.login(agent_id, [first, second])
            floor.ready(agent_id)
            await wait_for(lambda: campaign_of(agent_id) is not None)
            return campaign_of(agent_id)

        for campaign in (first, second):
            await floor.start_campaign(campaign)
        await wait_for(lambda: all(len(floor.runs[c].queue) for c in (first, second)))
        assert await takes_a_call(agents[0]) == second
        # priorities changed while the campaigns run apply to the next ready agent
        async with sessions() as session, session.begin():
            stored = await session.get_one(Campaign, first)
            stored.settings = stored.settings | {"priority": 20}
        await floor.reload_campaign(first)
        assert await takes_a_call(agents[1]) == first


async def test_dnc_requests_during_dialing_stop_every_later_dial(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    """Randomised: numbers are suppressed while 10 agents dial 2 campaigns sharing numbers."""
    await add_dispositions(sessions)
    shared = us_numbers(150)
    campaigns = [
        await add_campaign(
            sessions, shared, setup=setup, settings={"retry": {"no_answer": 0, "max_attempts": 50}}
        )
        for _ in range(2)
    ]
    agents = await add_agents(sessions, 10, setup)
    rng = random.Random(11)
    suppressed_at: dict[str, float] = {}
    async with running(floor_config(database_url, **NO_ANSWER)) as floor:
        await staffed(floor, campaigns, agents)
        for number in rng.sample(shared, 60):
            async with sessions() as session, session.begin():
                session.add(Suppression(kind="phone", value=number, source="test"))
            floor.suppress_numbers([number])
            suppressed_at[number] = time.time()
            await asyncio.sleep(rng.uniform(0, 0.02))
        await asyncio.sleep(0.3)
        late = [
            d
            for d in carrier(floor).dialed_numbers
            if d.to in suppressed_at and d.at >= suppressed_at[d.to]
        ]
        assert late == []
        assert carrier(floor).counters["dialed"] > 50
        assert all(
            not any(lead.phone_e164 == n for lead in run.queue._leads.values())
            for run in floor.runs.values()
            for n in suppressed_at
        )


async def test_suppressed_numbers_are_never_loaded_or_dialed(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    numbers = us_numbers(10)
    async with sessions() as session, session.begin():
        session.add_all(Suppression(kind="phone", value=n, source="test") for n in numbers[::2])
    campaign = await add_campaign(sessions, numbers, setup=setup)
    agents = await add_agents(sessions, 5, setup)
    async with running(floor_config(database_url, **NO_ANSWER)) as floor:
        await staffed(floor, [campaign], agents)
        await wait_for(lambda: carrier(floor).counters["dialed"] == 5)
        await asyncio.sleep(0.1)
        assert {d.to for d in carrier(floor).dialed_numbers} == set(numbers[1::2])


async def test_calling_windows_follow_the_callee_time_zone(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    window = {"calling_window": {"start": "08:00", "end": "21:00"}}
    new_york = await add_campaign(
        sessions, us_numbers(2, "212"), setup=setup, settings=window, timezone=None
    )
    los_angeles = await add_campaign(
        sessions, us_numbers(2, "213"), setup=setup, settings=window, timezone=None
    )
    tokyo = await add_campaign(
        sessions, ["+81312345678", "+81312345679"], setup=setup, settings=window, timezone=None
    )
    agents = await add_agents(sessions, 6, setup)
    # 13:30 UTC in winter: 08:30 in New York, 05:30 in Los Angeles, 22:30 in Tokyo.
    clock = Clock(datetime(2026, 1, 15, 13, 30, tzinfo=UTC))
    async with running(floor_config(database_url, **ANSWER), clock) as floor:
        await staffed(floor, [new_york, los_angeles, tokyo], agents)
        await wait_for(lambda: carrier(floor).counters["dialed"] == 2)
        await asyncio.sleep(0.2)
        assert {d.to[:5] for d in carrier(floor).dialed_numbers} == {"+1212"}
        clock.at = datetime(2026, 1, 15, 16, 5, tzinfo=UTC)  # 08:05 in Los Angeles
        await wait_for(lambda: carrier(floor).counters["dialed"] == 4)
        await asyncio.sleep(0.1)
        assert {d.to[:5] for d in carrier(floor).dialed_numbers} == {"+1212", "+1213"}


async def test_busy_leads_retry_on_schedule_until_attempts_run_out(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    settings = {"retry": {"busy": 10, "max_attempts": 2}}
    campaign = await add_campaign(sessions, us_numbers(1), setup=setup, settings=settings)
    agents = await add_agents(sessions, 1, setup)
    clock = Clock(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    async with running(floor_config(database_url, **BUSY), clock) as floor:
        await staffed(floor, [campaign], agents)
        await wait_for(lambda: carrier(floor).counters["busy"] == 1)
        await asyncio.sleep(0.3)
        assert carrier(floor).counters["dialed"] == 1
        (lead,) = await rows(
            sessions,
            select(CampaignLead.status, CampaignLead.next_attempt_at, CampaignLead.attempts),
        )
        assert (lead.status, lead.attempts) == ("pending", 1)
        assert lead.next_attempt_at == clock.at + timedelta(minutes=10)
        clock.at += timedelta(minutes=10, seconds=1)
        for run in floor.runs.values():
            run.exhausted_at = 0
        await wait_for(lambda: carrier(floor).counters["busy"] == 2)
        await asyncio.sleep(0.2)
        (lead,) = await rows(sessions, select(CampaignLead.status, CampaignLead.attempts))
        assert (lead.status, lead.attempts) == ("closed", 2)
        attempts = await rows(
            sessions, select(CallAttempt.attempt_no, CallAttempt.outcome).order_by(CallAttempt.id)
        )
        assert [tuple(a) for a in attempts] == [(1, "busy"), (2, "busy")]


async def test_a_connected_call_needs_a_disposition_and_qualified_creates_a_qa_lead(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    campaign = await add_campaign(sessions, us_numbers(2), setup=setup)
    (agent_id,) = await add_agents(sessions, 1, setup)
    published = Published()
    async with running(floor_config(database_url, **ANSWER), published=published) as floor:
        await staffed(floor, [campaign], [agent_id])
        await wait_for(lambda: floor.agents[agent_id].state is AgentState.ON_CALL)
        assert floor.samples["answer_to_agent"]
        await floor.hangup(agent_id)
        await wait_for(lambda: floor.agents[agent_id].state is AgentState.WRAP_UP)
        with pytest.raises(IllegalTransition):
            floor.ready(agent_id)
        with pytest.raises(ValidationFailed):
            await floor.dispose(
                agent_id,
                code="qualified",
                answers={},
                notes=None,
                callback_at=None,
                callback_to_me=False,
            )
        snap = await floor.dispose(
            agent_id,
            code="qualified",
            answers={"budget": "Yes"},
            notes="good",
            callback_at=None,
            callback_to_me=False,
        )
        assert snap["state"] in ("ready", "reserved")
        await asyncio.sleep(0.1)
        leads = await rows(sessions, select(Lead.qa_status, Lead.agent_id, Lead.answers))
        assert [tuple(lead) for lead in leads] == [("new", agent_id, {"budget": "Yes"})]
        (lead_id,) = [i for (i,) in await rows(sessions, select(Lead.id))]
        created = published.of("leads.changed")
        assert [(e["ids"], e["change"]) for e in created] == [([lead_id], "created")]
        assert "agent_id" not in created[0]  # agents are not shown the QA grid's events
        kinds = await rows(sessions, select(Activity.kind, func.count()).group_by(Activity.kind))
        assert dict(kinds)["call_ended"] == 1
        assert dict(kinds)["call_started"] >= 1
        assert floor.campaign_snapshot(campaign)["dispositions"]["qualified"] == 1
        query = select(Recording.call_id, Recording.url)
        await wait_for(lambda: rows(sessions, query))  # saved after the hangup, then written behind
        recordings = await rows(sessions, query)
        (call_id,) = [
            c
            for (c,) in await rows(sessions, select(Call.id).where(Call.disposition == "qualified"))
        ]
        assert [r.call_id for r in recordings] == [call_id]
        assert recordings[0].url.startswith("sim://recordings/")


async def test_a_dnc_disposition_suppresses_globally_and_empties_other_queues(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    number = us_numbers(1)
    first = await add_campaign(sessions, number, setup=setup)
    second = await add_campaign(sessions, number + us_numbers(1, start=5), setup=setup)
    (agent_id,) = await add_agents(sessions, 1, setup)
    async with running(floor_config(database_url, **ANSWER)) as floor:
        await floor.start_campaign(first)
        await floor.start_campaign(second)
        floor.login(agent_id, [first])
        floor.ready(agent_id)
        await wait_for(lambda: floor.agents[agent_id].state is AgentState.ON_CALL)
        await floor.hangup(agent_id)
        await wait_for(lambda: floor.agents[agent_id].state is AgentState.WRAP_UP)
        snap = await floor.dispose(
            agent_id, code="dnc", answers={}, notes=None, callback_at=None, callback_to_me=False
        )
        assert snap["suppressed"] == number
        assert all(
            lead.phone_e164 != number[0] for lead in floor.runs[second].queue._leads.values()
        )
        await asyncio.sleep(0.1)
        assert await rows(sessions, select(Suppression.value, Suppression.source)) == [
            (number[0], "disposition")
        ]


async def test_a_restarted_floor_rebuilds_without_double_dials_or_stuck_agents(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    campaign = await add_campaign(sessions, us_numbers(30), setup=setup)
    agents = await add_agents(sessions, 4, setup)
    config = floor_config(database_url, **(ANSWER | {"p_answered": 0.5, "p_no_answer": 0.5}))
    floor = await started(config)
    await staffed(floor, [campaign], agents)
    await wait_for(lambda: sum(a.state is AgentState.ON_CALL for a in floor.agents.values()) >= 1)
    await asyncio.sleep(0.1)
    await floor.close()  # the process dies: its calls die with it

    async with running(config) as again:
        assert set(again.runs) == {campaign}
        states = {a.agent_id: a.state for a in again.agents.values()}
        assert set(states) == set(agents)
        engaged = (AgentState.RESERVED, AgentState.RINGING, AgentState.ON_CALL)

        def callless() -> dict[int, float]:
            """Engaged agents without a live call (a dial may be on its way)."""
            busy = {c.agent_id for c in again.calls.values()}
            return {
                a.agent_id: a.state_since
                for a in again.agents.values()
                if a.state in engaged and a.agent_id not in busy
            }

        # Nobody stays engaged without a call: each such agent gets its call or moves on.
        suspects = callless()
        await wait_for(
            lambda: all(callless().get(a) != since for a, since in suspects.items()), within=5
        )
        owing = [a for a, s in states.items() if s is AgentState.WRAP_UP]
        assert owing and all(a in again.agent_calls for a in owing)
        for agent_id in owing:
            await again.dispose(
                agent_id,
                code="not_interested",
                answers={},
                notes=None,
                callback_at=None,
                callback_to_me=False,
            )
        await asyncio.sleep(0.3)
        attempts = await rows(
            sessions, select(CallAttempt.campaign_lead_id, CallAttempt.attempt_no)
        )
        assert len(attempts) == len(set(attempts))


async def test_a_callback_to_me_comes_back_to_that_agent_on_time(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    campaign = await add_campaign(sessions, us_numbers(1), setup=setup)
    promiser, other = await add_agents(sessions, 2, setup)
    clock = Clock(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    async with running(floor_config(database_url, **ANSWER), clock) as floor:
        await staffed(floor, [campaign], [promiser])
        await wait_for(lambda: floor.agents[promiser].state is AgentState.ON_CALL)
        await floor.hangup(promiser)
        await wait_for(lambda: floor.agents[promiser].state is AgentState.WRAP_UP)
        due = clock.at + timedelta(hours=2)
        with pytest.raises(ValidationFailed):  # a callback needs a time in the future
            await floor.dispose(
                promiser,
                code="callback",
                answers={},
                notes=None,
                callback_at=clock.at - timedelta(minutes=1),
                callback_to_me=True,
            )
        await floor.dispose(
            promiser, code="callback", answers={}, notes=None, callback_at=due, callback_to_me=True
        )
        floor.login(other, [campaign])
        floor.ready(other)  # idle longer than the promiser from here on
        await asyncio.sleep(0.1)
        floor.pause(promiser, "lunch")
        floor.ready(promiser)
        (lead,) = await rows(sessions, select(CampaignLead.status, CampaignLead.next_attempt_at))
        assert (lead.status, lead.next_attempt_at) == ("pending", due)
        assert carrier(floor).counters["dialed"] == 1

        clock.at = due + timedelta(seconds=1)
        for run in floor.runs.values():
            run.exhausted_at = 0
        await wait_for(lambda: carrier(floor).counters["dialed"] == 2)
        calls = await rows(sessions, select(Call.agent_id).order_by(Call.id))
        assert [c.agent_id for c in calls] == [promiser, promiser]
        assert await rows(sessions, select(Callback.done_at.is_not(None))) == [(True,)]


async def test_a_campaign_caller_id_is_the_number_callees_see(
    database_url: str, sessions: async_sessionmaker[AsyncSession], setup: Setup
) -> None:
    await add_dispositions(sessions)
    own = await add_campaign(
        sessions, us_numbers(1), setup=setup, settings={"caller_id": "+14155550100"}
    )
    default = await add_campaign(sessions, us_numbers(1, start=50), setup=setup)
    agents = await add_agents(sessions, 2, setup)
    config = floor_config(database_url, **ANSWER)
    async with running(config) as floor:
        for campaign, agent_id in ((own, agents[0]), (default, agents[1])):
            await staffed(floor, [campaign], [agent_id])
        await wait_for(lambda: len(carrier(floor).dialed_numbers) == 2)
        shown = {d.to: d.from_ for d in carrier(floor).dialed_numbers}
        assert shown == {
            us_numbers(1)[0]: "+14155550100",
            us_numbers(1, start=50)[0]: config.caller_id,
        }
