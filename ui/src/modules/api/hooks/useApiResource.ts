import { useEffect, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';

export type Resource<T> = { data: T | null; error: ApiError | null; loading: boolean };

/** GETs `path` whenever it (or `version`) changes; a null path loads nothing. */
export function useApiResource<T>(path: string | null, version = 0): Resource<T> {
  const [resource, setResource] = useState<Resource<T>>({ data: null, error: null, loading: false });
  useEffect(() => {
    if (path === null) {
      setResource({ data: null, error: null, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    setResource((previous) => ({ ...previous, loading: true, error: null }));
    apiFetch<T>(path, { signal: controller.signal })
      .then((data) => setResource({ data, error: null, loading: false }))
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        const error =
          caught instanceof ApiError
            ? caught
            : new ApiError({ status: 0, code: 'network', message: 'The server cannot be reached.', errors: [] });
        setResource({ data: null, error, loading: false });
      });
    return () => controller.abort();
  }, [path, version]);
  return resource;
}
