import { useCallback, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { toApiError } from '@/modules/api/utils/toApiError';

/** Runs one change at a time, keeping whether it is busy and its error (cleared on retry). */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(toApiError(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
