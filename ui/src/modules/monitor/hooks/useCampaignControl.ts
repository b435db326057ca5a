import { useCallback, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';

export type CampaignAction = 'start' | 'pause' | 'resume' | 'stop';

/** Start, pause, resume and stop a campaign; `onDone` reloads what the monitor shows. */
export function useCampaignControl(onDone: () => void) {
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const control = useCallback(
    async (campaignId: number, action: CampaignAction) => {
      setBusy(campaignId);
      setError(null);
      try {
        await apiFetch(`/campaigns/${campaignId}/${action}`, { method: 'POST' });
      } catch (caught) {
        setError(caught instanceof ApiError ? caught.message : 'The server cannot be reached.');
      } finally {
        setBusy(null);
        onDone();
      }
    },
    [onDone],
  );
  return { control, busy, error };
}
