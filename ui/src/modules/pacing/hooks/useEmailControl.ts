import { useCallback, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import type { CampaignAction } from '@/modules/monitor/hooks/useCampaignControl';

type Failure = { campaignId: number; message: string; detail: string | null };

/** Start, pause, resume, stop and re-rate email campaigns; `onDone` reloads the view. */
export function useEmailControl(onDone: () => void) {
  const [busy, setBusy] = useState<number | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const run = useCallback(
    async (campaignId: number, path: string, body?: unknown): Promise<boolean> => {
      setBusy(campaignId);
      setFailure(null);
      try {
        await apiFetch(`/email-campaigns/${campaignId}/${path}`, { method: 'POST', body });
        return true;
      } catch (caught) {
        const apiError = caught instanceof ApiError ? caught : null;
        setFailure({
          campaignId,
          message: apiError?.message ?? 'The server cannot be reached.',
          detail: apiError?.errors[0]?.message ?? null,
        });
        return false;
      } finally {
        setBusy(null);
        onDone();
      }
    },
    [onDone],
  );

  const control = useCallback((campaignId: number, action: CampaignAction) => run(campaignId, action), [run]);
  const setRate = useCallback(
    (campaignId: number, ratePerMinute: number) => run(campaignId, 'rate', { rate_per_minute: ratePerMinute }),
    [run],
  );
  return { control, setRate, busy, failure };
}
