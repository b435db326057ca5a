import { useCallback, useEffect, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { toApiError } from '@/modules/qa/utils/toApiError';

/** A signed audio URL (`POST /recordings/{id}/link`) and when it stops working (epoch ms). */
export type RecordingLink = { url: string; expiresAt: number };

type State = { link: RecordingLink | null; error: ApiError | null };

/** Ask for the next link this long before the current one expires. */
export const RENEW_BEFORE_MS = 20_000;
/** Never renew more often than this, whatever the two clocks say. */
const MIN_RENEW_MS = 30_000;

/**
 * A short-lived signed URL of a recording's audio. The endpoint needs the bearer token, which
 * an <audio> element cannot send; the signed URL stands in for it, so the element streams with
 * range requests (seeking works before the download ends). A new link is fetched before the
 * current one expires, and at once on `renew()` (the element failed on an expired one).
 */
export function useRecordingLink(recordingId: number): State & { renew: () => void } {
  const [state, setState] = useState<State>({ link: null, error: null });
  const [round, setRound] = useState(0);
  const renew = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ url: string; expires_at: string }>(`/recordings/${recordingId}/link`, { method: 'POST', signal: controller.signal })
      .then(({ url, expires_at }) => setState({ link: { url, expiresAt: Date.parse(expires_at) }, error: null }))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setState({ link: null, error: toApiError(caught) });
      });
    return () => controller.abort();
  }, [recordingId, round]);

  const expiresAt = state.link?.expiresAt ?? null;
  useEffect(() => {
    if (expiresAt === null) return undefined;
    const timer = setTimeout(renew, Math.max(expiresAt - RENEW_BEFORE_MS - Date.now(), MIN_RENEW_MS));
    return () => clearTimeout(timer);
  }, [expiresAt, renew]);

  return { ...state, renew };
}
