import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { type RoleAccess, RoleFields } from '@/modules/admin/components/RoleFields';
import { useClients } from '@/modules/admin/hooks/useClients';
import { type AdminUser, ROLES } from '@/modules/admin/types/Admin';
import { withQuery } from '@/modules/app/utils/withQuery';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { clientName } from '@/modules/admin/utils/clientName';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

const EMPTY: { email: string; full_name: string; password: string } & RoleAccess = { email: '', full_name: '', password: '', role: 'agent', client_id: null };

/** Users and roles: create, change role, deactivate. Filters in the URL (`?role=agent&q=ann`). */
export function UsersPage({ user: me, query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const role = query.get('role') ?? '';
  const q = query.get('q') ?? '';
  const params = new URLSearchParams({ limit: '500', ...(role ? { role } : {}), ...(q ? { q } : {}) });
  const users = useApiResource<Page<AdminUser>>(`/users?${params.toString()}`, version);
  const clients = useClients();
  const client = (u: AdminUser) => clientName(clients.data, u.client_id);
  const [form, setForm] = useState(EMPTY);
  const create = useSubmit();
  const change = useSubmit();
  const reload = () => setVersion((v) => v + 1);
  const filter = (changes: Record<string, string>) => navigate(withQuery('/admin', query, changes));

  const add = async () => {
    if (await create.run(() => apiFetch('/users', { method: 'POST', body: form }), `User ${form.email} created.`)) {
      setForm(EMPTY);
      reload();
    }
  };
  const patch = async (target: AdminUser, body: Record<string, unknown>, note: string) => {
    if (await change.run(() => apiFetch(`/users/${target.id}`, { method: 'PATCH', body }), note)) reload();
  };

  return (
    <AdminLayout current="/admin" title="Users and roles">
      <Panel title="New user">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <Field label="Email" error={fieldMessage(create.error, 'email')} className="min-w-60">
            <input className={INPUT} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />
          </Field>
          <Field label="Full name" error={fieldMessage(create.error, 'full_name')} className="min-w-48">
            <input className={INPUT} value={form.full_name} onChange={(e) => setForm({ ...form, full_name: e.target.value })} required />
          </Field>
          <Field label="Password" error={fieldMessage(create.error, 'password')} hint="10 characters or more" className="min-w-48">
            <input className={INPUT} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
          </Field>
          <RoleFields value={form} onChange={(access) => setForm({ ...form, ...access })} error={create.error} />
          <Button type="submit" tone="primary" disabled={create.busy}>
            Create user
          </Button>
        </form>
        <SubmitStatus submit={create} shown={['email', 'full_name', 'password', 'role', 'client_id']} />
      </Panel>
      <Panel title="Users">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Search name or email" className="min-w-60">
            <input className={INPUT} type="search" defaultValue={q} onKeyDown={(e) => e.key === 'Enter' && filter({ q: e.currentTarget.value })} onBlur={(e) => e.target.value !== q && filter({ q: e.target.value })} />
          </Field>
          <Field label="Role filter" className="w-44">
            <select className={INPUT} value={role} onChange={(e) => filter({ role: e.target.value })}>
              <option value="">Every role</option>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </Field>
        </div>
        <SubmitStatus submit={change} />
        <DataTable
          caption="Users"
          columns={[
            { header: 'Name', cell: (u) => u.full_name, sort: (a, b) => a.full_name.localeCompare(b.full_name) },
            { header: 'Email', cell: (u) => u.email, sort: (a, b) => a.email.localeCompare(b.email) },
            {
              header: 'Role',
              cell: (u) => (
                <select
                  aria-label={`Role of ${u.email}`}
                  className={INPUT}
                  value={u.role}
                  disabled={u.id === me.id || u.role === 'client_user'}
                  onChange={(e) => void patch(u, { role: e.target.value }, `${u.email} is now ${e.target.value}.`)}
                >
                  {ROLES.filter((r) => r !== 'client_user' || u.role === 'client_user').map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              ),
              sort: (a, b) => a.role.localeCompare(b.role),
            },
            { header: 'Client', cell: client, sort: (a, b) => client(a).localeCompare(client(b)) },
            { header: 'Status', cell: (u) => (u.is_active ? 'active' : 'deactivated') },
          ]}
          rows={users.data?.items}
          rowKey={(u) => u.id}
          rowTestId={(u) => `user-${u.id}`}
          loading={users.loading}
          error={users.error}
          emptyText="No user matches."
          note={(u) => (u.id === me.id ? 'you' : null)}
          actions={[
            {
              label: 'Deactivate',
              tone: 'danger',
              when: (u) => u.is_active,
              run: (u) => void patch(u, { is_active: false }, `${u.email} is deactivated.`),
              confirm: {
                title: 'Deactivate user',
                button: 'Deactivate',
                body: (u) => <p>{u.email} will be signed out everywhere and cannot sign in until reactivated.</p>,
              },
            },
            { label: 'Reactivate', when: (u) => !u.is_active, run: (u) => void patch(u, { is_active: true }, `${u.email} is active again.`) },
          ]}
        />
      </Panel>
    </AdminLayout>
  );
}
