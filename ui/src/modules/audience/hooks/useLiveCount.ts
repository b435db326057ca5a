import { useDebouncedPost } from '@/modules/api/hooks/useDebouncedPost';
import type { ApiGroup } from '@/modules/audience/types/Filter';

export type LiveCount = { count: number | null; loading: boolean; error: string | null };

export const COUNT_DELAY_MS = 400;

/**
 * The contacts a filter matches (`POST /audience/count`), asked `delay` ms after the last
 * change; a newer filter aborts the request in flight so a stale answer never shows.
 * A null filter (one that does not validate) asks nothing.
 */
export function useLiveCount(filter: ApiGroup | null, delay = COUNT_DELAY_MS): LiveCount {
  const answer = useDebouncedPost<{ count: number }>(filter ? '/audience/count' : null, { filter }, delay);
  return { count: answer.data?.count ?? null, loading: answer.loading, error: answer.error };
}
