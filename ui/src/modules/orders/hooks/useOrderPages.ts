import { useCallback, useEffect, useRef, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Order, Page } from '@/modules/orders/types/Order';
import { toApiError } from '@/modules/api/utils/toApiError';

export const ORDER_PAGE_SIZE = 50;

export type OrderPages = {
  items: Order[];
  loading: boolean;
  error: ApiError | null;
  /** More pages are on the server. */
  more: boolean;
  loadMore: () => void;
};

/**
 * An order list a page at a time (keyset cursors, docs/api.md "Lists"): `query` holds the
 * server's filters and sort; a new query (or `version`) starts again from the first page.
 */
export function useOrderPages(path: string, query: URLSearchParams, version = 0): OrderPages {
  const [items, setItems] = useState<Order[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const base = `${path}?${query.toString()}${query.toString() ? '&' : ''}limit=${ORDER_PAGE_SIZE}`;

  const load = useCallback(
    (after: string | null) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      setError(null);
      const url = after ? `${base}&cursor=${encodeURIComponent(after)}` : base;
      apiFetch<Page<Order>>(url, { signal: controller.signal })
        .then((page) => {
          setItems((previous) => (after ? [...previous, ...page.items] : page.items));
          setCursor(page.next_cursor);
          setLoading(false);
        })
        .catch((caught: unknown) => {
          if (controller.signal.aborted) return;
          setError(toApiError(caught));
          setLoading(false);
        });
    },
    [base],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    load(null);
    return () => inFlight.current?.abort();
  }, [load, version]);

  const loadMore = useCallback(() => {
    if (cursor && !loading) load(cursor);
  }, [cursor, loading, load]);
  return { items, loading, error, more: cursor !== null, loadMore };
}
