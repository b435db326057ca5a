import { useEffect, useState } from 'react';

import type { ApiError } from '@/modules/api/utils/ApiError';
import { apiFetch } from '@/modules/api/utils/apiFetch';
import { toApiError } from '@/modules/qa/utils/toApiError';

type Recording = { url: string | null; error: ApiError | null };

/**
 * A playable URL for a recording. The audio endpoint needs the bearer token, which an
 * <audio> element cannot send, so the file is fetched once and played from memory (seeking
 * in memory is instant; the server audits the download).
 */
export function useRecordingUrl(recordingId: number | null): Recording {
  const [recording, setRecording] = useState<Recording>({ url: null, error: null });
  useEffect(() => {
    setRecording({ url: null, error: null });
    if (recordingId === null) return undefined;
    const controller = new AbortController();
    let url: string | null = null;
    apiFetch<Blob>(`/recordings/${recordingId}/audio`, { signal: controller.signal, as: 'blob' })
      .then((blob) => {
        url = URL.createObjectURL(blob);
        setRecording({ url, error: null });
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setRecording({ url: null, error: toApiError(caught) });
      });
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [recordingId]);
  return recording;
}
