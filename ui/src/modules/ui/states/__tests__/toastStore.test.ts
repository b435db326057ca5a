import { afterEach, describe, expect, it, vi } from 'vitest';

import { type Toast, toastStore } from '@/modules/ui/states/toastStore';

describe('toastStore', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a toast until it is dismissed or its time is up', () => {
    vi.useFakeTimers();
    let seen: Toast[] = [];
    const stop = toastStore.subscribe((toasts) => {
      seen = toasts;
    });
    const first = toastStore.push({ tone: 'success', title: 'Import #1 finished' }, 1000);
    toastStore.push({ tone: 'error', title: 'Import #2 failed' }, 5000);
    expect(seen.map((t) => t.title)).toEqual(['Import #1 finished', 'Import #2 failed']);
    vi.advanceTimersByTime(1001);
    expect(seen.map((t) => t.id)).not.toContain(first);
    toastStore.dismiss(seen[0].id);
    expect(seen).toEqual([]);
    stop();
  });
});
