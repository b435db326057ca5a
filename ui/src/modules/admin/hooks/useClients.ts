import { useEffect, useState } from 'react';

import type { ClientOrg } from '@/modules/admin/types/Admin';
import type { Resource } from '@/modules/api/hooks/useApiResource';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Page } from '@/modules/console/types/CampaignSummary';
import { asApiError } from '@/modules/forms/utils/asApiError';

/** Every client organisation by name (`GET /clients`, page after page), loaded once per mount. */
export function useClients(): Resource<ClientOrg[]> {
  const [clients, setClients] = useState<Resource<ClientOrg[]>>({ data: null, error: null, loading: true });
  useEffect(() => {
    const controller = new AbortController();
    const load = async () => {
      const all: ClientOrg[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page: Page<ClientOrg> = await apiFetch<Page<ClientOrg>>(`/clients?limit=500${query}`, { signal: controller.signal });
        all.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor);
      return all;
    };
    load()
      .then((data) => setClients({ data, error: null, loading: false }))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setClients({ data: null, error: asApiError(caught), loading: false });
      });
    return () => controller.abort();
  }, []);
  return clients;
}
