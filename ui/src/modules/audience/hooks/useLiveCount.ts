import { useEffect, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ApiGroup } from '@/modules/audience/types/Filter';

export type LiveCount = { count: number | null; loading: boolean; error: string | null };

export const COUNT_DELAY_MS = 400;

/**
 * The contacts a filter matches (`POST /audience/count`), asked `delay` ms after the last
 * change; a newer filter aborts the request in flight so a stale answer never shows.
 * A null filter (one that does not validate) asks nothing.
 */
export function useLiveCount(filter: ApiGroup | null, delay = COUNT_DELAY_MS): LiveCount {
  const [state, setState] = useState<LiveCount>({ count: null, loading: false, error: null });
  const key = filter ? JSON.stringify(filter) : null;
  useEffect(() => {
    if (key === null) {
      setState((previous) => ({ ...previous, loading: false }));
      return undefined;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const timer = setTimeout(() => {
      apiFetch<{ count: number }>('/audience/count', {
        method: 'POST',
        body: { filter: JSON.parse(key) as unknown },
        signal: controller.signal,
      })
        .then(({ count }) => setState({ count, loading: false, error: null }))
        .catch((caught: unknown) => {
          if (controller.signal.aborted) return;
          const message = caught instanceof ApiError ? caught.message : 'The count is not available.';
          setState({ count: null, loading: false, error: message });
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, delay]);
  return state;
}
