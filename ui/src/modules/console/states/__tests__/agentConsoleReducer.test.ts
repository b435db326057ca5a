import { describe, expect, it } from 'vitest';

import { agentConsoleReducer, initialAgentConsole } from '@/modules/console/states/agentConsoleReducer';
import type { AgentSnapshot } from '@/modules/live/types/LiveEvent';

const snap = (change: Partial<AgentSnapshot>): AgentSnapshot => ({
  agent_id: 7,
  state: 'ready',
  seconds_in_state: 0,
  campaigns: [1],
  reason: null,
  pause_requested: null,
  reserved_for: null,
  ref: null,
  wrap_up_left: null,
  call_id: null,
  ...change,
});

describe('agentConsoleReducer', () => {
  it('follows a call from dialing to wrap-up and forgets it after the disposition', () => {
    let state = agentConsoleReducer(initialAgentConsole, { type: 'snapshot', snapshot: snap({ seconds_in_state: 2 }), at: 10_000, sentAt: null });
    expect(state.since).toBe(8_000);
    state = agentConsoleReducer(state, { type: 'snapshot', snapshot: snap({ state: 'reserved', reserved_for: 1 }), at: 10_100, sentAt: null });
    state = agentConsoleReducer(state, { type: 'call', event: { type: 'call', call_id: 5, agent_id: 7, campaign_id: 1, status: 'dialing' }, at: 10_200 });
    expect(state.call).toEqual({ id: 5, status: 'dialing', campaignId: 1 });
    state = agentConsoleReducer(state, { type: 'snapshot', snapshot: snap({ state: 'on_call', reserved_for: 1, call_id: 5 }), at: 10_300, sentAt: null });
    expect(state.call?.status).toBe('answered');
    state = agentConsoleReducer(state, { type: 'snapshot', snapshot: snap({ state: 'wrap_up', reserved_for: 1, call_id: 5, wrap_up_left: 30 }), at: 20_000, sentAt: null });
    expect(state.call?.status).toBe('ended');
    expect(state.wrapUpDeadline).toBe(50_000);
    state = agentConsoleReducer(state, { type: 'snapshot', snapshot: snap({}), at: 21_000, sentAt: 20_500 });
    expect(state.call).toBeNull();
    expect(state.wrapUpDeadline).toBeNull();
  });

  it('ignores an HTTP answer older than an event already received', () => {
    const onCall = agentConsoleReducer(initialAgentConsole, { type: 'snapshot', snapshot: snap({ state: 'on_call', call_id: 5 }), at: 5_000, sentAt: null });
    const stale = agentConsoleReducer(onCall, { type: 'snapshot', snapshot: snap({ state: 'ready' }), at: 5_100, sentAt: 4_900 });
    expect(stale).toBe(onCall);
  });

  it('drops a call that ends unanswered', () => {
    let state = agentConsoleReducer(initialAgentConsole, { type: 'call', event: { type: 'call', call_id: 9, agent_id: 7, campaign_id: 1, status: 'dialing' }, at: 1 });
    state = agentConsoleReducer(state, { type: 'call', event: { type: 'call', call_id: 9, agent_id: 7, campaign_id: 1, status: 'ended' }, at: 2 });
    expect(state.call).toBeNull();
  });
});
