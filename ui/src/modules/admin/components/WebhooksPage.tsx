import { useState } from 'react';

import { AdminLayout } from '@/modules/admin/components/AdminLayout';
import { ClientPicker } from '@/modules/admin/components/ClientPicker';
import { DeliveryLog } from '@/modules/admin/components/DeliveryLog';
import { useClients } from '@/modules/admin/hooks/useClients';
import { clientName } from '@/modules/admin/utils/clientName';
import { withQuery } from '@/modules/app/utils/withQuery';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';
import { SubmitStatus } from '@/modules/forms/components/SubmitStatus';
import { useSubmit } from '@/modules/forms/hooks/useSubmit';
import { fieldMessage } from '@/modules/forms/utils/fieldMessage';
import { Button } from '@/modules/ui/components/Button';

type Subscription = { id: number; url: string; events: string[]; client_id: number | null; active: boolean; secret?: string };
const EVENTS = ['order.submitted', 'order.status_changed', 'lead.delivered', 'automation.webhook'];

/** Outgoing webhook subscriptions; the chosen one's delivery log (`?subscription=3`). */
export function WebhooksPage({ query, navigate }: ScreenProps) {
  const [version, setVersion] = useState(0);
  const subs = useApiResource<Page<Subscription>>('/webhook-subscriptions?limit=500', version);
  const clients = useClients();
  const client = (s: Subscription) => clientName(clients.data, s.client_id, 'Every client');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['order.submitted']);
  const [clientId, setClientId] = useState<number | null>(null);
  const [created, setCreated] = useState<Subscription | null>(null);
  const create = useSubmit();
  const toggle = useSubmit();
  const chosen = query.get('subscription');

  const add = async () => {
    const made = await create.run(() => apiFetch<Subscription>('/webhook-subscriptions', { method: 'POST', body: { url, events, client_id: clientId } }));
    if (made) {
      setCreated(made);
      setUrl('');
      setVersion((v) => v + 1);
    }
  };
  const setActive = async (sub: Subscription) => {
    const body = { active: !sub.active };
    if (await toggle.run(() => apiFetch(`/webhook-subscriptions/${sub.id}`, { method: 'PATCH', body }), `${sub.url} ${sub.active ? 'paused' : 'active'}.`)) {
      setVersion((v) => v + 1);
    }
  };

  return (
    <AdminLayout current="/admin/webhooks" title="Webhook subscriptions">
      <Panel title="New subscription">
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Receiver URL" error={fieldMessage(create.error, 'url')} className="min-w-96">
            <input className={INPUT} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
          </Field>
          <ClientPicker clientId={clientId} onPick={setClientId} error={fieldMessage(create.error, 'client_id')} emptyLabel="Every client" />
          <fieldset className="flex flex-wrap gap-3 pb-1">
            <legend className="text-sm font-medium">Events</legend>
            {EVENTS.map((event) => (
              <label key={event} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={events.includes(event)}
                  onChange={() => setEvents(events.includes(event) ? events.filter((e) => e !== event) : [...events, event])}
                />
                {event}
              </label>
            ))}
          </fieldset>
          <Button tone="primary" disabled={create.busy} onClick={() => void add()}>
            Subscribe
          </Button>
        </div>
        <SubmitStatus submit={create} shown={['url', 'client_id']} />
        {created?.secret ? (
          <div role="status" className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950">
            <p className="font-semibold">Signing secret for {created.url}, shown this once:</p>
            <code className="block break-all font-mono">{created.secret}</code>
          </div>
        ) : null}
      </Panel>
      <Panel title="Subscriptions">
        <SubmitStatus submit={toggle} />
        <DataTable
          caption="Webhook subscriptions"
          columns={[
            { header: 'URL', cell: (s) => s.url, className: 'break-all', sort: (a, b) => a.url.localeCompare(b.url) },
            { header: 'Client', cell: client, sort: (a, b) => client(a).localeCompare(client(b)) },
            { header: 'Events', cell: (s) => s.events.join(', ') },
            { header: 'Status', cell: (s) => (s.active ? 'active' : 'paused') },
          ]}
          rows={subs.data?.items}
          rowKey={(s) => s.id}
          rowClassName={(s) => (String(s.id) === chosen ? 'bg-sky-50 dark:bg-sky-950' : '')}
          loading={subs.loading}
          error={subs.error}
          emptyText="No subscriptions yet."
          actions={[
            { label: 'Delivery log', run: (s) => navigate(withQuery('/admin/webhooks', query, { subscription: String(s.id) })) },
            { label: (s) => (s.active ? 'Pause' : 'Activate'), run: (s) => void setActive(s) },
          ]}
        />
      </Panel>
      {chosen ? <DeliveryLog subscriptionId={chosen} status={query.get('status') ?? ''} onStatus={(status) => navigate(withQuery('/admin/webhooks', query, { status }))} /> : null}
    </AdminLayout>
  );
}
