import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { PageLinks } from '@/modules/admin/components/PageLinks';
import { SuppressionUpload } from '@/modules/admin/components/SuppressionUpload';
import type { Suppression } from '@/modules/admin/types/Admin';
import { withQuery } from '@/modules/app/utils/withQuery';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { type Column, DataTable } from '@/modules/forms/components/DataTable';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

const KINDS = ['phone', 'email', 'domain'] as const;
const BASES = ['dnc_request', 'unsubscribe', 'complaint', 'bounce', 'regulatory_list', 'legal_obligation', 'client_request', 'other'];
const EMPTY = { kind: 'email', value: '', reason: '', consent_basis: '' };

// Not sortable: a page of a keyset-paged list would be sorted, not the list.
const COLUMNS: Column<Suppression>[] = [
  { header: 'Kind', cell: (r) => r.kind },
  { header: 'Value', cell: (r) => r.value, className: 'font-mono' },
  { header: 'Reason', cell: (r) => r.reason ?? '—' },
  { header: 'Basis', cell: (r) => r.consent_basis ?? '—' },
  { header: 'Source', cell: (r) => r.source },
  { header: 'Added', cell: (r) => new Date(r.created_at).toLocaleDateString() },
];

/** Suppression lists: search (`?q=&kind=`), add one, upload a CSV, remove with confirmation. */
export function SuppressionsPage({ query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const q = query.get('q') ?? '';
  const kind = query.get('kind') ?? '';
  const cursor = query.get('cursor');
  const params = new URLSearchParams({ limit: '100', ...(q ? { q } : {}), ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}) });
  const rows = useApiResource<Page<Suppression>>(`/suppressions?${params.toString()}`, version);
  const [form, setForm] = useState(EMPTY);
  const add = useSubmit();
  const remove = useSubmit();
  const reload = () => setVersion((v) => v + 1);
  const go = (changes: Record<string, string | null>) => navigate(withQuery('/admin/suppressions', query, { cursor: null, ...changes }));

  const create = async () => {
    const body = { kind: form.kind, value: form.value, reason: form.reason || null, consent_basis: form.consent_basis || null, source: 'admin' };
    if (await add.run(() => apiFetch<Suppression>('/suppressions', { method: 'POST', body }), `${form.value} is suppressed.`)) {
      setForm(EMPTY);
      reload();
    }
  };
  const removeRow = async (row: Suppression) => {
    // A 204 has no body: the action answers true once the removal went through.
    const removed = async () => {
      await apiFetch(`/suppressions/${row.id}`, { method: 'DELETE' });
      return true;
    };
    if (await remove.run(removed, `${row.value} removed (recorded in the audit log).`)) reload();
  };

  return (
    <AdminLayout current="/admin/suppressions" title="Suppression lists">
      <Panel title="Add a suppression">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Field label="Kind" className="w-32">
            <select className={INPUT} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </Field>
          <Field label="Value" error={fieldMessage(add.error, 'value')} className="min-w-64">
            <input className={INPUT} value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} required />
          </Field>
          <Field label="Reason" error={fieldMessage(add.error, 'reason')} className="min-w-48">
            <input className={INPUT} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </Field>
          <Field label="Consent basis" className="w-48">
            <select className={INPUT} value={form.consent_basis} onChange={(e) => setForm({ ...form, consent_basis: e.target.value })}>
              <option value="">—</option>
              {BASES.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </Field>
          <Button type="submit" tone="primary" disabled={add.busy}>
            Add
          </Button>
        </form>
        <SubmitStatus submit={add} shown={['value', 'reason']} />
      </Panel>
      <Panel title="Upload a CSV">
        <SuppressionUpload onImported={reload} />
      </Panel>
      <Panel title="Suppressions">
        <form
          key={query.toString()} // a link puts the URL's search back in the field
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            go({ q: String(data.get('q') ?? '') });
          }}
        >
          <Field label="Search value" className="min-w-64">
            <input name="q" type="search" className={INPUT} defaultValue={q} />
          </Field>
          <Button type="submit">Search</Button>
          <Field label="Kind filter" className="w-36">
            <select className={INPUT} value={kind} onChange={(e) => go({ kind: e.target.value })}>
              <option value="">Every kind</option>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </Field>
        </form>
        <SubmitStatus submit={remove} />
        <DataTable
          caption="Suppressions"
          columns={COLUMNS}
          rows={rows.data?.items}
          rowKey={(r) => r.id}
          rowTestId={(r) => `suppression-${r.id}`}
          loading={rows.loading}
          error={rows.error}
          emptyText="No suppression matches."
          actions={[
            {
              label: 'Remove',
              name: (r) => `Remove ${r.value}`,
              tone: 'danger',
              run: (r) => void removeRow(r),
              confirm: {
                title: 'Remove suppression',
                button: 'Remove',
                body: (r) => (
                  <p>
                    {r.kind} <strong className="font-mono">{r.value}</strong> may be contacted again once removed. The removal is recorded in the audit log with
                    your name.
                  </p>
                ),
              },
            },
          ]}
        />
        <PageLinks cursor={cursor} next={rows.data?.next_cursor ?? null} onPage={(c) => navigate(withQuery('/admin/suppressions', query, { cursor: c }))} />
      </Panel>
    </AdminLayout>
  );
}
