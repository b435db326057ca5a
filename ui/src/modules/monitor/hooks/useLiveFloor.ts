import { useCallback, useReducer, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { AgentSnapshot, CampaignSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';
import { floorReducer, initialFloor } from '@/modules/monitor/states/floorReducer';

/** Every running call campaign and logged-in agent, live from the stream. */
export function useLiveFloor() {
  const [floor, dispatch] = useReducer(floorReducer, initialFloor);
  const [error, setError] = useState<string | null>(null);

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
    (events: LiveEvent[]) => dispatch({ type: 'events', events, at: Date.now() }),
    [],
  );
  const stream = useLiveStream({ onEvents, onResync: () => void load() });
  return { floor, stream, error, reload: load };
}
