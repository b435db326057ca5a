import { useState } from 'react';

import { toApiError } from '@/modules/qa/utils/toApiError';
import { Button } from '@/modules/ui/components/Button';

type Props = { message: string; label: string; onRetry: (() => Promise<void>) | null };

/** A failed (or missing) background result with a button to run it again. */
export function RetryNote({ message, label, onRetry }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    if (!onRetry) return;
    setBusy(true);
    setError(null);
    try {
      await onRetry();
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-700 dark:text-slate-200">{message}</span>
      {onRetry ? (
        <Button onClick={() => void retry()} disabled={busy}>{busy ? 'Starting…' : label}</Button>
      ) : null}
      {error ? <span role="alert" className="text-rose-700 dark:text-rose-300">{error}</span> : null}
    </div>
  );
}
