import { useEffect, useRef, useState } from 'react';

import { sharedStream } from '@/modules/live/states/sharedStream';
import type { LiveEvent, StreamStatus } from '@/modules/live/types/LiveEvent';

type Handlers = {
  /** The events this view wants (the others never reach it); every event when absent. */
  accepts?: (event: LiveEvent) => boolean;
  /** Each batch of accepted events as it arrives. */
  onEvents: (events: LiveEvent[]) => void;
  /** The stream (re)opened, asked for a resync, or this view joined it open: reload state from the API. */
  onResync: () => void;
};

/**
 * Live events from `/api/v1/stream`, over the tab's one shared WebSocket (states/sharedStream.ts:
 * reconnecting with backoff). Each (re)connection, each `resync` event and joining an open
 * stream call `onResync`, so a view never misses a change made while it was not listening.
 */
export function useLiveStream(handlers: Handlers, enabled = true): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!enabled) return undefined;
    return sharedStream.subscribe({
      accepts: (event) => latest.current.accepts?.(event) ?? true,
      onEvents: (events) => latest.current.onEvents(events),
      onResync: () => latest.current.onResync(),
      onStatus: setStatus,
    });
  }, [enabled]);

  return status;
}
