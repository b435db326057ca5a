import { describe, expect, it } from 'vitest';

import type { AgentSnapshot, CampaignSnapshot } from '@/modules/live/types/LiveEvent';
import { floorReducer, initialFloor } from '@/modules/monitor/states/floorReducer';
import { campaignAlerts, connectRate } from '@/modules/monitor/utils/campaignAlerts';
import { timeInStateTone } from '@/modules/monitor/utils/timeInStateTone';

const campaign: CampaignSnapshot = {
  campaign_id: 1, name: 'Q1', status: 'running', queue_depth: 40, dials: 10, connects: 3,
  talk_seconds: 120, dials_last_minute: 4, dispositions: {}, agents: { ready: 1 },
};
const agent: AgentSnapshot = {
  agent_id: 7, state: 'ready', seconds_in_state: 5, campaigns: [1], reason: null, pause_requested: null,
  reserved_for: null, ref: null, wrap_up_left: null, call_id: null,
};

describe('floorReducer', () => {
  it('loads the floor, then applies campaign and agent events', () => {
    let floor = floorReducer(initialFloor, { type: 'loaded', campaigns: [campaign], agents: [agent], at: 10_000 });
    expect(floor.agents[7].since).toBe(5_000);
    floor = floorReducer(floor, {
      type: 'events',
      at: 11_000,
      events: [
        { type: 'campaign', ...campaign, dials: 11, dials_last_minute: 5 },
        { type: 'agent', ...agent, state: 'on_call', seconds_in_state: 0, call_id: 3 },
        { type: 'agent', ...agent, agent_id: 8, state: 'paused', seconds_in_state: 0 },
      ],
    });
    expect(floor.campaigns[1].dials).toBe(11);
    expect(floor.agents[7]).toMatchObject({ state: 'on_call', since: 11_000, call_id: 3 });
    expect(Object.keys(floor.agents)).toEqual(['7', '8']);
    floor = floorReducer(floor, { type: 'events', at: 12_000, events: [{ type: 'agent', ...agent, agent_id: 8, state: 'offline' }] });
    expect(Object.keys(floor.agents)).toEqual(['7']);
  });

  it('keeps the same state when no event concerns the floor', () => {
    const floor = floorReducer(initialFloor, { type: 'loaded', campaigns: [], agents: [], at: 1 });
    expect(floorReducer(floor, { type: 'events', at: 2, events: [{ type: 'call', call_id: 1, agent_id: 7, campaign_id: 1, status: 'ended' }] })).toBe(floor);
  });
});

describe('monitor figures', () => {
  it('flags running campaigns without agents or leads', () => {
    expect(campaignAlerts(campaign)).toEqual([]);
    expect(campaignAlerts({ ...campaign, agents: {}, queue_depth: 0 })).toEqual([
      'No agents logged in',
      'No dialable leads in the queue',
    ]);
    expect(campaignAlerts({ ...campaign, status: 'paused', agents: {} })).toEqual([]);
    expect(connectRate(campaign)).toBe('30%');
    expect(connectRate({ ...campaign, dials: 0 })).toBe('–');
  });

  it('colours long times in a state', () => {
    expect(timeInStateTone('wrap_up', 30)).toBe('normal');
    expect(timeInStateTone('wrap_up', 90)).toBe('warn');
    expect(timeInStateTone('wrap_up', 200)).toBe('alert');
    expect(timeInStateTone('reserved', 9999)).toBe('normal');
  });
});
