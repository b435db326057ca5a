import type { ScreenProps } from '@/modules/app/types/Screen';
import { useApiResource } from '@/modules/api/hooks/useApiResource';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import type { Order, Page } from '@/modules/orders/types/Order';
import { Button } from '@/modules/ui/components/Button';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

const STATUSES = ['draft', 'submitted', 'in_progress', 'completed', 'cancelled'];

/** The client's orders with their status (`/orders?status=…`); a draft opens the wizard. */
export function OrderListPage({ query, navigate }: ScreenProps) {
  const status = query.get('status') ?? '';
  const orders = useApiResource<Page<Order>>(`/client/orders?limit=500${status ? `&status=${status}` : ''}`);
  const items = [...(orders.data?.items ?? [])].reverse();
  return (
    <section aria-labelledby="orders-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
      <div className="flex flex-wrap items-end gap-3">
        <h1 id="orders-title" className="mr-auto text-lg font-semibold">
          Your orders
        </h1>
        <div>
          <label htmlFor="order-status-filter" className="block text-sm font-medium">
            Status
          </label>
          <select
            id="order-status-filter"
            value={status}
            onChange={(e) => navigate(e.target.value ? `/orders?status=${e.target.value}` : '/orders')}
            className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
          >
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <Button tone="primary" onClick={() => navigate('/orders/new')}>
          New order
        </Button>
      </div>
      <ErrorNote error={orders.error} />
      {orders.loading && !orders.data ? <p className="text-sm">Loading your orders…</p> : null}
      {orders.data && items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{status ? 'No order has this status.' : 'No orders yet. Start one with “New order”.'}</p>
      ) : null}
      {items.length ? (
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
            {items.map((o) => (
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
    </section>
  );
}
