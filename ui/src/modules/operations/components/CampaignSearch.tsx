import { useEffect, useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/orders/types/Order';
import type { CampaignHit } from '@/modules/operations/types/CampaignLink';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

type Props = {
  query: string;
  clientId: number;
  linked: Set<number>;
  onQuery: (q: string) => void;
  onLink: (campaign: CampaignHit) => void;
};

/** Finds internal campaigns by name (the search is kept in the URL) to link to the order. */
export function CampaignSearch({ query, clientId, linked, onQuery, onLink }: Props) {
  const [text, setText] = useState(query);
  useEffect(() => {
    // Waits for a pause in typing so each keystroke does not become a request.
    const timer = setTimeout(() => {
      if (text !== query) onQuery(text);
    }, 300);
    return () => clearTimeout(timer);
  }, [text, query, onQuery]);
  const hits = useApiResource<Page<CampaignHit>>(`/campaigns?limit=20&q=${encodeURIComponent(query)}`);
  return (
    <div className="space-y-2">
      <label htmlFor="campaign-search" className="block text-sm font-medium">
        Search campaigns by name
      </label>
      <input
        id="campaign-search"
        type="search"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.target.value)}
        className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
      />
      <ErrorNote error={hits.error} />
      {hits.data && hits.data.items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No campaign matches.</p> : null}
      <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-700" aria-label="Campaigns found">
        {(hits.data?.items ?? []).map((c) => {
          const otherClient = c.client_id !== null && c.client_id !== clientId;
          return (
            <li key={c.id} className="flex items-center gap-2 py-1.5" data-testid={`hit-${c.id}`}>
              <span className="flex-1">
                {c.name}
                <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">
                  {c.kind}, {c.status}
                  {otherClient ? ', another client’s' : ''}
                </span>
              </span>
              <Button disabled={linked.has(c.id) || otherClient} onClick={() => onLink(c)} aria-label={`Link ${c.name}`}>
                {linked.has(c.id) ? 'Linked' : 'Link'}
              </Button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
