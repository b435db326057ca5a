import { useCallback, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { Verdict } from '@/modules/qa/types/Decision';
import type { LeadDetail } from '@/modules/qa/types/LeadDetail';
import type { QaLead } from '@/modules/qa/types/QaLead';
import { decisionSteps } from '@/modules/qa/utils/decisionSteps';
import { toApiError } from '@/modules/qa/utils/toApiError';

/** The API takes at most this many leads in one bulk decision. */
export const BULK_MAX = 500;

type Bulk = { moved: number; items: QaLead[] };
export type Decisions = {
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
  /** True when the lead reached the verdict; the ticks go with the approval. */
  decideOne: (lead: QaLead, verdict: Verdict, reason: string | null, ticks: Record<string, boolean>) => Promise<boolean>;
  /** True when every lead reached the verdict (the API moves all of a step or none). */
  decideMany: (leads: QaLead[], verdict: Verdict, reason: string | null) => Promise<boolean>;
};

/**
 * Single and bulk QA decisions. Each step is one all-or-nothing request; `onChanged` gets
 * every lead a step moved, so the grid is right even when a later step is refused.
 */
export function useLeadDecisions(onChanged: (leads: QaLead[]) => void): Decisions {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (caught) {
      setError(toApiError(caught));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const decideOne = useCallback<Decisions['decideOne']>(
    (lead, verdict, reason, ticks) =>
      run(async () => {
        for (const to of decisionSteps(lead.qa_status, verdict)) {
          const last = to === verdict;
          const body = { to, ...(last && reason ? { reason } : {}), ...(last ? { checklist: ticks } : {}) };
          const moved = await apiFetch<LeadDetail>(`/leads/${lead.id}/transition`, { method: 'POST', body });
          onChanged([moved]);
        }
      }),
    [run, onChanged],
  );

  const decideMany = useCallback<Decisions['decideMany']>(
    (leads, verdict, reason) =>
      run(async () => {
        const opening = leads.filter((lead) => decisionSteps(lead.qa_status, verdict).length > 1);
        if (opening.length > 0) await bulk(opening, 'under_review', null, onChanged);
        await bulk(leads, verdict, reason, onChanged);
      }),
    [run, onChanged],
  );

  return { busy, error, clearError: () => setError(null), decideOne, decideMany };
}

async function bulk(leads: QaLead[], to: string, reason: string | null, onChanged: (leads: QaLead[]) => void) {
  const body = { ids: leads.map((lead) => lead.id), to, ...(reason ? { reason } : {}) };
  const result = await apiFetch<Bulk>('/leads/bulk', { method: 'POST', body });
  onChanged(result.items);
}
