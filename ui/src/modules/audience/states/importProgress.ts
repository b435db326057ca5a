import type { ImportJob } from '@/modules/audience/types/Import';
import type { ImportProgressEvent } from '@/modules/live/types/LiveEvent';

/** A sample of the rows written at a moment, to compute the rate seen by this page. */
type Sample = { at: number; done: number };

export type ImportProgress = {
  job: ImportJob | null;
  /** The first and latest samples while it runs. */
  first: Sample | null;
  last: Sample | null;
};

export type ProgressAction = { type: 'loaded'; job: ImportJob; at: number } | { type: 'event'; event: ImportProgressEvent; at: number };

export const initialProgress: ImportProgress = { job: null, first: null, last: null };

export function importProgressReducer(state: ImportProgress, action: ProgressAction): ImportProgress {
  if (action.type === 'loaded') {
    const sample = { at: action.at, done: action.job.rows_done };
    return { job: action.job, first: state.first ?? sample, last: sample };
  }
  const { event } = action;
  if (!state.job || event.import_id !== state.job.id) return state;
  // Events can overtake a GET answer: never move backwards.
  if (event.rows_done < state.job.rows_done) return state;
  const job: ImportJob = {
    ...state.job,
    status: event.status,
    rows_total: event.rows_total,
    rows_done: event.rows_done,
    rows_failed: event.rows_failed,
  };
  const sample = { at: action.at, done: event.rows_done };
  return { job, first: state.first ?? sample, last: sample };
}

/** Rows per second: the server's figure once the import is over, else what this page saw
 * move since it opened (the server's while it has seen no movement). */
export function rowsPerSecond(state: ImportProgress): number | null {
  const { job, first, last } = state;
  if (!job) return null;
  if (job.status !== 'running') return job.rows_per_s;
  if (first && last && last.at > first.at && last.done > first.done) {
    return Math.round(((last.done - first.done) / ((last.at - first.at) / 1000)) * 10) / 10;
  }
  return job.rows_per_s;
}

export function percentDone(job: ImportJob): number {
  if (job.status === 'finished') return 100;
  return job.rows_total ? Math.min(100, Math.floor((job.rows_done / job.rows_total) * 100)) : 0;
}
