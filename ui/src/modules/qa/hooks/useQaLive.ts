import { useRef } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { LiveEvent, StreamStatus } from '@/modules/live/types/LiveEvent';
import type { QaLead } from '@/modules/qa/types/QaLead';

type Handlers = {
  /** Changed leads as the API now has them (grid rows). */
  onRows: (rows: QaLead[]) => void;
  /** A lead changed (decided, scored, transcribed): the drawer reloads it if it is open. */
  onLeadChanged: (leadId: number) => void;
  /** A lead's analysis ended: the drawer's analysis reloads. */
  onAnalysisEnded: (leadId: number) => void;
  /** The stream came back after a drop: anything may have changed. */
  onResync: () => void;
};

// Ids are gathered this long, then read in requests of at most the API's page size.
const GATHER_MS = 200;
const PAGE = 500;
const QA_EVENTS = new Set<LiveEvent['type']>(['leads.changed', 'analysis.ended', 'transcription.ended']);

/** The QA workspace's live updates: lead events read again by id, no polling. */
export function useQaLive(handlers: Handlers): StreamStatus {
  const latest = useRef(handlers);
  latest.current = handlers;
  const waiting = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const opened = useRef(false);

  const read = async () => {
    timer.current = null;
    const ids = [...waiting.current];
    waiting.current.clear();
    for (let at = 0; at < ids.length; at += PAGE) {
      const query = ids.slice(at, at + PAGE).map((id) => `id=${id}`).join('&');
      try {
        const page = await apiFetch<{ items: QaLead[] }>(`/leads?${query}&limit=${PAGE}`);
        latest.current.onRows(page.items);
      } catch {
        latest.current.onResync(); // the rows are unknown now: read them all again
        return;
      }
    }
  };

  const changed = (ids: number[]) => {
    for (const id of ids) {
      waiting.current.add(id);
      latest.current.onLeadChanged(id);
    }
    timer.current ??= setTimeout(() => void read(), GATHER_MS);
  };

  return useLiveStream({
    accepts: (event) => QA_EVENTS.has(event.type),
    onEvents: (events: LiveEvent[]) => {
      for (const event of events) {
        if (event.type === 'leads.changed') changed(event.ids);
        else if (event.type === 'analysis.ended') latest.current.onAnalysisEnded(event.id);
        else if (event.type === 'transcription.ended') event.lead_ids?.forEach((id) => latest.current.onLeadChanged(id));
      }
    },
    // The first hello is the page's own load; every later one follows a drop.
    onResync: () => {
      if (opened.current) latest.current.onResync();
      opened.current = true;
    },
  });
}
