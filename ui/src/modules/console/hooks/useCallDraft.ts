import { useCallback, useEffect, useState } from 'react';

import type { Answers } from '@/modules/console/types/ConsoleKit';

export type CallDraft = { notes: string; answers: Answers };

const EMPTY: CallDraft = { notes: '', answers: {} };

export function draftKey(callId: number): string {
  return `pivotal.console.draft.call.${callId}`;
}

function read(callId: number | null): CallDraft {
  if (callId === null) return EMPTY;
  try {
    const raw = localStorage.getItem(draftKey(callId));
    return raw ? { ...EMPTY, ...(JSON.parse(raw) as Partial<CallDraft>) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

/**
 * What the agent typed about a call (notes and qualification answers), saved in
 * localStorage under the call's id at every keystroke, so a reload or a dropped
 * connection mid-call loses nothing. Discarded once the disposition is in.
 */
export function useCallDraft(callId: number | null) {
  const [draft, setDraft] = useState<CallDraft>(() => read(callId));

  useEffect(() => setDraft(read(callId)), [callId]);

  const update = useCallback(
    (change: Partial<CallDraft>) => {
      setDraft((previous) => {
        const next = { ...previous, ...change };
        if (callId !== null) localStorage.setItem(draftKey(callId), JSON.stringify(next));
        return next;
      });
    },
    [callId],
  );

  const setNotes = useCallback((notes: string) => update({ notes }), [update]);
  const setAnswer = useCallback(
    (key: string, value: unknown) =>
      setDraft((previous) => {
        const next = { ...previous, answers: { ...previous.answers, [key]: value } };
        if (callId !== null) localStorage.setItem(draftKey(callId), JSON.stringify(next));
        return next;
      }),
    [callId],
  );
  const discard = useCallback(() => {
    if (callId !== null) localStorage.removeItem(draftKey(callId));
    setDraft(EMPTY);
  }, [callId]);

  return { draft, setNotes, setAnswer, discard };
}
