import { useEffect, useRef } from 'react';

import { isTypingTarget } from '@/modules/console/utils/isTypingTarget';

export type QaKeyHandlers = {
  next: () => void;
  previous: () => void;
  approve: () => void;
  reject: () => void;
  giveBack: () => void;
  togglePlay: () => void;
  check: () => void;
  confirmChecklist: () => void;
  help: () => void;
};

const KEYS: Record<string, keyof QaKeyHandlers> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  a: 'approve',
  r: 'reject',
  u: 'giveBack',
  ' ': 'togglePlay',
  x: 'check',
  c: 'confirmChecklist',
  '?': 'help',
};

/** True for controls a key already means something to (space presses a focused button). */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (key === ' ') return target.closest('button, a, input, select, [role="slider"]') !== null;
  return key.startsWith('Arrow') && target.closest('input, select, [role="slider"]') !== null;
}

/** The workspace's keys; off while `enabled` is false (a dialog is open) or in a text field. */
export function useQaShortcuts(handlers: QaKeyHandlers, enabled: boolean): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target) || ownsKey(event.target, event.key)) return;
      const name = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
      if (!name) return;
      event.preventDefault();
      latest.current[name]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
