import { useCallback, useMemo } from 'react';

import type { ScreenProps } from '@/modules/app/types/Screen';
import { LoadMore } from '@/modules/orders/components/LoadMore';
import { OrderListControls } from '@/modules/orders/components/OrderListControls';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import { useOrderPages } from '@/modules/orders/hooks/useOrderPages';
import { orderListQuery } from '@/modules/orders/utils/orderListQuery';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

const STATUSES = [{ value: '', label: 'Any' }, ...['draft', 'submitted', 'in_progress', 'completed', 'cancelled'].map((s) => ({ value: s, label: s.replace('_', ' ') }))];

/** The client's orders (`/orders?status=…&search=…&sort=…`), a page at a time as the list
 * scrolls; a draft opens the wizard, anything else its report. */
export function OrderListPage({ query, navigate }: ScreenProps) {
  const status = query.get('status') ?? '';
  const search = query.get('search') ?? '';
  const sort = query.get('sort') ?? '-created';
  const server = useMemo(() => orderListQuery({ status, q: search, sort }), [status, search, sort]);
  const orders = useOrderPages('/client/orders', server);
  const change = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(query);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      navigate(next.toString() ? `/orders?${next.toString()}` : '/orders');
    },
    [query, navigate],
  );
  const clientName = orders.items[0]?.client_name;
  const filtered = Boolean(status || search);
  return (
    <section aria-labelledby="orders-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto">
          <h1 id="orders-title" className="text-lg font-semibold">
            Your orders
          </h1>
          {clientName ? <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="client-name">{clientName}</p> : null}
        </div>
        <Button tone="primary" onClick={() => navigate('/orders/new')}>
          New order
        </Button>
      </div>
      <OrderListControls idPrefix="orders" statuses={STATUSES} status={status} search={search} sort={sort} onChange={change} searchHint="Title or #number" />
      <ErrorNote error={orders.error} />
      {orders.loading && orders.items.length === 0 ? <p className="text-sm">Loading your orders…</p> : null}
      {!orders.loading && !orders.error && orders.items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{filtered ? 'No order matches these filters.' : 'No orders yet. Start one with “New order”.'}</p>
      ) : null}
      {orders.items.length ? (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1">Order</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Lead goal</th>
              <th scope="col">Submitted</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-700">
            {orders.items.map((o) => (
              <tr key={o.id} data-testid={`order-${o.id}`}>
                <td className="py-2">
                  <a className="text-sky-800 underline dark:text-sky-300" href={o.status === 'draft' ? `#/orders/${o.id}/edit` : `#/orders/${o.id}`}>
                    {o.title}
                  </a>
                </td>
                <td>{o.kind}</td>
                <td>
                  <OrderStatusBadge status={o.status} />
                </td>
                <td className="tabular-nums">{o.lead_goal ?? '—'}</td>
                <td>{o.submitted_at ? new Date(o.submitted_at).toLocaleDateString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <LoadMore more={orders.more} loading={orders.loading} onMore={orders.loadMore} label="Load more orders" />
    </section>
  );
}

