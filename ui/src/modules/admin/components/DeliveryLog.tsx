import { useApiResource } from '@/modules/api/hooks/useApiResource';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { Field, INPUT } from '@/modules/forms/components/Field';
import { LoadState } from '@/modules/forms/components/LoadState';
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
      <LoadState loading={log.loading && !log.data} error={log.error} empty={log.data?.items.length === 0} emptyText="No deliveries yet." />
      {log.data?.items.length ? (
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th className="py-1">Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th>Delivered</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((d) => (
              <tr key={d.id} className="border-t border-slate-200 align-top dark:border-slate-700">
                <td className="py-1.5">{d.event}</td>
                <td>{d.status}</td>
                <td>
                  <details>
                    <summary className="cursor-pointer">{d.attempts}</summary>
                    <ul>
                      {d.tries.map((t) => (
                        <li key={t.number}>
                          #{t.number}: {t.status_code ?? 'no answer'} in {t.duration_ms} ms{t.error ? ` — ${t.error}` : ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                </td>
                <td>{d.last_error ?? '—'}</td>
                <td>{d.delivered_at ? new Date(d.delivered_at).toLocaleString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
