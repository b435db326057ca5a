import { useCallback, useState } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { OrderDetailPanel } from '@/modules/operations/components/OrderDetailPanel';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import type { Order, Page } from '@/modules/orders/types/Order';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

const STATUSES = ['submitted', 'in_progress', 'completed', 'cancelled', 'draft', 'any'];

/** The operations inbox (`/inbox?status=submitted&order=12&q=…`): orders, and one open. */
export function OrdersInboxPage({ query, navigate }: ScreenProps) {
  const status = query.get('status') ?? 'submitted';
  const selected = Number(query.get('order')) || null;
  const search = query.get('q') ?? '';
  const [version, setVersion] = useState(0);
  const filter = status === 'any' ? '' : `&status=${status}`;
  const orders = useApiResource<Page<Order>>(`/orders?limit=500${filter}`, version);
  const go = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(query);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      navigate(`/inbox?${next.toString()}`);
    },
    [query, navigate],
  );
  const onSearch = useCallback((q: string) => go({ q }), [go]);
  const onChanged = useCallback(() => setVersion((v) => v + 1), []);
  const items = [...(orders.data?.items ?? [])].reverse();
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(22rem,2fr)_3fr]">
      <section aria-labelledby="inbox-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
        <div className="flex items-end gap-3">
          <h1 id="inbox-title" className="mr-auto text-lg font-semibold">
            Orders inbox
          </h1>
          <div>
            <label htmlFor="inbox-status" className="block text-sm font-medium">
              Status
            </label>
            <select
              id="inbox-status"
              value={status}
              onChange={(e) => go({ status: e.target.value, order: null })}
              className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorNote error={orders.error} />
        {orders.loading && !orders.data ? <p className="text-sm">Loading the orders…</p> : null}
        {orders.data && items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">{status === 'any' ? 'No orders yet.' : `No ${status.replace('_', ' ')} orders.`}</p> : null}
        <ul className="divide-y divide-slate-200 dark:divide-slate-700" aria-label="Orders">
          {items.map((o) => (
            <li key={o.id}>
              <button
                type="button"
                aria-current={o.id === selected ? 'true' : undefined}
                onClick={() => go({ order: String(o.id) })}
                data-testid={`inbox-order-${o.id}`}
                className="flex w-full items-center gap-2 px-2 py-2 text-left text-sm hover:bg-slate-100 aria-[current=true]:bg-sky-100 dark:hover:bg-slate-800 dark:aria-[current=true]:bg-sky-900"
              >
                <span className="flex-1">
                  <span className="font-medium">{o.title}</span>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">
                    #{o.id} · client #{o.client_id} · {o.kind} · goal {o.lead_goal ?? '?'}
                    {o.submitted_at ? ` · submitted ${new Date(o.submitted_at).toLocaleDateString()}` : ''}
                  </span>
                </span>
                <OrderStatusBadge status={o.status} />
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Selected order" className="rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
        <ErrorBoundary area="The order">
          {selected ? (
            <OrderDetailPanel key={selected} orderId={selected} search={search} onSearch={onSearch} onChanged={onChanged} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Choose an order to see it, link campaigns and move its status.</p>
          )}
        </ErrorBoundary>
      </section>
    </div>
  );
}
