import { useEffect, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';

export type DebouncedAnswer<T> = { data: T | null; loading: boolean; error: string | null };

/**
 * POSTs `body` (JSON, or a FormData kept by identity) to `path` `delay` ms after the last
 * change, for previews that follow typing (live counts). A newer body aborts the request in
 * flight so a stale answer never shows; the last answer stays while the next one loads.
 * A null path asks nothing.
 */
export function useDebouncedPost<T>(path: string | null, body: unknown, delay: number): DebouncedAnswer<T> {
  const [state, setState] = useState<DebouncedAnswer<T>>({ data: null, loading: false, error: null });
  const key = body instanceof FormData ? body : JSON.stringify(body ?? null);
  useEffect(() => {
    if (path === null) {
      setState((previous) => ({ ...previous, loading: false }));
      return undefined;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const timer = setTimeout(() => {
      apiFetch<T>(path, { method: 'POST', body: key instanceof FormData ? key : (JSON.parse(key) as unknown), signal: controller.signal })
        .then((data) => setState({ data, loading: false, error: null }))
        .catch((caught: unknown) => {
          if (controller.signal.aborted) return;
          const message = caught instanceof ApiError ? caught.message : 'The count is not available.';
          setState({ data: null, loading: false, error: message });
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [path, key, delay]);
  return state;
}
