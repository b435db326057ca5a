import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { PageLinks } from '@/modules/admin/components/PageLinks';
import type { AdminUser, AuditEntry } from '@/modules/admin/types/Admin';
import { auditQuery } from '@/modules/admin/utils/auditQuery';
import { withQuery } from '@/modules/app/utils/withQuery';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';
import { Button } from '@/modules/ui/components/Button';

/** Families the action filter suggests; any exact action can be typed too. */
const ACTIONS = ['api_key.', 'auth.', 'campaign.', 'suppression.', 'suppression.delete', 'suppression.import', 'user.', 'order.', 'webhook.', 'automation.', 'export.'];

/** The audit log, filtered by action, user and days; every filter and the page in the URL. */
export function AuditPage({ query, navigate }: ScreenProps) {
  const entries = useApiResource<Page<AuditEntry>>(`/audit?${auditQuery(query)}`);
  const users = useApiResource<Page<AdminUser>>('/users?limit=500');
  const names = new Map((users.data?.items ?? []).map((u) => [u.id, u.email]));
  const go = (changes: Record<string, string | null>) => navigate(withQuery('/admin/audit', query, { cursor: null, ...changes }));
  return (
    <AdminLayout current="/admin/audit" title="Audit log">
      <Panel title="Filters">
        <form
          key={query.toString()} // a link or Clear puts the URL's filters back in the fields
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const value = (key: string) => String(data.get(key) ?? '');
            go({ action: value('action'), actor: value('actor'), from: value('from'), to: value('to') });
          }}
        >
          <Field label="Action" hint="End with a dot for a family: campaign." className="min-w-56">
            <input name="action" list="audit-actions" className={INPUT} defaultValue={query.get('action') ?? ''} />
          </Field>
          <datalist id="audit-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <Field label="User" className="min-w-56">
            <select name="actor" className={INPUT} defaultValue={query.get('actor') ?? ''} key={users.data ? 'loaded' : 'loading'}>
              <option value="">Anyone</option>
              {(users.data?.items ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.email}
                </option>
              ))}
            </select>
          </Field>
          <Field label="From day" className="w-40">
            <input name="from" type="date" className={INPUT} defaultValue={query.get('from') ?? ''} />
          </Field>
          <Field label="To day" className="w-40">
            <input name="to" type="date" className={INPUT} defaultValue={query.get('to') ?? ''} />
          </Field>
          <Button type="submit" tone="primary">
            Filter
          </Button>
          <Button onClick={() => navigate('/admin/audit')}>Clear</Button>
        </form>
      </Panel>
      <Panel title="Entries (oldest first)">
        <DataTable
          caption="Audit entries"
          testId="audit-entries"
          columns={[
            { header: 'When', cell: (e) => new Date(e.created_at).toLocaleString(), className: 'whitespace-nowrap' },
            { header: 'Action', cell: (e) => e.action, className: 'font-mono' },
            { header: 'Who', cell: (e) => (e.actor_id ? (names.get(e.actor_id) ?? `user ${e.actor_id}`) : e.api_key_id ? `API key ${e.api_key_id}` : '—') },
            { header: 'Target', cell: (e) => (e.target_type ? `${e.target_type} ${e.target_id ?? ''}` : '—') },
            { header: 'Details', cell: (e) => (Object.keys(e.data).length ? JSON.stringify(e.data) : ''), className: 'max-w-md break-all font-mono text-xs' },
          ]}
          rows={entries.data?.items}
          rowKey={(e) => e.id}
          rowClassName={() => 'align-top'}
          loading={entries.loading}
          error={entries.error}
          emptyText="No entry matches these filters."
        />
        <PageLinks cursor={query.get('cursor')} next={entries.data?.next_cursor ?? null} onPage={(c) => navigate(withQuery('/admin/audit', query, { cursor: c }))} />
      </Panel>
    </AdminLayout>
  );
}
