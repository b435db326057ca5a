import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { ClientEditor } from '@/modules/admin/components/ClientEditor';
import { ClientForm } from '@/modules/admin/components/ClientForm';
import { PageLinks } from '@/modules/admin/components/PageLinks';
import type { ClientOrg } from '@/modules/admin/types/Admin';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { withQuery } from '@/modules/app/utils/withQuery';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';

const PATH = '/admin/clients';
const EMPTY = { name: '', contact_email: '' };

/** Client organisations: onboard, rename, (de)activate. URL: `?q=acme&cursor=…&client=3` (the one being edited). */
export function ClientsPage({ query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const [formKey, setFormKey] = useState(0);
  const q = query.get('q') ?? '';
  const cursor = query.get('cursor');
  const editing = query.get('client');
  const params = new URLSearchParams({ limit: '50', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
  const clients = useApiResource<Page<ClientOrg>>(`/clients?${params.toString()}`, version);
  const create = useSubmit();
  const change = useSubmit();
  const reload = () => setVersion((v) => v + 1);
  const go = (changes: Record<string, string | null>) => navigate(withQuery(PATH, query, changes));

  const add = async (body: { name: string; contact_email: string | null }) => {
    if (await create.run(() => apiFetch('/clients', { method: 'POST', body }), `${body.name.trim()} added.`)) {
      setFormKey((k) => k + 1);
      reload();
    }
  };
  const setActive = async (client: ClientOrg, is_active: boolean) => {
    const note = `${client.name} is ${is_active ? 'active again' : 'deactivated'}.`;
    if (await change.run(() => apiFetch(`/clients/${client.id}`, { method: 'PATCH', body: { is_active } }), note)) reload();
  };

  return (
    <AdminLayout current={PATH} title="Client organisations">
      <Panel title="New client organisation">
        <ClientForm key={formKey} initial={EMPTY} submitLabel="Add client" submit={create} onSave={(body) => void add(body)} />
      </Panel>
      {editing ? <ClientEditor key={editing} clientId={editing} onSaved={reload} onClose={() => go({ client: null })} /> : null}
      <Panel title="Client organisations">
        <Field label="Search by name" className="max-w-sm">
          <input
            className={INPUT}
            type="search"
            defaultValue={q}
            onKeyDown={(e) => e.key === 'Enter' && go({ q: e.currentTarget.value, cursor: null })}
            onBlur={(e) => e.target.value !== q && go({ q: e.target.value, cursor: null })}
          />
        </Field>
        <SubmitStatus submit={change} />
        <DataTable
          caption="Client organisations"
          columns={[
            { header: 'Name', cell: (c) => c.name, sort: (a, b) => a.name.localeCompare(b.name) },
            { header: 'Contact', cell: (c) => c.contact_email ?? '—' },
            { header: 'Status', cell: (c) => (c.is_active ? 'active' : 'inactive') },
            { header: 'Users', cell: (c) => c.user_count, className: 'tabular-nums', sort: (a, b) => a.user_count - b.user_count },
            { header: 'Orders', cell: (c) => c.order_count, className: 'tabular-nums', sort: (a, b) => a.order_count - b.order_count },
            { header: 'Campaigns', cell: (c) => c.campaign_count, className: 'tabular-nums' },
          ]}
          rows={clients.data?.items}
          rowKey={(c) => c.id}
          rowTestId={(c) => `client-${c.id}`}
          rowClassName={(c) => (String(c.id) === editing ? 'bg-sky-50 dark:bg-sky-950' : '')}
          loading={clients.loading}
          error={clients.error}
          emptyText={q ? 'No client organisation matches.' : 'No client organisation yet: add the first above.'}
          actions={[
            { label: 'Edit', name: (c) => `Edit ${c.name}`, run: (c) => go({ client: String(c.id) }) },
            {
              label: 'Deactivate',
              name: (c) => `Deactivate ${c.name}`,
              tone: 'danger',
              when: (c) => c.is_active,
              run: (c) => void setActive(c, false),
              confirm: {
                title: 'Deactivate client organisation',
                button: 'Deactivate',
                body: (c) => (
                  <p>
                    {c.user_count === 1 ? '1 user' : `${c.user_count} users`} of {c.name} will not be able to sign in, and their sessions and the client's API keys stop working
                    until you reactivate it. Its orders and campaigns stay as they are.
                  </p>
                ),
              },
            },
            { label: 'Reactivate', name: (c) => `Reactivate ${c.name}`, when: (c) => !c.is_active, run: (c) => void setActive(c, true) },
          ]}
        />
        <PageLinks cursor={cursor} next={clients.data?.next_cursor ?? null} onPage={(next) => go({ cursor: next })} />
      </Panel>
    </AdminLayout>
  );
}
