import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { DataTable } from '@/modules/forms/components/DataTable';
import { Panel } from '@/modules/forms/components/Panel';

type Attempt = { number: number; status_code: number | null; error: string | null; duration_ms: number; created_at: string };
type Delivery = { id: number; event: string; status: string; attempts: number; last_error: string | null; due_at: string; delivered_at: string | null; tries: Attempt[] };

/** One subscription's deliveries, each with every attempt. */
export function DeliveryLog({ subscriptionId, status, onStatus }: { subscriptionId: string; status: string; onStatus: (s: string) => void }) {
  const log = useApiResource<Page<Delivery>>(`/webhook-subscriptions/${subscriptionId}/deliveries?limit=200${status ? `&status=${status}` : ''}`);
  return (
    <Panel title={`Delivery log of subscription ${subscriptionId}`}>
      <Field label="Delivery status" className="w-44">
        <select className={INPUT} value={status} onChange={(e) => onStatus(e.target.value)}>
          <option value="">Every status</option>
          {['pending', 'sending', 'delivered', 'failed'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </Field>
      <DataTable
        caption="Deliveries"
        columns={[
          { header: 'Event', cell: (d) => d.event },
          { header: 'Status', cell: (d) => d.status },
          { header: 'Attempts', cell: (d) => <Attempts delivery={d} /> },
          { header: 'Last error', cell: (d) => d.last_error ?? '—' },
          { header: 'Delivered', cell: (d) => (d.delivered_at ? new Date(d.delivered_at).toLocaleString() : '—') },
        ]}
        rows={log.data?.items}
        rowKey={(d) => d.id}
        rowClassName={() => 'align-top'}
        loading={log.loading}
        error={log.error}
        emptyText="No deliveries yet."
      />
    </Panel>
  );
}

/** Every try of one delivery, folded under its count. */
function Attempts({ delivery }: { delivery: Delivery }) {
  return (
    <details>
      <summary className="cursor-pointer">{delivery.attempts}</summary>
      <ul>
        {delivery.tries.map((t) => (
          <li key={t.number}>
            #{t.number}: {t.status_code ?? 'no answer'} in {t.duration_ms} ms{t.error ? ` — ${t.error}` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}
