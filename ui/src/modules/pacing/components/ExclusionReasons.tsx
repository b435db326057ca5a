import { useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { exclusionLabel } from '@/modules/setup/utils/exclusionReasons';

type Stats = { excluded_by_reason: Record<string, number> };
type Props = { campaignId: number; excluded: number };

/** Why the campaign's excluded messages were left out: read when opened, and again as the count moves. */
export function ExclusionReasons({ campaignId, excluded }: Props) {
  const [open, setOpen] = useState(false);
  const stats = useApiResource<Stats>(open ? `/email-campaigns/${campaignId}/stats` : null, excluded);
  const reasons = Object.entries(stats.data?.excluded_by_reason ?? {}).sort(([, a], [, b]) => b - a);
  return (
    <details data-testid="exclusion-reasons" className="text-sm" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="cursor-pointer rounded text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-slate-300">
        Why excluded?
      </summary>
      {stats.loading && !stats.data ? <p className="mt-1 text-slate-600 dark:text-slate-400">Loading…</p> : null}
      {stats.error ? (
        <p role="alert" className="mt-1 text-red-700 dark:text-red-300">
          {stats.error.message}
        </p>
      ) : null}
      {reasons.length ? (
        <ul className="mt-1 max-w-md space-y-0.5">
          {reasons.map(([reason, count]) => (
            <li key={reason} className="flex justify-between gap-4">
              <span>{exclusionLabel(reason)}</span>
              <span className="font-medium tabular-nums">{count}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
