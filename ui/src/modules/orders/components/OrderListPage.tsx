import { useCallback, useMemo } from 'react';

import { withQuery } from '@/modules/app/utils/withQuery';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { DataTable } from '@/modules/forms/components/DataTable';
import { LoadMore } from '@/modules/orders/components/LoadMore';
import { OrderListControls } from '@/modules/orders/components/OrderListControls';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import { useOrderPages } from '@/modules/orders/hooks/useOrderPages';
import { orderListQuery } from '@/modules/orders/utils/orderListQuery';
import { Button } from '@/modules/ui/components/Button';

const STATUSES = [{ value: '', label: 'Any' }, ...['draft', 'submitted', 'in_progress', 'completed', 'cancelled'].map((s) => ({ value: s, label: s.replace('_', ' ') }))];

/** The client's orders (`/orders?status=…&search=…&sort=…`), a page at a time as the list
 * scrolls; a draft opens the wizard, anything else its report. */
export function OrderListPage({ query, navigate }: ScreenProps) {
  const status = query.get('status') ?? '';
  const search = query.get('search') ?? '';
  const sort = query.get('sort') ?? '-created';
  const server = useMemo(() => orderListQuery({ status, q: search, sort }), [status, search, sort]);
  const orders = useOrderPages('/client/orders', server);
  const change = useCallback((changes: Record<string, string | null>) => navigate(withQuery('/orders', query, changes)), [query, navigate]);
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
      <DataTable
        caption="Your orders"
        columns={[
          {
            header: 'Order',
            cell: (o) => (
              <a className="text-sky-800 underline dark:text-sky-300" href={o.status === 'draft' ? `#/orders/${o.id}/edit` : `#/orders/${o.id}`}>
                {o.title}
              </a>
            ),
          },
          { header: 'Type', cell: (o) => o.kind },
          { header: 'Status', cell: (o) => <OrderStatusBadge status={o.status} /> },
          { header: 'Lead goal', cell: (o) => o.lead_goal ?? '—', className: 'tabular-nums' },
          { header: 'Submitted', cell: (o) => (o.submitted_at ? new Date(o.submitted_at).toLocaleDateString() : '—') },
        ]}
        // the first page is still coming while the list is empty and loading
        rows={orders.loading && !orders.items.length ? undefined : orders.items}
        rowKey={(o) => o.id}
        rowTestId={(o) => `order-${o.id}`}
        loading={orders.loading}
        error={orders.error}
        emptyText={filtered ? 'No order matches these filters.' : 'No orders yet. Start one with “New order”.'}
      />
      <LoadMore more={orders.more} loading={orders.loading} onMore={orders.loadMore} label="Load more orders" />
    </section>
  );
}

