import { useCallback, useReducer, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import {
  agentConsoleReducer,
  initialAgentConsole,
} from '@/modules/console/states/agentConsoleReducer';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { AgentSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';

export type DispositionRequest = {
  code: string;
  answers: Record<string, unknown>;
  notes: string | null;
  callback_at?: string | null;
  callback_to?: 'me' | 'anyone';
};

/**
 * The agent's session on the dialer: its state from GET /console/state and the live stream,
 * and the console actions (each answers the new state).
 */
export function useAgentConsole() {
  const [state, dispatch] = useReducer(agentConsoleReducer, initialAgentConsole);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const sentAt = Date.now();
    try {
      const snapshot = await apiFetch<AgentSnapshot>('/console/state');
      dispatch({ type: 'snapshot', snapshot, at: Date.now(), sentAt });
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    }
  }, []);

  const onEvents = useCallback((events: LiveEvent[]) => {
    const at = Date.now();
    for (const event of events) {
      if (event.type === 'agent') {
        const { type: _type, ...snapshot } = event;
        dispatch({ type: 'snapshot', snapshot, at, sentAt: null });
      } else if (event.type === 'call') {
        dispatch({ type: 'call', event, at });
      }
    }
  }, []);

  const stream = useLiveStream({ accepts: (event) => event.type === 'agent' || event.type === 'call', onEvents, onResync: () => void load() });

  const act = useCallback(
    async (path: string, body?: unknown): Promise<AgentSnapshot | null> => {
      const sentAt = Date.now();
      setBusy(true);
      setError(null);
      try {
        const snapshot = await apiFetch<AgentSnapshot>(`/console/${path}`, { method: 'POST', body });
        dispatch({ type: 'snapshot', snapshot, at: Date.now(), sentAt });
        return snapshot;
      } catch (caught) {
        if (caught instanceof ApiError) setError(caught);
        else setError(new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] }));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  return {
    ...state,
    stream,
    error,
    busy,
    clearError: () => setError(null),
    reload: load,
    login: (campaignIds: number[]) => act('login', { campaign_ids: campaignIds }),
    ready: () => act('ready'),
    pause: (reason: string) => act('pause', { reason }),
    logout: () => act('logout'),
    hangup: () => act('hangup'),
    dispose: (request: DispositionRequest) => act('disposition', request),
  };
}

export type AgentConsole = ReturnType<typeof useAgentConsole>;
