import type { JobKind } from '@/modules/live/types/LiveEvent';

const started = new Set<string>();

/**
 * The analyses and transcripts this tab asked for. Their ends reach every reviewer on the
 * stream (the grid and the drawer follow them), but only the one who asked gets a notice:
 * a floor's automatic runs would otherwise bury the screen in toasts.
 */
export const startedJobs = {
  add(kind: JobKind, id: number): void {
    started.add(`${kind}:${id}`);
  },
  /** True once for a job this tab started: its end is announced once. */
  take(kind: JobKind, id: number): boolean {
    return started.delete(`${kind}:${id}`);
  },
};
