import { useCallback, useReducer, useRef, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { AgentSnapshot, CampaignSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';
import { floorReducer, initialFloor } from '@/modules/monitor/states/floorReducer';

/** Every running call campaign and logged-in agent, live from the stream. */
export function useLiveFloor() {
  const [floor, dispatch] = useReducer(floorReducer, initialFloor);
  const [error, setError] = useState<string | null>(null);
  const known = useRef(floor.agents);
  known.current = floor.agents;

  const load = useCallback(async () => {
    try {
      const [campaigns, agents] = await Promise.all([
        apiFetch<CampaignSnapshot[]>('/live/campaigns'),
        apiFetch<AgentSnapshot[]>('/live/agents'),
      ]);
      dispatch({ type: 'loaded', campaigns, agents, at: Date.now() });
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The server cannot be reached.');
    }
  }, []);

  const onEvents = useCallback(
    (events: LiveEvent[]) => {
      dispatch({ type: 'events', events, at: Date.now() });
      // An agent who just logged in has no name yet: the API knows it.
      const newcomer = events.some(
        (event) => event.type === 'agent' && event.state !== 'offline' && !known.current[event.agent_id],
      );
      if (newcomer) void load();
    },
    [load],
  );
  const stream = useLiveStream({ accepts: (event) => event.type === 'agent' || event.type === 'campaign', onEvents, onResync: () => void load() });
  return { floor, stream, error, reload: load };
}
