import { useCallback, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { asApiError } from '@/modules/forms/utils/asApiError';

export type Submit = {
  busy: boolean;
  error: ApiError | null;
  done: string | null;
  /** Runs `action`; on success shows `message`, on failure keeps the error (and the form). */
  run: <T>(action: () => Promise<T>, message?: string | ((result: T) => string)) => Promise<T | undefined>;
  clear: () => void;
};

/** One write at a time, with its error or success note kept for the page to show. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>, message?: string | ((result: T) => string)) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await action();
      if (message) setDone(typeof message === 'function' ? message(result) : message);
      return result;
    } catch (caught) {
      setError(asApiError(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);
  return { busy, error, done, run, clear };
}
