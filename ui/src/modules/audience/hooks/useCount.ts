import { useApiResource } from '@/modules/api/hooks/useApiResource';

/** A segment's or list's current size (`GET …/count`), as words. */
export function useCount(path: string, version = 0): string {
  const { data, error } = useApiResource<{ count: number }>(path, version);
  if (error) return 'count unavailable';
  if (!data) return 'counting…';
  return `${data.count.toLocaleString()} ${data.count === 1 ? 'contact' : 'contacts'}`;
}
