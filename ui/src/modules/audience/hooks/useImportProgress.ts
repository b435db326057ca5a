import { useCallback, useEffect, useReducer, useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import { importProgressReducer, initialProgress, type ImportProgress } from '@/modules/audience/states/importProgress';
import type { ImportJob } from '@/modules/audience/types/Import';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { StreamStatus } from '@/modules/live/types/LiveEvent';

export type ImportProgressView = ImportProgress & { error: unknown; stream: StreamStatus; reload: () => void };

/**
 * One import as it runs: `GET /imports/{id}` on open and on every (re)connection of the
 * stream, then its `import.progress` events; once it ends, a last GET for the final counts.
 */
export function useImportProgress(id: number): ImportProgressView {
  const [state, dispatch] = useReducer(importProgressReducer, initialProgress);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    apiFetch<ImportJob>(`/imports/${id}`)
      .then((job) => {
        setError(null);
        dispatch({ type: 'loaded', job, at: Date.now() });
      })
      .catch(setError);
  }, [id]);
  useEffect(reload, [reload]);
  const stream = useLiveStream({
    accepts: (event) => event.type === 'import.progress' && event.import_id === id,
    onResync: reload,
    onEvents: (events) => {
      for (const event of events) {
        if (event.type !== 'import.progress' || event.import_id !== id) continue;
        dispatch({ type: 'event', event, at: Date.now() });
        if (event.status !== 'running') reload();
      }
    },
  });
  return { ...state, error, stream, reload };
}
