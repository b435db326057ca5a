import { describe, expect, it } from 'vitest';

import { importProgressReducer, initialProgress, percentDone, rowsPerSecond } from '@/modules/audience/states/importProgress';
import type { ImportJob } from '@/modules/audience/types/Import';

const job: ImportJob = {
  id: 4,
  entity: 'contact',
  filename: 'leads.csv',
  status: 'running',
  rows_total: 1000,
  rows_done: 0,
  rows_failed: 0,
  rows_per_s: 50,
  created: 0,
  updated: 0,
  skipped: 0,
  failure: null,
  mapping: {},
  created_at: '2026-01-01T00:00:00Z',
  finished_at: null,
};

const event = (done: number, failed = 0, status: ImportJob['status'] = 'running') => ({
  type: 'import.progress' as const,
  import_id: 4,
  status,
  rows_total: 1000,
  rows_done: done,
  rows_failed: failed,
});

describe('import progress', () => {
  it('moves with the events of its import only', () => {
    let state = importProgressReducer(initialProgress, { type: 'loaded', job, at: 0 });
    state = importProgressReducer(state, { type: 'event', event: { ...event(500), import_id: 5 }, at: 1000 });
    expect(state.job?.rows_done).toBe(0);
    state = importProgressReducer(state, { type: 'event', event: event(500, 7), at: 2000 });
    expect(state.job).toMatchObject({ rows_done: 500, rows_failed: 7, status: 'running' });
    expect(percentDone(state.job as ImportJob)).toBe(50);
  });

  it('never moves backwards when an old answer arrives late', () => {
    let state = importProgressReducer(initialProgress, { type: 'loaded', job: { ...job, rows_done: 600 }, at: 0 });
    state = importProgressReducer(state, { type: 'event', event: event(500), at: 1000 });
    expect(state.job?.rows_done).toBe(600);
  });

  it('ignores events before the import is loaded', () => {
    expect(importProgressReducer(initialProgress, { type: 'event', event: event(5), at: 1 })).toBe(initialProgress);
  });

  it('computes rows per second from what it saw, then the server’s figure once over', () => {
    let state = importProgressReducer(initialProgress, { type: 'loaded', job, at: 0 });
    expect(rowsPerSecond(state)).toBe(50);
    state = importProgressReducer(state, { type: 'event', event: event(400), at: 2000 });
    expect(rowsPerSecond(state)).toBe(200);
    state = importProgressReducer(state, { type: 'loaded', job: { ...job, status: 'finished', rows_done: 1000, rows_per_s: 180.5 }, at: 3000 });
    expect(rowsPerSecond(state)).toBe(180.5);
    expect(percentDone(state.job as ImportJob)).toBe(100);
    expect(rowsPerSecond(initialProgress)).toBeNull();
  });

  it('reads 0 % of an empty file', () => {
    expect(percentDone({ ...job, rows_total: 0 })).toBe(0);
  });
});
