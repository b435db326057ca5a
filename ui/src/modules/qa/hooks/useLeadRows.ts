import { useCallback, useEffect, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { LeadFilters } from '@/modules/qa/types/LeadFilters';
import type { QaLead } from '@/modules/qa/types/QaLead';
import { applyLeadChanges } from '@/modules/qa/utils/applyLeadChanges';
import { leadsApiQuery } from '@/modules/qa/utils/leadFilters';
import { toApiError } from '@/modules/qa/utils/toApiError';

/** The grid holds at most this many leads; a narrower filter shows the rest. */
export const MAX_ROWS = 10_000;
const PAGE = 500; // the API's largest page

type Page = { items: QaLead[]; next_cursor: string | null };
export type LeadRows = {
  rows: QaLead[];
  loading: boolean;
  error: ApiError | null;
  /** More leads match than the grid holds. */
  truncated: boolean;
  /** Merges changed leads (a decision's answer) into their rows. */
  update: (changed: QaLead[]) => void;
  /** Applies leads changed elsewhere (the live stream): rows update, matching new ones join. */
  apply: (fresh: QaLead[]) => void;
};

/** Every lead matching the filters (up to MAX_ROWS), page by page, shown as they arrive. */
export function useLeadRows(filters: LeadFilters, version: number): LeadRows {
  const [rows, setRows] = useState<QaLead[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [truncated, setTruncated] = useState(false);
  const query = leadsApiQuery(filters).toString();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    void (async () => {
      const loaded: QaLead[] = [];
      let cursor: string | null = null;
      try {
        do {
          const params = new URLSearchParams(query);
          params.set('limit', String(PAGE));
          if (cursor) params.set('cursor', cursor);
          const page: Page = await apiFetch<Page>(`/leads?${params}`, { signal: controller.signal });
          loaded.push(...page.items);
          cursor = page.next_cursor;
          setRows([...loaded]);
        } while (cursor && loaded.length < MAX_ROWS);
        setTruncated(cursor !== null);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setRows([...loaded]);
        setError(toApiError(caught));
      }
      if (!controller.signal.aborted) setLoading(false);
    })();
    return () => controller.abort();
  }, [query, version]);

  const update = useCallback((changed: QaLead[]) => {
    const byId = new Map(changed.map((lead) => [lead.id, lead]));
    setRows((current) => current.map((row) => (byId.has(row.id) ? { ...row, ...byId.get(row.id) } : row)));
  }, []);
  const apply = useCallback(
    (fresh: QaLead[]) => setRows((current) => applyLeadChanges(current, fresh, filters, truncated)),
    [filters, truncated],
  );
  return { rows, loading, error, truncated, update, apply };
}
