import { useState } from 'react';

import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import type { Campaign } from '@/modules/setup/types/Campaign';
import { Button } from '@/modules/ui/components/Button';

type Kind = 'call' | 'email';

/** Call and email campaigns (the kind in the URL: `#/campaigns?kind=email`), and a new one. */
export function CampaignListPage({ query, navigate }: ScreenProps) {
  const kind: Kind = query.get('kind') === 'email' ? 'email' : 'call';
  const campaigns = useApiResource<Page<Campaign>>(`/campaigns?kind=${kind}&limit=200`);
  const [name, setName] = useState('');
  const submit = useSubmit();

  const create = async () => {
    const made = await submit.run(() =>
      apiFetch<Campaign>('/campaigns', { method: 'POST', body: { kind, name } }),
    );
    if (made) navigate(`/campaigns/${kind}/${made.id}`);
  };

  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold">Campaigns</h1>
      <div role="tablist" aria-label="Campaign kind" className="flex gap-2">
        {(['call', 'email'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={k === kind}
            onClick={() => navigate(`/campaigns?kind=${k}`)}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${
              k === kind ? 'bg-sky-700 text-white' : 'bg-white text-slate-800 dark:bg-slate-800 dark:text-slate-100'
            }`}
          >
            {k === 'call' ? 'Call campaigns' : 'Email campaigns'}
          </button>
        ))}
      </div>
      <Panel title={kind === 'call' ? 'New call campaign' : 'New email campaign'}>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <Field label="Campaign name" error={fieldMessage(submit.error, 'name')} className="min-w-72">
            <input className={INPUT} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </Field>
          <Button type="submit" tone="primary" disabled={submit.busy}>
            Create
          </Button>
        </form>
        <SubmitStatus submit={submit} shown={['name']} />
      </Panel>
      <Panel title={kind === 'call' ? 'Call campaigns' : 'Email campaigns'}>
        <DataTable
          caption={kind === 'call' ? 'Call campaigns' : 'Email campaigns'}
          columns={[
            {
              header: 'Name',
              cell: (c) => (
                <a className="font-medium text-sky-800 underline dark:text-sky-300" href={`#/campaigns/${kind}/${c.id}`}>
                  {c.name}
                </a>
              ),
            },
            { header: 'Status', cell: (c) => c.status },
            { header: 'Created', cell: (c) => new Date(c.created_at).toLocaleDateString() },
          ]}
          rows={campaigns.data?.items}
          rowKey={(c) => c.id}
          loading={campaigns.loading}
          error={campaigns.error}
          emptyText="No campaigns of this kind yet."
        />
      </Panel>
    </div>
  );
}
