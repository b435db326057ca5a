import { useState } from 'react';

import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { CampaignSummary, Page } from '@/modules/console/types/CampaignSummary';
import { Button } from '@/modules/ui/components/Button';

type Props = { onLogin: (campaignIds: number[]) => void; busy: boolean };

/** The agent picks the running call campaigns to work; logging in lands paused. */
export function CampaignLogin({ onLogin, busy }: Props) {
  const campaigns = useApiResource<Page<CampaignSummary>>('/campaigns?kind=call&status=running&limit=100');
  const [chosen, setChosen] = useState<number[]>([]);
  const items = campaigns.data?.items ?? [];
  const toggle = (id: number) =>
    setChosen((now) => (now.includes(id) ? now.filter((c) => c !== id) : [...now, id]));
  return (
    <section aria-labelledby="campaign-login-title" className="mx-auto max-w-lg rounded-xl bg-white p-6 shadow">
      <h2 id="campaign-login-title" className="text-lg font-semibold">
        Log in to campaigns
      </h2>
      <p className="mb-4 text-sm text-slate-600">Choose the running campaigns you will take calls for.</p>
      {campaigns.loading ? <p className="text-sm">Loading campaigns…</p> : null}
      {campaigns.error ? <p role="alert" className="text-sm text-rose-700">{campaigns.error.message}</p> : null}
      {!campaigns.loading && items.length === 0 && !campaigns.error ? (
        <p className="text-sm text-slate-600">No call campaign is running. Ask your manager to start one.</p>
      ) : null}
      <ul className="space-y-2">
        {items.map((campaign) => (
          <li key={campaign.id}>
            <label className="flex items-center gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
              <input type="checkbox" checked={chosen.includes(campaign.id)} onChange={() => toggle(campaign.id)} />
              <span className="font-medium">{campaign.name}</span>
            </label>
          </li>
        ))}
      </ul>
      <Button tone="primary" className="mt-4" disabled={!chosen.length || busy} onClick={() => onLogin(chosen)}>
        Log in
      </Button>
    </section>
  );
}
