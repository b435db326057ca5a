import { renderHook, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { useLiveCount } from '@/modules/audience/hooks/useLiveCount';
import type { ApiGroup } from '@/modules/audience/types/Filter';
import { signInAs } from '@/testing/fakeBackend';

const filter = (value: string): ApiGroup => ({ op: 'and', conditions: [{ field: 'contact.city', operator: 'equals', value }] });

/** A count endpoint that answers each request only when the test says so. */
function slowCounts() {
  const pending: { body: { filter: ApiGroup }; signal: AbortSignal; answer: (count: number) => void }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          const signal = init.signal as AbortSignal;
          signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          pending.push({
            body: JSON.parse(String(init.body)) as { filter: ApiGroup },
            signal,
            answer: (count) => resolve(new Response(JSON.stringify({ count }), { status: 200 })),
          });
        }),
    ),
  );
  return pending;
}

describe('useLiveCount', () => {
  beforeEach(() => signInAs('data_ops'));

  it('waits for a pause, aborts the stale request and never shows its answer', async () => {
    const pending = slowCounts();
    const { result, rerender } = renderHook(({ f }) => useLiveCount(f, 20), { initialProps: { f: filter('Denver') } });
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(pending).toHaveLength(1));
    rerender({ f: filter('Den') });
    rerender({ f: filter('Chicago') });
    expect(pending[0].signal.aborted).toBe(true);
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(pending[1].body.filter).toEqual(filter('Chicago'));
    pending[0].answer(999);
    pending[1].answer(12);
    await waitFor(() => expect(result.current).toEqual({ count: 12, loading: false, error: null }));
  });

  it('asks nothing for a null filter', async () => {
    const pending = slowCounts();
    const { result } = renderHook(() => useLiveCount(null, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pending).toHaveLength(0);
    expect(result.current.loading).toBe(false);
  });
});
