import { useEffect, useRef } from 'react';

import { Button } from '@/modules/ui/components/Button';

type Props = { more: boolean; loading: boolean; onMore: () => void; label: string };

/** Loads the next page when it scrolls into view, or on its button (keyboard users, and
 * browsers without IntersectionObserver). */
export function LoadMore({ more, loading, onMore, label }: Props) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!more || !element || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [more, onMore]);
  if (!more) return null;
  return (
    <div ref={sentinel} className="flex justify-center py-2">
      <Button disabled={loading} onClick={onMore}>
        {loading ? 'Loading…' : label}
      </Button>
    </div>
  );
}
