import { useRef } from 'react';

import type { Role } from '@/modules/auth/types/Session';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { ImportProgressEvent, LiveEvent } from '@/modules/live/types/LiveEvent';
import { toastStore } from '@/modules/ui/states/toastStore';

const JOB_WATCHERS: Role[] = ['admin', 'campaign_manager', 'data_ops'];

function isImportEnd(event: LiveEvent): event is ImportProgressEvent {
  return event.type === 'import.progress' && (event.status === 'finished' || event.status === 'failed');
}

/** A toast when a background job ends (imports today), on whatever screen the user is. */
export function useJobToasts(role: Role | undefined): void {
  const told = useRef(new Set<number>());
  useLiveStream(
    {
      onEvents: (events) => {
        for (const event of events) {
          if (!isImportEnd(event) || told.current.has(event.import_id)) continue;
          told.current.add(event.import_id);
          const failed = event.status === 'failed';
          toastStore.push({
            tone: failed ? 'error' : event.rows_failed ? 'info' : 'success',
            title: failed ? `Import #${event.import_id} failed` : `Import #${event.import_id} finished`,
            detail: failed ? 'Open the import to see why.' : `${event.rows_done} rows, ${event.rows_failed} rejected.`,
          });
        }
      },
      onResync: () => undefined,
    },
    role !== undefined && JOB_WATCHERS.includes(role),
  );
}
