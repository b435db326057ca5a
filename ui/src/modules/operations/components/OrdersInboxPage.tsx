import { useCallback, useMemo, useState } from 'react';

import { withQuery } from '@/modules/app/utils/withQuery';
import type { ScreenProps } from '@/modules/app/types/Screen';
import { OrderDetailPanel } from '@/modules/operations/components/OrderDetailPanel';
import { LoadMore } from '@/modules/orders/components/LoadMore';
import { OrderListControls } from '@/modules/orders/components/OrderListControls';
import { OrderStatusBadge } from '@/modules/orders/components/OrderStatusBadge';
import { useOrderPages } from '@/modules/orders/hooks/useOrderPages';
import { orderListQuery } from '@/modules/orders/utils/orderListQuery';
import { ErrorBoundary } from '@/modules/ui/components/ErrorBoundary';
import { ErrorNote } from '@/modules/ui/components/ErrorNote';

const STATUSES = ['submitted', 'in_progress', 'completed', 'cancelled', 'draft', 'any'].map((s) => ({ value: s, label: s.replace('_', ' ') }));

/** The operations inbox (`/inbox?status=submitted&search=…&sort=…&order=12&q=…`): orders a
 * page at a time as the list scrolls, and one open (`q` searches campaigns to link). */
export function OrdersInboxPage({ query, navigate }: ScreenProps) {
  const status = query.get('status') ?? 'submitted';
  const selected = Number(query.get('order')) || null;
  const search = query.get('q') ?? '';
  const orderSearch = query.get('search') ?? '';
  const sort = query.get('sort') ?? '-created';
  const [version, setVersion] = useState(0);
  const server = useMemo(
    () => orderListQuery({ status: status === 'any' ? '' : status, q: orderSearch, sort }),
    [status, orderSearch, sort],
  );
  const orders = useOrderPages('/orders', server, version);
  const go = useCallback((changes: Record<string, string | null>) => navigate(withQuery('/inbox', query, changes)), [query, navigate]);
  const onSearch = useCallback((q: string) => go({ q }), [go]);
  const onChanged = useCallback(() => setVersion((v) => v + 1), []);
  const onFilters = useCallback((changes: Record<string, string | null>) => go({ ...changes, order: null }), [go]);
  const items = orders.items;
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(22rem,2fr)_3fr]">
      <section aria-labelledby="inbox-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm dark:bg-slate-900">
        <h1 id="inbox-title" className="text-lg font-semibold">
          Orders inbox
        </h1>
        <OrderListControls
          idPrefix="inbox"
          statuses={STATUSES}
          status={status}
          search={orderSearch}
          sort={sort}
          onChange={onFilters}
          searchHint="Title, client or #number"
        />
        <ErrorNote error={orders.error} />
        {orders.loading && items.length === 0 ? <p className="text-sm">Loading the orders…</p> : null}
        {!orders.loading && !orders.error && items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">{orderSearch ? 'No order matches this search.' : status === 'any' ? 'No orders yet.' : `No ${status.replace('_', ' ')} orders.`}</p>
        ) : null}
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
                    #{o.id} · {o.client_name} · {o.kind} · goal {o.lead_goal ?? '?'}
                    {o.submitted_at ? ` · submitted ${new Date(o.submitted_at).toLocaleDateString()}` : ''}
                  </span>
                </span>
                <OrderStatusBadge status={o.status} />
              </button>
            </li>
          ))}
        </ul>
        <LoadMore more={orders.more} loading={orders.loading} onMore={orders.loadMore} label="Load more orders" />
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
