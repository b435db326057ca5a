import type { AgentSnapshot, CampaignSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';

export type LiveAgent = AgentSnapshot & { since: number };

export type FloorState = {
  campaigns: Record<number, CampaignSnapshot>;
  agents: Record<number, LiveAgent>;
  /** Epoch ms of the last change. */
  updatedAt: number;
};

export type FloorAction =
  | { type: 'loaded'; campaigns: CampaignSnapshot[]; agents: AgentSnapshot[]; at: number }
  | { type: 'events'; events: LiveEvent[]; at: number };

export const initialFloor: FloorState = { campaigns: {}, agents: {}, updatedAt: 0 };

const withSince = (agent: AgentSnapshot, at: number): LiveAgent => ({
  ...agent,
  since: at - agent.seconds_in_state * 1000,
});

/** The floor as the pacing monitor shows it: loaded whole, then kept current by events. */
export function floorReducer(state: FloorState, action: FloorAction): FloorState {
  if (action.type === 'loaded') {
    return {
      campaigns: Object.fromEntries(action.campaigns.map((c) => [c.campaign_id, c])),
      agents: Object.fromEntries(action.agents.map((a) => [a.agent_id, withSince(a, action.at)])),
      updatedAt: action.at,
    };
  }
  let campaigns = state.campaigns;
  let agents = state.agents;
  for (const event of action.events) {
    if (event.type === 'campaign') {
      const { type: _type, ...snapshot } = event;
      campaigns = { ...campaigns, [snapshot.campaign_id]: snapshot };
    } else if (event.type === 'agent') {
      const { type: _type, ...snapshot } = event;
      if (snapshot.state === 'offline') {
        const { [snapshot.agent_id]: _gone, ...rest } = agents;
        agents = rest;
      } else {
        // events carry no name: keep the one the last load gave
        const name = snapshot.name ?? agents[snapshot.agent_id]?.name ?? null;
        agents = { ...agents, [snapshot.agent_id]: { ...withSince(snapshot, action.at), name } };
      }
    }
  }
  if (campaigns === state.campaigns && agents === state.agents) return state;
  return { campaigns, agents, updatedAt: action.at };
}
