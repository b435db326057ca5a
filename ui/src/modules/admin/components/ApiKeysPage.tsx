import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { type RoleAccess, RoleFields } from '@/modules/admin/components/RoleFields';
import type { ApiKey } from '@/modules/admin/types/Admin';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { type Column, DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

const COLUMNS: Column<ApiKey>[] = [
  { header: 'Name', cell: (k) => k.name, sort: (a, b) => a.name.localeCompare(b.name) },
  { header: 'Prefix', cell: (k) => `${k.prefix}…`, className: 'font-mono' },
  { header: 'Role', cell: (k) => k.role, sort: (a, b) => a.role.localeCompare(b.role) },
  { header: 'Created', cell: (k) => new Date(k.created_at).toLocaleString(), sort: (a, b) => a.created_at.localeCompare(b.created_at) },
  { header: 'Status', cell: (k) => (k.revoked_at ? `revoked ${new Date(k.revoked_at).toLocaleString()}` : 'active') },
];

/** API keys: a new key's secret is shown once, here; a key can be revoked. */
export function ApiKeysPage() {
  const [version, setVersion] = useState(0);
  const keys = useApiResource<Page<ApiKey>>('/api-keys?limit=500', version);
  const [form, setForm] = useState<{ name: string } & RoleAccess>({ name: '', role: 'agent', client_id: null });
  const [created, setCreated] = useState<ApiKey | null>(null);
  const create = useSubmit();
  const revoke = useSubmit();

  const add = async () => {
    const made = await create.run(() => apiFetch<ApiKey>('/api-keys', { method: 'POST', body: form }));
    if (made) {
      setCreated(made);
      setForm({ ...form, name: '' });
      setVersion((v) => v + 1);
    }
  };
  const revokeKey = async (key: ApiKey) => {
    // A 204 has no body: the action answers true once the key is revoked.
    const revoked = async () => {
      await apiFetch(`/api-keys/${key.id}`, { method: 'DELETE' });
      return true;
    };
    if (await revoke.run(revoked, `Key ${key.name} revoked.`)) setVersion((v) => v + 1);
  };

  return (
    <AdminLayout current="/admin/api-keys" title="API keys">
      <Panel title="New API key">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <Field label="Key name" error={fieldMessage(create.error, 'name')} className="min-w-60">
            <input className={INPUT} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
          </Field>
          <RoleFields roleLabel="Key role" value={form} onChange={(access) => setForm({ ...form, ...access })} error={create.error} />
          <Button type="submit" tone="primary" disabled={create.busy}>
            Create key
          </Button>
        </form>
        <SubmitStatus submit={create} shown={['name', 'role', 'client_id']} />
        {created?.secret ? (
          <div role="status" className="space-y-2 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950">
            <p className="font-semibold">Copy the secret of “{created.name}” now: it is shown this once and never again.</p>
            <code data-testid="api-key-secret" className="block break-all rounded bg-white p-2 font-mono">
              {created.secret}
            </code>
            <div className="flex gap-2">
              <Button onClick={() => void navigator.clipboard?.writeText(created.secret ?? '')}>Copy</Button>
              <Button onClick={() => setCreated(null)}>I have stored it</Button>
            </div>
          </div>
        ) : null}
      </Panel>
      <Panel title="Keys">
        <SubmitStatus submit={revoke} />
        <DataTable
          caption="API keys"
          columns={COLUMNS}
          rows={keys.data?.items}
          rowKey={(k) => k.id}
          rowTestId={(k) => `api-key-${k.id}`}
          loading={keys.loading}
          error={keys.error}
          emptyText="No API keys yet."
          actions={[
            {
              label: 'Revoke',
              tone: 'danger',
              when: (k) => !k.revoked_at,
              run: (k) => void revokeKey(k),
              confirm: {
                title: 'Revoke API key',
                button: 'Revoke',
                body: (k) => <p>Every caller using “{k.name}” ({k.prefix}…) is refused from now on. This cannot be undone.</p>,
              },
            },
          ]}
        />
      </Panel>
    </AdminLayout>
  );
}
