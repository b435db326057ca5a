import { useCallback, useReducer, useState } from 'react';

import { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import type { EmailCampaignSnapshot, LiveEvent } from '@/modules/live/types/LiveEvent';
import { emailPacingReducer, initialEmailPacing } from '@/modules/pacing/states/emailPacingReducer';

/** Every running email campaign, live from the stream; reloaded on each (re)connection. */
export function useLiveEmailCampaigns() {
  const [pacing, dispatch] = useReducer(emailPacingReducer, initialEmailPacing);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const campaigns = await apiFetch<EmailCampaignSnapshot[]>('/live/email-campaigns');
      dispatch({ type: 'loaded', campaigns, at: Date.now() });
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The server cannot be reached.');
    }
  }, []);

  const onEvents = useCallback((events: LiveEvent[]) => dispatch({ type: 'events', events, at: Date.now() }), []);
  const stream = useLiveStream({ accepts: (event) => event.type === 'email_campaign', onEvents, onResync: () => void load() });
  return { pacing, stream, error, reload: load };
}
