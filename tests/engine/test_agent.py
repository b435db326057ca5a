import pytest

from engine.agent import Agent, AgentState
from engine.errors import IllegalTransition, ValidationFailed


def ready_agent(campaigns: tuple[int, ...] = (1,), now: float = 0.0) -> Agent:
    agent = Agent(7, now)
    agent.login(set(campaigns), now)
    agent.ready(now)
    return agent


def test_login_lands_paused_then_ready() -> None:
    agent = Agent(7)
    agent.login({1, 2}, now=10.0)
    assert agent.state is AgentState.PAUSED
    assert agent.reason == "login"
    agent.ready(now=12.0)
    assert agent.state is AgentState.READY
    assert agent.idle_since == 12.0
    assert agent.reason is None


def test_login_needs_a_campaign() -> None:
    with pytest.raises(ValidationFailed):
        Agent(7).login(set(), now=0.0)


def test_login_again_changes_campaigns_but_not_state() -> None:
    agent = ready_agent((1,))
    agent.login({2, 3}, now=5.0)
    assert agent.state is AgentState.READY
    assert agent.campaign_ids == {2, 3}


def test_full_call_cycle() -> None:
    agent = ready_agent(now=0.0)
    assert agent.reserve(1, now=1.0, ref="lead:42")
    assert agent.state is AgentState.RESERVED
    assert agent.reservation is not None and agent.reservation.ref == "lead:42"
    agent.ringing(now=2.0)
    agent.connected(now=5.0)
    assert agent.state is AgentState.ON_CALL
    agent.call_ended(now=65.0, wrap_up_seconds=30)
    assert agent.state is AgentState.WRAP_UP
    assert agent.wrap_up_deadline == 95.0
    agent.dispose(now=80.0)
    assert agent.state is AgentState.READY
    assert agent.idle_since == 80.0
    assert agent.reservation is None
    assert agent.wrap_up_deadline is None


def test_reserve_only_when_ready_and_logged_into_campaign() -> None:
    agent = ready_agent((1,))
    assert not agent.reserve(2, now=1.0)
    assert agent.reserve(1, now=1.0)
    # Reserved by one queue: a second queue cannot take it.
    assert not agent.reserve(1, now=1.5)
    paused = Agent(8)
    paused.login({1}, now=0.0)
    assert not paused.reserve(1, now=1.0)
    assert not Agent(9).reserve(1, now=1.0)


def test_release_keeps_place_in_line() -> None:
    agent = ready_agent(now=3.0)
    agent.reserve(1, now=10.0)
    agent.ringing(now=11.0)
    agent.release(now=40.0)
    assert agent.state is AgentState.READY
    assert agent.idle_since == 3.0
    assert agent.state_since == 40.0
    assert agent.reservation is None


def test_wrap_up_needs_a_disposition_before_ready() -> None:
    agent = ready_agent()
    agent.reserve(1, now=1.0)
    agent.connected(now=2.0)
    agent.call_ended(now=3.0, wrap_up_seconds=10)
    with pytest.raises(IllegalTransition, match="disposition"):
        agent.ready(now=4.0)
    with pytest.raises(IllegalTransition):
        agent.logout(now=4.0)


def test_pause_during_call_applies_after_disposition() -> None:
    agent = ready_agent()
    agent.reserve(1, now=1.0)
    agent.connected(now=2.0)
    agent.pause("break", now=3.0)
    assert agent.state is AgentState.ON_CALL
    agent.call_ended(now=4.0, wrap_up_seconds=5)
    agent.dispose(now=6.0)
    assert agent.state is AgentState.PAUSED
    assert agent.reason == "break"
    assert agent.pause_requested is None


def test_pause_while_reserved_applies_on_release() -> None:
    agent = ready_agent()
    agent.reserve(1, now=1.0)
    agent.pause("lunch", now=1.5)
    agent.release(now=2.0)
    assert agent.state is AgentState.PAUSED
    assert agent.reason == "lunch"


def test_pause_needs_a_reason_and_a_login() -> None:
    agent = ready_agent()
    with pytest.raises(ValidationFailed):
        agent.pause("  ", now=1.0)
    with pytest.raises(IllegalTransition):
        Agent(8).pause("break", now=1.0)


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("offline", "ringing"),
        ("ready", "ringing"),
        ("ready", "connected"),
        ("ready", "dispose"),
        ("ready", "release"),
        ("paused", "connected"),
        ("reserved", "dispose"),
        ("reserved", "logout"),
        ("reserved", "ready"),
        ("on_call", "ringing"),
    ],
)
def test_illegal_transitions_raise(setup: str, action: str) -> None:
    agent = Agent(7)
    if setup != "offline":
        agent.login({1}, now=0.0)
    if setup in {"ready", "reserved", "on_call"}:
        agent.ready(now=0.0)
    if setup in {"reserved", "on_call"}:
        agent.reserve(1, now=0.0)
    if setup == "on_call":
        agent.connected(now=0.0)
    before = agent.state
    with pytest.raises(IllegalTransition) as caught:
        getattr(agent, action)(now=1.0)
    assert caught.value.status == 409
    assert repr(before.value) in caught.value.message
    assert agent.state is before


def test_logout_clears_everything() -> None:
    agent = ready_agent((1, 2))
    agent.pause("end", now=1.0)
    agent.logout(now=2.0)
    assert agent.state is AgentState.OFFLINE
    assert agent.campaign_ids == frozenset()
    assert agent.reason is None
    agent.logout(now=3.0)  # already out: nothing to do
    assert agent.state_since == 2.0


def test_ready_twice_keeps_idle_since() -> None:
    agent = ready_agent(now=1.0)
    agent.ready(now=9.0)
    assert agent.idle_since == 1.0


def test_snapshot() -> None:
    agent = ready_agent((2, 1), now=0.0)
    agent.reserve(2, now=10.0, ref="lead:5")
    agent.connected(now=11.0)
    agent.call_ended(now=20.0, wrap_up_seconds=30)
    assert agent.snapshot(now=25.0) == {
        "agent_id": 7,
        "state": "wrap_up",
        "seconds_in_state": 5.0,
        "campaigns": [1, 2],
        "reason": None,
        "pause_requested": None,
        "reserved_for": 2,
        "ref": "lead:5",
        "wrap_up_left": 25.0,
    }
