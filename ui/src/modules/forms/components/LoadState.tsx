import type { ReactNode } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';

type Props = { loading: boolean; error: ApiError | null; empty?: boolean; emptyText?: ReactNode };

/** Loading, error and empty states of a list, in words. */
export function LoadState({ loading, error, empty = false, emptyText = 'Nothing here yet.' }: Props) {
  if (error) {
    return (
      <p role="alert" className="text-sm text-rose-800 dark:text-rose-200">
        Could not load: {error.message}
      </p>
    );
  }
  if (loading) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  if (empty) return <p className="text-sm text-slate-600 dark:text-slate-400">{emptyText}</p>;
  return null;
}
