import { useEffect, useRef } from 'react';

import { isTypingTarget } from '@/modules/console/utils/isTypingTarget';

export type ShortcutMap = Record<string, () => void>;

/**
 * The console's keyboard: keys (lower-cased, `?` and digits as typed) mapped to actions.
 * Keys typed into a text field stay there; Esc leaves the field. Off while `enabled` is false
 * (a dialog with its own keys is open).
 */
export function useConsoleShortcuts(map: ShortcutMap, enabled: boolean): void {
  const latest = useRef(map);
  latest.current = map;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
      if (isTypingTarget(event.target)) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const action = latest.current[key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
