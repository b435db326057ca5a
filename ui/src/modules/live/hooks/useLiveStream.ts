import { useEffect, useRef, useState } from 'react';

import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';
import type { LiveEvent, StreamStatus } from '@/modules/live/types/LiveEvent';

type Handlers = {
  /** Each batch of events as it arrives. */
  onEvents: (events: LiveEvent[]) => void;
  /** The stream (re)opened or asked for a resync: reload state from the API. */
  onResync: () => void;
};

const MAX_BACKOFF_MS = 10_000;

/**
 * The one live connection: `/api/v1/stream` over WebSocket, reconnecting with backoff. Each
 * (re)connection and each `resync` event calls `onResync`, so a view never misses a change
 * that happened while it was disconnected.
 */
export function useLiveStream(handlers: Handlers, enabled = true): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled) return undefined;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    let stopped = false;

    const connect = async () => {
      const token = await freshAccessToken();
      if (stopped || !token) return;
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const url = `${scheme}://${window.location.host}/api/v1/stream?access_token=${encodeURIComponent(token)}`;
      socket = new WebSocket(url);
      socket.onmessage = (message) => {
        let batch: LiveEvent[];
        try {
          batch = JSON.parse(String(message.data)) as LiveEvent[];
        } catch {
          return;
        }
        if (batch.some((event) => event.type === 'hello')) {
          attempts = 0;
          setStatus('open');
          latest.current.onResync();
        }
        if (batch.some((event) => event.type === 'resync')) latest.current.onResync();
        const rest = batch.filter((event) => event.type !== 'hello' && event.type !== 'resync');
        if (rest.length) latest.current.onEvents(rest);
      };
      socket.onclose = (event) => {
        if (stopped) return;
        setStatus('reconnecting');
        if (event.code === 4401) void refreshSession();
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts);
        attempts += 1;
        timer = setTimeout(() => void connect(), delay);
      };
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [enabled]);

  return status;
}
