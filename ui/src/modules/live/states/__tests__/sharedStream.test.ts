import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { sessionStore } from '@/modules/auth/states/sessionStore';
import { useLiveStream } from '@/modules/live/hooks/useLiveStream';
import { sharedStream, type StreamSubscriber } from '@/modules/live/states/sharedStream';
import type { LiveEvent, StreamStatus } from '@/modules/live/types/LiveEvent';
import { signInAs } from '@/testing/fakeBackend';

/** A stand-in for the browser's WebSocket: records every socket opened and closed. */
class TestSocket {
  static opened: TestSocket[] = [];
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;

  constructor(readonly url: string) {
    TestSocket.opened.push(this);
  }

  push(batch: unknown[]): void {
    this.onmessage?.({ data: JSON.stringify(batch) });
  }

  drop(code = 1006): void {
    this.onclose?.({ code });
  }

  close(): void {
    this.closed = true;
  }
}

const HELLO = { type: 'hello', role: 'admin' };
const LEADS: LiveEvent = { type: 'leads.changed', ids: [4], change: 'decided' };
const ENDED: LiveEvent = { type: 'analysis.ended', id: 2, status: 'done', message: 'ok', link: null };

/** A subscriber that records what it was given. */
function recorder(accepts?: StreamSubscriber['accepts']) {
  const seen = { events: [] as LiveEvent[][], resyncs: 0, statuses: [] as StreamStatus[] };
  const subscriber: StreamSubscriber = {
    accepts,
    onEvents: (events) => seen.events.push(events),
    onResync: () => (seen.resyncs += 1),
    onStatus: (status) => seen.statuses.push(status),
  };
  return { seen, subscriber };
}

/** Lets the async token lookup run, so the socket exists. */
const settle = () => act(async () => vi.advanceTimersByTimeAsync(0));
const leaving: (() => void)[] = [];
const join = (subscriber: StreamSubscriber) => leaving.push(sharedStream.subscribe(subscriber));

describe('sharedStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    TestSocket.opened = [];
    vi.stubGlobal('WebSocket', TestSocket);
    signInAs('admin');
  });
  afterEach(() => {
    leaving.splice(0).forEach((leave) => leave());
    vi.useRealTimers();
  });

  it('gives every subscriber of a tab one socket, each only the events it accepts', async () => {
    const toasts = recorder((event) => event.type.endsWith('.ended'));
    const grid = recorder((event) => event.type === 'leads.changed');
    const all = recorder();
    join(toasts.subscriber);
    join(grid.subscriber);
    join(all.subscriber);
    await settle();
    expect(TestSocket.opened).toHaveLength(1);
    expect(TestSocket.opened[0].url).toMatch(/\/api\/v1\/stream\?access_token=access$/);

    TestSocket.opened[0].push([HELLO]);
    for (const { seen } of [toasts, grid, all]) {
      expect(seen.resyncs).toBe(1);
      expect(seen.statuses).toEqual(['connecting', 'open']);
    }
    TestSocket.opened[0].push([LEADS, ENDED]);
    TestSocket.opened[0].push([LEADS]);
    expect(toasts.seen.events).toEqual([[ENDED]]); // never an empty batch
    expect(grid.seen.events).toEqual([[LEADS], [LEADS]]);
    expect(all.seen.events).toEqual([[LEADS, ENDED], [LEADS]]);
  });

  it('lets a late subscriber join the open socket and load at once', async () => {
    const first = recorder();
    join(first.subscriber);
    await settle();
    TestSocket.opened[0].push([HELLO]);

    const late = recorder();
    join(late.subscriber);
    expect(TestSocket.opened).toHaveLength(1);
    expect(late.seen.statuses).toEqual(['open']);
    expect(late.seen.resyncs).toBe(1);
    TestSocket.opened[0].push([{ type: 'resync' }]);
    expect([first.seen.resyncs, late.seen.resyncs]).toEqual([2, 2]);
  });

  it('closes when the last subscriber leaves and opens anew for the next', async () => {
    const leaveA = sharedStream.subscribe(recorder().subscriber);
    const leaveB = sharedStream.subscribe(recorder().subscriber);
    await settle();
    leaveA();
    expect(TestSocket.opened[0].closed).toBe(false);
    leaveB();
    expect(TestSocket.opened[0].closed).toBe(true);
    TestSocket.opened[0].drop(1000); // the close that follows: no reconnection
    await act(async () => vi.advanceTimersByTimeAsync(20_000));
    expect(TestSocket.opened).toHaveLength(1);

    join(recorder().subscriber);
    await settle();
    expect(TestSocket.opened).toHaveLength(2);
  });

  it('reconnects with a growing backoff, reset by each hello', async () => {
    const watcher = recorder();
    join(watcher.subscriber);
    await settle();
    TestSocket.opened[0].drop();
    expect(watcher.seen.statuses.at(-1)).toBe('reconnecting');
    await act(async () => vi.advanceTimersByTimeAsync(499));
    expect(TestSocket.opened).toHaveLength(1);
    await act(async () => vi.advanceTimersByTimeAsync(1));
    expect(TestSocket.opened).toHaveLength(2);
    TestSocket.opened[1].drop(); // again, before any hello: twice as long
    await act(async () => vi.advanceTimersByTimeAsync(999));
    expect(TestSocket.opened).toHaveLength(2);
    await act(async () => vi.advanceTimersByTimeAsync(1));
    expect(TestSocket.opened).toHaveLength(3);
    TestSocket.opened[2].push([HELLO]);
    expect(watcher.seen.statuses.at(-1)).toBe('open');
    TestSocket.opened[2].drop();
    await act(async () => vi.advanceTimersByTimeAsync(500));
    expect(TestSocket.opened).toHaveLength(4);
  });

  it('keeps delivering to the others when one handler throws', async () => {
    const broken = recorder();
    broken.subscriber.onEvents = () => {
      throw new Error('a bug in one view');
    };
    const healthy = recorder();
    join(broken.subscriber);
    join(healthy.subscriber);
    await settle();
    TestSocket.opened[0].push([LEADS]);
    expect(healthy.seen.events).toEqual([[LEADS]]);
    // The error is reported on its own, as an event listener's would be.
    await expect(vi.runAllTimersAsync()).rejects.toThrow('a bug in one view');
  });

  it('opens a new socket when another user signs in in the tab', async () => {
    const watcher = recorder();
    join(watcher.subscriber);
    await settle();
    const session = sessionStore.get()!;
    sessionStore.set({ ...session, accessToken: 'renewed' }); // a refresh: same user, same socket
    await settle();
    expect(TestSocket.opened).toHaveLength(1);

    sessionStore.set({ ...session, accessToken: 'other', user: { ...session.user, id: 8 } });
    await settle();
    expect(TestSocket.opened[0].closed).toBe(true);
    expect(TestSocket.opened).toHaveLength(2);
    expect(TestSocket.opened[1].url).toMatch(/access_token=other$/);
    expect(watcher.seen.statuses.at(-1)).toBe('reconnecting');
  });

  it('shares the socket between the hooks of a screen and the shell', async () => {
    const onEvents = vi.fn();
    const shell = renderHook(() => useLiveStream({ accepts: (event) => event.type.endsWith('.ended'), onEvents, onResync: () => undefined }));
    const grid = renderHook(() => useLiveStream({ onEvents: () => undefined, onResync: () => undefined }));
    await settle();
    expect(TestSocket.opened).toHaveLength(1);
    act(() => TestSocket.opened[0].push([HELLO, LEADS, ENDED]));
    expect(shell.result.current).toBe('open');
    expect(grid.result.current).toBe('open');
    expect(onEvents).toHaveBeenCalledWith([ENDED]);
    grid.unmount();
    expect(TestSocket.opened[0].closed).toBe(false);
    shell.unmount();
    expect(TestSocket.opened[0].closed).toBe(true);
  });
});
